/* test_db: the store's connection rules — migrations from every older version, refusal of a newer
 * database, named binds that fail loudly, typed rows, one-row reads and row folds, writes with an entity's
 * binds and set flags, constraint and busy mapping, transactions that leave nothing, a moved file that takes
 * no more commits, checkpoints that wait for no reader. */
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

#include "fixture.h"
#include "store/db.h"
#include "store/stmt.h"
#include "store/store_changelog.h"
#include "store/store_outbox.h"

extern const unsigned char *const db_migration_sql[];
extern const size_t db_migration_len[];
extern const int db_migration_count;
extern const char *const db_migration_name[];

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

/* Stands in for majlis_phone_e164() while older migrations are applied by hand (0004 calls it). */
static void phone_as_typed(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_value(ctx, argv[0]);
}

/* Builds the file path by hand, without db_open: the first `applied` migrations as raw SQL, then sql (NULL:
 * none), then PRAGMA user_version = version. */
static void raw_store(const char *path, int applied, const char *sql, int version)
{
	char pragma[64];
	sqlite3 *raw;

	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_create_function(raw, "majlis_phone_e164", 1, SQLITE_UTF8, NULL,
						 phone_as_typed, NULL, NULL),
			 SQLITE_OK);
	for (int i = 0; i < applied; i++) {
		char *m = strndup((const char *)db_migration_sql[i], db_migration_len[i]);

		assert_int_equal(sqlite3_exec(raw, m, NULL, NULL, NULL), SQLITE_OK);
		free(m);
	}
	if (sql)
		assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
	assert_int_equal(sqlite3_exec(raw, pragma, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
}

/* One organisation more, for the tests that need a write. */
static const char insert_org[] = "INSERT INTO organisations (name, kind, created_at, updated_at) "
				 "VALUES ('X', 'ngo', 0, 0)";

/* cmocka set-up of the tests that start from a fresh migrated store (tests/unit/fixture, no rows). */
static int fresh_store(void **state)
{
	return fixture_setup(state, "db", FIXTURE_EMPTY, NULL);
}

static void migrates_from_every_older_version(void **state)
{
	char path[256], err[256];

	(void)state;
	for (int from = 0; from < db_migration_count; from++) {
		struct db *db;

		temp_path(path, sizeof(path), "mig");
		raw_store(path, from, NULL, from);
		assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
		assert_int_equal(db_schema_version(db), db_schema_latest());
		assert_true(db_integrity_ok(db));
		assert_int_equal(fixture_int(db, "PRAGMA foreign_keys"), 1);
		assert_int_equal(fixture_int(db, "PRAGMA synchronous"), 2); /* FULL */
		db_close(db);
		/* opening again applies nothing and keeps the version */
		assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
		assert_int_equal(db_schema_version(db), db_schema_latest());
		db_close(db);
		unlink(path);
	}
}

/*
 * A database at schema 3 holding one phone typed four ways (four people, four registrations to one
 * event, attendance on two of them), and the people who must not be merged: another name on the same
 * phone, another organisation, an erased person, a different e-mail; and a phone that cannot be read.
 */
static const char phones_v3[] =
    "INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES "
    " (1, 'Org A', 'ngo', 0, 0), (2, 'Org B', 'ngo', 0, 0);"
    "INSERT INTO events (id, type, title_fr, org_id, capacity, created_at, updated_at) VALUES "
    " (1, 'training', 'Atelier', 1, 2, 0, 0), (2, 'training', 'Suite', 1, 10, 0, 0);"
    "INSERT INTO sessions (id, event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset,"
    " end_offset, created_at, updated_at) VALUES "
    " (1, 1, '2026-10-15T09:00:00', '2026-10-15T12:00:00', 'Africa/Casablanca', 100, 200, 3600, 3600, 0, 0),"
    " (2, 1, '2026-10-16T09:00:00', '2026-10-16T12:00:00', 'Africa/Casablanca', 300, 400, 3600, 3600, 0, 0);"
    "INSERT INTO people (id, org_id, name, name_ar, nationality, phone, email, erased_at, created_at, "
    "updated_at)"
    " VALUES"
    " (10, 1, 'Salma Idrissi', NULL, NULL, '+212 612 34 56 78', NULL, NULL, 1, 1),"
    " (11, 1, 'Salma Idrissi', NULL, 'MA', '+212612345678', NULL, NULL, 2, 2),"
    " (12, 1, 'salma idrissi ', 'سلمى', NULL, '00212612345678', 'salma@example.ma', NULL, 3, 3),"
    " (13, 1, 'Salma Idrissi', NULL, NULL, '0612345678', NULL, NULL, 4, 4),"
    " (20, 1, 'Youssef Idrissi', NULL, NULL, '06 12 34 56 78', NULL, NULL, 5, 5),"
    " (21, 2, 'Salma Idrissi', NULL, NULL, '0612345678', NULL, NULL, 6, 6),"
    " (22, 1, '(erased)', NULL, NULL, '0612345678', NULL, 9, 7, 7),"
    " (30, 1, 'Awa Ba', NULL, NULL, '+221 77 123 45 67', 'awa@example.sn', NULL, 8, 8),"
    " (31, 1, 'Awa Ba', NULL, NULL, '00221771234567', 'awa.ba@example.sn', NULL, 9, 9),"
    " (40, 1, 'Omar Tazi', NULL, NULL, '123456', NULL, NULL, 10, 10);"
    "INSERT INTO registrations (id, event_id, person_id, status, token_hash, waitlist_seq,"
    " attendance_confirmed_at, created_at, updated_at) VALUES"
    " (100, 1, 10, 'waitlisted', 'h100', 5, NULL, 1, 1),"
    " (101, 1, 11, 'confirmed', 'h101', NULL, NULL, 2, 2),"
    " (102, 1, 12, 'pending', 'h102', NULL, 77, 3, 3),"
    " (103, 1, 13, 'cancelled', 'h103', NULL, NULL, 4, 4),"
    " (104, 2, 13, 'confirmed', 'h104', NULL, NULL, 4, 4),"
    " (105, 1, 20, 'confirmed', 'h105', NULL, NULL, 5, 5);"
    "INSERT INTO attendance (session_id, registration_id, status, method, recorded_at) VALUES"
    " (1, 101, 'absent', 'manual', 50), (1, 100, 'present', 'qr', 60), (2, 102, 'excused', 'manual', 70);"
    "UPDATE sessions SET facilitator_id = 13 WHERE id = 2;"
    "INSERT INTO outbox (kind, person_id, payload, created_at, not_before) VALUES"
    " ('registration.confirmed', 12, '{}', 0, 0);"
    "INSERT INTO calendar_tokens (token_hash, owner_kind, owner_id, created_at) VALUES ('c1', 'person', 11, "
    "0);";

static void migration_4_merges_one_phone_typed_four_ways(void **state)
{
	char path[256], err[256];
	struct db *db;

	(void)state;
	temp_path(path, sizeof(path), "phones");
	raw_store(path, 3, phones_v3, 3);

	assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
	assert_true(db_integrity_ok(db));
	assert_int_equal(fixture_int(db, "PRAGMA foreign_key_check"), -1); /* no row: nothing dangles */
	/* phones in E.164; the unreadable one kept as it was */
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM people WHERE phone = '+212612345678'"),
			 4); /* 10, 20, 21, 22 */
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM people WHERE phone = '+221771234567'"), 2);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM people WHERE id = 40 AND phone = '123456'"),
			 1);
	/* the four Salmas of Org A are the oldest one, completed from the others */
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM people WHERE id IN (11, 12, 13)"), 0);
	assert_int_equal(
	    fixture_int(db, "SELECT count(*) FROM people WHERE id = 10 AND name = 'Salma Idrissi' AND "
			    "name_ar = 'سلمى' AND nationality = 'MA' AND email = 'salma@example.ma'"),
	    1);
	/* the same phone under another name, in another organisation, erased, or with another e-mail:
	 * not merged */
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM people WHERE id IN (20, 21, 22, 30, 31)"), 5);
	/* one registration to event 1, the best of four: confirmed; attendance says the most it knew */
	assert_int_equal(
	    fixture_int(db, "SELECT count(*) FROM registrations WHERE event_id = 1 AND person_id = 10"), 1);
	assert_int_equal(fixture_int(db,
				     "SELECT id FROM registrations WHERE event_id = 1 AND person_id = 10 AND "
				     "status = 'confirmed' AND attendance_confirmed_at = 77"),
			 101);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM registrations WHERE id IN (100, 102, 103)"),
			 0);
	assert_int_equal(
	    fixture_int(db, "SELECT count(*) FROM attendance WHERE registration_id = 101 AND session_id = 1 "
			    "AND status = 'present' AND method = 'qr'"),
	    1);
	assert_int_equal(
	    fixture_int(db, "SELECT count(*) FROM attendance WHERE registration_id = 101 AND session_id = 2 "
			    "AND status = 'excused'"),
	    1);
	/* seats are only released: event 1 keeps its 2 confirmed (101, 105) of 2 seats */
	assert_int_equal(
	    fixture_int(db, "SELECT count(*) FROM registrations WHERE event_id = 1 AND status = 'confirmed'"),
	    2);
	/* the merged person's other registration, session, mail and calendar token follow */
	assert_int_equal(fixture_int(db, "SELECT person_id FROM registrations WHERE id = 104"), 10);
	assert_int_equal(fixture_int(db, "SELECT facilitator_id FROM sessions WHERE id = 2"), 10);
	assert_int_equal(fixture_int(db, "SELECT person_id FROM outbox"), 10);
	assert_int_equal(fixture_int(db, "SELECT owner_id FROM calendar_tokens"), 10);
	/* change-log rows with ids only */
	assert_int_equal(
	    fixture_int(
		db, "SELECT count(*) FROM change_log WHERE topic = 'person:10' AND kind = "
		    "'person.merged' AND org_id = 1 AND payload = '{\"id\":10,\"merged_ids\":[11,12,13]}'"),
	    1);
	assert_int_equal(
	    fixture_int(db, "SELECT count(*) FROM change_log WHERE topic = 'event:1' AND kind = "
			    "'registrations.merged' AND payload = '{\"removed_ids\":[100,102,103]}'"),
	    1);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM change_log"), 2);
	/* the counters of the later migration 0007 count what the merge left */
	fixture_assert_counts(db);
	db_close(db);
	unlink(path);
}

