/*
 * test_api_tokens: domain/api_tokens in-process on a fresh SQLite file in /tmp — bearer tokens created
 * (validation, only hashes stored), resolved and revoked (once, with its change-log row), and who may
 * create which token for which organisation; it opens no socket.
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
#include "domain/api_tokens.h"
#include "domain/auth.h"
#include "store/db.h"
#include "util/secret.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define T0	   FIXTURE_NOW

/* One per test: a fresh store (tests/unit/fixture) with organisations 1 and 2, events 1 (org 1) and 2
 * (org 2) and session 1 of event 1. */
static int setup(void **state)
{
	return fixture_setup(state, "api_tokens", FIXTURE_EVENTS, NULL);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(tokens, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(token_permissions, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
