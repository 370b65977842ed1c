/*
 * sessions: HTTP handlers for an event's sessions (/api/v1/events/{id}/sessions, /api/v1/sessions/{id})
 * — parse and validate the body, authenticate, one domain call, render; no SQL and no rules of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "calendar/tz.h"
#include "domain/sessions.h"

#define SESSIONS_TITLE_MAX  300
#define SESSIONS_ZONE_MAX   63
#define SESSIONS_OFFSET_MAX 6

static const char *const sessions_fields[] = {
    "starts_local",   "ends_local", "tz", "starts_offset", "ends_offset", "room_id",
    "facilitator_id", "title",	    NULL,
};

static int sessions_fail(struct jsonx_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int sessions_fail(struct jsonx_err *err, const char *fmt, ...)
{
	va_list ap;

	err->code = "invalid_field";
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* An optional "+01:00" offset; null counts as absent. 0 or -1 with err. */
static int sessions_get_offset(struct json_object *o, const char *key, bool *has, int32_t *out,
			       struct jsonx_err *err)
{
	const char *s = NULL;
	int rc = jsonx_get_str(o, key, false, JSONX_LINE, SESSIONS_OFFSET_MAX, &s, err);

	*has = false;
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 0;
	if (!strcmp(s, "Z") || !strcmp(s, "z") || tz_parse_offset(s, out))
		return sessions_fail(err, "field '%s' must be a UTC offset such as \"+01:00\" or \"+00:00\"",
				     key);
	*has = true;
	return 0;
}

/* An optional nullable positive id. 0 or -1 with err. */
static int sessions_get_ref(struct json_object *o, const char *key, bool *has, int64_t *out,
			    struct jsonx_err *err)
{
	*has = json_object_object_get_ex(o, key, NULL);
	*out = 0;
	return jsonx_get_int(o, key, false, 1, INT64_MAX, out, err) < 0 ? -1 : 0;
}

/* Reads a session body into in (strings borrowed from body). 0 or -1 with err. */
static int sessions_parse(struct json_object *body, bool create, struct session_input *in,
			  struct jsonx_err *err)
{
	static const char *const not_null[] = {"starts_local", "ends_local", "tz", NULL};
	struct json_object *v;

	memset(in, 0, sizeof(*in));
	if (jsonx_only_keys(body, sessions_fields, err))
		return -1;
	for (int i = 0; not_null[i]; i++)
		if (json_object_object_get_ex(body, not_null[i], &v) && !v)
			return sessions_fail(err, "field '%s' cannot be null", not_null[i]);
	if (jsonx_get_str(body, "starts_local", create, JSONX_LOCAL_DATETIME, 19, &in->starts_local, err) <
		0 ||
	    jsonx_get_str(body, "ends_local", create, JSONX_LOCAL_DATETIME, 19, &in->ends_local, err) < 0 ||
	    jsonx_get_str(body, "tz", false, JSONX_LINE, SESSIONS_ZONE_MAX, &in->tz, err) < 0)
		return -1;
	if (sessions_get_offset(body, "starts_offset", &in->has_starts_offset, &in->starts_offset, err) ||
	    sessions_get_offset(body, "ends_offset", &in->has_ends_offset, &in->ends_offset, err))
		return -1;
	if (sessions_get_ref(body, "room_id", &in->has_room, &in->room_id, err) ||
	    sessions_get_ref(body, "facilitator_id", &in->has_facilitator, &in->facilitator_id, err))
		return -1;
	in->has_title = json_object_object_get_ex(body, "title", NULL);
	if (jsonx_get_str(body, "title", false, JSONX_TITLE, SESSIONS_TITLE_MAX, &in->title, err) < 0)
		return -1;
	return 0;
}

/* api_write_fn of POST /api/v1/events/{id}/sessions (create, id: the event) and PATCH
 * /api/v1/sessions/{id}. */
static int sessions_body(struct db *db, const struct principal *p, int64_t id, bool create,
			 struct json_object *body, int64_t now, struct json_object **out, int64_t *seq,
			 struct dom_err *err)
{
	struct session_input in;
	struct jsonx_err je;

	if (sessions_parse(body, create, &in, &je))
		return api_invalid(err, &je);
	if (create)
		return sessions_create(db, p, id, &in, now, out, seq, err);
	return sessions_update(db, p, id, &in, now, out, seq, err);
}

static void sessions_post(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	api_json_write(app, req, resp, sessions_event_writable, sessions_body, args->ids[0], true);
}

static void sessions_patch(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	api_json_write(app, req, resp, sessions_writable, sessions_body, args->ids[0], false);
}

static void sessions_del(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	api_delete(app, req, resp, sessions_delete, args->ids[0]);
}

static void sessions_get_one(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	api_get(app, req, resp, sessions_get, args->ids[0], false);
}

const struct route api_sessions_routes[] = {
    {HTTP_POST, "/api/v1/events/{id}/sessions", sessions_post},
    {HTTP_GET, "/api/v1/sessions/{id}", sessions_get_one},
    {HTTP_PATCH, "/api/v1/sessions/{id}", sessions_patch},
    {HTTP_DELETE, "/api/v1/sessions/{id}", sessions_del},
    {0},
};
