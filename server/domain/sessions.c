/*
 * sessions: session rules — wall time + zone to UTC with gaps and folds explained, double-booking
 * checks inside the write transaction, sequence bumps, change-log and outbox rows, and the refresh
 * after a tz database upgrade; it must not parse HTTP, build SQL or call the transport.
 */
#include "domain/sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/event_access.h"
#include "domain/people.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_events.h"
#include "util/jsonx.h"
#include "util/log.h"

#define SESSIONS_DAY 86400

bool sessions_overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* "YYYY-MM-DDTHH:MM" -> "YYYY-MM-DDTHH:MM:00"; longer forms copied as they are. */
static void sessions_normalise(const char *local, char out[TZ_LOCAL_LEN])
{
	if (strlen(local) == 16)
		snprintf(out, TZ_LOCAL_LEN, "%s:00", local);
	else
		snprintf(out, TZ_LOCAL_LEN, "%s", local);
}

/* The offsets in force a day before and a day after wall time local in zone (the two sides of a
 * change near it). Returns 0, or -1 when they cannot be computed. */
static int sessions_offsets_around(const char *local, const char *zone, int32_t *before, int32_t *after)
{
	char buf[TZ_LOCAL_LEN];
	int64_t naive;
	int32_t zero;

	if (tz_local_to_utc("UTC", local, TZ_NO_OFFSET, &naive, &zero) != TZ_OK)
		return -1;
	if (tz_utc_to_local(zone, naive - SESSIONS_DAY, buf, before) != TZ_OK)
		return -1;
	if (tz_utc_to_local(zone, naive + SESSIONS_DAY, buf, after) != TZ_OK)
		return -1;
	return 0;
}

int sessions_tz_error(struct dom_err *err, enum tz_rc rc, const char *field, const char *local,
		      const char *zone)
{
	char ob[TZ_OFFSET_LEN], oa[TZ_OFFSET_LEN], offset_field[48];
	int32_t before = 0, after = 0;
	size_t n = strlen(field);
	bool known;

	if (n > 6 && !strcmp(field + n - 6, "_local"))
		n -= 6;
	snprintf(offset_field, sizeof(offset_field), "%.*s_offset", (int)n, field);
	known = !sessions_offsets_around(local, zone, &before, &after) && before != after;
	tz_format_offset(before, ob);
	tz_format_offset(after, oa);
	switch (rc) {
	case TZ_OK:
		err->code = DOM_OK;
		return DOM_OK;
	case TZ_GAP:
		if (known)
			return dom_fail(
			    err, DOM_UNPROCESSABLE, "nonexistent_local_time",
			    "%s %s does not exist in %s: the clocks jump from UTC%s to UTC%s over it; "
			    "choose another time",
			    field, local, zone, ob, oa);
		return dom_fail(err, DOM_UNPROCESSABLE, "nonexistent_local_time",
				"%s %s does not exist in %s (the clocks jump over it); choose another time",
				field, local, zone);
	case TZ_AMBIGUOUS:
		if (known)
			return dom_fail(
			    err, DOM_UNPROCESSABLE, "ambiguous_local_time",
			    "%s %s occurs twice in %s (at UTC%s and at UTC%s); send %s \"%s\" or \"%s\" "
			    "to say which",
			    field, local, zone, ob, oa, offset_field, ob, oa);
		return dom_fail(err, DOM_UNPROCESSABLE, "ambiguous_local_time",
				"%s %s occurs twice in %s; send %s to say which", field, local, zone,
				offset_field);
	case TZ_BAD_OFFSET:
		return dom_fail(err, DOM_UNPROCESSABLE, "offset_mismatch", "%s does not match %s %s in %s",
				offset_field, field, local, zone);
	case TZ_BAD_ZONE:
		return dom_fail(
		    err, DOM_INVALID, "invalid_field",
		    "field 'tz' must name a time zone of the tz database such as \"Africa/Casablanca\"");
	default:
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field '%s' must be a real local date and time, YYYY-MM-DDTHH:MM[:SS]",
				field);
	}
}

