/*
 * store_freebusy: read-only SQL for free/busy answers — the instants of the sessions that make an
 * organisation or a person busy, and when the store last changed; it must not merge, render or decide
 * whose token it is.
 */
#ifndef MAJLIS_STORE_STORE_FREEBUSY_H
#define MAJLIS_STORE_STORE_FREEBUSY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* One busy session. Element of an array the store mallocs and the caller frees. */
struct store_busy {
	int64_t start_utc;
	int64_t end_utc;
	bool tentative; /* the event is postponed, or the person's registration is pending / waitlisted */
};

/* Functions return 0 (STORE_OK) or a negative store_rc. On success *rows is malloc'ed (NULL when *n is
 * 0; free() it). Sessions overlapping [from_utc, to_utc) of events that are not cancelled, by start,
 * at most limit. Service thread (or the owner of db). */

/* Sessions of the events org_id owns or is a partner of, every visibility. */
int store_freebusy_org(struct db *db, int64_t org_id, int64_t from_utc, int64_t to_utc, int64_t limit,
		       struct store_busy **rows, size_t *n);
/* Sessions of the events person_id holds a pending, confirmed or waitlisted registration for, and the
 * sessions they facilitate. */
int store_freebusy_person(struct db *db, int64_t person_id, int64_t from_utc, int64_t to_utc, int64_t limit,
			  struct store_busy **rows, size_t *n);
/* created_at of the newest change-log row (0 when the log is empty): when the store last changed. */
int store_freebusy_last_change(struct db *db, int64_t *at);

#endif
