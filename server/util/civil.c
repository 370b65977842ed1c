/* civil: the one place Gregorian day counts are computed; it knows nothing of zones or clocks. */
#include "util/civil.h"

/*
 * Day counts go through a year that starts on 1 March, so that the leap day is the last day of the year,
 * and through 400-year eras of 146097 days, so that negative years need no special case. Day 0 of era 0 is
 * 0000-03-01, which is 719468 days before 1970-01-01.
 */
#define CIVIL_ERA_DAYS	 146097
#define CIVIL_EPOCH_DAYS 719468

bool civil_is_leap(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int civil_days_in_month(int64_t year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && civil_is_leap(year))
		return 29;
	return days[month - 1];
}

/* Floor division of a by a positive b. */
static int64_t civil_floor_div(int64_t a, int64_t b)
{
	return (a >= 0 ? a : a - (b - 1)) / b;
}

int64_t civil_days_from_date(int64_t year, int month, int day)
{
	int64_t y = month <= 2 ? year - 1 : year;
	int64_t era = civil_floor_div(y, 400);
	int64_t year_of_era = y - era * 400;			 /* 0..399 */
	int64_t march_month = month > 2 ? month - 3 : month + 9; /* 0 = March .. 11 = February */
	int64_t day_of_year = (153 * march_month + 2) / 5 + day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

	return era * CIVIL_ERA_DAYS + day_of_era - CIVIL_EPOCH_DAYS;
}

struct civil_date civil_date_from_days(int64_t days)
{
	struct civil_date out;
	int64_t z = days + CIVIL_EPOCH_DAYS;
	int64_t era = civil_floor_div(z, CIVIL_ERA_DAYS);
	int64_t day_of_era = z - era * CIVIL_ERA_DAYS; /* 0..146096 */
	int64_t year_of_era =
	    (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int64_t march_month = (5 * day_of_year + 2) / 153;

	out.day = (int)(day_of_year - (153 * march_month + 2) / 5 + 1);
	out.month = (int)(march_month < 10 ? march_month + 3 : march_month - 9);
	out.year = year_of_era + era * 400 + (out.month <= 2);
	return out;
}
