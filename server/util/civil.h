/*
 * civil: proleptic Gregorian calendar arithmetic (day counts from 1970-01-01, leap years, month lengths);
 * pure functions, no time zones, no allocation, any thread.
 */
#ifndef MAJLIS_UTIL_CIVIL_H
#define MAJLIS_UTIL_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

/* A calendar date: year (any, 0 = 1 BC), month 1-12, day 1-31. */
struct civil_date {
	int64_t year;
	int month;
	int day;
};

/* Whether year is a Gregorian leap year (divisible by 4, except centuries not divisible by 400). */
bool civil_is_leap(int64_t year);
/* Days in month (1-12) of year; 0 when month is out of range. */
int civil_days_in_month(int64_t year, int month);
/* Days from 1970-01-01 to year-month-day (negative before it). month 1-12 and day 1-31 are the caller's to
 * check (civil_days_in_month); out-of-range days count on into the next month. */
int64_t civil_days_from_date(int64_t year, int month, int day);
/* The date that is days after 1970-01-01 (before it when negative). */
struct civil_date civil_date_from_days(int64_t days);

#endif