int sessions_resolve(const char *field, const char *local, const char *zone, int32_t hint,
		     char out_local[TZ_LOCAL_LEN], int64_t *utc, int32_t *offset, struct dom_err *err)
{
	enum tz_rc rc = tz_local_to_utc(zone, local, hint, utc, offset);

	if (rc != TZ_OK)
		return sessions_tz_error(err, rc, field, local, zone);
	sessions_normalise(local, out_local);
	return 0;
}

int sessions_check_conflicts(struct db *db, const struct session_row *s, struct dom_err *err)
{
	static const struct {
		enum session_resource what;
		const char *code;
		const char *noun;
	} kinds[] = {
	    {SESSION_ROOM, "room_conflict", "room"},
	    {SESSION_FACILITATOR, "facilitator_conflict", "facilitator"},
	};
	struct session_clash c;
	int64_t who;
	int rc;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		who = kinds[i].what == SESSION_ROOM ? s->room_id : s->facilitator_id;
		if (who <= 0)
			continue;
		rc = store_session_find_overlap(db, kinds[i].what, who, s->start_utc, s->end_utc, s->id, &c);
		if (rc < 0)
			return dom_from_store(err, rc, "session");
		if (rc == 1)
			return dom_fail(
			    err, DOM_CONFLICT, kinds[i].code,
			    "the %s is already booked then by session %lld of \"%.80s\" (event %lld), "
			    "%s to %s %s",
			    kinds[i].noun, (long long)c.session_id, c.event_title, (long long)c.event_id,
			    c.starts_local, c.ends_local, c.tz);
	}
	return 0;
}

static void sessions_add_instant(struct json_object *o, const char *at_key, const char *utc_key,
				 const char *zone, int64_t utc)
{
	char at[32], u[TZ_LOCAL_LEN + 1];

	if (tz_format_instant(zone, utc, at) != TZ_OK)
		at[0] = '\0';
	if (tz_utc_to_local("UTC", utc, u, NULL) == TZ_OK) {
		size_t n = strlen(u);

		u[n] = 'Z';
		u[n + 1] = '\0';
	}
	jsonx_add_str(o, at_key, at[0] ? at : NULL);
	jsonx_add_str(o, utc_key, u);
}

struct json_object *sessions_render(const struct session_row *s)
{
	struct json_object *o = json_object_new_object();
	struct json_object *w = json_object_new_array();
	char so[TZ_OFFSET_LEN], eo[TZ_OFFSET_LEN], msg[256];

	tz_format_offset(s->start_offset, so);
	tz_format_offset(s->end_offset, eo);
	jsonx_add_int(o, "id", s->id);
	jsonx_add_int(o, "event_id", s->event_id);
	jsonx_add_str(o, "title", s->has_title ? s->title : NULL);
	jsonx_add_str(o, "starts_local", s->starts_local);
	jsonx_add_str(o, "ends_local", s->ends_local);
	jsonx_add_str(o, "tz", s->tz);
	sessions_add_instant(o, "starts_at", "starts_utc", s->tz, s->start_utc);
	sessions_add_instant(o, "ends_at", "ends_utc", s->tz, s->end_utc);
	jsonx_add_str(o, "starts_offset", so);
	jsonx_add_str(o, "ends_offset", eo);
	if (s->room_id > 0)
		jsonx_add_int(o, "room_id", s->room_id);
	else
		jsonx_add_str(o, "room_id", NULL);
	if (s->facilitator_id > 0)
		jsonx_add_int(o, "facilitator_id", s->facilitator_id);
	else
		jsonx_add_str(o, "facilitator_id", NULL);
	jsonx_add_int(o, "sequence", s->sequence);
	if (s->start_offset != s->end_offset || tz_crosses_change(s->tz, s->start_utc, s->end_utc)) {
		snprintf(
		    msg, sizeof(msg),
		    "session %lld crosses a change of UTC offset in %s (starts at UTC%s, ends at UTC%s): "
		    "check its times",
		    (long long)s->id, s->tz, so, eo);
		json_object_array_add(w, json_object_new_string(msg));
	}
	json_object_object_add(o, "warnings", w);
	return o;
}

