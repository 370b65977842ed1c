/* test_sessions: table-driven tests of domain/sessions (overlap rule, tz error mapping, wall-time
 * resolution, double booking inside a real SQLite file, tz refresh); it seeds rows with plain SQL
 * through the store's handle and never starts a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/events.h"
#include "domain/sessions.h"
#include "fixture.h"
#include "store/db.h"

#define H	     3600
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --- pure rules --------------------------------------------------------------------------------- */

struct overlap_case {
	int64_t a0, a1, b0, b1;
	bool overlap;
};

static void overlap_rule(void **state)
{
	static const struct overlap_case cases[] = {
	    {10, 20, 15, 25, true},  /* partial */
	    {10, 20, 20, 30, false}, /* back to back */
	    {20, 30, 10, 20, false}, /* back to back, other side */
	    {10, 20, 12, 18, true},  /* inside */
	    {12, 18, 10, 20, true},  /* around */
	    {10, 20, 10, 20, true},  /* same */
	    {10, 20, 21, 30, false}, /* apart */
	    {10, 20, 19, 21, true},  /* one second shared */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct overlap_case *c = &cases[i];

		assert_int_equal(sessions_overlap(c->a0, c->a1, c->b0, c->b1), c->overlap);
		assert_int_equal(sessions_overlap(c->b0, c->b1, c->a0, c->a1), c->overlap);
	}
}

struct tz_error_case {
	enum tz_rc rc;
	const char *local;
	enum dom_code code;
	const char *id;
	const char *needles[3]; /* substrings the message must hold */
};

static void tz_error_mapping(void **state)
{
	static const struct tz_error_case cases[] = {
	    {TZ_GAP,
	     "2026-03-22T02:30",
	     DOM_UNPROCESSABLE,
	     "nonexistent_local_time",
	     {"2026-03-22T02:30", "Africa/Casablanca", "+00:00"}},
	    {TZ_AMBIGUOUS,
	     "2026-09-20T01:30",
	     DOM_UNPROCESSABLE,
	     "ambiguous_local_time",
	     {"+01:00", "+00:00", "starts_offset"}},
	    {TZ_BAD_OFFSET, "2026-09-20T01:30", DOM_UNPROCESSABLE, "offset_mismatch", {"starts_offset"}},
	    {TZ_BAD_ZONE, "2026-09-20T01:30", DOM_INVALID, "invalid_field", {"tz"}},
	    {TZ_BAD_TIME, "2026-02-30T01:30", DOM_INVALID, "invalid_field", {"starts_local"}},
	};
	struct dom_err e;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct tz_error_case *c = &cases[i];

		memset(&e, 0, sizeof(e));
		assert_int_equal(sessions_tz_error(&e, c->rc, "starts_local", c->local, TZ_DEFAULT_ZONE),
				 c->code);
		assert_int_equal(e.code, c->code);
		assert_string_equal(e.id, c->id);
		for (size_t k = 0; k < ARRAY_LEN(c->needles) && c->needles[k]; k++) {
			if (!strstr(e.message, c->needles[k]))
				fail_msg("message \"%s\" lacks \"%s\"", e.message, c->needles[k]);
		}
	}
}

struct resolve_case {
	const char *local;
	int32_t hint;
	int code; /* 0 or the dom_code */
	const char *id;
	const char *normal; /* normalised wall time */
	int64_t utc;
	int32_t offset;
};

static void resolve_wall_times(void **state)
{
	static const struct resolve_case cases[] = {
	    {"2026-01-15T10:00", TZ_NO_OFFSET, 0, NULL, "2026-01-15T10:00:00", 1768467600, H},
	    {"2026-03-01T10:00", TZ_NO_OFFSET, 0, NULL, "2026-03-01T10:00:00", 1772359200, 0},
	    {"2026-06-10T10:00:30", TZ_NO_OFFSET, 0, NULL, "2026-06-10T10:00:30", 1781082030, H},
	    {"2026-10-15T10:00", TZ_NO_OFFSET, 0, NULL, "2026-10-15T10:00:00", 1792058400, 0},
	    {"2026-03-22T02:30", TZ_NO_OFFSET, DOM_UNPROCESSABLE, "nonexistent_local_time", NULL, 0, 0},
	    {"2026-09-20T01:30", TZ_NO_OFFSET, DOM_UNPROCESSABLE, "ambiguous_local_time", NULL, 0, 0},
	    {"2026-09-20T01:30", H, 0, NULL, "2026-09-20T01:30:00", 1789864200, H},
	    {"2026-09-20T01:30", 0, 0, NULL, "2026-09-20T01:30:00", 1789867800, 0},
	    {"2026-09-20T01:30", 2 * H, DOM_UNPROCESSABLE, "offset_mismatch", NULL, 0, 0},
	};
	char out[TZ_LOCAL_LEN];
	struct dom_err e;
	int64_t utc;
	int32_t off;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct resolve_case *c = &cases[i];
		int rc;

		memset(&e, 0, sizeof(e));
		rc =
		    sessions_resolve("starts_local", c->local, TZ_DEFAULT_ZONE, c->hint, out, &utc, &off, &e);
		assert_int_equal(rc, c->code);
		if (c->code) {
			assert_string_equal(e.id, c->id);
			continue;
		}
		assert_string_equal(out, c->normal);
		assert_int_equal(utc, c->utc);
		assert_int_equal(off, c->offset);
	}
}

