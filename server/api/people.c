/*
 * people: HTTP handlers for /api/v1/people, their export and erasure — parse, authenticate, one
 * domain call, render; no SQL, no rules of its own, and nothing personal in any log line.
 */
#include "api/common.h"
#include "api/router.h"
#include "domain/people.h"

static void people_post(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)args;
	api_json_write(app, req, resp, people_create, NULL, 0, API_CREATED);
}

static void people_patch(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	api_json_write(app, req, resp, NULL, people_update, args->ids[0], API_OK);
}

static void people_get_one(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int rc;

	if (api_auth(app, req, resp, &p, true))
		return;
	rc = people_get(app->db, &p, args->ids[0], &out, &e);
	api_reply_dom(app, resp, rc, &e, out, 0, API_OK);
}

static void people_export_get(struct app *app, const struct request *req, const struct route_args *args,
			      struct response *resp)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int rc;

	if (api_auth(app, req, resp, &p, true))
		return;
	rc = people_export(app->db, &p, args->ids[0], req->now, &out, &e);
	api_reply_dom(app, resp, rc, &e, out, 0, API_OK);
}

/* The erasure takes no input: no body, or an empty JSON object (a malformed request erases nothing). */
static void people_erase_post(struct app *app, const struct request *req, const struct route_args *args,
			      struct response *resp)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	if (api_auth(app, req, resp, &p, true) || api_no_body(req, resp))
		return;
	rc = people_erase(app->db, &p, args->ids[0], req->now, &out, &seq, &e);
	api_reply_dom(app, resp, rc, &e, out, seq, API_OK);
}

static void people_get_list(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	struct json_object *items = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t limit, offset, total = 0, org = 0;

	(void)args;
	if (api_auth(app, req, resp, &p, true) || api_page(req, resp, &limit, &offset) ||
	    api_query_id(req, resp, "org", &org) < 0)
		return;
	if (people_list(app->db, &p, org, limit, offset, &items, &total, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

const struct route api_people_routes[] = {
    {HTTP_POST, "/api/v1/people", people_post},
    {HTTP_GET, "/api/v1/people", people_get_list},
    {HTTP_GET, "/api/v1/people/{id}", people_get_one},
    {HTTP_PATCH, "/api/v1/people/{id}", people_patch},
    {HTTP_GET, "/api/v1/people/{id}/export", people_export_get},
    {HTTP_POST, "/api/v1/people/{id}/erase", people_erase_post},
    {0},
};
