/*
 * venues: HTTP handlers for /api/v1/venues and their rooms — parse, authenticate, one domain call,
 * render; no SQL and no rules of its own.
 */
#include <string.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/venues.h"
#include "util/jsonx.h"

#define VENUES_QUERY_MAX 201

static const char *const venues_keys[] = {
    "name", "city", "address", "tz", "latitude", "longitude", "org_id", NULL,
};
static const char *const venues_room_keys[] = {"name", "capacity", NULL};

/* Whether body names key (with any value, null included). */
static bool venues_has(struct json_object *body, const char *key)
{
	return json_object_object_get_ex(body, key, NULL);
}

/* A coordinate within ±limit: sets *has, *is_null and *v. 0 or -1 with je filled. */
static int venues_coord(struct json_object *body, const char *key, double limit, bool *has, bool *is_null,
			double *v, struct jsonx_err *je)
{
	int r = jsonx_get_double(body, key, false, -limit, limit, v, je);

	*has = venues_has(body, key);
	*is_null = r == 0;
	return r < 0 ? -1 : 0;
}

/* Reads a venue body into in (strings borrowed from body). 0 or -1 with je filled. */
static int venues_parse(struct json_object *body, struct venues_input *in, struct jsonx_err *je)
{
	const struct api_field text[] = {
	    {"name", JSONX_LINE, VENUES_TEXT_MAX, &in->has_name, &in->name, NULL},
	    {"city", JSONX_LINE, VENUES_TEXT_MAX, &in->has_city, &in->city, NULL},
	    {"address", JSONX_LINE, VENUES_ADDRESS_MAX, &in->has_address, &in->address, NULL},
	    {"tz", JSONX_LINE, VENUES_TZ_MAX, &in->has_tz, &in->tz, NULL},
	};

	memset(in, 0, sizeof(*in));
	if (jsonx_only_keys(body, venues_keys, je) ||
	    api_fields(body, text, sizeof(text) / sizeof(text[0]), je))
		return -1;
	if (venues_coord(body, "latitude", 90.0, &in->has_latitude, &in->latitude_null, &in->latitude, je) ||
	    venues_coord(body, "longitude", 180.0, &in->has_longitude, &in->longitude_null, &in->longitude,
			 je))
		return -1;
	in->has_org_id = venues_has(body, "org_id");
	if (jsonx_get_int(body, "org_id", false, 1, INT64_MAX, &in->org_id, je) < 0)
		return -1;
	return 0;
}

/* Reads a room body into in. 0 or -1 with je filled. */
static int venues_room_parse(struct json_object *body, struct venues_room_input *in, struct jsonx_err *je)
{
	memset(in, 0, sizeof(*in));
	if (jsonx_only_keys(body, venues_room_keys, je))
		return -1;
	in->has_name = venues_has(body, "name");
	if (jsonx_get_str(body, "name", false, JSONX_LINE, VENUES_ROOM_NAME_MAX, &in->name, je) < 0)
		return -1;
	in->has_capacity = venues_has(body, "capacity");
	if (jsonx_get_int(body, "capacity", false, 1, VENUES_CAPACITY_MAX, &in->capacity, je) < 0)
		return -1;
	return 0;
}

/* api_write_fn of POST /api/v1/venues (create) and PATCH /api/v1/venues/{id}. */
static int venues_body(struct db *db, const struct principal *p, int64_t id, bool create,
		       struct json_object *body, int64_t now, struct json_object **out, int64_t *seq,
		       struct dom_err *err)
{
	struct venues_input in;
	struct jsonx_err je;

	if (venues_parse(body, &in, &je))
		return api_invalid(err, &je);
	if (create)
		return venues_create(db, p, &in, now, out, seq, err);
	return venues_update(db, p, id, &in, now, out, seq, err);
}

/* api_write_fn of POST /api/v1/venues/{id}/rooms (create, id: the venue) and PATCH /api/v1/rooms/{id}. */
static int venues_room_body(struct db *db, const struct principal *p, int64_t id, bool create,
			    struct json_object *body, int64_t now, struct json_object **out, int64_t *seq,
			    struct dom_err *err)
{
	struct venues_room_input in;
	struct jsonx_err je;

	if (venues_room_parse(body, &in, &je))
		return api_invalid(err, &je);
	if (create)
		return venues_room_create(db, p, id, &in, now, out, seq, err);
	return venues_room_update(db, p, id, &in, now, out, seq, err);
}

static void venues_post(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)args;
	api_json_write(app, req, resp, venues_writable, venues_body, 0, true);
}

static void venues_patch(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	api_json_write(app, req, resp, venues_writable, venues_body, args->ids[0], false);
}

static void venues_room_post(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	api_json_write(app, req, resp, venues_writable, venues_room_body, args->ids[0], true);
}

static void venues_room_patch(struct app *app, const struct request *req, const struct route_args *args,
			      struct response *resp)
{
	api_json_write(app, req, resp, venues_room_writable, venues_room_body, args->ids[0], false);
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