/* Registrations and attendance written before the counters existed: two events, every status, each sex. */
static const char counts_v6[] =
    "INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES (1, 'Org A', 'ngo', 0, 0);"
    "INSERT INTO events (id, type, title_fr, org_id, capacity, created_at, updated_at) VALUES "
    " (1, 'training', 'Atelier', 1, 2, 0, 0), (2, 'training', 'Suite', 1, 10, 0, 0);"
    "INSERT INTO sessions (id, event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset,"
    " end_offset, created_at, updated_at) VALUES "
    " (1, 1, '2026-10-15T09:00:00', '2026-10-15T12:00:00', 'UTC', 100, 200, 0, 0, 0, 0),"
    " (2, 1, '2026-10-16T09:00:00', '2026-10-16T12:00:00', 'UTC', 300, 400, 0, 0, 0, 0);"
    "INSERT INTO people (id, org_id, name, sex, created_at, updated_at) VALUES"
    " (10, 1, 'A', 'female', 0, 0), (11, 1, 'B', 'male', 0, 0), (12, 1, 'C', 'unspecified', 0, 0),"
    " (13, 1, 'D', 'female', 0, 0), (14, 1, 'E', 'male', 0, 0);"
    "INSERT INTO registrations (id, event_id, person_id, status, token_hash, waitlist_seq, created_at,"
    " updated_at) VALUES"
    " (100, 1, 10, 'confirmed', 'h100', NULL, 0, 0), (101, 1, 11, 'confirmed', 'h101', NULL, 0, 0),"
    " (102, 1, 12, 'waitlisted', 'h102', 7, 0, 0), (103, 1, 13, 'waitlisted', 'h103', 9, 0, 0),"
    " (104, 1, 14, 'cancelled', 'h104', NULL, 0, 0), (105, 2, 10, 'pending', 'h105', NULL, 0, 0),"
    " (106, 2, 11, 'rejected', 'h106', NULL, 0, 0), (107, 2, 12, 'declined', 'h107', NULL, 0, 0);"
    "INSERT INTO attendance (session_id, registration_id, status, method, recorded_at) VALUES"
    " (1, 100, 'present', 'qr', 50), (1, 101, 'present', 'manual', 50), (2, 100, 'present', 'qr', 60),"
    " (2, 101, 'absent', 'manual', 60), (1, 104, 'excused', 'manual', 60);";

