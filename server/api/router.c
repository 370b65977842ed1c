/* router: matches a request against the route tables and runs the handler; knows no resource. */
#include "api/router.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/errors.h"
#include "api/ratelimit.h"

static const struct route *const router_tables[] = {
    api_health_routes,	 api_auth_routes,	   api_tokens_routes,	     api_accounts_routes,
    api_orgs_routes,	 api_venues_routes,	   api_people_routes,	     api_events_routes,
    api_sessions_routes, api_registrations_routes, api_attendance_routes,    api_checkin_routes,
    api_calendar_routes, api_imports_routes,	   api_notifications_routes, api_pages_routes,
    api_exports_routes,
};

#define ROUTER_N_TABLES (sizeof(router_tables) / sizeof(router_tables[0]))

static int router_token_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Matches one path segment [s, s+slen) against a pattern segment [p, p+plen). */
static int router_segment(const char *p, size_t plen, const char *s, size_t slen, struct route_args *a)
{
	const char *close, *suffix;
	size_t suflen, vlen;
	char num[24];
	char *end;
	long long v;

	if (!plen || p[0] != '{')
		return plen == slen && !memcmp(p, s, plen);
	close = memchr(p, '}', plen);
	if (!close)
		return 0;
	suffix = close + 1;
	suflen = plen - (size_t)(suffix - p);
	if (slen <= suflen || memcmp(s + slen - suflen, suffix, suflen))
		return 0;
	vlen = slen - suflen;
	if (close - p >= 7 && !memcmp(close - 6, ":token", 6)) {
		if (vlen >= sizeof(a->tokens[0]) || a->n_tokens >= 2)
			return 0;
		for (size_t i = 0; i < vlen; i++)
			if (!router_token_char(s[i]))
				return 0;
		memcpy(a->tokens[a->n_tokens], s, vlen);
		a->tokens[a->n_tokens++][vlen] = '\0';
		return 1;
	}
	if (!vlen || vlen >= sizeof(num) || a->n_ids >= ROUTE_MAX_ARGS)
		return 0;
	for (size_t i = 0; i < vlen; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	memcpy(num, s, vlen);
	num[vlen] = '\0';
	errno = 0;
	v = strtoll(num, &end, 10);
	if (errno || v <= 0)
		return 0;
	a->ids[a->n_ids++] = v;
	return 1;
}

static int router_match(const char *pattern, const char *path, struct route_args *a)
{
	const char *p = pattern, *s = path;

	memset(a, 0, sizeof(*a));
	while (*p && *s) {
		const char *pe, *se;

		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		pe = strchr(p, '/');
		se = strchr(s, '/');
		if (!pe)
			pe = p + strlen(p);
		if (!se)
			se = s + strlen(s);
		if (!router_segment(p, (size_t)(pe - p), s, (size_t)(se - s), a))
			return 0;
		p = pe;
		s = se;
	}
	return !*p && !*s;
}

#define ROUTER_MAX_ROUTES 256

/* Length of each pattern's literal head (up to its first '{'), in table order: most routes are ruled out by
 * one memcmp before any segment is split. It describes the const route tables, not any service's state, so
 * it stays a file static shared by every app: written once, through router_literal_once by the first
 * router_dispatch of any thread (each instance's service thread, or a test's), and immutable afterwards. */
static size_t router_literal[ROUTER_MAX_ROUTES];
static pthread_once_t router_literal_once = PTHREAD_ONCE_INIT;

static void router_literal_init(void)
{
	size_t n = 0;

	for (size_t t = 0; t < ROUTER_N_TABLES; t++)
		for (const struct route *r = router_tables[t]; r->pattern; r++) {
			const char *brace = strchr(r->pattern, '{');

			if (n < ROUTER_MAX_ROUTES)
				router_literal[n++] =
				    brace ? (size_t)(brace - r->pattern) : strlen(r->pattern) + 1;
		}
}

/* Runs r's handler; a route that takes a token is refused to a client that got too many 404s from such
 * routes (before any lookup), and each 404 it answers counts for that client. */
static void router_run(struct app *app, const struct request *req, const struct route *r,
		       const struct route_args *args, struct response *resp)
{
	int64_t retry_after;
	char retry[24];

	if (!args->n_tokens) {
		r->fn(app, req, args, resp);
		return;
	}
	if (ratelimit_token_check(&app->limits, req->client, req->now, &retry_after)) {
		api_fail(resp, API_THROTTLED, NULL, "too many unknown links from this address; retry later");
		snprintf(retry, sizeof(retry), "%lld", (long long)retry_after);
		response_header(resp, "Retry-After", retry);
		return;
	}
	r->fn(app, req, args, resp);
	if (resp->status == api_status_of(API_NOT_FOUND))
		ratelimit_token_miss(&app->limits, req->client, req->now);
}

int router_dispatch(struct app *app, const struct request *req, struct response *resp)
{
	struct route_args args;
	size_t k = 0;
	enum http_method m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
	char allow[128] = "";
	size_t al = 0;

	pthread_once(&router_literal_once, router_literal_init);
	for (size_t t = 0; t < ROUTER_N_TABLES; t++) {
		for (const struct route *r = router_tables[t]; r->pattern; r++, k++) {
			/* the literal head (with its NUL for patterns without a capture) must match first */
			if (r->pattern[1] != req->path[1] || /* "/api/..." or "/calendar/...": most go here */
			    (k < ROUTER_MAX_ROUTES && strncmp(r->pattern, req->path, router_literal[k])))
				continue;
			if (!router_match(r->pattern, req->path, &args))
				continue;
			if (r->method == m) {
				args.route = r;
				router_run(app, req, r, &args, resp);
				return 1;
			}
			if (al < sizeof(allow) - 16)
				al += (size_t)snprintf(allow + al, sizeof(allow) - al, "%s%s", al ? ", " : "",
						       http_method_name(r->method));
		}
	}
	if (al) {
		if (strstr(allow, "GET"))
			snprintf(allow + al, sizeof(allow) - al, ", HEAD");
		api_fail(resp, API_METHOD_NOT_ALLOWED, NULL, "%s is not allowed on %s",
			 http_method_name(req->method), req->path);
		response_header(resp, "Allow", allow);
		return 0;
	}
	api_fail(resp, API_NOT_FOUND, NULL, "no such resource: %s", req->path);
	return 0;
}

void router_each(void (*fn)(void *ctx, enum http_method m, const char *pattern), void *ctx)
{
	for (size_t t = 0; t < ROUTER_N_TABLES; t++)
		for (const struct route *r = router_tables[t]; r->pattern; r++)
			fn(ctx, r->method, r->pattern);
}
