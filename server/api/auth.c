/*
 * auth (api): POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me and api_auth(),
 * which turns a bearer token or a session cookie into a principal and enforces Origin + CSRF on
 * cookie writes; no SQL and no rules here, and no secret, email or cookie is ever logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/ratelimit.h"
#include "api/router.h"
#include "domain/accounts.h"
#include "domain/auth.h"
#include "domain/login.h"
#include "util/jsonx.h"

#define API_AUTH_LOGIN_PASSWORD_MAX 1024 /* characters accepted at login (creation allows fewer) */

static bool api_auth_is_write(enum http_method m)
{
	return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH || m == HTTP_DELETE;
}

bool api_auth_origin_ok(const struct app *app, const struct request *req)
{
	const char *pub = app->cfg ? app->cfg->public_url : "";
	char expect[300];
	const char *scheme_end, *path;
	size_t n;
	int w;

	if (!req->origin[0])
		return false;
	if (pub[0]) {
		scheme_end = strstr(pub, "://");
		if (scheme_end) {
			path = strchr(scheme_end + 3, '/');
			n = path ? (size_t)(path - pub) : strlen(pub);
			if (strlen(req->origin) == n && !strncasecmp(req->origin, pub, n))
				return true;
		}
	}
	if (!req->host[0])
		return false;
	w = snprintf(expect, sizeof(expect), "%s://%s", req->tls ? "https" : "http", req->host);
	return w > 0 && (size_t)w < sizeof(expect) && !strcasecmp(req->origin, expect);
}

const char *api_auth_cookie_name(const struct request *req)
{
	return req->tls ? AUTH_SESSION_COOKIE_TLS : AUTH_SESSION_COOKIE;
}

/* A token as secret_token_new makes them: SECRET_TOKEN_LEN characters of [A-Za-z0-9_-]. */
static bool api_auth_token_shape(const char *t)
{
	size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

	return n == SECRET_TOKEN_LEN && !t[n];
}

int api_auth(struct app *app, const struct request *req, struct response *resp, struct principal *p,
	     bool required)
{
	char sid[128];
	struct auth_session s;
	struct dom_err err;
	const char *tok;

	memset(p, 0, sizeof(*p));
	if (req->authorization[0]) {
		if (strncasecmp(req->authorization, "Bearer ", 7)) {
			api_fail(resp, API_UNAUTHENTICATED, "invalid_token",
				 "send 'Authorization: Bearer <token>'");
			return -1;
		}
		tok = req->authorization + 7;
		while (*tok == ' ')
			tok++;
		if (!api_auth_token_shape(tok)) {
			api_fail(resp, API_UNAUTHENTICATED, "invalid_token", "the bearer token is not valid");
			return -1;
		}
		if (auth_token_resolve(app->db, tok, p, &err)) {
			memset(p, 0, sizeof(*p));
			api_fail_dom(resp, &err);
			return -1;
		}
		return 0;
	}
	if (request_cookie(req, api_auth_cookie_name(req), sid, sizeof(sid)) == 1 && sid[0]) {
		if (auth_session_resolve(app->db, sid, req->now, app->cfg ? app->cfg->session_idle_s : 1800,
					 app->cfg ? app->cfg->session_absolute_s : 43200, p, &s, &err)) {
			memset(p, 0, sizeof(*p));
			if (required || err.code != DOM_UNAUTHENTICATED) {
				api_fail_dom(resp, &err);
				return -1;
			}
			return 0;
		}
		if (api_auth_is_write(req->method) &&
		    (!api_auth_origin_ok(app, req) || !auth_csrf_ok(&s, req->csrf_token))) {
			memset(p, 0, sizeof(*p));
			api_fail(resp, API_FORBIDDEN, "csrf_failed",
				 "a write with a session cookie needs this site's Origin and the "
				 "X-CSRF-Token header");
			return -1;
		}
		return 0;
	}
	if (required) {
		api_fail(resp, API_UNAUTHENTICATED, NULL, "log in or send a bearer token");
		return -1;
	}
	return 0;
}

/* Set-Cookie for the session: value, or clearing it when value is NULL. */
static void api_auth_cookie(struct response *resp, const struct request *req, const char *value)
{
	char v[256];

	snprintf(v, sizeof(v), "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", api_auth_cookie_name(req),
		 value ? value : "", value ? "" : "; Max-Age=0", req->tls ? "; Secure" : "");
	response_header(resp, "Set-Cookie", v);
	memset(v, 0, sizeof(v));
}

/* A login waiting for its password check on the worker thread. */
struct auth_login_defer {
	struct defer d;
	struct login_job *job;
	char old[128];		  /* the session cookie presented, ended at login */
	char client[48];	  /* the peer address, whose login in flight ends with this */
	struct ratelimit *limits; /* the app's, where that login is counted */
};

static void auth_login_run(struct defer *d)
{
	struct auth_login_defer *ld = (struct auth_login_defer *)d;

	login_check(ld->job);
}