static void migration_counters_recount_existing_rows(void **state)
{
	char path[256], err[256];
	struct db *db;
	int at = -1;

	(void)state;
	for (int i = 0; i < db_migration_count; i++)
		if (!strcmp(db_migration_name[i], "0007_counters.sql"))
			at = i;
	assert_true(at >= 0);
	temp_path(path, sizeof(path), "counts");
	raw_store(path, at, counts_v6, at);
	assert_int_equal(db_open(path, DB_MIGRATE, &db, err, sizeof(err)), STORE_OK);
	fixture_assert_counts(db);
	assert_int_equal(fixture_int(db, "SELECT n FROM registration_counts WHERE event_id = 1 AND status = "
					 "'waitlisted' AND sex = 'female'"),
			 1);
	assert_int_equal(fixture_int(db, "SELECT sum(n) FROM registration_counts WHERE event_id = 1 AND "
					 "status = 'confirmed'"),
			 2);
	assert_int_equal(fixture_int(db, "SELECT sum(n) FROM presence_counts WHERE session_id = 1"), 2);
	assert_int_equal(fixture_int(db, "SELECT sum(n) FROM presence_counts WHERE session_id = 2"), 1);
	/* and from then on they move with every write */
	fixture_exec(
	    db, "UPDATE registrations SET status = 'confirmed', waitlist_seq = NULL WHERE id = 102;"
		"UPDATE attendance SET status = 'present' WHERE registration_id = 101 AND session_id = 2;"
		"UPDATE people SET sex = 'male' WHERE id = 10;"
		"DELETE FROM sessions WHERE id = 1;");
	fixture_assert_counts(db);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM presence_counts WHERE session_id = 1"), 0);
	db_close(db);
	unlink(path);
}

