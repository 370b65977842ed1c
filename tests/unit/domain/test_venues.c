/*
 * test_venues: table-driven checks of the venues domain in-process (zones, coordinates, organisation
 * rules, unique room names) on a fresh SQLite file in /tmp; no network. util/jsonx's numbers are
 * test_jsonx's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/orgs.h"
#include "domain/venues.h"
#include "fixture.h"
#include "store/db.h"
#include "util/jsonx.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* One store for the whole program (tests/unit/fixture): organisations A and B and their organisers. */
static struct fixture *fx;

static int64_t id_of(struct json_object *o)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, "id", &v));
	return json_object_get_int64(v);
}

static int setup(void **state)
{
	int rc = fixture_setup(state, "venues", FIXTURE_ORGS, NULL);

	fx = *state;
	return rc;
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
	const struct principal *p[] = {&fx->admin, &fx->organiser_a, &fx->organiser_b, &fx->viewer};

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
		before = fixture_int(fx->db, "SELECT count(*) FROM venues");
		out = NULL;
		memset(&e, 0, sizeof(e));
		rc = venues_create(fx->db, who(cases[i].who), &cases[i].in, 1700000000, &out, &seq, &e);
		if (rc != cases[i].rc)
			fail_msg("venue case %zu: expected %d, got %d (%s)", i, cases[i].rc, rc, e.message);
		if (cases[i].id && strcmp(e.id, cases[i].id))
			fail_msg("venue case %zu: expected code %s, got %s", i, cases[i].id, e.id);
		assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM venues"), before + (rc == DOM_OK));
		json_object_put(out);
	}
	assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM venues WHERE tz = 'Africa/Casablanca'"),
			 2);
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
	assert_int_equal(venues_create(fx->db, &fx->organiser_a, &annex, 1700000000, &out, &seq, &e), DOM_OK);
	venue = id_of(out);
	json_object_put(out);

	assert_int_equal(
	    venues_room_create(fx->db, &fx->organiser_a, venue, &room, 1700000000, &out, &seq, &e), DOM_OK);
	r1 = id_of(out);
	json_object_put(out);
	log = fixture_int(fx->db, "SELECT count(*) FROM change_log");
	assert_int_equal(
	    venues_room_create(fx->db, &fx->organiser_a, venue, &room, 1700000000, &out, &seq, &e),
	    DOM_CONFLICT);
	assert_string_equal(e.id, "duplicate_room");
	assert_int_equal(
	    venues_room_create(fx->db, &fx->organiser_b, venue, &room, 1700000000, &out, &seq, &e),
	    DOM_FORBIDDEN);
	assert_int_equal(
	    venues_room_create(fx->db, &fx->organiser_a, 9999, &room, 1700000000, &out, &seq, &e),
	    DOM_NOT_FOUND);
	assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM change_log"), log);

	room = (struct venues_room_input){.has_capacity = true}; /* "capacity": null */
	assert_int_equal(venues_room_update(fx->db, &fx->organiser_a, r1, &room, 1700000000, &out, &seq, &e),
			 DOM_INVALID);
	assert_string_equal(e.id, "invalid_field");
	room = (struct venues_room_input){0};
	assert_int_equal(venues_room_update(fx->db, &fx->organiser_a, r1, &room, 1700000000, &out, &seq, &e),
			 DOM_INVALID);
	assert_string_equal(e.id, "empty_change");
	room = (struct venues_room_input){.has_capacity = true, .capacity = 25};
	assert_int_equal(venues_room_update(fx->db, &fx->organiser_b, r1, &room, 1700000000, &out, &seq, &e),
			 DOM_FORBIDDEN);
	assert_int_equal(venues_room_update(fx->db, &fx->organiser_a, r1, &room, 1700000000, &out, &seq, &e),
			 DOM_OK);
	json_object_put(out);
	assert_int_equal(fixture_int(fx->db, "SELECT capacity FROM rooms WHERE name = 'R1'"), 25);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_venue_create),
	    cmocka_unit_test(test_rooms),
	};

	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