/* --- against a database ------------------------------------------------------------------------- */

/* One per test: a fresh store (tests/unit/fixture) with organisations 1 and 2, venue 1 with rooms 1 and 2,
 * and people 1 to 3 of organisation 1. */
static int setup(void **state)
{
	return fixture_setup(
	    state, "sessions", FIXTURE_ORGS,
	    "INSERT INTO venues (id, name, city, tz, created_at, updated_at) VALUES "
	    "(1, 'Casa', 'Casablanca', 'Africa/Casablanca', 0, 0);"
	    "INSERT INTO rooms (id, venue_id, name, capacity) VALUES (1, 1, 'S1', 10), (2, 1, 'S2', 10);"
	    "INSERT INTO people (id, org_id, name, sex, created_at, updated_at) VALUES "
	    "(1, 1, 'F', 'female', 0, 0), (2, 1, 'P2', 'male', 0, 0), (3, 1, 'P3', 'female', 0, 0);");
}

static const struct principal admin = {.role = ROLE_ADMIN};
static const struct principal organiser_a = {.role = ROLE_ORGANISER, .org_id = 1};
static const struct principal organiser_b = {.role = ROLE_ORGANISER, .org_id = 2};

static int64_t make_event(struct db *db, const char *title)
{
	struct event_input in;
	struct json_object *out = NULL, *id;
	struct dom_err e;
	int64_t seq = 0, v;

	memset(&in, 0, sizeof(in));
	in.type = "training";
	in.has_title[0] = true;
	in.title[0] = title;
	in.has_capacity = true;
	in.capacity = 10;
	in.has_venue = true;
	in.venue_id = 1;
	if (events_create(db, &organiser_a, &in, 1000, &out, &seq, &e))
		fail_msg("events_create: %s", e.message);
	assert_true(seq > 0);
	json_object_object_get_ex(out, "id", &id);
	v = json_object_get_int64(id);
	json_object_put(out);
	return v;
}

static int add_session(struct db *db, const struct principal *p, int64_t event_id, const char *start,
		       const char *end, int64_t room, int64_t facilitator, int64_t *id, struct dom_err *e)
{
	struct session_input in;
	struct json_object *out = NULL, *v;
	int rc;

	memset(&in, 0, sizeof(in));
	in.starts_local = start;
	in.ends_local = end;
	in.has_room = room > 0;
	in.room_id = room;
	in.has_facilitator = facilitator > 0;
	in.facilitator_id = facilitator;
	rc = sessions_create(db, p, event_id, &in, 2000, &out, NULL, e);
	if (!rc && id) {
		json_object_object_get_ex(out, "id", &v);
		*id = json_object_get_int64(v);
	}
	json_object_put(out);
	return rc;
}

struct booking_case {
	const char *start, *end;
	int64_t room, facilitator;
	int code;
	const char *id;
};

static void double_booking(void **state)
{
	static const struct booking_case cases[] = {
	    {"2026-10-15T12:00", "2026-10-15T14:00", 1, 0, DOM_CONFLICT, "room_conflict"},
	    {"2026-10-15T09:00", "2026-10-15T10:01", 1, 0, DOM_CONFLICT, "room_conflict"},
	    {"2026-10-15T12:00", "2026-10-15T14:00", 2, 1, DOM_CONFLICT, "facilitator_conflict"},
	    {"2026-10-15T13:00", "2026-10-15T14:00", 1, 1, 0, NULL},
	    {"2026-10-15T08:00", "2026-10-15T10:00", 1, 1, 0, NULL},
	    {"2026-10-15T10:00", "2026-10-15T13:00", 2, 0, 0, NULL},
	};
	struct fixture *f = *state;
	int64_t ev1 = make_event(f->db, "Atelier"), ev2 = make_event(f->db, "Autre"), first = 0, before;
	struct dom_err e;
	char idtext[32];

	assert_int_equal(
	    add_session(f->db, &organiser_a, ev1, "2026-10-15T10:00", "2026-10-15T13:00", 1, 1, &first, &e),
	    0);
	snprintf(idtext, sizeof(idtext), "session %lld", (long long)first);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct booking_case *c = &cases[i];

		before = fixture_int(f->db, "SELECT count(*) AS n FROM sessions");
		memset(&e, 0, sizeof(e));
		assert_int_equal(add_session(f->db, &organiser_a, ev2, c->start, c->end, c->room,
					     c->facilitator, NULL, &e),
				 c->code);
		if (!c->code)
			continue;
		assert_string_equal(e.id, c->id);
		if (!strstr(e.message, idtext) || !strstr(e.message, "Atelier") ||
		    !strstr(e.message, "2026-10-15T10:00:00"))
			fail_msg("conflict message does not name the other session: %s", e.message);
		assert_int_equal(fixture_int(f->db, "SELECT count(*) AS n FROM sessions"), before);
	}
	/* organiser of another organisation may not add sessions */
	assert_int_equal(
	    add_session(f->db, &organiser_b, ev1, "2026-11-15T10:00", "2026-11-15T11:00", 0, 0, NULL, &e),
	    DOM_FORBIDDEN);
	/* the gap and fold reach the caller with their codes and nothing is stored */
	before = fixture_int(f->db, "SELECT count(*) AS n FROM sessions");
	assert_int_equal(
	    add_session(f->db, &admin, ev1, "2026-03-22T02:30", "2026-03-22T04:00", 0, 0, NULL, &e),
	    DOM_UNPROCESSABLE);
	assert_string_equal(e.id, "nonexistent_local_time");
	assert_int_equal(
	    add_session(f->db, &admin, ev1, "2026-09-20T01:30", "2026-09-20T04:00", 0, 0, NULL, &e),
	    DOM_UNPROCESSABLE);
	assert_string_equal(e.id, "ambiguous_local_time");
	assert_int_equal(fixture_int(f->db, "SELECT count(*) AS n FROM sessions"), before);
}

