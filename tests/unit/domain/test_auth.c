/*
 * test_auth: domain/auth in-process on a fresh SQLite file in /tmp — a cookie session resolved until its
 * idle or absolute timeout on a fake clock, the CSRF token, a live connection's credential checked again
 * (a token until revoked, a session until it ends or expires), bearer tokens resolved, and who may check
 * people in; it opens no socket. Logins, tokens and accounts are made through their own modules.
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
#include "domain/accounts.h"
#include "domain/api_tokens.h"
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
	return fixture_setup(state, "auth", FIXTURE_EVENTS, NULL);
}

static void session_timeouts(void **state)
{
	struct fixture *f = *state;
	struct login_result out;
	struct auth_session s;
	struct principal p;
	struct dom_err err;
	char sid[SECRET_TOKEN_LEN + 1];
	int64_t id = fixture_account(f->db, "org@example.org", ROLE_ORGANISER, 1);
	const int idle = 100, absolute = 250;
	int64_t t;

	assert_int_equal(login_run(f->db, "org@example.org", PW, NULL, T0, &out, &err), DOM_OK);
	json_object_put(out.account);
	snprintf(sid, sizeof(sid), "%s", out.session);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM auth_sessions"), 1);
	/* only hashes are stored */
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM auth_sessions WHERE length(id_hash) = 64 "
					    "AND length(csrf_hash) = 64"),
			 1);

	/* used every 90 s it stays alive past the idle timeout ... */
	for (t = T0 + 90; t - T0 <= absolute; t += 90) {
		assert_int_equal(auth_session_resolve(f->db, sid, t, idle, absolute, &p, &s, &err), DOM_OK);
		assert_int_equal(p.role, ROLE_ORGANISER);
		assert_int_equal(p.account_id, id);
		assert_int_equal(p.org_id, 1);
		assert_true(p.via_cookie);
		assert_true(auth_csrf_ok(&s, out.csrf));
		assert_false(auth_csrf_ok(&s, sid));
		assert_false(auth_csrf_ok(&s, ""));
		assert_false(auth_csrf_ok(&s, NULL));
	}
	/* ... until the absolute timeout */
	assert_int_equal(auth_session_resolve(f->db, sid, t, idle, absolute, &p, &s, &err),
			 DOM_UNAUTHENTICATED);
	assert_string_equal(err.id, "session_expired");
	assert_int_equal(p.role, ROLE_NONE);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM auth_sessions"), 0);
	assert_int_equal(auth_session_resolve(f->db, sid, t, idle, absolute, &p, &s, &err),
			 DOM_UNAUTHENTICATED);
	assert_string_equal(err.id, "unauthenticated");

	/* idle: unused for idle + 1 seconds */
	assert_int_equal(login_run(f->db, "org@example.org", PW, NULL, T0, &out, &err), DOM_OK);
	json_object_put(out.account);
	assert_int_equal(auth_session_resolve(f->db, out.session, T0 + idle, idle, absolute, &p, &s, &err),
			 DOM_OK);
	assert_int_equal(
	    auth_session_resolve(f->db, out.session, T0 + 2 * idle + 1, idle, absolute, &p, &s, &err),
	    DOM_UNAUTHENTICATED);
	assert_string_equal(err.id, "session_expired");
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM auth_sessions"), 0);
}

/* What a live connection checks again later: a token until revoked, a session until it ends or expires
 * (idle or absolute), the check itself neither using nor ending it. */
