/*
 * app: what every handler is given — settings, the service thread's database connection, the
 * sink that carries committed changes to live clients and caches, and the system state /healthz reports;
 * wired once in main.c.
 */
#ifndef MAJLIS_API_APP_H
#define MAJLIS_API_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/conditional.h"
#include "api/ratelimit.h"
#include "config.h"
#include "domain/system.h"
#include "util/encodings.h"

struct db;
struct feed_cache;

/* Told after each committed change (seq from the change log). Called on the service thread. */
struct change_sink {
	void (*changed)(void *ctx, int64_t seq);
	void *ctx;
};

/* A page of the web root kept in memory by api/pages.c: read and encoded (identity, gzip, brotli) at first
 * use, kept until app_release. */
struct app_page {
	struct encodings enc;	 /* the page's bytes in each coding; no identity: none read */
	char etag[API_ETAG_LEN]; /* of the identity's bytes (api_etag) */
	int64_t last_modified;	 /* the file's modification time when read */
	bool tried;		 /* read (or failed to read) once: not tried again */
};

/* One per server instance (zeroed, then filled by its creator: main.c, or a test); only that instance's
 * lws service thread touches it. */
struct app {
	const struct config *cfg;
	struct db *db;
	struct change_sink sink;
	struct ratelimit limits;      /* per client address: logins and token misses (zeroed: none seen) */
	struct feed_cache *feeds;     /* rendered calendar feeds (feed_cache_new; NULL: not cached) */
	struct system_state system;   /* tz rules and write-ahead log watch (domain/system.h) */
	struct app_page r_page;	      /* web_root/r.html, the participant's page (api/pages.c) */
	struct app_page e_page;	      /* web_root/e.html, an event's public page (api/pages.c) */
	struct app_page checkin_page; /* web_root/checkin.html, the door's check-in screen (api/pages.c) */
	struct app_page login_page;   /* web_root/login.html, the back office's login (api/pages.c) */
	struct app_page admin_page;   /* web_root/admin.html, the back office's shell (api/pages.c) */
	struct app_page bo_page; /* web_root/officials.html: numbers, calendars, accounts (api/pages.c) */
	/* web_root/calendar.html, event-edit.html and venues.html: the organisers' calendar, event form and
	 * venues and rooms (api/pages.c) */
	struct app_page calendar_page;
	struct app_page event_edit_page;
	struct app_page venues_page;
	struct app_page dash_page; /* web_root/dashboard.html, an event's live dashboard (api/pages.c) */
};

/* Tells the sink (if any) that changes up to seq are committed. */
void app_changed(struct app *app, int64_t seq);
/* Frees what the handlers kept in app (the pages), not what its creator set (cfg, db, feeds). After the
 * last response that may point into them is written (after lws_context_destroy). */
void app_release(struct app *app);

#endif