/* sessions_render plus the warning about the event's sessions spanning different offsets. */
static struct json_object *sessions_render_with_event(struct db *db, const struct session_row *s)
{
	struct json_object *o = sessions_render(s);
	struct json_object *w = NULL;

	if (json_object_object_get_ex(o, "warnings", &w))
		event_access_span_warning(db, s->event_id, w);
	return o;
}

/* Loads the event of a session write and checks that p may manage it: 404 when p may not see it,
 * worded as for a missing `what` ("event" for a new session, "session" for an existing one, so that
 * both answer alike), 403 when p sees but may not change it. e is cleared by the caller. */
static int sessions_event_for_write(struct db *db, const struct principal *p, int64_t event_id,
				    const char *what, struct event_row *e, struct dom_err *err)
{
	int rc = store_event_load(db, event_id, e);

	if (rc)
		return dom_from_store(err, rc, "event");
	rc = event_access_visible(db, p, e->id, e->org_id, e->visibility);
	if (rc < 0)
		return dom_from_store(err, rc, "event");
	if (!rc)
		return dom_from_store(err, STORE_NOT_FOUND, what);
	if (!principal_manages_org(p, e->org_id))
		return dom_fail(
		    err, DOM_FORBIDDEN, NULL,
		    "only an admin or an organiser of the owning organisation may change its sessions");
	return 0;
}

int sessions_event_writable(struct db *db, const struct principal *p, int64_t event_id, struct dom_err *err)
{
	struct event_row e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = sessions_event_for_write(db, p, event_id, "event", &e, err);
	event_row_clear(&e);
	return rc;
}

int sessions_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	struct session_row s;
	struct event_row e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = store_session_load(db, id, &s);
	if (rc)
		return dom_from_store(err, rc, "session");
	rc = sessions_event_for_write(db, p, s.event_id, "session", &e, err);
	event_row_clear(&e);
	return rc;
}

/* Checks that the room of s exists and, when it is newly named (not old_facilitator), that its
 * facilitator is a person p may see and not erased: one p may not see is refused exactly as one that
 * does not exist. */
static int sessions_check_refs(struct db *db, const struct principal *p, const struct session_row *s,
			       int64_t old_facilitator, struct dom_err *err)
{
	char tz[SESSION_ZONE_LEN];
	int64_t org_id, erased_at;
	int rc;

	if (s->room_id > 0) {
		rc = store_room_tz(db, s->room_id, tz);
		if (rc == STORE_NOT_FOUND)
			return dom_fail(err, DOM_UNPROCESSABLE, "unknown_room", "room %lld does not exist",
					(long long)s->room_id);
		if (rc)
			return dom_from_store(err, rc, "room");
	}
	if (s->facilitator_id > 0 && s->facilitator_id != old_facilitator) {
		rc = people_seen_by(db, p, s->facilitator_id, &org_id, &erased_at);
		if (rc && rc != STORE_NOT_FOUND)
			return dom_from_store(err, rc, "person");
		if (rc || erased_at)
			return dom_fail(err, DOM_UNPROCESSABLE, "unknown_facilitator",
					"facilitator %lld is not a known person",
					(long long)s->facilitator_id);
	}
	return 0;
}

/* Resolves both wall times of s (already holding the zone) with the given hints, checks end > start. */
static int sessions_resolve_both(struct session_row *s, const char *starts, int32_t shint, const char *ends,
				 int32_t ehint, struct dom_err *err)
{
	int rc;

	rc = sessions_resolve("starts_local", starts, s->tz, shint, s->starts_local, &s->start_utc,
			      &s->start_offset, err);
	if (rc)
		return rc;
	rc = sessions_resolve("ends_local", ends, s->tz, ehint, s->ends_local, &s->end_utc, &s->end_offset,
			      err);
	if (rc)
		return rc;
	if (s->end_utc <= s->start_utc)
		return dom_fail(err, DOM_UNPROCESSABLE, "end_before_start",
				"the session must end after it starts (%s %s to %s)", s->tz, s->starts_local,
				s->ends_local);
	return 0;
}

