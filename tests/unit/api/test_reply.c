/*
 * test_reply: the tails of api/reply.h through the router (tests/unit/api/harness) — rights before the
 * body in every module that writes through them (events, sessions, registrations, calendar tokens, people,
 * notifications, API tokens, accounts, attendance): a caller who may not make a write or an action is told
 * so whatever the body's fields hold (403, or 404 for what it may not see, as for what does not exist),
 * malformed JSON is 400 whoever sends it, and nothing is stored or announced; it opens no socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/api_tokens.h"
#include "harness.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* One per test: the harness (admin, organisers of A and B) and a viewer of A. */
struct reply_test {
	struct harness h;
	char viewer[SECRET_TOKEN_LEN + 1];
};

static int setup(void **state)
{
	static struct reply_test t;
	struct dom_err err = {0};
	int64_t id = 0;

	harness_open(&t.h, "api_reply", FIXTURE_EVENTS);
	if (api_tokens_create(t.h.fx.db, ROLE_VIEWER, t.h.fx.org_a, "unit", t.h.fx.now, t.viewer, &id, &err))
		fail_msg("viewer token: %s", err.message);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct reply_test *t = *state;

	harness_close(&t->h);
	return 0;
}

/* Sends body (JSON) to path as bearer; the integer at the keys' path (NULL-terminated) of the 201 answer. */
static int64_t created(struct harness *h, const char *path, const char *body, const char *bearer, ...)
{
	struct harness_resp r;
	struct json_object *o;
	const char *key;
	int64_t id;
	va_list ap;

	harness_call(
	    h, &(struct harness_req){.method = HTTP_POST, .path = path, .body = body, .bearer = bearer}, &r);
	o = r.json;
	va_start(ap, bearer);
	for (key = va_arg(ap, const char *); o && key; key = va_arg(ap, const char *))
		if (!json_object_object_get_ex(o, key, &o))
			o = NULL;
	va_end(ap);
	if (r.status != 201 || !o)
		fail_msg("POST %s: %d %.*s", path, r.status, (int)r.resp.body.len, r.resp.body.data);
	id = json_object_get_int64(o);
	harness_resp_free(&r);
	return id;
}

/* A write that bearer may not make, and the answer it must get whatever the body holds; a case whose
 * status is 400 is a control: who may write is told what is wrong with the same body. */
struct refusal {
	enum http_method method;
	const char *path;
	const char *bearer;
	int status;
};

/* Sends each case with body (well-formed, with wrong fields), then with malformed JSON (400 for
 * everyone); afterwards no row of the store changed and the change sink was not told. */
static void refusals(struct harness *h, const struct refusal *cases, size_t n, const char *body)
{
	const char *bodies[] = {body, "{\"name\": "};
	int64_t writes = fixture_int(h->fx.db, "SELECT total_changes()");
	int told = h->n_changed;
	struct harness_resp r;

	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < N_ELEMS(bodies); k++) {
			int want = k ? 400 : cases[i].status;

			harness_call(h,
				     &(struct harness_req){.method = cases[i].method,
							   .path = cases[i].path,
							   .body = bodies[k],
							   .bearer = cases[i].bearer},
				     &r);
			if (r.status != want)
				fail_msg("case %zu: %s %s with %s: %d, want %d: %.*s", i,
					 http_method_name(cases[i].method), cases[i].path, bodies[k],
					 r.status, want, (int)r.resp.body.len, r.resp.body.data);
			harness_resp_free(&r);
		}
	}
	assert_int_equal(fixture_int(h->fx.db, "SELECT total_changes()"), writes);
	assert_int_equal(h->n_changed, told);
}

/* Events: event 1 is A's (public), event 2 B's made internal (A does not see it), 999999 none. */
static void test_events(void **state)
{
	struct reply_test *t = *state;
	struct harness *h = &t->h;
	const struct refusal cases[] = {
	    {HTTP_POST, "/api/v1/events", t->viewer, 403},
	    {HTTP_PATCH, "/api/v1/events/1", t->viewer, 403},
	    {HTTP_PATCH, "/api/v1/events/1", h->organiser_b, 403},
	    {HTTP_PATCH, "/api/v1/events/2", h->organiser_a, 404},
	    {HTTP_PATCH, "/api/v1/events/999999", h->admin, 404},
	    {HTTP_POST, "/api/v1/events/1/cancel", h->organiser_b, 403},
	    {HTTP_POST, "/api/v1/events/2/cancel", h->organiser_a, 404},
	    {HTTP_POST, "/api/v1/events/999999/cancel", h->admin, 404},
	    {HTTP_PATCH, "/api/v1/events/1", h->organiser_a, 400},
	    {HTTP_POST, "/api/v1/events/1/cancel", h->admin, 400},
	};

	fixture_exec(h->fx.db, "UPDATE events SET visibility = 'internal' WHERE id = 2");
	refusals(h, cases, N_ELEMS(cases), "{\"capacity\": \"many\", \"bogus\": 1}");
}

