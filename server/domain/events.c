/*
 * events: event rules — creation and changes by the owning organisation, visibility, cancellation with
 * its registrations, SEQUENCE bumps, notifications and aggregate counts; it must not parse HTTP, build
 * SQL or call the transport.
 */
#include "domain/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "domain/event_access.h"
#include "domain/registrations.h"
#include "domain/sessions.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_counts.h"
#include "store/store_sessions.h"
#include "util/jsonx.h"

static const char *const events_langs[EVENT_LANGS] = {"fr", "ar", "en"};

const char *const events_types[] = {"training", "workshop", "concertation", NULL};

bool events_type_valid(const char *type)
{
	if (!type)
		return false;
	for (size_t i = 0; events_types[i]; i++) {
		if (!strcmp(type, events_types[i]))
			return true;
	}
	return false;
}

int events_visible_id(struct db *db, const struct principal *p, int64_t event_id)
{
	struct event_row e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = store_event_load(db, event_id, &e);
	if (rc == STORE_NOT_FOUND)
		rc = 0;
	else if (!rc)
		rc = event_access_visible(db, p, e.id, e.org_id, e.visibility);
	event_row_clear(&e);
	return rc;
}

/* The zone an event's own instants (registration window) are shown in. */
static void events_zone(struct db *db, const struct event_row *e, char tz[EVENT_ZONE_LEN])
{
	if (e->venue_id <= 0 || store_venue_tz(db, e->venue_id, tz) || !tz_zone_valid(tz))
		snprintf(tz, EVENT_ZONE_LEN, "%s", TZ_DEFAULT_ZONE);
}

static void events_add_instant(struct json_object *o, const char *key, const char *tz, bool has, int64_t t)
{
	char buf[32];

	if (!has || tz_format_instant(tz, t, buf) != TZ_OK) {
		jsonx_add_str(o, key, NULL);
		return;
	}
	jsonx_add_str(o, key, buf);
}

/* Whether p may see counts by sex for e: admin, any viewer, or principals of owner/partner orgs. */
static bool events_sees_sex(struct db *db, const struct principal *p, const struct event_row *e)
{
	if (p->role == ROLE_ADMIN || p->role == ROLE_VIEWER)
		return true;
	return event_access_member(db, p, e->id, e->org_id) == 1;
}

static struct json_object *events_render_counts(const struct store_reg_counts *c, int64_t capacity, bool sex)
{
	static const char *const statuses[STORE_CNT_N] = {"confirmed", "waitlisted", "pending"};
	static const char *const sexes[STORE_SEX_N] = {"female", "male", "unspecified"};
	struct json_object *o = json_object_new_object();
	struct json_object *by, *one;

	for (int i = 0; i < STORE_CNT_N; i++)
		jsonx_add_int(o, statuses[i], c->n[i]);
	jsonx_add_int(o, "capacity", capacity);
	jsonx_add_int(o, "available",
		      capacity > c->n[STORE_CNT_CONFIRMED] ? capacity - c->n[STORE_CNT_CONFIRMED] : 0);
	if (sex) {
		by = json_object_new_object();
		for (int i = 0; i < STORE_CNT_N; i++) {
			one = json_object_new_object();
			for (int k = 0; k < STORE_SEX_N; k++)
				jsonx_add_int(one, sexes[k], c->by_sex[i][k]);
			json_object_object_add(by, statuses[i], one);
		}
		json_object_object_add(o, "by_sex", by);
	}
	return o;
}

/* The event as JSON with partners, sessions and warnings; with counts when p is given. *out new ref. */
static int events_render(struct db *db, const struct event_row *e, const struct principal *p,
			 struct json_object **out)
{
	struct session_row *sessions = NULL;
	struct json_object *o, *arr, *w;
	struct store_reg_counts counts;
	int64_t *partners = NULL;
	size_t np = 0, ns = 0;
	char key[24], tz[EVENT_ZONE_LEN];
	int rc;

