/*
 * common: steps every handler repeats — reading a JSON body, authenticating the caller, paging —
 * each of which answers the client itself on failure; no resource knowledge here.
 */
#ifndef MAJLIS_API_COMMON_H
#define MAJLIS_API_COMMON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/app.h"
#include "api/errors.h"
#include "api/http.h"
#include "domain/domain.h"

/* Requires Content-Type application/json (415 otherwise) and a strict JSON object body (400).
 * Returns 0 with *out a new reference (caller puts), or -1 with resp filled. */
int api_body(const struct request *req, struct response *resp, struct json_object **out);

/* For actions that take no input (cancel, erase, approve, ...): accepts no body at all, or an empty JSON
 * object; anything else is refused like any bad body (415 for another media type, 400 otherwise) so that
 * a malformed request never carries out the action. Returns 0, or -1 with resp filled. */
int api_no_body(const struct request *req, struct response *resp);

/* Identifies the caller from "Authorization: Bearer <token>" or the session cookie. For a cookie on a
 * write method it also checks Origin and X-CSRF-Token (403 "csrf_failed"). With required and no valid
 * credentials: 401 and -1. Without required: an anonymous caller gets p->role = ROLE_NONE and 0.
 * Implemented in api/auth.c. */
int api_auth(struct app *app, const struct request *req, struct response *resp, struct principal *p,
	     bool required);

/* The name of the session cookie for req: AUTH_SESSION_COOKIE_TLS ("__Host-" prefix, which browsers
 * accept only with Secure, Path=/ and no Domain, so that no other site or subdomain can set it) when req
 * arrived over TLS, AUTH_SESSION_COOKIE over plain HTTP. The only name read and set for req.
 * Implemented in api/auth.c. */
const char *api_auth_cookie_name(const struct request *req);

/* Whether the Origin header names this server: "http(s)://" + Host, or the origin of public_url.
 * Implemented in api/auth.c. */
bool api_auth_origin_ok(const struct app *app, const struct request *req);

/* Replies the domain error when rc is set; otherwise tells the change sink of seq (0: nothing was
 * committed) and replies out (consumed) with ok. The end of every handler of one domain call. */
void api_reply_dom(struct app *app, struct response *resp, int rc, const struct dom_err *e,
		   struct json_object *out, int64_t seq, enum api_ok ok);

/* A resource's write from a JSON body, at now (the request's time): a create of a top-level resource,
 * and a write on resource id (an update, or a create under a parent such as a venue's room). The
 * resource's api file implements it: it parses body into the domain's typed input and makes one
 * domain call; a body of the wrong shape is DOM_INVALID with err filled. */
typedef int (*api_create_fn)(struct db *db, const struct principal *p, struct json_object *body, int64_t now,
			     struct json_object **out, int64_t *seq, struct dom_err *err);
typedef int (*api_write_fn)(struct db *db, const struct principal *p, int64_t id, struct json_object *body,
			    int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);
/* Authenticates (required), reads the JSON body, runs create (or write on id when create is NULL) and
 * replies as api_reply_dom. */
void api_json_write(struct app *app, const struct request *req, struct response *resp, api_create_fn create,
		    api_write_fn write, int64_t id, enum api_ok ok);

/* Paging from ?limit= (1..200, default 50) and ?offset= (>= 0). Returns 0 or -1 with a 400 filled. */
int api_page(const struct request *req, struct response *resp, int64_t *limit, int64_t *offset);

/* {"items": items, "total": total, "limit": limit, "offset": offset}; consumes items. */
void api_reply_list(struct response *resp, struct json_object *items, int64_t total, int64_t limit,
		    int64_t offset);

/* An optional positive integer query parameter (?org=3). 1 found, 0 absent, -1 with 400 filled. */
int api_query_id(const struct request *req, struct response *resp, const char *key, int64_t *out);
/* An optional text query parameter matching kind (util/jsonx.h kinds). 1/0/-1 as above. */
int api_query_text(const struct request *req, struct response *resp, const char *key, char *out,
		   size_t outlen);

#define API_HTTP_DATE_LEN 40
/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") of t into out ("" when it cannot be formatted). The last
 * one is kept: a feed being revalidated asks for the same date again and again. Service thread only. */
void api_http_date(int64_t t, char out[API_HTTP_DATE_LEN]);
/* Whether the request's validators show that the client already holds the answer with etag and
 * last_modified: If-None-Match (weak comparison, RFC 9110 13.1.2) wins over If-Modified-Since. */
bool api_not_modified(const struct request *req, const char *etag, int64_t last_modified);

#endif
