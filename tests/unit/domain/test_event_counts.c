/* test_event_counts: an event's numbers match its rows — registrations by status, the confirmed by sex,
 * presence per session by sex in start order — and an unknown event is not found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "domain/event_counts.h"
#include "fixture.h"
#include "store/db.h"

static const char seed[] =
    "INSERT INTO sessions (id, event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, "
    "end_offset, created_at, updated_at) VALUES "
    "(2, 1, '2027-05-01T09:00:00', '2027-05-01T10:00:00', 'UTC', 1809162000, 1809165600, 0, 0, 0, 0);"
    "INSERT INTO people (id, org_id, name, sex, created_at, updated_at) VALUES "
    "(1, 1, 'P1', 'female', 0, 0), (2, 1, 'P2', 'female', 0, 0), (3, 1, 'P3', 'male', 0, 0), "
    "(4, 1, 'P4', 'unspecified', 0, 0), (5, 1, 'P5', 'male', 0, 0), (6, 1, 'P6', 'female', 0, 0), "
    "(7, 1, 'P7', 'male', 0, 0);"
    "INSERT INTO registrations (id, event_id, person_id, status, token_hash, waitlist_seq, created_at, "
    "updated_at) VALUES (1, 1, 1, 'confirmed', 't1', NULL, 0, 0), (2, 1, 2, 'confirmed', 't2', NULL, 0, 0), "
    "(3, 1, 3, 'confirmed', 't3', NULL, 0, 0), (4, 1, 4, 'confirmed', 't4', NULL, 0, 0), "
    "(5, 1, 5, 'waitlisted', 't5', 9, 0, 0), (6, 1, 6, 'pending', 't6', NULL, 0, 0), "
    "(7, 1, 7, 'cancelled', 't7', NULL, 0, 0), (8, 2, 1, 'confirmed', 't8', NULL, 0, 0);"
    "INSERT INTO attendance (session_id, registration_id, status, method, recorded_at) VALUES "
    "(1, 1, 'present', 'qr', 0), (1, 3, 'present', 'qr', 0), (1, 2, 'absent', 'manual', 0), "
    "(2, 4, 'present', 'manual', 0);";

static void counts_match_the_rows(void **state)
{
	struct fixture *fx = *state;
	struct event_counts c;
	struct dom_err err;
	struct json_object *o, *v;

	assert_int_equal(event_counts_get(fx->db, fx->event, &c, &err), DOM_OK);
	assert_int_equal(c.event_id, 1);
	assert_int_equal(c.capacity, 10);
	assert_int_equal(c.confirmed, 4);
	assert_int_equal(c.waitlisted, 1);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.confirmed_women, 2);
	assert_int_equal(c.confirmed_men, 1);
	assert_int_equal(c.confirmed_unspecified, 1);
	assert_int_equal(c.n_sessions, 2);
	/* start order: session 2 (May) before session 1 (June) */
	assert_int_equal(c.sessions[0].session_id, 2);
	assert_int_equal(c.sessions[0].present, 1);
	assert_int_equal(c.sessions[0].present_unspecified, 1);
	assert_int_equal(c.sessions[1].session_id, 1);
	assert_int_equal(c.sessions[1].present, 2);
	assert_int_equal(c.sessions[1].present_women, 1);
	assert_int_equal(c.sessions[1].present_men, 1);
	o = event_counts_json(&c);
	assert_string_equal(
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"capacity\":10,\"confirmed\":4,\"pending\":1,\"waitlisted\":1,"
	    "\"confirmed_by_sex\":{\"female\":2,\"male\":1,\"unspecified\":1},\"sessions\":["
	    "{\"id\":2,\"present\":1,\"present_by_sex\":{\"female\":0,\"male\":0,\"unspecified\":1}},"
	    "{\"id\":1,\"present\":2,\"present_by_sex\":{\"female\":1,\"male\":1,\"unspecified\":0}}]}");
	assert_false(strstr(json_object_to_json_string(o), "P1"));
	assert_true(json_object_object_get_ex(o, "sessions", &v));
	json_object_put(o);
	event_counts_free(&c);
	event_counts_free(&c); /* twice is harmless */
	event_counts_free(NULL);

	/* an event without sessions or registrations */
	assert_int_equal(event_counts_get(fx->db, fx->event_b, &c, &err), DOM_OK);
	assert_int_equal(c.confirmed, 1);
	assert_int_equal(c.n_sessions, 0);
	assert_null(c.sessions);
	event_counts_free(&c);
}

static void unknown_event_is_not_found(void **state)
{
	struct fixture *fx = *state;
	struct event_counts c;
	struct dom_err err;

	assert_int_equal(event_counts_get(fx->db, 99, &c, &err), DOM_NOT_FOUND);
	assert_null(c.sessions);
	event_counts_free(&c);
}

static int setup(void **state)
{
	return fixture_setup(state, "counts", FIXTURE_EVENTS, seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(counts_match_the_rows, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(unknown_event_is_not_found, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