	*out = NULL;
	rc = store_event_partners(db, e->id, &partners, &np);
	rc = rc ? rc : store_sessions_of_event(db, e->id, &sessions, &ns);
	if (!rc && p)
		rc = store_counts_event(db, e->id, &counts);
	if (rc)
		goto out;
	events_zone(db, e, tz);
	o = json_object_new_object();
	jsonx_add_int(o, "id", e->id);
	jsonx_add_str(o, "type", e->type);
	for (int i = 0; i < EVENT_LANGS; i++) {
		snprintf(key, sizeof(key), "title_%s", events_langs[i]);
		jsonx_add_str(o, key, e->title[i]);
	}
	for (int i = 0; i < EVENT_LANGS; i++) {
		snprintf(key, sizeof(key), "description_%s", events_langs[i]);
		jsonx_add_str(o, key, e->description[i]);
	}
	jsonx_add_int(o, "org_id", e->org_id);
	arr = json_object_new_array();
	for (size_t i = 0; i < np; i++)
		json_object_array_add(arr, json_object_new_int64(partners[i]));
	json_object_object_add(o, "partner_org_ids", arr);
	if (e->venue_id > 0)
		jsonx_add_int(o, "venue_id", e->venue_id);
	else
		jsonx_add_str(o, "venue_id", NULL);
	jsonx_add_str(o, "tz", tz);
	jsonx_add_str(o, "visibility", e->visibility);
	jsonx_add_int(o, "capacity", e->capacity);
	events_add_instant(o, "registration_opens_at", tz, e->has_opens, e->opens_at);
	events_add_instant(o, "registration_closes_at", tz, e->has_closes, e->closes_at);
	jsonx_add_bool(o, "needs_approval", e->needs_approval);
	jsonx_add_str(o, "status", e->status);
	jsonx_add_int(o, "sequence", e->sequence);
	jsonx_add_str(o, "url", e->url);
	events_add_instant(o, "created_at", "UTC", true, e->created_at);
	events_add_instant(o, "updated_at", "UTC", true, e->updated_at);
	arr = json_object_new_array();
	for (size_t i = 0; i < ns; i++)
		json_object_array_add(arr, sessions_render(&sessions[i]));
	json_object_object_add(o, "sessions", arr);
	if (p)
		json_object_object_add(o, "counts",
				       events_render_counts(&counts, e->capacity, events_sees_sex(db, p, e)));
	w = json_object_new_array();
	event_access_offset_warning(sessions, ns, w);
	json_object_object_add(o, "warnings", w);
	*out = o;
out:
	free(partners);
	free(sessions);
	return rc;
}

/* Checks references and rules of a complete row (after applying the input). */
static int events_check_row(struct db *db, const struct event_row *r, const struct event_input *in,
			    struct dom_err *err)
{
	char tz[EVENT_ZONE_LEN];
	int rc;

	if (!r->title[0] && !r->title[1] && !r->title[2])
		return dom_fail(err, DOM_INVALID, "missing_field",
				"an event needs at least one of title_fr, title_ar, title_en");
	if (r->has_opens && r->has_closes && r->closes_at <= r->opens_at)
		return dom_fail(err, DOM_UNPROCESSABLE, "invalid_window",
				"registration_closes_at must be after registration_opens_at");
	rc = store_org_exists(db, r->org_id);
	if (rc < 0)
		return dom_from_store(err, rc, "organisation");
	if (!rc)
		return dom_fail(err, DOM_UNPROCESSABLE, "unknown_organisation",
				"organisation %lld does not exist", (long long)r->org_id);
	if (r->venue_id > 0) {
		rc = store_venue_tz(db, r->venue_id, tz);
		if (rc == STORE_NOT_FOUND)
			return dom_fail(err, DOM_UNPROCESSABLE, "unknown_venue", "venue %lld does not exist",
					(long long)r->venue_id);
		if (rc)
			return dom_from_store(err, rc, "venue");
	}
	for (int i = 0; in->has_partners && i < in->n_partners; i++) {
		rc = store_org_exists(db, in->partners[i]);
		if (rc < 0)
			return dom_from_store(err, rc, "organisation");
		if (!rc)
			return dom_fail(err, DOM_UNPROCESSABLE, "unknown_organisation",
					"partner organisation %lld does not exist",
					(long long)in->partners[i]);
		if (in->partners[i] == r->org_id)
			return dom_fail(err, DOM_UNPROCESSABLE, "invalid_partner",
					"organisation %lld owns the event and cannot also be its partner",
					(long long)r->org_id);
	}
	return 0;
}

