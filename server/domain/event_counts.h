/*
 * event_counts: the current numbers of one event (capacity, registrations by status, confirmed by sex,
 * presence per session by sex) for live frames and dashboards; numbers only, never a name or another
 * personal field, and no rule about who may see them (the caller decides).
 */
#ifndef MAJLIS_DOMAIN_EVENT_COUNTS_H
#define MAJLIS_DOMAIN_EVENT_COUNTS_H

#include <json-c/json.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

/* One session's presence, inside struct event_counts. */
struct session_counts {
	int64_t session_id, present, present_women, present_men, present_unspecified;
};

/* An event's numbers; filled by event_counts_get, released by event_counts_free. Owned by the caller,
 * any thread holding the db. */
struct event_counts {
	int64_t event_id, capacity, confirmed, pending, waitlisted;
	int64_t confirmed_women, confirmed_men, confirmed_unspecified;
	int n_sessions;
	struct session_counts *sessions; /* in session start order */
};

/* Fills *out with the current numbers of event_id (recounted from its rows): DOM_OK, DOM_NOT_FOUND when
 * there is no such event, or DOM_BUSY with err set. On error *out holds nothing to free. */
int event_counts_get(struct db *db, int64_t event_id, struct event_counts *out, struct dom_err *err);
/* Frees what event_counts_get allocated in c (not c itself); NULL and a zeroed c are fine. */
void event_counts_free(struct event_counts *c);
/* {"capacity","confirmed","pending","waitlisted","confirmed_by_sex":{"female","male","unspecified"},
 * "sessions":[{"id","present","present_by_sex":{"female","male","unspecified"}}]}: a new object. */
struct json_object *event_counts_json(const struct event_counts *c);

#endif
