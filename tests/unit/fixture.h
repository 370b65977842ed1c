/*
 * fixture: the unit tests' shared set-up — a fresh, migrated store in a temporary file, seed rows made in
 * one call (organisations, an event with a session, the principals that act on them, accounts), a fixed
 * clock, SQL helpers and the files of tests/fixtures; it fails the running cmocka test on any error and
 * must not be linked into majlisd.
 */
#ifndef MAJLIS_TESTS_UNIT_FIXTURE_H
#define MAJLIS_TESTS_UNIT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "domain/domain.h"
#include "domain/login.h"
#include "store/db.h"

/* The fixed "now" of every seeded row and every domain call a test makes on the fixture's behalf:
 * 2027-01-15T08:00:00Z, before the seeded session. */
#define FIXTURE_NOW 1800000000LL

/* The seeded session: 2027-06-01 09:00–12:00 UTC (zone "UTC", so that no tz rule moves it). */
#define FIXTURE_SESSION_START 1811840400LL
#define FIXTURE_SESSION_END   1811851200LL

/* What fixture_open puts in the store besides the migrations. Each level includes the ones above it. */
enum fixture_seed {
	FIXTURE_EMPTY,	/* migrations only */
	FIXTURE_ORGS,	/* organisations 1 "A" and 2 "B" (ngo) */
	FIXTURE_EVENTS, /* and event 1 (public training of A, capacity 10) with session 1, event 2
			   (public workshop of B, capacity 10) without sessions */
};

/* One per test (or per test program): owns the database connection and its files. Single thread. */
struct fixture {
	char path[64];
	struct db *db;
	int64_t now;		/* FIXTURE_NOW */
	int64_t org_a, org_b;	/* 1 and 2 from FIXTURE_ORGS, else 0 */
	int64_t event, event_b; /* 1 and 2 from FIXTURE_EVENTS, else 0 */
	int64_t session;	/* 1 from FIXTURE_EVENTS, else 0 */
	/* Principals as api_auth would make them (no account or token behind them). */
	struct principal admin, organiser_a, organiser_b, checkin_a, viewer;
};

/* Opens a fresh store named after name (a short word: the test's module) in /tmp, migrates it and
 * seeds it; fails the test (cmocka) when anything does not work. Call fixture_close when done. */
void fixture_open(struct fixture *f, const char *name, enum fixture_seed seed);

/* Closes the store and deletes its file, -wal and -shm. Accepts a fixture never opened (db NULL). */
void fixture_close(struct fixture *f);

/* cmocka set-up for a test or a group (cmocka_unit_test_setup_teardown, cmocka_run_group_tests):
 * *state becomes a fixture allocated here, opened as fixture_open does and then given sql (any number
 * of statements; NULL: none). Fails the test on error. fixture_teardown closes and frees it. */
int fixture_setup(void **state, const char *name, enum fixture_seed seed, const char *sql);

/* cmocka tear-down of fixture_setup and fixture_feed_setup: fixture_close, then frees *state (NULL is
 * accepted). */
int fixture_teardown(void **state);

/* Runs sql (any number of statements) on db (the fixture's or any other store); fails the test on error. */
void fixture_exec(struct db *db, const char *sql);

/* The first column of the first row of sql on db as an integer; -1 when there is no row. Fails the test
 * when sql does not prepare. */
int64_t fixture_int(struct db *db, const char *sql);

/* The password of every account fixture_account makes. */
#define FIXTURE_PASSWORD "correct horse battery"

/* Inserts an account (display name "Agent", password FIXTURE_PASSWORD hashed at the current
 * password_iterations(), created at FIXTURE_NOW) with plain SQL, no change-log row, and returns its id;
 * email as stored (lowercase), org_id 0 for none. Fails the test on error. */
int64_t fixture_account(struct db *db, const char *email, enum role role, int64_t org_id);

/* Logs email in with pw at now (login_run with no session to replace) and returns its dom code; on DOM_OK
 * *out holds the session's secrets, its account put and NULL here. */
int fixture_login(struct db *db, const char *email, const char *pw, int64_t now, struct login_result *out,
		  struct dom_err *err);

/* Registers a new participant (name "Participant", email, sex or NULL, consent given) to event through the
 * domain as an anonymous caller at fx->now, with Idempotency-Key key (NULL: none); fails the test unless it
 * is created. Returns the registration id; copies its personal token into tok (toklen bytes; tok may be NULL)
 * and its status into status (FIXTURE_STATUS_LEN bytes; may be NULL). */
#define FIXTURE_STATUS_LEN 16
int64_t fixture_register(struct fixture *fx, int64_t event, const char *email, const char *sex,
			 const char *key, char *tok, size_t toklen, char *status);

/* The PBKDF2 iterations of the unit tests' password hashes (util/secret's test hook lowers the floor). */
#define FIXTURE_PASSWORD_ITERATIONS 1000

/* For main(), before the tests run: cheap password hashes (FIXTURE_PASSWORD_ITERATIONS; test_secret keeps one
 * at the real cost). Returns 0, or 1 after telling stderr that this build (program, the test's name) has no
 * test hooks (MAJLIS_TEST_HOOKS). */
int fixture_cheap_hashes(const char *program);

/* The feed tests' now (test_feeds, test_calendar_tokens, test_feed_cache): 2026-09-21T14:13:20Z, the day
 * before their sessions. */
#define FIXTURE_FEED_NOW 1790000000LL

/* Puts the feed tests' rows in f (opened FIXTURE_EMPTY) and sets f->now to FIXTURE_FEED_NOW: organisation 1
 * "Org" (ngo), event 1 (public training "Cache test") and event 2 (internal workshop "Interne"), each with
 * one session (2026-09-22 10:00-12:00 Africa/Casablanca as local times; start_utc and end_utc a day and a
 * day and two hours after now), and one change-log row. Fails the test on error. */
void fixture_feed_rows(struct fixture *f);

/* One per feed test (test_feeds, test_calendar_tokens): a fixture with the feed rows and a configuration.
 * Single thread. */
struct fixture_feed {
	struct fixture s;  /* first, so that fixture_teardown frees a fixture_feed too */
	struct config cfg; /* config_defaults() */
};

/* cmocka set-up: *state becomes a struct fixture_feed allocated here, opened as fixture_open(name,
 * FIXTURE_EMPTY) does, with fixture_feed_rows and the default configuration. Fails the test on error;
 * fixture_teardown closes and frees it. */
int fixture_feed_setup(void **state, const char *name);

/* The file dir/name of the source tree (dir relative to its root and ending in "/", such as
 * "tests/fixtures/ical/") read whole into a malloc'ed NUL-terminated buffer the caller frees; *len gets
 * its size. Fails the test when it cannot be read. */
char *fixture_file(const char *dir, const char *name, size_t *len);

/* Fails the test unless the registration and presence counters (migration 0007) equal a full recount of
 * registrations, attendance and people: every (event, status, sex) and (session, sex) number, both ways. */
void fixture_assert_counts(struct db *db);

#endif
