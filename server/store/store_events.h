/*
 * store_events: SQL for events, their partner organisations, registration counts and the
 * registrations an event change touches; it must not decide who may do what or open transactions.
 */
#ifndef MAJLIS_STORE_STORE_EVENTS_H
#define MAJLIS_STORE_STORE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "store/store_counts.h"

#define EVENT_LANGS    3  /* fr, ar, en: index order of title[] and description[] */
#define EVENT_ENUM_LEN 16 /* longest of type/visibility/status values + NUL */
#define EVENT_ZONE_LEN 64 /* a tz database name + NUL */

/* One events row. Strings title/description/url are malloc'ed (NULL for SQL NULL) and freed by
 * event_row_clear. Lives on the caller's stack for one call; service thread only. */
struct event_row {
	int64_t id;
	char type[EVENT_ENUM_LEN];
	char *title[EVENT_LANGS];
	char *description[EVENT_LANGS];
	int64_t org_id;
	int64_t venue_id; /* 0: none */
	char visibility[EVENT_ENUM_LEN];
	int64_t capacity;
	bool has_opens;
	int64_t opens_at;
	bool has_closes;
	int64_t closes_at;
	bool needs_approval;
	char status[EVENT_ENUM_LEN];
	int64_t sequence;
	char *url;
	int64_t created_at;
	int64_t updated_at;
};

/* Frees the strings of r and zeroes it. Accepts NULL. */
void event_row_clear(struct event_row *r);
/* Replaces *slot with a copy of s (NULL clears). 0 or STORE_ERROR (out of memory). */
int event_row_set(char **slot, const char *s);

/* Loads event id into r (cleared first). 0, STORE_NOT_FOUND or negative. Caller clears r. */
int store_event_load(struct db *db, int64_t id, struct event_row *r);
/* Inserts r (r->id ignored, set on success). 0 or negative store_rc. */
int store_event_insert(struct db *db, struct event_row *r);
/* Writes every column of r over row r->id. 0, STORE_NOT_FOUND or negative. */
int store_event_update(struct db *db, const struct event_row *r);
/* events.sequence += 1 and updated_at = now. 0 or negative. */
int store_event_bump(struct db *db, int64_t id, int64_t now);

/* Partner organisation ids of event id, ascending, into a malloc'ed array (caller frees; NULL
 * when none). 0 or negative. */
int store_event_partners(struct db *db, int64_t id, int64_t **ids, size_t *n);
/* Replaces the partners of event id with ids[0..n) (duplicates ignored). 0 or negative. */
int store_event_partners_set(struct db *db, int64_t id, const int64_t *ids, size_t n);
/* 1 when org_id is a partner of event id, 0 when not, negative on error. */
int store_event_is_partner(struct db *db, int64_t event_id, int64_t org_id);

/* 1 when the row exists, 0 when not, negative on error. */
int store_org_exists(struct db *db, int64_t org_id);
/* Zone of venue id into tz. 0, STORE_NOT_FOUND or negative. */
int store_venue_tz(struct db *db, int64_t venue_id, char tz[EVENT_ZONE_LEN]);

/* What a list is filtered on; NULL/0 members do not filter. viewer_org is the org whose
 * non-public events are visible too (0: none); see_all shows every event. */
struct event_filter {
	const char *city;
	const char *type;
	const char *status;
	const char *from; /* "YYYY-MM-DD": some session starts on or after it */
	const char *to;	  /* "YYYY-MM-DD": some session starts on or before it */
	int64_t org;	  /* owner or partner */
	int64_t viewer_org;
	bool see_all;
};

/* Ids of the matching events in order of their first session (events without one last), then id;
 * *ids malloc'ed (caller frees; NULL when none), *total counts all matches. 0 or negative. */
int store_events_list(struct db *db, const struct event_filter *f, int64_t limit, int64_t offset,
		      int64_t **ids, size_t *n, int64_t *total);

/* The numbers of every event matching f (see store_events_list), summed from their counters in one query
 * (no row of registrations or attendance is counted); sessions begun at now (start_utc <= now) make
 * out->started_sessions and out->expected. 0 or negative. */
int store_events_counts(struct db *db, const struct event_filter *f, int64_t now,
			struct store_programme_counts *out);

/* A live (pending, confirmed or waitlisted) registration of an event. */
struct event_registrant {
	int64_t registration_id;
	int64_t person_id;
};

/* Live registrations of event id in id order, into a malloc'ed array (caller frees; NULL when none).
 * 0 or negative. */
int store_event_registrants(struct db *db, int64_t id, struct event_registrant **out, size_t *n);
/* Records now as event id's cancellation time (events.cancelled_at) and sets every live registration
 * of it to 'cancelled' at now (waitlist_seq cleared). Returns the number changed (>= 0) or negative. */
int store_event_cancel_registrations(struct db *db, int64_t id, int64_t now);

#endif