static void refuses_newer_and_unmigrated_databases(void **state)
{
	char path[256], err[256];
	struct db *db;

	(void)state;
	temp_path(path, sizeof(path), "new");
	raw_store(path, 0, NULL, 9999);
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
	struct db *db = ((struct fixture *)*state)->db;
	sqlite3_stmt *st;
	struct json_object *payload;
	int64_t seq1 = 0, seq2 = 0;
	static const char ins[] = "INSERT INTO organisations (name, kind, created_at, updated_at) "
				  "VALUES (:name, :kind, 0, 0)";

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

	/* table-driven binds: every kind, and a wrong name fails loudly and runs nothing */
	{
		static const char upd[] =
		    "UPDATE venues SET latitude = :lat, longitude = :lon WHERE id = :id";
		int64_t id = 0, n = -1;

		assert_int_equal(
		    db_run_insert(db,
				  "INSERT INTO venues (name, city, address, org_id, created_at, updated_at) "
				  "VALUES (:name, 'Rabat', :address, :org, :now, :now)",
				  DB_ARGS(DB_TEXT(":name", "Salle"), DB_TEXT(":address", NULL),
					  DB_OPT_INT(":org", false, 7), DB_INT(":now", 5)),
				  &id),
		    STORE_OK);
		assert_true(id > 0);
		assert_int_equal(db_run_update(db, upd,
					       DB_ARGS(DB_DOUBLE(":lat", 33.5),
						       DB_OPT_DOUBLE(":lon", true, -7.6), DB_INT(":id", id))),
				 STORE_OK);
		assert_int_equal(
		    fixture_int(db, "SELECT count(*) FROM venues WHERE address IS NULL AND org_id IS NULL "
				    "AND created_at = 5 AND latitude = 33.5 AND longitude = -7.6"),
		    1);
		assert_int_equal(
		    db_run_update(db, upd, DB_ARGS(DB_NULL(":lat"), DB_NULL(":lon"), DB_INT(":id", id + 1))),
		    STORE_NOT_FOUND);
		assert_null(db_stmt_args(db, upd, DB_ARGS(DB_INT(":id", id), DB_NULL(":nope"))));
		assert_int_equal(
		    db_run_update(db, upd, DB_ARGS(DB_NULL(":lat"), DB_NULL(":latitude"), DB_INT(":id", id))),
		    STORE_ERROR);
		assert_int_equal(fixture_int(db, "SELECT count(*) FROM venues WHERE latitude IS NULL"), 0);
		assert_int_equal(db_run(db, "DELETE FROM venues WHERE id = :id", DB_ARGS(DB_INT(":id", id))),
				 STORE_OK);
		n = db_changes(db);
		assert_int_equal(n, 1);
	}

	/* a rolled-back transaction leaves neither the change nor its change-log row */
	payload = json_object_new_object();
	assert_int_equal(db_begin(db), STORE_OK);
	assert_int_equal(db_begin(db), STORE_ERROR); /* no nesting */
	db_bind_text(st, ":name", "Rolled back");
	db_bind_text(st, ":kind", "ngo");
	assert_int_equal(db_exec_stmt(st), STORE_OK);
	assert_int_equal(db_changelog(db, "organisation:2", "organisation.created", 2, payload, 1000, &seq1),
			 STORE_OK);
	db_rollback(db);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM organisations WHERE name = 'Rolled back'"), 0);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM change_log"), 0);

	/* committed change-log sequence numbers increase (a rolled-back one was never seen by anyone) */
	assert_int_equal(db_begin(db), STORE_OK);
	assert_int_equal(db_changelog(db, "t", "k", 0, payload, 1001, &seq1), STORE_OK);
	assert_int_equal(db_outbox(db, "k", 0, NULL, payload, 1002), STORE_OK);
	assert_int_equal(db_commit(db), STORE_OK);
	assert_int_equal(db_begin(db), STORE_OK);
	assert_int_equal(db_changelog(db, "t", "k", 0, payload, 1003, &seq2), STORE_OK);
	assert_int_equal(db_commit(db), STORE_OK);
	assert_true(seq2 > seq1);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM outbox"), 1);
	/* both rows carry the caller's time: the store reads no clock */
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM change_log WHERE created_at IN (1001, 1003)"),
			 2);
	assert_int_equal(
	    fixture_int(db, "SELECT count(*) FROM outbox WHERE created_at = 1002 AND not_before = 1002 "
			    "AND channel = 'email'"),
	    1);
	json_object_put(payload);
}

