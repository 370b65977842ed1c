/* test_demo: in-process tests of domain/demo on fresh SQLite files in /tmp (load once, no-op when events
 * exist, same data on every load) and of domain/demo_data's reading of the data files (the embedded
 * ones load, broken copies are refused with their place); it checks outcomes and must not share tables. */
#define _GNU_SOURCE /* memmem */
#include "domain/demo.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <stdbool.h>

#include "domain/demo_data.h"
#include "fixture.h"
#include "store/db.h"
#include "store/db_test.h"
#include "util/secret.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The queries whose answers must not change on a second load, and must equal between two loads. */
static const char *const fingerprint_sql[] = {
    "SELECT count(*) FROM organisations",
    "SELECT count(*) FROM venues",
    "SELECT count(*) FROM rooms",
    "SELECT count(*) FROM people",
    "SELECT count(*) FROM accounts",
    "SELECT count(*) FROM events",
    "SELECT count(*) FROM sessions",
    "SELECT count(*) FROM registrations",
    "SELECT count(*) FROM attendance",
    "SELECT count(*) FROM change_log",
    "SELECT count(*) FROM registrations WHERE status = 'confirmed'",
    "SELECT count(*) FROM attendance WHERE status = 'present'",
    "SELECT sum(start_utc) FROM sessions",
    "SELECT sum(length(name) * id + coalesce(length(name_ar), 0) + coalesce(length(phone), 0)) FROM people",
    "SELECT sum(unicode(substr(name, 1, 1)) * id) FROM people",
};

static void fingerprint(struct db *db, int64_t out[ARRAY_LEN(fingerprint_sql)])
{
	for (size_t i = 0; i < ARRAY_LEN(fingerprint_sql); i++)
		out[i] = fixture_int(db, fingerprint_sql[i]);
}

/* One per test that loads into a single store: a fresh, empty one (tests/unit/fixture). */
static int setup(void **state)
{
	return fixture_setup(state, "demo", FIXTURE_EMPTY, NULL);
}

static void test_load_once_then_noop(void **state)
{
	struct fixture *fx = *state;
	struct db *db = fx->db;
	int64_t a[ARRAY_LEN(fingerprint_sql)], b[ARRAY_LEN(fingerprint_sql)];
	struct dom_err err;

	assert_int_equal(demo_load(db, FIXTURE_NOW, &err), DOM_OK);
	assert_true(fixture_int(db, "SELECT count(*) FROM events") >= 12);
	assert_true(fixture_int(db, "SELECT count(*) FROM people") >= 280);
	assert_int_equal(
	    fixture_int(db,
			"SELECT count(*) FROM change_log WHERE topic = 'system' AND kind = 'demo.loaded'"),
	    1);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM accounts WHERE email = '" DEMO_ADMIN_EMAIL
					 "' AND role = 'admin'"),
			 1);
	assert_true(db_integrity_ok(db));
	fingerprint(db, a);
	assert_int_equal(demo_load(db, FIXTURE_NOW, &err), DOM_OK);
	fingerprint(db, b);
	assert_memory_equal(a, b, sizeof(a));
}

/* Columns a load fills with fresh randomness (salted hashes, token hashes) or with its own clock (the
 * change-log row saying when it ran): left out of the dump. A NULL table means every table. */
static const struct {
	const char *table, *column;
} dump_skip[] = {
    {NULL, "password_hash"},
    {NULL, "token_hash"},
    {"change_log", "created_at"},
};

static bool dump_skipped(const char *table, const char *col)
{
	for (size_t i = 0; i < ARRAY_LEN(dump_skip); i++)
		if ((!dump_skip[i].table || !strcmp(table, dump_skip[i].table)) &&
		    !strcmp(col, dump_skip[i].column))
			return true;
	return false;
}

/*
 * Appends to f one line per row of every table (sorted by name, rows by rowid): "table|col=value|...",
 * values as SQLite's text (NULL as \N), the dump_skip columns left out.
 */
