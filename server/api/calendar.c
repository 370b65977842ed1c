/*
 * calendar: HTTP handlers for the iCalendar feeds (/calendar/..., and a participant's own
 * /api/v1/r/{token}/event.ics) with their validators and conditional answers, and for
 * /api/v1/calendar-tokens; parse, authenticate, one domain call, render — no SQL, no feed rules, and never
 * a token in a log line.
 */
#include <stdio.h>
#include <string.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/conditional.h"
#include "api/errors.h"
#include "api/freebusy.h"
#include "api/reply.h"
#include "api/router.h"
#include "api/feed_cache.h"
#include "domain/calendar_tokens.h"
#include "domain/feeds.h"
#include "domain/registrations.h"
#include "util/buf.h"
#include "util/jsonx.h"
#include "util/qr.h"
#include "util/secret.h"

#define CAL_CONTENT_TYPE "text/calendar; charset=utf-8"
#define CAL_CITY_MAX	 101
#define CAL_QR_URL_MAX	 600	     /* characters of a feed URL to draw as a QR code */
#define CAL_QR_SVG_MAX	 (64 * 1024) /* bytes of its SVG (a 600-character URL takes about 30 KiB) */

/* ?lang=fr|ar|en. Returns 1 given, 0 absent (fr), -1 with a 400 filled. */
static int cal_lang(const struct request *req, struct response *resp, enum feed_lang *lang)
{
	char v[8];
	int rc = api_query_text(req, resp, "lang", v, sizeof(v));

	*lang = FEED_LANG_FR;
	if (rc <= 0)
		return rc;
	if (feed_lang_parse(v, lang)) {
		api_fail(resp, API_BAD_REQUEST, "invalid_query",
			 "query parameter 'lang' must be fr, ar or en");
		return -1;
	}
	return 1;
}

/* Answers the feed ref names (rc: how naming it went): the domain error, 304, or the cached bytes handed
 * to the transport without a copy (the view's reference passes to the response, released when it has
 * been written). */
static void cal_serve(struct app *app, const struct request *req, struct response *resp, int rc,
		      const struct feeds_ref *ref, struct dom_err *e, bool secret)
{
	char date[API_HTTP_DATE_LEN];
	struct feed_view v;

	rc = rc ? rc : feed_cache_get(app->feeds, app->db, app->cfg, ref, req->now, &v, e);
	if (rc) {
		api_fail_dom(resp, e);
		return;
	}
	response_header(resp, "ETag", v.etag);
	api_http_date(v.last_modified, date);
	if (date[0])
		response_header(resp, "Last-Modified", date);
	/* secret feeds must not sit in shared caches; every client revalidates (cheap: 304) */
	response_header(resp, "Cache-Control", secret ? "private, no-cache" : "public, no-cache");
	if (api_not_modified(req, v.etag, v.last_modified)) {
		feed_blob_release(v.blob);
		api_reply_raw(resp, API_NOT_MODIFIED, CAL_CONTENT_TYPE);
		return;
	}
	resp->shared = v.data;
	resp->shared_len = v.len;
	resp->release = feed_blob_release;
	resp->shared_ctx = v.blob;
	resp->shared_headroom = v.headroom;
	resp->shared_fd = v.fd;
	api_reply_raw(resp, API_OK, CAL_CONTENT_TYPE);
}

static void cal_public(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	char city[CAL_CITY_MAX], type[32];
	struct feeds_filter f = {0};
	struct feeds_ref ref;
	struct dom_err e = {0};
	enum feed_lang lang;
	int has_city, has_type, rc;

	(void)args;
	has_city = api_query_text(req, resp, "city", city, sizeof(city));
	if (has_city < 0)
		return;
	has_type = api_query_text(req, resp, "type", type, sizeof(type));
	if (has_type < 0 || api_query_id(req, resp, "org", &f.org_id) < 0 || cal_lang(req, resp, &lang) < 0)
		return;
	f.city = has_city > 0 && city[0] ? city : NULL;
	f.type = has_type > 0 && type[0] ? type : NULL;
	rc = feeds_public(&f, lang, &ref, &e);
	cal_serve(app, req, resp, rc, &ref, &e, false);
}

static void cal_event(struct app *app, const struct request *req, const struct route_args *args,
		      struct response *resp)
{
	struct principal p = {0};
	struct feeds_ref ref;
	struct dom_err e = {0};
	enum feed_lang lang;
	int rc;

	if (cal_lang(req, resp, &lang) < 0 || api_auth(app, req, resp, &p, false))
		return;
	rc = feeds_event(app->db, &p, args->ids[0], lang, &ref, &e);
	cal_serve(app, req, resp, rc, &ref, &e, p.role != ROLE_NONE);
}

static void cal_token_feed(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	struct feeds_ref ref;
	struct dom_err e = {0};
	enum feed_lang lang;
	int has_lang, rc;

	has_lang = cal_lang(req, resp, &lang);
	if (has_lang < 0)
		return;
	rc = feeds_by_token(app->db, args->tokens[0], has_lang > 0, lang, &ref, &e);
	cal_serve(app, req, resp, rc, &ref, &e, true);
}

