/*
 * errors: the only place HTTP statuses are chosen — successes, domain results and request-level
 * failures become a status and a JSON body {"error":{"code","message"}}.
 */
#ifndef MAJLIS_API_ERRORS_H
#define MAJLIS_API_ERRORS_H

#include <json-c/json.h>

#include "api/request.h"
#include "domain/domain.h"
#include "util/jsonx.h"

/* Request-level failures that are not domain results. */
enum api_fail {
	API_BAD_REQUEST,	/* 400 malformed request, query or path */
	API_UNAUTHENTICATED,	/* 401 */
	API_FORBIDDEN,		/* 403 */
	API_NOT_FOUND,		/* 404 */
	API_METHOD_NOT_ALLOWED, /* 405 */
	API_TIMEOUT,		/* 408 body too slow */
	API_CONFLICT,		/* 409 */
	API_LENGTH_REQUIRED,	/* 411 a body the transport cannot frame without Content-Length */
	API_TOO_LARGE,		/* 413 */
	API_UNSUPPORTED_MEDIA,	/* 415 */
	API_UNPROCESSABLE,	/* 422 */
	API_THROTTLED,		/* 429 */
	API_INTERNAL,		/* 500 */
	API_NOT_IMPLEMENTED,	/* 501 a Transfer-Encoding other than chunked */
	API_UNAVAILABLE,	/* 503 */
};

enum api_ok {
	API_OK,		  /* 200 */
	API_CREATED,	  /* 201 */
	API_ACCEPTED,	  /* 202 taken in; what follows is not told */
	API_NO_CONTENT,	  /* 204 */
	API_NOT_MODIFIED, /* 304 */
};

/* Error reply; code NULL picks the default code for kind ("bad_request", "not_found", ...). */
void api_fail(struct response *r, enum api_fail kind, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Error reply for a domain result (e->code != DOM_OK). */
void api_fail_dom(struct response *r, const struct dom_err *e);
/* The same with one more member of the error object, extra under key (e.g. an import's "refused" list);
 * consumes extra (NULL: none). */
void api_fail_dom_extra(struct response *r, const struct dom_err *e, const char *key,
			struct json_object *extra);
/* Like api_fail_dom, with the error object added to body (consumed), whose other keys stay beside it. */
void api_fail_dom_body(struct response *r, const struct dom_err *e, struct json_object *body);
/* Error reply for a bad JSON body or field (400). */
void api_fail_json(struct response *r, const struct jsonx_err *e);
/* Success reply with a JSON body; consumes obj (may be NULL for no body). */
void api_reply(struct response *r, enum api_ok kind, struct json_object *obj);
/* Success reply with a non-JSON body already in r->body or r->shared. */
void api_reply_raw(struct response *r, enum api_ok kind, const char *content_type);
/* The HTTP status of kind, for api code that must recognise an answer it did not fill itself (the router
 * counts 404s to throttle link guessing). */
int api_status_of(enum api_fail kind);

#endif
