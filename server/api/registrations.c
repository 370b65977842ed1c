/*
 * registrations: HTTP handlers for registering to events, the personal link (/r/{token}) and the
 * organisers' list and decisions — parse, validate, one domain call, render; no SQL, no rules.
 */
#include <stdio.h>
#include <string.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/ratelimit.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/idempotency.h"
#include "domain/registrations.h"
#include "util/qr.h"

/* Personal data and secrets in an answer (also SVG tickets): never cached. (No Referer leaks: the
 * transport sends Referrer-Policy: no-referrer on every answer.) */
static void reg_private(struct response *resp)
{
	response_header(resp, "Cache-Control", "no-store");
}

/* POST /api/v1/events/{id}/registrations */
static void reg_create(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	static const char *const keys[] = {"name",  "name_ar", "sex",	  "nationality", "phone",
					   "email", "lang",    "consent", NULL};
	struct reg_input in = {0};
	struct reg_result res;
	struct json_object *o = NULL;
	struct jsonx_err jerr;
	struct dom_err err = {0};
	struct principal p = {0};

	if (api_auth(app, req, resp, &p, false))
		return;
	if (req->idempotency_key[0] && !idempotency_key_valid(req->idempotency_key)) {
		api_fail(resp, API_BAD_REQUEST, "invalid_idempotency_key",
			 "Idempotency-Key must be %d to %d characters of letters, digits, '-' and '_'",
			 IDEM_KEY_MIN, IDEM_KEY_MAX);
		return;
	}
	if (api_body(req, resp, &o))
		return;
	/* types only: the values are the domain's to check (registrations_create) */
	if (jsonx_only_keys(o, keys, &jerr) < 0 ||
	    jsonx_get_string(o, "name", true, NULL, &in.name, &jerr) < 0 ||
	    jsonx_get_string(o, "name_ar", false, NULL, &in.name_ar, &jerr) < 0 ||
	    jsonx_get_string(o, "sex", false, registrations_sexes, &in.sex, &jerr) < 0 ||
	    jsonx_get_string(o, "nationality", false, NULL, &in.nationality, &jerr) < 0 ||
	    jsonx_get_string(o, "phone", false, NULL, &in.phone, &jerr) < 0 ||
	    jsonx_get_string(o, "email", false, NULL, &in.email, &jerr) < 0 ||
	    jsonx_get_string(o, "lang", false, registrations_langs, &in.lang, &jerr) < 0) {
		api_fail_json(resp, &jerr);
		goto out;
	}
	switch (jsonx_get_bool(o, "consent", false, &in.consent, &jerr)) {
	case -1:
		api_fail_json(resp, &jerr);
		goto out;
	case 1:
		in.has_consent = true;
		break;
	default:
		break;
	}
	if (registrations_create(app->db, app->cfg->link_key, &p, args->ids[0], &in, req->idempotency_key,
				 req->now, &res, &err)) {
		api_fail_dom(resp, &err);
		goto out;
	}
	if (res.seq)
		app_changed(app, res.seq);
	api_reply(resp, res.outcome == IDEM_CREATED ? API_CREATED : API_OK, res.json);
	reg_private(resp);
	if (res.replayed)
		response_header(resp, "Idempotent-Replayed", "true");
out:
	json_object_put(o);
}

/* A lost-link request {"contact"} for event_id (0: every live registration of the contact, whatever the
 * event): the same 202 whether or not the contact is known; each request looked up counts against the
 * client's one lost-link budget (both routes share it), checked before any work. */
static void reg_lost_link_answer(struct app *app, const struct request *req, int64_t event_id,
				 struct response *resp)
{
	static const char *const keys[] = {"contact", NULL};
	struct reg_lost_link_input in = {0};
	struct json_object *o = NULL, *ans;
	struct jsonx_err jerr;
	struct dom_err err = {0};
	struct principal p = {0};
	int64_t retry_after, seq = 0;
	char retry[24];

