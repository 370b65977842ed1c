/*
 * events: HTTP handlers for /api/v1/events — parse and validate the body or query, authenticate, one
 * domain call, render; no SQL and no rules of its own (those live in domain/events.c).
 */
#include <stdio.h>
#include <string.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "calendar/tz.h"
#include "domain/events.h"
#include "domain/stats.h"
#include "util/text.h"

#define EVENTS_INSTANT_MAX  40 /* "YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM" fits */
#define EVENTS_URL_MAX	    2048
#define EVENTS_CAPACITY_MAX 1000000
#define EVENTS_QUERY_MAX    201

static const char *const events_visibilities[] = {"public", "invited", "internal", NULL};
static const char *const events_statuses[] = {"scheduled", "postponed", "cancelled", NULL};
static const char *const events_langs[] = {"fr", "ar", "en"};

static const char *const events_fields[] = {
    "type",
    "title_fr",
    "title_ar",
    "title_en",
    "description_fr",
    "description_ar",
    "description_en",
    "org_id",
    "partner_org_ids",
    "venue_id",
    "visibility",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "needs_approval",
    "url",
    "status",
    NULL,
};

/* Whether body holds key (with any value, null included). */
static bool events_has(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

/* A field that may not be null: absent is fine, null is not. 0 or -1 with err filled. */
static int events_not_null(struct json_object *o, const char *key, struct jsonx_err *err)
{
	struct json_object *v = NULL;

	if (json_object_object_get_ex(o, key, &v) && !v) {
		err->code = "invalid_field";
		snprintf(err->message, sizeof(err->message), "field '%s' cannot be null", key);
		return -1;
	}
	return 0;
}

/* Reads an RFC 3339 instant with offset ("2026-12-01T09:00:00+00:00", fraction allowed, "Z" too)
 * into seconds since the epoch. 0 or -1. */
static int events_parse_instant(const char *s, int64_t *out)
{
	char local[TZ_LOCAL_LEN];
	const char *p = s + 19;
	int32_t off, zero;
	int64_t naive;

	if (strlen(s) < 20)
		return -1;
	memcpy(local, s, 19);
	local[19] = '\0';
	if (tz_local_to_utc("UTC", local, TZ_NO_OFFSET, &naive, &zero) != TZ_OK)
		return -1;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (tz_parse_offset(p, &off))
		return -1;
	*out = naive - off;
	return 0;
}

/* An optional nullable instant field: sets *has, *is_null, *at. 0 or -1 with err filled. */
static int events_get_instant(struct json_object *o, const char *key, bool *has, bool *is_null, int64_t *at,
			      struct jsonx_err *err)
{
	const char *s = NULL;
	int rc;

	*has = events_has(o, key);
	*is_null = false;
	if (!*has)
		return 0;
	rc = jsonx_get_str(o, key, false, JSONX_LINE, EVENTS_INSTANT_MAX, &s, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		*is_null = true;
		return 0;
	}
	if (events_parse_instant(s, at)) {
		err->code = "invalid_field";
		snprintf(err->message, sizeof(err->message),
			 "field '%s' must be an RFC 3339 instant with offset such as "
			 "\"2026-12-01T09:00:00+00:00\"",
			 key);
		return -1;
	}
	return 0;
}

/* partner_org_ids: an array of distinct positive ids. 0 or -1 with err filled. */
static int events_get_partners(struct json_object *o, struct event_input *in, struct jsonx_err *err)
{
	struct json_object *arr = NULL, *v;
	size_t n;

	if (!json_object_object_get_ex(o, "partner_org_ids", &arr))
		return 0;
	in->has_partners = true;
	if (!arr)
		return 0;
	err->code = "invalid_field";
	if (!json_object_is_type(arr, json_type_array)) {
		snprintf(err->message, sizeof(err->message),
			 "field 'partner_org_ids' must be an array of organisation ids");
		return -1;
	}
	n = json_object_array_length(arr);
	if (n > EVENT_PARTNERS_MAX) {
		snprintf(err->message, sizeof(err->message),
			 "field 'partner_org_ids' may hold at most %d ids", EVENT_PARTNERS_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0) {
			snprintf(err->message, sizeof(err->message),
				 "field 'partner_org_ids' must hold positive integer ids only");
			return -1;
		}
		in->partners[i] = json_object_get_int64(v);
		for (size_t k = 0; k < i; k++) {
			if (in->partners[k] == in->partners[i]) {
				snprintf(err->message, sizeof(err->message),
					 "field 'partner_org_ids' names organisation %lld twice",
					 (long long)in->partners[i]);
				return -1;
			}
		}
	}
	in->n_partners = (int)n;
	return 0;
}

/* Reads every field of an event body into in (strings borrowed from body). 0 or -1 with err. */
static int events_parse(struct json_object *body, struct event_input *in, struct jsonx_err *err)
{
	static const char *const not_null[] = {"type",		 "org_id", "visibility", "capacity",
					       "needs_approval", "status", NULL};
	char key[24];
	int idx, rc;

	memset(in, 0, sizeof(*in));
	if (jsonx_only_keys(body, events_fields, err))
		return -1;
	for (int i = 0; not_null[i]; i++)
		if (events_not_null(body, not_null[i], err))
			return -1;
	rc = jsonx_get_enum(body, "type", false, events_types, &idx, err);
	if (rc < 0)
		return -1;
	if (rc)
		in->type = events_types[idx];
	for (int i = 0; i < EVENT_LANGS; i++) {
		snprintf(key, sizeof(key), "title_%s", events_langs[i]);
		in->has_title[i] = events_has(body, key);
		if (jsonx_get_str(body, key, false, JSONX_TITLE, EVENT_TITLE_MAX, &in->title[i], err) < 0)
			return -1;
		snprintf(key, sizeof(key), "description_%s", events_langs[i]);
		in->has_description[i] = events_has(body, key);
		if (jsonx_get_str(body, key, false, JSONX_MULTILINE, EVENT_DESCRIPTION_MAX,
				  &in->description[i], err) < 0)
			return -1;
	}
	rc = jsonx_get_int(body, "org_id", false, 1, INT64_MAX, &in->org_id, err);
	if (rc < 0)
		return -1;
	in->has_org = rc == 1;
	if (events_get_partners(body, in, err))
		return -1;
	in->has_venue = events_has(body, "venue_id");
	if (jsonx_get_int(body, "venue_id", false, 1, INT64_MAX, &in->venue_id, err) < 0)
		return -1;
	rc = jsonx_get_enum(body, "visibility", false, events_visibilities, &idx, err);
	if (rc < 0)
		return -1;
	if (rc)
		in->visibility = events_visibilities[idx];
	rc = jsonx_get_int(body, "capacity", false, 0, EVENTS_CAPACITY_MAX, &in->capacity, err);
	if (rc < 0)
		return -1;
	in->has_capacity = rc == 1;
	if (events_get_instant(body, "registration_opens_at", &in->has_opens, &in->opens_null, &in->opens_at,
			       err) ||
	    events_get_instant(body, "registration_closes_at", &in->has_closes, &in->closes_null,
			       &in->closes_at, err))
		return -1;
	rc = jsonx_get_bool(body, "needs_approval", false, &in->needs_approval, err);
	if (rc < 0)
		return -1;
	in->has_needs_approval = rc == 1;
	in->has_url = events_has(body, "url");
	if (jsonx_get_str(body, "url", false, JSONX_URL, EVENTS_URL_MAX, &in->url, err) < 0)
		return -1;
	rc = jsonx_get_enum(body, "status", false, events_statuses, &idx, err);
	if (rc < 0)
		return -1;
	if (rc)
		in->status = events_statuses[idx];
	return 0;
}

/* api_write_fn of POST /api/v1/events (create) and PATCH /api/v1/events/{id}. */
static int events_body(struct db *db, const struct principal *p, int64_t id, bool create,
		       struct json_object *body, int64_t now, struct json_object **out, int64_t *seq,
		       struct dom_err *err)
{
	struct event_input in;
	struct jsonx_err je;

	if (events_parse(body, &in, &je))
		return api_invalid(err, &je);
	if (create)
		return events_create(db, p, &in, now, out, seq, err);
	return events_update(db, p, id, &in, now, out, seq, err);
}

static void events_post(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)args;
	api_json_write(app, req, resp, events_writable, events_body, 0, true);
}