static void dump_db(struct db *db, FILE *f)
{
	struct json_object *tables = db_test_rows(db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
						      "AND name NOT LIKE 'sqlite_%' ORDER BY name");

	assert_non_null(tables);
	for (size_t t = 0; t < json_object_array_length(tables); t++) {
		struct json_object *rows, *name;
		const char *table;
		char sql[160];

		assert_true(json_object_object_get_ex(json_object_array_get_idx(tables, t), "name", &name));
		table = json_object_get_string(name);
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" ORDER BY rowid", table);
		rows = db_test_rows(db, sql);
		assert_non_null(rows);
		for (size_t r = 0; r < json_object_array_length(rows); r++) {
			fputs(table, f);
			json_object_object_foreach(json_object_array_get_idx(rows, r), col, v)
			{
				if (dump_skipped(table, col))
					continue;
				fprintf(f, "|%s=%s", col, v ? json_object_get_string(v) : "\\N");
			}
			fputc('\n', f);
		}
		json_object_put(rows);
	}
	json_object_put(tables);
}

/* The whole dump of db as a malloc'ed string (caller frees). */
static char *dump_text(struct db *db)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	dump_db(db, f);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* Two loads write the same rows, value for value, in every table (but the random columns). */
static void test_deterministic(void **state)
{
	struct dom_err err;
	struct fixture f1, f2;
	struct db *d1, *d2;
	char *t1, *t2;
	size_t i = 0;

	(void)state;
	fixture_open(&f1, "demo", FIXTURE_EMPTY);
	fixture_open(&f2, "demo", FIXTURE_EMPTY);
	d1 = f1.db;
	d2 = f2.db;
	assert_int_equal(demo_load(d1, FIXTURE_NOW, &err), DOM_OK);
	assert_int_equal(demo_load(d2, FIXTURE_NOW, &err), DOM_OK);
	t1 = dump_text(d1);
	t2 = dump_text(d2);
	assert_true(strlen(t1) > 100000); /* every demo table is in it */
	while (t1[i] && t1[i] == t2[i])
		i++;
	if (t1[i] != t2[i]) {
		size_t from = i > 200 ? i - 200 : 0;

		fail_msg("the loads differ at byte %zu:\n...%.300s\n...%.300s", i, t1 + from, t2 + from);
	}
	free(t1);
	free(t2);
	/* tokens are random: no two loads share a registration hash */
	assert_int_equal(fixture_int(d1, "SELECT count(DISTINCT token_hash) FROM registrations"),
			 fixture_int(d1, "SELECT count(*) FROM registrations"));
	fixture_close(&f1);
	fixture_close(&f2);
}

static void test_existing_event_blocks_load(void **state)
{
	struct fixture *fx = *state;
	struct db *db = fx->db;
	struct dom_err err;

	fixture_exec(db, "INSERT INTO organisations (name, kind, created_at, updated_at) "
			 "VALUES ('Org', 'ngo', 0, 0)");
	fixture_exec(db, "INSERT INTO events (type, title_fr, org_id, capacity, created_at, "
			 "updated_at) VALUES ('workshop', 'Atelier', 1, 10, 0, 0)");
	assert_int_equal(demo_load(db, FIXTURE_NOW, &err), DOM_OK);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM events"), 1);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM people"), 0);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM accounts"), 0);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM change_log"), 0);
}

/* The embedded files load, and what they say hangs together: every reference resolved, the roles the
 * generator needs present, every name pool filled. */
static void test_data_embedded(void **state)
{
	struct demo_data *d = calloc(1, sizeof(*d));
	char why[DEMO_WHY_LEN];

	(void)state;
	assert_non_null(d);
	if (demo_data_load(d, NULL, NULL, 0, why))
		fail_msg("the embedded demo data does not load: %s", why);
	assert_true(d->n_orgs > 0 && d->n_venues > 0 && d->n_rooms > 0 && d->n_facs > 0);
	assert_true(d->n_events >= 12 && d->n_nats > 0);
	assert_string_equal(d->accounts[d->admin].email, DEMO_ADMIN_EMAIL);
	assert_string_equal(d->accounts[d->admin].role, "admin");
	for (int e = 0; e < d->n_events; e++) {
		const struct demo_event *ev = &d->events[e];

		assert_int_equal(d->rooms[ev->room].venue, ev->venue);
		assert_true(ev->org >= 0 && ev->org < d->n_orgs && ev->partner < d->n_orgs);
		assert_true(ev->facilitator >= 0 && ev->facilitator < d->n_facs);
		assert_true(!ev->checkin || d->checkin >= 0);
	}
	for (int i = 0; i <= d->n_nats; i++) {
		const struct demo_nat *n = i < d->n_nats ? &d->nats[i] : &d->officials;

		assert_true(n->n_male > 0 && n->n_female > 0 && n->n_last > 0);
		assert_non_null(n->male[n->n_male - 1].ar);
	}
	demo_data_free(d);
	free(d);
}

