/*
 * store_outbox: the SQL of notification delivery (due rows, their outcome, the recipient and the
 * registration token a re-sent link replaces); it neither renders nor sends and must not decide when to
 * retry.
 */
#ifndef MAJLIS_STORE_STORE_OUTBOX_H
#define MAJLIS_STORE_STORE_OUTBOX_H

#include <json-c/json.h>
#include <stdint.h>

#include "util/secret.h"

struct db;

/* All functions return 0 (STORE_OK) or a negative store_rc; JSON results are new references the caller
 * puts. Any thread that owns db (the notifications worker has its own connection). */

/* Up to limit rows neither sent nor given up with not_before <= now, oldest first, each an object
 * {id, kind, person_id, channel, payload (text), attempts}. */
int store_outbox_due(struct db *db, int64_t now, int64_t limit, struct json_object **rows);
/* The earliest not_before of a row neither sent nor given up into *when; 0 when there is none. */
int store_outbox_next_due(struct db *db, int64_t *when);
/* Ends row id at now with one more attempt: sent (error NULL) or given up with error; either way the
 * sealed link leaves its payload. STORE_NOT_FOUND when the row is absent or no longer pending. */
int store_outbox_finish(struct db *db, int64_t id, int64_t now, const char *error);
/* One more failed attempt of row id: next try at not_before, error kept (never personal data). */
int store_outbox_retry(struct db *db, int64_t id, int64_t not_before, const char *error);
/* Replaces the personal-link token hash of registration id (a re-sent link replaces the old one). */
int store_outbox_reg_token(struct db *db, int64_t registration_id, const char hash[SECRET_HASH_LEN + 1]);

/* Whether an outbox row of kind about registration_id was written at or after since. 1 yes, 0 no, or a
 * negative store_rc. */
int store_outbox_recent(struct db *db, const char *kind, int64_t registration_id, int64_t since);

#endif
