/*
 * test_auth: domain/auth, login, api_tokens and accounts, and api_auth, in-process on a fresh SQLite
 * file in /tmp — throttling and session timeouts on a fake clock, CSRF and Origin, bearer tokens,
 * permissions and validation; it opens no socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "fixture.h"
#include "config.h"
#include "domain/accounts.h"
#include "domain/api_tokens.h"
#include "domain/auth.h"
#include "domain/login.h"
#include "store/db.h"
#include "util/secret.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define T0	   FIXTURE_NOW
#define PW	   "correct horse battery"

/* One per test: a fresh store (tests/unit/fixture) with organisations 1 and 2, events 1 (org 1) and 2
 * (org 2) and session 1 of event 1. */
static int setup(void **state)
{
	return fixture_setup(state, "auth", FIXTURE_EVENTS, NULL);
}

static int64_t make_account(struct db *db, const char *email, enum role role, int64_t org)
{
	struct dom_err err;
	int64_t id = 0;

	if (accounts_create(db, email, "Agent", PW, role, org, T0, &id, &err))
		fail_msg("account: %s", err.message);
	return id;
}

/* Logs in and returns the dom code; on success *out holds the secrets (account put here). */
static int try_login(struct db *db, const char *email, const char *pw, int64_t now, struct login_result *out,
		     struct dom_err *err)
{
	int rc = login_run(db, email, pw, NULL, now, out, err);

	if (!rc) {
		json_object_put(out->account);
		out->account = NULL;
	}
	return rc;
}

static void throttling(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {"known@example.org", "unknown@example.org"};
	char first_msg[2][256];
	struct login_result out;
	struct dom_err err;

	make_account(f->db, names[0], ROLE_VIEWER, 1);
	for (size_t n = 0; n < N_ELEMS(names); n++) {
		for (int i = 0; i < LOGIN_MAX_FAILURES; i++) {
			assert_int_equal(try_login(f->db, names[n], "wrong password!", T0 + i, &out, &err),
					 DOM_UNAUTHENTICATED);
			assert_string_equal(err.id, "invalid_credentials");
		}
		/* the sixth attempt, wrong or right, is refused for 15 minutes from the first failure */
		assert_int_equal(try_login(f->db, names[n], "wrong password!", T0 + 10, &out, &err),
				 DOM_THROTTLED);
		assert_string_equal(err.id, "too_many_attempts");
		assert_int_equal(out.retry_after, LOGIN_WINDOW_S - 10);
		snprintf(first_msg[n], sizeof(first_msg[n]), "%s", err.message);
		assert_int_equal(try_login(f->db, names[n], PW, T0 + 20, &out, &err), DOM_THROTTLED);
		assert_int_equal(try_login(f->db, names[n], PW, T0 + LOGIN_WINDOW_S - 1, &out, &err),
				 DOM_THROTTLED);
		assert_int_equal(out.retry_after, 1);
	}
	assert_string_equal(first_msg[0], first_msg[1]);
	/* the case of the name does not matter */
	assert_int_equal(try_login(f->db, "KNOWN@example.org", PW, T0 + 30, &out, &err), DOM_THROTTLED);
	/* after the window the right password works and resets the count */
	assert_int_equal(try_login(f->db, names[0], PW, T0 + LOGIN_WINDOW_S, &out, &err), DOM_OK);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM login_failures WHERE failures >= 5"), 1);
	assert_int_equal(try_login(f->db, names[1], "wrong password!", T0 + LOGIN_WINDOW_S, &out, &err),
			 DOM_UNAUTHENTICATED);
}

