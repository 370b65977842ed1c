/*
 * store_sessions: SQL for sessions (one meeting of an event), their room/facilitator overlap queries
 * and the room and person look-ups a session needs; it must not decide rules or open transactions.
 */
#ifndef MAJLIS_STORE_STORE_SESSIONS_H
#define MAJLIS_STORE_STORE_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

#define SESSION_LOCAL_LEN 20 /* "YYYY-MM-DDTHH:MM:SS" + NUL */
#define SESSION_ZONE_LEN  64
#define SESSION_TITLE_LEN 1216 /* 300 code points of UTF-8 + NUL */

/* One sessions row, all in fixed buffers (no frees). Stack or array value; service thread only. */
struct session_row {
	int64_t id;
	int64_t event_id;
	char starts_local[SESSION_LOCAL_LEN];
	char ends_local[SESSION_LOCAL_LEN];
	char tz[SESSION_ZONE_LEN];
	int64_t start_utc;
	int64_t end_utc;
	int32_t start_offset;
	int32_t end_offset;
	int64_t room_id;	/* 0: none */
	int64_t facilitator_id; /* 0: none */
	bool has_title;
	char title[SESSION_TITLE_LEN];
	int64_t sequence;
	int64_t created_at;
	int64_t updated_at;
};

/* Loads session id. 0, STORE_NOT_FOUND or negative. */
int store_session_load(struct db *db, int64_t id, struct session_row *r);
/* Inserts r (r->id set on success). 0 or negative (STORE_CONFLICT on a refused constraint). */
int store_session_insert(struct db *db, struct session_row *r);
/* Writes every column of r over row r->id. 0, STORE_NOT_FOUND or negative. */
int store_session_update(struct db *db, const struct session_row *r);
/* Deletes session id. 0, STORE_NOT_FOUND or negative. */
int store_session_delete(struct db *db, int64_t id);

/* Sessions of event_id by start (event_id 0: every session, by id) into a malloc'ed array
 * (caller frees; NULL when none). 0 or negative. */
int store_sessions_of_event(struct db *db, int64_t event_id, struct session_row **rows, size_t *n);

/* The session another one clashes with: enough to name it to a client. */
struct session_clash {
	int64_t session_id;
	int64_t event_id;
	char event_title[SESSION_TITLE_LEN];
	char starts_local[SESSION_LOCAL_LEN];
	char ends_local[SESSION_LOCAL_LEN];
	char tz[SESSION_ZONE_LEN];
};

enum session_resource { SESSION_ROOM, SESSION_FACILITATOR };

/* The first session (by start) other than exclude_id, of an event that is not cancelled, in room
 * (or with facilitator) who_id, with start_utc < end and start < end_utc. 1 found (*c filled),
 * 0 none, negative on error. */
int store_session_find_overlap(struct db *db, enum session_resource what, int64_t who_id, int64_t start,
			       int64_t end, int64_t exclude_id, struct session_clash *c);

/* Zone of the venue of room room_id into tz. 0, STORE_NOT_FOUND or negative. */
int store_room_tz(struct db *db, int64_t room_id, char tz[SESSION_ZONE_LEN]);

#endif
