/*
 * orgs: HTTP handlers for /api/v1/organisations — parse, authenticate, one domain call, render; no
 * SQL and no rules of its own.
 */
#include <string.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/orgs.h"
#include "util/jsonx.h"

#define ORGS_QUERY_MAX 201

static const char *const orgs_keys[] = {
    "name", "kind", "city", "region", "contact_name", "contact_email", NULL,
};

/* Reads an organisation body into in (strings borrowed from body): known keys only, each text of its
 * kind and bound, kind one of orgs_kinds; null is kept as a NULL value. 0 or -1 with je filled. */
static int orgs_parse(struct json_object *body, struct orgs_input *in, struct jsonx_err *je)
{
	const struct api_field fields[] = {
	    {"name", JSONX_LINE, ORGS_TEXT_MAX, &in->has_name, &in->name, NULL},
	    {"city", JSONX_LINE, ORGS_TEXT_MAX, &in->has_city, &in->city, NULL},
	    {"region", JSONX_LINE, ORGS_TEXT_MAX, &in->has_region, &in->region, NULL},
	    {"contact_name", JSONX_LINE, ORGS_TEXT_MAX, &in->has_contact_name, &in->contact_name, NULL},
	    {"contact_email", JSONX_EMAIL, ORGS_EMAIL_MAX, &in->has_contact_email, &in->contact_email, NULL},
	    {"kind", JSONX_LINE, 0, &in->has_kind, &in->kind, orgs_kinds},
	};

	memset(in, 0, sizeof(*in));
	if (jsonx_only_keys(body, orgs_keys, je))
		return -1;
	return api_fields(body, fields, sizeof(fields) / sizeof(fields[0]), je);
}

/* api_write_fn of POST /api/v1/organisations (create) and PATCH /api/v1/organisations/{id}. */
static int orgs_body(struct db *db, const struct principal *p, int64_t id, bool create,
		     struct json_object *body, int64_t now, struct json_object **out, int64_t *seq,
		     struct dom_err *err)
{
	struct orgs_input in;
	struct jsonx_err je;

	if (orgs_parse(body, &in, &je))
		return api_invalid(err, &je);
	if (create)
		return orgs_create(db, p, &in, now, out, seq, err);
	return orgs_update(db, p, id, &in, now, out, seq, err);
}

static void orgs_post(struct app *app, const struct request *req, const struct route_args *args,
		      struct response *resp)
{
	(void)args;
	api_json_write(app, req, resp, orgs_writable, orgs_body, 0, true);
}

static void orgs_patch(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	api_json_write(app, req, resp, orgs_writable, orgs_body, args->ids[0], false);
}

static void orgs_get_one(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	struct json_object *out = NULL;
	struct dom_err e = {0};

	(void)req;
	if (orgs_get(app->db, args->ids[0], &out, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply(resp, API_OK, out);
}

static void orgs_get_list(struct app *app, const struct request *req, const struct route_args *args,
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
	if (orgs_list(app->db, has_city ? city : NULL, has_kind ? kind : NULL, limit, offset, &items, &total,
		      &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

const struct route api_orgs_routes[] = {
    {HTTP_POST, "/api/v1/organisations", orgs_post},
    {HTTP_GET, "/api/v1/organisations", orgs_get_list},
    {HTTP_GET, "/api/v1/organisations/{id}", orgs_get_one},
    {HTTP_PATCH, "/api/v1/organisations/{id}", orgs_patch},
    {0},
};
