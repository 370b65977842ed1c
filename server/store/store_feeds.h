/*
 * store_feeds: read-only SQL for what calendar feeds show (sessions with their event, organisation and
 * venue) and the calendar_tokens rows; it stores the hashes it is given and must not render, hash,
 * check permissions or decide which window a feed covers.
 */
#ifndef MAJLIS_STORE_STORE_FEEDS_H
#define MAJLIS_STORE_STORE_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* All functions return 0 (STORE_OK) or a negative store_rc. Service thread (or the owner of db). */

/* Which sessions a feed lists. Lives on the caller's stack; strings borrowed. */
struct store_feed_query {
	int64_t from_utc;	 /* sessions ending at or after this instant */
	int64_t cancelled_since; /* cancelled events only when their updated_at >= this */
	const char *city;	 /* public: venue city (case-insensitive), NULL for any */
	const char *type;	 /* public: event type, NULL for any */
	int64_t org_id;		 /* public: owning or partner organisation, 0 for any */
	int64_t limit;		 /* at most this many sessions */
};

/* One session a feed lists, with its event, the event's organisation and the session's venue and room
 * (the room's venue, else the event's). Strings are malloc'ed (NULL for SQL NULL), freed by
 * store_feed_row_clear. Lives in an array from store_feeds_* for one call; any thread with its own db. */
struct store_feed_row {
	int64_t session_id;	    /* the session: UID "session-<id>@<domain>" */
	int64_t event_id;	    /* its event */
	char *session_title;	    /* the session's optional title, or NULL */
	char *starts_local;	    /* wall start "YYYY-MM-DDTHH:MM:SS" in tz */
	char *tz;		    /* zone of the wall times */
	int64_t start_utc;	    /* start, Unix seconds */
	int64_t end_utc;	    /* end, Unix seconds */
	int64_t start_offset;	    /* UTC offset (s) at the start */
	int64_t session_sequence;   /* sessions.sequence */
	int64_t session_updated_at; /* the session's last change */
	char *type;		    /* the event's type */
	char *title[3];		    /* the event's titles: fr, ar, en (NULL when absent) */
	char *description[3];	    /* the event's descriptions: fr, ar, en (NULL when absent) */
	char *status;		    /* the event's status */
	int64_t event_sequence;	    /* events.sequence */
	int64_t event_updated_at;   /* the event's last change */
	char *url;		    /* the event's url, or NULL */
	char *visibility;	    /* the event's visibility */
	char *org_name;		    /* the owning organisation's name */
	char *org_email;	    /* its public contact address, or NULL */
	char *venue_name;	    /* the venue's name, or NULL (no venue) */
	char *venue_address;	    /* its street address, or NULL */
	char *venue_city;	    /* its city, or NULL */
	bool has_latitude;	    /* latitude holds the venue's (a number, not NULL) */
	double latitude;	    /* GEO latitude when has_latitude */
	bool has_longitude;	    /* longitude holds the venue's (a number, not NULL) */
	double longitude;	    /* GEO longitude when has_longitude */
	char *room_name;	    /* the room's name, or NULL (no room) */
	char *registration_status;  /* store_feeds_person only: the person's registration status, or
				       "facilitator" for a session they lead; NULL otherwise */
};

/* Frees the strings of r and zeroes it. Accepts NULL. */
void store_feed_row_clear(struct store_feed_row *r);
/* Clears the n rows of an array from store_feeds_* and frees it. Accepts NULL. */
void store_feed_rows_free(struct store_feed_row *rows, size_t n);

/* Each lists its sessions ordered by start (then id) into *rows, a malloc'ed array of *n rows (NULL when
 * none; caller frees with store_feed_rows_free). */

/* Public events (visibility 'public') matching q. */
int store_feeds_public(struct db *db, const struct store_feed_query *q, struct store_feed_row **rows,
		       size_t *n);