static void busy_database_maps_to_store_busy(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	sqlite3 *other;

	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	sqlite3_busy_timeout(db_handle(db), 50); /* keep the test quick */
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_begin(db), STORE_BUSY);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_begin(db), STORE_OK);
	assert_int_equal(db_commit(db), STORE_OK);
	sqlite3_close(other);
}

static void backup_is_consistent(void **state)
{
	char out[256], err[256];
	struct db *db = ((struct fixture *)*state)->db, *copy;

	temp_path(out, sizeof(out), "copy");
	fixture_exec(db, insert_org);
	assert_int_equal(db_backup(db, out, err, sizeof(err)), STORE_OK);
	assert_int_equal(db_open(out, 0, &copy, err, sizeof(err)), STORE_OK);
	assert_int_equal(fixture_int(copy, "SELECT count(*) FROM organisations"), 1);
	assert_true(db_integrity_ok(copy));
	db_close(copy);
	unlink(out);
}

/* A file renamed under an open connection: the path no longer names it, so nothing more is committed. */
static void moved_file_refuses_commits(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	char moved[300];

	snprintf(moved, sizeof(moved), "%s.moved", f->path);
	assert_int_equal(db_health(db), STORE_OK);
	assert_int_equal(rename(f->path, moved), 0);
	assert_int_equal(db_begin(db), STORE_OK);
	fixture_exec(db, insert_org);
	assert_int_equal(db_commit(db), STORE_GONE);
	assert_int_equal(db_health(db), STORE_GONE);
	assert_int_equal(db_begin(db), STORE_GONE);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM organisations"), 0);
	unlink(moved);
}

/* The WAL's frames are copied and the file emptied by a TRUNCATE checkpoint once no reader holds them. */
static void checkpoint_waits_for_no_reader(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	sqlite3 *reader;
	int frames, copied;
	uint64_t commits;

	commits = db_commits(db);
	assert_int_equal(sqlite3_open(f->path, &reader), SQLITE_OK);
	assert_int_equal(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM organisations", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(db_begin(db), STORE_OK);
	fixture_exec(db, insert_org);
	assert_int_equal(db_commit(db), STORE_OK);
	assert_int_equal(db_commits(db), commits + 1);
	assert_int_equal(db_checkpoint(db, true, &frames, &copied), STORE_BUSY);
	assert_true(frames > copied);
	assert_int_equal(sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_checkpoint(db, true, &frames, &copied), STORE_OK);
	assert_int_equal(frames, 0);
	sqlite3_close(reader);
}

/* A row type of the test: an organisation's id and name; reads fail at fail_at (0: never). */
struct test_row {
	int64_t id;
	char *name;
};
static int64_t test_row_fail_at;
static int test_row_clears;

static int test_row_read(sqlite3_stmt *st, void *row)
{
	struct test_row *r = row;

	assert_int_equal(r->id, 0); /* handed over zeroed */
	assert_null(r->name);
	r->id = db_col_int(st, 0);
	if (r->id == test_row_fail_at)
		return STORE_ERROR;
	return db_col_dup(st, 1, &r->name);
}

static void test_row_clear(void *row)
{
	struct test_row *r = row;

	free(r->name);
	memset(r, 0, sizeof(*r));
	test_row_clears++;
}

static const struct db_row_type test_row_type = {sizeof(struct test_row), test_row_read, test_row_clear};

static int test_row_bind(sqlite3_stmt *st, const void *ctx)
{
	return db_bind_args(st, DB_ARGS(DB_TEXT(":kind", ctx)));
}

/* Typed rows: one row by id, every row, a page, NULL columns, and a reader that fails half-way (what it
 * read so far is cleared and nothing is handed out). */
static void typed_rows(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	static const char by_id[] = "SELECT id, region FROM organisations WHERE id = :id";
	static const char all[] = "SELECT id, name FROM organisations ORDER BY id";
	static const char count[] = "SELECT count(*) FROM organisations WHERE kind = :kind";
	static const char page[] = "SELECT id, name FROM organisations WHERE kind = :kind ORDER BY id "
				   "LIMIT :limit OFFSET :offset";
	struct test_row one = {0}, *rows;
	void *a = (void *)&one;
	size_t n = 99;
	int64_t total = -1;

	assert_int_equal(db_rows(db_stmt(db, all), &test_row_type, &a, &n), STORE_OK);
	assert_null(a); /* no row: no array */
	assert_int_equal(n, 0);
	for (int i = 1; i <= 20; i++) {
		char name[16];

		snprintf(name, sizeof(name), "Org %02d", i);
		assert_int_equal(
		    db_run(db,
			   "INSERT INTO organisations (name, kind, region, created_at, updated_at) "
			   "VALUES (:name, :kind, :region, 0, 0)",
			   DB_ARGS(DB_TEXT(":name", name),
				   DB_TEXT(":kind", i % 2 ? "ngo" : "training_centre"),
				   DB_TEXT(":region", i == 1 ? NULL : "Rabat"))),
		    STORE_OK);
	}

	assert_int_equal(db_row_by_id(db, by_id, 2, &test_row_type, &one), STORE_OK);
	assert_int_equal(one.id, 2);
	assert_string_equal(one.name, "Rabat");
	test_row_clear(&one);
	assert_int_equal(db_row_by_id(db, by_id, 1, &test_row_type, &one), STORE_OK);
	assert_null(one.name); /* SQL NULL */
	assert_int_equal(db_row_by_id(db, by_id, 999, &test_row_type, &one), STORE_NOT_FOUND);

	assert_int_equal(db_rows(db_stmt(db, all), &test_row_type, &a, &n), STORE_OK);
	rows = a;
	assert_int_equal(n, 20); /* past the first growth of the array */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].id, (int64_t)i + 1);
	assert_string_equal(rows[19].name, "Org 20");
	test_row_clears = 0;
	db_rows_free(&test_row_type, rows, n);
	assert_int_equal(test_row_clears, 20);
	db_rows_free(&test_row_type, NULL, 0);

	assert_int_equal(
	    db_page_rows(db, count, page, test_row_bind, "ngo", 3, 2, &test_row_type, &a, &n, &total),
	    STORE_OK);
	rows = a;
	assert_int_equal(total, 10);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, 5); /* ngo: 1, 3, 5, 7, 9 ...; offset 2 */
	assert_int_equal(rows[2].id, 9);
	db_rows_free(&test_row_type, rows, n);

	test_row_fail_at = 12;
	test_row_clears = 0;
	assert_int_equal(db_rows(db_stmt(db, all), &test_row_type, &a, &n), STORE_ERROR);
	assert_null(a);
	assert_int_equal(n, 0);
	assert_int_equal(test_row_clears, 12); /* the eleven read and the one that failed */
	assert_int_equal(db_row_by_id(db, by_id, 12, &test_row_type, &one), STORE_ERROR);
	assert_int_equal(one.id, 0);
	test_row_fail_at = 0;
	/* the statements were reset: they run again */
	assert_int_equal(db_rows(db_stmt(db, all), &test_row_type, &a, &n), STORE_OK);
	assert_int_equal(n, 20);
	db_rows_free(&test_row_type, a, n);
}

