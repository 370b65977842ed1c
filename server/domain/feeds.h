/*
 * feeds: what each calendar feed shows (public, one event, an organisation's or a person's secret feed),
 * the cache of rendered feeds keyed by feed and change-log position, and the secret calendar tokens;
 * it renders through calendar/feed and knows no HTTP.
 */
#ifndef MAJLIS_DOMAIN_FEEDS_H
#define MAJLIS_DOMAIN_FEEDS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/feed.h"
#include "config.h"
#include "domain/domain.h"
#include "util/buf.h"
#include "util/secret.h"

struct db;

/* Feeds list sessions ending in the last FEEDS_WINDOW_PAST seconds and everything to come; a cancelled
 * event stays (STATUS:CANCELLED) for FEEDS_CANCELLED_KEEP seconds after its cancellation
 * (events.cancelled_at, else updated_at), in a person's feed too for the registrations its cancellation
 * cancelled. */
#define FEEDS_WINDOW_PAST    (60 * 86400)
#define FEEDS_CANCELLED_KEEP (60 * 86400)
#define FEEDS_MAX_SESSIONS   5000 /* a feed lists at most this many sessions (earliest first) */
#define FEEDS_CACHE_MAX	     64	  /* rendered feeds kept; the least recently used one goes first */
#define FEEDS_MAX_AGE	     3600 /* a cached feed is rendered again after this long even without change */
#define FEEDS_ETAG_LEN	     35	  /* "\"" + 32 hex + "\"" + NUL */
#define FEEDS_LABEL_MAX	     200  /* characters of a calendar token's label */

/* The cache of rendered feeds. One per process (feeds_cache()); only the lws service thread touches it. */
struct feed_cache;
/* One rendered feed, reference-counted: the cache holds one reference and every response being
 * written holds one, so an entry evicted while it is being sent stays valid. Service thread only. */
struct feed_blob;

/* A rendered feed handed to a handler: data stays valid until feeds_blob_release(blob). */
struct feed_view {
	const char *data;
	size_t len;
	const char *etag;	/* strong validator, quoted: hash of exactly these bytes */
	int64_t last_modified;	/* when these bytes were first rendered */
	struct feed_blob *blob; /* the reference the caller owns */
	size_t headroom;	/* bytes of the blob in front of data (see struct response shared_headroom) */
	int fd;			/* a file holding the same bytes at offset headroom, never written to */
};

/* The process-wide cache (created empty, never NULL). Service thread only. */
struct feed_cache *feeds_cache(void);
/* Drops every cached feed of the process-wide cache (SIGHUP after a tzdata upgrade, and at exit to free
 * memory); feeds being written stay valid until released. Service thread only. */
void feeds_invalidate_all(void);
/* The change-log position a cached feed is checked against is read at most once per service-loop pass
 * (SELECT max(seq) per request was ~10% of a 304's cost): main calls feeds_pass_begin before each pass,
 * and the change sink calls feeds_changed after each commit of this process, so such a commit is seen
 * by the next request and a commit of another process or connection from the next pass on. Until the
 * first feeds_pass_begin (unit tests, tools) every request reads the position. Service thread only. */
void feeds_pass_begin(void);
void feeds_changed(int64_t seq);
/* Drops one reference; frees the blob at zero. Accepts NULL. Matches struct response's release. */
void feeds_blob_release(void *blob);

/* Filters of the public feed; all optional (NULL / 0). Strings borrowed. */
struct feeds_filter {
	const char *city;
	const char *type; /* "training", "workshop", "concertation" (anything else: DOM_INVALID) */
	int64_t org_id;	  /* owning or partner organisation */
};

/* The public feed: every public event's sessions matching f, in lang. On DOM_OK *out holds a reference
 * (feeds_blob_release it). Renders only when the change log moved since the cached rendering. */
int feeds_public(struct feed_cache *c, struct db *db, const struct config *cfg, const struct feeds_filter *f,
		 enum feed_lang lang, int64_t now, struct feed_view *out, struct dom_err *err);
/* One event's feed (all its sessions): anyone for a public event; otherwise an admin or an organiser of
 * its owning or a partner organisation; DOM_NOT_FOUND for everyone else. */
