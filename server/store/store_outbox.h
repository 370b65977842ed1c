/*
 * store_outbox: the SQL of notification delivery (due rows, their outcome, and the pending personal link
 * of a registration whose new link is being mailed); it neither renders nor sends and must not decide when to
 * retry.
 */
#ifndef MAJLIS_STORE_STORE_OUTBOX_H
#define MAJLIS_STORE_STORE_OUTBOX_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/secret.h"

struct db;

/* All functions return 0 (STORE_OK) or a negative store_rc. Any thread that owns db (the notifications worker
 * has its own connection). */

/* Inside a transaction: queues a notification written and due at now (the caller's clock). person_id
 * <= 0 means none; channel NULL is "email". payload (not consumed) is a JSON object; its "event_id", if
 * any, files the row under that event. */
int db_outbox(struct db *db, const char *kind, int64_t person_id, const char *channel,
	      struct json_object *payload, int64_t now);

/* One outbox row to deliver, as the notifications worker reads it: malloc'ed strings, freed by
 * store_outbox_due_row_clear or store_outbox_due_rows_free. The thread of the connection it came from. */
struct store_outbox_due_row {
	int64_t id;	    /* immutable id */
	char *kind;	    /* what happened, e.g. "registration.confirmed" */
	int64_t person_id;  /* the recipient, 0 when none */
	char *channel;	    /* "email" (others are not delivered), or NULL */
	char *payload;	    /* the stored JSON text (ids, language, sealed link), or NULL */
	int64_t attempts;   /* tries so far */
	int64_t created_at; /* when it was queued, Unix seconds */
};

/* One notification as organisers see it (store_outbox_list, store_outbox_get): freed like the due row. */
struct store_outbox_row {
	int64_t id;		  /* immutable id */
	char *kind;		  /* what happened, e.g. "registration.confirmed" */
	bool has_registration_id; /* its payload names a registration */
	int64_t registration_id;  /* that registration, when has_registration_id */
	int64_t person_id;	  /* the recipient, 0 when none */
	char *person_name;	  /* the recipient's name, or NULL (none) */
	char *status;		  /* "pending", "sent" or "failed" */
	int64_t attempts;	  /* tries so far */
	char *last_error;	  /* why the last try failed (never personal data), or NULL */
	int64_t created_at;	  /* when it was queued, Unix seconds */
	bool has_next_attempt_at; /* pending: next_attempt_at is set */
	int64_t next_attempt_at;  /* the next try, Unix seconds, when pending */
	bool has_sent_at;	  /* sent: sent_at is set */
	int64_t sent_at;	  /* when it was sent, Unix seconds */
	bool has_failed_at;	  /* given up: failed_at is set */
	int64_t failed_at;	  /* when it was given up, Unix seconds */
};

/* Free what a row owns and zero it. Accept NULL. */
void store_outbox_due_row_clear(struct store_outbox_due_row *r);
void store_outbox_row_clear(struct store_outbox_row *r);
/* Clear the n rows of an array and free it. Accept NULL. */
void store_outbox_due_rows_free(struct store_outbox_due_row *rows, size_t n);
void store_outbox_rows_free(struct store_outbox_row *rows, size_t n);

/* Up to limit rows neither sent nor given up with not_before <= now, oldest first: *rows a malloc'ed
 * array of *n (NULL when none; caller frees with store_outbox_due_rows_free). */
int store_outbox_due(struct db *db, int64_t now, int64_t limit, struct store_outbox_due_row **rows,
		     size_t *n);
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

/* What organisers see of an event's notifications, newest first, status ("pending", "sent", "failed")
 * NULL for all: *rows a malloc'ed array of *n (NULL when none; caller frees with store_outbox_rows_free),
 * *total the count of the filter. */
int store_outbox_list(struct db *db, int64_t event_id, const char *status, int64_t limit, int64_t offset,
		      struct store_outbox_row **rows, size_t *n, int64_t *total);
/* The event row id is about into *event_id (0 when none). STORE_NOT_FOUND when the row is absent. */
int store_outbox_event_of(struct db *db, int64_t id, int64_t *event_id);
/* Inside a transaction: queues a copy of row id (same kind, recipient, channel, payload without the
 * sealed link), due at now; *new_id gets its id. STORE_NOT_FOUND when id is absent. */
int store_outbox_copy(struct db *db, int64_t id, int64_t now, int64_t *new_id);
/* Row id as store_outbox_list gives it, into r (zeroed first; the caller clears it after 0). */
int store_outbox_get(struct db *db, int64_t id, struct store_outbox_row *r);

#endif
