/*
 * pages: HTML pages majlisd answers from the callback rather than the static file mount — the
 * participant's personal page /r/<token>, whose path holds a token and so names no file; it reads
 * web/r.html once per app and serves its bytes, and must not look the token up, log it, or render data into
 * the page (r.js fetches the API).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/errors.h"
#include "api/router.h"
#include "util/log.h"

#define PAGES_MAX (256 * 1024) /* a page larger than this is refused (a misconfigured web root) */

/* Reads path whole into a malloc'ed buffer. Returns 0, or -1 (logged). */
static int pages_read(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0;
	int rc = -1;

	*data = NULL;
	*len = 0;
	if (!f)
		goto out;
	p = malloc(PAGES_MAX + 1);
	if (!p)
		goto out;
	n = fread(p, 1, PAGES_MAX + 1, f);
	if (ferror(f) || n > PAGES_MAX)
		goto out;
	*data = p;
	*len = n;
	p = NULL;
	rc = 0;
out:
	if (rc)
		log_err("cannot read the page %s (missing, unreadable or over %d bytes)", path, PAGES_MAX);
	free(p);
	if (f)
		fclose(f);
	return rc;
}

static void pages_registration(struct app *app, const struct request *req, const struct route_args *args,
			       struct response *resp)
{
	struct app_page *page = &app->r_page;
	char path[600];

	(void)req;
	(void)args;
	if (!page->tried) {
		page->tried = true;
		snprintf(path, sizeof(path), "%s/r.html", app->cfg->web_root);
		pages_read(path, &page->data, &page->len);
	}
	if (!page->data) {
		api_fail(resp, API_NOT_FOUND, "page_missing",
			 "this server has no participant page (web root)");
		return;
	}
	/* the token in the URL is a credential: never stored by caches (no-referrer comes from lws) */
	response_header(resp, "Cache-Control", "no-store");
	resp->shared = page->data;
	resp->shared_len = page->len;
	api_reply_raw(resp, API_OK, "text/html; charset=utf-8");
}

const struct route api_pages_routes[] = {
    {HTTP_GET, "/r/{token:token}", pages_registration},
    {0},
};
