/*
 * stmt: the statement cache, named binds (one by one or table-driven), steps, columns, typed and JSON
 * rows and paging over a connection of db.c; it must not know any entity, open transactions or read the
 * clock.
 */
#include "store/stmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

sqlite3 *db_handle(struct db *db)
{
	return db->h;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
	size_t h = ((size_t)(uintptr_t)sql >> 3) % DB_STMT_SLOTS;
	sqlite3_stmt *st = NULL;

	for (int n = 0; n < DB_STMT_SLOTS; n++, h = (h + 1) % DB_STMT_SLOTS) {
		if (db->slots[h].sql == sql) {
			sqlite3_reset(db->slots[h].st);
			sqlite3_clear_bindings(db->slots[h].st);
			return db->slots[h].st;
		}
		if (!db->slots[h].sql)
			break;
	}
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		log_err("prepare failed: %s", sqlite3_errmsg(db->h));
		return NULL;
	}
	if (db->slots[h].sql) {
		/* cache full: hand out an uncached statement would leak; refuse loudly instead */
		log_err("statement cache full");
		sqlite3_finalize(st);
		return NULL;
	}
	db->slots[h].sql = sql;
	db->slots[h].st = st;
	return st;
}

static int db_param(sqlite3_stmt *st, const char *name)
{
	int idx = sqlite3_bind_parameter_index(st, name);

	if (!idx)
		log_err("unknown bind name %s in: %.80s", name, sqlite3_sql(st));
	return idx;
}

int db_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int idx = db_param(st, name);

	if (!idx)
		return STORE_ERROR;
	if (!v)
		return sqlite3_bind_null(st, idx) == SQLITE_OK ? STORE_OK : STORE_ERROR;
	return sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? STORE_OK : STORE_ERROR;
}

int db_bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	int idx = db_param(st, name);

	if (!idx)
		return STORE_ERROR;
	return sqlite3_bind_int64(st, idx, v) == SQLITE_OK ? STORE_OK : STORE_ERROR;
}

int db_bind_null(sqlite3_stmt *st, const char *name)
{
	int idx = db_param(st, name);

	if (!idx)
		return STORE_ERROR;
	return sqlite3_bind_null(st, idx) == SQLITE_OK ? STORE_OK : STORE_ERROR;
}

int db_bind_opt_int(sqlite3_stmt *st, const char *name, bool has, int64_t v)
{
	return has ? db_bind_int(st, name, v) : db_bind_null(st, name);
}

int db_bind_double(sqlite3_stmt *st, const char *name, double v)
{
	int idx = db_param(st, name);

	if (!idx)
		return STORE_ERROR;
	return sqlite3_bind_double(st, idx, v) == SQLITE_OK ? STORE_OK : STORE_ERROR;
}

int db_bind_opt_double(sqlite3_stmt *st, const char *name, bool has, double v)
{
	return has ? db_bind_double(st, name, v) : db_bind_null(st, name);
}

int db_bind_set_flags(sqlite3_stmt *st, unsigned set, const struct db_set_flag *flags)
{
	int rc = 0;

	for (; !rc && flags->name; flags++)
		rc = db_bind_int(st, flags->name, (set & flags->bit) != 0);
	return rc;
}

