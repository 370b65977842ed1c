/*
 * store_idempotency: prepared SQL over the idempotency table; it must not unseal bodies or decide
 * how long entries count (the domain passes the cut-off).
 */
#include "store/store_idempotency.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

int store_idem_get(struct db *db, const char key_hash[SECRET_HASH_LEN + 1], int64_t not_before, int *status,
		   char **sealed)
{
	static const char sql[] = "SELECT status, body_sealed FROM idempotency "
				  "WHERE key_hash = :hash AND created_at >= :since";
	sqlite3_stmt *st =
	    db_stmt_args(db, sql, DB_ARGS(DB_TEXT(":hash", key_hash), DB_INT(":since", not_before)));
	int rc;

	*sealed = NULL;
	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1) {
		*status = (int)db_col_int(st, 0);
		*sealed = strdup(db_col_text(st, 1) ? db_col_text(st, 1) : "");
		rc = *sealed ? STORE_OK : STORE_ERROR;
	} else if (rc == 0) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return rc;
}

int store_idem_put(struct db *db, const char key_hash[SECRET_HASH_LEN + 1], int status, const char *sealed,
		   int64_t now)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO idempotency (key_hash, status, body_sealed, created_at) "
	    "VALUES (:hash, :status, :body, :now)";
	return db_run(db, sql,
		      DB_ARGS(DB_TEXT(":hash", key_hash), DB_INT(":status", status), DB_TEXT(":body", sealed),
			      DB_INT(":now", now)));
}

int store_idem_purge(struct db *db, int64_t before)
{
	static const char sql[] = "DELETE FROM idempotency WHERE created_at < :before";
	return db_run(db, sql, DB_ARGS(DB_INT(":before", before)));
}
