/*
 * test_secret_floor: util/secret.c compiled without test hooks, as majlisd is for a real run, keeps the
 * production PBKDF2 floor whatever the setter or the environment asks; it must not lower anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/secret.h"

#ifdef MAJLIS_TEST_HOOKS
#error "test_secret_floor must be built without MAJLIS_TEST_HOOKS"
#endif

static void test_floor_holds(void **state)
{
	char h[PASSWORD_HASH_MAX];
	char prefix[64];

	(void)state;
	assert_int_equal(password_iterations(), PASSWORD_ITERATIONS);
	assert_int_equal(password_set_iterations(1000), -1);
	assert_int_equal(password_set_iterations(PASSWORD_ITERATIONS - 1), -1);
	assert_int_equal(password_iterations(), PASSWORD_ITERATIONS);

	setenv(PASSWORD_TEST_ENV, "1000", 1);
	assert_int_equal(password_iterations_from_env(), -1);
	assert_int_equal(password_iterations(), PASSWORD_ITERATIONS);
	unsetenv(PASSWORD_TEST_ENV);
	assert_int_equal(password_iterations_from_env(), 0);

	/* a new hash says, and costs, the floor */
	assert_int_equal(password_hash("correct horse battery staple", h), 0);
	snprintf(prefix, sizeof(prefix), "pbkdf2-sha256$%d$", PASSWORD_ITERATIONS);
	assert_memory_equal(h, prefix, strlen(prefix));

	/* raising stays possible */
	assert_int_equal(password_set_iterations(PASSWORD_ITERATIONS + 1), 0);
	assert_int_equal(password_iterations(), PASSWORD_ITERATIONS + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_floor_holds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
