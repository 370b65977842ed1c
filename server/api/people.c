/*
 * people: HTTP handlers for /api/v1/people, their export and erasure — parse, authenticate, one
 * domain call, render; no SQL, no rules of its own, and nothing personal in any log line.
 */
#include "api/people.h"

#include <stdint.h>
#include <string.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/people.h"

static const char *const people_create_keys[] = {
    "name", "name_ar", "sex", "nationality", "phone", "email", "lang", "consent", "org_id", NULL,
};
static const char *const people_update_keys[] = {
    "name", "name_ar", "sex", "nationality", "phone", "email", "lang", NULL,
};

int api_people_parse(struct json_object *body, bool create, struct people_input *in, struct jsonx_err *je)
{
	const struct api_field fields[] = {
	    {"name", JSONX_LINE, PERSON_NAME_MAX, &in->has_name, &in->name, NULL},
	    {"name_ar", JSONX_LINE, PERSON_NAME_MAX, &in->has_name_ar, &in->name_ar, NULL},
	    {"sex", JSONX_LINE, 0, &in->has_sex, &in->sex, people_sexes},
	    {"nationality", JSONX_LINE, PEOPLE_NATIONALITY_MAX, &in->has_nationality, &in->nationality, NULL},
	    {"phone", JSONX_PHONE, PEOPLE_PHONE_MAX, &in->has_phone, &in->phone, NULL},
	    {"email", JSONX_EMAIL, PEOPLE_EMAIL_MAX, &in->has_email, &in->email, NULL},
	    {"lang", JSONX_LINE, 0, &in->has_lang, &in->lang, people_langs},
	};
	int rc;

	memset(in, 0, sizeof(*in));
	if (jsonx_only_keys(body, create ? people_create_keys : people_update_keys, je) ||
	    api_fields(body, fields, sizeof(fields) / sizeof(fields[0]), je))
		return -1;
	if (!create)
		return 0;
	in->has_consent = json_object_object_get_ex(body, "consent", NULL);
	rc = jsonx_get_bool(body, "consent", false, &in->consent, je);
	if (rc < 0)
		return -1;
	in->consent_null = rc == 0;
	in->has_org_id = json_object_object_get_ex(body, "org_id", NULL);
	return jsonx_get_int(body, "org_id", false, 1, INT64_MAX, &in->org_id, je) < 0 ? -1 : 0;
}

/* api_write_fn of POST /api/v1/people (create) and PATCH /api/v1/people/{id}. */
static int people_body(struct db *db, const struct principal *p, int64_t id, bool create,
		       struct json_object *body, int64_t now, struct json_object **out, int64_t *seq,
		       struct dom_err *err)
{
	struct people_input in;
	struct jsonx_err je;

	if (api_people_parse(body, create, &in, &je))
		return api_invalid(err, &je);
	if (create)
		return people_create(db, p, &in, now, out, seq, err);
	return people_update(db, p, id, &in, now, out, seq, err);
}

static void people_post(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)args;
	api_json_write(app, req, resp, people_writable, people_body, 0, true);
}

static void people_patch(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	api_json_write(app, req, resp, people_writable, people_body, args->ids[0], false);
}

static void people_get_one(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	api_get(app, req, resp, people_get, args->ids[0], true);
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
	api_action(app, req, resp, people_erasable, people_erase, args->ids[0], API_OK);
}

static void people_get_list(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	struct json_object *items = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t limit, offset, total = 0, org = 0;
	char q[PEOPLE_QUERY_MAX + 1];
	int has_q;

	(void)args;
	if (api_auth(app, req, resp, &p, true) || api_page(req, resp, &limit, &offset) ||
	    api_query_id(req, resp, "org", &org) < 0)
		return;
	has_q = api_query_text(req, resp, "q", q, sizeof(q));
	if (has_q < 0)
		return;
	if (people_list(app->db, &p, org, has_q ? q : NULL, limit, offset, &items, &total, &e)) {
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