/* Where test_pair_read puts what it read. */
struct test_pair_out {
	int64_t *id;
	char *name; /* 16 bytes */
};

static int test_pair_read(sqlite3_stmt *st, void *ctx)
{
	const struct test_pair_out *o = ctx;

	*o->id = db_col_int(st, 0);
	db_col_copy(st, 1, o->name, 16);
	return *o->id == test_row_fail_at ? STORE_CONFLICT : STORE_OK;
}

/* Adds the row's first column to *(int64_t *)ctx; fails after the row test_row_fail_at. */
static int test_sum_read(sqlite3_stmt *st, void *ctx)
{
	*(int64_t *)ctx += db_col_int(st, 0);
	return db_col_int(st, 0) == test_row_fail_at ? STORE_CONFLICT : STORE_OK;
}

/* One-row reads: an integer, a text, the caller's reader, found-or-not, a list of ids; no row, a NULL
 * column, a bad bind name and a failing reader each answer as documented, and the statements were reset. */
static void one_row_reads(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	static const char by_name[] = "SELECT id, region FROM organisations WHERE name = :name";
	static const char region[] = "SELECT region FROM organisations WHERE id = :id";
	char buf[16] = "untouched", small[4];
	int64_t v = -1, id = -1, org = 0, *ids;
	struct test_pair_out o = {&id, buf};
	size_t n = 9;
	void *a;

	assert_int_equal(
	    db_run_insert(db,
			  "INSERT INTO organisations (name, kind, region, created_at, updated_at) "
			  "VALUES ('Org A', 'ngo', 'Casablanca-Settat', 0, 0)",
			  NULL, &org),
	    STORE_OK);
	assert_int_equal(db_run(db,
				"INSERT INTO organisations (name, kind, region, created_at, updated_at) "
				"VALUES ('Org B', 'ngo', NULL, 0, 0)",
				NULL),
			 STORE_OK);

	/* db_one_int: the value, NULL as 0, no row as STORE_NOT_FOUND with 0, only existence */
	assert_int_equal(db_one_int(db, by_name, DB_ARGS(DB_TEXT(":name", "Org A")), &v), STORE_OK);
	assert_int_equal(v, org);
	assert_int_equal(db_one_int(db, "SELECT region FROM organisations WHERE name = 'Org B'", NULL, &v),
			 STORE_OK);
	assert_int_equal(v, 0);
	v = -1;
	assert_int_equal(db_one_int(db, by_name, DB_ARGS(DB_TEXT(":name", "none")), &v), STORE_NOT_FOUND);
	assert_int_equal(v, 0);
	assert_int_equal(db_one_int(db, by_name, DB_ARGS(DB_TEXT(":name", "Org B")), NULL), STORE_OK);
	assert_int_equal(db_one_int(db, by_name, DB_ARGS(DB_TEXT(":nope", "Org B")), &v), STORE_ERROR);
	assert_int_equal(db_int_by_id(db, "SELECT 7 FROM organisations WHERE id = :id", org, &v), STORE_OK);
	assert_int_equal(v, 7);
	assert_int_equal(db_int(db, "SELECT count(*) FROM organisations", &v), STORE_OK);
	assert_int_equal(v, 2);
	assert_int_equal(db_int(db, "SELECT 1 FROM organisations WHERE 0", &v), STORE_ERROR); /* no row */

	/* db_one_text: copied, truncated to fit, NULL and no row as "" */
	assert_int_equal(db_one_text(db, region, DB_ARGS(DB_INT(":id", org)), buf, sizeof(buf)), STORE_OK);
	assert_string_equal(buf, "Casablanca-Sett");
	assert_int_equal(db_one_text(db, region, DB_ARGS(DB_INT(":id", org)), small, sizeof(small)),
			 STORE_OK);
	assert_string_equal(small, "Cas");
	assert_int_equal(db_one_text(db, region, DB_ARGS(DB_INT(":id", org + 1)), buf, sizeof(buf)),
			 STORE_OK);
	assert_string_equal(buf, "");
	snprintf(buf, sizeof(buf), "untouched");
	assert_int_equal(db_one_text(db, region, DB_ARGS(DB_INT(":id", 999)), buf, sizeof(buf)),
			 STORE_NOT_FOUND);
	assert_string_equal(buf, "");

	/* db_one: the reader writes where ctx points; no row leaves everything as it was; its error is the
	 * answer */
	assert_int_equal(db_one(db, by_name, DB_ARGS(DB_TEXT(":name", "Org A")), test_pair_read, &o),
			 STORE_OK);
	assert_int_equal(id, org);
	assert_string_equal(buf, "Casablanca-Sett");
	id = -1;
	snprintf(buf, sizeof(buf), "untouched");
	assert_int_equal(db_one(db, by_name, DB_ARGS(DB_TEXT(":name", "none")), test_pair_read, &o),
			 STORE_NOT_FOUND);
	assert_int_equal(id, -1);
	assert_string_equal(buf, "untouched");
	test_row_fail_at = org;
	assert_int_equal(db_one(db, by_name, DB_ARGS(DB_TEXT(":name", "Org A")), test_pair_read, &o),
			 STORE_CONFLICT);
	test_row_fail_at = 0;
	assert_int_equal(db_one(db, by_name, DB_ARGS(DB_TEXT(":name", "Org A")), test_pair_read, &o),
			 STORE_OK);

	/* db_each: every row, or up to the reader's first error */
	v = 0;
	assert_int_equal(db_each(db_stmt(db, "SELECT id FROM organisations ORDER BY id"), test_sum_read, &v),
			 STORE_OK);
	assert_int_equal(v, 2 * org + 1);
	v = 0;
	test_row_fail_at = org;
	assert_int_equal(db_each(db_stmt(db, "SELECT id FROM organisations ORDER BY id"), test_sum_read, &v),
			 STORE_CONFLICT);
	assert_int_equal(v, org); /* the failing row was read, no row after it */
	test_row_fail_at = 0;
	assert_int_equal(db_each(NULL, test_sum_read, &v), STORE_ERROR);

	/* db_found */
	assert_int_equal(db_found(STORE_OK), 1);
	assert_int_equal(db_found(STORE_NOT_FOUND), 0);
	assert_int_equal(db_found(STORE_BUSY), STORE_BUSY);

	/* db_id_row: a list of ids; NULL statement (failed binds) is STORE_ERROR with nothing handed out */
	assert_int_equal(
	    db_rows(db_stmt(db, "SELECT id FROM organisations ORDER BY id DESC"), &db_id_row, &a, &n),
	    STORE_OK);
	ids = a;
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], org + 1);
	assert_int_equal(ids[1], org);
	db_rows_free(&db_id_row, ids, n);
	assert_int_equal(db_rows(db_stmt_args(db, region, DB_ARGS(DB_INT(":nope", 1))), &db_id_row, &a, &n),
			 STORE_ERROR);
	assert_null(a);
	assert_int_equal(n, 0);
}

