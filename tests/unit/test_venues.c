/*
 * test_venues: table-driven checks of jsonx_get_double and of the venues domain in-process (zones,
 * coordinates, organisation rules, unique room names) on a fresh SQLite file in /tmp; no network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain/orgs.h"
#include "domain/venues.h"
#include "store/db.h"
#include "store/db_test.h"
#include "util/jsonx.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* One database for the program, with two organisations and their organisers. */
struct fixture {
	char path[64];
	struct db *db;
	struct principal admin, a, b, viewer;
};

static struct fixture fx;

static struct json_object *parse(const char *s)
{
	struct json_object *o = json_tokener_parse(s);

	assert_non_null(o);
	return o;
}

static int64_t scalar(const char *sql)
{
	int64_t v = -1;
	int rc = db_test_int(fx.db, sql, &v);

	if (rc == STORE_NOT_FOUND)
		return -1;
	assert_int_equal(rc, STORE_OK);
	return v;
}

static int64_t id_of(struct json_object *o)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, "id", &v));
	return json_object_get_int64(v);
}

static int64_t make_org(const char *name, const char *kind)
{
	struct orgs_input in = {.has_name = true, .name = name, .has_kind = true, .kind = kind};
	struct json_object *out = NULL;
	struct dom_err e = {0};
	int64_t seq = 0, id;

	assert_int_equal(orgs_create(fx.db, &fx.admin, &in, 1700000000, &out, &seq, &e), DOM_OK);
	id = id_of(out);
	json_object_put(out);
	return id;
}

static int setup(void **state)
{
	char err[256];

	(void)state;
	snprintf(fx.path, sizeof(fx.path), "/tmp/majlis-test-venues-%d.db", (int)getpid());
	unlink(fx.path);
	assert_int_equal(db_open(fx.path, DB_MIGRATE, &fx.db, err, sizeof(err)), 0);
	fx.admin = (struct principal){.role = ROLE_ADMIN};
	fx.a = (struct principal){.role = ROLE_ORGANISER, .org_id = make_org("A", "ngo")};
	fx.b = (struct principal){.role = ROLE_ORGANISER, .org_id = make_org("B", "ngo")};
	fx.viewer = (struct principal){.role = ROLE_VIEWER};
	return 0;
}

static int teardown(void **state)
{
	char p[80];

	(void)state;
	db_close(fx.db);
	unlink(fx.path);
	snprintf(p, sizeof(p), "%s-wal", fx.path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx.path);
	unlink(p);
	return 0;
}

/* A body, the expected result of jsonx_get_double on "v" in [-90, 90], and the value. */
struct double_case {
	const char *body;
	int rc;
	double v;
};

static void test_get_double(void **state)
{
	static const struct double_case cases[] = {
	    {"{\"v\":35.75}", 1, 35.75}, {"{\"v\":-90}", 1, -90.0}, {"{\"v\":90.0}", 1, 90.0},
	    {"{\"v\":0}", 1, 0.0},	 {"{\"v\":1e1}", 1, 10.0},  {"{\"v\":90.0001}", -1, 0},
	    {"{\"v\":-91}", -1, 0},	 {"{\"v\":\"35\"}", -1, 0}, {"{\"v\":true}", -1, 0},
	    {"{\"v\":[1]}", -1, 0},	 {"{\"v\":null}", 0, 0},    {"{}", 0, 0},
	};
	struct json_object *o;
	struct jsonx_err je;
	double v;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		o = NULL;
		assert_int_equal(jsonx_parse_object(cases[i].body, strlen(cases[i].body), &o, &je), 0);
		v = -1234.5;
		rc = jsonx_get_double(o, "v", false, -90.0, 90.0, &v, &je);
		if (rc != cases[i].rc)
			fail_msg("double case %zu: expected %d, got %d", i, cases[i].rc, rc);
		if (rc == 1 && v != cases[i].v)
			fail_msg("double case %zu: expected %g, got %g", i, cases[i].v, v);
		if (rc != 1 && v != -1234.5)
			fail_msg("double case %zu: value written on failure", i);
		if (rc < 0)
			assert_string_equal(je.code, "invalid_field");
		json_object_put(o);
	}
	o = parse("{}");
	assert_int_equal(jsonx_get_double(o, "v", true, -1, 1, &v, &je), -1);
	assert_string_equal(je.code, "missing_field");
	json_object_put(o);
}

/* Who creates which venue, and the result. */
struct venue_case {
	int who; /* 0 admin, 1 organiser A, 2 organiser B, 3 viewer */
	struct venues_input in;
	int rc;
	const char *id;
};

static const struct principal *who(int w)
{
	const struct principal *p[] = {&fx.admin, &fx.a, &fx.b, &fx.viewer};

	return p[w];
}

