/* test_calendar_tokens: domain/calendar_tokens in-process on a fresh database — who may create, list and
 * revoke an organisation's or a person's feed token, the feed a token opens (domain/feeds) until it is
 * revoked, and owners that are refused; an answer never holds the token's hash; whose feed's QR code a
 * caller may ask for (calendar_tokens_qr_allowed, calendar_tokens_owned). */
#include "domain/calendar_tokens.h"
#include "domain/feeds.h"
#include "fixture.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/secret.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define FEED_TEXT_MAX (32 * 1024 * 1024) /* as the api renders a feed */

/* One per test: a fresh store with fixture_feed_rows (one organisation, a public and an internal event,
 * each with one session tomorrow) and the default configuration. */
static int db_setup(void **state)
{
	return fixture_feed_setup(state, "calendar_tokens");
}

/* A token's feed through its access check, rendered as api/calendar has it rendered: on DOM_OK v holds the
 * text (buf_free it). */
static int view_token(struct fixture_feed *fx, const char *token, struct buf *v, struct dom_err *e)
{
	struct feeds_ref ref;
	int rc = feeds_by_token(fx->s.db, token, false, FEED_LANG_FR, &ref, e);

	buf_init(v, FEED_TEXT_MAX);
	return rc ? rc : feeds_render(fx->s.db, &fx->cfg, &ref, fx->s.now, v, e);
}

static void test_tokens(void **state)
{
	struct fixture_feed *fx = *state;
	struct principal admin = {.role = ROLE_ADMIN}, viewer = {.role = ROLE_VIEWER};
	struct principal other = {.role = ROLE_ORGANISER, .org_id = 9};
	char token[SECRET_TOKEN_LEN + 1];
	struct calendar_tokens_input in = {.owner_kind = "organisation", .has_owner_id = true, .owner_id = 1};
	struct json_object *out = NULL, *items = NULL, *id;
	struct buf v;
	struct dom_err e = {0};
	int64_t seq = 0, total = 0, tid;

	assert_int_equal(calendar_tokens_create(fx->s.db, &viewer, &in, fx->s.now, token, &out, &seq, &e),
			 DOM_FORBIDDEN);
	assert_int_equal(calendar_tokens_create(fx->s.db, &other, &in, fx->s.now, token, &out, &seq, &e),
			 DOM_FORBIDDEN);
	assert_int_equal(calendar_tokens_create(fx->s.db, &admin, &in, fx->s.now, token, &out, &seq, &e),
			 DOM_OK);
	assert_int_equal(strlen(token), SECRET_TOKEN_LEN);
	assert_true(seq > 0);
	assert_true(json_object_object_get_ex(out, "id", &id));
	tid = json_object_get_int64(id);
	assert_false(json_object_object_get_ex(out, "token_hash", NULL));
	json_object_put(out);

	assert_int_equal(view_token(fx, token, &v, &e), DOM_OK);
	assert_non_null(strstr(v.data, "SUMMARY:Interne\r\n"));
	assert_non_null(strstr(v.data, "X-WR-CALNAME:Majlis — Org\r\n"));
	buf_free(&v);

	assert_int_equal(calendar_tokens_list(fx->s.db, &admin, 50, 0, &items, &total, &e), DOM_OK);
	assert_int_equal(total, 1);
	json_object_put(items);
	assert_int_equal(calendar_tokens_list(fx->s.db, &viewer, 50, 0, &items, &total, &e), DOM_FORBIDDEN);

	assert_int_equal(calendar_tokens_revoke(fx->s.db, &other, tid, fx->s.now, &seq, &e), DOM_NOT_FOUND);
	assert_int_equal(calendar_tokens_revoke(fx->s.db, &admin, tid, fx->s.now, &seq, &e), DOM_OK);
	assert_int_equal(view_token(fx, token, &v, &e), DOM_NOT_FOUND);
	assert_int_equal(calendar_tokens_revoke(fx->s.db, &admin, tid, fx->s.now, &seq, &e), DOM_NOT_FOUND);
	assert_int_equal(view_token(fx, "nope", &v, &e), DOM_NOT_FOUND);

	/* a missing or unknown owner stores nothing */
	in = (struct calendar_tokens_input){.owner_kind = "team", .has_owner_id = true, .owner_id = 1};
	assert_int_equal(calendar_tokens_create(fx->s.db, &admin, &in, fx->s.now, token, &out, &seq, &e),
			 DOM_INVALID);
	in = (struct calendar_tokens_input){.owner_kind = "person"};
	assert_int_equal(calendar_tokens_create(fx->s.db, &admin, &in, fx->s.now, token, &out, &seq, &e),
			 DOM_INVALID);
	assert_string_equal(e.id, "missing_field");
	in = (struct calendar_tokens_input){.owner_kind = "person", .has_owner_id = true, .owner_id = 77};
	assert_int_equal(calendar_tokens_create(fx->s.db, &admin, &in, fx->s.now, token, &out, &seq, &e),
			 DOM_NOT_FOUND);
	assert_int_equal(calendar_tokens_list(fx->s.db, &admin, 50, 0, &items, &total, &e), DOM_OK);
	assert_int_equal(total, 0);
	json_object_put(items);
}