/* Sessions: session 1 of A's event 1; a session of B's event 2, made internal. */
static void test_sessions(void **state)
{
	struct reply_test *t = *state;
	struct harness *h = &t->h;
	char hidden[48];
	int64_t sid =
	    created(h, "/api/v1/events/2/sessions",
		    "{\"starts_local\": \"2027-03-11T10:00\", \"ends_local\": \"2027-03-11T12:00\"}",
		    h->admin, "id", NULL);
	const struct refusal cases[] = {
	    {HTTP_POST, "/api/v1/events/1/sessions", t->viewer, 403},
	    {HTTP_POST, "/api/v1/events/1/sessions", h->organiser_b, 403},
	    {HTTP_POST, "/api/v1/events/2/sessions", h->organiser_a, 404},
	    {HTTP_POST, "/api/v1/events/999999/sessions", h->admin, 404},
	    {HTTP_PATCH, "/api/v1/sessions/1", t->viewer, 403},
	    {HTTP_PATCH, "/api/v1/sessions/1", h->organiser_b, 403},
	    {HTTP_PATCH, hidden, h->organiser_a, 404},
	    {HTTP_PATCH, "/api/v1/sessions/999999", h->admin, 404},
	    {HTTP_PATCH, "/api/v1/sessions/1", h->organiser_a, 400},
	    {HTTP_POST, "/api/v1/events/1/sessions", h->admin, 400},
	};

	snprintf(hidden, sizeof(hidden), "/api/v1/sessions/%lld", (long long)sid);
	fixture_exec(h->fx.db, "UPDATE events SET visibility = 'internal' WHERE id = 2");
	refusals(h, cases, N_ELEMS(cases), "{\"starts_local\": 12, \"bogus\": 1}");
}

/* The organisers' actions on a registration to A's event 1 (organiser B may not see it). */
static void test_registrations(void **state)
{
	static const char *const actions[] = {"approve", "reject", "cancel", "send-link"};
	struct reply_test *t = *state;
	struct harness *h = &t->h;
	struct refusal cases[4 * N_ELEMS(actions)];
	char paths[N_ELEMS(actions)][2][64];
	int64_t reg = created(h, "/api/v1/events/1/registrations",
			      "{\"name\": \"Amal Ayad\", \"email\": \"amal@example.org\", \"consent\": true}",
			      h->admin, "registration", "id", NULL);
	size_t n = 0;

	for (size_t i = 0; i < N_ELEMS(actions); i++) {
		snprintf(paths[i][0], sizeof(paths[i][0]), "/api/v1/registrations/%lld/%s", (long long)reg,
			 actions[i]);
		snprintf(paths[i][1], sizeof(paths[i][1]), "/api/v1/registrations/999999/%s", actions[i]);
		cases[n++] = (struct refusal){HTTP_POST, paths[i][0], t->viewer, 403};
		cases[n++] = (struct refusal){HTTP_POST, paths[i][0], h->organiser_b, 404};
		cases[n++] = (struct refusal){HTTP_POST, paths[i][1], h->admin, 404};
		cases[n++] = (struct refusal){HTTP_POST, paths[i][0], h->organiser_a, 400};
	}
	refusals(h, cases, n, "{\"status\": \"confirmed\"}");
}

/* Calendar tokens: a feed token of organisation A (organiser B may not see it). */
static void test_calendar_tokens(void **state)
{
	struct reply_test *t = *state;
	struct harness *h = &t->h;
	char rotate[64];
	int64_t tok = created(h, "/api/v1/calendar-tokens",
			      "{\"owner_kind\": \"organisation\", \"owner_id\": 1}", h->admin, "id", NULL);
	const struct refusal cases[] = {
	    {HTTP_POST, "/api/v1/calendar-tokens", t->viewer, 403},
	    {HTTP_POST, rotate, t->viewer, 403},
	    {HTTP_POST, rotate, h->organiser_b, 404},
	    {HTTP_POST, "/api/v1/calendar-tokens/999999/rotate", h->admin, 404},
	    {HTTP_POST, "/api/v1/calendar-tokens", h->organiser_a, 400},
	    {HTTP_POST, rotate, h->organiser_a, 400},
	};

	snprintf(rotate, sizeof(rotate), "/api/v1/calendar-tokens/%lld/rotate", (long long)tok);
	refusals(h, cases, N_ELEMS(cases), "{\"owner_kind\": \"planet\", \"bogus\": 1}");
}

/* People (recorded, changed, erased) and notifications (sent again): a participant of A and the mail of
 * their registration (organiser B may see neither). */
