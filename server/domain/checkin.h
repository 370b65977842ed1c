/*
 * checkin: what the door's check-in screen reads — today's sessions of the events a caller may check
 * people in, and a session's roster (names and this session's attendance); it writes nothing (recording
 * is domain/attendance), never chooses HTTP statuses and never logs names.
 */
#ifndef MAJLIS_DOMAIN_CHECKIN_H
#define MAJLIS_DOMAIN_CHECKIN_H

#include <stdint.h>

#include "domain/domain.h"

struct db;
struct json_object;

/* The sessions whose local day(s) hold now, of the events p may check in (an admin every event, an
 * organiser its organisation's, a check-in account those assigned to it, a check-in token its
 * organisation's), by start: *items a new JSON array of {id, event_id, title, event_title_fr/ar/en,
 * event_status, starts_local, ends_local, tz, start_utc, end_utc, room, venue, present, confirmed}.
 * DOM_UNAUTHENTICATED anonymous, DOM_FORBIDDEN a viewer. Service thread. */
int checkin_sessions(struct db *db, const struct principal *p, int64_t now, struct json_object **items,
		     struct dom_err *err);

/* The roster of session_id for whoever may record its attendance (attendance_may_check_in; a session p
 * may not see is DOM_NOT_FOUND): every registration of its event whose person is not erased, by name,
 * as {registration_id, registration_status, name, name_ar, status, method, recorded_at} (the last three
 * null when nothing is recorded for this session). *items a new JSON array, *total its length. */
int checkin_roster(struct db *db, const struct principal *p, int64_t session_id, struct json_object **items,
		   int64_t *total, struct dom_err *err);

#endif
