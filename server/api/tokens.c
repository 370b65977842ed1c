/*
 * tokens (api): /api/v1/tokens (bearer tokens): parse, validate, one domain call, render; no SQL, no
 * permission rules (domain/api_tokens.c has them) and never a token value in a log.
 */

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/api_tokens.h"
#include "util/jsonx.h"

static void tokens_list_get(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	struct json_object *items;
	struct principal p;
	struct dom_err err;
	int64_t limit, offset, total = 0;

	(void)args;
	if (api_auth(app, req, resp, &p, true) || api_page(req, resp, &limit, &offset))
		return;
	if (api_tokens_list(app->db, &p, limit, offset, &items, &total, &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

static void tokens_create_post(struct app *app, const struct request *req, const struct route_args *args,
			       struct response *resp)
{
	static const char *const keys[] = {"role", "org_id", "label", NULL};
	struct json_object *body = NULL, *out = NULL;
	const char *label = NULL;
	struct jsonx_err jerr;
	struct principal p;
	struct dom_err err = {0};
	int64_t org = 0, seq = 0;
	int role = -1, rc;

	(void)args;
	if (api_write_begin(app, req, resp, api_tokens_writable, 0, &p, &body))
		return;
	if (jsonx_only_keys(body, keys, &jerr) ||
	    jsonx_get_enum(body, "role", true, role_names, &role, &jerr) < 0 ||
	    jsonx_get_int(body, "org_id", false, 1, INT64_MAX - 1, &org, &jerr) < 0 ||
	    jsonx_get_str(body, "label", false, JSONX_LINE, API_TOKENS_LABEL_MAX, &label, &jerr) < 0)
		rc = api_invalid(&err, &jerr);
	else
		rc = api_tokens_create_as(app->db, &p, role_of_index(role), org, label, req->now, &out, &seq,
					  &err);
	api_reply_dom(app, resp, rc, &err, out, seq, API_CREATED);
	json_object_put(body);
}

static void tokens_delete(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	api_delete(app, req, resp, api_tokens_revoke, args->ids[0]);
}

const struct route api_tokens_routes[] = {
    {HTTP_GET, "/api/v1/tokens", tokens_list_get},
    {HTTP_POST, "/api/v1/tokens", tokens_create_post},
    {HTTP_DELETE, "/api/v1/tokens/{id}", tokens_delete},
    {0},
};
