/*
 * fixture: a fresh migrated store per test with its seed rows, accounts and fixed clock, and the SQL and
 * file helpers the unit tests share; it seeds with plain SQL through store/db_test.h (so that no domain rule
 * under test runs during set-up), never through SQLite's handle, and must not be linked into majlisd.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/registrations.h"
#include "fixture.h"
#include "store/db_test.h"
#include "util/secret.h"

static const char fixture_orgs_sql[] =
    "INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES "
    "(1, 'A', 'ngo', 1800000000, 1800000000), (2, 'B', 'ngo', 1800000000, 1800000000);";

static const char fixture_events_sql[] =
    "INSERT INTO events (id, type, title_fr, org_id, capacity, created_at, updated_at) VALUES "
    "(1, 'training', 'Formation', 1, 10, 1800000000, 1800000000), "
    "(2, 'workshop', 'Atelier', 2, 10, 1800000000, 1800000000);"
    "INSERT INTO sessions (id, event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, "
    "end_offset, created_at, updated_at) VALUES "
    "(1, 1, '2027-06-01T09:00:00', '2027-06-01T12:00:00', 'UTC', 1811840400, 1811851200, 0, 0, "
    "1800000000, 1800000000);";

void fixture_exec(struct db *db, const char *sql)
{
	if (db_test_exec(db, sql))
		fail_msg("%s: failed (the store logged why)", sql);
}

int64_t fixture_int(struct db *db, const char *sql)
{
	int64_t v = -1;
	int rc = db_test_int(db, sql, &v);

	if (rc == STORE_NOT_FOUND)
		return -1;
	if (rc)
		fail_msg("%s: failed (the store logged why)", sql);
	return v;
}

void fixture_open(struct fixture *f, const char *name, enum fixture_seed seed)
{
	char err[256];
	int fd;

	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "/tmp/majlis-unit-%.16s-XXXXXX", name);
	fd = mkstemp(f->path);
	if (fd < 0)
		fail_msg("mkstemp %s", f->path);
	close(fd);
	unlink(f->path); /* db_open creates it: the name stays ours for this run */
	if (db_open(f->path, DB_MIGRATE, &f->db, err, sizeof(err)))
		fail_msg("db_open %s: %s", f->path, err);
	f->now = FIXTURE_NOW;
	f->admin = (struct principal){.role = ROLE_ADMIN};
	f->viewer = (struct principal){.role = ROLE_VIEWER};
	if (seed >= FIXTURE_ORGS) {
		fixture_exec(f->db, fixture_orgs_sql);
		f->org_a = 1;
		f->org_b = 2;
		f->organiser_a = (struct principal){.role = ROLE_ORGANISER, .org_id = f->org_a};
		f->organiser_b = (struct principal){.role = ROLE_ORGANISER, .org_id = f->org_b};
		f->checkin_a = (struct principal){.role = ROLE_CHECKIN, .org_id = f->org_a};
	}
	if (seed >= FIXTURE_EVENTS) {
		fixture_exec(f->db, fixture_events_sql);
		f->event = 1;
		f->event_b = 2;
		f->session = 1;
	}
}

void fixture_close(struct fixture *f)
{
	static const char *const side[] = {"", "-wal", "-shm"};
	char p[80];

	if (!f->db)
		return;
	db_close(f->db);
	f->db = NULL;
	for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, side[i]);
		unlink(p);
	}
}

/* The set-up of fixture_setup and fixture_feed_setup: *state becomes size zeroed bytes (a struct that begins
 * with its struct fixture) whose fixture is opened as fixture_open does; returns that fixture. */
static struct fixture *fixture_alloc(void **state, size_t size, const char *name, enum fixture_seed seed)
{
	struct fixture *f = calloc(1, size);

	if (!f)
		fail_msg("fixture_setup %s: out of memory", name);
	fixture_open(f, name, seed);
	*state = f;
	return f;
}

int fixture_setup(void **state, const char *name, enum fixture_seed seed, const char *sql)
{
	struct fixture *f = fixture_alloc(state, sizeof(*f), name, seed);

	if (sql)
		fixture_exec(f->db, sql);
	return 0;
}

int fixture_teardown(void **state)
{
	struct fixture *f = *state;

	if (!f)
		return 0;
	fixture_close(f);
	free(f);
	*state = NULL;
	return 0;
}

int64_t fixture_account(struct db *db, const char *email, enum role role, int64_t org_id)
{
	char hash[PASSWORD_HASH_MAX], sql[1024], org[24] = "NULL";

	if (password_hash(FIXTURE_PASSWORD, hash))
		fail_msg("fixture_account %s: password_hash failed", email);
	if (org_id > 0)
		snprintf(org, sizeof(org), "%lld", (long long)org_id);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO accounts (email, display_name, password_hash, role, org_id, created_at, "
		 "updated_at) VALUES ('%s', 'Agent', '%s', '%s', %s, %lld, %lld)",
		 email, hash, role_name(role), org, FIXTURE_NOW, FIXTURE_NOW);
	fixture_exec(db, sql);
	return fixture_int(db, "SELECT max(id) FROM accounts");
}

int fixture_login(struct db *db, const char *email, const char *pw, int64_t now, struct login_result *out,
		  struct dom_err *err)
{
	int rc = login_run(db, email, pw, NULL, now, out, err);

