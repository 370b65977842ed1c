/*
 * notifications (api): what organisers see of an event's notifications and asking for one again: parse,
 * one domain call, render; no SQL, no permission rule (domain/outbox.c has them), no mail.
 */
#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/outbox.h"

/* GET /api/v1/events/{id}/notifications?status=&limit=&offset= */
static void notif_list(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	struct principal p = {0};
	struct dom_err err = {0};
	struct json_object *items = NULL;
	int64_t limit, offset, total = 0;
	char status[16];
	int has_status;

	if (api_auth(app, req, resp, &p, true) || api_page(req, resp, &limit, &offset))
		return;
	has_status = api_query_text(req, resp, "status", status, sizeof(status));
	if (has_status < 0)
		return;
	if (outbox_list(app->db, &p, args->ids[0], has_status ? status : NULL, limit, offset, &items, &total,
			&err)) {
		api_fail_dom(resp, &err);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
	response_header(resp, "Cache-Control", "no-store");
}

/* POST /api/v1/notifications/{id}/resend */
static void notif_resend(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	struct principal p = {0};
	struct dom_err err = {0};
	struct json_object *out = NULL;
	int64_t seq = 0;
	int rc;

	if (api_auth(app, req, resp, &p, true) || api_no_body(req, resp))
		return;
	rc = outbox_resend(app->db, &p, args->ids[0], req->now, &out, &seq, &err);
	api_reply_dom(app, resp, rc, &err, out, seq, API_CREATED);
}

const struct route api_notifications_routes[] = {
    {HTTP_GET, "/api/v1/events/{id}/notifications", notif_list},
    {HTTP_POST, "/api/v1/notifications/{id}/resend", notif_resend},
    {0},
};
