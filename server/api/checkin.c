/*
 * checkin (api): the door's check-in screen — GET /api/v1/checkin/sessions (today's sessions the caller
 * may check in), GET /api/v1/sessions/{id}/roster and POST /api/v1/sessions/{id}/checkin (a ticket or a
 * registration, present now); parse, one domain call, render; no SQL, and never a ticket in a log.
 */
#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/attendance.h"
#include "domain/checkin.h"

/* GET /api/v1/checkin/sessions */
static void checkin_sessions_get(struct app *app, const struct request *req, const struct route_args *args,
				 struct response *resp)
{
	struct principal p = {0};
	struct dom_err err = {0};
	struct json_object *items = NULL;

	(void)args;
	if (api_auth(app, req, resp, &p, true))
		return;
	if (checkin_sessions(app->db, &p, req->now, &items, &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	api_reply_list(resp, items, (int64_t)json_object_array_length(items),
		       (int64_t)json_object_array_length(items), 0);
	response_header(resp, "Cache-Control", "no-store");
}

/* GET /api/v1/sessions/{id}/roster */
static void checkin_roster_get(struct app *app, const struct request *req, const struct route_args *args,
			       struct response *resp)
{
	struct principal p = {0};
	struct dom_err err = {0};
	struct json_object *items = NULL;
	int64_t total = 0;

	if (api_auth(app, req, resp, &p, true))
		return;
	if (checkin_roster(app->db, &p, args->ids[0], &items, &total, &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	api_reply_list(resp, items, total, total, 0);
	response_header(resp, "Cache-Control", "no-store");
}

/* POST /api/v1/sessions/{id}/checkin */
static void checkin_post(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	static const char *const keys[] = {"registration_id", "ticket", NULL};
	struct att_input in = {0};
	struct principal p = {0};
	struct dom_err err = {0};
	struct json_object *o = NULL, *out = NULL, *who = NULL, *body;
	struct jsonx_err jerr;
	bool created = false;
	int64_t seq = 0;

	if (api_write_begin(app, req, resp, attendance_writable, args->ids[0], &p, &o))
		return;
	response_header(resp, "Cache-Control", "no-store");
	if (jsonx_only_keys(o, keys, &jerr) < 0 ||
	    jsonx_get_int(o, "registration_id", false, 1, INT64_MAX, &in.registration_id, &jerr) < 0 ||
	    jsonx_get_str(o, "ticket", false, JSONX_TOKEN, 128, &in.ticket, &jerr) < 0) {
		api_fail_json(resp, &jerr);
		goto out;
	}
	if (attendance_check_in(app->db, &p, args->ids[0], &in, req->now, &out, &who, &created, &seq, &err)) {
		body = json_object_new_object();
		if (who)
			json_object_object_add(body, "registration", who);
		api_fail_dom_body(resp, &err, body);
		goto out;
	}
	if (seq)
		app_changed(app, seq);
	api_reply(resp, created ? API_CREATED : API_OK, out);
out:
	json_object_put(o);
}

const struct route api_checkin_routes[] = {
    {HTTP_GET, "/api/v1/checkin/sessions", checkin_sessions_get},
    {HTTP_GET, "/api/v1/sessions/{id}/roster", checkin_roster_get},
    {HTTP_POST, "/api/v1/sessions/{id}/checkin", checkin_post},
    {0},
};
