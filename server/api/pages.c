/*
 * pages: HTML pages majlisd answers from the callback rather than the static file mount — the
 * participant's personal page /r/<token>, whose path holds a token and so names no file, an event's
 * shareable page /e/<id>, the personal page's web app manifest, the door's check-in screen /admin/checkin,
 * and the back office: /login, one shell for /admin and its screens (admin.html), and one page for the
 * officials' and admins' screens (officials.html: /admin/numbers, /admin/calendars, /admin/accounts,
 * /admin/organisations), and the organisers' calendar /admin/calendar, event form /admin/events/new and
 * /admin/events/<id>/edit, and venues /admin/venues (calendar.html, event-edit.html, venues.html), and an
 * event's live dashboard /admin/events/<id> (dashboard.html). It reads each page once per app, encodes it
 * then (gzip, brotli: util/encodings) and serves those bytes as the static files are served (api/encoded),
 * and must not look the token, the event or the caller up, log the token, or render data into a page (the
 * pages' scripts fetch the API).
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

/* Answers web_root/name (read and encoded into page at first use: compressed once, not per request) in
 * the coding Accept-Encoding prefers, with its ETag and cache_control, a 304 when the client holds it, or
 * 404 page_missing naming what is missing. */
static void pages_serve(struct app *app, const struct request *req, struct app_page *page, const char *name,
			const char *what, const char *cache_control, struct response *resp)
{
	enum compress_coding coding;
	struct encodings_view view;
	bool not_modified;
	char path[600];
	char *data;
	size_t len;

	if (!page->tried) {
		page->tried = true;
		snprintf(path, sizeof(path), "%s/%s", app->cfg->web_root, name);
		if (!pages_read(path, &data, &len, &page->last_modified)) {
			api_etag(data, len, page->etag);
			encodings_make(&page->enc, data, len, true);
			free(data);
		}
	}
	if (!(encodings_mask(&page->enc) & (1u << COMPRESS_IDENTITY))) {
		api_fail(resp, API_NOT_FOUND, "page_missing", "%s", what);
		return;
	}
	coding = api_encoded_begin(req, resp, true, encodings_mask(&page->enc), page->etag,
				   page->last_modified, cache_control, PAGES_TYPE, &not_modified);
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

static void pages_registration(struct app *app, const struct request *req, const struct route_args *args,
			       struct response *resp)
{
	(void)args;
	/* the token in the URL is a credential: never stored by caches (no-referrer comes from lws) */
	pages_serve(app, req, &app->r_page, "r.html", "this server has no participant page (web root)",
		    "no-store", resp);
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
	(void)args;
	pages_serve(app, req, &app->e_page, "e.html", "this server has no event page (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* The check-in screen, its own small page so that a phone at the door loads little: checkin.js asks the
 * API who is logged in and which sessions they may check in. */
static void pages_checkin(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	(void)args;
	pages_serve(app, req, &app->checkin_page, "checkin.html",
		    "this server has no check-in page (web root)", "must-revalidate, private, max-age=300",
		    resp);
}

/* The back office's login page, the same for everyone (login.js asks the API whether a session holds). */
static void pages_login(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)args;
	pages_serve(app, req, &app->login_page, "login.html", "this server has no login page (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* The back office's shell for /admin and each of its screens (and /dashboard, its old name): admin.js
 * reads the screen from the path and the caller's role from the API; nothing here says who is logged in. */
static void pages_admin(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)args;
	pages_serve(app, req, &app->admin_page, "admin.html", "this server has no back office (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* One page for the officials' and admins' screens: officials.js reads the screen from the path and the
 * caller's role from the API (a screen the role may not use shows as one that does not exist). */
static void pages_officials(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	(void)args;
	pages_serve(app, req, &app->bo_page, "officials.html", "this server has no back office (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* The organisers' calendar of the sessions they may see: calendar.js asks the API. */
static void pages_calendar(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	(void)args;
	pages_serve(app, req, &app->calendar_page, "calendar.html",
		    "this server has no calendar page (web root)", "must-revalidate, private, max-age=300",
		    resp);
}

/* The same form for a new event and for every event id: event-edit.js reads the id from the path and asks
 * the API (an event the caller may not see is shown as one that does not exist, from the API's 404). */
static void pages_event_edit(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	(void)args;
	pages_serve(app, req, &app->event_edit_page, "event-edit.html",
		    "this server has no event form (web root)", "must-revalidate, private, max-age=300",
		    resp);
}

static void pages_venues(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	(void)args;
	pages_serve(app, req, &app->venues_page, "venues.html", "this server has no venues page (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* The same page for every event id and every caller: dashboard.js reads the id from the path and asks the
 * API with the browser's session, so that an event the caller may not see shows exactly as a missing one. */
static void pages_dashboard(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	(void)args;
	pages_serve(app, req, &app->dash_page, "dashboard.html",
		    "this server has no event dashboard (web root)", "must-revalidate, private, max-age=300",
		    resp);
}

const struct route api_pages_routes[] = {
    {HTTP_GET, "/r/{token:token}", pages_registration},
    {HTTP_GET, "/r/{token:token}/manifest.webmanifest", pages_manifest},
    {HTTP_GET, "/e/{id}", pages_event},
    {HTTP_GET, "/admin/checkin", pages_checkin},
    {HTTP_GET, "/login", pages_login},
    {HTTP_GET, "/admin", pages_admin},
    {HTTP_GET, "/admin/events/{id}", pages_dashboard},
    {HTTP_GET, "/admin/people", pages_admin},
    {HTTP_GET, "/dashboard", pages_admin},
    {HTTP_GET, "/admin/numbers", pages_officials},
    {HTTP_GET, "/admin/calendars", pages_officials},
    {HTTP_GET, "/admin/accounts", pages_officials},
    {HTTP_GET, "/admin/organisations", pages_officials},
    {HTTP_GET, "/admin/calendar", pages_calendar},
    {HTTP_GET, "/admin/events/new", pages_event_edit},
    {HTTP_GET, "/admin/events/{id}/edit", pages_event_edit},
    {HTTP_GET, "/admin/venues", pages_venues},
    {0},
};
