/*
 * feed_cache: keeps the rendered bytes of each calendar feed (reference-counted blobs in sealed memory
 * files, least recently used first out) against the change-log position, with their ETag and
 * Last-Modified; it must not decide what a feed shows or who may see it (domain/feeds), nor include
 * libwebsockets.
 */
#include "api/feed_cache.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/conditional.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/memfile.h"
#include "util/secret.h"

#define FEED_CACHE_BODY_MAX (32 * 1024 * 1024)

struct feed_blob {
	int refs; /* the cache's reference plus one per response being written */
	int64_t last_modified;
	char etag[API_ETAG_LEN];
	char content_hash[SECRET_HASH_LEN + 1]; /* hash of the body without DTSTAMP lines */
	size_t len;
	/* FEED_CACHE_HEADROOM zero bytes, the len bytes of the feed, a NUL: sealed, so that the transport may
	 * send them with sendfile(), or hand them to a library wanting headroom, without copying them */
	struct memfile file;
};

/* One cached feed. Lives in the cache; service thread only. */
struct feed_cache_entry {
	char key[FEEDS_KEY_MAX];
	int64_t seq;		/* change-log position the rendering saw (read before rendering) */
	int64_t rendered_at;	/* last time it was rendered or found unchanged */
	uint64_t used;		/* LRU clock */
	struct feed_blob *blob; /* NULL: free slot */
};

/* One per struct app (main.c makes it); service thread only. */
struct feed_cache {
	struct feed_cache_entry entries[FEED_CACHE_MAX];
	uint64_t clock;
	int64_t seq;	/* change-log position read in this service pass, valid while seq_known */
	bool seq_known; /* cleared at each pass and by each commit of this process (feed_cache_changed) */
	bool passes; /* feed_cache_pass_begin was called: without passes (tests, tools) seq is never kept */
};

struct feed_cache *feed_cache_new(void)
{
	return calloc(1, sizeof(struct feed_cache));
}

void feed_blob_release(void *blob)
{
	struct feed_blob *b = blob;

	if (!b)
		return;
	if (--b->refs <= 0) {
		memfile_free(&b->file);
		free(b);
	}
}

static void feed_cache_entry_drop(struct feed_cache_entry *e)
{
	feed_blob_release(e->blob);
	memset(e, 0, sizeof(*e));
}

void feed_cache_pass_begin(struct feed_cache *c)
{
	if (!c)
		return;
	c->seq_known = false;
	c->passes = true;
}

void feed_cache_changed(struct feed_cache *c)
{
	if (c)
		c->seq_known = false;
}

/* The change-log position: read once per service pass (a pass handles many requests under load). */
static int feed_cache_seq(struct feed_cache *c, struct db *db, int64_t *seq, struct dom_err *err)
{
	int rc;

	if (c->seq_known) {
		*seq = c->seq;
		return DOM_OK;
	}
	rc = feeds_position(db, seq, err);
	if (rc)
		return rc;
	c->seq = *seq;
	c->seq_known = c->passes;
	return DOM_OK;
}

void feed_cache_invalidate(struct feed_cache *c)
{
	for (size_t i = 0; c && i < FEED_CACHE_MAX; i++)
		feed_cache_entry_drop(&c->entries[i]);
}

void feed_cache_free(struct feed_cache *c)
{
	feed_cache_invalidate(c);
	free(c);
}

/* SHA-256 hex of text without its DTSTAMP lines (the generation time): equal hashes mean equal feeds. */
static void feed_cache_content_hash(const char *text, size_t len, char out[SECRET_HASH_LEN + 1])
{
	char *copy = malloc(len + 1);
	size_t o = 0;

	if (!copy) {
		secret_hash(text, len, out);
		return;
	}
	for (const char *p = text, *end = text + len; p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = e ? (size_t)(e - p) + 1 : (size_t)(end - p);

		if (n < 8 || memcmp(p, "DTSTAMP:", 8)) {
			memcpy(copy + o, p, n);
			o += n;
		}
		p += n;
	}
	secret_hash(copy, o, out);
	free(copy);
}

