/*
 * test_login: domain/login in-process on a fresh SQLite file in /tmp — the password login throttled per
 * name on a fake clock (known and unknown names alike, reset by a success), a login that replaces the
 * session it was given, and logout with its change-log row; it opens no socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "domain/auth.h"
#include "domain/login.h"
#include "store/db.h"
#include "util/secret.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define T0	   FIXTURE_NOW
#define PW	   FIXTURE_PASSWORD

/* One per test: a fresh store (tests/unit/fixture) with organisations 1 and 2, events 1 (org 1) and 2
 * (org 2) and session 1 of event 1. */
static int setup(void **state)
{
	return fixture_setup(state, "login", FIXTURE_EVENTS, NULL);
}

static void throttling(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {"known@example.org", "unknown@example.org"};
	char first_msg[2][256];
	struct login_result out;
	struct dom_err err;

	fixture_account(f->db, names[0], ROLE_VIEWER, 1);
	for (size_t n = 0; n < N_ELEMS(names); n++) {
		for (int i = 0; i < LOGIN_MAX_FAILURES; i++) {
			assert_int_equal(
			    fixture_login(f->db, names[n], "wrong password!", T0 + i, &out, &err),
			    DOM_UNAUTHENTICATED);
			assert_string_equal(err.id, "invalid_credentials");
		}
		/* the sixth attempt, wrong or right, is refused for 15 minutes from the first failure */
		assert_int_equal(fixture_login(f->db, names[n], "wrong password!", T0 + 10, &out, &err),
				 DOM_THROTTLED);
		assert_string_equal(err.id, "too_many_attempts");
		assert_int_equal(out.retry_after, LOGIN_WINDOW_S - 10);
		snprintf(first_msg[n], sizeof(first_msg[n]), "%s", err.message);
		assert_int_equal(fixture_login(f->db, names[n], PW, T0 + 20, &out, &err), DOM_THROTTLED);
		assert_int_equal(fixture_login(f->db, names[n], PW, T0 + LOGIN_WINDOW_S - 1, &out, &err),
				 DOM_THROTTLED);
		assert_int_equal(out.retry_after, 1);
	}
	assert_string_equal(first_msg[0], first_msg[1]);
	/* the case of the name does not matter */
	assert_int_equal(fixture_login(f->db, "KNOWN@example.org", PW, T0 + 30, &out, &err), DOM_THROTTLED);
	/* after the window the right password works and resets the count */
	assert_int_equal(fixture_login(f->db, names[0], PW, T0 + LOGIN_WINDOW_S, &out, &err), DOM_OK);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM login_failures WHERE failures >= 5"), 1);
	assert_int_equal(fixture_login(f->db, names[1], "wrong password!", T0 + LOGIN_WINDOW_S, &out, &err),
			 DOM_UNAUTHENTICATED);
}

static void success_resets_failures(void **state)
{
	struct fixture *f = *state;
	struct login_result out;
	struct dom_err err;

	fixture_account(f->db, "reset@example.org", ROLE_VIEWER, 0);
	for (int i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
		assert_int_equal(fixture_login(f->db, "reset@example.org", "nope nope nope", T0, &out, &err),
				 DOM_UNAUTHENTICATED);
	assert_int_equal(fixture_login(f->db, "reset@example.org", PW, T0, &out, &err), DOM_OK);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM login_failures"), 0);
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
		assert_int_equal(fixture_login(f->db, "reset@example.org", "nope nope nope", T0, &out, &err),
				 DOM_UNAUTHENTICATED);
	assert_int_equal(fixture_login(f->db, "reset@example.org", "nope nope nope", T0, &out, &err),
			 DOM_THROTTLED);
}

static void login_replaces_presented_session(void **state)
{
	struct fixture *f = *state;
	struct login_result a, b;
	struct auth_session s;
	struct principal p;
	struct dom_err err;
	int64_t seq = 0;

	fixture_account(f->db, "v@example.org", ROLE_VIEWER, 0);
	assert_int_equal(login_run(f->db, "v@example.org", PW, NULL, T0, &a, &err), DOM_OK);
	json_object_put(a.account);
	assert_int_equal(login_run(f->db, "v@example.org", PW, a.session, T0, &b, &err), DOM_OK);
	json_object_put(b.account);
	assert_string_not_equal(a.session, b.session);
	assert_string_not_equal(a.csrf, b.csrf);
	assert_int_equal(auth_session_resolve(f->db, a.session, T0, 60, 600, &p, &s, &err),
			 DOM_UNAUTHENTICATED);
	assert_int_equal(auth_session_resolve(f->db, b.session, T0, 60, 600, &p, &s, &err), DOM_OK);
	assert_int_equal(p.org_id, 0);
	assert_int_equal(login_logout(f->db, b.session, T0 + 5, &seq, &err), DOM_OK);
	assert_true(seq > 0);
	assert_int_equal(auth_session_resolve(f->db, b.session, T0, 60, 600, &p, &s, &err),
			 DOM_UNAUTHENTICATED);
	assert_int_equal(login_logout(f->db, b.session, T0 + 5, &seq, &err), DOM_UNAUTHENTICATED);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM change_log WHERE kind = 'account.logout'"),
			 1);
	/* the change-log row carries the request's time, not the store's clock */
	assert_int_equal(
	    fixture_int(f->db, "SELECT created_at FROM change_log WHERE kind = 'account.logout'"), T0 + 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(throttling, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(success_resets_failures, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(login_replaces_presented_session, setup, fixture_teardown),
	};

	if (fixture_cheap_hashes("test_login"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
