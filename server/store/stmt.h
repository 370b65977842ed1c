/*
 * stmt: the store's private statement API (cached prepared statements, named binds, steps, columns,
 * typed rows, paging) over the connection db.c opens; only server/store/ and the store's own tests see
 * this header (the include views of the other layers leave it out), and it knows no entity.
 */
#ifndef MAJLIS_STORE_STMT_H
#define MAJLIS_STORE_STMT_H

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

#define DB_STMT_SLOTS 512

/* One cached statement: sql is the caller's string literal, the key. */
struct db_slot {
	const char *sql;
	sqlite3_stmt *st;
};

/* One connection with its statement cache (struct db of db.h). Created by db_open, freed by db_close;
 * one per thread, never shared. Only db.c and stmt.c touch its fields. */
struct db {
	sqlite3 *h;
	struct db_slot slots[DB_STMT_SLOTS]; /* open addressing on the sql pointer */
	int in_txn;
	int busy_ms;	  /* the busy timeout set last */
	bool gone;	  /* the path no longer names the open file: every write is refused */
	uint64_t commits; /* write transactions committed */
};

/* The connection's SQLite handle, for the store's own use (SQL functions, changes, row ids). */
sqlite3 *db_handle(struct db *db);
/* Maps a SQLite result code met on connection h to a store_rc. SQLITE_CORRUPT marks h's file damaged
 * for db_health of every connection to that file (not of other files); h may be NULL (nothing marked). */
int db_rc(sqlite3 *h, int sqlite_rc);

/* A prepared statement for sql, cached by the sql pointer (pass string literals): reset and with
 * bindings cleared. NULL on a prepare error (logged). Owned by the db; do not finalise. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);
/* Finalises every cached statement (db_close). */
void db_stmt_cache_clear(struct db *db);

/* Named binds (":name"). An unknown name is a bug: logged, returns STORE_ERROR. A NULL string binds NULL. */
int db_bind_text(sqlite3_stmt *st, const char *name, const char *v);
int db_bind_int(sqlite3_stmt *st, const char *name, int64_t v);
int db_bind_null(sqlite3_stmt *st, const char *name);
/* Binds v, or NULL when has is false. */
int db_bind_opt_int(sqlite3_stmt *st, const char *name, bool has, int64_t v);
int db_bind_double(sqlite3_stmt *st, const char *name, double v);
int db_bind_opt_double(sqlite3_stmt *st, const char *name, bool has, double v);

/* One named parameter and its value, for db_bind_args: build them with the DB_* macros below and end
 * the list with DB_END (DB_ARGS does both). Lives in the caller's compound literal for one call. */
enum db_arg_type { DB_ARG_END = 0, DB_ARG_TEXT, DB_ARG_INT, DB_ARG_NULL, DB_ARG_DOUBLE, DB_ARG_FLAGS };
struct db_set_flag;
struct db_arg {
	const char *name; /* ":name" as in the SQL; NULL ends the list */
	enum db_arg_type type;
	const char *text;		 /* DB_ARG_TEXT: NULL binds NULL; copied by SQLite */
	int64_t i;			 /* DB_ARG_INT; DB_ARG_FLAGS: the set mask */
	double d;			 /* DB_ARG_DOUBLE */
	const struct db_set_flag *flags; /* DB_ARG_FLAGS: bound as db_bind_set_flags does */
};
#define DB_TEXT(n, v)                                                                                        \
	{                                                                                                    \
		.name = (n), .type = DB_ARG_TEXT, .text = (v)                                                \
	}
#define DB_INT(n, v)                                                                                         \
	{                                                                                                    \
		.name = (n), .type = DB_ARG_INT, .i = (int64_t)(v)                                           \
	}
#define DB_NULL(n)                                                                                           \
	{                                                                                                    \
		.name = (n), .type = DB_ARG_NULL                                                             \
	}
#define DB_DOUBLE(n, v)                                                                                      \
	{                                                                                                    \
		.name = (n), .type = DB_ARG_DOUBLE, .d = (v)                                                 \
	}
/* v, or NULL when has is false. */
#define DB_OPT_INT(n, has, v)                                                                                \
	{                                                                                                    \
		.name = (n), .type = (has) ? DB_ARG_INT : DB_ARG_NULL, .i = (int64_t)(v)                     \
	}