/* Copies the members in sets onto r. 0 or STORE_ERROR (out of memory). */
static int events_apply(struct event_row *r, const struct event_input *in)
{
	int rc = 0;

	if (in->type)
		snprintf(r->type, sizeof(r->type), "%s", in->type);
	for (int i = 0; i < EVENT_LANGS && !rc; i++) {
		if (in->has_title[i])
			rc = event_row_set(&r->title[i], in->title[i]);
		if (!rc && in->has_description[i])
			rc = event_row_set(&r->description[i], in->description[i]);
	}
	if (in->has_org)
		r->org_id = in->org_id;
	if (in->has_venue)
		r->venue_id = in->venue_id;
	if (in->visibility)
		snprintf(r->visibility, sizeof(r->visibility), "%s", in->visibility);
	if (in->has_capacity)
		r->capacity = in->capacity;
	if (in->has_opens) {
		r->has_opens = !in->opens_null;
		r->opens_at = in->opens_null ? 0 : in->opens_at;
	}
	if (in->has_closes) {
		r->has_closes = !in->closes_null;
		r->closes_at = in->closes_null ? 0 : in->closes_at;
	}
	if (in->has_needs_approval)
		r->needs_approval = in->needs_approval;
	if (!rc && in->has_url)
		rc = event_row_set(&r->url, in->url);
	if (in->status)
		snprintf(r->status, sizeof(r->status), "%s", in->status);
	return rc;
}

static int events_log(struct db *db, int64_t now, const struct event_row *e, const char *kind,
		      int64_t extra_n, int64_t *seq, struct dom_err *err)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "event:%lld", (long long)e->id);
	jsonx_add_int(payload, "event_id", e->id);
	jsonx_add_int(payload, "sequence", e->sequence);
	jsonx_add_str(payload, "status", e->status);
	if (extra_n >= 0)
		jsonx_add_int(payload, "registrations_cancelled", extra_n);
	rc = db_changelog(db, topic, kind, e->org_id, payload, now, seq);
	json_object_put(payload);
	return rc ? dom_from_store(err, rc, "change log") : 0;
}

int events_create(struct db *db, const struct principal *p, const struct event_input *in, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct event_row r;
	struct event_input def;
	int rc;

	memset(&r, 0, sizeof(r));
	if (out)
		*out = NULL;
	rc = events_writable(db, p, 0, err);
	if (rc)
		return rc;
	if (!in->type)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'type' is required");
	if (!in->has_capacity)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'capacity' is required");
	def = *in;
	if (!def.has_org) {
		if (p->role != ROLE_ORGANISER)
			return dom_fail(err, DOM_INVALID, "missing_field", "field 'org_id' is required");
		def.has_org = true;
		def.org_id = p->org_id;
	}
	if (!principal_manages_org(p, def.org_id))
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"an organiser may only create events of their own organisation");
	snprintf(r.visibility, sizeof(r.visibility), "public");
	snprintf(r.status, sizeof(r.status), "scheduled");
	r.created_at = now;
	r.updated_at = now;
	if (events_apply(&r, &def)) {
		event_row_clear(&r);
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
	}
	rc = db_begin(db);
	if (rc) {
		event_row_clear(&r);
		return dom_from_store(err, rc, "event");
	}
	rc = events_check_row(db, &r, &def, err);
	if (rc)
		goto err;
	rc = store_event_insert(db, &r);
	if (!rc && def.has_partners)
		rc = store_event_partners_set(db, r.id, def.partners, (size_t)def.n_partners);
	if (rc) {
		rc = dom_from_store(err, rc, "event");
		goto err;
	}
	rc = events_log(db, now, &r, "event.created", -1, seq, err);
	if (rc)
		goto err;
	rc = db_commit(db);
	if (rc) {
		rc = dom_from_store(err, rc, "event");
		goto err;
	}
	if (out && events_render(db, &r, p, out))
		*out = NULL;
	event_row_clear(&r);
	return 0;
