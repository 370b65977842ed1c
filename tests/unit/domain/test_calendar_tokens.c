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

/* A migrated database in a temporary file, with one organisation, a public and an internal event,
 * each with one session tomorrow. */
struct feeds_fx {
	struct fixture s; /* the store, and now */
	struct config cfg;
};

static int db_setup(void **state)
{
	struct feeds_fx *fx = calloc(1, sizeof(*fx));
	char sql[1024];

	assert_non_null(fx);
	fixture_open(&fx->s, "calendar_tokens", FIXTURE_EMPTY);
	config_defaults(&fx->cfg);
	fx->s.now = 1790000000; /* 2026-09-21 */
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES (1, 'Org', 'ngo', 0, "
	    "0);"
	    "INSERT INTO events (id, type, title_fr, org_id, capacity, visibility, created_at, updated_at) "
	    "VALUES "
	    "(1, 'training', 'Cache test', 1, 10, 'public', 0, 0),"
	    "(2, 'workshop', 'Interne', 1, 10, 'internal', 0, 0);"
	    "INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset,"
	    " end_offset, created_at, updated_at) VALUES"
	    "(1, '2026-09-22T10:00:00', '2026-09-22T12:00:00', 'Africa/Casablanca', %lld, %lld, 3600, 3600, "
	    "0, 0),"
	    "(2, '2026-09-22T10:00:00', '2026-09-22T12:00:00', 'Africa/Casablanca', %lld, %lld, 3600, 3600, "
	    "0, 0);",
	    (long long)fx->s.now + 86400, (long long)fx->s.now + 93600, (long long)fx->s.now + 86400,
	    (long long)fx->s.now + 93600);
	fixture_exec(fx->s.db, sql);
	fixture_exec(
	    fx->s.db,
	    "INSERT INTO change_log (topic, kind, payload, created_at) VALUES ('t', 'test', '{}', 0)");
	*state = fx;
	return 0;
}

static int db_teardown(void **state)
{
	struct feeds_fx *fx = *state;

	fixture_close(&fx->s);
	free(fx);
	return 0;
}

/* A token's feed through its access check, rendered as api/calendar has it rendered: on DOM_OK v holds the
 * text (buf_free it). */
static int view_token(struct feeds_fx *fx, const char *token, struct buf *v, struct dom_err *e)
{
	struct feeds_ref ref;
	int rc = feeds_by_token(fx->s.db, token, false, FEED_LANG_FR, &ref, e);

	buf_init(v, FEED_TEXT_MAX);
	return rc ? rc : feeds_render(fx->s.db, &fx->cfg, &ref, fx->s.now, v, e);
}

static void test_tokens(void **state)
{
	struct feeds_fx *fx = *state;
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
	    cmocka_unit_test_setup_teardown(test_tokens, db_setup, db_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
