/*
 * pages: HTML pages majlisd answers from the callback rather than the static file mount — the
 * participant's personal page /r/<token>, whose path holds a token and so names no file, and an event's
 * shareable page /e/<id>; it reads web/r.html and web/e.html once per app and serves their bytes, and
 * the personal page's web app manifest; it must not look the token or the event up, log the token, or render
 * data into a page (r.js and e.js fetch the API).
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

/* Answers the bytes of web_root/name (read into page at first use) with cache_control, or 404 page_missing
 * naming what is missing. */
static void pages_serve(struct app *app, struct app_page *page, const char *name, const char *what,
			const char *cache_control, struct response *resp)
{
	char path[600];

	if (!page->tried) {
		page->tried = true;
		snprintf(path, sizeof(path), "%s/%s", app->cfg->web_root, name);
		pages_read(path, &page->data, &page->len);
	}
	if (!page->data) {
		api_fail(resp, API_NOT_FOUND, "page_missing", "%s", what);
		return;
	}
	response_header(resp, "Cache-Control", cache_control);
	resp->shared = page->data;
	resp->shared_len = page->len;
	api_reply_raw(resp, API_OK, "text/html; charset=utf-8");
}

static void pages_registration(struct app *app, const struct request *req, const struct route_args *args,
			       struct response *resp)
{
	(void)req;
	(void)args;
	/* the token in the URL is a credential: never stored by caches (no-referrer comes from lws) */
	pages_serve(app, &app->r_page, "r.html", "this server has no participant page (web root)", "no-store",
		    resp);
}

/* GET /r/{token}/manifest.webmanifest: the web app manifest the personal page links to, so that the page
 * installed on a phone opens on itself (start_url) and stays within /r/ (scope, the service worker's). One
 * neutral name for the three languages; the same answer for any token, which is not looked up. */
static void pages_manifest(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	struct json_object *m = json_object_new_object(), *icons = json_object_new_array(),
			   *icon = json_object_new_object();
	char start[160];

	(void)app;
	(void)req;
	snprintf(start, sizeof(start), "/r/%s", args->tokens[0]);
	json_object_object_add(icon, "src", json_object_new_string("/icon.svg"));
	json_object_object_add(icon, "sizes", json_object_new_string("any"));
	json_object_object_add(icon, "type", json_object_new_string("image/svg+xml"));
	json_object_array_add(icons, icon);
	json_object_object_add(m, "name", json_object_new_string("Majlis"));
	json_object_object_add(m, "short_name", json_object_new_string("Majlis"));
	json_object_object_add(m, "id", json_object_new_string(start));
	json_object_object_add(m, "start_url", json_object_new_string(start));
	json_object_object_add(m, "scope", json_object_new_string("/r/"));
	json_object_object_add(m, "display", json_object_new_string("standalone"));
	json_object_object_add(m, "background_color", json_object_new_string("#f6f4ef"));
	json_object_object_add(m, "theme_color", json_object_new_string("#0f5c55"));
	json_object_object_add(m, "icons", icons);
	buf_reset(&resp->body);
	if (buf_puts(&resp->body, json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN |
									JSON_C_TO_STRING_NOSLASHESCAPE))) {
		api_fail(resp, API_INTERNAL, NULL, "cannot write the manifest");
		goto out;
	}
	/* it holds the token, a credential: never stored by caches */
	response_header(resp, "Cache-Control", "no-store");
	api_reply_raw(resp, API_OK, "application/manifest+json");
out:
	json_object_put(m);
}

/* The same page for every event id: e.js reads the id from the path and asks the API (an unknown or
 * hidden event is shown as such by the page, from the API's 404). */
static void pages_event(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)req;
	(void)args;
	pages_serve(app, &app->e_page, "e.html", "this server has no event page (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

const struct route api_pages_routes[] = {
    {HTTP_GET, "/r/{token:token}", pages_registration},
    {HTTP_GET, "/r/{token:token}/manifest.webmanifest", pages_manifest},
    {HTTP_GET, "/e/{id}", pages_event},
    {0},
};