#define DB_OPT_DOUBLE(n, has, v)                                                                             \
	{                                                                                                    \
		.name = (n), .type = (has) ? DB_ARG_DOUBLE : DB_ARG_NULL, .d = (v)                           \
	}
/* 1 or 0. */
#define DB_BOOL(n, v) DB_INT(n, (v) ? 1 : 0)
/* Every ":set_x" parameter of flags (struct db_set_flag, below), 1 when its bit is in set, else 0. */
#define DB_SET_FLAGS(fl, set)                                                                                \
	{                                                                                                    \
		.name = "(set flags)", .type = DB_ARG_FLAGS, .flags = (fl), .i = (int64_t)(set)              \
	}
#define DB_END                                                                                               \
	{                                                                                                    \
		.name = NULL                                                                                 \
	}
/* A list of DB_* arguments ended by DB_END, as a compound literal: DB_ARGS(DB_INT(":id", id)). */
#define DB_ARGS(...) ((const struct db_arg[]){__VA_ARGS__, DB_END})

/* Binds every argument of args (ended by DB_END) to st by name. 0, or STORE_ERROR on the first name st
 * does not have (logged with the SQL: a bug) or out of memory. */
int db_bind_args(sqlite3_stmt *st, const struct db_arg *args);
/* Binds what ctx holds to st (an entity's columns shared by its INSERT and UPDATE, or a list's filters
 * shared by its count and its page). Returns 0 or a store_rc. */
typedef int (*db_bind_fn)(sqlite3_stmt *st, const void *ctx);
/* db_stmt(sql) with args (NULL: none) bound: ready to step. NULL on a prepare or bind error (logged; the
 * statement is reset). Owned by the db, as db_stmt's. */
sqlite3_stmt *db_stmt_args(struct db *db, const char *sql, const struct db_arg *args);
/* db_stmt_args with bind(st, ctx) (NULL: none) bound first: db_exec_insert(db_stmt_bind(db, sql,
 * store_org_bind, o, DB_ARGS(DB_INT(":now", now))), &id). NULL on a prepare or bind error. */
sqlite3_stmt *db_stmt_bind(struct db *db, const char *sql, db_bind_fn bind, const void *ctx,
			   const struct db_arg *args);
/* Runs sql, which returns no rows, with args: 0 or a negative store_rc. */
int db_run(struct db *db, const char *sql, const struct db_arg *args);
/* db_run for an UPDATE or DELETE: STORE_NOT_FOUND when it changed no row. */
int db_run_update(struct db *db, const char *sql, const struct db_arg *args);
/* db_run for an INSERT: *id (may be NULL) gets the new rowid. */
int db_run_insert(struct db *db, const char *sql, const struct db_arg *args, int64_t *id);
/* Rows the last INSERT, UPDATE or DELETE of this connection changed. */
int64_t db_changes(struct db *db);

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
/* Steps a statement that returns no rows (NULL after a failed db_stmt_args: STORE_ERROR), then resets
 * it. 0 or negative store_rc. */
int db_exec_stmt(sqlite3_stmt *st);
/* Like db_exec_stmt for an UPDATE/DELETE: STORE_NOT_FOUND when it changed no row. */
int db_exec_update(sqlite3_stmt *st);
/* Like db_exec_stmt for an INSERT: *id (may be NULL) gets the new rowid. */
int db_exec_insert(sqlite3_stmt *st, int64_t *id);

/* Column accessors that tolerate NULL: text returns NULL for SQL NULL. */
const char *db_col_text(sqlite3_stmt *st, int col);
/* Column col as text into buf of cap bytes (> 0): SQL NULL is "", a longer value is truncated. */
void db_col_copy(sqlite3_stmt *st, int col, char *buf, size_t cap);
int64_t db_col_int(sqlite3_stmt *st, int col);
bool db_col_is_null(sqlite3_stmt *st, int col);

/* Reads the current row of st into what ctx points to (the caller's outputs): 0, or a store_rc. */
typedef int (*db_read_fn)(sqlite3_stmt *st, void *ctx);
/* Runs sql with args (NULL: none), which selects at most one row, hands that row to read(st, ctx), then
 * resets the statement. STORE_OK, STORE_NOT_FOUND (no row: read is not called, nothing is written), read's
 * error or the statement's. Any thread, on its own connection. */
