/* reply: the shared handler tails (domain result, list page, read, list by status, JSON write, action,
 * deletion), rights before the body; no resource knowledge. */
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

int api_invalid(struct dom_err *err, const struct jsonx_err *je)
{
	return dom_fail(err, DOM_INVALID, je->code ? je->code : "invalid_json", "%s", je->message);
}

/* Asks rights (when not NULL) whether p may write id: 0, or -1 with the refusal in resp. */
static int api_rights(struct app *app, struct response *resp, api_rights_fn rights, int64_t id,
		      const struct principal *p)
{
	struct dom_err e = {0};

	if (!rights || !rights(app->db, p, id, &e))
		return 0;
	api_fail_dom(resp, &e);
	return -1;
}

int api_write_begin(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		    int64_t id, struct principal *p, struct json_object **body)
{
	*body = NULL;
	if (api_auth(app, req, resp, p, true) || api_body(req, resp, body))
		return -1;
	if (!api_rights(app, resp, rights, id, p))
		return 0;
	json_object_put(*body);
	*body = NULL;
	return -1;
}

void api_json_write(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		    api_write_fn write, int64_t id, bool create)
{
	struct json_object *body = NULL, *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	if (api_write_begin(app, req, resp, rights, id, &p, &body))
		return;
	rc = write(app->db, &p, id, create, body, req->now, &out, &seq, &e);
	api_reply_dom(app, resp, rc, &e, out, seq, create ? API_CREATED : API_OK);
	json_object_put(body);
}

int api_action_begin(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		     int64_t id, struct principal *p)
{
	struct json_object *body = NULL;
	int rc;

	if (api_auth(app, req, resp, p, true) || (req->body_len && api_body(req, resp, &body)))
		return -1;
	rc = api_rights(app, resp, rights, id, p);
	rc = rc ? rc : api_body_empty(body, resp);
	json_object_put(body);
	return rc;
}

void api_action(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		api_action_fn act, int64_t id, enum api_ok ok)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	if (api_action_begin(app, req, resp, rights, id, &p))
		return;
	rc = act(app->db, &p, id, req->now, &out, &seq, &e);
	api_reply_dom(app, resp, rc, &e, out, seq, ok);
}

void api_delete(struct app *app, const struct request *req, struct response *resp, api_delete_fn del,
		int64_t id)
{
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	if (api_auth(app, req, resp, &p, true))
		return;
	rc = del(app->db, &p, id, req->now, &seq, &e);
	api_reply_dom(app, resp, rc, &e, NULL, seq, API_NO_CONTENT);
}

void api_get(struct app *app, const struct request *req, struct response *resp, api_get_fn get, int64_t id,
	     bool required)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int rc;

	if (api_auth(app, req, resp, &p, required))
		return;
	rc = get(app->db, &p, id, &out, &e);
	api_reply_dom(app, resp, rc, &e, out, 0, API_OK);
}

void api_status_list(struct app *app, const struct request *req, struct response *resp, api_list_fn list,
		     int64_t id, size_t status_max)
{
	struct json_object *items = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t limit, offset, total = 0;
	char status[32];
	int has_status;

	if (api_auth(app, req, resp, &p, true) || api_page(req, resp, &limit, &offset))
		return;
	has_status = api_query_text(req, resp, "status", status,
				    status_max + 1 < sizeof(status) ? status_max + 1 : sizeof(status));
	if (has_status < 0)
		return;
	if (list(app->db, &p, id, has_status ? status : NULL, limit, offset, &items, &total, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
	response_header(resp, "Cache-Control", "no-store");
}