/* Events of any visibility that org_id owns or is a partner of, in q's window (q's filters ignored). */
int store_feeds_org(struct db *db, int64_t org_id, const struct store_feed_query *q,
		    struct store_feed_row **rows, size_t *n);
/* Events person_id holds a pending, confirmed, waitlisted or declined registration for, in q's window. */
int store_feeds_person(struct db *db, int64_t person_id, const struct store_feed_query *q,
		       struct store_feed_row **rows, size_t *n);
/* Every session of one event (no window), at most limit. */
int store_feeds_event(struct db *db, int64_t event_id, int64_t limit, struct store_feed_row **rows,
		      size_t *n);

/* Who may see event_id: its visibility ("public"/"invited"/"internal" into visibility[16]), owning
 * organisation, and whether org_id (0: none) is one of its partners. STORE_NOT_FOUND when absent. */
int store_feeds_event_access(struct db *db, int64_t event_id, int64_t org_id, char visibility[16],
			     int64_t *owner_org, bool *partner);
/* The organisation's name into name (truncated to namelen). STORE_NOT_FOUND when absent. */
int store_feeds_org_name(struct db *db, int64_t org_id, char *name, size_t namelen);

/* One calendar_tokens row (never the hash). org_id is the organisation answerable for it: the
 * organisation itself, or the person's organisation (0 when none). Lives on the caller's stack. */
struct store_calendar_token {
	int64_t id;
	char owner_kind[16];
	int64_t owner_id;
	int64_t org_id;
	bool revoked;
};

/* Inserts a token row; created_by <= 0 stores NULL, label may be NULL. *id gets the new id. */
int store_calendar_token_insert(struct db *db, const char *token_hash, const char *owner_kind,
				int64_t owner_id, const char *label, int64_t created_by, int64_t now,
				int64_t *id);
/* The valid (not revoked) token with this hash. STORE_NOT_FOUND otherwise. */
int store_calendar_token_by_hash(struct db *db, const char *token_hash, struct store_calendar_token *out);
/* Token id, revoked or not. STORE_NOT_FOUND when absent. */
int store_calendar_token_get(struct db *db, int64_t id, struct store_calendar_token *out);
/* One calendar_tokens row as the API lists it (never the hash). Strings are malloc'ed (NULL for SQL NULL),
 * freed by calendar_token_row_clear. Lives on the caller's stack (store_calendar_token_load) or in an
 * array (store_calendar_token_list) for one call; service thread. */
struct calendar_token_row {
	int64_t id;	    /* token id */
	char *owner_kind;   /* "organisation", "person" or "account" */
	int64_t owner_id;   /* that organisation's, person's or account's id */
	char *label;	    /* its label, or NULL */
	int64_t created_by; /* the account that made it; 0: none (NULL) */
	int64_t created_at; /* creation instant, Unix seconds */
	bool revoked;	    /* revoked_at is set (not NULL) */
	int64_t revoked_at; /* when it was revoked, when revoked */
};

/* Frees the strings of r and zeroes it. Accepts NULL. */
void calendar_token_row_clear(struct calendar_token_row *r);
/* Clears the n rows of an array from store_calendar_token_list and frees it. Accepts NULL. */
void calendar_token_rows_free(struct calendar_token_row *rows, size_t n);

/* Token id, revoked or not, into r (zeroed first; caller clears). STORE_NOT_FOUND when absent. */
int store_calendar_token_load(struct db *db, int64_t id, struct calendar_token_row *r);
/* A page of valid tokens ordered by id, those org_id answers for when > 0 (all otherwise): *rows a
 * malloc'ed array of *n rows (NULL when none; caller frees with calendar_token_rows_free), *total the
 * number matching. */
int store_calendar_token_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
			      struct calendar_token_row **rows, size_t *n, int64_t *total);
/* Sets revoked_at. STORE_NOT_FOUND when absent or already revoked. */
int store_calendar_token_revoke(struct db *db, int64_t id, int64_t now);

#endif
