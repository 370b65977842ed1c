/*
 * attendance: recording presence per session in one transaction with its change-log row; it must
 * not log tickets or personal data and never chooses HTTP statuses.
 */
#include "domain/attendance.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "domain/auth.h"
#include "domain/events.h"
#include "domain/txn.h"
#include "store/db.h"
#include "store/store_attendance.h"
#include "store/store_changelog.h"
#include "store/store_checkin.h"
#include "store/store_registrations.h"
#include "util/jsonx.h"
#include "util/secret.h"

int attendance_may_check_in(struct db *db, const struct principal *p, int64_t event_id, int64_t org_id,
			    struct dom_err *err)
{
	int rc;

	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (principal_manages_org(p, org_id))
		return DOM_OK;
	/* check-in staff: an account assigned to the event, or a check-in token of its organisation */
	if (p->role == ROLE_CHECKIN && auth_checkin_allowed(db, p, event_id))
		return DOM_OK;
	/* a session of an event p may not see answers as one that does not exist */
	rc = events_visible_id(db, p, event_id);
	if (rc < 0)
		return dom_from_store(err, rc, "event");
	if (!rc)
		return dom_from_store(err, STORE_NOT_FOUND, "session");
	return dom_fail(err, DOM_FORBIDDEN, NULL, "you may not record attendance for this event");
}

/* Session session_id into *s, and whether p may record or see its attendance (attendance_may_check_in). */
static int att_session(struct db *db, const struct principal *p, int64_t session_id,
		       struct store_att_session *s, struct dom_err *err)
{
	int rc = store_att_session_get(db, session_id, s);

	if (rc)
		return dom_from_store(err, rc, "session");
	return attendance_may_check_in(db, p, s->event_id, s->org_id, err);
}

int attendance_writable(struct db *db, const struct principal *p, int64_t session_id, struct dom_err *err)
{
	struct store_att_session s;

	return att_session(db, p, session_id, &s, err);
}

/* The row as JSON (no personal data). */
static struct json_object *att_json(const struct store_att *a)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "session_id", a->session_id);
	jsonx_add_int(o, "registration_id", a->registration_id);
	jsonx_add_str(o, "status", a->status);
	jsonx_add_str(o, "method", a->method);
	json_object_object_add(o, "recorded_by",
			       a->has_recorded_by ? json_object_new_int64(a->recorded_by) : NULL);
	jsonx_add_int(o, "recorded_at", a->recorded_at);
	return o;
}

/* Inside the transaction: writes a (unless the stored row already has its status, or keep_staff and
 * the stored row was recorded by staff) with its change-log row. *cur gets the resulting row. */
static int att_write(struct db *db, int64_t now, const struct store_att_session *s, const struct store_att *a,
		     bool keep_staff, struct store_att *cur, bool *created, int64_t *seq, struct dom_err *err)
{
	struct json_object *payload;
	char topic[40];
	int rc = store_att_get(db, a->session_id, a->registration_id, cur);

	*created = false;
	if (rc && rc != STORE_NOT_FOUND)
		return dom_from_store(err, rc, "attendance");
	if (!rc && (!strcmp(cur->status, a->status) || (keep_staff && strcmp(cur->method, "self"))))
		return DOM_OK;
	*created = rc == STORE_NOT_FOUND;
	rc = store_att_upsert(db, a);
	if (rc)
		return dom_from_store(err, rc, "attendance");
	*cur = *a;
	payload = json_object_new_object();
	jsonx_add_int(payload, "session_id", a->session_id);
	jsonx_add_int(payload, "registration_id", a->registration_id);
	jsonx_add_str(payload, "status", a->status);
	snprintf(topic, sizeof(topic), "event:%lld", (long long)s->event_id);
	rc = db_changelog(db, topic, "attendance.recorded", s->org_id, payload, now, seq);
	json_object_put(payload);
	return rc ? dom_from_store(err, rc, "attendance") : DOM_OK;
}

/* Fills a with registration reg_id's status by method on session session_id at now (recorded by nobody). */
static void att_row(struct store_att *a, int64_t session_id, int64_t reg_id, const char *status,
		    const char *method, int64_t now)
{
	memset(a, 0, sizeof(*a));
	a->session_id = session_id;
	a->registration_id = reg_id;
	snprintf(a->status, sizeof(a->status), "%s", status);
	snprintf(a->method, sizeof(a->method), "%s", method);
	a->recorded_at = now;
}

/* Ends the transaction the caller began: writes a on session s (att_write), commits (txn_finish) and
 * renders the resulting row into *out. On failure all is rolled back, *seq is 0 and *created false. */
