/*
 * pages: HTML pages majlisd answers from the callback rather than the static file mount — the
 * participant's personal page /r/<token> (its path holds a token and so names no file) and its web app
 * manifest, an event's shareable page /e/<id>, and the back office: /login, the /admin shell, the
 * officials' screens, the organisers' calendar, event form and venues, the door's check-in screen. One
 * table, PAGES, says for each route which file of the web root it serves, with which Cache-Control, and
 * what its 404 says is missing; one handler serves them all. It reads each file once per app into its slot
 * of app->pages, encodes it then (gzip, brotli: util/encodings) and serves those bytes as the static files
 * are served (api/encoded), and must not look the token, the event or the caller up, log the token, or
 * render data into a page (the pages' scripts fetch the API).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/app.h"
#include "api/encoded.h"
#include "api/errors.h"
#include "api/router.h"
#include "util/log.h"

#define PAGES_MAX (256 * 1024) /* a page larger than this is refused (a misconfigured web root) */

#define PAGES_TYPE "text/html; charset=utf-8"

/* The cache policies of the pages: a page whose path holds a credential (the personal page's token) is
 * never stored by caches (no-referrer comes from lws); the others are the same for every caller and are
 * checked again after five minutes. */
#define PAGES_NO_STORE "no-store"
#define PAGES_PRIVATE  "must-revalidate, private, max-age=300"

/*
 * Every page, one row each: X(route, file of the web root, Cache-Control, what is missing when the web root
 * has no such file). Routes of one file share its slot (read once). To add a page: add its file to web/,
 * a row here (the route table at the end is made from these rows), and its section to docs/api.md.
 */
#define PAGES(X)                                                                                             \
	X("/r/{token:token}", "r.html", PAGES_NO_STORE, "participant page")                                  \
	X("/e/{id}", "e.html", PAGES_PRIVATE, "event page")                                                  \
	X("/admin/checkin", "checkin.html", PAGES_PRIVATE, "check-in page")                                  \
	X("/login", "login.html", PAGES_PRIVATE, "login page")                                               \
	X("/admin", "admin.html", PAGES_PRIVATE, "back office")                                              \
	X("/admin/events/{id}", "dashboard.html", PAGES_PRIVATE, "event dashboard")                          \
	X("/admin/people", "admin.html", PAGES_PRIVATE, "back office")                                       \
	X("/dashboard", "admin.html", PAGES_PRIVATE, "back office")                                          \
	X("/admin/numbers", "officials.html", PAGES_PRIVATE, "back office")                                  \
	X("/admin/calendars", "officials.html", PAGES_PRIVATE, "back office")                                \
	X("/admin/accounts", "officials.html", PAGES_PRIVATE, "back office")                                 \
	X("/admin/organisations", "officials.html", PAGES_PRIVATE, "back office")                            \
	X("/admin/calendar", "calendar.html", PAGES_PRIVATE, "calendar page")                                \
	X("/admin/events/new", "event-edit.html", PAGES_PRIVATE, "event form")                               \
	X("/admin/events/{id}/edit", "event-edit.html", PAGES_PRIVATE, "event form")                         \
	X("/admin/venues", "venues.html", PAGES_PRIVATE, "venues page")

/* One row of PAGES. Static, read-only. */
struct page {
	const char *file;	   /* its name in the web root */
	const char *cache_control; /* PAGES_NO_STORE or PAGES_PRIVATE */
	const char *missing;	   /* the 404's message when the web root has no such file */
};

#define PAGES_ROW(route, file, cache_control, what)                                                          \
	{file, cache_control, "this server has no " what " (web root)"},
static const struct page pages_table[] = {PAGES(PAGES_ROW)};
#undef PAGES_ROW

#define PAGES_N (sizeof(pages_table) / sizeof(pages_table[0]))
_Static_assert(PAGES_N <= APP_PAGES_MAX, "app.h: APP_PAGES_MAX is smaller than the pages table");

/* Reads path whole into a malloc'ed buffer, and its modification time into *mtime. Returns 0, or -1
 * (logged). */
static int pages_read(const char *path, char **data, size_t *len, int64_t *mtime)
{
	struct stat st;
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
	if (ferror(f) || n > PAGES_MAX || !n)
		goto out;
	*mtime = fstat(fileno(f), &st) ? 0 : (int64_t)st.st_mtim.tv_sec;
	*data = p;
	*len = n;
	p = NULL;
	rc = 0;
out:
	if (rc)
		log_err("cannot read the page %s (missing, unreadable, empty or over %d bytes)", path,
			PAGES_MAX);
	free(p);
	if (f)
		fclose(f);
	return rc;
}

/* Answers pg's file (read and encoded into page at first use: compressed once, not per request) in the
 * coding Accept-Encoding prefers, with its ETag and Cache-Control, a 304 when the client holds it, or 404
 * page_missing naming what is missing. */
static void pages_serve(struct app *app, const struct request *req, const struct page *pg,
			struct app_page *page, struct response *resp)
{
	enum compress_coding coding;
	struct encodings_view view;
	bool not_modified;
	char path[600];
	char *data;
	size_t len;

	if (!page->tried) {
		page->tried = true;
		snprintf(path, sizeof(path), "%s/%s", app->cfg->web_root, pg->file);
		if (!pages_read(path, &data, &len, &page->last_modified)) {
			api_etag(data, len, page->etag);
			encodings_make(&page->enc, data, len, true);
			free(data);
		}
	}
	if (!(encodings_mask(&page->enc) & (1u << COMPRESS_IDENTITY))) {
		api_fail(resp, API_NOT_FOUND, "page_missing", "%s", pg->missing);
		return;
	}
	coding = api_encoded_begin(req, resp, true, encodings_mask(&page->enc), page->etag,
				   page->last_modified, pg->cache_control, PAGES_TYPE, &not_modified);
	if (not_modified)
		return;
	if (encodings_take(&page->enc, coding, &view)) {
		resp->n_headers = 0;
		api_fail(resp, API_INTERNAL, NULL,
			 "internal error"); /* offered a moment ago: cannot happen */
		return;
	}
	api_encoded_reply(resp, coding, &view, PAGES_TYPE);
}

/* The slot of row i: that of the first row with the same file (its routes share one read). */
static size_t pages_slot(size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (!strcmp(pages_table[j].file, pages_table[i].file))
			return j;
	return i;
}

/* Every route of PAGES: the row of the route that matched (the route table at the end has PAGES' rows
 * first, in the same order). The same page for every id or token in the path: its script reads the path
 * and asks the API, which answers an unknown or hidden one as such. */
static void pages_get(struct app *app, const struct request *req, const struct route_args *args,
		      struct response *resp)
{
	size_t i = 0;

	while (i < PAGES_N && args->route != &api_pages_routes[i])
		i++;
	if (i == PAGES_N) {
		api_fail(resp, API_INTERNAL, NULL,
			 "internal error"); /* a route of another table: cannot happen */
		return;
	}
	pages_serve(app, req, &pages_table[i], &app->pages[pages_slot(i)], resp);
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

#define PAGES_ROUTE(route, file, cache_control, what) {HTTP_GET, route, pages_get},
const struct route api_pages_routes[] = {
    PAGES(PAGES_ROUTE){HTTP_GET, "/r/{token:token}/manifest.webmanifest", pages_manifest},
    {0},
};
#undef PAGES_ROUTE
