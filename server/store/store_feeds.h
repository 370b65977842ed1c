/*
 * store_feeds: read-only SQL for what calendar feeds show (sessions with their event, organisation and
 * venue) and the calendar_tokens rows; it stores the hashes it is given and must not render, hash,
 * check permissions or decide which window a feed covers.
 */
#ifndef MAJLIS_STORE_STORE_FEEDS_H
#define MAJLIS_STORE_STORE_FEEDS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* All functions return 0 (STORE_OK) or a negative store_rc; JSON results are new references the caller
 * puts. Service thread (or the owner of db). */

/* Which sessions a feed lists. Lives on the caller's stack; strings borrowed. */
struct store_feed_query {
	int64_t from_utc;	 /* sessions ending at or after this instant */
	int64_t cancelled_since; /* cancelled events only when their updated_at >= this */
	const char *city;	 /* public: venue city (case-insensitive), NULL for any */
	const char *type;	 /* public: event type, NULL for any */
	int64_t org_id;		 /* public: owning or partner organisation, 0 for any */
	int64_t limit;		 /* at most this many sessions */
};

/* Session rows, ordered by start, each an object with: session_id, event_id, session_title,
 * starts_local, tz, start_utc, end_utc, start_offset, session_sequence, session_updated_at, type,
 * title_fr/ar/en, description_fr/ar/en, status, event_sequence, event_updated_at, url, visibility,
 * org_name, org_email, venue_name, venue_address, venue_city, latitude, longitude, room_name
 * (and registration_status for a person). */

/* Public events (visibility 'public') matching q. */
int store_feeds_public(struct db *db, const struct store_feed_query *q, struct json_object **rows);
/* Events of any visibility that org_id owns or is a partner of, in q's window (q's filters ignored). */
int store_feeds_org(struct db *db, int64_t org_id, const struct store_feed_query *q,
		    struct json_object **rows);
/* Events person_id holds a pending, confirmed, waitlisted or declined registration for, in q's window. */
int store_feeds_person(struct db *db, int64_t person_id, const struct store_feed_query *q,
		       struct json_object **rows);
/* Every session of one event (no window), at most limit. */
int store_feeds_event(struct db *db, int64_t event_id, int64_t limit, struct json_object **rows);

/* Who may see event_id: its visibility ("public"/"invited"/"internal" into visibility[16]), owning
 * organisation, and whether org_id (0: none) is one of its partners. STORE_NOT_FOUND when absent. */
int store_feeds_event_access(struct db *db, int64_t event_id, int64_t org_id, char visibility[16],
			     int64_t *owner_org, bool *partner);
/* The organisation's name into name (truncated to namelen). STORE_NOT_FOUND when absent. */
int store_feeds_org_name(struct db *db, int64_t org_id, char *name, size_t namelen);
/* The person's {id, org_id, name, name_ar, email, lang, erased_at}. STORE_NOT_FOUND when absent. */
int store_feeds_person_row(struct db *db, int64_t person_id, struct json_object **out);

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
/* {id, owner_kind, owner_id, label, created_by, created_at, revoked_at} of token id. */
int store_calendar_token_json(struct db *db, int64_t id, struct json_object **out);
/* A page of valid tokens ordered by id, those org_id answers for when > 0 (all otherwise). */
int store_calendar_token_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
			      struct json_object **items, int64_t *total);
/* Sets revoked_at. STORE_NOT_FOUND when absent or already revoked. */
int store_calendar_token_revoke(struct db *db, int64_t id, int64_t now);

#endif