static int att_commit(struct db *db, int64_t now, const struct store_att_session *s,
		      const struct store_att *a, bool keep_staff, struct json_object **out, bool *created,
		      int64_t *seq, struct dom_err *err)
{
	struct store_att cur;
	int ret;

	ret = att_write(db, now, s, a, keep_staff, &cur, created, seq, err);
	ret = txn_finish(db, ret, "attendance", seq, err);
	if (ret) {
		*created = false;
		return ret;
	}
	*out = att_json(&cur);
	return DOM_OK;
}

/* Inside the transaction: the registration named by in (id or ticket), which must be a confirmed
 * registration of the session's event. */
static int att_registration(struct db *db, const struct store_att_session *s, const struct att_input *in,
			    struct store_reg *r, struct dom_err *err)
{
	char hash[SECRET_HASH_LEN + 1];
	int rc;

	if (in->ticket) {
		secret_hash(in->ticket, strlen(in->ticket), hash);
		rc = store_reg_get_by_token(db, hash, r);
		if (rc == STORE_NOT_FOUND)
			return dom_fail(err, DOM_NOT_FOUND, "ticket_not_found",
					"no registration has this ticket");
		if (rc)
			return dom_from_store(err, rc, "registration");
		if (r->event_id != s->event_id)
			return dom_fail(err, DOM_UNPROCESSABLE, "ticket_other_event",
					"this ticket is for another event");
	} else {
		rc = store_reg_get(db, in->registration_id, r);
		if (rc == STORE_NOT_FOUND || (!rc && r->event_id != s->event_id))
			return dom_fail(err, DOM_NOT_FOUND, "registration_not_found",
					"no such registration for this session's event");
		if (rc)
			return dom_from_store(err, rc, "registration");
	}
	if (strcmp(r->status, "confirmed"))
		return dom_fail(err, DOM_UNPROCESSABLE, "registration_not_confirmed",
				"only confirmed registrations can be recorded (this one is %s)", r->status);
	return DOM_OK;
}

static bool att_one_of(const char *s, const char *const *choices)
{
	for (; s && *choices; choices++)
		if (!strcmp(s, *choices))
			return true;
	return false;
}

int attendance_record(struct db *db, const struct principal *p, int64_t session_id,
		      const struct att_input *in, int64_t now, struct json_object **out, bool *created,
		      int64_t *seq, struct dom_err *err)
{
	static const char *const statuses[] = {"present", "absent", "excused", NULL};
	static const char *const methods[] = {"qr", "manual", NULL};
	struct store_att_session s;
	struct store_att a;
	struct store_reg r;
	int ret, rc;

	*out = NULL;
	*created = false;
	*seq = 0;
	if (!att_one_of(in->status, statuses))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'status' must be present, absent or excused");
	if (!att_one_of(in->method, methods))
		return dom_fail(err, DOM_INVALID, "invalid_field", "field 'method' must be qr or manual");
	if ((in->ticket != NULL) == (in->registration_id > 0))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"give exactly one of 'registration_id' and 'ticket'");
	ret = att_session(db, p, session_id, &s, err);
	if (ret)
		return ret;
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "attendance");
	ret = att_registration(db, &s, in, &r, err);
	if (ret)
		return txn_finish(db, ret, "attendance", seq, err);
	att_row(&a, session_id, r.id, in->status, in->method, now);
	a.has_recorded_by = p->account_id > 0;
	a.recorded_by = p->account_id;
	return att_commit(db, now, &s, &a, false, out, created, seq, err);
}

bool attendance_on_day(const char *tz, const char *starts_local, const char *ends_local, int64_t now)
{
	char local[TZ_LOCAL_LEN];
	int32_t off;

	if (tz_utc_to_local(tz, now, local, &off) != TZ_OK)
		return false;
	return strncmp(local, starts_local, 10) >= 0 && strncmp(local, ends_local, 10) <= 0;
}

/* Whether now falls on the local day(s) of session s. */
static bool att_on_session_day(const struct store_att_session *s, int64_t now)
{
	return attendance_on_day(s->tz, s->starts_local, s->ends_local, now);
}

/* Registration r as the door shows it: {id, status, name, name_ar} (names read here); NULL when the
 * store fails (rc set). */
static struct json_object *att_who(struct db *db, const struct store_reg *r, int *rc)
{
	struct json_object *o;
	char *name = NULL, *name_ar = NULL;

	*rc = store_checkin_names(db, r->id, &name, &name_ar);
	if (*rc) {
		free(name);
		free(name_ar);
		return NULL;
	}
	o = json_object_new_object();
	jsonx_add_int(o, "id", r->id);
	jsonx_add_str(o, "status", r->status);
	jsonx_add_str(o, "name", name);
	jsonx_add_str(o, "name_ar", name_ar);
	free(name);
	free(name_ar);
	return o;
}

int attendance_check_in(struct db *db, const struct principal *p, int64_t session_id,
			const struct att_input *in, int64_t now, struct json_object **out,
			struct json_object **who, bool *created, int64_t *seq, struct dom_err *err)
{
	struct store_att_session s;
	struct store_att a;
	struct store_reg r;
	struct json_object *row = NULL, *person = NULL;
	char day[11];
	int ret, rc;

