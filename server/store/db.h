/*
 * db: the one place a SQLite connection is opened, configured and migrated, with cached prepared
 * statements, named binds, transactions and the change-log/outbox writers; it knows no entity.
 */
#ifndef MAJLIS_STORE_DB_H
#define MAJLIS_STORE_DB_H

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Results every store function returns (0 or negative). The domain turns them into a dom_code
 * (dom_from_store); only api/errors.c turns a dom_code into an HTTP status. */
enum store_rc {
	STORE_OK = 0,
	STORE_NOT_FOUND = -1, /* no such row */
	STORE_CONFLICT = -2,  /* a constraint refused the change (duplicate, overlap, capacity) */
	STORE_BUSY = -3,      /* locked, full disk, I/O error, failed COMMIT: nothing was written */
	STORE_ERROR = -4,     /* a bug: bad SQL, unknown bind name, out of memory */
	STORE_CORRUPT = -5,   /* SQLite found the database file damaged (SQLITE_CORRUPT, SQLITE_NOTADB) */
	STORE_GONE = -6	      /* the database file was deleted or replaced under us: nothing was written */
};

/* One connection with its statement cache. One per thread; never shared. */
struct db;

enum db_open_flags {
	DB_MIGRATE = 1,	 /* apply pending migrations (majlisd at start) */
	DB_READONLY = 2, /* open read-only (no migration) */
	DB_CHECK = 4,	 /* PRAGMA quick_check first (at most DB_CHECK_SECONDS): refuse a damaged file */
};

#define DB_CHECK_SECONDS 60
/* PRAGMA journal_size_limit: the write-ahead log is cut back to this size when it restarts. */
#define DB_WAL_LIMIT_BYTES (16 * 1024 * 1024)

/* Opens path (created if absent unless DB_READONLY), sets WAL, synchronous=FULL, foreign_keys=ON,
 * busy_timeout, journal_size_limit, with DB_CHECK refuses a file PRAGMA quick_check finds damaged (the
 * reason says to restore a backup or start with --skip-check), and with DB_MIGRATE applies migrations. A
 * database newer than this build knows is refused. On error returns negative and writes a reason into err. */
int db_open(const char *path, int flags, struct db **out, char *err, size_t errlen);
/* How long a statement waits for another connection's write lock before STORE_BUSY (db_open sets 5 s).
 * The service thread's connection waits briefly: every millisecond there stalls every client. */
void db_set_busy_timeout(struct db *db, int ms);
/* Finalises cached statements and closes. Accepts NULL. */
void db_close(struct db *db);
sqlite3 *db_handle(struct db *db);

/* Highest migration this build knows, and the version of an open database. */
int db_schema_latest(void);
int db_schema_version(struct db *db);

/* A prepared statement for sql, cached by the sql pointer (pass string literals): reset and with
 * bindings cleared. NULL on a prepare error (logged). Owned by the db; do not finalise. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Named binds (":name"). An unknown name is a bug: logged, returns STORE_ERROR. A NULL string binds NULL. */
int db_bind_text(sqlite3_stmt *st, const char *name, const char *v);
int db_bind_int(sqlite3_stmt *st, const char *name, int64_t v);
int db_bind_null(sqlite3_stmt *st, const char *name);
/* Binds v, or NULL when has is false. */
int db_bind_opt_int(sqlite3_stmt *st, const char *name, bool has, int64_t v);
int db_bind_double(sqlite3_stmt *st, const char *name, double v);
int db_bind_opt_double(sqlite3_stmt *st, const char *name, bool has, double v);
/* One ":set_x" parameter of a partial UPDATE ("x = CASE WHEN :set_x THEN :x ELSE x END") and the bit of the
 * caller's set mask that turns it on. */
struct db_set_flag {
	const char *name;
	unsigned bit;
};
/* Binds each flag's parameter to 1 when its bit is in set, else 0; flags end with a NULL name. */
int db_bind_set_flags(sqlite3_stmt *st, unsigned set, const struct db_set_flag *flags);

/* Steps once: 1 for a row, 0 when done, or a negative store_rc (constraint -> STORE_CONFLICT,
 * busy/locked/full/IO -> STORE_BUSY). */
int db_step(sqlite3_stmt *st);
/* Steps a statement that returns no rows, then resets it. 0 or negative store_rc. */
int db_exec_stmt(sqlite3_stmt *st);
/* Like db_exec_stmt for an UPDATE/DELETE: STORE_NOT_FOUND when it changed no row. */
int db_exec_update(sqlite3_stmt *st);
/* Like db_exec_stmt for an INSERT: *id (may be NULL) gets the new rowid. */
int db_exec_insert(sqlite3_stmt *st, int64_t *id);
/* Maps a SQLite result code to a store_rc. */
int db_rc(int sqlite_rc);