int feeds_event(struct feed_cache *c, struct db *db, const struct config *cfg, const struct principal *p,
		int64_t event_id, enum feed_lang lang, int64_t now, struct feed_view *out,
		struct dom_err *err);
/* What a message about an event says of it, in one language. Owned by the caller (feeds_summary_free). */
struct feeds_summary {
	char *title;	 /* in the language asked for, else another */
	char *org_name;	 /* the owning organisation */
	char *org_email; /* its contact address (validated where it entered), or NULL */
	char *where;	 /* venue, room, address, city of the first session shown; NULL when unknown */
	struct buf when; /* one line per session ("Début : 2026-10-15 10:00, heure du Maroc, UTC+0\n") */
};
#define FEEDS_SUMMARY_MAX      (16 * 1024)
#define FEEDS_SUMMARY_SESSIONS 12 /* lines of when at most; then "…" */

/* Summarises event_id in lang: every session, or only session_id when > 0; with ics set, also renders into it
 * the event's calendar (all its sessions, as feeds_event gives it, stamped now) from the same query, without
 * the cache or any access check (the notifications worker attaches it to a message to someone entitled to
 * it). DOM_NOT_FOUND when the event is gone (or has no session). Any thread with its own db. */
int feeds_event_summary(struct db *db, const struct config *cfg, int64_t event_id, int64_t session_id,
			enum feed_lang lang, int64_t now, struct feeds_summary *out, struct buf *ics,
			struct dom_err *err);
/* Frees what s holds; accepts NULL. */
void feeds_summary_free(struct feeds_summary *s);
/* The secret feed of token: an organisation's (its own and partner events, every visibility) or a
 * person's (events they are registered for, with their own ATTENDEE). An unknown or revoked token is
 * DOM_NOT_FOUND. has_lang false: the person's preferred language (organisations: French). */
int feeds_by_token(struct feed_cache *c, struct db *db, const struct config *cfg, const char *token,
		   bool has_lang, enum feed_lang lang, int64_t now, struct feed_view *out,
		   struct dom_err *err);

/* The owners a calendar token may have, NULL-terminated: "organisation", "person". */
extern const char *const feeds_token_owner_kinds[];

/* A calendar token to create as the api read it from the body {"owner_kind", "owner_id", "label"}
 * (types and shapes checked; strings borrowed from the body). Lives on the caller's stack. */
struct feeds_token_input {
	const char *owner_kind; /* one of feeds_token_owner_kinds, NULL when absent or null */
	bool has_owner_id;	/* owner_id was given (a positive id) */
	int64_t owner_id;
	const char *label; /* optional text, NULL when absent or null */
};

/* Creates a secret feed token from in (owner_kind and owner_id required) at now: an admin, or an
 * organiser of that organisation (of the person's organisation for a person). token receives the
 * secret (shown once; only its hash is stored); *out the token row (new reference); *seq the change-log
 * position. One transaction; service thread. */
int feeds_token_create(struct db *db, const struct principal *p, const struct feeds_token_input *in,
		       int64_t now, char token[SECRET_TOKEN_LEN + 1], struct json_object **out, int64_t *seq,
		       struct dom_err *err);
/* A page of valid tokens the caller answers for (admin: all; organiser: their organisation's and its
 * people's); other roles DOM_FORBIDDEN. Never token values or hashes. */
int feeds_token_list(struct db *db, const struct principal *p, int64_t limit, int64_t offset,
		     struct json_object **items, int64_t *total, struct dom_err *err);
/* Replaces token id by a new one for the same owner and label, in one transaction: the old URL answers
 * DOM_NOT_FOUND from the next request on, the new token (shown once) works at once. Same rights and
 * answers as feeds_token_revoke; token, *out and *seq as feeds_token_create. */
int feeds_token_rotate(struct db *db, const struct principal *p, int64_t id, int64_t now,
		       char token[SECRET_TOKEN_LEN + 1], struct json_object **out, int64_t *seq,
		       struct dom_err *err);
/* Revokes token id: its feed answers DOM_NOT_FOUND from the next request on. DOM_NOT_FOUND when absent,
 * already revoked or not the caller's. One transaction; service thread. */
int feeds_token_revoke(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
		       struct dom_err *err);

#endif
