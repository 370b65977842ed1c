/*
 * encoded: the answer to a GET or HEAD of a text representation that has content codings (util/encodings)
 * — Vary: Accept-Encoding, the coding Accept-Encoding prefers, one strong ETag per coding, its 304, and the
 * chosen bytes with Content-Encoding; shared by the static files and the pages, it knows no resource and
 * reads no file.
 */
#ifndef MAJLIS_API_ENCODED_H
#define MAJLIS_API_ENCODED_H

#include <stdbool.h>
#include <stdint.h>

#include "api/request.h"
#include "util/encodings.h"

/*
 * Starts the answer to req for a representation of type with the codings in offered (a mask of
 * (1u << coding); the identity is always possible, whether or not offered names it): adds Vary:
 * Accept-Encoding when coded (a type that has codings, even while none is ready; false for one that never
 * has: an image, a calendar, and offered is then ignored), the ETag of the coding chosen (etag, the
 * identity's strong quoted tag, with the coding's suffix inside the quotes: "…-gz", "…-br"), Last-Modified
 * (when last_modified > 0) and Cache-Control (when cache_control is not NULL). When the client already holds
 * that coding (If-None-Match, else If-Modified-Since), resp becomes a complete 304 and *not_modified is set.
 * Returns the coding chosen, whose bytes the caller then hands to api_encoded_reply (or sends otherwise, for
 * the identity). Service thread.
 */
enum compress_coding api_encoded_begin(const struct request *req, struct response *resp, bool coded,
				       unsigned offered, const char *etag, int64_t last_modified,
				       const char *cache_control, const char *type, bool *not_modified);

/* Fills resp with a 200 of type holding view's bytes in coding (Content-Encoding unless the identity); the
 * response takes over view's reference and releases it once written. Service thread. */
void api_encoded_reply(struct response *resp, enum compress_coding coding, const struct encodings_view *view,
		       const char *type);

#endif