/* Writes the change-log row of a session change. */
static int sessions_log(struct db *db, int64_t now, const struct event_row *e, const struct session_row *s,
			const char *kind, int64_t *seq, struct dom_err *err)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "event:%lld", (long long)e->id);
	jsonx_add_int(payload, "event_id", e->id);
	jsonx_add_int(payload, "session_id", s->id);
	jsonx_add_int(payload, "sequence", s->sequence);
	rc = db_changelog(db, topic, kind, e->org_id, payload, now, seq);
	json_object_put(payload);
	return rc ? dom_from_store(err, rc, "change log") : 0;
}

/* The tail every session write shares, inside its transaction: the change-log row, the commit, the
 * answer (out may be NULL), and the event row cleared; on failure the transaction is rolled back. */
static int sessions_commit(struct db *db, int64_t now, struct event_row *e, const struct session_row *s,
			   const char *kind, int64_t *seq, struct json_object **out, struct dom_err *err)
{
	int rc = sessions_log(db, now, e, s, kind, seq, err);

	if (!rc) {
		rc = db_commit(db);
		if (rc)
			rc = dom_from_store(err, rc, "session");
	}
	if (rc) {
		db_rollback(db);
	} else if (out) {
		*out = sessions_render_with_event(db, s);
	}
	event_row_clear(e);
	return rc;
}

static void sessions_copy(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s ? s : "");
}

int sessions_create(struct db *db, const struct principal *p, int64_t event_id,
		    const struct session_input *in, int64_t now, struct json_object **out, int64_t *seq,
		    struct dom_err *err)
{
	struct event_row e;
	struct session_row s;
	int rc;

	memset(&e, 0, sizeof(e));
	memset(&s, 0, sizeof(s));
	if (out)
		*out = NULL;
	if (!in->starts_local || !in->ends_local)
		return dom_fail(err, DOM_INVALID, "missing_field",
				"fields 'starts_local' and 'ends_local' are required");
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "session");
	rc = sessions_event_for_write(db, p, event_id, "event", &e, err);
	if (rc)
		goto err;
	if (!strcmp(e.status, "cancelled")) {
		rc = dom_fail(err, DOM_CONFLICT, "event_cancelled",
			      "event %lld is cancelled: it takes no new sessions", (long long)e.id);
		goto err;
	}
	s.event_id = e.id;
	s.room_id = in->has_room ? in->room_id : 0;
	s.facilitator_id = in->has_facilitator ? in->facilitator_id : 0;
	s.has_title = in->has_title && in->title;
	if (s.has_title)
		sessions_copy(s.title, sizeof(s.title), in->title);
	rc = sessions_check_refs(db, p, &s, 0, err);
	if (rc)
		goto err;
	if (in->tz) {
		sessions_copy(s.tz, sizeof(s.tz), in->tz);
	} else if (s.room_id > 0) {
		rc = store_room_tz(db, s.room_id, s.tz);
	} else if (e.venue_id > 0) {
		rc = store_venue_tz(db, e.venue_id, s.tz);
	}
	if (rc) {
		rc = dom_from_store(err, rc, "venue");
		goto err;
	}
	if (!s.tz[0])
		sessions_copy(s.tz, sizeof(s.tz), TZ_DEFAULT_ZONE);
	rc = sessions_resolve_both(&s, in->starts_local,
				   in->has_starts_offset ? in->starts_offset : TZ_NO_OFFSET, in->ends_local,
				   in->has_ends_offset ? in->ends_offset : TZ_NO_OFFSET, err);
	if (rc)
		goto err;
	rc = sessions_check_conflicts(db, &s, err);
	if (rc)
		goto err;
	s.created_at = now;
	s.updated_at = now;
	rc = store_session_insert(db, &s);
	rc = rc ? rc : store_event_bump(db, e.id, now);
	rc = rc ? rc : event_access_notify_registrants(db, now, e.id, s.id, "event.changed");
	if (rc) {
		rc = dom_from_store(err, rc, "session");
		goto err;
	}
	return sessions_commit(db, now, &e, &s, "session.created", seq, out, err);
