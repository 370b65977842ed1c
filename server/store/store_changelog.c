/* store_changelog: the change log's INSERT and head; see store_changelog.h. It chooses no topic. */
#include "store/store_changelog.h"

#include <time.h>

#include "store/stmt.h"

int db_changelog(struct db *db, const char *topic, const char *kind, int64_t org_id,
		 struct json_object *payload, int64_t *seq)
{
	static const char sql[] = "INSERT INTO change_log (topic, kind, org_id, payload, created_at) "
				  "VALUES (:topic, :kind, :org, :payload, :now)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_text(st, ":topic", topic);
	rc = rc ? rc : db_bind_text(st, ":kind", kind);
	rc = rc ? rc : db_bind_opt_int(st, ":org", org_id != 0, org_id);
	rc = rc ? rc
		: db_bind_text(st, ":payload",
			       json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN));
	rc = rc ? rc : db_bind_int(st, ":now", (int64_t)time(NULL));
	rc = rc ? rc : db_exec_stmt(st);
	if (!rc && seq)
		*seq = sqlite3_last_insert_rowid(db->h);
	return rc;
}

int db_changelog_head(struct db *db, int64_t *seq)
{
	return db_int(db, "SELECT max(seq) FROM change_log", seq);
}
