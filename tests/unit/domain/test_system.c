/* test_system: housekeeping deletes exactly what has expired — sessions past their idle or absolute
 * timeout, day-old idempotency answers, finished login-failure windows — and keeps the rest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/outbox.h"
#include "domain/system.h"
#include "fixture.h"
#include "store/db.h"

#define NOW	 FIXTURE_NOW
#define IDLE	 1800
#define ABSOLUTE 43200

static void housekeeping_deletes_only_what_expired(void **state)
{
	struct fixture fx;
	char sql[1024];
	struct dom_err derr;

	(void)state;
	fixture_open(&fx, "system", FIXTURE_EMPTY);
	fixture_exec(
	    fx.db,
	    "INSERT INTO accounts (id, email, display_name, password_hash, role, created_at, updated_at) "
	    "VALUES (1, 'a@example.org', 'A', 'x', 'admin', 0, 0)");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO auth_sessions (id_hash, account_id, csrf_hash, created_at, seen_at) VALUES "
		 "('fresh', 1, 'c', %lld, %lld), ('idle', 1, 'c', %lld, %lld), ('old', 1, 'c', %lld, %lld);"
		 "INSERT INTO idempotency (key_hash, status, body_sealed, created_at) VALUES "
		 "('new', 201, 's', %lld), ('stale', 201, 's', %lld);"
		 "INSERT INTO login_failures (key_hash, failures, window_start) VALUES "
		 "('open', 3, %lld), ('over', 5, %lld);"
		 "INSERT INTO outbox (kind, payload, created_at, not_before, sent_at, failed_at) VALUES "
		 "('pending', '{\"link_sealed\":\"x\"}', %lld, 0, NULL, NULL), "
		 "('pending.old', '{\"link_sealed\":\"x\"}', %lld, 0, NULL, NULL), ('sent.recent', '{}', 0, "
		 "0, %lld, NULL), "
		 "('sent.old', '{}', 0, 0, %lld, NULL), ('failed.old', '{}', 0, 0, NULL, %lld);",
		 NOW - 60, NOW - 60, NOW - 600, NOW - IDLE - 1, NOW - ABSOLUTE - 1, NOW - 10, NOW - 3600,
		 NOW - 86400 - 1, NOW - 60, NOW - 16 * 60, NOW - 60, NOW - OUTBOX_MAX_AGE_S - 1, NOW - 86400,
		 NOW - SYSTEM_OUTBOX_KEEP_S - 1, NOW - SYSTEM_OUTBOX_KEEP_S - 1);
	fixture_exec(fx.db, sql);

	assert_int_equal(system_housekeeping(fx.db, NOW, IDLE, ABSOLUTE, false, &derr), 7);
	assert_int_equal(
	    fixture_int(
		fx.db, "SELECT count(*) FROM outbox WHERE kind IN ('pending', 'pending.old', 'sent.recent')"),
	    3);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM outbox"), 3);
	/* still unsent after OUTBOX_MAX_AGE_S: given up, its sealed link gone; a recent one waits */
	assert_int_equal(
	    fixture_int(fx.db,
			"SELECT count(*) FROM outbox WHERE kind = 'pending.old' AND failed_at IS NOT NULL "
			"AND json_extract(payload, '$.link_sealed') IS NULL"),
	    1);
	assert_int_equal(
	    fixture_int(fx.db, "SELECT count(*) FROM outbox WHERE kind = 'pending' AND failed_at IS NULL "
			       "AND json_extract(payload, '$.link_sealed') = 'x'"),
	    1);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM auth_sessions WHERE id_hash = 'fresh'"), 1);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM auth_sessions"), 1);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM idempotency WHERE key_hash = 'new'"), 1);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM idempotency"), 1);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM login_failures WHERE key_hash = 'open'"),
			 1);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM login_failures"), 1);
	assert_int_equal(
	    fixture_int(fx.db, "SELECT count(*) FROM change_log WHERE kind = 'system.housekeeping'"), 1);
	/* nothing left to delete: no change-log row either */
	assert_int_equal(system_housekeeping(fx.db, NOW, IDLE, ABSOLUTE, false, &derr), 0);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM change_log"), 1);
	fixture_close(&fx);
}

/* With a notifications worker running, the worker alone gives up what it could not send in time (it also
 * drops the personal link it made ready): the housekeeping leaves unsent rows alone, so that the two never
 * race over one row and the reason a user reads is always the worker's. */
static void housekeeping_leaves_unsent_rows_to_the_worker(void **state)
{
	struct fixture fx;
	char sql[512];
	struct dom_err derr;

	(void)state;
	fixture_open(&fx, "system", FIXTURE_EMPTY);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO outbox (kind, payload, created_at, not_before) VALUES "
		 "('pending.old', '{\"link_sealed\":\"x\"}', %lld, 0)",
		 NOW - OUTBOX_MAX_AGE_S - 1);
	fixture_exec(fx.db, sql);
	assert_int_equal(system_housekeeping(fx.db, NOW, IDLE, ABSOLUTE, true, &derr), 0);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM outbox WHERE failed_at IS NULL AND "
					    "json_extract(payload, '$.link_sealed') = 'x'"),
			 1);
	/* without a worker, the housekeeping gives it up */
	assert_int_equal(system_housekeeping(fx.db, NOW, IDLE, ABSOLUTE, false, &derr), 1);
	assert_int_equal(fixture_int(fx.db, "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL"), 1);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(housekeeping_deletes_only_what_expired),
	    cmocka_unit_test(housekeeping_leaves_unsent_rows_to_the_worker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