/* A feed's QR code: admins, organisers and viewers may ask (check-in staff may not); a secret feed only
 * for a token the caller answers for, every other answering as one that does not exist. */
static void test_qr_rights(void **state)
{
	struct fixture_feed *fx = *state;
	struct principal admin = {.role = ROLE_ADMIN}, viewer = {.role = ROLE_VIEWER, .org_id = 1};
	struct principal mine = {.role = ROLE_ORGANISER, .org_id = 1},
			 other = {.role = ROLE_ORGANISER, .org_id = 9};
	struct principal door = {.role = ROLE_CHECKIN, .org_id = 1};
	char token[SECRET_TOKEN_LEN + 1];
	struct calendar_tokens_input in = {.owner_kind = "organisation", .has_owner_id = true, .owner_id = 1};
	struct json_object *out = NULL, *id;
	struct dom_err e = {0};
	int64_t seq = 0, tid;
	const struct {
		const struct principal *p;
		int allowed; /* calendar_tokens_qr_allowed */
		int owned;   /* calendar_tokens_owned of organisation 1's token */
	} cases[] = {
	    {&admin, DOM_OK, DOM_OK},
	    {&mine, DOM_OK, DOM_OK},
	    {&other, DOM_OK, DOM_NOT_FOUND},
	    {&viewer, DOM_OK, DOM_NOT_FOUND},
	    {&door, DOM_FORBIDDEN, DOM_NOT_FOUND},
	};

	assert_int_equal(calendar_tokens_create(fx->s.db, &admin, &in, fx->s.now, token, &out, &seq, &e),
			 DOM_OK);
	assert_true(json_object_object_get_ex(out, "id", &id));
	tid = json_object_get_int64(id);
	json_object_put(out);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(calendar_tokens_qr_allowed(fx->s.db, cases[i].p, 0, &e), cases[i].allowed);
		assert_int_equal(calendar_tokens_owned(fx->s.db, cases[i].p, token, &e), cases[i].owned);
	}
	/* an unknown token and a revoked one answer alike, with the same message */
	assert_int_equal(
	    calendar_tokens_owned(fx->s.db, &admin, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &e),
	    DOM_NOT_FOUND);
	assert_string_equal(e.message, "calendar token not found");
	assert_int_equal(calendar_tokens_revoke(fx->s.db, &admin, tid, fx->s.now, &seq, &e), DOM_OK);
	memset(&e, 0, sizeof(e));
	assert_int_equal(calendar_tokens_owned(fx->s.db, &admin, token, &e), DOM_NOT_FOUND);
	assert_string_equal(e.message, "calendar token not found");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tokens, db_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_qr_rights, db_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