static void auth_login_finish_cb(struct app *app, const struct request *req, struct defer *d,
				 struct response *resp)
{
	struct auth_login_defer *ld = (struct auth_login_defer *)d;
	struct login_result out;
	struct dom_err err;
	struct json_object *o;

	if (login_finish(app->db, ld->job, ld->old, req->now, &out, &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "account", out.account);
	jsonx_add_str(o, "csrf_token", out.csrf);
	api_reply(resp, API_OK, o);
	api_auth_cookie(resp, req, out.session);
	memset(out.session, 0, sizeof(out.session));
	memset(out.csrf, 0, sizeof(out.csrf));
	app_changed(app, out.seq);
}

static void auth_login_release(struct defer *d)
{
	struct auth_login_defer *ld = (struct auth_login_defer *)d;

	login_job_free(ld->job);
	ratelimit_login_done(ld->limits, ld->client);
	memset(ld->old, 0, sizeof(ld->old));
	free(ld);
}

/* POST /api/v1/auth/login: validation and throttling here (per client address first, then per account);
 * the PBKDF2 check runs on the worker thread (struct defer) so that the service thread never waits
 * ~0.3 s for it. */
static void auth_login_post(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	static const char *const keys[] = {"email", "password", NULL};
	struct json_object *body = NULL;
	const char *email = NULL, *password = NULL;
	struct auth_login_defer *ld;
	struct jsonx_err jerr;
	struct dom_err err;
	int64_t retry_after = 0;
	char retry[24];

	(void)args;
	if (req->origin[0] && !api_auth_origin_ok(app, req)) {
		api_fail(resp, API_FORBIDDEN, "csrf_failed", "a login must come from this site");
		return;
	}
	/* before any work: one client's flood must not fill the password workers' queue for others */
	if (ratelimit_login_begin(&app->limits, req->client, req->now, &retry_after)) {
		api_fail(resp, API_THROTTLED, NULL, "too many logins from this address; retry shortly");
		snprintf(retry, sizeof(retry), "%lld", (long long)retry_after);
		response_header(resp, "Retry-After", retry);
		return;
	}
	if (api_body(req, resp, &body))
		goto out;
	if (jsonx_only_keys(body, keys, &jerr) ||
	    jsonx_get_str(body, "email", true, JSONX_EMAIL, 254, &email, &jerr) < 0 ||
	    jsonx_get_str(body, "password", true, JSONX_SECRET, API_AUTH_LOGIN_PASSWORD_MAX, &password,
			  &jerr) < 0) {
		api_fail_json(resp, &jerr);
		goto out;
	}
	ld = calloc(1, sizeof(*ld));
	if (!ld) {
		api_fail(resp, API_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if (login_begin(app->db, email, password, req->now, &ld->job, &retry_after, &err)) {
		free(ld);
		api_fail_dom(resp, &err);
		if (err.code == DOM_THROTTLED) {
			snprintf(retry, sizeof(retry), "%lld", (long long)retry_after);
			response_header(resp, "Retry-After", retry);
		}
		goto out;
	}
	if (request_cookie(req, api_auth_cookie_name(req), ld->old, sizeof(ld->old)) != 1)
		ld->old[0] = '\0';
	snprintf(ld->client, sizeof(ld->client), "%s", req->client);
	ld->limits = &app->limits;
	ld->d.run = auth_login_run;
	ld->d.finish = auth_login_finish_cb;
	ld->d.release = auth_login_release;
	resp->defer = &ld->d; /* its release ends the login in flight */
out:
	if (!resp->defer)
		ratelimit_login_done(&app->limits, req->client);
	json_object_put(body);
}

static void auth_logout_post(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	struct principal p;
	struct dom_err err;
	char sid[128];
	int64_t seq = 0;

	(void)args;
	if (api_auth(app, req, resp, &p, true) || api_no_body(req, resp))
		return;
	if (!p.via_cookie || request_cookie(req, api_auth_cookie_name(req), sid, sizeof(sid)) != 1) {
		api_fail(resp, API_BAD_REQUEST, NULL,
			 "only a browser session logs out; revoke a token instead");
		return;
	}
	if (login_logout(app->db, sid, req->now, &seq, &err)) {
		api_fail_dom(resp, &err);
	} else {
		api_reply(resp, API_NO_CONTENT, NULL);
		api_auth_cookie(resp, req, NULL);
		app_changed(app, seq);
	}
	memset(sid, 0, sizeof(sid));
}

static void auth_me_get(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	struct json_object *o;
	struct principal p;
	struct dom_err err;

	(void)args;
	if (api_auth(app, req, resp, &p, true))
		return;
	if (accounts_me(app->db, &p, &o, &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	api_reply(resp, API_OK, o);
}

const struct route api_auth_routes[] = {
    {HTTP_POST, "/api/v1/auth/login", auth_login_post},
    {HTTP_POST, "/api/v1/auth/logout", auth_logout_post},
    {HTTP_GET, "/api/v1/auth/me", auth_me_get},
    {0},
};