err:
	db_rollback(db);
	event_row_clear(&e);
	return rc;
}

int sessions_update(struct db *db, const struct principal *p, int64_t id, const struct session_input *in,
		    int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	char starts[TZ_LOCAL_LEN], ends[TZ_LOCAL_LEN];
	struct session_row old, s;
	struct event_row e;
	int32_t shint, ehint;
	bool tz_changed, moved, placed, retitled;
	int rc;

	memset(&e, 0, sizeof(e));
	if (out)
		*out = NULL;
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "session");
	rc = store_session_load(db, id, &old);
	if (rc) {
		rc = dom_from_store(err, rc, "session");
		goto err;
	}
	rc = sessions_event_for_write(db, p, old.event_id, "session", &e, err);
	if (rc)
		goto err;
	if (!strcmp(e.status, "cancelled")) {
		rc = dom_fail(err, DOM_CONFLICT, "event_cancelled",
			      "event %lld is cancelled: its sessions cannot change", (long long)e.id);
		goto err;
	}
	s = old;
	if (in->has_room)
		s.room_id = in->room_id;
	if (in->has_facilitator)
		s.facilitator_id = in->facilitator_id;
	if (in->has_title) {
		s.has_title = in->title != NULL;
		sessions_copy(s.title, sizeof(s.title), in->title);
	}
	rc = sessions_check_refs(db, p, &s, old.facilitator_id, err);
	if (rc)
		goto err;
	if (in->tz)
		sessions_copy(s.tz, sizeof(s.tz), in->tz);
	tz_changed = strcmp(s.tz, old.tz) != 0;
	sessions_normalise(in->starts_local ? in->starts_local : old.starts_local, starts);
	sessions_normalise(in->ends_local ? in->ends_local : old.ends_local, ends);
	/* an unchanged wall time in an unchanged zone keeps the occurrence it had */
	shint = in->has_starts_offset				     ? in->starts_offset
		: (!tz_changed && !strcmp(starts, old.starts_local)) ? old.start_offset
								     : TZ_NO_OFFSET;
	ehint = in->has_ends_offset				 ? in->ends_offset
		: (!tz_changed && !strcmp(ends, old.ends_local)) ? old.end_offset
								 : TZ_NO_OFFSET;
	rc = sessions_resolve_both(&s, starts, shint, ends, ehint, err);
	if (rc)
		goto err;
	rc = sessions_check_conflicts(db, &s, err);
	if (rc)
		goto err;
	moved = tz_changed || s.start_utc != old.start_utc || s.end_utc != old.end_utc ||
		strcmp(s.starts_local, old.starts_local) || strcmp(s.ends_local, old.ends_local);
	placed = s.room_id != old.room_id;
	retitled = s.has_title != old.has_title || strcmp(s.title, old.title);
	s.updated_at = now;
	if (moved || placed || retitled)
		s.sequence++;
	rc = store_session_update(db, &s);
	if (!rc && (moved || placed || retitled))
		rc = store_event_bump(db, e.id, now);
	if (!rc && (moved || placed))
		rc = event_access_notify_registrants(db, now, e.id, s.id, "event.changed");
	if (rc) {
		rc = dom_from_store(err, rc, "session");
		goto err;
	}
	return sessions_commit(db, now, &e, &s, "session.updated", seq, out, err);
err:
	db_rollback(db);
	event_row_clear(&e);
	return rc;
}

int sessions_delete(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
		    struct dom_err *err)
{
	struct session_row s;
	struct event_row e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "session");
	rc = store_session_load(db, id, &s);
	if (rc) {
		rc = dom_from_store(err, rc, "session");
		goto err;
	}
	rc = sessions_event_for_write(db, p, s.event_id, "session", &e, err);
	if (rc)
		goto err;
	rc = store_session_delete(db, s.id);
	rc = rc ? rc : store_event_bump(db, e.id, now);
	if (!rc && strcmp(e.status, "cancelled"))
		rc = event_access_notify_registrants(db, now, e.id, s.id, "event.changed");
	if (rc) {
		rc = dom_from_store(err, rc, "session");
		goto err;
	}
	return sessions_commit(db, now, &e, &s, "session.deleted", seq, NULL, err);