/* GET /api/v1/r/{token}/event.ics: the calendar of a participant's own registration, reachable with their
 * personal link whatever the event's visibility (the page's "add to calendar"); the same 404 as the page
 * for a link it does not know. */
static void cal_registration(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	struct feeds_ref ref;
	struct dom_err e = {0};
	enum feed_lang lang;
	int has_lang, rc;

	has_lang = cal_lang(req, resp, &lang);
	if (has_lang < 0)
		return;
	rc = registrations_calendar(app->db, args->tokens[0], has_lang > 0, lang, &ref, &e);
	cal_serve(app, req, resp, rc, &ref, &e, true);
}

/* Answers a new feed token: the row, the secret (shown this once) and its URLs (url over http(s) and
 * webcal_url), built from the configuration only (config_base_url), never from the request. */
static void cal_token_reply(struct app *app, struct response *resp, char token[SECRET_TOKEN_LEN + 1],
			    struct json_object *out, int64_t seq)
{
	char base[300], url[512];
	const char *rest;

	config_base_url(app->cfg, base, sizeof(base));
	json_object_object_add(out, "token", json_object_new_string(token));
	snprintf(url, sizeof(url), "%s/calendar/feed/%s.ics", base, token);
	json_object_object_add(out, "url", json_object_new_string(url));
	rest = strstr(base, "://");
	snprintf(url, sizeof(url), "webcal://%s/calendar/feed/%s.ics", rest ? rest + 3 : base, token);
	json_object_object_add(out, "webcal_url", json_object_new_string(url));
	memset(token, 0, SECRET_TOKEN_LEN + 1);
	memset(url, 0, sizeof(url));
	app_changed(app, seq);
	api_reply(resp, API_CREATED, out);
}

/* Reads a calendar token body into in (strings borrowed from body): known keys only, owner_kind one of
 * calendar_tokens_owner_kinds, owner_id a positive integer, label one line of text. 0 or -1 with je. */
static int cal_token_parse(struct json_object *body, struct calendar_tokens_input *in, struct jsonx_err *je)
{
	static const char *const keys[] = {"owner_kind", "owner_id", "label", NULL};
	int kind = -1, rc;

	memset(in, 0, sizeof(*in));
	if (jsonx_only_keys(body, keys, je) ||
	    jsonx_get_enum(body, "owner_kind", false, calendar_tokens_owner_kinds, &kind, je) < 0)
		return -1;
	in->owner_kind = kind >= 0 ? calendar_tokens_owner_kinds[kind] : NULL;
	rc = jsonx_get_int(body, "owner_id", false, 1, INT64_MAX, &in->owner_id, je);
	if (rc < 0)
		return -1;
	in->has_owner_id = rc == 1;
	if (jsonx_get_str(body, "label", false, JSONX_LINE, CALENDAR_TOKENS_LABEL_MAX, &in->label, je) < 0)
		return -1;
	return 0;
}

static void cal_token_create(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	struct json_object *body = NULL, *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	char token[SECRET_TOKEN_LEN + 1];
	struct calendar_tokens_input in;
	struct jsonx_err je;
	int64_t seq = 0;

	(void)args;
	if (api_write_begin(app, req, resp, calendar_tokens_writable, 0, &p, &body))
		return;
	if (cal_token_parse(body, &in, &je))
		api_fail_json(resp, &je);
	else if (calendar_tokens_create(app->db, &p, &in, req->now, token, &out, &seq, &e))
		api_fail_dom(resp, &e);
	else
		cal_token_reply(app, resp, token, out, seq);
	json_object_put(body);
}

/* POST /api/v1/calendar-tokens/{id}/rotate: a new secret URL for the same feed, the old one stops. */
static void cal_token_rotate(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	struct json_object *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	char token[SECRET_TOKEN_LEN + 1];
	int64_t seq = 0;

	if (api_action_begin(app, req, resp, calendar_tokens_writable, args->ids[0], &p))
		return;
	if (calendar_tokens_rotate(app->db, &p, args->ids[0], req->now, token, &out, &seq, &e))
		api_fail_dom(resp, &e);
	else
		cal_token_reply(app, resp, token, out, seq);
}

