/* test_freebusy: domain/freebusy in-process on a fresh database — whose sessions a token's free/busy
 * shows (a person's registrations and facilitations, an organisation's own and partner events), which
 * statuses are busy or tentative, the range rules and refusals, tokens that open nothing, and validators
 * that move only with a change; merging and rendering are calendar/freebusy's (unit.test_freebusy). */
#include "domain/freebusy.h"
#include "fixture.h"
#include "store/db.h"
#include "util/secret.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A migrated database in a temporary file: organisation 1 owns event 1 (confirmed for person 1),
 * event 2 (pending for person 1), event 3 (cancelled), event 4 (postponed, person 1 facilitates a
 * session); organisation 2 owns event 5 with organisation 1 as a partner. Tokens: "orgtoken" (org 1),
 * "persontoken" (person 1), "revokedtoken", "accounttoken". */
struct fb_fx {
	struct fixture s; /* the store, and now */
	struct config cfg;
};

static void add_token(struct db *db, int64_t id, const char *token, const char *kind, int64_t owner,
		      bool revoked)
{
	char hash[SECRET_HASH_LEN + 1], sql[512];

	secret_hash(token, strlen(token), hash);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO calendar_tokens (id, token_hash, owner_kind, owner_id, created_at, revoked_at) "
		 "VALUES (%lld, '%s', '%s', %lld, 0, %s)",
		 (long long)id, hash, kind, (long long)owner, revoked ? "1" : "NULL");
	fixture_exec(db, sql);
}

/* Session times: day d (from 2026-10-15) hour h UTC, lasting len hours. */
#define DAY0	 1792022400LL /* 2026-10-15T00:00:00Z */
#define AT(d, h) (DAY0 + (d)*86400LL + (h)*3600LL)

static void add_session(struct db *db, int64_t event, int64_t start, int64_t end, int64_t facilitator)
{
	char sql[512];

	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, "
	    "start_offset, end_offset, facilitator_id, created_at, updated_at) VALUES (%lld, "
	    "'2026-10-15T10:00:00', '2026-10-15T12:00:00', 'Africa/Casablanca', %lld, %lld, 0, 0, %s, 0, 0)",
	    (long long)event, (long long)start, (long long)end, facilitator ? "1" : "NULL");
	fixture_exec(db, sql);
}

static int db_setup(void **state)
{
	struct fb_fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fixture_open(&fx->s, "freebusy", FIXTURE_EMPTY);
	config_defaults(&fx->cfg);
	snprintf(fx->cfg.calendar_domain, sizeof(fx->cfg.calendar_domain), "majlis.test");
	fx->s.now = AT(-1, 12); /* 2026-10-14T12:00Z: "today" is the 14th in Casablanca (UTC+0 then) */
	fixture_exec(
	    fx->s.db,
	    "INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES "
	    "(1, 'Org', 'ngo', 0, 0), (2, 'Other', 'ngo', 0, 0);"
	    "INSERT INTO people (id, org_id, name, email, created_at, updated_at) VALUES "
	    "(1, 1, 'Secret Name', 'secret@example.org', 0, 0), (2, 1, 'Gone', NULL, 0, 0);"
	    "UPDATE people SET erased_at = 5 WHERE id = 2;"
	    "INSERT INTO events (id, type, title_fr, org_id, capacity, visibility, status, created_at, "
	    "updated_at) VALUES "
	    "(1, 'training', 'Confirmed title', 1, 10, 'public', 'scheduled', 0, 0),"
	    "(2, 'workshop', 'Pending title', 1, 10, 'internal', 'scheduled', 0, 0),"
	    "(3, 'workshop', 'Cancelled title', 1, 10, 'public', 'cancelled', 0, 0),"
	    "(4, 'concertation', 'Postponed title', 1, 10, 'public', 'postponed', 0, 0),"
	    "(5, 'concertation', 'Partner title', 2, 10, 'invited', 'scheduled', 0, 0),"
	    "(6, 'training', 'Unrelated', 2, 10, 'public', 'scheduled', 0, 0);"
	    "INSERT INTO event_partners (event_id, org_id) VALUES (5, 1);"
	    "INSERT INTO registrations (event_id, person_id, status, token_hash, created_at, updated_at) "
	    "VALUES (1, 1, 'confirmed', 'h1', 0, 0), (2, 1, 'pending', 'h2', 0, 0), "
	    "(3, 1, 'confirmed', 'h3', 0, 0), (6, 1, 'cancelled', 'h6', 0, 0);"
	    "INSERT INTO change_log (topic, kind, payload, created_at) VALUES ('t', 'test', '{}', "
	    "1790000000);");
	add_session(fx->s.db, 1, AT(1, 9), AT(1, 12), 0);   /* busy */
	add_session(fx->s.db, 1, AT(1, 12), AT(1, 14), 0);  /* back to back: merged */
	add_session(fx->s.db, 2, AT(1, 13), AT(1, 16), 0);  /* pending: tentative past the busy end */
	add_session(fx->s.db, 3, AT(2, 9), AT(2, 12), 0);   /* cancelled: never busy */
	add_session(fx->s.db, 4, AT(3, 9), AT(3, 12), 1);   /* postponed, facilitated: tentative */
	add_session(fx->s.db, 5, AT(4, 9), AT(4, 12), 0);   /* partner event: busy for org 1 */
	add_session(fx->s.db, 6, AT(5, 9), AT(5, 12), 0);   /* cancelled registration: not busy */
	add_session(fx->s.db, 1, AT(90, 9), AT(90, 12), 0); /* beyond the default 60 days */
	add_token(fx->s.db, 1, "orgtoken", "organisation", 1, false);
	add_token(fx->s.db, 2, "persontoken", "person", 1, false);
	add_token(fx->s.db, 3, "revokedtoken", "organisation", 1, true);
	add_token(fx->s.db, 4, "accounttoken", "account", 1, false);
	add_token(fx->s.db, 5, "erasedtoken", "person", 2, false);
	*state = fx;
	return 0;
}

