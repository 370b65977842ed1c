/* test_registrations: capacity, waitlist, approval and promotion rules of domain/registrations, and the
 * lost-link request, on a fresh SQLite file, in-process and table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "domain/registrations.h"
#include "fixture.h"
#include "store/db.h"
#include "store/db_test.h"

/* One per test: a fresh store (tests/unit/fixture) with organisations 1 and 2, and a counter for the
 * participants' e-mail addresses. */
struct fx {
	struct fixture fx;
	int n;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	fixture_open(&f->fx, "registrations", FIXTURE_ORGS);
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

/* A public event of org 1 with the given capacity and approval rule; returns its id. */
static int64_t add_event(struct fx *f, int64_t capacity, int needs_approval)
{
	char sql[256];

	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO events (type, title_fr, org_id, capacity, needs_approval, created_at, updated_at) "
	    "VALUES ('training', 'Formation', 1, %lld, %d, 0, 0)",
	    (long long)capacity, needs_approval);
	fixture_exec(f->fx.db, sql);
	return fixture_int(f->fx.db, "SELECT last_insert_rowid()");
}

static int64_t count_status(struct fx *f, int64_t event, const char *status)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM registrations WHERE event_id = %lld AND status = '%s'",
		 (long long)event, status);
	return fixture_int(f->fx.db, sql);
}

/* Registers a new person; copies the token (if any) into tok and returns the registration id. */
static int64_t reg(struct fx *f, int64_t event, const char *key, char *tok, size_t toklen,
		   const char **status)
{
	static char st[FIXTURE_STATUS_LEN];
	char email[64];

	snprintf(email, sizeof(email), "p%d@example.org", ++f->n);
	if (status)
		*status = st;
	return fixture_register(&f->fx, event, email, NULL, key, tok, toklen, status ? st : NULL);
}

static void capacity_and_waitlist(void **state)
{
	static const struct {
		int64_t capacity;
		int needs_approval;
		int n;
		int64_t confirmed, waitlisted, pending;
	} cases[] = {
	    {3, 0, 2, 2, 0, 0}, {3, 0, 3, 3, 0, 0}, {3, 0, 7, 3, 4, 0},
	    {0, 0, 2, 0, 2, 0}, {2, 1, 4, 0, 0, 4},
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t ev = add_event(f, cases[i].capacity, cases[i].needs_approval);

		for (int k = 0; k < cases[i].n; k++)
			reg(f, ev, NULL, NULL, 0, NULL);
		assert_int_equal(count_status(f, ev, "confirmed"), cases[i].confirmed);
		assert_int_equal(count_status(f, ev, "waitlisted"), cases[i].waitlisted);
		assert_int_equal(count_status(f, ev, "pending"), cases[i].pending);
	}
}