static void cal_token_list(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	struct json_object *items = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t limit, offset, total = 0;

	(void)args;
	if (api_auth(app, req, resp, &p, true) || api_page(req, resp, &limit, &offset))
		return;
	if (calendar_tokens_list(app->db, &p, limit, offset, &items, &total, &e)) {
		api_fail_dom(resp, &e);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

static void cal_token_revoke(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	api_delete(app, req, resp, calendar_tokens_revoke, args->ids[0]);
}

/* The secret in url, a feed URL of this server, into token ("" for the public feed): url is the base of
 * every link (config_base_url) or webcal:// and its host, then /calendar/public.ics,
 * /calendar/feed/<token>.ics or /calendar/freebusy/<token>.ifb, then an optional query of URL characters.
 * Returns 0, or -1 when url is no such URL. */
static int cal_qr_feed(const struct config *cfg, const char *url, char token[SECRET_TOKEN_LEN + 1])
{
	static const char pub[] = "/calendar/public.ics", feed[] = "/calendar/feed/",
			  busy[] = "/calendar/freebusy/";
	char base[300];
	const char *host, *path, *q, *t = NULL;
	size_t n;

	token[0] = '\0';
	for (q = url; *q; q++)
		if (*q <= ' ' || *q > '~')
			return -1;
	config_base_url(cfg, base, sizeof(base));
	host = strstr(base, "://");
	host = host ? host + 3 : base;
	if (!strncmp(url, base, strlen(base)))
		path = url + strlen(base);
	else if (!strncmp(url, "webcal://", 9) && !strncmp(url + 9, host, strlen(host)))
		path = url + 9 + strlen(host);
	else
		return -1;
	q = strchr(path, '?');
	n = q ? (size_t)(q - path) : strlen(path);
	if (q && strchr(q + 1, '?'))
		return -1;
	if (n == sizeof(pub) - 1 && !strncmp(path, pub, n))
		return 0;
	if (n == sizeof(feed) - 1 + SECRET_TOKEN_LEN + 4 && !strncmp(path, feed, sizeof(feed) - 1) &&
	    !strncmp(path + n - 4, ".ics", 4))
		t = path + sizeof(feed) - 1;
	else if (n == sizeof(busy) - 1 + SECRET_TOKEN_LEN + 4 && !strncmp(path, busy, sizeof(busy) - 1) &&
		 !strncmp(path + n - 4, ".ifb", 4))
		t = path + sizeof(busy) - 1;
	if (!t)
		return -1;
	memcpy(token, t, SECRET_TOKEN_LEN);
	token[SECRET_TOKEN_LEN] = '\0';
	return secret_token_valid(token) ? 0 : -1;
}

/* POST /api/v1/calendar-tokens/qr {"url"}: a QR code (SVG) of a feed URL of this server that the caller
 * may hand out — the public feed (any filters), or a secret feed whose token the caller answers for (any
 * other token is a 404, as one that does not exist) — so that a phone opens it. Writes nothing. */
static void cal_token_qr(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	static const char *const keys[] = {"url", NULL};
	struct json_object *body = NULL, *out = NULL;
	char token[SECRET_TOKEN_LEN + 1] = "";
	struct principal p = {0};
	struct dom_err e = {0};
	struct jsonx_err je;
	const char *url = NULL;
	struct buf svg;

	(void)args;
	buf_init(&svg, CAL_QR_SVG_MAX);
	if (api_write_begin(app, req, resp, calendar_tokens_qr_allowed, 0, &p, &body))
		goto out;
	if (jsonx_only_keys(body, keys, &je) || jsonx_get_string(body, "url", true, NULL, &url, &je) < 0) {
		api_fail_json(resp, &je);
		goto out;
	}
	if (strlen(url) > CAL_QR_URL_MAX || cal_qr_feed(app->cfg, url, token)) {
		api_fail(
		    resp, API_BAD_REQUEST, "invalid_field",
		    "field 'url' must be a calendar feed of this server (public, or a secret feed's URL)");
		goto out;
	}
	if (token[0] && calendar_tokens_owned(app->db, &p, token, &e)) {
		api_fail_dom(resp, &e);
		goto out;
	}
	if (qr_svg(url, &svg) || !svg.len) {
		api_fail(resp, API_INTERNAL, NULL, "cannot draw the QR code");
		goto out;
	}
	out = json_object_new_object();
	json_object_object_add(out, "url", json_object_new_string(url));
	json_object_object_add(out, "svg", json_object_new_string(svg.data));
	response_header(resp, "Cache-Control", "no-store");
	api_reply(resp, API_OK, out);
out:
	secret_wipe(token, sizeof(token));
	buf_free(&svg);
	json_object_put(body);
}

const struct route api_calendar_routes[] = {
    {HTTP_GET, "/calendar/public.ics", cal_public},
    {HTTP_GET, "/calendar/events/{id}.ics", cal_event},
    {HTTP_GET, "/calendar/feed/{token:token}.ics", cal_token_feed},
    {HTTP_GET, "/calendar/freebusy/{token:token}.ifb", api_freebusy_get},
    {HTTP_GET, "/api/v1/r/{token:token}/event.ics", cal_registration},
    {HTTP_POST, "/api/v1/calendar-tokens", cal_token_create},
    {HTTP_GET, "/api/v1/calendar-tokens", cal_token_list},
    {HTTP_DELETE, "/api/v1/calendar-tokens/{id}", cal_token_revoke},
    {HTTP_POST, "/api/v1/calendar-tokens/{id}/rotate", cal_token_rotate},
    {HTTP_POST, "/api/v1/calendar-tokens/qr", cal_token_qr},
    {0},
};
