/* conditional: HTTP dates, entity tags and the validators of conditional GETs (304); it knows no
 * resource. */
#ifndef MAJLIS_API_CONDITIONAL_H
#define MAJLIS_API_CONDITIONAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/request.h"

#define API_HTTP_DATE_LEN 40
#define API_ETAG_LEN	  35 /* "\"" + 32 hex + "\"" + NUL */
/* The strong validator of exactly these len bytes (data may be NULL when len is 0), quoted, into out:
 * the first 32 hex digits of their SHA-256. Any thread. */
void api_etag(const void *data, size_t len, char out[API_ETAG_LEN]);
/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") of t into out ("" when it cannot be formatted). The last
 * one is kept, per thread: a feed being revalidated asks for the same date again and again. Any thread. */
void api_http_date(int64_t t, char out[API_HTTP_DATE_LEN]);
/* Whether the request's validators show that the client already holds the answer with etag and
 * last_modified: If-None-Match (weak comparison, RFC 9110 13.1.2) wins over If-Modified-Since. */
bool api_not_modified(const struct request *req, const char *etag, int64_t last_modified);

#endif
