/*
 * pages: HTML pages majlisd answers from the callback rather than the static file mount — the
 * participant's personal page /r/<token>, whose path holds a token and so names no file, and an event's
 * shareable page /e/<id>, and the door's check-in screen /admin/checkin; it reads web/r.html, e.html and
 * checkin.html once per app and serves their bytes, and must not look the token or the event up, log the
 * token, or render data into a page (r.js, e.js and checkin.js fetch the API). So it serves the organisers'
 * calendar /admin/calendar, event form /admin/events/new and /admin/events/<id>/edit, and venues
 * /admin/venues (calendar.html, event-edit.html, venues.html).
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

/* The check-in screen, its own small page so that a phone at the door loads little: checkin.js asks the
 * API who is logged in and which sessions they may check in. */
static void pages_checkin(struct app *app, const struct request *req, const struct route_args *args,
			  struct response *resp)
{
	(void)req;
	(void)args;
	pages_serve(app, &app->checkin_page, "checkin.html", "this server has no check-in page (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* The organisers' calendar of the sessions they may see: calendar.js asks the API. */
static void pages_calendar(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	(void)req;
	(void)args;
	pages_serve(app, &app->calendar_page, "calendar.html", "this server has no calendar page (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* The same form for a new event and for every event id: event-edit.js reads the id from the path and asks
 * the API (an event the caller may not see is shown as one that does not exist, from the API's 404). */
static void pages_event_edit(struct app *app, const struct request *req, const struct route_args *args,
			     struct response *resp)
{
	(void)req;
	(void)args;
	pages_serve(app, &app->event_edit_page, "event-edit.html", "this server has no event form (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

static void pages_venues(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	(void)req;
	(void)args;
	pages_serve(app, &app->venues_page, "venues.html", "this server has no venues page (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

const struct route api_pages_routes[] = {
    {HTTP_GET, "/r/{token:token}", pages_registration},
    {HTTP_GET, "/e/{id}", pages_event},
    {HTTP_GET, "/admin/checkin", pages_checkin},
    {HTTP_GET, "/admin/calendar", pages_calendar},
    {HTTP_GET, "/admin/events/new", pages_event_edit},
    {HTTP_GET, "/admin/events/{id}/edit", pages_event_edit},
    {HTTP_GET, "/admin/venues", pages_venues},
    {0},
};