static void test_people_and_notifications(void **state)
{
	struct reply_test *t = *state;
	struct harness *h = &t->h;
	char one[48], erase[64], resend[64];
	int64_t person, mail;
	const struct refusal cases[] = {
	    {HTTP_POST, "/api/v1/people", t->viewer, 403},
	    {HTTP_PATCH, one, t->viewer, 403},
	    {HTTP_PATCH, one, h->organiser_b, 404},
	    {HTTP_PATCH, "/api/v1/people/999999", h->admin, 404},
	    {HTTP_POST, erase, t->viewer, 403},
	    {HTTP_POST, erase, h->organiser_b, 404},
	    {HTTP_POST, "/api/v1/people/999999/erase", h->admin, 404},
	    {HTTP_POST, resend, t->viewer, 403},
	    {HTTP_POST, resend, h->organiser_b, 404},
	    {HTTP_POST, "/api/v1/notifications/999999/resend", h->admin, 404},
	    {HTTP_PATCH, one, h->organiser_a, 400},
	    {HTTP_POST, erase, h->organiser_a, 400},
	    {HTTP_POST, resend, h->organiser_a, 400},
	};

	created(h, "/api/v1/events/1/registrations",
		"{\"name\": \"Amal Ayad\", \"email\": \"amal@example.org\", \"consent\": true}", h->admin,
		"registration", "id", NULL);
	person = fixture_int(h->fx.db, "SELECT person_id FROM registrations WHERE event_id = 1");
	mail = fixture_int(h->fx.db, "SELECT min(id) FROM outbox WHERE event_id = 1");
	assert_true(person > 0 && mail > 0);
	snprintf(one, sizeof(one), "/api/v1/people/%lld", (long long)person);
	snprintf(erase, sizeof(erase), "/api/v1/people/%lld/erase", (long long)person);
	snprintf(resend, sizeof(resend), "/api/v1/notifications/%lld/resend", (long long)mail);
	refusals(h, cases, N_ELEMS(cases), "{\"sex\": \"robot\", \"bogus\": 1}");
}

/* API tokens and accounts (an organiser's account of A, the viewer's account of A, another of B) and
 * attendance at session 1 of A's event 1 (a session of B's event 2, made internal, A does not see). */
static void test_tokens_accounts_attendance(void **state)
{
	struct reply_test *t = *state;
	struct harness *h = &t->h;
	char org_a[48], org_b[48], hidden[64];
	int64_t sid =
	    created(h, "/api/v1/events/2/sessions",
		    "{\"starts_local\": \"2027-03-11T10:00\", \"ends_local\": \"2027-03-11T12:00\"}",
		    h->admin, "id", NULL);
	const struct refusal cases[] = {
	    {HTTP_POST, "/api/v1/tokens", t->viewer, 403},
	    {HTTP_POST, "/api/v1/accounts", t->viewer, 403},
	    {HTTP_PATCH, org_a, h->organiser_b, 404},
	    {HTTP_PATCH, org_b, h->organiser_a, 404},
	    {HTTP_PATCH, org_a, t->viewer, 404},
	    {HTTP_PATCH, "/api/v1/accounts/999999", h->admin, 404},
	    {HTTP_POST, "/api/v1/sessions/1/attendance", t->viewer, 403},
	    {HTTP_POST, "/api/v1/sessions/1/attendance", h->organiser_b, 403},
	    {HTTP_POST, hidden, h->organiser_a, 404},
	    {HTTP_POST, "/api/v1/sessions/999999/attendance", h->admin, 404},
	    {HTTP_POST, "/api/v1/tokens", h->organiser_a, 400},
	    {HTTP_POST, "/api/v1/accounts", h->organiser_a, 400},
	    {HTTP_PATCH, org_b, h->admin, 400},
	    {HTTP_POST, "/api/v1/sessions/1/attendance", h->organiser_a, 400},
	};

	snprintf(org_a, sizeof(org_a), "/api/v1/accounts/%lld",
		 (long long)fixture_account(h->fx.db, "a@example.org", ROLE_ORGANISER, h->fx.org_a));
	snprintf(org_b, sizeof(org_b), "/api/v1/accounts/%lld",
		 (long long)fixture_account(h->fx.db, "b@example.org", ROLE_CHECKIN, h->fx.org_b));
	snprintf(hidden, sizeof(hidden), "/api/v1/sessions/%lld/attendance", (long long)sid);
	fixture_exec(h->fx.db, "UPDATE events SET visibility = 'internal' WHERE id = 2");
	refusals(h, cases, N_ELEMS(cases), "{\"role\": \"emperor\", \"bogus\": 1}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_registrations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_calendar_tokens, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_people_and_notifications, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tokens_accounts_attendance, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