static int db_teardown(void **state)
{
	struct fb_fx *fx = *state;

	fixture_close(&fx->s);
	free(fx);
	return 0;
}

/* The answer for token over from..to (NULL: defaults); asserts DOM_OK. Caller frees the text. */
static char *answer(struct fb_fx *fx, const char *token, const char *from, const char *to)
{
	struct freebusy_answer a;
	struct dom_err e = {0};
	char *t;

	assert_int_equal(freebusy_by_token(fx->s.db, &fx->cfg, token, from, to, fx->s.now, &a, &e), DOM_OK);
	assert_int_equal(strlen(a.body.data), a.body.len);
	t = strdup(a.body.data);
	freebusy_answer_free(&a);
	return t;
}

static void test_domain_person(void **state)
{
	struct fb_fx *fx = *state;
	char *t = answer(fx, "persontoken", NULL, NULL);

	assert_non_null(strstr(t, "UID:freebusy-2@majlis.test\r\n"));
	assert_non_null(strstr(t, "DTSTAMP:20260921T141320Z\r\n"));
	/* today (2026-10-14, UTC+0 in Casablanca) to +60 days */
	assert_non_null(strstr(t, "DTSTART:20261014T000000Z\r\n"));
	assert_non_null(strstr(t, "DTEND:20261214T000000Z\r\n"));
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY:20261016T090000Z/20261016T140000Z\r\n"));
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261016T140000Z/20261016T160000Z\r\n"));
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261018T090000Z/20261018T120000Z\r\n"));
	assert_null(strstr(t, "20261017T09")); /* cancelled event */
	assert_null(strstr(t, "20261019T09")); /* partner event: not the person's */
	assert_null(strstr(t, "20261020T09")); /* cancelled registration */
	assert_null(strstr(t, "20270113"));    /* outside the range */
	assert_null(strstr(t, "Secret"));
	assert_null(strstr(t, "secret@"));
	assert_null(strstr(t, "title"));
	free(t);
}

static void test_domain_org(void **state)
{
	struct fb_fx *fx = *state;
	char *t = answer(fx, "orgtoken", "2026-10-15", "2027-01-31");

	assert_non_null(strstr(t, "UID:freebusy-1@majlis.test\r\n"));
	assert_non_null(strstr(t, "DTSTART:20261015T000000Z\r\n"));
	assert_non_null(strstr(t, "DTEND:20270201T000000Z\r\n"));
	/* the organisation's own events are firm, whatever the registrations say */
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY:20261016T090000Z/20261016T160000Z\r\n"));
	assert_null(strstr(t, "20261017T09"));
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261018T090000Z/20261018T120000Z\r\n"));
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY:20261019T090000Z/20261019T120000Z\r\n"));
	assert_null(strstr(t, "20261020T09")); /* another organisation's event */
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY:20270113T090000Z/20270113T120000Z\r\n"));
	free(t);
}

