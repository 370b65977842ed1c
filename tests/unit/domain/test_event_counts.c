/* test_event_counts: the registration and presence counters equal a full recount after every kind of
 * change (register, waitlist, approve, reject, cancel, decline, reopen, promote by itself and by hand with
 * a seat added, check-in and its undo, a change of sex, erasure, a session deleted, an event cancelled, the
 * demo load, rows written with plain SQL), and event_counts_get and event_counts_json show them; an unknown
 * event is not found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "domain/attendance.h"
#include "domain/demo.h"
#include "domain/event_counts.h"
#include "domain/events.h"
#include "domain/people.h"
#include "domain/registrations.h"
#include "domain/sessions.h"
#include "fixture.h"
#include "store/db.h"

/* One per test: a fresh store with events 1 (capacity 2, sessions 1 and 2) and 2 (needs approval,
 * capacity 1), and a counter for the participants' e-mail addresses. */
struct fx {
	struct fixture fx;
	int n;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	fixture_open(&f->fx, "counts", FIXTURE_EVENTS);
	fixture_exec(f->fx.db,
		     "UPDATE events SET capacity = 2 WHERE id = 1;"
		     "UPDATE events SET capacity = 1, needs_approval = 1 WHERE id = 2;"
		     "INSERT INTO sessions (id, event_id, starts_local, ends_local, tz, start_utc, end_utc, "
		     "start_offset, end_offset, created_at, updated_at) VALUES (2, 1, '2027-05-01T09:00:00', "
		     "'2027-05-01T12:00:00', 'UTC', 1809162000, 1809172800, 0, 0, 1800000000, 1800000000);");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	fixture_close(&f->fx);
	free(f);
	return 0;
}

/* The counters equal a recount, and event_counts_get agrees with the recount for event ev. */
static void check(struct fx *f, int64_t ev)
{
	static const char *const sexes[] = {"female", "male", "unspecified"};
	struct event_counts c;
	struct dom_err err = {0};
	int64_t by_sex[3];
	char sql[256];

	fixture_assert_counts(f->fx.db);
	assert_int_equal(event_counts_get(f->fx.db, ev, &c, &err), DOM_OK);
	assert_int_equal(c.event_id, ev);
	snprintf(sql, sizeof(sql), "SELECT capacity FROM events WHERE id = %lld", (long long)ev);
	assert_int_equal(c.capacity, fixture_int(f->fx.db, sql));
	for (int i = 0; i < 3; i++) {
		static const char *const statuses[] = {"confirmed", "pending", "waitlisted"};
		const int64_t got[] = {c.confirmed, c.pending, c.waitlisted};

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM registrations WHERE event_id = %lld AND status = '%s'",
			 (long long)ev, statuses[i]);
		assert_int_equal(got[i], fixture_int(f->fx.db, sql));
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM registrations r JOIN people p ON p.id = r.person_id "
			 "WHERE r.event_id = %lld AND r.status = 'confirmed' AND p.sex = '%s'",
			 (long long)ev, sexes[i]);
		by_sex[i] = fixture_int(f->fx.db, sql);
	}
	assert_int_equal(c.confirmed_women, by_sex[0]);
	assert_int_equal(c.confirmed_men, by_sex[1]);
	assert_int_equal(c.confirmed_unspecified, by_sex[2]);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE event_id = %lld", (long long)ev);
	assert_int_equal(c.n_sessions, fixture_int(f->fx.db, sql));
	for (int i = 0; i < c.n_sessions; i++) {
		const struct session_counts *s = &c.sessions[i];
		const int64_t got[] = {s->present_women, s->present_men, s->present_unspecified};

		/* in start order */
		snprintf(
		    sql, sizeof(sql),
		    "SELECT id FROM sessions WHERE event_id = %lld ORDER BY start_utc, id LIMIT 1 OFFSET %d",
		    (long long)ev, i);
		assert_int_equal(s->session_id, fixture_int(f->fx.db, sql));
		for (int k = 0; k < 3; k++) {
			snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM attendance a JOIN registrations r ON r.id = "
				 "a.registration_id "
				 "JOIN people p ON p.id = r.person_id WHERE a.session_id = %lld "
				 "AND a.status = 'present' AND p.sex = '%s'",
				 (long long)s->session_id, sexes[k]);
			assert_int_equal(got[k], fixture_int(f->fx.db, sql));
		}
		assert_int_equal(s->present, got[0] + got[1] + got[2]);
	}
	event_counts_free(&c);
}

/* Registers a new person of sex (NULL: not given) to ev; returns the registration id, token in tok. */
static int64_t reg(struct fx *f, int64_t ev, const char *sex, char tok[64])
{
	char email[64];

	snprintf(email, sizeof(email), "c%d@example.org", ++f->n);
	return fixture_register(&f->fx, ev, email, sex, NULL, tok, 64, NULL);
}