static void waitlist_order_and_promotion(void **state)
{
	struct fx *f = *state;
	int64_t ev = add_event(f, 2, 0);
	int64_t ids[6], seq = 0;
	char tok[6][64];
	struct json_object *out = NULL;
	struct dom_err err = {0};
	char sql[200];

	for (int i = 0; i < 6; i++)
		ids[i] = reg(f, ev, NULL, tok[i], sizeof(tok[i]), NULL);
	/* waitlist_seq strictly follows arrival */
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM registrations a JOIN registrations b ON a.event_id = b.event_id "
		 "WHERE a.event_id = %lld AND a.id < b.id AND a.waitlist_seq >= b.waitlist_seq",
		 (long long)ev);
	assert_int_equal(fixture_int(f->fx.db, sql), 0);
	/* a confirmed person cancels: the first waitlisted is promoted */
	assert_int_equal(registrations_self(f->fx.db, tok[0], REG_SELF_CANCEL, f->fx.now, &out, &seq, &err),
			 0);
	json_object_put(out);
	assert_true(seq > 0);
	snprintf(sql, sizeof(sql),
		 "SELECT status = 'confirmed' AND waitlist_seq IS NULL FROM registrations WHERE id = %lld",
		 (long long)ids[2]);
	assert_int_equal(fixture_int(f->fx.db, sql), 1);
	/* a waitlisted person declines: nobody is promoted */
	assert_int_equal(registrations_self(f->fx.db, tok[4], REG_SELF_DECLINE, f->fx.now, &out, &seq, &err),
			 0);
	json_object_put(out);
	assert_int_equal(count_status(f, ev, "confirmed"), 2);
	assert_int_equal(count_status(f, ev, "waitlisted"), 2);
	/* capacity raised by 5 inside a caller's transaction: everyone left is promoted, in order */
	assert_int_equal(db_begin(f->fx.db), 0);
	snprintf(sql, sizeof(sql), "UPDATE events SET capacity = 7 WHERE id = %lld", (long long)ev);
	fixture_exec(f->fx.db, sql);
	assert_int_equal(registrations_promote(f->fx.db, ev, f->fx.now, &err), 2);
	assert_int_equal(db_commit(f->fx.db), 0);
	assert_int_equal(count_status(f, ev, "confirmed"), 4);
	assert_int_equal(count_status(f, ev, "waitlisted"), 0);
	snprintf(sql, sizeof(sql),
		 "SELECT group_concat(json_extract(payload, '$.registration_id')) FROM "
		 "(SELECT payload FROM change_log WHERE topic = 'event:%lld' AND kind = "
		 "'registration.promoted' ORDER BY seq)",
		 (long long)ev);
	{
		char want[64], got[64];

		snprintf(want, sizeof(want), "%lld,%lld,%lld", (long long)ids[2], (long long)ids[3],
			 (long long)ids[5]);
		assert_int_equal(db_test_text(f->fx.db, sql, got, sizeof(got)), STORE_OK);
		assert_string_equal(got, want);
	}
	/* nothing left to promote */
	assert_int_equal(db_begin(f->fx.db), 0);
	assert_int_equal(registrations_promote(f->fx.db, ev, f->fx.now, &err), 0);
	assert_int_equal(db_commit(f->fx.db), 0);
}

static void approval_respects_capacity(void **state)
{
	struct fx *f = *state;
	struct principal org = {.role = ROLE_ORGANISER, .org_id = 1};
	struct principal other = {.role = ROLE_ORGANISER, .org_id = 2};
	struct principal viewer = {.role = ROLE_VIEWER, .org_id = 1};
	static const char *const after[] = {"confirmed", "waitlisted", "waitlisted"}; /* capacity 1 */
	int64_t ev = add_event(f, 1, 1);
	int64_t ids[3], seq = 0;
	struct json_object *out = NULL;
	struct dom_err err = {0};

	for (int i = 0; i < 3; i++)
		ids[i] = reg(f, ev, NULL, NULL, 0, NULL);
	assert_int_equal(
	    registrations_org_action(f->fx.db, &other, ids[0], REG_ORG_APPROVE, f->fx.now, &out, &seq, &err),
	    DOM_NOT_FOUND);
	assert_int_equal(
	    registrations_org_action(f->fx.db, &viewer, ids[0], REG_ORG_APPROVE, f->fx.now, &out, &seq, &err),
	    DOM_FORBIDDEN);
	assert_int_equal(count_status(f, ev, "pending"), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(registrations_org_action(f->fx.db, &org, ids[i], REG_ORG_APPROVE, f->fx.now,
							  &out, &seq, &err),
				 0);
		assert_string_equal(json_object_get_string(json_object_object_get(out, "status")), after[i]);
		json_object_put(out);
	}
	assert_int_equal(
	    registrations_org_action(f->fx.db, &org, ids[0], REG_ORG_APPROVE, f->fx.now, &out, &seq, &err),
	    DOM_CONFLICT);
	/* rejecting the confirmed one promotes the earliest approved into the waitlist */
	assert_int_equal(
	    registrations_org_action(f->fx.db, &org, ids[0], REG_ORG_REJECT, f->fx.now, &out, &seq, &err), 0);
	json_object_put(out);
	assert_int_equal(count_status(f, ev, "confirmed"), 1);
	{
		char sql[120];

		snprintf(sql, sizeof(sql), "SELECT status = 'confirmed' FROM registrations WHERE id = %lld",
			 (long long)ids[1]);
		assert_int_equal(fixture_int(f->fx.db, sql), 1);
	}
}

