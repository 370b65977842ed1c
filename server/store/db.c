/*
 * db: connection set-up (PRAGMAs), migrations, transactions, the file's health, checkpoints and backup;
 * it must not know any entity's rules (those live in the store_<entity> files and the domain). The
 * statement cache and binds are stmt.c's.
 */
#include "store/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/stmt.h"
#include "store/store_people.h"
#include "store/store_phones.h"
#include "util/log.h"

#define DB_BUSY_TIMEOUT_MS 5000

/* Embedded migrations, generated from schema/NNNN_name.sql at build time (schema_gen.c). */
extern const unsigned char *const db_migration_sql[];
extern const size_t db_migration_len[];
extern const char *const db_migration_name[];
extern const int db_migration_count;

/* The database files a connection (any thread) found damaged (SQLITE_CORRUPT), by their path: a file
 * is damaged for every connection to it, and for no other file. Guarded by db_damaged_lock; the paths
 * live until the process exits. */
#define DB_DAMAGED_MAX	16
#define DB_DAMAGED_PATH 4096
static pthread_mutex_t db_damaged_lock = PTHREAD_MUTEX_INITIALIZER;
static char db_damaged[DB_DAMAGED_MAX][DB_DAMAGED_PATH];
static int db_damaged_count;

/* The key of h's main file: its path, or the handle's address for a database without one. */
static void db_file_key(sqlite3 *h, char *key, size_t len)
{
	const char *path = sqlite3_db_filename(h, "main");

	if (path && *path)
		snprintf(key, len, "%s", path);
	else
		snprintf(key, len, "memory:%p", (void *)h);
}

/* Whether h's file is known damaged; when mark, records it first. Returns true the first time a file
 * is marked (for the caller's one log line) through *first. Any thread. */
static bool db_damaged_check(sqlite3 *h, bool mark, bool *first)
{
	char key[DB_DAMAGED_PATH];
	bool seen = false;
	int i;

	db_file_key(h, key, sizeof(key));
	pthread_mutex_lock(&db_damaged_lock);
	for (i = 0; i < db_damaged_count && !seen; i++)
		seen = strcmp(db_damaged[i], key) == 0;
	if (mark && !seen && db_damaged_count < DB_DAMAGED_MAX) {
		snprintf(db_damaged[db_damaged_count++], DB_DAMAGED_PATH, "%s", key);
		if (first)
			*first = true;
	}
	pthread_mutex_unlock(&db_damaged_lock);
	return seen || mark;
}

int db_schema_latest(void)
{
	return db_migration_count;
}

int db_rc(sqlite3 *h, int rc)
{
	bool first = false;

	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_OK;
	case SQLITE_CONSTRAINT:
		return STORE_CONFLICT;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		if (h)
			db_damaged_check(h, true, &first);
		if (first)
			log_err("the database file %s is damaged (%s): restore it from a backup",
				sqlite3_db_filename(h, "main"), sqlite3_errstr(rc));
		return STORE_CORRUPT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PROTOCOL:
		return STORE_BUSY;
	default:
		return STORE_ERROR;
	}
}

static int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		log_err("%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return db_rc(db->h, rc) ? db_rc(db->h, rc) : STORE_ERROR;
	}
	return STORE_OK;
}

int db_schema_version(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "PRAGMA user_version");
	int v = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

