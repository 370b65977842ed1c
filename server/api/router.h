/*
 * router: the single table from (method, path pattern) to handler; patterns use {name} for a
 * positive integer id and {name:token} for a URL-safe token, optionally followed by a suffix
 * such as ".ics". It knows no resource.
 */
#ifndef MAJLIS_API_ROUTER_H
#define MAJLIS_API_ROUTER_H

#include <stdint.h>

#include "api/app.h"
#include "api/request.h"

#define ROUTE_MAX_ARGS 4

struct route;

/* Values captured from the path, in pattern order, and the route that matched (its row of its table: a
 * handler that serves several routes finds there which one). Lives on the dispatcher's stack. */
struct route_args {
	int n_ids;
	int64_t ids[ROUTE_MAX_ARGS];
	int n_tokens;
	char tokens[2][128];
	const struct route *route;
};

typedef void (*route_fn)(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp);

struct route {
	enum http_method method; /* HEAD is served by the GET route, body dropped by the transport */
	const char *pattern;	 /* "/api/v1/events/{id}/sessions" */
	route_fn fn;
};

/* Each resource file exports one table ending with { 0 } and router.c lists them. */
extern const struct route api_health_routes[];
extern const struct route api_auth_routes[];
extern const struct route api_tokens_routes[];
extern const struct route api_accounts_routes[];
extern const struct route api_orgs_routes[];
extern const struct route api_venues_routes[];
extern const struct route api_people_routes[];
extern const struct route api_events_routes[];
extern const struct route api_sessions_routes[];
extern const struct route api_registrations_routes[];
extern const struct route api_attendance_routes[];
extern const struct route api_checkin_routes[];
extern const struct route api_calendar_routes[];
extern const struct route api_imports_routes[];
extern const struct route api_notifications_routes[];
extern const struct route api_pages_routes[];
extern const struct route api_exports_routes[];

/* Finds the route for req and runs it, filling resp; unknown paths get 404 and known paths with
 * another method 405 (with Allow). Returns 1 if a route matched, 0 otherwise. Service thread only. */
int router_dispatch(struct app *app, const struct request *req, struct response *resp);

/* Every route of every table, for the docs consistency test: calls fn(method, pattern) for each. */
void router_each(void (*fn)(void *ctx, enum http_method m, const char *pattern), void *ctx);

#endif
