/*
 * venues: HTTP handlers for /api/v1/venues and their rooms — parse, authenticate, one domain call,
 * render; no SQL and no rules of its own.
 */
#include "api/common.h"
#include "api/router.h"
#include "domain/venues.h"

#define VENUES_QUERY_MAX 201

static void venues_post(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)args;
	api_json_write(app, req, resp, venues_create, NULL, 0, API_CREATED);
}

static void venues_patch(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	api_json_write(app, req, resp, NULL, venues_update, args->ids[0], API_OK);
}

static void venues_room_post(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	api_json_write(app, req, resp, NULL, venues_room_create, args->ids[0], API_CREATED);
}

static void venues_room_patch(struct app *app, const struct request *req, const struct route_args *args,
			      struct response *resp)
{
	api_json_write(app, req, resp, NULL, venues_room_update, args->ids[0], API_OK);
}

static void venues_get_one(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	struct json_object *out = NULL;
	struct dom_err e = {0};

	(void)req;
	if (venues_get(app->db, args->ids[0], &out, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply(resp, API_OK, out);
}

static void venues_get_list(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	char city[VENUES_QUERY_MAX];
	struct json_object *items = NULL;
	struct dom_err e = {0};
	int64_t limit, offset, total = 0, org = 0;
	int has_city;

	(void)args;
	if (api_page(req, resp, &limit, &offset))
		return;
	has_city = api_query_text(req, resp, "city", city, sizeof(city));
	if (has_city < 0 || api_query_id(req, resp, "org", &org) < 0)
		return;
	if (venues_list(app->db, has_city ? city : NULL, org, limit, offset, &items, &total, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

const struct route api_venues_routes[] = {
    {HTTP_POST, "/api/v1/venues", venues_post},
    {HTTP_GET, "/api/v1/venues", venues_get_list},
    {HTTP_GET, "/api/v1/venues/{id}", venues_get_one},
    {HTTP_PATCH, "/api/v1/venues/{id}", venues_patch},
    {HTTP_POST, "/api/v1/venues/{id}/rooms", venues_room_post},
    {HTTP_PATCH, "/api/v1/rooms/{id}", venues_room_patch},
    {0},
};