/* Column accessors that tolerate NULL: text returns NULL for SQL NULL. */
const char *db_col_text(sqlite3_stmt *st, int col);
int64_t db_col_int(sqlite3_stmt *st, int col);
bool db_col_is_null(sqlite3_stmt *st, int col);

/* The current row as a JSON object keyed by column names (integers, reals, text, null). New ref. */
struct json_object *db_row_json(sqlite3_stmt *st);
/* Runs sql, which selects at most one row by ":id", and gives that row as db_row_json does. Returns
 * STORE_OK with *out set (caller puts), STORE_NOT_FOUND, or an error (out of memory: STORE_ERROR). */
int db_row_json_by_id(struct db *db, const char *sql, int64_t id, struct json_object **out);
/* Runs sql, which takes no parameter and selects one row, and gives its first column as an integer (NULL:
 * 0) into *out. STORE_OK, or an error (no row at all: STORE_ERROR). */
int db_int(struct db *db, const char *sql, int64_t *out);
/* Runs sql, which selects at most one row by ":id", and gives its first column as an integer (NULL: 0)
 * into *out (may be NULL: only whether the row exists). STORE_OK, STORE_NOT_FOUND or an error. */
int db_int_by_id(struct db *db, const char *sql, int64_t id, int64_t *out);
/* Steps st to the end, collecting rows into a new JSON array, then resets st. NULL on error (*rc set). */
struct json_object *db_rows_json(sqlite3_stmt *st, int *rc);

/* Transactions: BEGIN IMMEDIATE (a writer from the start: no deadlock upgrading later). */
int db_begin(struct db *db);
/* COMMIT; on failure rolls back and returns STORE_BUSY: the change must not be acknowledged. */
int db_commit(struct db *db);
/* ROLLBACK if a transaction is open; safe to call anyway. */
void db_rollback(struct db *db);

/* Binds a list's filters to st (the same named parameters in its count and its page statement). Returns
 * 0 or a store_rc. */
typedef int (*db_bind_fn)(sqlite3_stmt *st, const void *ctx);
/* One page of a filtered list: *total from count_sql (one row, one number) and *items (new array, caller
 * puts) the rows of page_sql, which also takes :limit and :offset; both bound by bind(ctx) (NULL: no
 * filter). Returns 0 or a store_rc (*items NULL then). */
int db_page(struct db *db, const char *count_sql, const char *page_sql, db_bind_fn bind, const void *ctx,
	    int64_t limit, int64_t offset, struct json_object **items, int64_t *total);

/* change_log.org_id of a change only admins may follow live (a person without organisation, an admin's
 * account or token): no organisation has this id. */
#define DB_ORG_ADMINS (-1)

/* Inside a transaction: appends a change-log row. org_id: the organisation whose principals may follow
 * it live, 0 for everyone (system-wide), DB_ORG_ADMINS for admins only. payload is a JSON object (not
 * consumed) that must hold no personal data. *seq (may be NULL) gets the new sequence number. */
int db_changelog(struct db *db, const char *topic, const char *kind, int64_t org_id,
		 struct json_object *payload, int64_t *seq);
/* The newest change-log sequence number (0 for an empty log): where caches and live clients stand. */
int db_changelog_head(struct db *db, int64_t *seq);
/* Inside a transaction: queues a notification. person_id <= 0 means none. payload not consumed. */
int db_outbox(struct db *db, const char *kind, int64_t person_id, const char *channel,
	      struct json_object *payload);

/* Consistent online copy to out_path through the backup API (works while majlisd writes). */
int db_backup(struct db *db, const char *out_path, char *err, size_t errlen);

/* PRAGMA integrity_check == "ok". */
bool db_integrity_ok(struct db *db);

/* The state of the database file: STORE_OK, STORE_CORRUPT once any connection of this process met
 * SQLITE_CORRUPT (it stays so until restart), or STORE_GONE once the path no longer names the file this
 * connection has open (deleted, renamed, replaced; one stat, and it stays so). db_commit checks the same
 * before every COMMIT and refuses with STORE_GONE: rows written to an unlinked file would be lost. */
int db_health(struct db *db);

/* Copies the write-ahead log into the database without waiting for any lock: PASSIVE, or TRUNCATE
 * (also empties the log file) when truncate is set. *frames gets the frames in the log, *copied those
 * now in the database (both 0 after a TRUNCATE that could run). STORE_OK, or STORE_BUSY when a reader or
 * writer kept some frames from being copied. A call that has many frames to copy takes I/O time. */
int db_checkpoint(struct db *db, bool truncate, int *frames, int *copied);
/* Write transactions committed on this connection since it was opened. */
uint64_t db_commits(struct db *db);
/* The database's page size in bytes (a log frame is a page plus 24 bytes). */
int db_page_size(struct db *db);

#endif
