/*
 * freebusy (api): answers free/busy requests — reads ?from= and ?to=, makes one domain call and
 * answers with validators (ETag, Last-Modified) and 304s; it holds no rule of what is busy and never
 * logs the token.
 */
#include "api/freebusy.h"

#include <stdbool.h>
#include <string.h>

#include "api/body.h"
#include "api/conditional.h"
#include "api/errors.h"
#include "domain/freebusy.h"

#define FREEBUSY_CONTENT_TYPE "text/calendar; charset=utf-8"

/* An optional ?key= day: 1 given (copied into out), 0 absent, -1 with a 400 filled. */
static int freebusy_query_day(const struct request *req, struct response *resp, const char *key, char out[16])
{
	int rc = api_query_text(req, resp, key, out, 16);

	if (rc < 0)
		return rc;
	return rc > 0 && out[0] ? 1 : 0;
}

void api_freebusy_get(struct app *app, const struct request *req, const struct route_args *args,
		      struct response *resp)
{
	struct freebusy_answer a;
	struct dom_err e = {0};
	char from[16], to[16], date[API_HTTP_DATE_LEN], etag[API_ETAG_LEN];
	int has_from, has_to;

	memset(&a, 0, sizeof(a));
	has_from = freebusy_query_day(req, resp, "from", from);
	if (has_from < 0)
		return;
	has_to = freebusy_query_day(req, resp, "to", to);
	if (has_to < 0)
		return;
	if (freebusy_by_token(app->db, app->cfg, args->tokens[0], has_from ? from : NULL, has_to ? to : NULL,
			      req->now, &a, &e)) {
		api_fail_dom(resp, &e);
		goto out;
	}
	api_etag(a.body.data, a.body.len, etag);
	api_http_date(a.last_modified, date);
	response_header(resp, "ETag", etag);
	if (date[0])
		response_header(resp, "Last-Modified", date);
	/* the URL is a secret: no shared caches; every client revalidates (cheap: 304) */
	response_header(resp, "Cache-Control", "private, no-cache");
	if (api_not_modified(req, etag, a.last_modified)) {
		api_reply_raw(resp, API_NOT_MODIFIED, FREEBUSY_CONTENT_TYPE);
		goto out;
	}
	if (buf_append(&resp->body, a.body.data ? a.body.data : "", a.body.len)) {
		api_fail(resp, API_INTERNAL, NULL, "the free/busy answer is too large");
		goto out;
	}
	api_reply_raw(resp, API_OK, FREEBUSY_CONTENT_TYPE);
out:
	freebusy_answer_free(&a);
}
