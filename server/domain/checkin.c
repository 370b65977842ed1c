/*
 * checkin: the check-in screen's reads (today's sessions in the caller's scope, a session's roster); it
 * writes nothing, never logs names and never chooses HTTP statuses.
 */
#include "domain/checkin.h"

#include <json-c/json.h>

#include "domain/attendance.h"
#include "store/db.h"
#include "store/store_attendance.h"
#include "store/store_checkin.h"
#include "util/jsonx.h"

/* a session's local day is at most 14 hours off UTC, and a session may last several days: the window
 * read around now, before each session's own day is checked */
#define CHECKIN_WINDOW (3 * 86400)

int checkin_sessions(struct db *db, const struct principal *p, int64_t now, struct json_object **items,
		     struct dom_err *err)
{
	struct store_checkin_scope scope = {0};
	struct store_checkin_session_row *rows = NULL;
	size_t n = 0;
	int rc;

	*items = NULL;
	switch (p->role) {
	case ROLE_NONE:
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	case ROLE_ADMIN:
		scope.all = true;
		break;
	case ROLE_ORGANISER:
		scope.org_id = p->org_id;
		break;
	case ROLE_CHECKIN:
		/* an account checks in the events assigned to it; a token its organisation's */
		if (p->account_id > 0)
			scope.account_id = p->account_id;
		else
			scope.org_id = p->org_id;
		break;
	default:
		return dom_fail(err, DOM_FORBIDDEN, NULL, "you may not check people in");
	}
	rc = store_checkin_sessions(db, &scope, now - CHECKIN_WINDOW, now + CHECKIN_WINDOW, &rows, &n);
	if (rc)
		return dom_from_store(err, rc, "session");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct store_checkin_session_row *r = &rows[i];
		struct json_object *o;

		if (!attendance_on_day(r->tz, r->starts_local, r->ends_local, now))
			continue;
		o = json_object_new_object();
		jsonx_add_int(o, "id", r->id);
		jsonx_add_int(o, "event_id", r->event_id);
		jsonx_add_str(o, "title", r->title);
		jsonx_add_str(o, "event_title_fr", r->event_title_fr);
		jsonx_add_str(o, "event_title_ar", r->event_title_ar);
		jsonx_add_str(o, "event_title_en", r->event_title_en);
		jsonx_add_str(o, "event_status", r->event_status);
		jsonx_add_str(o, "starts_local", r->starts_local);
		jsonx_add_str(o, "ends_local", r->ends_local);
		jsonx_add_str(o, "tz", r->tz);
		jsonx_add_int(o, "start_utc", r->start_utc);
		jsonx_add_int(o, "end_utc", r->end_utc);
		jsonx_add_str(o, "room", r->room);
		jsonx_add_str(o, "venue", r->venue);
		jsonx_add_int(o, "present", r->present);
		jsonx_add_int(o, "confirmed", r->confirmed);
		json_object_array_add(*items, o);
	}
	store_checkin_sessions_free(rows, n);
	return DOM_OK;
}

int checkin_roster(struct db *db, const struct principal *p, int64_t session_id, struct json_object **items,
		   int64_t *total, struct dom_err *err)
{
	struct store_att_session s;
	struct store_checkin_roster_row *rows = NULL;
	size_t n = 0;
	int ret, rc;

	*items = NULL;
	*total = 0;
	rc = store_att_session_get(db, session_id, &s);
	if (rc)
		return dom_from_store(err, rc, "session");
	ret = attendance_may_check_in(db, p, s.event_id, s.org_id, err);
	if (ret)
		return ret;
	rc = store_checkin_roster(db, session_id, s.event_id, &rows, &n);
	if (rc)
		return dom_from_store(err, rc, "registration");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct store_checkin_roster_row *r = &rows[i];
		struct json_object *o = json_object_new_object();

		jsonx_add_int(o, "registration_id", r->registration_id);
		jsonx_add_str(o, "registration_status", r->registration_status);
		jsonx_add_str(o, "name", r->name);
		jsonx_add_str(o, "name_ar", r->name_ar);
		jsonx_add_str(o, "status", r->status);
		jsonx_add_str(o, "method", r->method);
		json_object_object_add(o, "recorded_at",
				       r->recorded_at ? json_object_new_int64(r->recorded_at) : NULL);
		json_object_array_add(*items, o);
	}
	store_checkin_roster_free(rows, n);
	*total = (int64_t)n;
	return DOM_OK;
}
