/*
 * attendance: HTTP handlers for recording and listing presence per session (staff) and for the
 * participant's own check-in through the personal link; parse, one domain call, render; no SQL.
 */
#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/attendance.h"

/* POST /api/v1/sessions/{id}/attendance */
static void att_record(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	static const char *const keys[] = {"registration_id", "ticket", "status", "method", NULL};
	static const char *const statuses[] = {"present", "absent", "excused", NULL};
	static const char *const methods[] = {"qr", "manual", NULL};
	struct att_input in = {0};
	struct principal p = {0};
	struct dom_err err = {0};
	struct json_object *o = NULL, *row = NULL;
	struct jsonx_err jerr;
	int status = -1, method = -1;
	bool created = false;
	int64_t seq = 0;

	if (api_write_begin(app, req, resp, attendance_writable, args->ids[0], &p, &o))
		return;
	if (jsonx_only_keys(o, keys, &jerr) < 0 ||
	    jsonx_get_int(o, "registration_id", false, 1, INT64_MAX, &in.registration_id, &jerr) < 0 ||
	    jsonx_get_str(o, "ticket", false, JSONX_TOKEN, 128, &in.ticket, &jerr) < 0 ||
	    jsonx_get_enum(o, "status", true, statuses, &status, &jerr) < 0 ||
	    jsonx_get_enum(o, "method", false, methods, &method, &jerr) < 0) {
		api_fail_json(resp, &jerr);
		goto out;
	}
	in.status = statuses[status];
	in.method = method >= 0 ? methods[method] : (in.ticket ? "qr" : "manual");
	if (attendance_record(app->db, &p, args->ids[0], &in, req->now, &row, &created, &seq, &err)) {
		api_fail_dom(resp, &err);
		goto out;
	}
	if (seq)
		app_changed(app, seq);
	api_reply(resp, created ? API_CREATED : API_OK, row);
out:
	json_object_put(o);
}

/* GET /api/v1/sessions/{id}/attendance */
static void att_list(struct app *app, const struct request *req, const struct route_args *args,
		     struct response *resp)
{
	struct principal p = {0};
	struct dom_err err = {0};
	struct json_object *items = NULL;
	int64_t total = 0;

	if (api_auth(app, req, resp, &p, true))
		return;
	if (attendance_list(app->db, &p, args->ids[0], &items, &total, &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	api_reply_list(resp, items, total, total, 0);
	response_header(resp, "Cache-Control", "no-store");
}

/* POST /api/v1/r/{token}/sessions/{id}/present */
static void att_self_present(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	struct dom_err err = {0};
	struct json_object *row = NULL;
	bool created = false;
	int64_t seq = 0;

	response_header(resp, "Cache-Control", "no-store");
	if (api_no_body(req, resp))
		return;
	if (attendance_self_present(app->db, args->tokens[0], args->ids[0], req->now, &row, &created, &seq,
				    &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	if (seq)
		app_changed(app, seq);
	api_reply(resp, created ? API_CREATED : API_OK, row);
}

const struct route api_attendance_routes[] = {
    {HTTP_POST, "/api/v1/sessions/{id}/attendance", att_record},
    {HTTP_GET, "/api/v1/sessions/{id}/attendance", att_list},
    {HTTP_POST, "/api/v1/r/{token:token}/sessions/{id}/present", att_self_present},
    {0},
};
