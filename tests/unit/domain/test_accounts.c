/*
 * test_accounts: domain/accounts in-process on a fresh SQLite file in /tmp — accounts created with
 * validation (e-mail, name, password, role and organisation), a disabled account that can no longer log
 * in or use its session, and who may create, list and change which account; it opens no socket.
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
	return fixture_setup(state, "accounts", FIXTURE_EVENTS, NULL);
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
	int64_t id = fixture_account(f->db, "d@example.org", ROLE_CHECKIN, 1);

	assert_int_equal(login_run(f->db, "d@example.org", PW, NULL, T0, &out, &err), DOM_OK);
	json_object_put(out.account);
	assert_int_equal(accounts_update(f->db, &admin, id, &patch, T0, &o, &seq, &err), DOM_OK);
	json_object_put(o);
	assert_int_equal(auth_session_resolve(f->db, out.session, T0, 60, 600, &p, &s, &err),
			 DOM_UNAUTHENTICATED);
	assert_int_equal(fixture_login(f->db, "d@example.org", PW, T0, &out, &err), DOM_UNAUTHENTICATED);
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
	int64_t organiser2 = fixture_account(f->db, "o2@example.org", ROLE_ORGANISER, 2);
	int64_t peer = fixture_account(f->db, "peer@example.org", ROLE_ORGANISER, 1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(disabled_account, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(account_validation, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(account_permissions, setup, fixture_teardown),
	};

	if (fixture_cheap_hashes("test_accounts"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