static void test_venue_create(void **state)
{
#define HALL .has_name = true, .name = "Hall", .has_city = true, .city = "Rabat"
	static const struct venue_case cases[] = {
	    {1, {HALL}, DOM_OK, NULL},
	    {1,
	     {HALL, .has_tz = true, .tz = "Europe/Paris", .has_latitude = true, .latitude = 34,
	      .has_longitude = true, .longitude = -6.8},
	     DOM_OK,
	     NULL},
	    {0, {HALL, .has_org_id = true}, DOM_OK, NULL},
	    {1, {HALL, .has_tz = true, .tz = "Mars/Base"}, DOM_INVALID, "invalid_tz"},
	    {1, {HALL, .has_tz = true, .tz = "../../../etc/passwd"}, DOM_INVALID, "invalid_tz"},
	    {1, {HALL, .has_tz = true}, DOM_INVALID, "invalid_field"},
	    {1, {.has_name = true, .name = "Hall"}, DOM_INVALID, "missing_field"},
	    {1, {.has_name = true, .name = "Hall", .has_city = true}, DOM_INVALID, "missing_field"},
	    {1, {HALL, .has_org_id = true}, DOM_FORBIDDEN, NULL},
	    {2, {HALL, .has_org_id = true, .org_id = 1}, DOM_FORBIDDEN, NULL},
	    {3, {HALL}, DOM_FORBIDDEN, NULL},
	    {0, {HALL, .has_org_id = true, .org_id = 99}, DOM_UNPROCESSABLE, "unknown_organisation"},
	};
#undef HALL
	struct json_object *out;
	struct dom_err e;
	int64_t seq, before;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		before = scalar("SELECT count(*) FROM venues");
		out = NULL;
		memset(&e, 0, sizeof(e));
		rc = venues_create(fx.db, who(cases[i].who), &cases[i].in, 1700000000, &out, &seq, &e);
		if (rc != cases[i].rc)
			fail_msg("venue case %zu: expected %d, got %d (%s)", i, cases[i].rc, rc, e.message);
		if (cases[i].id && strcmp(e.id, cases[i].id))
			fail_msg("venue case %zu: expected code %s, got %s", i, cases[i].id, e.id);
		assert_int_equal(scalar("SELECT count(*) FROM venues"), before + (rc == DOM_OK));
		json_object_put(out);
	}
	assert_int_equal(scalar("SELECT count(*) FROM venues WHERE tz = 'Africa/Casablanca'"), 2);
}

static void test_rooms(void **state)
{
	struct venues_input annex = {.has_name = true, .name = "Annex", .has_city = true, .city = "Fes"};
	struct venues_room_input room = {
	    .has_name = true, .name = "R1", .has_capacity = true, .capacity = 20};
	struct json_object *out = NULL;
	struct dom_err e = {0};
	int64_t seq = 0, venue, r1, log;

	(void)state;
	assert_int_equal(venues_create(fx.db, &fx.a, &annex, 1700000000, &out, &seq, &e), DOM_OK);
	venue = id_of(out);
	json_object_put(out);

	assert_int_equal(venues_room_create(fx.db, &fx.a, venue, &room, 1700000000, &out, &seq, &e), DOM_OK);
	r1 = id_of(out);
	json_object_put(out);
	log = scalar("SELECT count(*) FROM change_log");
	assert_int_equal(venues_room_create(fx.db, &fx.a, venue, &room, 1700000000, &out, &seq, &e),
			 DOM_CONFLICT);
	assert_string_equal(e.id, "duplicate_room");
	assert_int_equal(venues_room_create(fx.db, &fx.b, venue, &room, 1700000000, &out, &seq, &e),
			 DOM_FORBIDDEN);
	assert_int_equal(venues_room_create(fx.db, &fx.a, 9999, &room, 1700000000, &out, &seq, &e),
			 DOM_NOT_FOUND);
	assert_int_equal(scalar("SELECT count(*) FROM change_log"), log);

	room = (struct venues_room_input){.has_capacity = true}; /* "capacity": null */
	assert_int_equal(venues_room_update(fx.db, &fx.a, r1, &room, 1700000000, &out, &seq, &e),
			 DOM_INVALID);
	assert_string_equal(e.id, "invalid_field");
	room = (struct venues_room_input){0};
	assert_int_equal(venues_room_update(fx.db, &fx.a, r1, &room, 1700000000, &out, &seq, &e),
			 DOM_INVALID);
	assert_string_equal(e.id, "empty_change");
	room = (struct venues_room_input){.has_capacity = true, .capacity = 25};
	assert_int_equal(venues_room_update(fx.db, &fx.b, r1, &room, 1700000000, &out, &seq, &e),
			 DOM_FORBIDDEN);
	assert_int_equal(venues_room_update(fx.db, &fx.a, r1, &room, 1700000000, &out, &seq, &e), DOM_OK);
	json_object_put(out);
	assert_int_equal(scalar("SELECT capacity FROM rooms WHERE name = 'R1'"), 25);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get_double),
	    cmocka_unit_test(test_venue_create),
	    cmocka_unit_test(test_rooms),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
