/*
 * db_test: raw SQL on an open connection for the tests' fixtures and checks (set a row up, count rows,
 * watch statements); test-only and private to the store like stmt.h: majlisd never calls it.
 */
#ifndef MAJLIS_STORE_DB_TEST_H
#define MAJLIS_STORE_DB_TEST_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* Runs sql (one statement or several separated by ';', no parameters). 0, or a negative store_rc with
 * SQLite's message logged. */
int db_test_exec(struct db *db, const char *sql);
/* Runs sql and gives the first column of its first row as an integer (NULL: 0). 0, STORE_NOT_FOUND when
 * it returned no row, or a negative store_rc. */
int db_test_int(struct db *db, const char *sql, int64_t *out);
/* Like db_test_int for text: the first column (NULL: "") copied into out, truncated to outlen. */
int db_test_text(struct db *db, const char *sql, char *out, size_t outlen);
/* Every row of sql as a JSON array of objects keyed by column name (a new reference), NULL on error. */
struct json_object *db_test_rows(struct db *db, const char *sql);

/* Counts the statements a connection starts whose SQL holds needle: count grows by one for each. */
struct db_test_watch {
	const char *needle;
	int count;
};
/* Watches db's statements with w (NULL stops watching); w must outlive the watch. */
void db_test_watch(struct db *db, struct db_test_watch *w);

#endif
