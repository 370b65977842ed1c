/*
 * feeds: what each calendar feed shows (public, one event, an organisation's or a person's secret feed)
 * and who may see it; it renders through calendar/feed and knows no HTTP: caching the rendered bytes,
 * their validators and how they are sent are the api's (api/feed_cache.h).
 */
#ifndef MAJLIS_DOMAIN_FEEDS_H
#define MAJLIS_DOMAIN_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/feed.h"
#include "config.h"
#include "domain/domain.h"
#include "util/buf.h"

struct db;
struct store_feed_row;

/* Feeds list sessions ending in the last FEEDS_WINDOW_PAST seconds and everything to come; a cancelled
 * event stays (STATUS:CANCELLED) for FEEDS_CANCELLED_KEEP seconds after its cancellation
 * (events.cancelled_at, else updated_at), in a person's feed too for the registrations its cancellation
 * cancelled. */
#define FEEDS_WINDOW_PAST    (60 * 86400)
#define FEEDS_CANCELLED_KEEP (60 * 86400)
#define FEEDS_MAX_SESSIONS   5000 /* a feed lists at most this many sessions (earliest first) */
#define FEEDS_KEY_MAX	     400  /* bytes of a feed's key, NUL included */

/* Filters of the public feed; all optional (NULL / 0). Strings borrowed. */
struct feeds_filter {
	const char *city;
	const char *type; /* "training", "workshop", "concertation" (anything else: DOM_INVALID) */
	int64_t org_id;	  /* owning or partner organisation */
};

enum feeds_kind { FEEDS_PUBLIC, FEEDS_EVENT, FEEDS_ORG, FEEDS_PERSON, FEEDS_REGISTRATION };

/* A feed a request names, once its access check has passed: what feeds_render needs, and the key that is
 * the same for every request that gets the same bytes (kind, owner or filters, language). On the caller's
 * stack; the filter's strings are borrowed from the caller's. */
struct feeds_ref {
	enum feeds_kind kind;
	int64_t id; /* the event, organisation, person or registration; 0 for the public feed */
	struct feeds_filter filter; /* the public feed's */
	enum feed_lang lang;
	char key[FEEDS_KEY_MAX];
};

/* The public feed: every public event's sessions matching f, in lang. DOM_INVALID "invalid_query" for an
 * unknown type or filters too long for a key. */
int feeds_public(const struct feeds_filter *f, enum feed_lang lang, struct feeds_ref *out,
		 struct dom_err *err);
/* One event's feed (all its sessions): anyone for a public event; otherwise an admin or an organiser of
 * its owning or a partner organisation; DOM_NOT_FOUND for everyone else. */
int feeds_event(struct db *db, const struct principal *p, int64_t event_id, enum feed_lang lang,
		struct feeds_ref *out, struct dom_err *err);
/* The secret feed of token: an organisation's (its own and partner events, every visibility) or a
 * person's (events they are registered for, with their own ATTENDEE). An unknown or revoked token, or an
 * erased person, is DOM_NOT_FOUND. has_lang false: the person's preferred language (organisations:
 * French). */
int feeds_by_token(struct db *db, const char *token, bool has_lang, enum feed_lang lang,
		   struct feeds_ref *out, struct dom_err *err);
/* The calendar of one registration, for the participant who holds its personal link (the caller has
 * looked the link up: registrations_calendar): every session of its event, whatever the event's
 * visibility, with the participant as ATTENDEE and their registration's status as PARTSTAT (declined,
 * cancelled or rejected: DECLINED). */
void feeds_registration(int64_t reg_id, enum feed_lang lang, struct feeds_ref *out);
/* Renders the feed ref names, as it is at now, into out (iCalendar text). Returns DOM_OK or a dom_code
 * (err set). Service thread. */
int feeds_render(struct db *db, const struct config *cfg, const struct feeds_ref *ref, int64_t now,
		 struct buf *out, struct dom_err *err);
/* The change-log position into *seq: a rendering made after reading it shows every change up to it. */
int feeds_position(struct db *db, int64_t *seq, struct dom_err *err);

/* For the messages of domain/outbox: fills s from a store_feeds session row (strings borrowed from
 * row); an event's title in lang, else in the others (the order of feed_fallback), from one of its
 * session rows (NULL when it has none); and the calendar of one event from its session rows, named after
 * it, into out. Any thread with its own db. */
void feeds_session_of(const struct store_feed_row *row, struct feed_session *s);
const char *feeds_event_title(const struct store_feed_row *row, enum feed_lang lang);
int feeds_render_event_rows(const struct config *cfg, const struct store_feed_row *rows, size_t n,
			    enum feed_lang lang, int64_t now, struct buf *out, struct dom_err *err);

#endif
