/* test_db: the store's connection rules — migrations from every older version, refusal of a newer
 * database, named binds that fail loudly, constraint and busy mapping, transactions that leave nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <sqlite3.h>

#include "store/db.h"

extern const unsigned char *const db_migration_sql[];
extern const size_t db_migration_len[];
extern const int db_migration_count;

static void temp_path(char *out, size_t n, const char *tag)
{
	snprintf(out, n, "/tmp/test_db_%s_%d.db", tag, (int)getpid());
	unlink(out);
	for (const char *suffix = "-wal"; suffix; suffix = strcmp(suffix, "-wal") ? NULL : "-shm") {
		char p[300];

		snprintf(p, sizeof(p), "%s%s", out, suffix);
		unlink(p);
	}
}

static int64_t scalar(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void migrates_from_every_older_version(void **state)
{
	char path[256], err[256];

	(void)state;
	for (int from = 0; from < db_migration_count; from++) {
		sqlite3 *raw;
		struct db *db;
		char pragma[64];

		temp_path(path, sizeof(path), "mig");
		assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
		for (int i = 0; i < from; i++) {
			char *sql = strndup((const char *)db_migration_sql[i], db_migration_len[i]);

			assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
			free(sql);
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", from);
		assert_int_equal(sqlite3_exec(raw, pragma, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(raw);

		assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
		assert_int_equal(db_schema_version(db), db_schema_latest());
		assert_true(db_integrity_ok(db));
		assert_int_equal(scalar(db, "PRAGMA foreign_keys"), 1);
		assert_int_equal(scalar(db, "PRAGMA synchronous"), 2); /* FULL */
		db_close(db);
		/* opening again applies nothing and keeps the version */
		assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
		assert_int_equal(db_schema_version(db), db_schema_latest());
		db_close(db);
		unlink(path);
	}
}

static void refuses_newer_and_unmigrated_databases(void **state)
{
	char path[256], err[256];
	struct db *db;
	sqlite3 *raw;

	(void)state;
	temp_path(path, sizeof(path), "new");
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 9999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_not_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
	assert_null(db);
	assert_non_null(strstr(err, "newer than this majlisd knows"));
	unlink(path);

	temp_path(path, sizeof(path), "old");
	assert_int_not_equal(db_open(path, 0, &db, err, sizeof(err)), STORE_OK);
	assert_non_null(strstr(err, "migrate"));
	unlink(path);
}

static void binds_and_results(void **state)
{
	char path[256], err[256];
	struct db *db;
	sqlite3_stmt *st;
	struct json_object *payload;
	int64_t seq1 = 0, seq2 = 0;
	static const char ins[] = "INSERT INTO organisations (name, kind, created_at, updated_at) "
				  "VALUES (:name, :kind, 0, 0)";

	(void)state;
	temp_path(path, sizeof(path), "bind");
	assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);

	st = db_stmt(db, ins);
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, ":nope", "x"), STORE_ERROR); /* unknown names fail loudly */
	assert_int_equal(db_bind_text(st, ":name", "Org"), STORE_OK);
	assert_int_equal(db_bind_text(st, ":kind", "ngo"), STORE_OK);
	assert_int_equal(db_exec_stmt(st), STORE_OK);
	/* the cached statement comes back reset with bindings cleared */
	assert_ptr_equal(db_stmt(db, ins), st);
	db_bind_text(st, ":name", "Org");
	db_bind_text(st, ":kind", "ngo");
	assert_int_equal(db_exec_stmt(st), STORE_CONFLICT); /* UNIQUE(name) */
	db_bind_text(st, ":name", "Other");
	db_bind_text(st, ":kind", "not-a-kind");
	assert_int_equal(db_exec_stmt(st), STORE_CONFLICT); /* CHECK(kind) */

	/* a rolled-back transaction leaves neither the change nor its change-log row */
	payload = json_object_new_object();
	assert_int_equal(db_begin(db), STORE_OK);
	assert_int_equal(db_begin(db), STORE_ERROR); /* no nesting */
	db_bind_text(st, ":name", "Rolled back");
	db_bind_text(st, ":kind", "ngo");
	assert_int_equal(db_exec_stmt(st), STORE_OK);
	assert_int_equal(db_changelog(db, "organisation:2", "organisation.created", 2, payload, &seq1), STORE_OK);
	db_rollback(db);
	assert_int_equal(scalar(db, "SELECT count(*) FROM organisations WHERE name = 'Rolled back'"), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM change_log"), 0);

	/* committed change-log sequence numbers increase (a rolled-back one was never seen by anyone) */
	assert_int_equal(db_begin(db), STORE_OK);
	assert_int_equal(db_changelog(db, "t", "k", 0, payload, &seq1), STORE_OK);
	assert_int_equal(db_outbox(db, "k", 0, NULL, payload), STORE_OK);
	assert_int_equal(db_commit(db), STORE_OK);
	assert_int_equal(db_begin(db), STORE_OK);
	assert_int_equal(db_changelog(db, "t", "k", 0, payload, &seq2), STORE_OK);
	assert_int_equal(db_commit(db), STORE_OK);
	assert_true(seq2 > seq1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM outbox"), 1);
	json_object_put(payload);
	db_close(db);
	unlink(path);
}

static void busy_database_maps_to_store_busy(void **state)
{
	char path[256], err[256];
	struct db *db;
	sqlite3 *other;

	(void)state;
	temp_path(path, sizeof(path), "busy");
	assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	sqlite3_busy_timeout(db_handle(db), 50); /* keep the test quick */
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_begin(db), STORE_BUSY);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_begin(db), STORE_OK);
	assert_int_equal(db_commit(db), STORE_OK);
	sqlite3_close(other);
	db_close(db);
	unlink(path);
}

static void backup_is_consistent(void **state)
{
	char path[256], out[256], err[256];
	struct db *db, *copy;

	(void)state;
	temp_path(path, sizeof(path), "src");
	temp_path(out, sizeof(out), "copy");
	assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
	assert_int_equal(sqlite3_exec(db_handle(db), "INSERT INTO organisations (name, kind, created_at, updated_at) "
				      "VALUES ('X', 'ngo', 0, 0)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_backup(db, out, err, sizeof(err)), STORE_OK);
	assert_int_equal(db_open(out, 0, &copy, err, sizeof(err)), STORE_OK);
	assert_int_equal(scalar(copy, "SELECT count(*) FROM organisations"), 1);
	assert_true(db_integrity_ok(copy));
	db_close(copy);
	db_close(db);
	unlink(path);
	unlink(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrates_from_every_older_version),
		cmocka_unit_test(refuses_newer_and_unmigrated_databases),
		cmocka_unit_test(binds_and_results),
		cmocka_unit_test(busy_database_maps_to_store_busy),
		cmocka_unit_test(backup_is_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