static int test_org_bind(sqlite3_stmt *st, const void *ctx)
{
	return db_bind_args(st, DB_ARGS(DB_TEXT(":name", ctx)));
}

/* Writes with an entity's binds and set flags: db_stmt_bind binds bind(ctx) then args, DB_SET_FLAGS turns
 * each ":set_x" on by its bit, and a wrong name in either fails before anything runs. */
static void bound_writes(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	static const struct db_set_flag flags[] = {{":set_name", 1}, {":set_region", 2}, {NULL, 0}};
	static const struct db_set_flag bad[] = {{":set_nope", 1}, {NULL, 0}};
	static const char ins[] = "INSERT INTO organisations (name, kind, created_at, updated_at) "
				  "VALUES (:name, :kind, 0, 0)";
	static const char upd[] =
	    "UPDATE organisations SET name = CASE WHEN :set_name THEN :name ELSE name END, "
	    "region = CASE WHEN :set_region THEN :region ELSE region END WHERE id = :id";
	int64_t id = 0;

	assert_int_equal(
	    db_exec_insert(db_stmt_bind(db, ins, test_org_bind, "Org", DB_ARGS(DB_TEXT(":kind", "ngo"))),
			   &id),
	    STORE_OK);
	assert_true(id > 0);
	assert_int_equal(
	    db_exec_update(db_stmt_bind(
		db, upd, test_org_bind, "Renamed",
		DB_ARGS(DB_SET_FLAGS(flags, 2), DB_TEXT(":region", "Souss"), DB_INT(":id", id)))),
	    STORE_OK);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM organisations WHERE name = 'Org' AND "
					 "region = 'Souss'"),
			 1);
	assert_int_equal(db_exec_update(db_stmt_bind(
			     db, upd, test_org_bind, "Renamed",
			     DB_ARGS(DB_SET_FLAGS(flags, 3), DB_TEXT(":region", NULL), DB_INT(":id", id)))),
			 STORE_OK);
	assert_int_equal(
	    fixture_int(db, "SELECT count(*) FROM organisations WHERE name = 'Renamed' AND region IS NULL"),
	    1);
	assert_null(db_stmt_bind(db, ins, test_org_bind, "Other", DB_ARGS(DB_TEXT(":nope", "ngo"))));
	assert_null(db_stmt_bind(db, upd, test_org_bind, "Other",
				 DB_ARGS(DB_SET_FLAGS(bad, 0), DB_TEXT(":region", NULL), DB_INT(":id", id))));
	assert_int_equal(db_exec_insert(NULL, &id), STORE_ERROR);
	assert_int_equal(db_exec_update(NULL), STORE_ERROR);
	assert_int_equal(fixture_int(db, "SELECT count(*) FROM organisations"), 1);
}