static struct feed_blob *feed_cache_blob_new(const struct buf *b)
{
	struct feed_blob *blob = calloc(1, sizeof(*blob));
	const char *data = b->data ? b->data : "";

	if (!blob)
		return NULL;
	if (memfile_create(&blob->file, "majlis-feed", FEED_CACHE_HEADROOM, data, b->len)) {
		log_err("cannot keep a rendered feed: %s", strerror(errno));
		free(blob);
		return NULL;
	}
	blob->refs = 1;
	blob->len = b->len;
	api_etag(data, blob->len, blob->etag);
	feed_cache_content_hash(data, blob->len, blob->content_hash);
	return blob;
}

/* The entry for key, or NULL. */
static struct feed_cache_entry *feed_cache_find(struct feed_cache *c, const char *key)
{
	for (size_t i = 0; i < FEED_CACHE_MAX; i++)
		if (c->entries[i].blob && !strcmp(c->entries[i].key, key))
			return &c->entries[i];
	return NULL;
}

/* A free slot, or the least recently used one emptied. */
static struct feed_cache_entry *feed_cache_slot(struct feed_cache *c)
{
	struct feed_cache_entry *victim = &c->entries[0];

	for (size_t i = 0; i < FEED_CACHE_MAX; i++) {
		struct feed_cache_entry *e = &c->entries[i];

		if (!e->blob)
			return e;
		if (e->used < victim->used)
			victim = e;
	}
	feed_cache_entry_drop(victim);
	return victim;
}

/* Fills out with a new reference to blob. */
static void feed_cache_view(struct feed_blob *blob, struct feed_view *out)
{
	blob->refs++;
	out->blob = blob;
	out->data = blob->file.map + FEED_CACHE_HEADROOM;
	out->len = blob->len;
	out->etag = blob->etag;
	out->last_modified = blob->last_modified;
	out->headroom = FEED_CACHE_HEADROOM;
	out->fd = blob->file.fd;
}

int feed_cache_get(struct feed_cache *c, struct db *db, const struct config *cfg, const struct feeds_ref *ref,
		   int64_t now, struct feed_view *out, struct dom_err *err)
{
	struct feed_cache_entry *e = NULL;
	struct feed_blob *blob = NULL;
	struct buf b;
	int64_t seq = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&b, FEED_CACHE_BODY_MAX);
	if (c) {
		/* read the position before rendering: a change committed meanwhile makes the next request
		 * render */
		rc = feed_cache_seq(c, db, &seq, err);
		if (rc)
			goto out;
		e = feed_cache_find(c, ref->key);
		if (e && e->seq == seq && now >= e->rendered_at && now - e->rendered_at < FEED_CACHE_MAX_AGE)
			goto hit;
	}
	rc = feeds_render(db, cfg, ref, now, &b, err);
	if (rc)
		goto out;
	blob = feed_cache_blob_new(&b);
	if (!blob) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "out of memory rendering a feed");
		goto out;
	}
	if (!c) { /* no cache: the caller's reference is the only one */
		blob->last_modified = now;
		feed_cache_view(blob, out);
		feed_blob_release(blob);
		rc = DOM_OK;
		goto out;
	}
	if (e && !strcmp(e->blob->content_hash, blob->content_hash)) {
		feed_blob_release(blob);
		blob = NULL;
	} else {
		blob->last_modified = now;
		if (e && e->blob->last_modified >= now)
			blob->last_modified = e->blob->last_modified + 1;
		if (!e) {
			e = feed_cache_slot(c);
			snprintf(e->key, sizeof(e->key), "%s", ref->key);
		} else {
			feed_blob_release(e->blob);
		}
		e->blob = blob;
		blob = NULL;
	}
	e->seq = seq;
	e->rendered_at = now;
hit:
	e->used = ++c->clock;
	feed_cache_view(e->blob, out);
	rc = DOM_OK;
out:
	buf_free(&b);
	return rc;
}