static void duplicate_and_idempotency(void **state)
{
	struct fx *f = *state;
	struct principal anon = {0};
	struct reg_input in = {
	    .name = "Amina", .email = "Amina@Example.org", .consent = true, .has_consent = true};
	struct reg_result a, b, c;
	struct dom_err err = {0};
	int64_t ev = add_event(f, 5, 0);
	int64_t outbox;

	assert_int_equal(
	    registrations_create(f->fx.db, NULL, &anon, ev, &in, "key-12345678", f->fx.now, &a, &err), 0);
	assert_int_equal(a.outcome, IDEM_CREATED);
	assert_false(a.replayed);
	assert_int_equal(
	    registrations_create(f->fx.db, NULL, &anon, ev, &in, "key-12345678", f->fx.now, &b, &err), 0);
	assert_true(b.replayed);
	assert_int_equal(b.outcome, IDEM_CREATED);
	assert_string_equal(json_object_to_json_string(a.json), json_object_to_json_string(b.json));
	outbox = fixture_int(f->fx.db, "SELECT count(*) FROM outbox");
	in.email = "amina@example.org";
	assert_int_equal(registrations_create(f->fx.db, NULL, &anon, ev, &in, NULL, f->fx.now, &c, &err), 0);
	assert_int_equal(c.outcome, IDEM_OK);
	assert_null(json_object_object_get(c.json, "token"));
	assert_int_equal(
	    fixture_int(f->fx.db, "SELECT count(*) FROM outbox WHERE kind = 'registration.link_resent'"), 1);
	assert_int_equal(fixture_int(f->fx.db, "SELECT count(*) FROM outbox"), outbox + 1);
	assert_int_equal(count_status(f, ev, "confirmed"), 1);
	json_object_put(a.json);
	json_object_put(b.json);
	json_object_put(c.json);
	/* consent and contact rules */
	in.consent = false;
	assert_int_equal(registrations_create(f->fx.db, NULL, &anon, ev, &in, NULL, f->fx.now, &c, &err),
			 DOM_UNPROCESSABLE);
	assert_string_equal(err.id, "consent_required");
	in.consent = true;
	in.email = NULL;
	in.phone = NULL;
	assert_int_equal(registrations_create(f->fx.db, NULL, &anon, ev, &in, NULL, f->fx.now, &c, &err),
			 DOM_INVALID);
	assert_string_equal(err.id, "contact_required");
	/* the form's rules are checked here only (the handler parses types), with util/jsonx's messages */
	in.email = "amina@example.org";
	in.sex = "other";
	assert_int_equal(registrations_create(f->fx.db, NULL, &anon, ev, &in, NULL, f->fx.now, &c, &err),
			 DOM_INVALID);
	assert_string_equal(err.id, "invalid_field");
	assert_string_equal(err.message, "field 'sex' must be one of: female, male, unspecified");
	in.sex = NULL;
	in.name = "";
	assert_int_equal(registrations_create(f->fx.db, NULL, &anon, ev, &in, NULL, f->fx.now, &c, &err),
			 DOM_INVALID);
	assert_string_equal(err.message, "field 'name' must not be empty");
	in.name = NULL;
	assert_int_equal(registrations_create(f->fx.db, NULL, &anon, ev, &in, NULL, f->fx.now, &c, &err),
			 DOM_INVALID);
	assert_string_equal(err.id, "missing_field");
}

/* A lost link asked for by contact: only a known, active, not erased registration of the event gets a link
 * mail (by e-mail or by phone however typed), at most once per REG_LINK_RESEND_GAP; every other contact is
 * DOM_OK with nothing written; a malformed one DOM_INVALID. */