	if (ratelimit_link_check(&app->limits, req->client, req->now, &retry_after)) {
		api_fail(resp, API_THROTTLED, NULL,
			 "too many lost-link requests from this address; retry later");
		snprintf(retry, sizeof(retry), "%lld", (long long)retry_after);
		response_header(resp, "Retry-After", retry);
		return;
	}
	if (api_auth(app, req, resp, &p, false))
		return;
	if (api_body(req, resp, &o))
		return;
	/* types only: the contact is the domain's to check (registrations_lost_link) */
	if (jsonx_only_keys(o, keys, &jerr) < 0 ||
	    jsonx_get_string(o, "contact", false, NULL, &in.contact, &jerr) < 0) {
		api_fail_json(resp, &jerr);
		goto out;
	}
	if (registrations_lost_link(app->db, &p, event_id, &in, req->now, &seq, &err)) {
		api_fail_dom(resp, &err);
		goto out;
	}
	ratelimit_link_count(&app->limits, req->client, req->now);
	if (seq)
		app_changed(app, seq);
	ans = json_object_new_object();
	json_object_object_add(ans, "accepted", json_object_new_boolean(1));
	api_reply(resp, API_ACCEPTED, ans);
	reg_private(resp);
out:
	json_object_put(o);
}

/* POST /api/v1/events/{id}/registrations/lost-link */
static void reg_lost_link(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	reg_lost_link_answer(app, req, args->ids[0], resp);
}

/* POST /api/v1/registrations/lost-link: from a broken personal link, which names no event */
static void reg_lost_link_any(struct app *app, const struct request *req, const struct route_args *args,
			      struct response *resp)
{
	(void)args;
	reg_lost_link_answer(app, req, 0, resp);
}

/* GET /api/v1/events/{id}/registrations?status=&limit=&offset= */
static void reg_list(struct app *app, const struct request *req, const struct route_args *args,
		     struct response *resp)
{
	api_status_list(app, req, resp, registrations_list, args->ids[0], 31);
}

/* GET /api/v1/r/{token} */
static void reg_link_get(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	struct dom_err err = {0};
	struct json_object *o = NULL;

	if (registrations_by_token(app->db, args->tokens[0], req->now, &o, &err)) {
		api_fail_dom(resp, &err);
		reg_private(resp);
		return;
	}
	api_reply(resp, API_OK, o);
	reg_private(resp);
}

/* GET /api/v1/r/{token}/ticket.svg: the QR ticket (its content is the token itself), for a confirmed
 * registration only — a waitlisted or cancelled person has no seat to show at the door. */
static void reg_link_ticket(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	struct dom_err err = {0};
	struct json_object *o = NULL, *st;
	bool confirmed;

	if (registrations_by_token(app->db, args->tokens[0], req->now, &o, &err)) {
		api_fail_dom(resp, &err);
		reg_private(resp);
		return;
	}
	confirmed =
	    json_object_object_get_ex(o, "status", &st) && !strcmp(json_object_get_string(st), "confirmed");
	json_object_put(o);
	reg_private(resp);
	if (!confirmed) {
		api_fail(resp, API_CONFLICT, "not_confirmed",
			 "a ticket exists only for a confirmed registration");
		return;
	}
	buf_reset(&resp->body);
	if (qr_svg(args->tokens[0], &resp->body)) {
		api_fail(resp, API_INTERNAL, NULL, "cannot draw the ticket");
		return;
	}
	api_reply_raw(resp, API_OK, "image/svg+xml");
}

static void reg_link_act(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp, enum reg_self_action action)
{
	struct dom_err err = {0};
	struct json_object *o = NULL;
	int64_t seq = 0;

	int rc;

	reg_private(resp);
	if (api_no_body(req, resp))
		return;
	rc = registrations_self(app->db, args->tokens[0], action, req->now, &o, &seq, &err);
	api_reply_dom(app, resp, rc, &err, o, seq, API_OK);
}

/* POST /api/v1/r/{token}/confirm */
static void reg_link_confirm(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	reg_link_act(app, req, args, resp, REG_SELF_CONFIRM);
}

/* POST /api/v1/r/{token}/decline */
static void reg_link_decline(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	reg_link_act(app, req, args, resp, REG_SELF_DECLINE);
}