static void success_resets_failures(void **state)
{
	struct fixture *f = *state;
	struct login_result out;
	struct dom_err err;

	make_account(f->db, "reset@example.org", ROLE_VIEWER, 0);
	for (int i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
		assert_int_equal(try_login(f->db, "reset@example.org", "nope nope nope", T0, &out, &err),
				 DOM_UNAUTHENTICATED);
	assert_int_equal(try_login(f->db, "reset@example.org", PW, T0, &out, &err), DOM_OK);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM login_failures"), 0);
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
		assert_int_equal(try_login(f->db, "reset@example.org", "nope nope nope", T0, &out, &err),
				 DOM_UNAUTHENTICATED);
	assert_int_equal(try_login(f->db, "reset@example.org", "nope nope nope", T0, &out, &err),
			 DOM_THROTTLED);
}

static void session_timeouts(void **state)
{
	struct fixture *f = *state;
	struct login_result out;
	struct auth_session s;
	struct principal p;
	struct dom_err err;
	char sid[SECRET_TOKEN_LEN + 1];
	int64_t id = make_account(f->db, "org@example.org", ROLE_ORGANISER, 1);
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

static void login_replaces_presented_session(void **state)
{
	struct fixture *f = *state;
	struct login_result a, b;
	struct auth_session s;
	struct principal p;
	struct dom_err err;
	int64_t seq = 0;

	make_account(f->db, "v@example.org", ROLE_VIEWER, 0);
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

	make_account(f->db, "v@example.org", ROLE_VIEWER, 0);
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

static void disabled_account(void **state)
{
	struct fixture *f = *state;
	struct principal admin = {.role = ROLE_ADMIN};
	struct accounts_patch patch = {.disabled = 1};
	struct json_object *o = NULL;
	struct login_result out;
	struct auth_session s;
	struct principal p;
	struct dom_err err;
	int64_t seq;
	int64_t id = make_account(f->db, "d@example.org", ROLE_CHECKIN, 1);

	assert_int_equal(login_run(f->db, "d@example.org", PW, NULL, T0, &out, &err), DOM_OK);
	json_object_put(out.account);
	assert_int_equal(accounts_update(f->db, &admin, id, &patch, T0, &o, &seq, &err), DOM_OK);
	json_object_put(o);
	assert_int_equal(auth_session_resolve(f->db, out.session, T0, 60, 600, &p, &s, &err),
			 DOM_UNAUTHENTICATED);
	assert_int_equal(try_login(f->db, "d@example.org", PW, T0, &out, &err), DOM_UNAUTHENTICATED);
	assert_string_equal(err.id, "invalid_credentials");
	assert_string_equal(err.message, "wrong email or password");
}

static void account_validation(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *email, *name, *password;
		enum role role;
		int64_t org;
		enum dom_code want;
	} cases[] = {
	    {"ok@example.org", "Agent", PW, ROLE_ORGANISER, 1, DOM_OK},
	    {"OK@Example.org", "Agent", PW, ROLE_VIEWER, 1, DOM_CONFLICT},
	    {"not an email", "Agent", PW, ROLE_VIEWER, 1, DOM_INVALID},
	    {"a@b", "Agent", PW, ROLE_VIEWER, 1, DOM_INVALID},
	    {"n1@example.org", "Tab\there", PW, ROLE_VIEWER, 1, DOM_INVALID},
	    {"n2@example.org", "", PW, ROLE_VIEWER, 1, DOM_INVALID},
	    {"n3@example.org", "Agent", "short", ROLE_VIEWER, 1, DOM_INVALID},
	    {"n4@example.org", "Agent", "123456789", ROLE_VIEWER, 1, DOM_INVALID},
	    {"n5@example.org", "Agent", PW, ROLE_NONE, 1, DOM_INVALID},
	    {"n6@example.org", "Agent", PW, ROLE_ORGANISER, 0, DOM_INVALID},
	    {"n7@example.org", "Agent", PW, ROLE_CHECKIN, 0, DOM_INVALID},
	    {"n8@example.org", "Agent", PW, ROLE_ADMIN, 1, DOM_INVALID},
	    {"n9@example.org", "Agent", PW, ROLE_CHECKIN, 99, DOM_NOT_FOUND},
	    {"n10@example.org", "Agent", PW, ROLE_VIEWER, 0, DOM_OK},
	    {"n11@example.org", "Agent", PW, ROLE_ADMIN, 0, DOM_OK},
	};
	struct dom_err err;
	int64_t id;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int rc = accounts_create(f->db, cases[i].email, cases[i].name, cases[i].password,
					 cases[i].role, cases[i].org, T0, &id, &err);

		if (rc != (int)cases[i].want)
			fail_msg("case %zu: got %d (%s), want %d", i, rc, rc ? err.message : "ok",
				 cases[i].want);
	}
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM accounts"), 3);
	assert_int_equal(fixture_int(f->db,
				     "SELECT count(*) FROM accounts WHERE email = 'ok@example.org' AND "
				     "password_hash LIKE 'pbkdf2-sha256$1000$%'"),
			 1);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM change_log WHERE kind = 'account.created' "
					    "AND payload NOT LIKE '%@%'"),
			 3);
}

