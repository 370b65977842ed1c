/*
 * feed: renders an iCalendar VCALENDAR (RFC 5545, METHOD:PUBLISH) from plain C structs with libical;
 * it reads no database and knows no domain type — callers fill the structs.
 */
#ifndef MAJLIS_CALENDAR_FEED_H
#define MAJLIS_CALENDAR_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Languages of a feed; texts fall back in a fixed order when the wanted one is missing. */
enum feed_lang { FEED_LANG_FR = 0, FEED_LANG_AR = 1, FEED_LANG_EN = 2 };
#define FEED_N_LANGS 3

/* STATUS of a VEVENT: scheduled -> CONFIRMED, postponed -> TENTATIVE, cancelled -> CANCELLED. */
enum feed_status { FEED_STATUS_CONFIRMED = 0, FEED_STATUS_TENTATIVE, FEED_STATUS_CANCELLED };

/* PARTSTAT of the feed owner's own ATTENDEE line (personal feeds only). */
enum feed_partstat {
	FEED_PART_ACCEPTED = 0,
	FEED_PART_TENTATIVE,
	FEED_PART_NEEDS_ACTION,
	FEED_PART_DECLINED
};

/* The one attendee a personal feed shows: the feed's owner. Strings borrowed from the caller. */
struct feed_attendee {
	const char *name;  /* CN; may be NULL */
	const char *email; /* mailto: address; NULL -> urn:x-majlis:person:<id> */
	int64_t person_id;
	enum feed_partstat partstat;
};

/* One VEVENT: one session of an event. All strings are borrowed (NULL when absent) and must outlive
 * feed_render; they may hold any bytes — control characters are neutralised and invalid UTF-8 replaced. */
struct feed_session {
	int64_t id; /* session id: UID "session-<id>@<domain>" */
	int64_t event_id;
	const char *title[FEED_N_LANGS];       /* event title by enum feed_lang */
	const char *description[FEED_N_LANGS]; /* event description by enum feed_lang */
	const char *session_title;	       /* appended to SUMMARY after " — " when set */
	const char *event_type;	  /* "training", "workshop", "concertation" (CATEGORIES, localised) */
	int64_t start_utc;	  /* DTSTART, seconds since the epoch (rendered in UTC) */
	int64_t end_utc;	  /* DTEND */
	const char *starts_local; /* stored wall time "YYYY-MM-DDTHH:MM:SS" (spelled out in DESCRIPTION) */
	int32_t start_offset;	  /* UTC offset in seconds at the start */
	const char *tz;		  /* zone of the wall time; "Africa/Casablanca" reads "Morocco time" */
	enum feed_status status;
	int64_t sequence;      /* event.sequence + session.sequence */
	int64_t last_modified; /* LAST-MODIFIED: latest updated_at of event and session */
	const char *venue_name;
	const char *room_name;
	const char *venue_address;
	const char *venue_city;
	bool has_geo;
	double latitude, longitude;
	const char *url;       /* URL: event url, or NULL to use <public_url>/events/<event_id> */
	const char *org_name;  /* ORGANIZER CN */
	const char *org_email; /* ORGANIZER is emitted only when set */
	const struct feed_attendee *attendee; /* NULL in public and organisation feeds */
};

/* A whole calendar. Lives on the caller's stack for one feed_render call. */
struct feed_calendar {
	const char *name; /* X-WR-CALNAME */
	enum feed_lang lang;
	const char *uid_domain; /* right-hand side of UIDs (config calendar_domain) */
	const char *public_url; /* base of fallback URLs; NULL or "" for none */
	int64_t now;		/* DTSTAMP: generation time */
	const struct feed_session *sessions;
	size_t n_sessions;
};

/* Renders cal as iCalendar text (CRLF lines folded at 75 octets on UTF-8 boundaries) appended to out.
 * Returns 0, or -1 when libical fails or out reaches its maximum (out may then hold a partial text).
 * Any thread: libical keeps its scratch strings per thread, and the call holds tz_read_begin so that a tz
 * reload never frees libical's zones under it. */
int feed_render(const struct feed_calendar *cal, struct buf *out);

/* Appends to b the line that spells out the local start of s in lang, as every DESCRIPTION does:
 * "Début : 2026-01-15 10:00, heure du Maroc, UTC+1". Nothing when s has no wall time. Returns 0 or -1. */
int feed_time_line(struct buf *b, const struct feed_session *s, enum feed_lang lang);

/* "fr", "ar", "en" -> lang; returns 0, or -1 when s is none of them. */
int feed_lang_parse(const char *s, enum feed_lang *lang);
const char *feed_lang_name(enum feed_lang lang);

/* Whether every CRLF-terminated line of text is at most 75 octets, no continuation line starts inside a
 * UTF-8 sequence, and text is valid UTF-8 once unfolded. Exposed for tests. */
bool feed_folding_ok(const char *text, size_t len);

/* Unfolds CRLF-terminated text and folds it again at 75 octets, never inside a UTF-8 sequence, appending
 * to out. feed_render uses it only when libical's folding fails feed_folding_ok. Returns 0 or -1. */
int feed_refold(const char *text, size_t len, struct buf *out);

#endif
