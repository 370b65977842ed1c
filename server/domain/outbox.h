/*
 * outbox (domain): turns a due outbox row into what a message must say (recipient, language, event,
 * times, place, personal link, the event's calendar) and records each delivery's outcome as one
 * transaction with its change-log row; it sends nothing and knows no mail format.
 */
#ifndef MAJLIS_DOMAIN_OUTBOX_H
#define MAJLIS_DOMAIN_OUTBOX_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "calendar/feed.h"
#include "config.h"
#include "domain/domain.h"
#include "util/buf.h"
#include "util/secret.h"

struct db;

#define OUTBOX_MAX_ATTEMPTS 8  /* a message still refused after this many tries is given up */
#define OUTBOX_KEY_LEN	    64 /* hex of 32 random bytes */
/* A message not sent within this long after the change is given up (by the worker, or by the housekeeping
 * when no mail server is configured): news days old misleads more than it helps, and a sealed personal link
 * should not wait for ever. */
#define OUTBOX_MAX_AGE_S (3 * 86400)

/* The sealed form of token for an outbox payload (malloc'ed), or NULL without a key. key is the one personal
 * links are sealed under in outbox rows until they are mailed (AES-256-GCM, see secret_seal): the
 * configuration's link_key, which outbox_take opens them with; NULL or "" (no key): messages carry no link.
 * Any thread. */
char *outbox_seal_link(const char *key, const char *token);

/* What a message about an event says of it, in one language. Part of struct outbox_msg. */
struct outbox_summary {
	char *title;	 /* in the language asked for, else another */
	char *org_name;	 /* the owning organisation */
	char *org_email; /* its contact address (validated where it entered), or NULL */
	char *where;	 /* venue, room, address, city of the first session shown; NULL when unknown */
	struct buf when; /* one line per session ("Début : 2026-10-15 10:00, heure du Maroc, UTC+0\n") */
};
#define OUTBOX_SUMMARY_MAX	(16 * 1024)
#define OUTBOX_SUMMARY_SESSIONS 12 /* lines of when at most; then "…" */

/* One message to send. Filled by outbox_take, freed by outbox_msg_free. One owner (the worker). */
struct outbox_msg {
	int64_t id;
	char kind[48]; /* "registration.confirmed", "session.time_changed", ... */
	enum feed_lang lang;
	int64_t attempts; /* failed attempts so far */
	int64_t event_id, session_id, registration_id, org_id;
	char *to;      /* validated address */
	char *to_name; /* in lang's script when known */
	char *link;    /* the personal link (absolute when public_url is set), or NULL */
	/* non-empty: the link is new (a re-sent link); outbox_take made it the registration's pending link
	 * before handing m out, and outbox_settle makes it its link when sent, or drops it when given up */
	char new_hash[SECRET_HASH_LEN + 1];
	char *link_sealed; /* a new link sealed for the row's next tries (outbox_take keeps it there), or NULL
			    */
	struct outbox_summary event; /* title, organisation, times, place */
	struct buf ics;		     /* the event's calendar, empty when there is none */
};

/* Takes the oldest due row (now) and fills m. Rows that cannot be delivered at all (no address, erased
 * person, a channel other than e-mail, a vanished event) are given up on the way, each in its own
 * transaction. A message carrying a new personal link (registration.link_resent) is handed out only once
 * that link works: in one transaction with a change-log row "notification.link_ready", its hash becomes
 * the registration's pending link (beside the current one, which goes on working) and the link is kept
 * sealed in the row, so that a later try mails the same link. DOM_OK with m filled, DOM_NOT_FOUND when
 * nothing is due, or DOM_BUSY/DOM_INTERNAL (nothing handed out). Any thread that owns db (the notifications
 * worker). */
int outbox_take(struct db *db, const struct config *cfg, int64_t now, struct outbox_msg *m,
		struct dom_err *err);
void outbox_msg_free(struct outbox_msg *m);

enum outbox_outcome {
	OUTBOX_SENT = 0, /* delivered to the mail server */
	OUTBOX_RETRY,	 /* a temporary failure: tried again later, given up after OUTBOX_MAX_ATTEMPTS */
	OUTBOX_REFUSED	 /* a permanent failure: given up now */
};
/* Records the outcome of sending m (error: why, never personal data) in one transaction with a
 * change-log row "notification.<sent|retry|failed>" (topic "outbox:<id>", the event's organisation).
 * A new personal link m carries becomes the registration's link when sent (the old one stops working),
 * stays pending after a temporary failure (the mail may have left; the next try mails the same link), and
 * is dropped when the message is given up (the old one goes on working). *seq (may be NULL) gets its
 * position. Returns DOM_OK or DOM_BUSY/DOM_INTERNAL. */
int outbox_settle(struct db *db, const struct outbox_msg *m, int64_t now, enum outbox_outcome outcome,
		  const char *error, int64_t *seq, struct dom_err *err);
/* Seconds to wait before try number attempts + 1 (1 min, 5 min, 30 min, 2 h, then 6 h). */
int64_t outbox_backoff(int64_t attempts);
/* The earliest time a pending row is due into *when (0: none). DOM_OK or DOM_BUSY. */
int outbox_next_due(struct db *db, int64_t *when, struct dom_err *err);

/* The notifications about event_id for an organiser (admin, or organiser of the event's organisation; else
 * DOM_FORBIDDEN, DOM_NOT_FOUND for no such event), newest first; status NULL, "pending", "sent" or "failed"
 * (else DOM_INVALID). *items: a new array (caller puts). Service thread. */
int outbox_list(struct db *db, const struct principal *p, int64_t event_id, const char *status, int64_t limit,
		int64_t offset, struct json_object **items, int64_t *total, struct dom_err *err);
/* Whether p may have notification id sent again (an admin or an organiser, else DOM_FORBIDDEN, of its
 * event's organisation: a notification of another one is DOM_NOT_FOUND), asked by the api before it reads
 * the body. outbox_resend checks the same itself. */
int outbox_resendable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* Queues notification id again as a new row (same kind, recipient and content; a personal link that was
 * sealed in it is gone once mailed or given up), due now, in one transaction with a change-log row
 * "notification.requeued". Same rights as outbox_list. *out: the new row (caller puts). */
int outbox_resend(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		  int64_t *seq, struct dom_err *err);

#endif
