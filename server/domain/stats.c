/*
 * stats: aggregates of registrations and presence for officials, read from the kept counters and rendered
 * with no personal datum; it writes nothing, counts no rows and knows no HTTP.
 */
#include "domain/stats.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store_counts.h"
#include "store/store_events.h"
#include "util/jsonx.h"

static const char *const stats_statuses[STORE_CNT_N] = {"confirmed", "waitlisted", "pending"};

/* Who may read numbers at all: DOM_OK, or the refusal in err. */
static int stats_role(const struct principal *p, struct dom_err *err)
{
	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER && p->role != ROLE_VIEWER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only administrators, organisers and viewers read the numbers");
	return DOM_OK;
}

/* {"total","female","male","unspecified"} from by[STORE_SEX_N]. New reference. */
static struct json_object *stats_by_sex(const int64_t by[STORE_SEX_N])
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "total", by[STORE_SEX_FEMALE] + by[STORE_SEX_MALE] + by[STORE_SEX_UNSPECIFIED]);
	jsonx_add_int(o, "female", by[STORE_SEX_FEMALE]);
	jsonx_add_int(o, "male", by[STORE_SEX_MALE]);
	jsonx_add_int(o, "unspecified", by[STORE_SEX_UNSPECIFIED]);
	return o;
}

/* Adds key: part / whole with three decimals, or null when whole is 0. */
static void stats_add_rate(struct json_object *o, const char *key, int64_t part, int64_t whole)
{
	char s[32];
	double r;

	if (whole <= 0) {
		json_object_object_add(o, key, NULL);
		return;
	}
	r = (double)part / (double)whole;
	snprintf(s, sizeof(s), "%.3f", r);
	json_object_object_add(o, key, json_object_new_double_s(strtod(s, NULL), s));
}

/* Adds "registered" (confirmed, waitlisted and pending together) and each status by sex from n/by_sex. */
static void stats_add_registrations(struct json_object *o, const int64_t by_sex[STORE_CNT_N][STORE_SEX_N])
{
	int64_t all[STORE_SEX_N] = {0};

	for (int i = 0; i < STORE_CNT_N; i++)
		for (int k = 0; k < STORE_SEX_N; k++)
			all[k] += by_sex[i][k];
	json_object_object_add(o, "registered", stats_by_sex(all));
	for (int i = 0; i < STORE_CNT_N; i++)
		json_object_object_add(o, stats_statuses[i], stats_by_sex(by_sex[i]));
}

/* The numbers of event e (its row, for the type, titles, status and capacity) as a new object, with its
 * sessions; NULL and err set on a store error. */
static struct json_object *stats_event_render(struct db *db, const struct event_row *e, int64_t now,
					      struct dom_err *err)
{
	static const char *const langs[EVENT_LANGS] = {"title_fr", "title_ar", "title_en"};
	struct store_session_counts *s = NULL;
	struct store_reg_counts c;
	struct json_object *o, *arr, *one;
	int64_t present[STORE_SEX_N] = {0}, begun = 0, sum = 0, confirmed;
	int n = 0, rc;

	rc = store_counts_event(db, e->id, &c);
	rc = rc ? rc : store_counts_sessions(db, e->id, &s, &n);
	if (rc) {
		dom_from_store(err, rc, "event");
		return NULL;
	}
	confirmed = c.n[STORE_CNT_CONFIRMED];
	o = json_object_new_object();
	jsonx_add_int(o, "event_id", e->id);
	jsonx_add_str(o, "type", e->type);
	for (int i = 0; i < EVENT_LANGS; i++)
		jsonx_add_str(o, langs[i], e->title[i]);
	jsonx_add_str(o, "status", e->status);
	jsonx_add_int(o, "capacity", e->capacity);
	stats_add_registrations(o, c.by_sex);
	arr = json_object_new_array();
	for (int i = 0; i < n; i++) {
		int64_t here = s[i].present[0] + s[i].present[1] + s[i].present[2];

		one = json_object_new_object();
		jsonx_add_int(one, "id", s[i].session_id);
		jsonx_add_int(one, "start_utc", s[i].start_utc);
		json_object_object_add(one, "present", stats_by_sex(s[i].present));
		/* a session not begun has no attendance yet: no rate */
		stats_add_rate(one, "attendance_rate", here, s[i].start_utc <= now ? confirmed : 0);
		json_object_array_add(arr, one);
		for (int k = 0; k < STORE_SEX_N; k++)
			present[k] += s[i].present[k];
		if (s[i].start_utc <= now) {
			begun++;
			sum += here;
		}
	}
	free(s);
	json_object_object_add(o, "present", stats_by_sex(present));
	jsonx_add_int(o, "sessions_begun", begun);
	stats_add_rate(o, "attendance_rate", sum, begun * confirmed);
	json_object_object_add(o, "sessions", arr);
	return o;
}

