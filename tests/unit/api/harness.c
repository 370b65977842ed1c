/*
 * harness: drives the api in-process the way server/transport/http.c does (request fields filled, the body's
 * bytes checked once, router_dispatch, a deferred job run then finished) and hands back the response with
 * its JSON parsed; it knows no route and must not be linked into majlisd.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/errors.h"
#include "domain/api_tokens.h"
#include "harness.h"
#include "util/text.h"

/* The app's change sink: counts what the handlers announce. */
static void harness_changed(void *ctx, int64_t seq)
{
	struct harness *h = ctx;

	h->changed_seq = seq;
	h->n_changed++;
}

static void harness_token(struct harness *h, enum role role, int64_t org, char out[SECRET_TOKEN_LEN + 1])
{
	struct dom_err err = {0};
	int64_t id = 0;

	if (api_tokens_create(h->fx.db, role, org, "unit", h->fx.now, out, &id, &err))
		fail_msg("token: %s", err.message);
}

void harness_open(struct harness *h, const char *name, enum fixture_seed seed)
{
	memset(h, 0, sizeof(*h));
	fixture_open(&h->fx, name, seed);
	config_defaults(&h->cfg);
	h->app.cfg = &h->cfg;
	h->app.db = h->fx.db;
	h->app.sink.changed = harness_changed;
	h->app.sink.ctx = h;
	harness_token(h, ROLE_ADMIN, 0, h->admin);
	if (seed >= FIXTURE_ORGS) {
		harness_token(h, ROLE_ORGANISER, h->fx.org_a, h->organiser_a);
		harness_token(h, ROLE_ORGANISER, h->fx.org_b, h->organiser_b);
	}
}

void harness_close(struct harness *h)
{
	app_release(&h->app);
	fixture_close(&h->fx);
}

static void harness_copy(char *dst, size_t len, const char *src)
{
	if (!src)
		return;
	if (strlen(src) >= len)
		fail_msg("harness: %.40s... does not fit the request field (%zu bytes)", src, len);
	memcpy(dst, src, strlen(src) + 1);
}

/* Fills req from in as the transport would from the wire; req lives on the caller's stack. */
static void harness_request(struct harness *h, const struct harness_req *in, struct request *req)
{
	const char *q = strchr(in->path, '?');
	size_t plen = q ? (size_t)(q - in->path) : strlen(in->path);

	memset(req, 0, sizeof(*req));
	req->method = in->method;
	if (plen >= sizeof(req->path))
		fail_msg("harness: path too long");
	memcpy(req->path, in->path, plen);
	req->path[plen] = '\0';
	harness_copy(req->query, sizeof(req->query), q ? q + 1 : NULL);
	if (in->body)
		harness_copy(req->content_type, sizeof(req->content_type),
			     in->content_type ? in->content_type : "application/json");
	else
		harness_copy(req->content_type, sizeof(req->content_type), in->content_type);
	if (in->authorization) {
		harness_copy(req->authorization, sizeof(req->authorization), in->authorization);
	} else if (in->bearer) {
		if ((size_t)snprintf(req->authorization, sizeof(req->authorization), "Bearer %s",
				     in->bearer) >= sizeof(req->authorization))
			fail_msg("harness: bearer too long");
	}
	harness_copy(req->cookie, sizeof(req->cookie), in->cookie);
	harness_copy(req->csrf_token, sizeof(req->csrf_token), in->csrf_token);
	harness_copy(req->origin, sizeof(req->origin), in->origin);
	harness_copy(req->idempotency_key, sizeof(req->idempotency_key), in->idempotency_key);
	harness_copy(req->client, sizeof(req->client), in->client ? in->client : "127.0.0.1");
	harness_copy(req->host, sizeof(req->host), "127.0.0.1");
	req->body = in->body;
	req->body_len = in->body ? strlen(in->body) : 0;
	req->now = h->fx.now;
}

void harness_call(struct harness *h, const struct harness_req *in, struct harness_resp *out)
{
	struct request req;
	const char *why, *bytes;
	size_t len;

	memset(out, 0, sizeof(*out));
	harness_request(h, in, &req);
	response_init(&out->resp);
	why = req.body ? text_body_problem(req.body, req.body_len,
					   strncmp(req.content_type, "text/calendar", 13) != 0)
		       : NULL;
	if (why) {
		api_fail(&out->resp, API_BAD_REQUEST, NULL, "%s", why);
	} else {
		out->routed = router_dispatch(&h->app, &req, &out->resp);
		if (out->resp.defer) { /* the worker thread's part, then the service thread's */
			struct defer *d = out->resp.defer;

			out->resp.defer = NULL;
			out->deferred = true;
			d->run(d);
			d->finish(&h->app, &req, d, &out->resp);
			d->release(d);
			if (out->resp.defer)
				fail_msg("harness: a handler deferred twice");
		}
	}
	out->status = out->resp.status;
	bytes = out->resp.shared ? out->resp.shared : out->resp.body.data;
	len = out->resp.shared ? out->resp.shared_len : out->resp.body.len;
	if (bytes && len && out->resp.content_type &&
	    !strncmp(out->resp.content_type, "application/json", 16)) {
		struct json_tokener *tok = json_tokener_new();

		out->json = json_tokener_parse_ex(tok, bytes, (int)len);
		if (!out->json || json_tokener_get_error(tok) != json_tokener_success)
			fail_msg("harness: %s %s answered JSON that does not parse: %.*s",
				 http_method_name(in->method), in->path, (int)len, bytes);
		json_tokener_free(tok);
	}
}

void harness_resp_free(struct harness_resp *r)
{
	json_object_put(r->json);
	r->json = NULL;
	response_free(&r->resp);
}

const char *harness_header(const struct harness_resp *r, const char *name)
{
	for (int i = 0; i < r->resp.n_headers; i++)
		if (!strcasecmp(r->resp.headers[i].name, name))
			return r->resp.headers[i].value;
	return NULL;
}

struct json_object *harness_json_at(const struct harness_resp *r, ...)
{
	struct json_object *o = r->json;
	const char *key;
	va_list ap;

	va_start(ap, r);
	for (key = va_arg(ap, const char *); o && key; key = va_arg(ap, const char *))
		if (!json_object_object_get_ex(o, key, &o))
			o = NULL;
	va_end(ap);
	return o;
}

const char *harness_error_code(const struct harness_resp *r)
{
	struct json_object *c = harness_json_at(r, "error", "code", NULL);

	return c ? json_object_get_string(c) : NULL;
}