	if (!rc) {
		json_object_put(out->account);
		out->account = NULL;
	}
	return rc;
}

int fixture_cheap_hashes(const char *program)
{
	if (!password_set_iterations(FIXTURE_PASSWORD_ITERATIONS))
		return 0;
	fprintf(stderr, "%s: this build has no test hooks (MAJLIS_TEST_HOOKS)\n", program);
	return 1;
}

/* The feed tests' rows; the sessions are a day after FIXTURE_FEED_NOW (+ 86400 and + 93600 seconds). */
static const char fixture_feed_sql[] =
    "INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES (1, 'Org', 'ngo', 0, 0);"
    "INSERT INTO events (id, type, title_fr, org_id, capacity, visibility, created_at, updated_at) VALUES "
    "(1, 'training', 'Cache test', 1, 10, 'public', 0, 0),"
    "(2, 'workshop', 'Interne', 1, 10, 'internal', 0, 0);"
    "INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset,"
    " end_offset, created_at, updated_at) VALUES"
    "(1, '2026-09-22T10:00:00', '2026-09-22T12:00:00', 'Africa/Casablanca', 1790086400, 1790093600, 3600, "
    "3600, 0, 0),"
    "(2, '2026-09-22T10:00:00', '2026-09-22T12:00:00', 'Africa/Casablanca', 1790086400, 1790093600, 3600, "
    "3600, 0, 0);"
    "INSERT INTO change_log (topic, kind, payload, created_at) VALUES ('t', 'test', '{}', 0);";

void fixture_feed_rows(struct fixture *f)
{
	f->now = FIXTURE_FEED_NOW;
	fixture_exec(f->db, fixture_feed_sql);
}

int fixture_feed_setup(void **state, const char *name)
{
	struct fixture_feed *fx =
	    (struct fixture_feed *)fixture_alloc(state, sizeof(*fx), name, FIXTURE_EMPTY);

	config_defaults(&fx->cfg);
	fixture_feed_rows(&fx->s);
	return 0;
}

char *fixture_file(const char *dir, const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s%s", MAJLIS_SOURCE_DIR, dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The counters as kept (zeros left out) and as a full recount over registrations, attendance and people. */
#define FIXTURE_REG_KEPT "SELECT event_id, status, sex, n FROM registration_counts WHERE n <> 0"
#define FIXTURE_REG_RECOUNT                                                                                  \
	"SELECT r.event_id, r.status, p.sex, count(*) FROM registrations r JOIN people p ON p.id = "         \
	"r.person_id "                                                                                       \
	"GROUP BY r.event_id, r.status, p.sex"
#define FIXTURE_PRESENCE_KEPT "SELECT session_id, sex, n FROM presence_counts WHERE n <> 0"
#define FIXTURE_PRESENCE_RECOUNT                                                                             \
	"SELECT a.session_id, p.sex, count(*) FROM attendance a JOIN registrations r "                       \
	"ON r.id = a.registration_id JOIN people p ON p.id = r.person_id WHERE a.status = 'present' "        \
	"GROUP BY a.session_id, p.sex"

void fixture_assert_counts(struct db *db)
{
	static const char *const diff[] = {
	    "SELECT count(*) FROM (" FIXTURE_REG_KEPT " EXCEPT " FIXTURE_REG_RECOUNT ")",
	    "SELECT count(*) FROM (" FIXTURE_REG_RECOUNT " EXCEPT " FIXTURE_REG_KEPT ")",
	    "SELECT count(*) FROM (" FIXTURE_PRESENCE_KEPT " EXCEPT " FIXTURE_PRESENCE_RECOUNT ")",
	    "SELECT count(*) FROM (" FIXTURE_PRESENCE_RECOUNT " EXCEPT " FIXTURE_PRESENCE_KEPT ")",
	};

	for (size_t i = 0; i < sizeof(diff) / sizeof(diff[0]); i++) {
		int64_t n = fixture_int(db, diff[i]);

		if (n)
			fail_msg("%lld counter rows differ from a recount: %s", (long long)n, diff[i]);
	}
}

int64_t fixture_register(struct fixture *fx, int64_t event, const char *email, const char *sex,
			 const char *key, char *tok, size_t toklen, char *status)
{
	struct principal anon = {0};
	struct reg_input in = {0};
	struct reg_result res;
	struct dom_err err = {0};
	struct json_object *r, *v;
	int64_t id;

	in.name = "Participant";
	in.email = email;
	in.sex = sex;
	in.consent = in.has_consent = true;
	if (registrations_create(fx->db, NULL, &anon, event, &in, key, fx->now, &res, &err))
		fail_msg("registering %s: %s", email, err.message);
	assert_true(json_object_object_get_ex(res.json, "registration", &r));
	id = json_object_get_int64(json_object_object_get(r, "id"));
	if (status)
		snprintf(status, FIXTURE_STATUS_LEN, "%s",
			 json_object_get_string(json_object_object_get(r, "status")));
	if (tok && toklen) {
		tok[0] = '\0';
		if (json_object_object_get_ex(res.json, "token", &v))
			snprintf(tok, toklen, "%s", json_object_get_string(v));
	}
	json_object_put(res.json);
	return id;
}
