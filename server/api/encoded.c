/* encoded: Vary, per-coding ETags and 304s, and the coded bytes of a text representation (see encoded.h). */
#include "api/encoded.h"

#include <stdio.h>
#include <string.h>

#include "api/conditional.h"
#include "api/errors.h"

enum compress_coding api_encoded_begin(const struct request *req, struct response *resp, bool coded,
				       unsigned offered, const char *etag, int64_t last_modified,
				       const char *cache_control, const char *type, bool *not_modified)
{
	enum compress_coding coding =
	    coded ? compress_pick(req->accept_encoding, offered) : COMPRESS_IDENTITY;
	size_t n = strlen(etag);
	char tag[160], date[API_HTTP_DATE_LEN];

	*not_modified = false;
	/* every answer of a coded type varies with Accept-Encoding, the identity and a 304 included */
	if (coded)
		response_header(resp, "Vary", "Accept-Encoding");
	/* each coding's bytes differ, and so do their tags: the suffix goes inside the quotes */
	if (n >= 2 && etag[n - 1] == '"' &&
	    snprintf(tag, sizeof(tag), "%.*s%s\"", (int)(n - 1), etag, compress_etag_suffix(coding)) <
		(int)sizeof(tag))
		response_header(resp, "ETag", tag);
	else
		tag[0] = '\0';
	if (last_modified > 0) {
		api_http_date(last_modified, date);
		if (date[0])
			response_header(resp, "Last-Modified", date);
	}
	if (cache_control)
		response_header(resp, "Cache-Control", cache_control);
	if (tag[0] && api_not_modified(req, tag, last_modified > 0 ? last_modified : INT64_MAX)) {
		*not_modified = true;
		api_reply_raw(resp, API_NOT_MODIFIED, type);
	}
	return coding;
}

void api_encoded_reply(struct response *resp, enum compress_coding coding, const struct encodings_view *view,
		       const char *type)
{
	if (coding != COMPRESS_IDENTITY)
		response_header(resp, "Content-Encoding", compress_name(coding));
	resp->shared = view->data;
	resp->shared_len = view->len;
	resp->shared_headroom = view->headroom;
	resp->shared_fd = view->fd;
	resp->release = encodings_blob_release;
	resp->shared_ctx = view->blob;
	api_reply_raw(resp, API_OK, type);
}
