/* test_civil: table-driven checks of util/civil against known day counts and a day-by-day walk of the
 * calendar; it performs no I/O. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/civil.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Dates whose day count since 1970-01-01 is known (checked against `date -u -d ... +%s` / 86400). */
static void test_known_days(void **state)
{
	static const struct {
		int64_t y;
		int m, d;
		int64_t days;
	} cases[] = {
	    {1970, 1, 1, 0},	   {1969, 12, 31, -1},	 {1970, 3, 1, 59},	  {1900, 1, 1, -25567},
	    {1900, 3, 1, -25508},  {2000, 2, 29, 11016}, {2000, 3, 1, 11017},	  {2024, 2, 29, 19782},
	    {2026, 12, 7, 20794},  {1, 1, 1, -719162},	 {9999, 12, 31, 2932896}, {0, 3, 1, -719468},
	    {-1, 12, 31, -719529}, {2100, 3, 1, 47541},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct civil_date c;

		assert_int_equal(civil_days_from_date(cases[i].y, cases[i].m, cases[i].d), cases[i].days);
		c = civil_date_from_days(cases[i].days);
		assert_int_equal(c.year, cases[i].y);
		assert_int_equal(c.month, cases[i].m);
		assert_int_equal(c.day, cases[i].d);
	}
}

static void test_leap_years(void **state)
{
	static const struct {
		int64_t y;
		int leap;
	} cases[] = {
	    {1900, 0}, {2000, 1}, {2024, 1}, {2023, 0}, {2100, 0},
	    {2400, 1}, {1600, 1}, {0, 1},    {-4, 1},	{-100, 0},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		assert_int_equal(civil_is_leap(cases[i].y), cases[i].leap);
		assert_int_equal(civil_days_in_month(cases[i].y, 2), cases[i].leap ? 29 : 28);
	}
}

static void test_month_lengths(void **state)
{
	static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	(void)state;
	for (int m = 1; m <= 12; m++)
		assert_int_equal(civil_days_in_month(2025, m), len[m - 1]);
	assert_int_equal(civil_days_in_month(2025, 0), 0);
	assert_int_equal(civil_days_in_month(2025, 13), 0);
}

/* Walks every day from 1600-01-01 to 2500-12-31 by hand (day + 1, roll the month and year) and checks that
 * both directions agree with the walk: the round trip holds over the whole range, across every leap rule. */
static void test_walk(void **state)
{
	int64_t y = 1600, days = civil_days_from_date(1600, 1, 1);
	int m = 1, d = 1;

	(void)state;
	assert_int_equal(days, -135140);
	while (y <= 2500) {
		struct civil_date c = civil_date_from_days(days);

		if (c.year != y || c.month != m || c.day != d || civil_days_from_date(y, m, d) != days)
			fail_msg("day %lld: %lld-%d-%d expected, got %lld-%d-%d", (long long)days,
				 (long long)y, m, d, (long long)c.year, c.month, c.day);
		days++;
		if (++d > civil_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
}

/* Far from the epoch, in both directions: days -> date -> days is the identity. */
static void test_round_trip_wide(void **state)
{
	(void)state;
	for (int64_t days = -400LL * 146097; days <= 400LL * 146097; days += 997) {
		struct civil_date c = civil_date_from_days(days);

		assert_in_range(c.month, 1, 12);
		assert_in_range(c.day, 1, civil_days_in_month(c.year, c.month));
		assert_int_equal(civil_days_from_date(c.year, c.month, c.day), days);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_days),	    cmocka_unit_test(test_leap_years),
	    cmocka_unit_test(test_month_lengths),   cmocka_unit_test(test_walk),
	    cmocka_unit_test(test_round_trip_wide),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