/* Registers the person of e-mail number k again (they cancelled or declined: the registration reopens). */
static void reg_again(struct fx *f, int64_t ev, int k)
{
	struct principal anon = {0};
	struct reg_input in = {0};
	struct reg_result res;
	struct dom_err err = {0};
	char email[64];

	snprintf(email, sizeof(email), "c%d@example.org", k);
	in.name = "Participant";
	in.email = email;
	in.consent = in.has_consent = true;
	assert_int_equal(registrations_create(f->fx.db, NULL, &anon, ev, &in, NULL, f->fx.now, &res, &err),
			 0);
	assert_non_null(json_object_object_get(res.json, "reopened"));
	json_object_put(res.json);
}

static const char *status_of(struct fx *f, int64_t reg_id)
{
	static char buf[16];
	char sql[200];
	int64_t k;

	snprintf(sql, sizeof(sql),
		 "SELECT CASE status WHEN 'confirmed' THEN 1 WHEN 'waitlisted' THEN 2 WHEN 'pending' THEN 3 "
		 "ELSE 0 END FROM registrations WHERE id = %lld",
		 (long long)reg_id);
	k = fixture_int(f->fx.db, sql);
	snprintf(buf, sizeof(buf), "%s",
		 k == 1	  ? "confirmed"
		 : k == 2 ? "waitlisted"
		 : k == 3 ? "pending"
			  : "closed");
	return buf;
}

static void self(struct fx *f, const char *tok, enum reg_self_action a)
{
	struct json_object *out = NULL;
	struct dom_err err = {0};
	int64_t seq = 0;

	assert_int_equal(registrations_self(f->fx.db, tok, a, f->fx.now, &out, &seq, &err), DOM_OK);
	json_object_put(out);
}

static void org(struct fx *f, int64_t reg_id, enum reg_org_action a)
{
	struct json_object *out = NULL;
	struct dom_err err = {0};
	int64_t seq = 0;

	assert_int_equal(
	    registrations_org_action(f->fx.db, &f->fx.admin, reg_id, a, f->fx.now, &out, &seq, &err), DOM_OK);
	json_object_put(out);
}

static void att(struct fx *f, int64_t session, int64_t reg_id, const char *status)
{
	struct att_input in = {.registration_id = reg_id, .status = status, .method = "manual"};
	struct json_object *out = NULL;
	struct dom_err err = {0};
	int64_t seq = 0;
	bool created;

	assert_int_equal(
	    attendance_record(f->fx.db, &f->fx.admin, session, &in, f->fx.now, &out, &created, &seq, &err),
	    DOM_OK);
	json_object_put(out);
}

static int64_t person_of(struct fx *f, int64_t reg_id)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "SELECT person_id FROM registrations WHERE id = %lld", (long long)reg_id);
	return fixture_int(f->fx.db, sql);
}

static void every_change_keeps_the_counts(void **state)
{
	struct fx *f = *state;
	struct json_object *out = NULL;
	struct dom_err err = {0};
	struct people_input pin = {0};
	struct event_input ein = {0};
	struct reg_promote_input raise = {.raise_capacity = true};
	char tok[8][64];
	int64_t r[8], seq = 0;

	check(f, 1);
	/* event 1, capacity 2: two confirmed, then the waitlist */
	r[0] = reg(f, 1, "female", tok[0]);
	r[1] = reg(f, 1, "male", tok[1]);
	r[2] = reg(f, 1, NULL, tok[2]);
	r[3] = reg(f, 1, "female", tok[3]);
	assert_string_equal(status_of(f, r[1]), "confirmed");
	assert_string_equal(status_of(f, r[3]), "waitlisted");
	check(f, 1);
	/* event 2 needs approval, capacity 1: pending, approved (seat, then waitlist), rejected */
	r[4] = reg(f, 2, "male", tok[4]);
	r[5] = reg(f, 2, "female", tok[5]);
	r[6] = reg(f, 2, "unspecified", tok[6]);
	check(f, 2);
	org(f, r[4], REG_ORG_APPROVE);
	org(f, r[5], REG_ORG_APPROVE);
	assert_string_equal(status_of(f, r[5]), "waitlisted");
	org(f, r[6], REG_ORG_REJECT);
	check(f, 2);
	/* check-in, another status, undo */
	att(f, 1, r[0], "present");
	att(f, 1, r[1], "present");
	att(f, 2, r[0], "present");
	check(f, 1);
	att(f, 1, r[1], "absent");
	att(f, 2, r[1], "excused");
	check(f, 1);
	/* a person's sex changes: registrations and presence move */
	pin.has_sex = true;
	pin.sex = "male";
	assert_int_equal(
	    people_update(f->fx.db, &f->fx.admin, person_of(f, r[0]), &pin, f->fx.now, &out, &seq, &err),
	    DOM_OK);
	json_object_put(out);
	check(f, 1);
	/* erasure keeps the counts */
	assert_int_equal(
	    people_erase(f->fx.db, &f->fx.admin, person_of(f, r[3]), f->fx.now, &out, &seq, &err), DOM_OK);
	json_object_put(out);
	check(f, 1);
	/* the confirmed cancels: the first waitlisted is promoted; the promoted declines: the next too */
	self(f, tok[0], REG_SELF_CANCEL);
	assert_string_equal(status_of(f, r[2]), "confirmed");
	check(f, 1);
	self(f, tok[2], REG_SELF_DECLINE);
	assert_string_equal(status_of(f, r[3]), "confirmed");
	check(f, 1);
	/* the organiser cancels a seat (nobody waits); the first registrant comes back */
	org(f, r[3], REG_ORG_CANCEL);
	reg_again(f, 1, 1);
	assert_string_equal(status_of(f, r[0]), "confirmed");
	check(f, 1);
	/* a waitlisted registration cancelled on event 2; capacity raised on event 1 */
	r[7] = reg(f, 1, "female", tok[7]);
	assert_string_equal(status_of(f, r[7]), "waitlisted");
	self(f, tok[5], REG_SELF_CANCEL);
	check(f, 2);
	/* promoted by hand into a seat added for it */
	assert_int_equal(
	    registrations_org_promote(f->fx.db, &f->fx.admin, r[7], &raise, f->fx.now, &out, &seq, &err),
	    DOM_OK);
	json_object_put(out);
	assert_string_equal(status_of(f, r[7]), "confirmed");
	assert_int_equal(fixture_int(f->fx.db, "SELECT capacity FROM events WHERE id = 1"), 3);
	check(f, 1);
	ein.has_capacity = true;
	ein.capacity = 5;
	assert_int_equal(events_update(f->fx.db, &f->fx.admin, 1, &ein, f->fx.now, &out, &seq, &err), DOM_OK);
	json_object_put(out);
	assert_string_equal(status_of(f, r[7]), "confirmed");
	check(f, 1);
	/* a session deleted takes its presence with it */
	assert_int_equal(sessions_delete(f->fx.db, &f->fx.admin, 2, f->fx.now, &seq, &err), DOM_OK);
	check(f, 1);
	/* the event cancelled: every live registration is cancelled */
	assert_int_equal(events_cancel(f->fx.db, &f->fx.admin, 1, f->fx.now, &out, &seq, &err), DOM_OK);
	json_object_put(out);
	check(f, 1);
	check(f, 2);
}

