/* system: health of the store and housekeeping of expired rows; no HTTP. */
#include "domain/system.h"

#include <json-c/json.h>

#include "domain/auth.h"
#include "domain/idempotency.h"
#include "domain/outbox.h"
#include "store/db.h"
#include "store/store_system.h"

bool system_health(struct db *db, int *schema)
{
	*schema = db_schema_version(db);
	return *schema > 0;
}

int system_housekeeping(struct db *db, int64_t now, int session_idle_s, int session_absolute_s,
			struct dom_err *err)
{
	struct json_object *payload;
	int64_t n = 0;
	int rc;

	rc = db_begin(db);
	rc = rc ? rc
		: store_system_purge(db, now - session_idle_s, now - session_absolute_s, now - IDEM_TTL_SECONDS,
				     now - AUTH_LOGIN_WINDOW_S, now - SYSTEM_OUTBOX_KEEP_S, now - OUTBOX_MAX_AGE_S, now,
				     &n);
	if (!rc && n > 0) {
		payload = json_object_new_object();
		json_object_object_add(payload, "deleted", json_object_new_int64(n));
		rc = db_changelog(db, "system", "system.housekeeping", 0, payload, NULL);
		json_object_put(payload);
	}
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "housekeeping");
	}
	return (int)(n > 0x7fffffff ? 0x7fffffff : n);
}
