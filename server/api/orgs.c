/*
 * orgs: HTTP handlers for /api/v1/organisations — parse, authenticate, one domain call, render; no
 * SQL and no rules of its own.
 */
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/orgs.h"

#define ORGS_QUERY_MAX 201

static void orgs_create(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)args;
	api_json_write(app, req, resp, org_create, NULL, 0, API_CREATED);
}

static void orgs_update(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	api_json_write(app, req, resp, NULL, org_update, args->ids[0], API_OK);
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
