/*
 * orgs: HTTP handlers for /api/v1/organisations — parse, authenticate, one domain call, render; no
 * SQL and no rules of its own.
 */
#include "api/common.h"
#include "api/router.h"
#include "domain/orgs.h"

#define ORGS_QUERY_MAX 201

/* Replies with out (status ok) and tells the sink, or replies the domain error. */
static void orgs_finish(struct app *app, struct response *resp, int rc, const struct dom_err *e,
			struct json_object *out, int64_t seq, enum api_ok ok)
{
	if (rc) {
		api_fail_dom(resp, e);
		return;
	}
	app_changed(app, seq);
	api_reply(resp, ok, out);
}

static void orgs_create(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	struct json_object *body = NULL, *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	(void)args;
	if (api_auth(app, req, resp, &p, true) || api_body(req, resp, &body))
		return;
	rc = org_create(app->db, &p, body, &out, &seq, &e);
	orgs_finish(app, resp, rc, &e, out, seq, API_CREATED);
	json_object_put(body);
}

static void orgs_update(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	struct json_object *body = NULL, *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	if (api_auth(app, req, resp, &p, true) || api_body(req, resp, &body))
		return;
	rc = org_update(app->db, &p, args->ids[0], body, &out, &seq, &e);
	orgs_finish(app, resp, rc, &e, out, seq, API_OK);
	json_object_put(body);
}

static void orgs_get(struct app *app, const struct request *req, const struct route_args *args,
		     struct response *resp)
{
	struct json_object *out = NULL;
	struct dom_err e = {0};

	(void)req;
	if (org_get(app->db, args->ids[0], &out, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply(resp, API_OK, out);
}

static void orgs_list(struct app *app, const struct request *req, const struct route_args *args,
		      struct response *resp)
{
	char city[ORGS_QUERY_MAX], kind[64];
	struct json_object *items = NULL;
	struct dom_err e = {0};
	int64_t limit, offset, total = 0;
	int has_city, has_kind;

	(void)args;
	if (api_page(req, resp, &limit, &offset))
		return;
	has_city = api_query_text(req, resp, "city", city, sizeof(city));
	if (has_city < 0)
		return;
	has_kind = api_query_text(req, resp, "kind", kind, sizeof(kind));
	if (has_kind < 0)
		return;
	if (org_list(app->db, has_city ? city : NULL, has_kind ? kind : NULL, limit, offset, &items, &total,
		     &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

const struct route api_orgs_routes[] = {
    {HTTP_POST, "/api/v1/organisations", orgs_create},
    {HTTP_GET, "/api/v1/organisations", orgs_list},
    {HTTP_GET, "/api/v1/organisations/{id}", orgs_get},
    {HTTP_PATCH, "/api/v1/organisations/{id}", orgs_update},
    {0},
};
