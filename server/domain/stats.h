/*
 * stats: the numbers without names that officials (viewers), organisers and admins read — an event's and a
 * programme's registrations, presences and attendance rates, women and men apart — from the kept counters
 * (store_counts, store_events_counts), never from a recount; it renders no personal datum (no name, contact,
 * id of a person or a registration) and chooses no HTTP status.
 */
#ifndef MAJLIS_DOMAIN_STATS_H
#define MAJLIS_DOMAIN_STATS_H

#include <stdint.h>

#include "domain/domain.h"
#include "domain/events.h"

struct db;
struct json_object;

/*
 * The numbers of event event_id as p may read them: an admin, an organiser or a viewer (DOM_UNAUTHENTICATED
 * anonymous, DOM_FORBIDDEN check-in staff) of an event p may see (else DOM_NOT_FOUND, as for one that does
 * not exist, asked before the role). now decides which sessions have begun (attendance rates). *out: a new
 * object (the caller puts it). Service thread.
 */
int stats_event(struct db *db, const struct principal *p, int64_t event_id, int64_t now,
		struct json_object **out, struct dom_err *err);

/*
 * The programme's numbers: totals over every event p may see that q matches (as events_list filters), and a
 * page (limit, offset) of those events with their own numbers, in events_list's order. Roles as
 * stats_event. *out: a new object (the caller puts it). Service thread.
 */
int stats_programme(struct db *db, const struct principal *p, const struct event_query *q, int64_t now,
		    int64_t limit, int64_t offset, struct json_object **out, struct dom_err *err);

#endif
