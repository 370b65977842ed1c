/* store_changelog: the change log's INSERT and head; see store_changelog.h. It chooses no topic. */
#include "store/store_changelog.h"

#include "store/stmt.h"

int db_changelog(struct db *db, const char *topic, const char *kind, int64_t org_id,
		 struct json_object *payload, int64_t now, int64_t *seq)
{
	static const char sql[] = "INSERT INTO change_log (topic, kind, org_id, payload, created_at) "
				  "VALUES (:topic, :kind, :org, :payload, :now)";

	return db_run_insert(
	    db, sql,
	    DB_ARGS(DB_TEXT(":topic", topic), DB_TEXT(":kind", kind), DB_OPT_INT(":org", org_id != 0, org_id),
		    DB_TEXT(":payload", json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN)),
		    DB_INT(":now", now)),
	    seq);
}

int db_changelog_head(struct db *db, int64_t *seq)
{
	return db_int(db, "SELECT max(seq) FROM change_log", seq);
}