static void credential_checks(void **state)
{
	struct fixture *f = *state;
	struct principal admin = {.role = ROLE_ADMIN, .token_id = 1};
	char tok[SECRET_TOKEN_LEN + 1];
	struct auth_cred c;
	struct login_result a;
	struct auth_session s;
	struct principal p;
	struct dom_err err;
	int64_t id = 0, seq = 0, until = 0;

	assert_int_equal(api_tokens_create(f->db, ROLE_VIEWER, 0, "feed", T0, tok, &id, &err), DOM_OK);
	assert_int_equal(auth_token_resolve(f->db, tok, &p, &err), DOM_OK);
	auth_cred_remember(&c, &p, NULL);
	assert_int_equal(c.token_id, id);
	assert_int_equal(auth_cred_check(f->db, &c, T0, 60, 600, &until, &err), DOM_OK);
	assert_true(until == INT64_MAX);
	assert_int_equal(api_tokens_revoke(f->db, &admin, id, T0, &seq, &err), DOM_OK);
	assert_int_equal(auth_cred_check(f->db, &c, T0, 60, 600, &until, &err), DOM_UNAUTHENTICATED);
	assert_string_equal(err.id, "invalid_token");

	fixture_account(f->db, "v@example.org", ROLE_VIEWER, 0);
	assert_int_equal(login_run(f->db, "v@example.org", PW, NULL, T0, &a, &err), DOM_OK);
	json_object_put(a.account);
	assert_int_equal(auth_session_resolve(f->db, a.session, T0, 60, 600, &p, &s, &err), DOM_OK);
	auth_cred_remember(&c, &p, a.session);
	assert_int_equal(c.token_id, 0);
	assert_int_equal(strlen(c.session_hash), SECRET_HASH_LEN);
	assert_int_equal(auth_cred_check(f->db, &c, T0, 60, 600, &until, &err), DOM_OK);
	assert_int_equal(until, T0 + 61); /* idle: expired from 61 s without use */
	assert_int_equal(auth_cred_check(f->db, &c, T0 + 61, 60, 600, &until, &err), DOM_UNAUTHENTICATED);
	assert_string_equal(err.id, "session_expired");
	/* the check did not end it; a use moves the idle limit, up to the absolute one */
	for (int64_t t = T0 + 50; t < T0 + 600; t += 50)
		assert_int_equal(auth_session_resolve(f->db, a.session, t, 60, 600, &p, &s, &err), DOM_OK);
	assert_int_equal(auth_cred_check(f->db, &c, T0 + 600, 60, 600, &until, &err), DOM_OK);
	assert_int_equal(until, T0 + 601);
	assert_int_equal(auth_cred_check(f->db, &c, T0 + 601, 60, 600, &until, &err), DOM_UNAUTHENTICATED);
	assert_int_equal(login_logout(f->db, a.session, T0 + 600, &seq, &err), DOM_OK);
	assert_int_equal(auth_cred_check(f->db, &c, T0 + 10, 60, 600, &until, &err), DOM_UNAUTHENTICATED);
}

static void checkin_allowed(void **state)
{
	struct fixture *f = *state;
	struct dom_err err;
	int64_t staff = fixture_account(f->db, "staff@example.org", ROLE_CHECKIN, 1);
	int64_t other = fixture_account(f->db, "other@example.org", ROLE_CHECKIN, 1);
	struct principal admin = {.role = ROLE_ADMIN};
	struct accounts_patch patch = {.disabled = -1, .set_events = true};
	const int64_t events[] = {2};
	struct json_object *o = NULL;
	int64_t seq;

	/* an admin may give an org-1 check-in account an event of org 2 (a partner's staff) */
	patch.event_ids = events;
	patch.n_event_ids = 1;
	assert_int_equal(accounts_update(f->db, &admin, staff, &patch, T0, &o, &seq, &err), DOM_OK);
	json_object_put(o);
	{
		const struct {
			struct principal p;
			int64_t event;
			bool want;
		} cases[] = {
		    {{.role = ROLE_ADMIN}, 1, true},
		    {{.role = ROLE_ORGANISER, .org_id = 1, .account_id = 99}, 1, true},
		    {{.role = ROLE_ORGANISER, .org_id = 1, .account_id = 99}, 2, false},
		    {{.role = ROLE_ORGANISER, .org_id = 1, .token_id = 9}, 99, false},
		    {{.role = ROLE_CHECKIN, .org_id = 1, .account_id = staff}, 2, true},
		    {{.role = ROLE_CHECKIN, .org_id = 1, .account_id = staff}, 1, false},
		    {{.role = ROLE_CHECKIN, .org_id = 1, .account_id = other}, 2, false},
		    {{.role = ROLE_CHECKIN, .org_id = 1, .token_id = 5}, 1, true},
		    {{.role = ROLE_CHECKIN, .org_id = 1, .token_id = 5}, 2, false},
		    {{.role = ROLE_VIEWER, .org_id = 1, .account_id = 7}, 1, false},
		    {{.role = ROLE_NONE}, 1, false},
		};

		for (size_t i = 0; i < N_ELEMS(cases); i++) {
			if (auth_checkin_allowed(f->db, &cases[i].p, cases[i].event) != cases[i].want)
				fail_msg("case %zu: want %d", i, cases[i].want);
		}
	}
	assert_false(auth_checkin_allowed(f->db, NULL, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(session_timeouts, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(credential_checks, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(checkin_allowed, setup, fixture_teardown),
	};

	if (fixture_cheap_hashes("test_auth"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