/* POST /api/v1/r/{token}/cancel */
static void reg_link_cancel(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	reg_link_act(app, req, args, resp, REG_SELF_CANCEL);
}

static void reg_org_act(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp, enum reg_org_action action)
{
	struct principal p = {0};
	struct dom_err err = {0};
	struct json_object *o = NULL;
	int64_t seq = 0;
	int rc;

	if (api_action_begin(app, req, resp, registrations_org_writable, args->ids[0], &p))
		return;
	rc = registrations_org_action(app->db, &p, args->ids[0], action, req->now, &o, &seq, &err);
	api_reply_dom(app, resp, rc, &err, o, seq, API_OK);
}

/* POST /api/v1/registrations/{id}/approve */
static void reg_approve(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	reg_org_act(app, req, args, resp, REG_ORG_APPROVE);
}

/* POST /api/v1/registrations/{id}/reject */
static void reg_reject(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	reg_org_act(app, req, args, resp, REG_ORG_REJECT);
}

/* POST /api/v1/registrations/{id}/cancel */
static void reg_cancel(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	reg_org_act(app, req, args, resp, REG_ORG_CANCEL);
}

/* POST /api/v1/registrations/{id}/send-link */
static void reg_send_link(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	reg_org_act(app, req, args, resp, REG_ORG_SEND_LINK);
}

/* POST /api/v1/registrations/{id}/promote: no body, {} or {"raise_capacity": bool}. Rights are asked before
 * the body's fields are read (api_write_begin's order, with the body optional as for an action). */
static void reg_promote(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	static const char *const keys[] = {"raise_capacity", NULL};
	struct reg_promote_input in = {0};
	struct json_object *body = NULL, *o = NULL;
	struct principal p = {0};
	struct dom_err err = {0};
	struct jsonx_err jerr;
	int64_t seq = 0;
	int rc;

	if (api_auth(app, req, resp, &p, true) || (req->body_len && api_body(req, resp, &body)))
		return;
	rc = registrations_org_writable(app->db, &p, args->ids[0], &err);
	if (rc) {
		api_fail_dom(resp, &err);
		goto out;
	}
	if (body && (jsonx_only_keys(body, keys, &jerr) < 0 ||
		     jsonx_get_bool(body, "raise_capacity", false, &in.raise_capacity, &jerr) < 0)) {
		api_fail_json(resp, &jerr);
		goto out;
	}
	rc = registrations_org_promote(app->db, &p, args->ids[0], &in, req->now, &o, &seq, &err);
	api_reply_dom(app, resp, rc, &err, o, seq, API_OK);
out:
	json_object_put(body);
}

const struct route api_registrations_routes[] = {
    {HTTP_POST, "/api/v1/events/{id}/registrations", reg_create},
    {HTTP_GET, "/api/v1/events/{id}/registrations", reg_list},
    {HTTP_POST, "/api/v1/events/{id}/registrations/lost-link", reg_lost_link},
    {HTTP_POST, "/api/v1/registrations/lost-link", reg_lost_link_any},
    {HTTP_GET, "/api/v1/r/{token:token}", reg_link_get},
    {HTTP_GET, "/api/v1/r/{token:token}/ticket.svg", reg_link_ticket},
    {HTTP_POST, "/api/v1/r/{token:token}/confirm", reg_link_confirm},
    {HTTP_POST, "/api/v1/r/{token:token}/decline", reg_link_decline},
    {HTTP_POST, "/api/v1/r/{token:token}/cancel", reg_link_cancel},
    {HTTP_POST, "/api/v1/registrations/{id}/approve", reg_approve},
    {HTTP_POST, "/api/v1/registrations/{id}/reject", reg_reject},
    {HTTP_POST, "/api/v1/registrations/{id}/cancel", reg_cancel},
    {HTTP_POST, "/api/v1/registrations/{id}/send-link", reg_send_link},
    {HTTP_POST, "/api/v1/registrations/{id}/promote", reg_promote},
    {0},
};
