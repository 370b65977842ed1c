/*
 * sessions: the rules of an event's sessions — wall time + zone to UTC (gaps and folds refused with a
 * reason), double-booking of rooms and facilitators, sequence bumps and the notifications a move
 * implies, and the recomputation after a tz database upgrade; it never parses HTTP or builds SQL.
 */
#ifndef MAJLIS_DOMAIN_SESSIONS_H
#define MAJLIS_DOMAIN_SESSIONS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "calendar/tz.h"
#include "domain/domain.h"
#include "store/store_sessions.h"

struct db;

/* What a client asked to set on a session. Strings point into the caller's parsed body (valid for the
 * call). For create, starts_local and ends_local are required; for a patch every member is optional.
 * Lives on the handler's stack. */
struct session_input {
	const char *starts_local; /* "YYYY-MM-DDTHH:MM[:SS]", NULL: unchanged */
	const char *ends_local;
	const char *tz; /* NULL: unchanged (create: the venue's zone, else Africa/Casablanca) */
	bool has_starts_offset;
	int32_t starts_offset; /* picks one of two occurrences of a repeated wall time */
	bool has_ends_offset;
	int32_t ends_offset;
	bool has_room;
	int64_t room_id; /* 0: none */
	bool has_facilitator;
	int64_t facilitator_id; /* 0: none */
	bool has_title;
	const char *title; /* NULL: clear */
};

/* Whether [a0, a1) and [b0, b1) share an instant: a0 < b1 && b0 < a1. Pure. */
bool sessions_overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1);

/* Turns a tz_local_to_utc result for field (e.g. "starts_local") naming wall time local in zone into
 * err: TZ_GAP -> 422 "nonexistent_local_time", TZ_AMBIGUOUS -> 422 "ambiguous_local_time" (naming both
 * offsets), TZ_BAD_OFFSET -> 422 "offset_mismatch", TZ_BAD_ZONE -> 400 "invalid_field", TZ_BAD_TIME ->
 * 400 "invalid_field". Returns err->code. */
int sessions_tz_error(struct dom_err *err, enum tz_rc rc, const char *field, const char *local,
		      const char *zone);

/* Converts one wall time (normalised into out_local) with an optional offset hint. 0 or err filled. */
int sessions_resolve(const char *field, const char *local, const char *zone, int32_t hint,
		     char out_local[TZ_LOCAL_LEN], int64_t *utc, int32_t *offset, struct dom_err *err);

/* Checks s against every other session of a non-cancelled event sharing its room or facilitator:
 * 0, or 409 "room_conflict"/"facilitator_conflict" naming the other session. Call inside the write
 * transaction. */
int sessions_check_conflicts(struct db *db, const struct session_row *s, struct dom_err *err);

/* JSON for one session: wall times, zone, RFC 3339 instants with offsets, UTC instants and warnings.
 * New reference. */
struct json_object *sessions_render(const struct session_row *s);

/* Each writes ONE transaction (change log "event:<id>", outbox for registrants when time or place
 * moves). On success *out (may be NULL) gets the rendered session (caller puts) and *seq the
 * change-log sequence; returns 0 or a dom_code with err filled and nothing written. */
int sessions_create(struct db *db, const struct principal *p, int64_t event_id,
		    const struct session_input *in, int64_t now, struct json_object **out, int64_t *seq,
		    struct dom_err *err);
/* Whether p may add a session to event event_id (DOM_NOT_FOUND when it does not exist or p may not see
 * it, DOM_FORBIDDEN when p sees it but does not manage its organisation), and whether p may change or
 * delete session id (the same of its event, worded for the session), asked by the api before it reads
 * the body. sessions_create, sessions_update and sessions_delete check the same themselves. */
int sessions_event_writable(struct db *db, const struct principal *p, int64_t event_id, struct dom_err *err);
int sessions_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
int sessions_update(struct db *db, const struct principal *p, int64_t id, const struct session_input *in,
		    int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);
int sessions_delete(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
		    struct dom_err *err);
/* The session as its event's visibility allows (404 otherwise). */
int sessions_get(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
		 struct dom_err *err);

/* Recomputes start_utc/end_utc/offsets of every session from its wall time and zone (after a tz
 * database upgrade), in one transaction: a session whose instant moved gets its sequence (and its
 * event's) bumped, a change-log row and "session.time_changed" outbox rows for its registrants.
 * A wall time that no longer exists keeps its stored instant (logged). now (the caller's clock) is
 * written as their updated_at and the rows' time. Returns the number of sessions moved, or a negative
 * dom_code with err filled. Service thread only. */
int sessions_tz_refresh(struct db *db, int64_t now, struct dom_err *err);

#endif