static void lost_link_by_contact(void **state)
{
	static const struct {
		const char *contact;
		int64_t later; /* seconds after the fixture's now */
		int ret;
		const char *code; /* err.id when ret != 0 */
		int64_t mails;	  /* link mails queued in all after this request */
	} cases[] = {
	    {"nobody@example.org", 0, DOM_OK, NULL, 0},
	    {"p2@example.org", 0, DOM_OK, NULL, 0}, /* cancelled */
	    {"p3@example.org", 0, DOM_OK, NULL, 0}, /* erased */
	    {"+221 77 123 45 67", 0, DOM_OK, NULL, 0},
	    {"06 12 34 56 78", 0, DOM_OK, NULL, 1},  /* p1 by phone, typed nationally */
	    {"P1@Example.org", 60, DOM_OK, NULL, 1}, /* within the gap: nothing more */
	    {"not an address", 60, DOM_INVALID, "invalid_field", 1},
	    {"12", 60, DOM_INVALID, "invalid_field", 1},
	    {"p1@", 60, DOM_INVALID, "invalid_field", 1},
	    {NULL, 60, DOM_INVALID, "missing_field", 1},
	    {"p1@example.org", REG_LINK_RESEND_GAP + 1, DOM_OK, NULL, 2},
	};
	struct fx *f = *state;
	struct principal anon = {0};
	struct dom_err err = {0};
	int64_t ev = add_event(f, 5, 0), seq, changes;

	reg(f, ev, NULL, NULL, 0, NULL);
	reg(f, ev, NULL, NULL, 0, NULL);
	reg(f, ev, NULL, NULL, 0, NULL);
	fixture_exec(f->fx.db, "UPDATE people SET phone = '+212612345678' WHERE email = 'p1@example.org'");
	fixture_exec(f->fx.db, "UPDATE registrations SET status = 'cancelled' WHERE person_id = "
			       "(SELECT id FROM people WHERE email = 'p2@example.org')");
	fixture_exec(f->fx.db, "UPDATE people SET erased_at = 1 WHERE email = 'p3@example.org'");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct reg_lost_link_input in = {.contact = cases[i].contact};

		/* mailed at once, as a worker would: what holds a second one back is then the gap alone */
		fixture_exec(f->fx.db, "UPDATE outbox SET sent_at = created_at WHERE sent_at IS NULL");
		changes = fixture_int(f->fx.db, "SELECT count(*) FROM change_log");
		seq = -1;
		assert_int_equal(
		    registrations_lost_link(f->fx.db, &anon, ev, &in, f->fx.now + cases[i].later, &seq, &err),
		    cases[i].ret);
		if (cases[i].code)
			assert_string_equal(err.id, cases[i].code);
		assert_int_equal(
		    fixture_int(f->fx.db,
				"SELECT count(*) FROM outbox WHERE kind = 'registration.link_resent'"),
		    cases[i].mails);
		/* one change-log row with each mail, none otherwise, and its seq to announce */
		assert_int_equal(fixture_int(f->fx.db, "SELECT count(*) FROM change_log"),
				 changes + (seq > 0 ? 1 : 0));
		assert_true(seq >= 0);
	}
	assert_int_equal(fixture_int(f->fx.db,
				     "SELECT count(*) FROM change_log WHERE kind = "
				     "'registration.link_requested' AND payload NOT LIKE '%example%'"),
			 2);
	/* an event nobody may see is one that does not exist */
	fixture_exec(f->fx.db, "UPDATE events SET visibility = 'internal'");
	assert_int_equal(registrations_lost_link(f->fx.db, &anon, ev,
						 &(struct reg_lost_link_input){.contact = "p1@example.org"},
						 f->fx.now + 2 * REG_LINK_RESEND_GAP, &seq, &err),
			 DOM_NOT_FOUND);
	assert_int_equal(registrations_lost_link(f->fx.db, &anon, 999,
						 &(struct reg_lost_link_input){.contact = "p1@example.org"},
						 f->fx.now + 2 * REG_LINK_RESEND_GAP, &seq, &err),
			 DOM_NOT_FOUND);
	assert_int_equal(
	    fixture_int(f->fx.db, "SELECT count(*) FROM outbox WHERE kind = 'registration.link_resent'"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(capacity_and_waitlist, setup, teardown),
	    cmocka_unit_test_setup_teardown(waitlist_order_and_promotion, setup, teardown),
	    cmocka_unit_test_setup_teardown(approval_respects_capacity, setup, teardown),
	    cmocka_unit_test_setup_teardown(duplicate_and_idempotency, setup, teardown),
	    cmocka_unit_test_setup_teardown(lost_link_by_contact, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
