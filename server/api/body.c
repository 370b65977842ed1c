/* body: JSON body, paging and query parsing shared by the resource handlers; no resource knowledge. */
#include "api/body.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/errors.h"
#include "util/jsonx.h"
#include "util/text.h"

int api_body(const struct request *req, struct response *resp, struct json_object **out)
{
	struct jsonx_err err;
	size_t n = strcspn(req->content_type, ";");

	*out = NULL;
	while (n && req->content_type[n - 1] == ' ')
		n--;
	if (n != strlen("application/json") || strncasecmp(req->content_type, "application/json", n)) {
		api_fail(resp, API_UNSUPPORTED_MEDIA, NULL, "send the body as application/json");
		return -1;
	}
	if (!req->body || !req->body_len) {
		api_fail(resp, API_BAD_REQUEST, "invalid_json", "a JSON object body is required");
		return -1;
	}
	if (jsonx_parse_object(req->body, req->body_len, out, &err)) {
		api_fail_json(resp, &err);
		return -1;
	}
	return 0;
}

int api_no_body(const struct request *req, struct response *resp)
{
	struct json_object *o = NULL;
	int rc;

	if (!req->body_len)
		return 0;
	if (api_body(req, resp, &o))
		return -1;
	rc = api_body_empty(o, resp);
	json_object_put(o);
	return rc;
}

int api_body_empty(struct json_object *o, struct response *resp)
{
	static const char *const none[] = {NULL};
	struct jsonx_err err;

	if (!o || !jsonx_only_keys(o, none, &err))
		return 0;
	api_fail_json(resp, &err);
	return -1;
}

static int api_query_int(const struct request *req, struct response *resp, const char *key, int64_t min,
			 int64_t max, int64_t *out)
{
	char v[32];
	char *end;
	long long n;
	int rc = request_query(req, key, v, sizeof(v));

	if (rc == 0)
		return 0;
	if (rc > 0) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (!errno && end != v && !*end && n >= min && n <= max) {
			*out = n;
			return 1;
		}
	}
	api_fail(resp, API_BAD_REQUEST, "invalid_query",
		 "query parameter '%s' must be a whole number from %lld to %lld", key, (long long)min,
		 (long long)max);
	return -1;
}

int api_page(const struct request *req, struct response *resp, int64_t *limit, int64_t *offset)
{
	*limit = 50;
	*offset = 0;
	if (api_query_int(req, resp, "limit", 1, 200, limit) < 0)
		return -1;
	if (api_query_int(req, resp, "offset", 0, INT32_MAX, offset) < 0)
		return -1;
	return 0;
}

int api_query_id(const struct request *req, struct response *resp, const char *key, int64_t *out)
{
	return api_query_int(req, resp, key, 1, INT64_MAX, out);
}

int api_query_text(const struct request *req, struct response *resp, const char *key, char *out,
		   size_t outlen)
{
	int rc = request_query(req, key, out, outlen);

	if (rc < 0 || (rc > 0 && !text_is_line(out))) {
		api_fail(resp, API_BAD_REQUEST, "invalid_query",
			 "query parameter '%s' is malformed or too long (at most %zu bytes)", key,
			 outlen - 1);
		return -1;
	}
	return rc;
}

int api_query_enum(const struct request *req, struct response *resp, const char *key,
		   const char *const *choices, int *idx)
{
	char v[32], list[128];
	size_t n = 0;
	int rc = api_query_text(req, resp, key, v, sizeof(v));

	if (rc <= 0)
		return rc;
	list[0] = '\0';
	for (int i = 0; choices[i]; i++) {
		if (!strcmp(v, choices[i])) {
			*idx = i;
			return 1;
		}
		n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n : 0, "%s%s",
				      i ? ", " : "", choices[i]);
		if (n >= sizeof(list))
			n = sizeof(list) - 1;
	}
	api_fail(resp, API_BAD_REQUEST, "invalid_query", "query parameter '%s' must be one of: %s", key,
		 list);
	return -1;
}

int api_fields(struct json_object *body, const struct api_field *f, size_t n, struct jsonx_err *je)
{
	int k;

	for (size_t i = 0; i < n; i++) {
		*f[i].has = json_object_object_get_ex(body, f[i].key, NULL);
		if (!f[i].choices) {
			if (jsonx_get_str(body, f[i].key, false, f[i].kind, f[i].max, f[i].v, je) < 0)
				return -1;
			continue;
		}
		k = -1;
		if (jsonx_get_enum(body, f[i].key, false, f[i].choices, &k, je) < 0)
			return -1;
		*f[i].v = k >= 0 ? f[i].choices[k] : NULL;
	}
	return 0;
}