static void refresh_moves_stale_instants(void **state)
{
	struct fixture *f = *state;
	int64_t ev = make_event(f->db, "Formation"), sid = 0;
	struct dom_err e;

	assert_int_equal(
	    add_session(f->db, &admin, ev, "2026-10-15T10:00", "2026-10-15T12:00", 0, 0, &sid, &e), 0);
	assert_int_equal(sessions_tz_refresh(f->db, 1800000000, &e), 0);
	fixture_exec(
	    f->db,
	    "INSERT INTO registrations (event_id, person_id, status, token_hash, created_at, updated_at) "
	    "VALUES (1, 2, 'confirmed', 'h2', 0, 0)");
	/* as if computed by an older tz database that had +01:00 that day */
	fixture_exec(f->db, "UPDATE sessions SET start_utc = start_utc - 3600, end_utc = end_utc - 3600, "
			    "start_offset = 3600, end_offset = 3600");
	assert_int_equal(sessions_tz_refresh(f->db, 1800000000, &e), 1);
	/* the caller's time is the session's updated_at and its rows' time */
	assert_int_equal(fixture_int(f->db, "SELECT updated_at AS n FROM sessions"), 1800000000);
	assert_int_equal(fixture_int(f->db, "SELECT created_at AS n FROM change_log WHERE kind = "
					    "'session.time_changed'"),
			 1800000000);
	assert_int_equal(fixture_int(f->db, "SELECT created_at AS n FROM outbox WHERE kind = "
					    "'session.time_changed'"),
			 1800000000);
	assert_int_equal(fixture_int(f->db, "SELECT start_utc AS n FROM sessions"), 1792058400);
	assert_int_equal(fixture_int(f->db, "SELECT start_offset AS n FROM sessions"), 0);
	assert_int_equal(fixture_int(f->db, "SELECT sequence AS n FROM sessions"), 1);
	assert_int_equal(
	    fixture_int(f->db, "SELECT count(*) AS n FROM outbox WHERE kind = 'session.time_changed'"), 1);
	assert_int_equal(
	    fixture_int(f->db, "SELECT count(*) AS n FROM change_log WHERE kind = 'session.time_changed'"),
	    1);
	assert_int_equal(sessions_tz_refresh(f->db, 1800000000, &e), 0);
}

static void render_has_offsets_and_warnings(void **state)
{
	struct session_row s;
	struct json_object *o, *v;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.id = 7;
	s.event_id = 1;
	snprintf(s.starts_local, sizeof(s.starts_local), "2026-03-22T01:00:00");
	snprintf(s.ends_local, sizeof(s.ends_local), "2026-03-22T04:00:00");
	snprintf(s.tz, sizeof(s.tz), "%s", TZ_DEFAULT_ZONE);
	s.start_utc = 1774141200; /* 01:00Z at +00:00 */
	s.end_utc = 1774148400;	  /* 04:00 at +01:00 = 03:00Z */
	s.start_offset = 0;
	s.end_offset = H;
	o = sessions_render(&s);
	json_object_object_get_ex(o, "starts_at", &v);
	assert_string_equal(json_object_get_string(v), "2026-03-22T01:00:00+00:00");
	json_object_object_get_ex(o, "ends_at", &v);
	assert_string_equal(json_object_get_string(v), "2026-03-22T04:00:00+01:00");
	json_object_object_get_ex(o, "ends_utc", &v);
	assert_string_equal(json_object_get_string(v), "2026-03-22T03:00:00Z");
	json_object_object_get_ex(o, "warnings", &v);
	assert_int_equal(json_object_array_length(v), 1);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(overlap_rule),
	    cmocka_unit_test(tz_error_mapping),
	    cmocka_unit_test(resolve_wall_times),
	    cmocka_unit_test(render_has_offsets_and_warnings),
	    cmocka_unit_test_setup_teardown(double_booking, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(refresh_moves_stale_instants, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