static void json_shape(void **state)
{
	struct fx *f = *state;
	struct event_counts c;
	struct dom_err err = {0};
	struct json_object *o, *s;
	char tok[3][64];
	int64_t r;

	r = reg(f, 1, "female", tok[0]);
	reg(f, 1, "male", tok[1]);
	reg(f, 1, "female", tok[2]);
	att(f, 1, r, "present");
	assert_int_equal(event_counts_get(f->fx.db, 1, &c, &err), DOM_OK);
	o = event_counts_json(&c);
	assert_string_equal(
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"capacity\":2,\"confirmed\":2,\"pending\":0,\"waitlisted\":1,"
	    "\"confirmed_by_sex\":{\"female\":1,\"male\":1,\"unspecified\":0},\"sessions\":["
	    "{\"id\":2,\"present\":0,\"present_by_sex\":{\"female\":0,\"male\":0,\"unspecified\":0}},"
	    "{\"id\":1,\"present\":1,\"present_by_sex\":{\"female\":1,\"male\":0,\"unspecified\":0}}]}");
	json_object_put(o);
	event_counts_free(&c);
	event_counts_free(&c); /* twice is harmless */
	event_counts_free(NULL);
	/* no such event */
	assert_int_equal(event_counts_get(f->fx.db, 99, &c, &err), DOM_NOT_FOUND);
	/* an event without sessions or registrations */
	assert_int_equal(event_counts_get(f->fx.db, 2, &c, &err), DOM_OK);
	assert_int_equal(c.n_sessions, 0);
	assert_null(c.sessions);
	o = event_counts_json(&c);
	assert_true(json_object_object_get_ex(o, "sessions", &s));
	assert_int_equal(json_object_array_length(s), 0);
	json_object_put(o);
	event_counts_free(&c);
}

static void demo_load_keeps_the_counts(void **state)
{
	struct fixture fx;
	struct dom_err err = {0};

	(void)state;
	fixture_open(&fx, "counts-demo", FIXTURE_EMPTY);
	assert_int_equal(demo_load(fx.db, FIXTURE_NOW, &err), DOM_OK);
	assert_true(fixture_int(fx.db, "SELECT count(*) FROM presence_counts WHERE n > 0") > 0);
	fixture_assert_counts(fx.db);
	fixture_close(&fx);
}

/* Rows written with plain SQL (the counters follow them too): event 1 with every status and sex. */
static const char rows_seed[] =
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

	fixture_assert_counts(fx->db);
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

static int setup_rows(void **state)
{
	return fixture_setup(state, "counts", FIXTURE_EVENTS, rows_seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(every_change_keeps_the_counts, setup, teardown),
	    cmocka_unit_test_setup_teardown(json_shape, setup, teardown),
	    cmocka_unit_test(demo_load_keeps_the_counts),
	    cmocka_unit_test_setup_teardown(counts_match_the_rows, setup_rows, fixture_teardown),
	    cmocka_unit_test_setup_teardown(unknown_event_is_not_found, setup_rows, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
