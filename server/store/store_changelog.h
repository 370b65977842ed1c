/*
 * store_changelog: the SQL of the change log (append a row inside the caller's transaction, read the
 * head); it must not decide topics, payloads or who may follow them, nor read the clock.
 */
#ifndef MAJLIS_STORE_STORE_CHANGELOG_H
#define MAJLIS_STORE_STORE_CHANGELOG_H

#include <json-c/json.h>
#include <stdint.h>

struct db;

/* change_log.org_id of a change only admins may follow live (a person without organisation, an admin's
 * account or token): no organisation has this id. */
#define DB_ORG_ADMINS (-1)

/* Inside a transaction: appends a change-log row written at now (the caller's clock: a request's now).
 * org_id: the organisation whose principals may follow it live, 0 for everyone (system-wide),
 * DB_ORG_ADMINS for admins only. payload is a JSON object (not consumed) that must hold no personal data.
 * *seq (may be NULL) gets the new sequence number. */
int db_changelog(struct db *db, const char *topic, const char *kind, int64_t org_id,
		 struct json_object *payload, int64_t now, int64_t *seq);
/* The newest change-log sequence number (0 for an empty log): where caches and live clients stand. */
int db_changelog_head(struct db *db, int64_t *seq);

#endif
