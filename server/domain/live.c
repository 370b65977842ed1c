/* live: visibility rules for the change-log stream; no sockets, no JSON rendering beyond the row. */
#include "domain/live.h"

#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_live.h"

bool live_allowed(const struct principal *p)
{
	return p->role != ROLE_NONE;
}

int live_next(struct db *db, const struct principal *p, int64_t after, struct json_object **row, int64_t *seq,
	      struct dom_err *err)
{
	int rc;

	if (!live_allowed(p))
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in to follow changes");
	rc = store_live_next(db, after, p->role == ROLE_ADMIN, p->org_id, row, seq);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no newer change");
	return dom_from_store(err, rc, "change log");
}

int live_head(struct db *db, int64_t *seq, struct dom_err *err)
{
	return dom_from_store(err, db_changelog_head(db, seq), "change log");
}

int live_credential_changes(struct db *db, int64_t after, int64_t *head, bool *changed, struct dom_err *err)
{
	int64_t cred = 0;
	int rc = store_live_credential_changes(db, after, head, &cred);

	*changed = !rc && cred > 0;
	return dom_from_store(err, rc, "change log");
}
