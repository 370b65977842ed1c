/*
 * pages: HTML pages majlisd answers from the callback rather than the static file mount — the
 * participant's personal page /r/<token>, whose path holds a token and so names no file, an event's
 * shareable page /e/<id>, and the back office (/login, one shell for /admin and its screens, and an event's
 * live dashboard /admin/events/<id>); it reads web/r.html, e.html, login.html, admin.html and dashboard.html
 * once per app and serves their bytes, and must not look the token, the event or the caller up, log the
 * token, or render data into a page (the pages' scripts fetch the API).
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

/* The back office's login page, the same for everyone (login.js asks the API whether a session holds). */
static void pages_login(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)req;
	(void)args;
	pages_serve(app, &app->login_page, "login.html", "this server has no login page (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* The back office's shell for /admin and each of its screens (and /dashboard, its old name): admin.js
 * reads the screen from the path and the caller's role from the API; nothing here says who is logged in. */
static void pages_admin(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp)
{
	(void)req;
	(void)args;
	pages_serve(app, &app->admin_page, "admin.html", "this server has no back office (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

/* The same page for every event id and every caller: dashboard.js reads the id from the path and asks the
 * API with the browser's session, so that an event the caller may not see shows exactly as a missing one. */
static void pages_dashboard(struct app *app, const struct request *req, const struct route_args *args,
			    struct response *resp)
{
	(void)req;
	(void)args;
	pages_serve(app, &app->dash_page, "dashboard.html", "this server has no event dashboard (web root)",
		    "must-revalidate, private, max-age=300", resp);
}

const struct route api_pages_routes[] = {
    {HTTP_GET, "/r/{token:token}", pages_registration},
    {HTTP_GET, "/e/{id}", pages_event},
    {HTTP_GET, "/login", pages_login},
    {HTTP_GET, "/admin", pages_admin},
    {HTTP_GET, "/admin/events/{id}", pages_dashboard},
    {HTTP_GET, "/admin/venues", pages_admin},
    {HTTP_GET, "/admin/people", pages_admin},
    {HTTP_GET, "/admin/numbers", pages_admin},
    {HTTP_GET, "/admin/calendars", pages_admin},
    {HTTP_GET, "/admin/accounts", pages_admin},
    {HTTP_GET, "/admin/organisations", pages_admin},
    {HTTP_GET, "/dashboard", pages_admin},
    {0},
};
