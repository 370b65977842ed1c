/*
 * store_counts: reads the registration and presence counters that migration 0007's triggers keep in
 * every write's transaction; it counts no rows of registrations or attendance and decides nothing.
 */
#ifndef MAJLIS_STORE_STORE_COUNTS_H
#define MAJLIS_STORE_STORE_COUNTS_H

#include <stdint.h>

struct db;

enum store_count_status { STORE_CNT_CONFIRMED, STORE_CNT_WAITLISTED, STORE_CNT_PENDING, STORE_CNT_N };
enum store_count_sex { STORE_SEX_FEMALE, STORE_SEX_MALE, STORE_SEX_UNSPECIFIED, STORE_SEX_N };

/* An event's live registrations (confirmed, waitlisted, pending), by status and by sex. Stack value. */
struct store_reg_counts {
	int64_t capacity; /* the event's seats */
	int64_t n[STORE_CNT_N];
	int64_t by_sex[STORE_CNT_N][STORE_SEX_N];
};

/* One session's presence by sex. Element of the array store_counts_sessions returns. */
struct store_session_counts {
	int64_t session_id;
	int64_t start_utc; /* the session's start instant, Unix seconds */
	int64_t present[STORE_SEX_N];
};

/* The numbers of a set of events (store_events_counts), from their counters. Stack value. */
struct store_programme_counts {
	int64_t events;				  /* events in the set */
	int64_t sessions;			  /* their sessions */
	int64_t capacity;			  /* their seats, summed */
	int64_t n[STORE_CNT_N];			  /* live registrations by status */
	int64_t by_sex[STORE_CNT_N][STORE_SEX_N]; /* and by sex */
	int64_t present[STORE_SEX_N]; /* presences (attendance marked present) over their sessions, by sex */
	int64_t started_sessions;     /* their sessions begun at now */
	int64_t expected; /* the confirmed of each begun session's event, summed over those sessions */
};

/* Fills c for event_id from its counters (a few rows by primary key; zeros for an event without
 * registrations). 0, STORE_NOT_FOUND when there is no such event, or negative. */
int store_counts_event(struct db *db, int64_t event_id, struct store_reg_counts *c);

/* The number of confirmed registrations of event_id into *n (its counters). 0 or negative. */
int store_counts_confirmed(struct db *db, int64_t event_id, int64_t *n);

/* The sessions of event_id in start order (start_utc, then id) with their presence counters: *out
 * malloc'ed (caller frees; NULL when none), *n their number. O(sessions). 0 or negative. */
int store_counts_sessions(struct db *db, int64_t event_id, struct store_session_counts **out, int *n);

/* The 1-based position in event_id's waitlist of the waitlisted registration whose waitlist_seq is wseq:
 * the event's waitlisted counter less those behind it (a larger waitlist_seq), counted through the
 * partial index registrations_waitlist. So the newest on the waitlist (every registration that joins
 * it) costs one index seek, and any other position O(log n + the number behind it). 0 or negative. */
int store_counts_waitlist_position(struct db *db, int64_t event_id, int64_t wseq, int64_t *pos);

#endif
