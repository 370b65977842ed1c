/*
 * people: HTTP handlers for /api/v1/people, their export and erasure — parse, authenticate, one
 * domain call, render; no SQL, no rules of its own, and nothing personal in any log line.
 */
#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/people.h"

static void people_create(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	(void)args;
	api_json_write(app, req, resp, person_create, NULL, 0, API_CREATED);
}

static void people_update(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	api_json_write(app, req, resp, NULL, person_update, args->ids[0], API_OK);
}

static void people_get(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int rc;

	if (api_auth(app, req, resp, &p, true))
		return;
	rc = person_get(app->db, &p, args->ids[0], &out, &e);
	api_reply_dom(app, resp, rc, &e, out, 0, API_OK);
}

static void people_export(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int rc;

	if (api_auth(app, req, resp, &p, true))
		return;
	rc = person_export(app->db, &p, args->ids[0], &out, &e);
	api_reply_dom(app, resp, rc, &e, out, 0, API_OK);
}

/* The erasure takes no input: no body, or an empty JSON object (a malformed request erases nothing). */
static void people_erase(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	if (api_auth(app, req, resp, &p, true) || api_no_body(req, resp))
		return;
	rc = person_erase(app->db, &p, args->ids[0], &out, &seq, &e);
	api_reply_dom(app, resp, rc, &e, out, seq, API_OK);
}

static void people_list(struct app *app, const struct request *req, const struct route_args *args,
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
	if (person_list(app->db, &p, org, limit, offset, &items, &total, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

const struct route api_people_routes[] = {
    {HTTP_POST, "/api/v1/people", people_create},
    {HTTP_GET, "/api/v1/people", people_list},
    {HTTP_GET, "/api/v1/people/{id}", people_get},
    {HTTP_PATCH, "/api/v1/people/{id}", people_update},
    {HTTP_GET, "/api/v1/people/{id}/export", people_export},
    {HTTP_POST, "/api/v1/people/{id}/erase", people_erase},
    {0},
};