static void tokens(void **state)
{
	struct fixture *f = *state;
	char tok[SECRET_TOKEN_LEN + 1];
	struct principal p;
	struct dom_err err;
	int64_t id = 0, seq = 0;
	struct principal admin = {.role = ROLE_ADMIN, .token_id = 1};

	assert_int_equal(api_tokens_create(f->db, ROLE_ORGANISER, 0, "x", T0, tok, &id, &err), DOM_INVALID);
	assert_int_equal(api_tokens_create(f->db, ROLE_CHECKIN, 42, "x", T0, tok, &id, &err), DOM_NOT_FOUND);
	assert_int_equal(api_tokens_create(f->db, ROLE_ADMIN, 1, "x", T0, tok, &id, &err), DOM_INVALID);
	assert_int_equal(api_tokens_create(f->db, ROLE_NONE, 0, "x", T0, tok, &id, &err), DOM_INVALID);
	assert_int_equal(api_tokens_create(f->db, ROLE_VIEWER, 0, "bad\nlabel", T0, tok, &id, &err),
			 DOM_INVALID);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM api_tokens"), 0);

	assert_int_equal(api_tokens_create(f->db, ROLE_CHECKIN, 1, "door", T0, tok, &id, &err), DOM_OK);
	assert_int_equal(strlen(tok), SECRET_TOKEN_LEN);
	assert_int_equal(auth_token_resolve(f->db, tok, &p, &err), DOM_OK);
	assert_int_equal(p.role, ROLE_CHECKIN);
	assert_int_equal(p.org_id, 1);
	assert_int_equal(p.token_id, id);
	assert_int_equal(p.account_id, 0);
	assert_false(p.via_cookie);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM api_tokens WHERE length(token_hash) = 64"),
			 1);

	assert_int_equal(api_tokens_revoke(f->db, &admin, id, T0, &seq, &err), DOM_OK);
	assert_true(seq > 0);
	assert_int_equal(auth_token_resolve(f->db, tok, &p, &err), DOM_UNAUTHENTICATED);
	assert_string_equal(err.id, "invalid_token");
	assert_int_equal(api_tokens_revoke(f->db, &admin, id, T0, &seq, &err), DOM_OK);
	assert_int_equal(seq, 0);
	assert_int_equal(auth_token_resolve(f->db, "nonexistent", &p, &err), DOM_UNAUTHENTICATED);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM change_log WHERE topic LIKE 'token:%'"), 2);
}

static void token_permissions(void **state)
{
	struct fixture *f = *state;
	static const struct {
		struct principal p;
		enum role role;
		int64_t org;
		enum dom_code want;
		int64_t want_org;
	} cases[] = {
	    {{.role = ROLE_ADMIN}, ROLE_ADMIN, 0, DOM_OK, 0},
	    {{.role = ROLE_ADMIN}, ROLE_CHECKIN, 2, DOM_OK, 2},
	    {{.role = ROLE_ORGANISER, .org_id = 1}, ROLE_CHECKIN, 0, DOM_OK, 1},
	    {{.role = ROLE_ORGANISER, .org_id = 1}, ROLE_VIEWER, 1, DOM_OK, 1},
	    {{.role = ROLE_ORGANISER, .org_id = 1}, ROLE_ORGANISER, 1, DOM_OK, 1},
	    {{.role = ROLE_ORGANISER, .org_id = 1}, ROLE_CHECKIN, 2, DOM_FORBIDDEN, 0},
	    {{.role = ROLE_ORGANISER, .org_id = 1}, ROLE_ADMIN, 0, DOM_FORBIDDEN, 0},
	    {{.role = ROLE_CHECKIN, .org_id = 1}, ROLE_CHECKIN, 1, DOM_FORBIDDEN, 0},
	    {{.role = ROLE_VIEWER, .org_id = 1}, ROLE_VIEWER, 1, DOM_FORBIDDEN, 0},
	    {{.role = ROLE_NONE}, ROLE_VIEWER, 0, DOM_FORBIDDEN, 0},
	};
	struct json_object *o, *v;
	struct dom_err err;
	int64_t seq;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int rc = api_tokens_create_as(f->db, &cases[i].p, cases[i].role, cases[i].org, "t", T0, &o,
					      &seq, &err);

		if (rc != (int)cases[i].want)
			fail_msg("case %zu: got %d (%s), want %d", i, rc, rc ? err.message : "ok",
				 cases[i].want);
		if (rc)
			continue;
		assert_true(json_object_object_get_ex(o, "token", &v));
		assert_int_equal(json_object_get_string_len(v), SECRET_TOKEN_LEN);
		assert_true(json_object_object_get_ex(o, "org_id", &v));
		assert_int_equal(json_object_get_int64(v), cases[i].want_org);
		assert_false(json_object_object_get_ex(o, "token_hash", NULL));
		json_object_put(o);
	}
}