err:
	db_rollback(db);
	event_row_clear(&r);
	return rc;
}

/* Loads event id for a write by p: 404 when p may not see it, 403 when p may not manage it. */
static int events_load_for_write(struct db *db, const struct principal *p, int64_t id, struct event_row *r,
				 struct dom_err *err)
{
	int rc = store_event_load(db, id, r);

	if (rc)
		return dom_from_store(err, rc, "event");
	rc = event_access_visible(db, p, r->id, r->org_id, r->visibility);
	if (rc < 0)
		return dom_from_store(err, rc, "event");
	if (!rc)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "event not found");
	if (!principal_manages_org(p, r->org_id))
		return dom_fail(
		    err, DOM_FORBIDDEN, NULL,
		    "only an admin or an organiser of the owning organisation may change this event");
	return 0;
}

/* Inside a transaction: cancels every live registration of e with an outbox row per person. Returns
 * the number cancelled or a negative dom_code. */
static int events_cancel_registrations(struct db *db, const struct event_row *e, int64_t now,
				       struct dom_err *err)
{
	int rc = event_access_notify_registrants(db, now, e->id, 0, "event.cancelled");

	rc = rc ? rc : store_event_cancel_registrations(db, e->id, now);
	if (rc < 0)
		return dom_from_store(err, rc, "registrations");
	return rc;
}

/* Inside a transaction: an event coming back from cancelled must not double-book anything. */
static int events_check_sessions_free(struct db *db, int64_t id, struct dom_err *err)
{
	struct session_row *s = NULL;
	size_t n = 0;
	int rc = store_sessions_of_event(db, id, &s, &n);

	if (rc)
		return dom_from_store(err, rc, "sessions");
	for (size_t i = 0; i < n && !rc; i++)
		rc = sessions_check_conflicts(db, &s[i], err);
	free(s);
	return rc;
}

static bool events_str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

int events_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	struct event_row r;
	int rc;

	if (id == 0) {
		if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"only an admin or an organiser may create events");
		return DOM_OK;
	}
	memset(&r, 0, sizeof(r));
	rc = events_load_for_write(db, p, id, &r, err);
	event_row_clear(&r);
	return rc;
}

