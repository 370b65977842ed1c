/*
 * feed_cache: the rendered calendar feeds of one server, kept per feed key (domain/feeds) against the
 * change-log position, with their HTTP validators and the memory file the transport sends them from
 * without a copy; it decides nothing about what a feed shows or who may see it.
 */
#ifndef MAJLIS_API_FEED_CACHE_H
#define MAJLIS_API_FEED_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "domain/domain.h"
#include "domain/feeds.h"

struct db;

#define FEED_CACHE_MAX	    64	 /* rendered feeds kept; the least recently used one goes first */
#define FEED_CACHE_MAX_AGE  3600 /* a cached feed is rendered again after this long even without change */
#define FEED_CACHE_HEADROOM 32	 /* >= LWS_PRE (16 in lws 4.1): bytes in front of a feed's text */

/* The cache of rendered feeds. One per struct app (feed_cache_new); only the lws service thread touches
 * it. */
struct feed_cache;
/* One rendered feed, reference-counted: the cache holds one reference and every response being
 * written holds one, so an entry evicted while it is being sent stays valid. Service thread only. */
struct feed_blob;

/* A rendered feed handed to a handler: data stays valid until feed_blob_release(blob). */
struct feed_view {
	const char *data;
	size_t len;
	const char *etag;	/* strong validator, quoted: hash of exactly these bytes */
	int64_t last_modified;	/* when these bytes were first rendered */
	struct feed_blob *blob; /* the reference the caller owns */
	size_t headroom;	/* bytes of the blob in front of data (see struct response shared_headroom) */
	int fd;			/* a file holding the same bytes at offset headroom, never written to */
};

/* A new empty cache, or NULL without memory; feed_cache_free drops it (feeds being written stay valid
 * until released). Accepts NULL. Service thread. */
struct feed_cache *feed_cache_new(void);
void feed_cache_free(struct feed_cache *c);
/* Drops every cached feed (SIGHUP after a tzdata upgrade); feeds being written stay valid until
 * released. Accepts NULL. Service thread only. */
void feed_cache_invalidate(struct feed_cache *c);
/* The change-log position a cached feed is checked against is read at most once per service-loop pass
 * (SELECT max(seq) per request was ~10% of a 304's cost): main calls feed_cache_pass_begin before each
 * pass, and the change sink calls feed_cache_changed after each commit of this process, so such a commit
 * is seen by the next request and a commit of another process or connection from the next pass on. Until
 * the first feed_cache_pass_begin (unit tests, tools) every request reads the position. Both accept NULL.
 * Service thread only. */
void feed_cache_pass_begin(struct feed_cache *c);
void feed_cache_changed(struct feed_cache *c);
/* Drops one reference; frees the blob at zero. Accepts NULL. Matches struct response's release. */
void feed_blob_release(void *blob);

/*
 * The feed ref names (its access already checked by domain/feeds), from the cache: rendered again by
 * feeds_render when the change log moved past the cached rendering or it is older than
 * FEED_CACHE_MAX_AGE. A rendering whose content (DTSTAMP aside) equals the cached one keeps the cached
 * bytes, so validators only change with the content. Without a cache (c NULL) every call renders. On
 * DOM_OK *out holds a new reference (feed_blob_release it). Service thread.
 */
int feed_cache_get(struct feed_cache *c, struct db *db, const struct config *cfg, const struct feeds_ref *ref,
		   int64_t now, struct feed_view *out, struct dom_err *err);

#endif
