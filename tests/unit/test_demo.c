/* test_demo: in-process tests of domain/demo on fresh SQLite files in /tmp (load once, no-op when events
 * exist, same data on every load); it checks the loader's outcome and must not share its tables. */
#include "domain/demo.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <stdbool.h>

#include "store/db.h"
#include "store/db_test.h"
#include "util/secret.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A fresh migrated database in /tmp; path receives its name (removed by demo_db_close). */
static struct db *demo_db_open(char path[64])
{
	struct db *db = NULL;
	char err[256];
	int fd;

	snprintf(path, 64, "/tmp/majlis-test-demo-%ld-XXXXXX", (long)getpid());
	fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), 0);
	return db;
}

static void demo_db_close(struct db *db, const char *path)
{
	char p[96];

	db_close(db);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/* One integer from a query without parameters. */
static int64_t one(struct db *db, const char *sql)
{
	int64_t v = 0;

	assert_int_equal(db_test_int(db, sql, &v), STORE_OK);
	return v;
}

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
		out[i] = one(db, fingerprint_sql[i]);
}

static void test_load_once_then_noop(void **state)
{
	int64_t a[ARRAY_LEN(fingerprint_sql)], b[ARRAY_LEN(fingerprint_sql)];
	struct dom_err err;
	char path[64];
	struct db *db = demo_db_open(path);

	(void)state;
	assert_int_equal(demo_load(db, &err), DOM_OK);
	assert_true(one(db, "SELECT count(*) FROM events") >= 12);
	assert_true(one(db, "SELECT count(*) FROM people") >= 280);
	assert_int_equal(
	    one(db, "SELECT count(*) FROM change_log WHERE topic = 'system' AND kind = 'demo.loaded'"), 1);
	assert_int_equal(
	    one(db, "SELECT count(*) FROM accounts WHERE email = '" DEMO_ADMIN_EMAIL "' AND role = 'admin'"),
	    1);
	assert_true(db_integrity_ok(db));
	fingerprint(db, a);
	assert_int_equal(demo_load(db, &err), DOM_OK);
	fingerprint(db, b);
	assert_memory_equal(a, b, sizeof(a));
	demo_db_close(db, path);
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
	char p1[64], p2[64];
	struct db *d1 = demo_db_open(p1);
	struct db *d2 = demo_db_open(p2);
	char *t1, *t2;
	size_t i = 0;

	(void)state;
	assert_int_equal(demo_load(d1, &err), DOM_OK);
	assert_int_equal(demo_load(d2, &err), DOM_OK);
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
	assert_int_equal(one(d1, "SELECT count(DISTINCT token_hash) FROM registrations"),
			 one(d1, "SELECT count(*) FROM registrations"));
	demo_db_close(d1, p1);
	demo_db_close(d2, p2);
}

static void test_existing_event_blocks_load(void **state)
{
	struct dom_err err;
	char path[64];
	struct db *db = demo_db_open(path);

	(void)state;
	assert_int_equal(db_test_exec(db, "INSERT INTO organisations (name, kind, created_at, updated_at) "
					  "VALUES ('Org', 'ngo', 0, 0)"),
			 0);
	assert_int_equal(db_test_exec(db, "INSERT INTO events (type, title_fr, org_id, capacity, created_at, "
					  "updated_at) VALUES ('workshop', 'Atelier', 1, 10, 0, 0)"),
			 0);
	assert_int_equal(demo_load(db, &err), DOM_OK);
	assert_int_equal(one(db, "SELECT count(*) FROM events"), 1);
	assert_int_equal(one(db, "SELECT count(*) FROM people"), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM accounts"), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM change_log"), 0);
	demo_db_close(db, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_once_then_noop),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_existing_event_blocks_load),
	};

	if (password_set_iterations(1000)) { /* cheap hashes; test_secret keeps one at the real cost */
		fprintf(stderr, "test_demo: this build has no test hooks (MAJLIS_TEST_HOOKS)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
