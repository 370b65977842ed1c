/*
 * event_access: the event rules that events, sessions and registrations share — who may see an event,
 * whom a change notifies, when sessions span clock changes; it never parses HTTP or builds SQL.
 */
#ifndef MAJLIS_DOMAIN_EVENT_ACCESS_H
#define MAJLIS_DOMAIN_EVENT_ACCESS_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;
struct session_row;

/* Whether p acts for org_id (the event's owner) or for a partner organisation of event event_id: 1, 0,
 * or negative store_rc. An anonymous caller is nobody's member. */
int event_access_member(struct db *db, const struct principal *p, int64_t event_id, int64_t org_id);

/* Whether p may see the event (event_id, owner org_id, visibility "public"/"invited"/"internal"): a
 * public event is seen by everyone, any event by an admin, an invited or internal one only by members
 * (event_access_member). 1, 0 or negative store_rc. To anyone who may not see it an event does not
 * exist. */
int event_access_visible(struct db *db, const struct principal *p, int64_t event_id, int64_t org_id,
			 const char *visibility);

/* Adds to w a message when the n sessions s span more than one UTC offset. */
void event_access_offset_warning(const struct session_row *s, size_t n, struct json_object *w);
/* Adds to warnings a message when the sessions of event_id span different UTC offsets. */
void event_access_span_warning(struct db *db, int64_t event_id, struct json_object *warnings);

/* Inside a transaction, one outbox row of kind per live registration of event_id, payload
 * {event_id, registration_id} plus session_id when > 0. 0 or negative store_rc. */
int event_access_notify_registrants(struct db *db, int64_t now, int64_t event_id, int64_t session_id,
				    const char *kind);

#endif