err:
	db_rollback(db);
	event_row_clear(&e);
	return rc;
}

int sessions_get(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
		 struct dom_err *err)
{
	struct session_row s;
	struct event_row e;
	int rc;

	*out = NULL;
	memset(&e, 0, sizeof(e));
	rc = store_session_load(db, id, &s);
	rc = rc ? rc : store_event_load(db, s.event_id, &e);
	if (rc)
		goto out;
	rc = event_access_visible(db, p, e.id, e.org_id, e.visibility);
	if (rc == 0)
		rc = STORE_NOT_FOUND;
	else if (rc == 1)
		rc = 0;
out:
	event_row_clear(&e);
	if (rc)
		return dom_from_store(err, rc, "session");
	*out = sessions_render(&s);
	return 0;
}

/* Re-resolves one wall time after a tz database change: the stored offset first (keeps the
 * occurrence of a repeated time), then none, then an hour either side. TZ_OK or the first error. */
static enum tz_rc sessions_reresolve(const char *zone, const char *local, int32_t old_offset, int64_t *utc,
				     int32_t *offset)
{
	const int32_t hints[] = {old_offset, TZ_NO_OFFSET, old_offset + 3600, old_offset - 3600};
	enum tz_rc first = TZ_OK, rc;

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		rc = tz_local_to_utc(zone, local, hints[i], utc, offset);
		if (rc == TZ_OK)
			return TZ_OK;
		if (first == TZ_OK)
			first = rc;
		if (rc == TZ_GAP || rc == TZ_BAD_ZONE || rc == TZ_BAD_TIME)
			return rc;
	}
	return first;
}

int sessions_tz_refresh(struct db *db, int64_t now, struct dom_err *err)
{
	struct session_row *rows = NULL, *s;
	struct event_row e;
	int64_t su, eu;
	int32_t so, eo;
	size_t n = 0;
	int moved = 0, rc;

	memset(&e, 0, sizeof(e));
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "sessions");
	rc = store_sessions_of_event(db, 0, &rows, &n);
	if (rc) {
		rc = dom_from_store(err, rc, "sessions");
		goto err;
	}
	for (size_t i = 0; i < n; i++) {
		s = &rows[i];
		if (sessions_reresolve(s->tz, s->starts_local, s->start_offset, &su, &so) != TZ_OK ||
		    sessions_reresolve(s->tz, s->ends_local, s->end_offset, &eu, &eo) != TZ_OK || eu <= su) {
			log_warn("session %lld: its wall time no longer resolves in %s; instant kept",
				 (long long)s->id, s->tz);
			continue;
		}
		if (su == s->start_utc && eu == s->end_utc)
			continue;
		s->start_utc = su;
		s->end_utc = eu;
		s->start_offset = so;
		s->end_offset = eo;
		s->sequence++;
		s->updated_at = now;
		event_row_clear(&e);
		rc = store_session_update(db, s);
		rc = rc ? rc : store_event_load(db, s->event_id, &e);
		rc = rc ? rc : store_event_bump(db, e.id, s->updated_at);
		rc = rc ? rc : event_access_notify_registrants(db, now, e.id, s->id, "session.time_changed");
		if (rc) {
			rc = dom_from_store(err, rc, "session");
			goto err;
		}
		rc = sessions_log(db, now, &e, s, "session.time_changed", NULL, err);
		if (rc)
			goto err;
		moved++;
	}
	rc = db_commit(db);
	if (rc) {
		rc = dom_from_store(err, rc, "sessions");
		goto err;
	}
	if (moved)
		log_notice("tz refresh: %d session(s) moved", moved);
	event_row_clear(&e);
	free(rows);
	return moved;
err:
	db_rollback(db);
	event_row_clear(&e);
	free(rows);
	return rc;
}
