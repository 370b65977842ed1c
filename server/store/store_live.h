/* store_live: reads of the change log for live clients, in sequence order; no rules, no writes. */
#ifndef MAJLIS_STORE_STORE_LIVE_H
#define MAJLIS_STORE_STORE_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Looks at the changes after seq `after`: *head gets the newest sequence number (after when there is
 * none), *cred the newest of them that touches credentials — an account or a token (login, logout,
 * revocation, update) — or 0. */
int store_live_credential_changes(struct db *db, int64_t after, int64_t *head, int64_t *cred);

/* One change-log row as read for the live window; in an array owned by the caller (payload malloc'ed). */
struct store_live_row {
	int64_t seq;	/* the change's sequence number */
	int64_t org_id; /* the organisation it concerns, when has_org */
	int64_t at;	/* when it was written, Unix seconds */
	bool has_org;	/* org_id is not NULL */
	char topic[64]; /* e.g. "event:42" */
	char kind[64];	/* e.g. "registration.confirmed" */
	char *payload;	/* the JSON text as stored */
};

/* At most max rows after seq `after` and not after `upto` (0: no bound), in seq order, into out[]
 * (caller's array of max), *n how many. Each payload is malloc'ed: store_live_rows_free. */
int store_live_rows(struct db *db, int64_t after, int64_t upto, int max, struct store_live_row *out, int *n);
/* Frees the payloads of n rows. */
void store_live_rows_free(struct store_live_row *rows, int n);

/* The oldest sequence number the change log still holds into *seq (0 when it is empty). */
int store_live_oldest(struct db *db, int64_t *seq);

/* The waitlist of event_id in order (waitlist_seq, then id): *n registration ids into *ids and their
 * waitlist_seq into *wseqs (both malloc'ed, NULL when empty). 0 or negative. */
int store_live_waitlist(struct db *db, int64_t event_id, int64_t **ids, int64_t **wseqs, size_t *n);

/* The status ("scheduled", "postponed", "cancelled") and iCalendar sequence of event_id: STORE_OK,
 * STORE_NOT_FOUND, or negative. */
int store_live_event_state(struct db *db, int64_t event_id, char status[16], int64_t *sequence);

#endif