int db_step(sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	rc = db_rc(sqlite3_db_handle(st), rc);
	if (rc == STORE_ERROR)
		log_err("step failed: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
	sqlite3_reset(st);
	return rc ? rc : STORE_ERROR;
}

int db_exec_stmt(sqlite3_stmt *st)
{
	int rc = db_step(st);

	if (st)
		sqlite3_reset(st);
	return rc == 1 ? STORE_OK : rc;
}

int db_exec_update(sqlite3_stmt *st)
{
	int rc = db_exec_stmt(st);

	if (!rc && sqlite3_changes(sqlite3_db_handle(st)) == 0)
		rc = STORE_NOT_FOUND;
	return rc;
}

int db_exec_insert(sqlite3_stmt *st, int64_t *id)
{
	int rc = db_exec_stmt(st);

	if (!rc && id)
		*id = sqlite3_last_insert_rowid(sqlite3_db_handle(st));
	return rc;
}

const char *db_col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

void db_col_copy(sqlite3_stmt *st, int col, char *buf, size_t cap)
{
	const char *s = db_col_text(st, col);

	snprintf(buf, cap, "%s", s ? s : "");
}

int64_t db_col_int(sqlite3_stmt *st, int col)
{
	return sqlite3_column_int64(st, col);
}

bool db_col_is_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

/* Steps st (NULL: STORE_ERROR) once, handing its row, if any, to read(st, ctx); resets st. */
static int db_one_stmt(sqlite3_stmt *st, db_read_fn read, void *ctx)
{
	int rc = db_step(st);

	if (rc == 1)
		rc = read(st, ctx);
	else if (rc == 0)
		rc = STORE_NOT_FOUND;
	sqlite3_reset(st);
	return rc;
}

int db_one(struct db *db, const char *sql, const struct db_arg *args, db_read_fn read, void *ctx)
{
	return db_one_stmt(db_stmt_args(db, sql, args), read, ctx);
}

/* The first column as an integer (NULL: 0) into *(int64_t *)row. */
static int db_read_int(sqlite3_stmt *st, void *row)
{
	*(int64_t *)row = db_col_int(st, 0);
	return STORE_OK;
}

const struct db_row_type db_id_row = {sizeof(int64_t), db_read_int, NULL};

int db_one_int(struct db *db, const char *sql, const struct db_arg *args, int64_t *out)
{
	int64_t v = 0;
	int rc = db_one(db, sql, args, db_read_int, &v);

	if (out)
		*out = v;
	return rc;
}

/* Where db_one_text copies its column. */
struct db_text_out {
	char *buf;
	size_t cap;
};

static int db_read_text(sqlite3_stmt *st, void *ctx)
{
	const struct db_text_out *o = ctx;

	db_col_copy(st, 0, o->buf, o->cap);
	return STORE_OK;
}

int db_one_text(struct db *db, const char *sql, const struct db_arg *args, char *buf, size_t cap)
{
	struct db_text_out o = {buf, cap};

	buf[0] = '\0';
	return db_one(db, sql, args, db_read_text, &o);
}

int db_found(int rc)
{
	if (rc == STORE_OK)
		return 1;
	return rc == STORE_NOT_FOUND ? 0 : rc;
}

int db_int(struct db *db, const char *sql, int64_t *out)
{
	int rc = db_one_int(db, sql, NULL, out);

	return rc == STORE_NOT_FOUND ? STORE_ERROR : rc;
}

int db_int_by_id(struct db *db, const char *sql, int64_t id, int64_t *out)
{
	return db_one_int(db, sql, DB_ARGS(DB_INT(":id", id)), out);
}

/* Counts the matches of count_sql into *total, then binds the filters, :limit and :offset of page_sql
 * into *st. 0 or a store_rc (nothing left to reset then). */
static int db_page_start(struct db *db, const char *count_sql, const char *page_sql, db_bind_fn bind,
			 const void *ctx, int64_t limit, int64_t offset, int64_t *total, sqlite3_stmt **page)
{
	sqlite3_stmt *st = db_stmt(db, count_sql);
	int rc;

	*total = 0;
	*page = NULL;
	if (!st)
		return STORE_ERROR;
	rc = bind ? bind(st, ctx) : STORE_OK;
	rc = rc ? rc : db_step(st);
	if (rc == 1)
		*total = db_col_int(st, 0);
	sqlite3_reset(st);
	if (rc != 1)
		return rc ? rc : STORE_ERROR;
	st = db_stmt(db, page_sql);
	if (!st)
		return STORE_ERROR;
	rc = bind ? bind(st, ctx) : STORE_OK;
	rc = rc ? rc : db_bind_int(st, ":limit", limit);
	rc = rc ? rc : db_bind_int(st, ":offset", offset);
	if (rc) {
		sqlite3_reset(st);
		return rc;
	}
	*page = st;
	return STORE_OK;
}

int db_page_rows(struct db *db, const char *count_sql, const char *page_sql, db_bind_fn bind, const void *ctx,
		 int64_t limit, int64_t offset, const struct db_row_type *t, void **rows, size_t *n,
		 int64_t *total)
{
	sqlite3_stmt *st;
	int rc = db_page_start(db, count_sql, page_sql, bind, ctx, limit, offset, total, &st);

	*rows = NULL;
	*n = 0;
	return rc ? rc : db_rows(st, t, rows, n);
}

int db_col_dup(sqlite3_stmt *st, int col, char **out)
{
	const char *s = db_col_text(st, col);

	*out = NULL;
	if (!s)
		return STORE_OK;
	*out = strdup(s);
	return *out ? STORE_OK : STORE_ERROR;
}

int db_each(sqlite3_stmt *st, db_read_fn read, void *ctx)
{
	int rc;

	while ((rc = db_step(st)) == 1) {
		rc = read(st, ctx);
		if (rc)
			break;
	}
	sqlite3_reset(st);
	return rc;
}

void db_rows_free(const struct db_row_type *t, void *rows, size_t n)
{
	for (size_t i = 0; rows && t->clear && i < n; i++)
		t->clear((char *)rows + i * t->size);
	free(rows);
}

int db_rows(sqlite3_stmt *st, const struct db_row_type *t, void **rows, size_t *n)
{
	char *a = NULL, *grown;
	size_t cap = 0, len = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	while ((rc = db_step(st)) == 1) {
		if (len == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(a, cap * t->size);
			if (!grown) {
				rc = STORE_ERROR;
				break;
			}
			a = grown;
		}
		memset(a + len * t->size, 0, t->size);
		rc = t->read(st, a + len * t->size);
		if (rc) {
			if (t->clear)
				t->clear(a + len * t->size);
			break;
		}
		len++;
	}
	sqlite3_reset(st);
	if (rc) {
		db_rows_free(t, a, len);
		return rc;
	}
	*rows = a;
	*n = len;
	return STORE_OK;
}

/* A typed row for db_row_one: its type and the caller's struct. */
struct db_typed_row {
	const struct db_row_type *t;
	void *row;
};

/* Reads a typed row; what a failed read copied is cleared. */
static int db_read_typed(sqlite3_stmt *st, void *ctx)
{
	const struct db_typed_row *r = ctx;
	int rc = r->t->read(st, r->row);

	if (rc && r->t->clear)
		r->t->clear(r->row);
	return rc;
}

int db_row_one(sqlite3_stmt *st, const struct db_row_type *t, void *row)
{
	struct db_typed_row r = {t, row};

	memset(row, 0, t->size);
	return db_one_stmt(st, db_read_typed, &r);
}

int db_row_by_id(struct db *db, const char *sql, int64_t id, const struct db_row_type *t, void *row)
{
	return db_row_one(db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id))), t, row);
}

