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

/* At least the number of rows of api/pages.c's table (a static assertion there checks it). */
#define APP_PAGES_MAX 32

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
	struct ratelimit limits;    /* per client address: logins and token misses (zeroed: none seen) */
	struct feed_cache *feeds;   /* rendered calendar feeds (feed_cache_new; NULL: not cached) */
	struct system_state system; /* tz rules and write-ahead log watch (domain/system.h) */
	/* the pages of the web root served by api/pages.c, one slot per row of its table (the rows of one
	 * file share the first one's) */
	struct app_page pages[APP_PAGES_MAX];
};

/* Tells the sink (if any) that changes up to seq are committed. */
void app_changed(struct app *app, int64_t seq);
/* Frees what the handlers kept in app (the pages), not what its creator set (cfg, db, feeds). After the
 * last response that may point into them is written (after lws_context_destroy). */
void app_release(struct app *app);

#endif
