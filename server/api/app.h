/*
 * app: what every handler is given — settings, the service thread's database connection, the
 * sink that carries committed changes to live clients and caches, and the system state /healthz reports;
 * wired once in main.c.
 */
#ifndef MAJLIS_API_APP_H
#define MAJLIS_API_APP_H

#include <stdint.h>

#include "api/ratelimit.h"
#include "config.h"
#include "domain/system.h"

struct db;
struct feed_cache;

/* Told after each committed change (seq from the change log). Called on the service thread. */
struct change_sink {
	void (*changed)(void *ctx, int64_t seq);
	void *ctx;
};

/* One per process; only the lws service thread touches it. */
struct app {
	const struct config *cfg;
	struct db *db;
	struct change_sink sink;
	struct ratelimit limits;    /* per client address: logins and token misses (zeroed: none seen) */
	struct feed_cache *feeds;   /* rendered calendar feeds (feed_cache_new; NULL: not cached) */
	struct system_state system; /* tz rules and write-ahead log watch (domain/system.h) */
};

/* Tells the sink (if any) that changes up to seq are committed. */
void app_changed(struct app *app, int64_t seq);

#endif
