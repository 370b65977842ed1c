/* store_event_counts: the numbers of one event counted from its rows (registrations by status and sex,
 * presence per session); no rules, no writes, never a name. */
#ifndef MAJLIS_STORE_STORE_EVENT_COUNTS_H
#define MAJLIS_STORE_STORE_EVENT_COUNTS_H

#include <stdint.h>

struct db;

/* Index of a sex in the tallies below. */
enum store_tally_sex { STORE_TALLY_FEMALE, STORE_TALLY_MALE, STORE_TALLY_UNSPECIFIED, STORE_TALLY_SEXES };

/* An event's registration numbers; on the caller's stack. */
struct store_event_tally {
	int64_t capacity, confirmed, pending, waitlisted;
	int64_t confirmed_sex[STORE_TALLY_SEXES];
};

/* One session's presence; in an array owned by the caller. */
struct store_session_tally {
	int64_t session_id, present;
	int64_t present_sex[STORE_TALLY_SEXES];
};

/* Counts event_id's registrations into *t: STORE_OK, STORE_NOT_FOUND when there is no such event. */
int store_event_tally(struct db *db, int64_t event_id, struct store_event_tally *t);

/* The presence of every session of event_id, in start order: *out malloc'ed (caller frees; NULL when
 * there are none), *n its length. STORE_OK or a negative store code. */
int store_session_tallies(struct db *db, int64_t event_id, struct store_session_tally **out, int *n);

#endif
