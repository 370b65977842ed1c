/* conditional: HTTP dates, entity tags and If-None-Match / If-Modified-Since checks; no resource
 * knowledge. */
#include "api/conditional.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/secret.h"

void api_etag(const void *data, size_t len, char out[API_ETAG_LEN])
{
	char hash[SECRET_HASH_LEN + 1];

	secret_hash(len ? data : "", len, hash);
	snprintf(out, API_ETAG_LEN, "\"%.32s\"", hash);
}

void api_http_date(int64_t t, char out[API_HTTP_DATE_LEN])
{
	static _Thread_local int64_t last_t = -1; /* one per service thread (instance) */
	static _Thread_local char last[API_HTTP_DATE_LEN];
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
