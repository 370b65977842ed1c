/*
 * event_access: the event rules that events and sessions share — who may see an event, whom a change
 * notifies, when sessions span clock changes; it never parses HTTP, renders a resource or builds SQL.
 */
#include "domain/event_access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "store/db.h"
#include "store/store_events.h"
#include "store/store_outbox.h"
#include "store/store_sessions.h"
#include "util/jsonx.h"

int event_access_member(struct db *db, const struct principal *p, int64_t event_id, int64_t org_id)
{
	if (p->role == ROLE_NONE || p->org_id <= 0)
		return 0;
	if (p->org_id == org_id)
		return 1;
	return store_event_is_partner(db, event_id, p->org_id);
}

int event_access_visible(struct db *db, const struct principal *p, int64_t event_id, int64_t org_id,
			 const char *visibility)
{
	if (!strcmp(visibility, "public") || p->role == ROLE_ADMIN)
		return 1;
	return event_access_member(db, p, event_id, org_id);
}

int event_access_notify_registrants(struct db *db, int64_t now, int64_t event_id, int64_t session_id,
				    const char *kind)
{
	struct event_registrant *regs = NULL;
	struct json_object *payload;
	size_t n = 0;
	int rc;

	rc = store_event_registrants(db, event_id, &regs, &n);
	for (size_t i = 0; i < n && !rc; i++) {
		payload = json_object_new_object();
		jsonx_add_int(payload, "event_id", event_id);
		jsonx_add_int(payload, "registration_id", regs[i].registration_id);
		if (session_id > 0)
			jsonx_add_int(payload, "session_id", session_id);
		rc = db_outbox(db, kind, regs[i].person_id, "email", payload, now);
		json_object_put(payload);
	}
	free(regs);
	return rc;
}

/* Adds a warning to w when the sessions span more than one UTC offset. */
void event_access_offset_warning(const struct session_row *s, size_t n, struct json_object *w)
{
	char a[TZ_OFFSET_LEN], b[TZ_OFFSET_LEN], msg[200];

	for (size_t i = 0; i < n; i++) {
		int32_t off[2] = {s[i].start_offset, s[i].end_offset};

		for (int k = 0; k < 2; k++) {
			if (off[k] == s[0].start_offset)
				continue;
			tz_format_offset(s[0].start_offset, a);
			tz_format_offset(off[k], b);
			snprintf(msg, sizeof(msg),
				 "the sessions of this event span different UTC offsets (UTC%s and UTC%s): a "
				 "change "
				 "of clock rules falls between them; check the times",
				 a, b);
			json_object_array_add(w, json_object_new_string(msg));
			return;
		}
	}
}

void event_access_span_warning(struct db *db, int64_t event_id, struct json_object *warnings)
{
	struct session_row *s = NULL;
	size_t n = 0;

	if (!store_sessions_of_event(db, event_id, &s, &n))
		event_access_offset_warning(s, n, warnings);
	free(s);
}
