/* test_calendar_tokens: domain/calendar_tokens in-process on a fresh database — who may create, list and
 * revoke an organisation's or a person's feed token, the feed a token opens (domain/feeds) until it is
 * revoked, and owners that are refused; an answer never holds the token's hash. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tokens, db_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
