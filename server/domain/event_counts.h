/*
 * event_counts: an event's registration and presence numbers (aggregates, never names), read from the
 * counters the store keeps in every write's transaction, for live frames and the HTTP API alike; it does
 * not decide who may see them (its callers do) and never counts rows.
 */
#ifndef MAJLIS_DOMAIN_EVENT_COUNTS_H
#define MAJLIS_DOMAIN_EVENT_COUNTS_H

#include <json-c/json.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

/* One session's presence. Element of event_counts.sessions. */
struct session_counts {
	int64_t session_id, present, present_women, present_men, present_unspecified;
};

/* An event's numbers. Filled by event_counts_get on the caller's stack; sessions is malloc'ed and freed by
 * event_counts_free. Any thread that owns the db connection. */
struct event_counts {
	int64_t event_id, capacity, confirmed, pending, waitlisted;
	int64_t confirmed_women, confirmed_men, confirmed_unspecified;
	int n_sessions;
	struct session_counts *sessions; /* in session start order */
};

/* Fills *out with event_id's numbers from its counters: O(sessions), no scan of registrations or
 * attendance. DOM_OK (free with event_counts_free), DOM_NOT_FOUND when there is no such event, or another
 * dom_code with err set (*out then needs no free). Sees every event: the caller checks visibility. */
int event_counts_get(struct db *db, int64_t event_id, struct event_counts *out, struct dom_err *err);

/* Frees out->sessions and clears it; accepts NULL and a zeroed struct. */
void event_counts_free(struct event_counts *c);

/* A new JSON object {"capacity","confirmed","pending","waitlisted","confirmed_by_sex":{"female","male",
 * "unspecified"},"sessions":[{"id","present","present_by_sex":{"female","male","unspecified"}}]}. */
struct json_object *event_counts_json(const struct event_counts *c);

#endif
