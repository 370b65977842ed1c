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
	api_status_list(app, req, resp, outbox_list, args->ids[0], 15);
}

/* POST /api/v1/notifications/{id}/resend */
static void notif_resend(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	api_action(app, req, resp, outbox_resendable, outbox_resend, args->ids[0], API_CREATED);
}

const struct route api_notifications_routes[] = {
    {HTTP_GET, "/api/v1/events/{id}/notifications", notif_list},
    {HTTP_POST, "/api/v1/notifications/{id}/resend", notif_resend},
    {0},
};