int events_update(struct db *db, const struct principal *p, int64_t id, const struct event_input *in,
		  int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct store_reg_counts counts;
	struct event_row old, r;
	bool titled = false, changed, cancelling, promoting;
	int rc, cancelled = -1;

	memset(&old, 0, sizeof(old));
	memset(&r, 0, sizeof(r));
	if (out)
		*out = NULL;
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "event");
	rc = events_load_for_write(db, p, id, &old, err);
	rc = rc ? rc : events_load_for_write(db, p, id, &r, err);
	if (rc)
		goto err;
	if (in->has_org && !principal_manages_org(p, in->org_id)) {
		rc = dom_fail(err, DOM_FORBIDDEN, NULL,
			      "an organiser may only give an event to their own organisation");
		goto err;
	}
	if (events_apply(&r, in)) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
		goto err;
	}
	rc = events_check_row(db, &r, in, err);
	if (rc)
		goto err;
	rc = store_counts_event(db, id, &counts);
	if (rc) {
		rc = dom_from_store(err, rc, "event");
		goto err;
	}
	if (r.capacity < counts.n[STORE_CNT_CONFIRMED] && strcmp(r.status, "cancelled")) {
		rc = dom_fail(err, DOM_CONFLICT, "capacity_below_confirmed",
			      "capacity %lld is below the %lld registrations already confirmed",
			      (long long)r.capacity, (long long)counts.n[STORE_CNT_CONFIRMED]);
		goto err;
	}
	for (int i = 0; i < EVENT_LANGS; i++)
		titled = titled || !events_str_eq(old.title[i], r.title[i]);
	cancelling = !strcmp(r.status, "cancelled") && strcmp(old.status, "cancelled");
	changed = titled || old.venue_id != r.venue_id || strcmp(old.status, r.status);
	promoting = r.capacity > old.capacity && strcmp(r.status, "cancelled");
	if (!strcmp(old.status, "cancelled") && strcmp(r.status, "cancelled")) {
		rc = events_check_sessions_free(db, id, err);
		if (rc)
			goto err;
	}
	if (changed)
		r.sequence++;
	r.updated_at = now;
	rc = store_event_update(db, &r);
	if (!rc && in->has_partners)
		rc = store_event_partners_set(db, id, in->partners, (size_t)in->n_partners);
	if (!rc && changed && !cancelling)
		rc = event_access_notify_registrants(db, now, id, 0, "event.changed");
	if (rc) {
		rc = dom_from_store(err, rc, "event");
		goto err;
	}
	if (cancelling) {
		cancelled = events_cancel_registrations(db, &r, now, err);
		if (cancelled < 0) {
			rc = cancelled;
			goto err;
		}
	}
	rc = events_log(db, now, &r, cancelling ? "event.cancelled" : "event.updated", cancelled, seq, err);
	if (rc)
		goto err;
	if (promoting) {
		/* after the change-log row: promotions come later in the log than the capacity change */
		int64_t pseq = 0;

		rc = registrations_promote_seq(db, id, now, &pseq, err);
		if (rc < 0)
			goto err;
		if (seq && pseq > *seq)
			*seq = pseq;
	}
	rc = db_commit(db);
	if (rc) {
		rc = dom_from_store(err, rc, "event");
		goto err;
	}
	if (out && events_render(db, &r, p, out))
		*out = NULL;
	event_row_clear(&old);
	event_row_clear(&r);
	return 0;
err:
	db_rollback(db);
	event_row_clear(&old);
	event_row_clear(&r);
	return rc;
}

int events_cancel(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		  int64_t *seq, struct dom_err *err)
{
	struct event_input in;

	memset(&in, 0, sizeof(in));
	in.status = "cancelled";
	return events_update(db, p, id, &in, now, out, seq, err);
}

int events_get(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
	       struct dom_err *err)
{
	struct event_row r;
	int rc;

	*out = NULL;
	rc = store_event_load(db, id, &r);
	if (!rc) {
		rc = event_access_visible(db, p, r.id, r.org_id, r.visibility);
		rc = rc == 1 ? 0 : rc == 0 ? STORE_NOT_FOUND : rc;
	}
	if (!rc)
		rc = events_render(db, &r, p, out);
	event_row_clear(&r);
	return rc ? dom_from_store(err, rc, "event") : 0;
}

int events_list(struct db *db, const struct principal *p, const struct event_query *q, int64_t limit,
		int64_t offset, struct json_object **items, int64_t *total, struct dom_err *err)
{
	struct event_filter f;
	struct json_object *arr, *one;
	struct event_row r;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	*items = NULL;
	memset(&f, 0, sizeof(f));
	f.city = q->city;
	f.type = q->type;
	f.status = q->status;
	f.from = q->from;
	f.to = q->to;
	f.org = q->org;
	f.see_all = p->role == ROLE_ADMIN;
	f.viewer_org = p->role != ROLE_NONE ? p->org_id : 0;
	rc = store_events_list(db, &f, limit, offset, &ids, &n, total);
	if (rc)
		return dom_from_store(err, rc, "events");
	arr = json_object_new_array();
	for (size_t i = 0; i < n && !rc; i++) {
		rc = store_event_load(db, ids[i], &r);
		if (!rc)
			rc = events_render(db, &r, NULL, &one);
		if (!rc)
			json_object_array_add(arr, one);
		event_row_clear(&r);
	}
	free(ids);
	if (rc) {
		json_object_put(arr);
		return dom_from_store(err, rc, "events");
	}
	*items = arr;
	return 0;
}