int db_one(struct db *db, const char *sql, const struct db_arg *args, db_read_fn read, void *ctx);
/* db_one giving the row's first column as an integer (NULL: 0) into *out (0 when there is no row; out may
 * be NULL: only whether the row exists). STORE_OK, STORE_NOT_FOUND or an error. */
int db_one_int(struct db *db, const char *sql, const struct db_arg *args, int64_t *out);
/* db_one giving the row's first column as text into buf of cap bytes (SQL NULL or no row: "";
 * truncated to fit). STORE_OK, STORE_NOT_FOUND or an error. */
int db_one_text(struct db *db, const char *sql, const struct db_arg *args, char *buf, size_t cap);
/* The answer of the store calls that say "found or not": 1 for STORE_OK, 0 for STORE_NOT_FOUND, else rc
 * (negative). */
int db_found(int rc);
/* Runs sql, which takes no parameter and selects one row, and gives its first column as an integer (NULL:
 * 0) into *out. STORE_OK, or an error (no row at all: STORE_ERROR). */
int db_int(struct db *db, const char *sql, int64_t *out);
/* db_one_int for sql, which selects at most one row by ":id". */
int db_int_by_id(struct db *db, const char *sql, int64_t id, int64_t *out);

/* How the store reads one row of a query into an entity's typed struct (struct org_row, ...): the
 * struct's size, read, which fills a zeroed struct from the current row of st (0, or STORE_ERROR when
 * out of memory; what it copied so far is freed by clear), and clear, which frees what the struct owns
 * and zeroes it (NULL for a struct that owns nothing: fixed buffers and numbers). One static const per
 * row type in its store file; any thread. */
struct db_row_type {
	size_t size;
	int (*read)(sqlite3_stmt *st, void *row);
	void (*clear)(void *row);
};
/* The row type of an int64_t: the row's first column (NULL: 0), for lists of ids. */
extern const struct db_row_type db_id_row;
/* A malloc'ed copy of column col into *out (NULL for SQL NULL). 0 or STORE_ERROR (out of memory). */
int db_col_dup(sqlite3_stmt *st, int col, char **out);
/* Steps st (bound, or NULL after a failed db_stmt_args) once, reading its row into row (zeroed first) by
 * t, then resets st. STORE_OK, STORE_NOT_FOUND or an error (row cleared then). The caller clears row
 * with t's clear after STORE_OK. */
int db_row_one(sqlite3_stmt *st, const struct db_row_type *t, void *row);
/* db_row_one for sql, which selects at most one row by ":id". */
int db_row_by_id(struct db *db, const char *sql, int64_t id, const struct db_row_type *t, void *row);
/* Steps st (bound, or NULL after a failed db_stmt_args: STORE_ERROR) to the end, handing each row to
 * read(st, ctx) (for rows that fold into one result: counts, groups), then resets st. 0, read's first
 * error (no row after it is read) or the statement's. */
int db_each(sqlite3_stmt *st, db_read_fn read, void *ctx);
/* Steps st (bound, or NULL after a failed db_stmt_args: STORE_ERROR) to the end, reading each row by t
 * into a malloc'ed array (*rows, NULL when none) of *n entries, then resets st. On error *rows is NULL
 * and *n 0. The caller frees with db_rows_free. */
int db_rows(sqlite3_stmt *st, const struct db_row_type *t, void **rows, size_t *n);
/* Clears the n rows of t at rows, then frees the array. Accepts NULL. */
void db_rows_free(const struct db_row_type *t, void *rows, size_t n);

/* One page of a filtered list: *total from count_sql (one row, one number) and the rows of page_sql,
 * which also takes :limit and :offset, read by t into *rows and *n as db_rows does; both statements bound
 * by bind(ctx) (NULL: no filter). Returns 0 or a store_rc (*rows NULL then). */
int db_page_rows(struct db *db, const char *count_sql, const char *page_sql, db_bind_fn bind, const void *ctx,
		 int64_t limit, int64_t offset, const struct db_row_type *t, void **rows, size_t *n,
		 int64_t *total);

#endif
