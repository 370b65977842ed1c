/*
 * body: reading a request's JSON body, query parameters and paging, each of which answers the client
 * itself on bad input; it knows no resource and no caller.
 */
#ifndef MAJLIS_API_BODY_H
#define MAJLIS_API_BODY_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/request.h"
#include "util/jsonx.h"

/* Requires Content-Type application/json (415 otherwise) and a strict JSON object body (400).
 * Returns 0 with *out a new reference (caller puts), or -1 with resp filled. */
int api_body(const struct request *req, struct response *resp, struct json_object **out);

/* For actions that take no input (cancel, erase, approve, ...): accepts no body at all, or an empty JSON
 * object; anything else is refused like any bad body (415 for another media type, 400 otherwise) so that
 * a malformed request never carries out the action. Returns 0, or -1 with resp filled. */
int api_no_body(const struct request *req, struct response *resp);
/* The second half of api_no_body, for a body already read (o; NULL: none): 0 when it names nothing, else
 * -1 with the 400 filled. */
int api_body_empty(struct json_object *o, struct response *resp);

/* One optional text field of a JSON body, for api_fields: *has tells whether the body names key (null
 * included); *v gets the string (borrowed from the body; NULL when absent or null), of kind within max
 * characters, or, when choices (NULL-terminated) is set, one of them (*v then points into choices). */
struct api_field {
	const char *key;
	enum jsonx_str_kind kind;
	size_t max;
	bool *has;
	const char **v;
	const char *const *choices;
};
/* Reads the n fields of body in order. 0, or -1 with je filled for the first that is wrong. */
int api_fields(struct json_object *body, const struct api_field *f, size_t n, struct jsonx_err *je);

/* Paging from ?limit= (1..200, default 50) and ?offset= (>= 0). Returns 0 or -1 with a 400 filled. */
int api_page(const struct request *req, struct response *resp, int64_t *limit, int64_t *offset);

/* An optional positive integer query parameter (?org=3). 1 found, 0 absent, -1 with 400 filled. */
int api_query_id(const struct request *req, struct response *resp, const char *key, int64_t *out);
/* An optional text query parameter matching kind (util/jsonx.h kinds). 1/0/-1 as above. */
int api_query_text(const struct request *req, struct response *resp, const char *key, char *out,
		   size_t outlen);
/* An optional query parameter that must be one of choices (NULL-terminated): its index into *idx.
 * 1/0/-1 as above (the 400 lists the choices). */
int api_query_enum(const struct request *req, struct response *resp, const char *key,
		   const char *const *choices, int *idx);

#endif