static void events_patch(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	api_json_write(app, req, resp, events_writable, events_body, args->ids[0], false);
}

static void events_cancel_post(struct app *app, const struct request *req, const struct route_args *args,
			       struct response *resp)
{
	api_action(app, req, resp, events_writable, events_cancel, args->ids[0], API_OK);
}

static void events_get_one(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	api_get(app, req, resp, events_get, args->ids[0], false);
}

/* An optional ?key=YYYY-MM-DD; 1/0/-1 as above. */
static int events_query_date(const struct request *req, struct response *resp, const char *key, char out[11])
{
	char v[32];
	int rc = api_query_text(req, resp, key, v, sizeof(v));

	if (rc <= 0)
		return rc;
	if (strlen(v) != 10 || !text_is_date(v)) {
		api_fail(resp, API_BAD_REQUEST, "invalid_query",
			 "query parameter '%s' must be a date YYYY-MM-DD", key);
		return -1;
	}
	memcpy(out, v, 11);
	return 1;
}

/* The strings of an event_query read from the query string. On the handler's stack. */
struct events_query_buf {
	char city[EVENTS_QUERY_MAX], from[11], to[11];
};

/* The list's filters (?city=&type=&status=&org=&from=&to=) into *q, its strings in b: 0, or -1 with the
 * 400 in resp. */
