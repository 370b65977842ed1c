/* test_windows_zones: calendar/windows_zones, the table from Windows zone names to tz database names
 * (case-insensitive, NULL for a name not in it); how the import resolves a TZID through it is
 * calendar/import's (test_import). */
#include "calendar/windows_zones.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_windows_names(void **state)
{
	(void)state;
	assert_null(windows_zone_to_iana("Nowhere Standard Time"));
	assert_string_equal(windows_zone_to_iana("morocco standard time"), "Africa/Casablanca");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_windows_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