int stats_event(struct db *db, const struct principal *p, int64_t event_id, int64_t now,
		struct json_object **out, struct dom_err *err)
{
	struct event_row e;
	int rc;

	*out = NULL;
	if (p->role == ROLE_NONE)
		return stats_role(p, err);
	/* what p may not see does not exist for p, whatever its role */
	rc = events_visible_id(db, p, event_id);
	if (rc <= 0)
		return dom_from_store(err, rc ? rc : STORE_NOT_FOUND, "event");
	rc = stats_role(p, err);
	if (rc)
		return rc;
	memset(&e, 0, sizeof(e));
	rc = store_event_load(db, event_id, &e);
	if (rc)
		return dom_from_store(err, rc, "event");
	*out = stats_event_render(db, &e, now, err);
	event_row_clear(&e);
	return *out ? DOM_OK : err->code;
}

int stats_programme(struct db *db, const struct principal *p, const struct event_query *q, int64_t now,
		    int64_t limit, int64_t offset, struct json_object **out, struct dom_err *err)
{
	struct store_programme_counts t;
	struct event_filter f;
	struct json_object *o, *items, *one;
	struct event_row e;
	int64_t *ids = NULL, total = 0;
	int64_t present;
	size_t n = 0;
	int rc;

	*out = NULL;
	rc = stats_role(p, err);
	if (rc)
		return rc;
	memset(&f, 0, sizeof(f));
	f.city = q->city;
	f.type = q->type;
	f.status = q->status;
	f.from = q->from;
	f.to = q->to;
	f.org = q->org;
	f.see_all = p->role == ROLE_ADMIN;
	f.viewer_org = p->org_id;
	rc = store_events_counts(db, &f, now, &t);
	rc = rc ? rc : store_events_list(db, &f, limit, offset, &ids, &n, &total);
	if (rc)
		return dom_from_store(err, rc, "events");
	o = json_object_new_object();
	jsonx_add_int(o, "events", t.events);
	jsonx_add_int(o, "sessions", t.sessions);
	jsonx_add_int(o, "capacity", t.capacity);
	stats_add_registrations(o, t.by_sex);
	json_object_object_add(o, "present", stats_by_sex(t.present));
	present = t.present[0] + t.present[1] + t.present[2];
	jsonx_add_int(o, "sessions_begun", t.started_sessions);
	stats_add_rate(o, "attendance_rate", present, t.expected);
	items = json_object_new_array();
	json_object_object_add(o, "items", items);
	for (size_t i = 0; i < n && !rc; i++) {
		memset(&e, 0, sizeof(e));
		rc = store_event_load(db, ids[i], &e);
		one = rc ? NULL : stats_event_render(db, &e, now, err);
		event_row_clear(&e);
		if (rc)
			dom_from_store(err, rc, "event");
		if (!one) {
			rc = -1;
			break;
		}
		json_object_array_add(items, one);
	}
	free(ids);
	if (rc) {
		json_object_put(o);
		return err->code;
	}
	jsonx_add_int(o, "total", total);
	jsonx_add_int(o, "limit", limit);
	jsonx_add_int(o, "offset", offset);
	*out = o;
	return DOM_OK;
}