static void test_domain_range_bounds(void **state)
{
	struct fb_fx *fx = *state;
	char *t;

	/* one day; a session straddling the end is clipped */
	t = answer(fx, "orgtoken", "2026-10-16", "2026-10-16");
	assert_non_null(strstr(t, "DTSTART:20261016T000000Z\r\n"));
	assert_non_null(strstr(t, "DTEND:20261017T000000Z\r\n"));
	assert_non_null(strstr(t, "FBTYPE=BUSY:20261016T090000Z/20261016T160000Z\r\n"));
	assert_null(strstr(t, "20261018T09"));
	free(t);
	/* the offset of the day's midnight: 2026-06-01 is UTC+1 in Casablanca */
	t = answer(fx, "orgtoken", "2026-06-01", "2026-06-01");
	assert_non_null(strstr(t, "DTSTART:20260531T230000Z\r\n"));
	assert_non_null(strstr(t, "DTEND:20260601T230000Z\r\n"));
	free(t);
	/* 366 days is the most (2028 is a leap year) */
	t = answer(fx, "orgtoken", "2027-03-01", "2028-02-29");
	free(t);
	/* only ?to=: from today */
	t = answer(fx, "orgtoken", NULL, "2026-10-20");
	assert_non_null(strstr(t, "DTSTART:20261014T000000Z\r\n"));
	free(t);
}

struct bad_case {
	const char *token, *from, *to;
	enum dom_code code;
};

static void test_domain_refusals(void **state)
{
	static const struct bad_case cases[] = {
	    {"orgtoken", "2026-02-30", NULL, DOM_INVALID},
	    {"orgtoken", "2026-1-01", NULL, DOM_INVALID},
	    {"orgtoken", "20261001", NULL, DOM_INVALID},
	    {"orgtoken", NULL, "2026-13-01", DOM_INVALID},
	    {"orgtoken", "2026-10-20", "2026-10-19", DOM_INVALID},
	    {"orgtoken", "2027-03-01", "2028-03-01", DOM_INVALID},
	    {"orgtoken", NULL, "2026-10-13", DOM_INVALID},
	    {"nosuchtoken", NULL, NULL, DOM_NOT_FOUND},
	    {"revokedtoken", NULL, NULL, DOM_NOT_FOUND},
	    {"accounttoken", NULL, NULL, DOM_NOT_FOUND},
	    {"erasedtoken", NULL, NULL, DOM_NOT_FOUND},
	};
	struct fb_fx *fx = *state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct freebusy_answer a;
		struct dom_err e = {0};
		int rc = freebusy_by_token(fx->s.db, &fx->cfg, cases[i].token, cases[i].from, cases[i].to,
					   fx->s.now, &a, &e);

		if (rc != (int)cases[i].code)
			fail_msg("case %zu: %d, want %d (%s)", i, rc, (int)cases[i].code, e.message);
		if (rc == DOM_INVALID)
			assert_string_equal(e.id, "invalid_query");
		freebusy_answer_free(&a);
	}
}

static void test_domain_validators_stable(void **state)
{
	struct fb_fx *fx = *state;
	struct freebusy_answer a, b;
	struct dom_err e = {0};
	char sql[256];

	assert_int_equal(freebusy_by_token(fx->s.db, &fx->cfg, "orgtoken", NULL, NULL, fx->s.now, &a, &e), 0);
	assert_int_equal(
	    freebusy_by_token(fx->s.db, &fx->cfg, "orgtoken", NULL, NULL, fx->s.now + 60, &b, &e), 0);
	/* same day, nothing changed: same bytes (hence the api's same ETag), same Last-Modified */
	assert_string_equal(a.body.data, b.body.data);
	assert_int_equal(a.last_modified, b.last_modified);
	freebusy_answer_free(&b);
	/* a change recorded now (as every write records its own time) */
	snprintf(
	    sql, sizeof(sql),
	    "UPDATE events SET status = 'cancelled' WHERE id = 5;"
	    "INSERT INTO change_log (topic, kind, payload, created_at) VALUES ('t', 'test', '{}', %lld);",
	    (long long)fx->s.now + 100);
	fixture_exec(fx->s.db, sql);
	assert_int_equal(
	    freebusy_by_token(fx->s.db, &fx->cfg, "orgtoken", NULL, NULL, fx->s.now + 120, &b, &e), 0);
	assert_string_not_equal(a.body.data, b.body.data);
	assert_null(strstr(b.body.data, "20261019T09"));
	assert_true(b.last_modified > a.last_modified);
	assert_int_equal(b.last_modified, fx->s.now + 100);
	freebusy_answer_free(&a);
	freebusy_answer_free(&b);
}

/* A test of this file with its own store: db_setup before it, db_teardown after it. */
#define FREEBUSY_TEST(test) cmocka_unit_test_setup_teardown(test, db_setup, db_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FREEBUSY_TEST(test_domain_person),
	    FREEBUSY_TEST(test_domain_org),
	    FREEBUSY_TEST(test_domain_range_bounds),
	    FREEBUSY_TEST(test_domain_refusals),
	    FREEBUSY_TEST(test_domain_validators_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
