/* store_live: reads of the change log for live clients, in sequence order; no rules, no writes. */
#ifndef MAJLIS_STORE_STORE_LIVE_H
#define MAJLIS_STORE_STORE_LIVE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* The first change after seq `after` that a reader of organisation org_id may see (all when all is true;
 * rows of org_id or of no organisation otherwise), as {"seq","topic","kind","payload","at"} (payload
 * parsed) into *row (new reference). STORE_NOT_FOUND when there is none yet. */
int store_live_next(struct db *db, int64_t after, bool all, int64_t org_id, struct json_object **row,
		    int64_t *seq);

/* Looks at the changes after seq `after`: *head gets the newest sequence number (after when there is
 * none), *cred the newest of them that touches credentials — an account or a token (login, logout,
 * revocation, update) — or 0. */
int store_live_credential_changes(struct db *db, int64_t after, int64_t *head, int64_t *cred);

#endif
