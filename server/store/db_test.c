/* db_test: the tests' raw SQL entry points; see db_test.h. majlisd never calls it. */
#include "store/db_test.h"

#include <stdio.h>
#include <string.h>

#include "store/stmt.h"
#include "util/log.h"

int db_test_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		log_err("%s: %s", sql, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return db_rc(db->h, rc) ? db_rc(db->h, rc) : STORE_ERROR;
	}
	return STORE_OK;
}

/* Prepares sql (uncached: tests build their SQL) and steps it once: 1 row, 0 none, or a store_rc. */
static int db_test_first(struct db *db, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(db->h, sql, -1, st, NULL);

	if (rc != SQLITE_OK) {
		log_err("%s: %s", sql, sqlite3_errmsg(db->h));
		return STORE_ERROR;
	}
	return db_step(*st);
}

int db_test_int(struct db *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = db_test_first(db, sql, &st);

	*out = 0;
	if (rc == 1)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == 1 ? STORE_OK : rc ? rc : STORE_NOT_FOUND;
}

int db_test_text(struct db *db, const char *sql, char *out, size_t outlen)
{
	sqlite3_stmt *st = NULL;
	int rc = db_test_first(db, sql, &st);
	const char *v;

	if (outlen)
		out[0] = '\0';
	if (rc == 1) {
		v = db_col_text(st, 0);
		snprintf(out, outlen, "%s", v ? v : "");
	}
	sqlite3_finalize(st);
	return rc == 1 ? STORE_OK : rc ? rc : STORE_NOT_FOUND;
}

/* The current row as a JSON object keyed by column names. New reference. */
static struct json_object *db_test_row_json(sqlite3_stmt *st)
{
	struct json_object *o = json_object_new_object();
	int n = sqlite3_column_count(st);
	struct json_object *v;

	for (int i = 0; i < n; i++) {
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			v = json_object_new_int64(sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			v = json_object_new_double(sqlite3_column_double(st, i));
			break;
		case SQLITE_NULL:
			v = NULL;
			break;
		default:
			v = json_object_new_string_len((const char *)sqlite3_column_text(st, i),
						       sqlite3_column_bytes(st, i));
			break;
		}
		json_object_object_add(o, sqlite3_column_name(st, i), v);
	}
	return o;
}

/* Steps st to the end, collecting its rows into a new JSON array; NULL on error (*rc set). */
static struct json_object *db_test_rows_json(sqlite3_stmt *st, int *rc)
{
	struct json_object *arr = json_object_new_array();
	int r;

	while ((r = db_step(st)) == 1)
		json_object_array_add(arr, db_test_row_json(st));
	sqlite3_reset(st);
	*rc = r;
	if (r) {
		json_object_put(arr);
		return NULL;
	}
	return arr;
}

struct json_object *db_test_rows(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	struct json_object *rows = NULL;
	int rc;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
		log_err("%s: %s", sql, sqlite3_errmsg(db->h));
		return NULL;
	}
	rows = db_test_rows_json(st, &rc);
	sqlite3_finalize(st);
	return rows;
}

/* SQLITE_TRACE_STMT: x is the statement's SQL text. */
static int db_test_trace(unsigned type, void *ctx, void *p, void *x)
{
	struct db_test_watch *w = ctx;

	(void)type;
	(void)p;
	if (strstr((const char *)x, w->needle))
		w->count++;
	return 0;
}

void db_test_watch(struct db *db, struct db_test_watch *w)
{
	if (w)
		sqlite3_trace_v2(db->h, SQLITE_TRACE_STMT, db_test_trace, w);
	else
		sqlite3_trace_v2(db->h, 0, NULL, NULL);
}
