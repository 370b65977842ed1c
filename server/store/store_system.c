/* store_system: DELETEs of expired rows for housekeeping; it decides no time limit itself. */
#include "store/store_system.h"

#include "store/stmt.h"

/* Runs one housekeeping statement with :before bound (and :now, when it takes one); adds the rows it
 * changed to *n. */
static int store_system_run(struct db *db, const char *sql, int64_t before, int64_t now, int64_t *n)
{
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":before", before)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = sqlite3_bind_parameter_index(st, ":now") ? db_bind_int(st, ":now", now) : STORE_OK;
	rc = rc ? rc : db_exec_stmt(st);
	if (!rc)
		*n += db_changes(db);
	return rc;
}

int store_system_purge(struct db *db, int64_t idle_before, int64_t created_before, int64_t idem_before,
		       int64_t failures_before, int64_t outbox_before, int64_t unsent_before, int64_t now,
		       int64_t *n)
{
	static const char idle[] = "DELETE FROM auth_sessions WHERE seen_at < :before";
	static const char old[] = "DELETE FROM auth_sessions WHERE created_at < :before";
	static const char idem[] = "DELETE FROM idempotency WHERE created_at < :before";
	static const char fails[] = "DELETE FROM login_failures WHERE window_start < :before";
	static const char done[] = "DELETE FROM outbox WHERE coalesce(sent_at, failed_at) < :before";
	static const char unsent[] = "UPDATE outbox SET failed_at = :now, last_error = 'not sent in time', "
				     "payload = json_remove(payload, '$.link_sealed') "
				     "WHERE sent_at IS NULL AND failed_at IS NULL AND created_at < :before";
	int64_t count = 0;
	int rc;

	rc = store_system_run(db, idle, idle_before, now, &count);
	rc = rc ? rc : store_system_run(db, old, created_before, now, &count);
	rc = rc ? rc : store_system_run(db, idem, idem_before, now, &count);
	rc = rc ? rc : store_system_run(db, fails, failures_before, now, &count);
	rc = rc ? rc : store_system_run(db, done, outbox_before, now, &count);
	rc = rc ? rc : store_system_run(db, unsent, unsent_before, now, &count);
	if (n)
		*n = count;
	return rc;
}
