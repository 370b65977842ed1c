/*
 * store_outbox: the SQL of notification delivery (due rows, their outcome, and the pending personal link
 * of a registration whose new link is being mailed); it neither renders nor sends and must not decide when to
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

/* Inside a transaction: queues a notification written and due at now (the caller's clock). person_id
 * <= 0 means none; channel NULL is "email". payload (not consumed) is a JSON object; its "event_id", if
 * any, files the row under that event. */
int db_outbox(struct db *db, const char *kind, int64_t person_id, const char *channel,
	      struct json_object *payload, int64_t now);

/* Up to limit rows neither sent nor given up with not_before <= now, oldest first, each an object
 * {id, kind, person_id, channel, payload (text), attempts, created_at}. */
int store_outbox_due(struct db *db, int64_t now, int64_t limit, struct json_object **rows);
/* The earliest not_before of a row neither sent nor given up into *when; 0 when there is none. */
int store_outbox_next_due(struct db *db, int64_t *when);
/* Ends row id at now with one more attempt: sent (error NULL) or given up with error; either way the
 * sealed link leaves its payload. STORE_NOT_FOUND when the row is absent or no longer pending. */
int store_outbox_finish(struct db *db, int64_t id, int64_t now, const char *error);
/* One more failed attempt of row id: next try at not_before, error kept (never personal data). */
int store_outbox_retry(struct db *db, int64_t id, int64_t not_before, const char *error);
/* The personal link a link mail carries, while the mail is under way: the registration's pending_token_hash
 * (which the personal link and the QR ticket answer to beside token_hash). Each STORE_NOT_FOUND when
 * registration_id is absent (or, for promote and drop, its pending hash is another or none). */
/* Sets the pending hash of registration_id to hash (before the mail is sent); STORE_NOT_FOUND too when its
 * person was erased. */
int store_outbox_link_pending(struct db *db, int64_t registration_id, const char hash[SECRET_HASH_LEN + 1]);
/* The mail was accepted: a pending hash equal to hash becomes the registration's token_hash (the old link
 * stops working). */
int store_outbox_link_promote(struct db *db, int64_t registration_id, const char hash[SECRET_HASH_LEN + 1]);
/* The mail was given up: clears the pending hash when it equals hash, or whatever it is when hash is NULL. */
int store_outbox_link_drop(struct db *db, int64_t registration_id, const char *hash);
/* Row id is still to be sent: keeps sealed (when not NULL) as its payload's link_sealed, so that every try
 * mails the same link. STORE_NOT_FOUND when the row is absent or no longer pending. */
int store_outbox_keep_link(struct db *db, int64_t id, const char *sealed);

/* Whether an outbox row of kind about registration_id is still waiting to be sent, or was written at or
 * after since. 1 yes, 0 no, or a negative store_rc. */
int store_outbox_recent(struct db *db, const char *kind, int64_t registration_id, int64_t since);

/* What organisers see of an event's notifications, newest first: {id, kind, registration_id, person_id,
 * person_name, status ("pending"|"sent"|"failed"), attempts, last_error, created_at, next_attempt_at (when
 * pending), sent_at, failed_at}; status NULL for all. *total gets the count of the filter. */
int store_outbox_list(struct db *db, int64_t event_id, const char *status, int64_t limit, int64_t offset,
		      struct json_object **out, int64_t *total);
/* The event row id is about into *event_id (0 when none). STORE_NOT_FOUND when the row is absent. */
int store_outbox_event_of(struct db *db, int64_t id, int64_t *event_id);
/* Inside a transaction: queues a copy of row id (same kind, recipient, channel, payload without the
 * sealed link), due at now; *new_id gets its id. STORE_NOT_FOUND when id is absent. */
int store_outbox_copy(struct db *db, int64_t id, int64_t now, int64_t *new_id);
/* One row as store_outbox_list gives it. */
int store_outbox_get(struct db *db, int64_t id, struct json_object **out);

#endif
