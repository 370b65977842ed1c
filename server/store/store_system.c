/* store_system: DELETEs of expired rows for housekeeping; it decides no time limit itself. */
#include "store/store_system.h"

#include "store/db.h"

static int store_system_delete(struct db *db, const char *sql, const char *name, int64_t before, int64_t *n)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_int(st, name, before);
	rc = rc ? rc : db_exec_stmt(st);
	if (!rc)
		*n += sqlite3_changes(db_handle(db));
	return rc;
}

/* Gives up the outbox rows still unsent that were written before before. */
static int store_system_expire_unsent(struct db *db, int64_t before, int64_t now, int64_t *n)
{
	static const char sql[] = "UPDATE outbox SET failed_at = :now, last_error = 'not sent in time', "
				  "payload = json_remove(payload, '$.link_sealed') "
				  "WHERE sent_at IS NULL AND failed_at IS NULL AND created_at < :before";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_int(st, ":before", before);
	rc = rc ? rc : db_bind_int(st, ":now", now);
	rc = rc ? rc : db_exec_stmt(st);
	if (!rc)
		*n += sqlite3_changes(db_handle(db));
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
	int64_t count = 0;
	int rc;

	rc = store_system_delete(db, idle, ":before", idle_before, &count);
	rc = rc ? rc : store_system_delete(db, old, ":before", created_before, &count);
	rc = rc ? rc : store_system_delete(db, idem, ":before", idem_before, &count);
	rc = rc ? rc : store_system_delete(db, fails, ":before", failures_before, &count);
	rc = rc ? rc : store_system_delete(db, done, ":before", outbox_before, &count);
	rc = rc ? rc : store_system_expire_unsent(db, unsent_before, now, &count);
	if (n)
		*n = count;
	return rc;
}
