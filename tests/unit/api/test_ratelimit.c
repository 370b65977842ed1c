/*
 * test_ratelimit: api/ratelimit on a fake clock — logins in flight and per minute, token misses per
 * window, lost-link requests per window, other addresses unaffected, a bounded table that forgets the stalest
 * address, and two tables (two apps) that count apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>

#include "api/ratelimit.h"

#define T0 1800000000LL

static struct ratelimit rl; /* the table under test, as an app holds it */

static int setup(void **state)
{
	(void)state;
	ratelimit_reset(&rl);
	return 0;
}

static void test_login_inflight(void **state)
{
	int64_t retry;

	(void)state;
	for (int i = 0; i < RATELIMIT_LOGIN_INFLIGHT; i++)
		assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0, &retry), 0);
	assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0, &retry), -1);
	assert_true(retry > 0);
	/* another address is unaffected, an unknown one never limited */
	assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.2", T0, &retry), 0);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(ratelimit_login_begin(&rl, "", T0, &retry), 0);
		ratelimit_login_done(&rl, "");
	}
	/* one done lets one more in */
	ratelimit_login_done(&rl, "10.0.0.1");
	assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0, &retry), 0);
	assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0, &retry), -1);
}

static void test_login_per_minute(void **state)
{
	int64_t retry;

	(void)state;
	for (int i = 0; i < RATELIMIT_LOGIN_PER_MIN; i++) {
		assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0 + 10, &retry), 0);
		ratelimit_login_done(&rl, "10.0.0.1");
	}
	assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0 + 20, &retry), -1);
	assert_int_equal(retry, 50);
	assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0 + 70, &retry), 0);
}

static void test_token_misses(void **state)
{
	int64_t retry;

	(void)state;
	for (int i = 0; i < RATELIMIT_MISS_MAX; i++) {
		assert_int_equal(ratelimit_token_check(&rl, "10.0.0.1", T0, &retry), 0);
		ratelimit_token_miss(&rl, "10.0.0.1", T0);
	}
	assert_int_equal(ratelimit_token_check(&rl, "10.0.0.1", T0 + 100, &retry), -1);
	assert_int_equal(retry, RATELIMIT_MISS_WINDOW_S - 100);
	assert_int_equal(ratelimit_token_check(&rl, "10.0.0.2", T0 + 100, &retry), 0);
	assert_int_equal(ratelimit_token_check(&rl, "10.0.0.1", T0 + RATELIMIT_MISS_WINDOW_S, &retry), 0);
	ratelimit_token_miss(&rl, "10.0.0.1", T0 + RATELIMIT_MISS_WINDOW_S);
	assert_int_equal(ratelimit_token_check(&rl, "10.0.0.1", T0 + RATELIMIT_MISS_WINDOW_S, &retry), 0);
}

/* Lost-link requests: RATELIMIT_LINK_MAX per window and address, counted apart from token misses. */
static void test_lost_links(void **state)
{
	int64_t retry;

	(void)state;
	for (int i = 0; i < RATELIMIT_LINK_MAX; i++) {
		assert_int_equal(ratelimit_link_check(&rl, "10.0.0.1", T0, &retry), 0);
		ratelimit_link_count(&rl, "10.0.0.1", T0);
	}
	assert_int_equal(ratelimit_link_check(&rl, "10.0.0.1", T0 + 100, &retry), -1);
	assert_int_equal(retry, RATELIMIT_LINK_WINDOW_S - 100);
	assert_int_equal(ratelimit_token_check(&rl, "10.0.0.1", T0 + 100, &retry), 0);
	assert_int_equal(ratelimit_link_check(&rl, "10.0.0.2", T0 + 100, &retry), 0);
	assert_int_equal(ratelimit_link_check(&rl, "10.0.0.1", T0 + RATELIMIT_LINK_WINDOW_S, &retry), 0);
	ratelimit_link_count(&rl, "10.0.0.1", T0 + RATELIMIT_LINK_WINDOW_S);
	assert_int_equal(ratelimit_link_check(&rl, "10.0.0.1", T0 + RATELIMIT_LINK_WINDOW_S, &retry), 0);
}

/* Many more addresses than the table holds: the oldest are forgotten (start afresh), the newest kept. */
static void test_bounded_table(void **state)
{
	char addr[48];
	int64_t retry;

	(void)state;
	for (int i = 0; i < RATELIMIT_MISS_MAX; i++)
		ratelimit_token_miss(&rl, "192.0.2.1", T0);
	assert_int_equal(ratelimit_token_check(&rl, "192.0.2.1", T0, &retry), -1);
	for (int i = 0; i < 20 * RATELIMIT_CLIENTS; i++) {
		snprintf(addr, sizeof(addr), "2001:db8::%x", i);
		for (int k = 0; k < RATELIMIT_MISS_MAX; k++)
			ratelimit_token_miss(&rl, addr, T0 + 1 + i);
	}
	assert_int_equal(ratelimit_token_check(&rl, "192.0.2.1", T0 + 2, &retry), 0);
	assert_int_equal(ratelimit_token_check(&rl, addr, T0 + 20 * RATELIMIT_CLIENTS, &retry), -1);
}

/* Two tables (two apps) count apart: one's misses and logins in flight do not limit the other. */
static void test_tables_apart(void **state)
{
	static struct ratelimit other;
	int64_t retry;

	(void)state;
	ratelimit_reset(&other);
	for (int i = 0; i < RATELIMIT_MISS_MAX; i++)
		ratelimit_token_miss(&rl, "10.0.0.1", T0);
	for (int i = 0; i < RATELIMIT_LOGIN_INFLIGHT; i++)
		assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0, &retry), 0);
	assert_int_equal(ratelimit_token_check(&rl, "10.0.0.1", T0, &retry), -1);
	assert_int_equal(ratelimit_login_begin(&rl, "10.0.0.1", T0, &retry), -1);
	assert_int_equal(ratelimit_token_check(&other, "10.0.0.1", T0, &retry), 0);
	assert_int_equal(ratelimit_login_begin(&other, "10.0.0.1", T0, &retry), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_login_inflight, setup),
	    cmocka_unit_test_setup(test_login_per_minute, setup),
	    cmocka_unit_test_setup(test_token_misses, setup),
	    cmocka_unit_test_setup(test_lost_links, setup),
	    cmocka_unit_test_setup(test_bounded_table, setup),
	    cmocka_unit_test_setup(test_tables_apart, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