	*out = NULL;
	*who = NULL;
	*created = false;
	*seq = 0;
	if ((in->ticket != NULL) == (in->registration_id > 0))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"give exactly one of 'registration_id' and 'ticket'");
	ret = att_session(db, p, session_id, &s, err);
	if (ret)
		return ret;
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "attendance");
	ret = att_registration(db, &s, in, &r, err);
	if (ret && strcmp(err->id, "registration_not_confirmed"))
		goto err;
	person = att_who(db, &r, &rc);
	if (!person) {
		ret = dom_from_store(err, rc, "registration");
		goto err;
	}
	if (!att_on_session_day(&s, now)) {
		snprintf(day, sizeof(day), "%.10s", s.starts_local);
		ret = dom_fail(err, DOM_CONFLICT, "outside_session_day",
			       "this session is on %s, not today: check the session chosen", day);
		goto err;
	}
	if (ret)
		goto err; /* not confirmed: the door sees whose ticket it is */
	att_row(&a, session_id, r.id, "present", in->ticket ? "qr" : "manual", now);
	a.has_recorded_by = p->account_id > 0;
	a.recorded_by = p->account_id;
	ret = att_commit(db, now, &s, &a, false, &row, created, seq, err);
	if (ret) {
		json_object_put(person);
		return ret;
	}
	*out = json_object_new_object();
	jsonx_add_str(*out, "result", *seq ? "checked_in" : "already_present");
	json_object_object_add(*out, "attendance", row);
	json_object_object_add(*out, "registration", person);
	return DOM_OK;
err:
	*who = person;
	return txn_finish(db, ret, "attendance", seq, err);
}

int attendance_self_present(struct db *db, const char *token, int64_t session_id, int64_t now,
			    struct json_object **out, bool *created, int64_t *seq, struct dom_err *err)
{
	struct store_att_session s;
	struct store_att a;
	struct att_input in = {.ticket = token};
	char day[11];
	struct store_reg r;
	int ret, rc;

	*out = NULL;
	*created = false;
	*seq = 0;
	if (!token || !token[0])
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no registration for this link");
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "attendance");
	rc = store_att_session_get(db, session_id, &s);
	if (rc == STORE_NOT_FOUND) {
		ret = dom_fail(err, DOM_NOT_FOUND, NULL, "no such session for this registration");
		goto err;
	}
	if (rc) {
		ret = dom_from_store(err, rc, "session");
		goto err;
	}
	ret = att_registration(db, &s, &in, &r, err);
	if (ret) {
		/* the link is the only credential: an unknown one and another event's look alike */
		if (!strcmp(err->id, "ticket_not_found") || !strcmp(err->id, "ticket_other_event"))
			ret = dom_fail(err, DOM_NOT_FOUND, NULL, "no such session for this registration");
		goto err;
	}
	if (!att_on_session_day(&s, now)) {
		snprintf(day, sizeof(day), "%.10s", s.starts_local);
		ret = dom_fail(err, DOM_CONFLICT, "outside_session_day",
			       "you can mark yourself present only on the day of the session (%s)", day);
		goto err;
	}
	att_row(&a, session_id, r.id, "present", "self", now);
	return att_commit(db, now, &s, &a, true, out, created, seq, err);
err:
	return txn_finish(db, ret, "attendance", seq, err);
}

int attendance_list(struct db *db, const struct principal *p, int64_t session_id, struct json_object **items,
		    int64_t *total, struct dom_err *err)
{
	struct store_att_session s;
	struct store_att_row *rows = NULL;
	size_t n = 0;
	int ret, rc;

	*items = NULL;
	*total = 0;
	ret = att_session(db, p, session_id, &s, err);
	if (ret)
		return ret;
	rc = store_att_list(db, session_id, &rows, &n);
	if (rc)
		return dom_from_store(err, rc, "attendance");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct store_att_row *r = &rows[i];
		struct json_object *o = json_object_new_object();

		jsonx_add_int(o, "session_id", r->session_id);
		jsonx_add_int(o, "registration_id", r->registration_id);
		jsonx_add_str(o, "status", r->status);
		jsonx_add_str(o, "method", r->method);
		if (r->recorded_by > 0)
			jsonx_add_int(o, "recorded_by", r->recorded_by);
		else
			jsonx_add_str(o, "recorded_by", NULL);
		jsonx_add_int(o, "recorded_at", r->recorded_at);
		jsonx_add_str(o, "registration_status", r->registration_status);
		jsonx_add_str(o, "name", r->name);
		jsonx_add_str(o, "name_ar", r->name_ar);
		json_object_array_add(*items, o);
	}
	store_att_rows_free(rows, n);
	*total = (int64_t)n;
	return DOM_OK;
}
