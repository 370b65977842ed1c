/* store_imports: prepared statements over events.import_uid; no validation, no permissions, no transactions.
 */
#include "store/store_imports.h"

#include "store/stmt.h"

int store_import_find(struct db *db, int64_t org_id, const char *uid, int64_t *event_id)
{
	static const char sql[] = "SELECT id FROM events WHERE org_id = :org AND import_uid = :uid";

	return db_found(db_one_int(db, sql, DB_ARGS(DB_INT(":org", org_id), DB_TEXT(":uid", uid)), event_id));
}

int store_import_set_uid(struct db *db, int64_t event_id, const char *uid)
{
	static const char sql[] = "UPDATE events SET import_uid = :uid WHERE id = :id";
	return db_run_update(db, sql, DB_ARGS(DB_TEXT(":uid", uid), DB_INT(":id", event_id)));
}
