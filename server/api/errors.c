/* errors: maps failures and successes to HTTP statuses and JSON bodies; the only place statuses live. */
#include "api/errors.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
	int status;
	const char *code;
} api_fails[] = {
    [API_BAD_REQUEST] = {400, "bad_request"},
    [API_UNAUTHENTICATED] = {401, "unauthenticated"},
    [API_FORBIDDEN] = {403, "forbidden"},
    [API_NOT_FOUND] = {404, "not_found"},
    [API_METHOD_NOT_ALLOWED] = {405, "method_not_allowed"},
    [API_TIMEOUT] = {408, "request_timeout"},
    [API_CONFLICT] = {409, "conflict"},
    [API_LENGTH_REQUIRED] = {411, "length_required"},
    [API_TOO_LARGE] = {413, "payload_too_large"},
    [API_UNSUPPORTED_MEDIA] = {415, "unsupported_media_type"},
    [API_UNPROCESSABLE] = {422, "unprocessable"},
    [API_THROTTLED] = {429, "too_many_requests"},
    [API_INTERNAL] = {500, "internal_error"},
    [API_NOT_IMPLEMENTED] = {501, "not_implemented"},
    [API_UNAVAILABLE] = {503, "unavailable"},
};

int api_status_of(enum api_fail kind)
{
	return api_fails[kind].status;
}

/* The error body, added to o (consumed; NULL: a new object); extra (consumed, may be NULL) is added to the
 * error object under key. */
static void api_error_body_in(struct response *r, struct json_object *o, int status, const char *code,
			      const char *message, const char *key, struct json_object *extra)
{
	struct json_object *e = json_object_new_object();

	if (!o)
		o = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", json_object_new_string(message));
	if (extra)
		json_object_object_add(e, key, extra);
	json_object_object_add(o, "error", e);
	r->status = status;
	r->content_type = "application/json";
	buf_reset(&r->body);
	buf_puts(&r->body,
		 json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_puts(&r->body, "\n");
	json_object_put(o);
	if (status == 503)
		response_header(r, "Retry-After", "2");
}

static void api_error_body_extra(struct response *r, int status, const char *code, const char *message,
				 const char *key, struct json_object *extra)
{
	api_error_body_in(r, NULL, status, code, message, key, extra);
}

static void api_error_body(struct response *r, int status, const char *code, const char *message)
{
	api_error_body_extra(r, status, code, message, NULL, NULL);
}

void api_fail(struct response *r, enum api_fail kind, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	api_error_body(r, api_fails[kind].status, code ? code : api_fails[kind].code, msg);
}

void api_fail_dom(struct response *r, const struct dom_err *e)
{
	api_fail_dom_extra(r, e, NULL, NULL);
}

static enum api_fail api_kind_of(const struct dom_err *e)
{
	enum api_fail kind;

	switch (e->code) {
	case DOM_INVALID:
		kind = API_BAD_REQUEST;
		break;
	case DOM_NOT_FOUND:
		kind = API_NOT_FOUND;
		break;
	case DOM_FORBIDDEN:
		kind = API_FORBIDDEN;
		break;
	case DOM_CONFLICT:
		kind = API_CONFLICT;
		break;
	case DOM_UNAUTHENTICATED:
		kind = API_UNAUTHENTICATED;
		break;
	case DOM_THROTTLED:
		kind = API_THROTTLED;
		break;
	case DOM_BUSY:
		kind = API_UNAVAILABLE;
		break;
	case DOM_UNPROCESSABLE:
		kind = API_UNPROCESSABLE;
		break;
	default:
		kind = API_INTERNAL;
		break;
	}
	return kind;
}

void api_fail_dom_extra(struct response *r, const struct dom_err *e, const char *key,
			struct json_object *extra)
{
	enum api_fail kind = api_kind_of(e);

	api_error_body_extra(r, api_fails[kind].status, e->id[0] ? e->id : api_fails[kind].code, e->message,
			     key, extra);
}

void api_fail_dom_body(struct response *r, const struct dom_err *e, struct json_object *body)
{
	enum api_fail kind = api_kind_of(e);

	api_error_body_in(r, body, api_fails[kind].status, e->id[0] ? e->id : api_fails[kind].code,
			  e->message, NULL, NULL);
}

void api_fail_json(struct response *r, const struct jsonx_err *e)
{
	api_error_body(r, 400, e->code ? e->code : "invalid_json", e->message);
}

static int api_ok_status(enum api_ok kind)
{
	switch (kind) {
	case API_CREATED:
		return 201;
	case API_ACCEPTED:
		return 202;
	case API_NO_CONTENT:
		return 204;
	case API_NOT_MODIFIED:
		return 304;
	default:
		return 200;
	}
}

void api_reply(struct response *r, enum api_ok kind, struct json_object *obj)
{
	r->status = api_ok_status(kind);
	r->content_type = "application/json";
	buf_reset(&r->body);
	if (obj) {
		if (buf_puts(&r->body, json_object_to_json_string_ext(
					   obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) ||
		    buf_puts(&r->body, "\n"))
			api_fail(r, API_INTERNAL, NULL, "response too large");
		json_object_put(obj);
	}
}

void api_reply_raw(struct response *r, enum api_ok kind, const char *content_type)
{
	r->status = api_ok_status(kind);
	r->content_type = content_type;
}
