/* common: body parsing, paging and query helpers shared by the resource handlers. */
#include "api/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
	static const char *const none[] = {NULL};
	struct json_object *o = NULL;
	struct jsonx_err err;

	if (!req->body_len)
		return 0;
	if (api_body(req, resp, &o))
		return -1;
	if (jsonx_only_keys(o, none, &err)) {
		json_object_put(o);
		api_fail_json(resp, &err);
		return -1;
	}
	json_object_put(o);
	return 0;
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

void api_reply_list(struct response *resp, struct json_object *items, int64_t total, int64_t limit,
		    int64_t offset)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "items", items);
	json_object_object_add(o, "total", json_object_new_int64(total));
	json_object_object_add(o, "limit", json_object_new_int64(limit));
	json_object_object_add(o, "offset", json_object_new_int64(offset));
	api_reply(resp, API_OK, o);
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

void api_reply_dom(struct app *app, struct response *resp, int rc, const struct dom_err *e,
		   struct json_object *out, int64_t seq, enum api_ok ok)
{
	if (rc) {
		api_fail_dom(resp, e);
		return;
	}
	app_changed(app, seq);
	api_reply(resp, ok, out);
}

void api_json_write(struct app *app, const struct request *req, struct response *resp, api_create_fn create,
		    api_write_fn write, int64_t id, enum api_ok ok)
{
	struct json_object *body = NULL, *out = NULL;
	struct principal p = {0};
	struct dom_err e = {0};
	int64_t seq = 0;
	int rc;

	if (api_auth(app, req, resp, &p, true) || api_body(req, resp, &body))
		return;
	rc = create ? create(app->db, &p, body, req->now, &out, &seq, &e)
		    : write(app->db, &p, id, body, req->now, &out, &seq, &e);
	api_reply_dom(app, resp, rc, &e, out, seq, ok);
	json_object_put(body);
}

void api_http_date(int64_t t, char out[API_HTTP_DATE_LEN])
{
	static int64_t last_t = -1;
	static char last[API_HTTP_DATE_LEN];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t != last_t) {
		if (!gmtime_r(&tt, &tm) ||
		    !strftime(last, API_HTTP_DATE_LEN, "%a, %d %b %Y %H:%M:%S GMT", &tm))
			last[0] = '\0';
		last_t = t;
	}
	memcpy(out, last, API_HTTP_DATE_LEN);
}

/* Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); returns 0 with *t set, or -1. */
static int api_parse_http_date(const char *s, int64_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char wday[4], mon[4];
	const char *m;
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", wday, &tm.tm_mday, mon, &tm.tm_year,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 7 ||
	    s[n] != '\0' || strlen(mon) != 3)
		return -1;
	m = strstr(months, mon);
	if (!m || (m - months) % 3 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_mon = (int)((m - months) / 3);
	tm.tm_year -= 1900;
	*t = (int64_t)timegm(&tm);
	return 0;
}

/* Whether the If-None-Match list holds "*" or etag (weak comparison, as RFC 9110 13.1.2 asks). */
static bool api_etag_listed(const char *list, const char *etag)
{
	size_t el = strlen(etag);
	const char *p = list;

	while (*p) {
		const char *start, *end;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p == '*')
			return true;
		start = p;
		if (!strncmp(p, "W/", 2))
			start = p += 2;
		if (*p != '"')
			return false;
		end = strchr(p + 1, '"');
		if (!end)
			return false;
		if ((size_t)(end + 1 - start) == el && !memcmp(start, etag, el))
			return true;
		p = end + 1;
	}
	return false;
}

bool api_not_modified(const struct request *req, const char *etag, int64_t last_modified)
{
	int64_t since;

	if (req->if_none_match[0])
		return api_etag_listed(req->if_none_match, etag);
	if (req->if_modified_since[0] && !api_parse_http_date(req->if_modified_since, &since))
		return last_modified <= since;
	return false;
}