static int db_migrate(struct db *db, char *err, size_t errlen)
{
	int version = db_schema_version(db);
	char *sql;
	char pragma[64];
	int rc;

	if (version < 0) {
		snprintf(err, errlen, "cannot read the schema version");
		return STORE_ERROR;
	}
	if (version > db_migration_count) {
		snprintf(err, errlen,
			 "database schema version %d is newer than this majlisd knows (%d): "
			 "upgrade majlisd or restore a matching backup",
			 version, db_migration_count);
		return STORE_ERROR;
	}
	for (int i = version; i < db_migration_count; i++) {
		sql = malloc(db_migration_len[i] + 1);
		if (!sql) {
			snprintf(err, errlen, "out of memory");
			return STORE_ERROR;
		}
		memcpy(sql, db_migration_sql[i], db_migration_len[i]);
		sql[db_migration_len[i]] = '\0';
		rc = db_begin(db);
		if (!rc)
			rc = db_exec(db, sql);
		free(sql);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", i + 1);
		if (!rc)
			rc = db_exec(db, pragma);
		if (!rc)
			rc = db_commit(db);
		if (rc) {
			db_rollback(db);
			snprintf(err, errlen, "migration %s failed", db_migration_name[i]);
			return rc;
		}
		log_notice("applied migration %s", db_migration_name[i]);
	}
	return STORE_OK;
}

void db_set_busy_timeout(struct db *db, int ms)
{
	db->busy_ms = ms;
	sqlite3_busy_timeout(db->h, ms);
}

/* Stops a statement once the deadline (a CLOCK_MONOTONIC second) has passed. */
static int db_check_progress(void *arg)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec >= *(const time_t *)arg;
}

/* PRAGMA quick_check, stopped after DB_CHECK_SECONDS (then the file counts as checked, with a warning).
 * Returns 0, or STORE_CORRUPT with what to do in err. */
static int db_quick_check(struct db *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct timespec now;
	time_t deadline;
	char what[160] = "";
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &now);
	deadline = now.tv_sec + DB_CHECK_SECONDS;
	sqlite3_progress_handler(db->h, 10000, db_check_progress, &deadline);
	rc = sqlite3_prepare_v2(db->h, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(what, sizeof(what), "%s", (const char *)sqlite3_column_text(st, 0));
		rc = strcmp(what, "ok") ? SQLITE_CORRUPT : SQLITE_OK;
	} else if (rc == SQLITE_INTERRUPT) {
		log_warn("the quick check of %s stopped after %d s (a big database): not verified", path,
			 DB_CHECK_SECONDS);
		rc = SQLITE_OK;
	} else if (rc != SQLITE_OK) {
		snprintf(what, sizeof(what), "%s", sqlite3_errmsg(db->h));
	}
	sqlite3_finalize(st);
	sqlite3_progress_handler(db->h, 0, NULL, NULL);
	if (rc == SQLITE_OK)
		return STORE_OK;
	snprintf(
	    err, errlen,
	    "database %s is damaged (%s): majlisd will not serve it. Stop here, keep the damaged file aside, "
	    "and restore the newest backup (made with 'majlisd backup --db FILE OUT') in its place; only in "
	    "an "
	    "emergency, start with --skip-check to serve what can still be read",
	    path, what);
	return STORE_CORRUPT;
}

int db_open(const char *path, int flags, struct db **out, char *err, size_t errlen)
{
	struct db *db;
	int oflags =
	    (flags & DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	char pragma[64];
	int rc;

	*out = NULL;
	db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	rc = sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		goto err;
	}
	db_set_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->h, 1);
	if ((flags & DB_CHECK) && db_quick_check(db, path, err, errlen))
		goto err;
	if (!(flags & DB_READONLY)) {
		rc = db_exec(db, "PRAGMA journal_mode=WAL");
		if (rc) {
			snprintf(err, errlen, "cannot switch %s to WAL mode", path);
			goto err;
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA journal_size_limit=%d", DB_WAL_LIMIT_BYTES);
		if (db_exec(db, pragma)) {
			snprintf(err, errlen, "cannot limit the write-ahead log of %s", path);
			goto err;
		}
	}
	rc = db_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF");
	if (rc) {
		snprintf(err, errlen, "cannot configure %s", path);
		goto err;
	}
	/* the people search folds names with majlis_fold() */
	if (store_people_register(db)) {
		snprintf(err, errlen, "cannot prepare %s", path);
		goto err;
	}
	if (flags & DB_MIGRATE) {
		/* migration 0004 normalises phones with majlis_phone_e164() */
		if (store_phones_register(db)) {
			snprintf(err, errlen, "cannot prepare %s for migration", path);
			goto err;
		}
		if (db_migrate(db, err, errlen))
			goto err;
		store_phones_report(db);
	} else if (db_schema_version(db) != db_migration_count) {
		snprintf(err, errlen, "database %s is at schema version %d, this build expects %d%s", path,
			 db_schema_version(db), db_migration_count,
			 db_schema_version(db) < db_migration_count ? " (start majlisd once to migrate it)"
								    : "");
		goto err;
	}
	*out = db;
	return STORE_OK;
err:
	db_close(db);
	return STORE_ERROR;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	db_stmt_cache_clear(db);
	if (db->h && sqlite3_close(db->h) != SQLITE_OK)
		log_err("close: %s", sqlite3_errmsg(db->h));
	free(db);
}

