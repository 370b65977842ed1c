/* test_feeds: domain/feeds in-process on a fresh database — who may see an event's feed (anyone for a
 * public event, an admin for an internal one, nobody for a missing one); the cache of rendered feeds is
 * api/feed_cache's (test_feed_cache), the tokens' feeds are tested with the tokens (test_calendar_tokens). */
#include "domain/feeds.h"
#include "fixture.h"
#include "store/db.h"
#include "util/buf.h"

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
	return fixture_feed_setup(state, "feeds");
}

/* One event's feed through its access check, rendered as api/calendar has it rendered: on DOM_OK v holds
 * the text (buf_free it). */
static int view_event(struct fixture_feed *fx, const struct principal *p, int64_t id, struct buf *v,
		      struct dom_err *e)
{
	struct feeds_ref ref;
	int rc = feeds_event(fx->s.db, p, id, FEED_LANG_FR, &ref, e);

	buf_init(v, FEED_TEXT_MAX);
	return rc ? rc : feeds_render(fx->s.db, &fx->cfg, &ref, fx->s.now, v, e);
}

static void test_event_feed_access(void **state)
{
	struct fixture_feed *fx = *state;
	struct principal anon = {0}, admin = {.role = ROLE_ADMIN};
	struct principal other = {.role = ROLE_ORGANISER, .org_id = 9};
	struct buf v;
	struct dom_err e = {0};

	assert_int_equal(view_event(fx, &anon, 1, &v, &e), DOM_OK);
	buf_free(&v);
	assert_int_equal(view_event(fx, &anon, 2, &v, &e), DOM_NOT_FOUND);
	assert_int_equal(view_event(fx, &other, 2, &v, &e), DOM_NOT_FOUND);
	assert_int_equal(view_event(fx, &admin, 2, &v, &e), DOM_OK);
	assert_non_null(strstr(v.data, "SUMMARY:Interne\r\n"));
	buf_free(&v);
	assert_int_equal(view_event(fx, &admin, 99, &v, &e), DOM_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_event_feed_access, db_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