void db_stmt_cache_clear(struct db *db)
{
	for (int i = 0; i < DB_STMT_SLOTS; i++) {
		sqlite3_finalize(db->slots[i].st);
		db->slots[i].st = NULL;
		db->slots[i].sql = NULL;
	}
}

int db_bind_args(sqlite3_stmt *st, const struct db_arg *args)
{
	int rc = STORE_OK;

	for (; !rc && args->name; args++) {
		switch (args->type) {
		case DB_ARG_TEXT:
			rc = db_bind_text(st, args->name, args->text);
			break;
		case DB_ARG_INT:
			rc = db_bind_int(st, args->name, args->i);
			break;
		case DB_ARG_DOUBLE:
			rc = db_bind_double(st, args->name, args->d);
			break;
		case DB_ARG_NULL:
			rc = db_bind_null(st, args->name);
			break;
		case DB_ARG_FLAGS:
			rc = db_bind_set_flags(st, (unsigned)args->i, args->flags);
			break;
		default:
			log_err("bad argument type %d for %s", (int)args->type, args->name);
			rc = STORE_ERROR;
			break;
		}
	}
	return rc;
}

sqlite3_stmt *db_stmt_bind(struct db *db, const char *sql, db_bind_fn bind, const void *ctx,
			   const struct db_arg *args)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return NULL;
	rc = bind ? bind(st, ctx) : STORE_OK;
	rc = rc || !args ? rc : db_bind_args(st, args);
	if (rc) {
		sqlite3_reset(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *db_stmt_args(struct db *db, const char *sql, const struct db_arg *args)
{
	return db_stmt_bind(db, sql, NULL, NULL, args);
}

int db_run(struct db *db, const char *sql, const struct db_arg *args)
{
	sqlite3_stmt *st = db_stmt_args(db, sql, args);

	return st ? db_exec_stmt(st) : STORE_ERROR;
}

int db_run_update(struct db *db, const char *sql, const struct db_arg *args)
{
	sqlite3_stmt *st = db_stmt_args(db, sql, args);

	return st ? db_exec_update(st) : STORE_ERROR;
}

int db_run_insert(struct db *db, const char *sql, const struct db_arg *args, int64_t *id)
{
	sqlite3_stmt *st = db_stmt_args(db, sql, args);

	return st ? db_exec_insert(st, id) : STORE_ERROR;
}

int64_t db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}