/* One broken copy of a data file: the first `from` in it becomes `to`, and the load must fail with a
 * message holding `why`. */
static const struct {
	const char *file, *from, *to, *why;
} broken[] = {
    {"organisations.json", "\"key\": \"MIN\",", "\"key\": \"MIN\", \"colour\": \"red\",",
     "organisations.json, entry 1: unknown field 'colour'"},
    {"organisations.json", "\"key\": \"MRE\"", "\"key\": \"MIN\"", "entry 2: key 'MIN' is taken"},
    {"venues.json", "\"capacity\": 80}", "\"capacity\": \"80\"}", "field 'capacity' must be an integer"},
    {"venues.json", "\"org\": \"MIN\"", "\"org\": \"MINI\"", "no organisation 'MINI'"},
    {"facilitators.json", "\"org\": \"OFPPT\"", "\"org\": 7", "field 'org' must be a string"},
    {"accounts.json", "\"role\": \"admin\"", "\"role\": \"viewer\"", "no account has the role 'admin'"},
    {"events.json", "\"room\": \"Atelier cuisine\"", "\"room\": \"Salle B12bis\"",
     "has no room 'Salle B12bis'"},
    {"events.json", "\"facilitator\": \"Abdelkader Mansouri\"", "\"facilitator\": \"A. Mansouri\"",
     "events.json, entry 1: no facilitator 'A. Mansouri'"},
    {"events.json", "\"first_day\": \"2026-02-17\"", "\"first_day\": \"2026-02-30\"", "first_day"},
    {"events.json", "\"start\": \"09:30\"", "\"start\": \"9:30\"", "field 'start' must be a time HH:MM"},
    {"events.json", "\"sessions\": 10,", "\"sessions\": 9,", "10 session titles for 9 sessions"},
    {"events.json", "\"participants\": \"migrants\"", "\"participants\": \"students\"", "participants"},
    {"events.json", "\"confirmed\": 15", "\"confirmd\": 15", "unknown field 'confirmd'"},
    {"names.json", "\"weight\": 18", "\"weight\": 19", "weights add up to 101, not 100"},
    {"names.json", "[\"Mamadou\", \"مامادو\"]", "[\"Mamadou\"]", "male name 1 is not"},
    {"names.json", "{", "{]", "names.json: request body is not valid JSON"},
};

static void test_data_broken(void **state)
{
	struct demo_data *d = calloc(1, sizeof(*d));
	char why[DEMO_WHY_LEN], *copy;
	const char *text, *at;
	size_t len, from_len, to_len;

	(void)state;
	assert_non_null(d);
	for (size_t i = 0; i < ARRAY_LEN(broken); i++) {
		text = demo_data_file(broken[i].file, &len);
		assert_non_null(text);
		at = memmem(text, len, broken[i].from, strlen(broken[i].from));
		if (!at)
			fail_msg("case %zu: '%s' is not in %s", i, broken[i].from, broken[i].file);
		from_len = strlen(broken[i].from);
		to_len = strlen(broken[i].to);
		copy = malloc(len - from_len + to_len);
		assert_non_null(copy);
		memcpy(copy, text, (size_t)(at - text));
		memcpy(copy + (at - text), broken[i].to, to_len);
		memcpy(copy + (at - text) + to_len, at + from_len, len - (size_t)(at - text) - from_len);
		if (!demo_data_load(d, broken[i].file, copy, len - from_len + to_len, why))
			fail_msg("case %zu: %s with '%s' loads", i, broken[i].file, broken[i].to);
		if (!strstr(why, broken[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, why, broken[i].why);
		if (strncmp(why, broken[i].file, strlen(broken[i].file)))
			fail_msg("case %zu: '%s' does not start with the file's name", i, why);
		demo_data_free(d);
		free(copy);
	}
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_load_once_then_noop, setup, fixture_teardown),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test_setup_teardown(test_existing_event_blocks_load, setup, fixture_teardown),
	    cmocka_unit_test(test_data_embedded),
	    cmocka_unit_test(test_data_broken),
	};

	if (fixture_cheap_hashes("test_demo"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
