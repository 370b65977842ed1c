/* reply: the shared handler tails (domain result, list page, authenticated JSON write); no resource
 * knowledge. */
#include "api/reply.h"

#include "api/auth.h"
#include "api/body.h"

void api_reply_list(struct response *resp, struct json_object *items, int64_t total, int64_t limit,
		    int64_t offset)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "items", items);
	json_object_object_add(o, "total", json_object_new_int64(total));
	json_object_object_add(o, "limit", json_object_new_int64(limit));
	json_object_object_add(o, "offset", json_object_new_int64(offset));
	api_reply(resp, API_OK, o);
}

void api_reply_dom(struct app *app, struct response *resp, int rc, const struct dom_err *e,
		   struct json_object *out, int64_t seq, enum api_ok ok)
{
	if (rc) {
		api_fail_dom(resp, e);
		return;
	}
	app_changed(app, seq);
	api_reply(resp, ok, out);
}

void api_json_write(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		    api_create_fn create, api_write_fn write, int64_t id, enum api_ok ok)
{
	struct json_object *body = NULL, *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	if (api_auth(app, req, resp, &p, true) || api_body(req, resp, &body))
		return;
	rc = rights ? rights(app->db, &p, create ? 0 : id, &e) : DOM_OK;
	if (!rc)
		rc = create ? create(app->db, &p, body, req->now, &out, &seq, &e)
			    : write(app->db, &p, id, body, req->now, &out, &seq, &e);
	api_reply_dom(app, resp, rc, &e, out, seq, ok);
	json_object_put(body);
}