/* A damaged file is reported by the connections to it, not by a connection to another file in the
 * same process. */
static void damage_is_per_file(void **state)
{
	char a_path[128], b_path[128], err[256];
	struct db *a = NULL, *a2 = NULL, *b = NULL;

	(void)state;
	temp_path(a_path, sizeof(a_path), "damage_a");
	temp_path(b_path, sizeof(b_path), "damage_b");
	unlink(a_path);
	unlink(b_path);
	assert_int_equal(db_open(a_path, DB_MIGRATE, &a, err, sizeof(err)), STORE_OK);
	assert_int_equal(db_open(a_path, 0, &a2, err, sizeof(err)), STORE_OK);
	assert_int_equal(db_open(b_path, DB_MIGRATE, &b, err, sizeof(err)), STORE_OK);
	assert_int_equal(db_health(a), STORE_OK);
	assert_int_equal(db_rc(db_handle(a), SQLITE_CORRUPT), STORE_CORRUPT);
	assert_int_equal(db_health(a), STORE_CORRUPT);
	assert_int_equal(db_health(a2), STORE_CORRUPT); /* the same file, another connection */
	assert_int_equal(db_health(b), STORE_OK);
	db_close(a);
	db_close(a2);
	db_close(b);
	unlink(a_path);
	unlink(b_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(migrates_from_every_older_version),
	    cmocka_unit_test(migration_4_merges_one_phone_typed_four_ways),
	    cmocka_unit_test(migration_counters_recount_existing_rows),
	    cmocka_unit_test(refuses_newer_and_unmigrated_databases),
	    cmocka_unit_test_setup_teardown(binds_and_results, fresh_store, fixture_teardown),
	    cmocka_unit_test_setup_teardown(typed_rows, fresh_store, fixture_teardown),
	    cmocka_unit_test_setup_teardown(one_row_reads, fresh_store, fixture_teardown),
	    cmocka_unit_test_setup_teardown(bound_writes, fresh_store, fixture_teardown),
	    cmocka_unit_test_setup_teardown(busy_database_maps_to_store_busy, fresh_store, fixture_teardown),
	    cmocka_unit_test_setup_teardown(backup_is_consistent, fresh_store, fixture_teardown),
	    cmocka_unit_test_setup_teardown(moved_file_refuses_commits, fresh_store, fixture_teardown),
	    cmocka_unit_test_setup_teardown(checkpoint_waits_for_no_reader, fresh_store, fixture_teardown),
	    cmocka_unit_test(damage_is_per_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