static void checkin_allowed(void **state)
{
	struct fixture *f = *state;
	struct dom_err err;
	int64_t staff = make_account(f->db, "staff@example.org", ROLE_CHECKIN, 1);
	int64_t other = make_account(f->db, "other@example.org", ROLE_CHECKIN, 1);
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

static void account_permissions(void **state)
{
	struct fixture *f = *state;
	struct principal org1 = {.role = ROLE_ORGANISER, .org_id = 1, .account_id = 99};
	struct principal viewer = {.role = ROLE_VIEWER, .org_id = 1, .token_id = 3};
	struct json_object *o = NULL;
	struct dom_err err;
	int64_t seq, total = 0;
	const int64_t ev_own[] = {1}, ev_other[] = {2};
	struct accounts_input in = {
	    .email = "c@example.org", .display_name = "C", .password = PW, .role = ROLE_CHECKIN};
	int64_t organiser2 = make_account(f->db, "o2@example.org", ROLE_ORGANISER, 2);
	int64_t peer = make_account(f->db, "peer@example.org", ROLE_ORGANISER, 1);
	struct accounts_patch rename = {.display_name = "New name", .disabled = -1};
	struct accounts_patch disable = {.disabled = 1};

	in.event_ids = ev_other;
	in.n_event_ids = 1;
	assert_int_equal(accounts_create_as(f->db, &org1, &in, T0, &o, &seq, &err), DOM_FORBIDDEN);
	in.event_ids = ev_own;
	in.org_id = 2;
	assert_int_equal(accounts_create_as(f->db, &org1, &in, T0, &o, &seq, &err), DOM_FORBIDDEN);
	in.org_id = 0;
	in.role = ROLE_ORGANISER;
	assert_int_equal(accounts_create_as(f->db, &org1, &in, T0, &o, &seq, &err), DOM_FORBIDDEN);
	in.role = ROLE_CHECKIN;
	assert_int_equal(accounts_create_as(f->db, &viewer, &in, T0, &o, &seq, &err), DOM_FORBIDDEN);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM accounts"), 2);
	assert_int_equal(accounts_create_as(f->db, &org1, &in, T0, &o, &seq, &err), DOM_OK);
	assert_true(seq > 0);
	assert_false(json_object_object_get_ex(o, "password_hash", NULL));
	json_object_put(o);

	assert_int_equal(accounts_list(f->db, &org1, 2, 50, 0, &o, &total, &err), DOM_FORBIDDEN);
	assert_int_equal(accounts_list(f->db, &org1, 0, 50, 0, &o, &total, &err), DOM_OK);
	assert_int_equal(total, 2);
	json_object_put(o);
	assert_int_equal(accounts_list(f->db, &viewer, 0, 50, 0, &o, &total, &err), DOM_FORBIDDEN);

	/* another organisation's account is invisible; a peer organiser is visible but not editable */
	assert_int_equal(accounts_update(f->db, &org1, organiser2, &rename, T0, &o, &seq, &err),
			 DOM_NOT_FOUND);
	assert_int_equal(accounts_update(f->db, &org1, peer, &rename, T0, &o, &seq, &err), DOM_FORBIDDEN);
	/* one's own name, yes; one's own disabled flag, no */
	{
		struct principal self = {.role = ROLE_ORGANISER, .org_id = 2, .account_id = organiser2};

		assert_int_equal(accounts_update(f->db, &self, organiser2, &rename, T0, &o, &seq, &err),
				 DOM_OK);
		json_object_put(o);
		assert_int_equal(accounts_update(f->db, &self, organiser2, &disable, T0, &o, &seq, &err),
				 DOM_FORBIDDEN);
	}
}

/* api_auth: bearer, cookie, Origin and CSRF through a request built in memory. */
static void api_auth_checks(void **state)
{
	struct fixture *f = *state;
	struct config cfg;
	struct app app = {.cfg = &cfg, .db = f->db};
	struct login_result out;
	struct dom_err err;
	char tok[SECRET_TOKEN_LEN + 1];
	char revoked[SECRET_TOKEN_LEN + 1];
	int64_t tid = 0, seq = 0;
	struct principal admin = {.role = ROLE_ADMIN};

	config_defaults(&cfg);
	make_account(f->db, "w@example.org", ROLE_ORGANISER, 1);
	assert_int_equal(login_run(f->db, "w@example.org", PW, NULL, T0, &out, &err), DOM_OK);
	json_object_put(out.account);
	assert_int_equal(api_tokens_create(f->db, ROLE_VIEWER, 1, "v", T0, tok, NULL, &err), DOM_OK);
	assert_int_equal(api_tokens_create(f->db, ROLE_VIEWER, 1, "v", T0, revoked, &tid, &err), DOM_OK);
	assert_int_equal(api_tokens_revoke(f->db, &admin, tid, T0, &seq, &err), DOM_OK);

	{
		const struct {
			enum http_method m;
			const char *authorization; /* "%s" takes tok, "%r" revoked */
			bool cookie;
			const char *origin;
			bool csrf;
			const char *public_url;
			bool required;
			int want_rc, want_status;
			enum role want_role;
		} cases[] = {
		    {HTTP_GET, "", false, "", false, "", false, 0, 200, ROLE_NONE},
		    {HTTP_GET, "", false, "", false, "", true, -1, 401, ROLE_NONE},
		    {HTTP_GET, "tok", false, "", false, "", true, 0, 200, ROLE_VIEWER},
		    {HTTP_POST, "tok", false, "", false, "", true, 0, 200, ROLE_VIEWER},
		    {HTTP_GET, "revoked", false, "", false, "", false, -1, 401, ROLE_NONE},
		    {HTTP_GET, "Bearer junk", false, "", false, "", false, -1, 401, ROLE_NONE},
		    {HTTP_GET, "Basic abc", true, "", false, "", false, -1, 401, ROLE_NONE},
		    {HTTP_GET, "", true, "", false, "", true, 0, 200, ROLE_ORGANISER},
		    {HTTP_POST, "", true, "", false, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "http://majlis.test", false, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "", true, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "http://evil.test", true, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "https://majlis.test", true, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "http://majlis.test", true, "", true, 0, 200, ROLE_ORGANISER},
		    {HTTP_DELETE, "", true, "http://majlis.test", true, "", true, 0, 200, ROLE_ORGANISER},
		    {HTTP_PATCH, "", true, "https://majlis.example.org", true,
		     "https://majlis.example.org/app", true, 0, 200, ROLE_ORGANISER},
		    {HTTP_PUT, "", true, "https://other.example.org", true, "https://majlis.example.org",
		     true, -1, 403, ROLE_NONE},
		};

		for (size_t i = 0; i < N_ELEMS(cases); i++) {
			struct request req;
			struct response resp;
			struct principal p;
			int rc;

			memset(&req, 0, sizeof(req));
			req.method = cases[i].m;
			req.now = T0 + 1;
			snprintf(req.host, sizeof(req.host), "majlis.test");
			if (!strcmp(cases[i].authorization, "tok"))
				snprintf(req.authorization, sizeof(req.authorization), "Bearer %s", tok);
			else if (!strcmp(cases[i].authorization, "revoked"))
				snprintf(req.authorization, sizeof(req.authorization), "Bearer %s", revoked);
			else
				snprintf(req.authorization, sizeof(req.authorization), "%s",
					 cases[i].authorization);
			if (cases[i].cookie)
				snprintf(req.cookie, sizeof(req.cookie), "lang=fr; %s=%s",
					 AUTH_SESSION_COOKIE, out.session);
			snprintf(req.origin, sizeof(req.origin), "%s", cases[i].origin);
			if (cases[i].csrf)
				snprintf(req.csrf_token, sizeof(req.csrf_token), "%s", out.csrf);
			snprintf(cfg.public_url, sizeof(cfg.public_url), "%s", cases[i].public_url);
			response_init(&resp);
			rc = api_auth(&app, &req, &resp, &p, cases[i].required);
			if (rc != cases[i].want_rc || resp.status != cases[i].want_status ||
			    p.role != cases[i].want_role)
				fail_msg("case %zu: rc %d status %d role %d", i, rc, resp.status, p.role);
			if (cases[i].want_status == 403 && !strstr(resp.body.data, "csrf_failed"))
				fail_msg("case %zu: want csrf_failed", i);
			response_free(&resp);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(throttling, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(success_resets_failures, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(session_timeouts, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(login_replaces_presented_session, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(credential_checks, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(disabled_account, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(account_validation, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(tokens, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(token_permissions, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(checkin_allowed, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(account_permissions, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(api_auth_checks, setup, fixture_teardown),
	};

	if (password_set_iterations(1000)) { /* cheap hashes; test_secret keeps one at the real cost */
		fprintf(stderr, "%s: this build has no test hooks (MAJLIS_TEST_HOOKS)\n", "test_auth");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
