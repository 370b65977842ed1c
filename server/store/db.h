/*
 * db: the one place a SQLite connection is opened, configured and migrated, with its transactions, its
 * file's health, checkpoints and backup; it knows no entity and shows no SQLite type (the statement API is
 * the store's private stmt.h; the domain calls the store_<entity> functions).
 */
#ifndef MAJLIS_STORE_DB_H
#define MAJLIS_STORE_DB_H

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

/* Highest migration this build knows, and the version of an open database. */
int db_schema_latest(void);
int db_schema_version(struct db *db);

/* Transactions: BEGIN IMMEDIATE (a writer from the start: no deadlock upgrading later). */
int db_begin(struct db *db);
/* COMMIT; on failure rolls back and returns STORE_BUSY: the change must not be acknowledged. */
int db_commit(struct db *db);
/* ROLLBACK if a transaction is open; safe to call anyway. */
void db_rollback(struct db *db);

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
