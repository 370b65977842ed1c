/* conditional: HTTP dates and the validators of conditional GETs (304); it knows no resource. */
#ifndef MAJLIS_API_CONDITIONAL_H
#define MAJLIS_API_CONDITIONAL_H

#include <stdbool.h>
#include <stdint.h>

#include "api/request.h"

#define API_HTTP_DATE_LEN 40
/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") of t into out ("" when it cannot be formatted). The last
 * one is kept: a feed being revalidated asks for the same date again and again. Service thread only. */
void api_http_date(int64_t t, char out[API_HTTP_DATE_LEN]);
/* Whether the request's validators show that the client already holds the answer with etag and
 * last_modified: If-None-Match (weak comparison, RFC 9110 13.1.2) wins over If-Modified-Since. */
bool api_not_modified(const struct request *req, const char *etag, int64_t last_modified);

#endif