int db_begin(struct db *db)
{
	int rc;

	if (db->in_txn) {
		log_err("nested transaction");
		return STORE_ERROR;
	}
	if (db->gone)
		return STORE_GONE;
	rc = db_exec_stmt(db_stmt(db, "BEGIN IMMEDIATE"));
	if (!rc)
		db->in_txn = 1;
	return rc;
}

int db_commit(struct db *db)
{
	int rc;

	if (db_health(db) == STORE_GONE) {
		db_rollback(db);
		return STORE_GONE;
	}
	rc = db_exec_stmt(db_stmt(db, "COMMIT"));
	if (rc) {
		log_err("commit failed: %s", sqlite3_errmsg(db->h));
		db_rollback(db);
		return rc == STORE_CORRUPT ? STORE_CORRUPT : STORE_BUSY;
	}
	db->in_txn = 0;
	db->commits++;
	return STORE_OK;
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_txn = 0;
}

int db_backup(struct db *db, const char *out_path, char *err, size_t errlen)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int rc;

	rc = sqlite3_open_v2(out_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", out_path, sqlite3_errstr(rc));
		sqlite3_close(dst);
		return STORE_ERROR;
	}
	b = sqlite3_backup_init(dst, "main", db->h, "main");
	if (!b) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return STORE_ERROR;
	}
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
		sqlite3_close(dst);
		return STORE_ERROR;
	}
	rc = sqlite3_close(dst);
	return rc == SQLITE_OK ? STORE_OK : STORE_ERROR;
}

bool db_integrity_ok(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "PRAGMA integrity_check");
	bool ok = false;

	if (st && db_step(st) == 1)
		ok = strcmp(db_col_text(st, 0), "ok") == 0;
	if (st)
		sqlite3_reset(st);
	return ok;
}

int db_health(struct db *db)
{
	int moved = 0;

	if (!db->gone && sqlite3_file_control(db->h, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK &&
	    moved) {
		db->gone = true;
		log_err("the database file was deleted or replaced while majlisd ran: every write is refused "
			"from "
			"now on (nothing more is acknowledged); restore the file and restart majlisd");
	}
	if (db->gone)
		return STORE_GONE;
	return db_damaged_check(db->h, false, NULL) ? STORE_CORRUPT : STORE_OK;
}

int db_checkpoint(struct db *db, bool truncate, int *frames, int *copied)
{
	int rc;

	*frames = *copied = 0;
	/* never wait for a lock here: the caller is the service loop */
	sqlite3_busy_timeout(db->h, 0);
	rc = sqlite3_wal_checkpoint_v2(
	    db->h, NULL, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE, frames, copied);
	sqlite3_busy_timeout(db->h, db->busy_ms);
	if (*frames < 0)
		*frames = *copied = 0;
	if (rc == SQLITE_OK && *copied >= *frames)
		return STORE_OK;
	if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
		return db_rc(db->h, rc) ? db_rc(db->h, rc) : STORE_ERROR;
	return STORE_BUSY;
}

uint64_t db_commits(struct db *db)
{
	return db->commits;
}

int db_page_size(struct db *db)
{
	int64_t n = 0;

	return db_int(db, "PRAGMA page_size", &n) ? 4096 : (int)n;
}