static int events_query_read(const struct request *req, struct response *resp, struct event_query *q,
			     struct events_query_buf *b)
{
	int64_t org = 0;
	int rc, type = -1, status = -1;

	memset(q, 0, sizeof(*q));
	rc = api_query_text(req, resp, "city", b->city, sizeof(b->city));
	if (rc < 0)
		return -1;
	if (rc)
		q->city = b->city;
	if (api_query_enum(req, resp, "type", events_types, &type) < 0 ||
	    api_query_enum(req, resp, "status", events_statuses, &status) < 0)
		return -1;
	q->type = type >= 0 ? events_types[type] : NULL;
	q->status = status >= 0 ? events_statuses[status] : NULL;
	rc = api_query_id(req, resp, "org", &org);
	if (rc < 0)
		return -1;
	q->org = org;
	rc = events_query_date(req, resp, "from", b->from);
	if (rc < 0)
		return -1;
	if (rc)
		q->from = b->from;
	rc = events_query_date(req, resp, "to", b->to);
	if (rc < 0)
		return -1;
	if (rc)
		q->to = b->to;
	return 0;
}

static void events_list_get(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	struct json_object *items = NULL;
	struct events_query_buf b;
	struct principal p = {0};
	struct dom_err e = {0};
	struct event_query q;
	int64_t limit, offset, total = 0;

	(void)args;
	if (api_auth(app, req, resp, &p, false) || api_page(req, resp, &limit, &offset) ||
	    events_query_read(req, resp, &q, &b))
		return;
	if (events_list(app->db, &p, &q, limit, offset, &items, &total, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

/* GET /api/v1/stats?city=&type=&status=&org=&from=&to=&limit=&offset=: the programme's numbers. */
static void events_stats_programme(struct app *app, const struct request *req, const struct route_args *args,
				   struct response *resp)
{
	struct json_object *out = NULL;
	struct events_query_buf b;
	struct principal p = {0};
	struct dom_err e = {0};
	struct event_query q;
	int64_t limit, offset;
	int rc;

	(void)args;
	if (api_auth(app, req, resp, &p, true) || api_page(req, resp, &limit, &offset) ||
	    events_query_read(req, resp, &q, &b))
		return;
	rc = stats_programme(app->db, &p, &q, req->now, limit, offset, &out, &e);
	api_reply_dom(app, resp, rc, &e, out, 0, API_OK);
}

/* GET /api/v1/events/{id}/stats: one event's numbers. */
static void events_stats_one(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int rc;

	if (api_auth(app, req, resp, &p, true))
		return;
	rc = stats_event(app->db, &p, args->ids[0], req->now, &out, &e);
	api_reply_dom(app, resp, rc, &e, out, 0, API_OK);
}

const struct route api_events_routes[] = {
    {HTTP_GET, "/api/v1/events", events_list_get},
    {HTTP_POST, "/api/v1/events", events_post},
    {HTTP_GET, "/api/v1/events/{id}", events_get_one},
    {HTTP_PATCH, "/api/v1/events/{id}", events_patch},
    {HTTP_POST, "/api/v1/events/{id}/cancel", events_cancel_post},
    {HTTP_GET, "/api/v1/events/{id}/stats", events_stats_one},
    {HTTP_GET, "/api/v1/stats", events_stats_programme},
    {0},
};
