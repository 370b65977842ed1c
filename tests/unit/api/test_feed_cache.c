/* test_feed_cache: api/feed_cache in-process on a fresh database — a feed rendered again only when the
 * change log moved or it is FEED_CACHE_MAX_AGE old, same content kept as the same bytes, views that outlive
 * eviction, and no cache at all; what a feed shows and who may see it are domain/feeds' (test_feeds). */
#include "api/feed_cache.h"
#include "domain/feeds.h"
#include "fixture.h"
#include "store/db.h"
#include "store/db_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A migrated database in a temporary file with fixture_feed_rows (one organisation, a public and an
 * internal event, each with one session tomorrow), and a cache. */
struct feed_fx {
	struct fixture s; /* the store, and now */
	struct config cfg;
	struct feed_cache *cache;
};

static void changed(struct db *db)
{
	fixture_exec(
	    db, "INSERT INTO change_log (topic, kind, payload, created_at) VALUES ('t', 'test', '{}', 0)");
}

static int db_setup(void **state)
{
	struct feed_fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fixture_open(&fx->s, "feed_cache", FIXTURE_EMPTY);
	config_defaults(&fx->cfg);
	fixture_feed_rows(&fx->s);
	fx->cache = feed_cache_new();
	assert_non_null(fx->cache);
	*state = fx;
	return 0;
}

static int db_teardown(void **state)
{
	struct feed_fx *fx = *state;

	feed_cache_free(fx->cache);
	fixture_close(&fx->s);
	free(fx);
	return 0;
}

static void view_public(struct feed_fx *fx, const char *city, int64_t now, struct feed_view *v)
{
	struct feeds_filter f = {.city = city};
	struct feeds_ref ref;
	struct dom_err e = {0};

	assert_int_equal(feeds_public(&f, FEED_LANG_FR, &ref, &e), DOM_OK);
	assert_int_equal(feed_cache_get(fx->cache, fx->s.db, &fx->cfg, &ref, now, v, &e), DOM_OK);
	assert_non_null(v->blob);
	assert_int_equal(strlen(v->data), v->len);
}

static void test_cache_renders_on_change_only(void **state)
{
	struct feed_fx *fx = *state;
	struct feed_view v1, v2, v3, v4, v5;
	/* feed renderings seen on the fixture's connection: statements that read the sessions table */
	static struct db_test_watch feed_renders = {.needle = "FROM sessions"};
	int renders;

	db_test_watch(fx->s.db, &feed_renders);

	view_public(fx, NULL, fx->s.now, &v1);
	assert_non_null(strstr(v1.data, "SUMMARY:Cache test\r\n"));
	assert_null(strstr(v1.data, "Interne"));
	assert_int_equal(v1.last_modified, fx->s.now);

	/* nothing moved: the same bytes */
	view_public(fx, NULL, fx->s.now + 5, &v2);
	assert_ptr_equal(v2.blob, v1.blob);

	/* a change the cache cannot see without a change-log row is not rendered */
	fixture_exec(fx->s.db, "UPDATE events SET title_fr = 'Cache test 2' WHERE id = 1");
	view_public(fx, NULL, fx->s.now + 5, &v3);
	assert_ptr_equal(v3.blob, v1.blob);

	/* the change log moved: rendered again, new validators, Last-Modified moves even within a second */
	changed(fx->s.db);
	view_public(fx, NULL, fx->s.now, &v4);
	assert_ptr_not_equal(v4.blob, v1.blob);
	assert_non_null(strstr(v4.data, "SUMMARY:Cache test 2\r\n"));
	assert_string_not_equal(v4.etag, v1.etag);
	assert_true(v4.last_modified > v1.last_modified);

	/* an unrelated change, and the hourly re-rendering: rendered again, same content keeps the same
	 * bytes; in between, the cached bytes are served without rendering */
	renders = feed_renders.count;
	changed(fx->s.db);
	view_public(fx, NULL, fx->s.now + 10, &v5);
	assert_int_equal(feed_renders.count, renders + 1);
	assert_ptr_equal(v5.blob, v4.blob);
	feed_blob_release(v5.blob);
	view_public(fx, NULL, fx->s.now + 10 + FEED_CACHE_MAX_AGE - 1, &v5);
	assert_int_equal(feed_renders.count, renders + 1);
	assert_ptr_equal(v5.blob, v4.blob);
	feed_blob_release(v5.blob);
	view_public(fx, NULL, fx->s.now + 10 + FEED_CACHE_MAX_AGE, &v5);
	assert_int_equal(feed_renders.count, renders + 2);
	assert_ptr_equal(v5.blob, v4.blob);
	db_test_watch(fx->s.db, NULL);

	feed_blob_release(v1.blob);
	feed_blob_release(v2.blob);
	feed_blob_release(v3.blob);
	feed_blob_release(v4.blob);
	feed_blob_release(v5.blob);
}

/* A view held by a response outlives eviction and invalidation (ASan would catch a use after free). */
static void test_cache_eviction_keeps_views(void **state)
{
	struct feed_fx *fx = *state;
	struct feed_view held, v;
	char city[16];

	view_public(fx, NULL, fx->s.now, &held);
	for (int i = 0; i < FEED_CACHE_MAX + 6; i++) {
		snprintf(city, sizeof(city), "city%d", i);
		view_public(fx, city, fx->s.now, &v);
		assert_null(strstr(v.data, "BEGIN:VEVENT"));
		feed_blob_release(v.blob);
	}
	assert_non_null(strstr(held.data, "SUMMARY:Cache test\r\n"));
	/* the evicted key renders anew */
	view_public(fx, NULL, fx->s.now, &v);
	assert_ptr_not_equal(v.blob, held.blob);
	assert_string_equal(v.etag, held.etag);
	feed_cache_invalidate(fx->cache);
	assert_non_null(strstr(v.data, "SUMMARY:Cache test\r\n"));
	feed_blob_release(v.blob);
	feed_blob_release(held.blob);
}

/* Without a cache (a struct app that holds none) every request renders, and the caller's reference is
 * the only one: the bytes equal the cached rendering's and outlive nothing (ASan checks the release). */
static void test_uncached(void **state)
{
	struct feed_fx *fx = *state;
	struct feeds_filter f = {0};
	struct feeds_ref ref;
	struct feed_view cached, a, b;
	struct dom_err e = {0};

	view_public(fx, NULL, fx->s.now, &cached);
	assert_int_equal(feeds_public(&f, FEED_LANG_FR, &ref, &e), DOM_OK);
	assert_int_equal(feed_cache_get(NULL, fx->s.db, &fx->cfg, &ref, fx->s.now, &a, &e), DOM_OK);
	assert_int_equal(feed_cache_get(NULL, fx->s.db, &fx->cfg, &ref, fx->s.now, &b, &e), DOM_OK);
	assert_ptr_not_equal(a.blob, b.blob);
	assert_ptr_not_equal(a.blob, cached.blob);
	assert_string_equal(a.etag, cached.etag);
	assert_int_equal(a.len, cached.len);
	assert_memory_equal(a.data, cached.data, a.len);
	assert_true(a.fd >= 0);
	feed_blob_release(a.blob);
	feed_blob_release(b.blob);
	feed_blob_release(cached.blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cache_renders_on_change_only, db_setup, db_teardown),
	    cmocka_unit_test_setup_teardown(test_cache_eviction_keeps_views, db_setup, db_teardown),
	    cmocka_unit_test_setup_teardown(test_uncached, db_setup, db_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
