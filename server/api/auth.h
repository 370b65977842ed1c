/*
 * auth (api): turns a bearer token or a session cookie into a principal and checks Origin and CSRF on
 * cookie writes; it answers the client itself on failure and holds no rule of who may do what.
 */
#ifndef MAJLIS_API_AUTH_H
#define MAJLIS_API_AUTH_H

#include <stdbool.h>

#include "api/app.h"
#include "api/request.h"
#include "domain/domain.h"

/* Identifies the caller from "Authorization: Bearer <token>" or the session cookie. For a cookie on a
 * write method it also checks Origin and X-CSRF-Token (403 "csrf_failed"). With required and no valid
 * credentials: 401 and -1. Without required: an anonymous caller gets p->role = ROLE_NONE and 0. */
int api_auth(struct app *app, const struct request *req, struct response *resp, struct principal *p,
	     bool required);

/* The name of the session cookie for req: AUTH_SESSION_COOKIE_TLS ("__Host-" prefix, which browsers
 * accept only with Secure, Path=/ and no Domain, so that no other site or subdomain can set it) when req
 * arrived over TLS, AUTH_SESSION_COOKIE over plain HTTP. The only name read and set for req. */
const char *api_auth_cookie_name(const struct request *req);

/* Whether the Origin header names this server: "http(s)://" + Host, or the origin of public_url. */
bool api_auth_origin_ok(const struct app *app, const struct request *req);

#endif
