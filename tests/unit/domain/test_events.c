/* test_events: domain/events in-process on the unit fixture's store — cancelling an event cancels its live
 * registrations, notifies those who held a place, bumps its sequence and logs one change; it seeds rows
 * with plain SQL and never starts a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "domain/events.h"
#include "fixture.h"
#include "store/db.h"

/* One per test: the fixture's organisations and events, people 2 and 3 of organisation A, and their
 * registrations to event 1 (2 confirmed, 3 declined). */
static int setup(void **state)
{
	return fixture_setup(
	    state, "events", FIXTURE_EVENTS,
	    "INSERT INTO people (id, org_id, name, sex, created_at, updated_at) VALUES "
	    "(2, 1, 'P2', 'male', 0, 0), (3, 1, 'P3', 'female', 0, 0);"
	    "INSERT INTO registrations (event_id, person_id, status, token_hash, created_at, updated_at) "
	    "VALUES (1, 2, 'confirmed', 'h2', 0, 0), (1, 3, 'declined', 'h3', 0, 0)");
}

static void cancel_cancels_registrations(void **state)
{
	struct fixture *f = *state;
	struct json_object *out = NULL;
	struct dom_err e;
	int64_t seq = 0;

	assert_int_equal(events_cancel(f->db, &f->organiser_b, f->event, f->now, &out, &seq, &e),
			 DOM_FORBIDDEN);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(events_cancel(f->db, &f->organiser_a, f->event, f->now, &out, &seq, &e), 0);
	json_object_put(out);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM registrations WHERE status = 'cancelled'"),
			 1);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM registrations WHERE status = 'declined'"),
			 1);
	assert_int_equal(
	    fixture_int(f->db,
			"SELECT count(*) FROM outbox WHERE kind = 'event.cancelled' AND person_id = 2"),
	    1);
	assert_int_equal(fixture_int(f->db, "SELECT sequence FROM events WHERE id = 1"), 1);
	assert_int_equal(fixture_int(f->db, "SELECT count(*) FROM change_log WHERE kind = 'event.cancelled' "
					    "AND topic = 'event:1' AND org_id = 1"),
			 1);
	assert_true(seq > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(cancel_cancels_registrations, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
