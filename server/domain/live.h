/*
 * live: what a live client (WebSocket) may follow of the change log — admins everything, everyone
 * else their organisation's changes and system-wide ones; payloads never hold personal data.
 */
#ifndef MAJLIS_DOMAIN_LIVE_H
#define MAJLIS_DOMAIN_LIVE_H

#include <json-c/json.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

/* Whether p may open a live feed at all (any authenticated role). */
bool live_allowed(const struct principal *p);

/* The first change after `after` visible to p: DOM_OK with *row (new reference) and *seq, or
 * DOM_NOT_FOUND when the client is up to date. Service thread. */
int live_next(struct db *db, const struct principal *p, int64_t after, struct json_object **row, int64_t *seq,
	      struct dom_err *err);

/* The newest sequence number: where a client that asks for no replay starts. */
int live_head(struct db *db, int64_t *seq, struct dom_err *err);

/* Whether credentials changed after seq `after` (an account or token was logged in, out, revoked or
 * updated): DOM_OK with *changed, and *head the newest sequence number looked at. Service thread. */
int live_credential_changes(struct db *db, int64_t after, int64_t *head, bool *changed, struct dom_err *err);

#endif
