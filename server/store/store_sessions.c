/*
 * store_sessions: prepared statements over sessions, the overlap queries behind double-booking checks,
 * and room/person look-ups; it must not check permissions, convert time zones or open transactions.
 */
#include "store/store_sessions.h"

#include "store/stmt.h"

#define SESSION_COLS                                                                                         \
	"id, event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, end_offset, "         \
	"room_id, facilitator_id, title, sequence, created_at, updated_at"

/* Reads the current row of a SELECT SESSION_COLS statement into a zeroed session_row. */
static int store_session_read(sqlite3_stmt *st, void *row)
{
	struct session_row *r = row;

	r->id = db_col_int(st, 0);
	r->event_id = db_col_int(st, 1);
	db_col_copy(st, 2, r->starts_local, sizeof(r->starts_local));
	db_col_copy(st, 3, r->ends_local, sizeof(r->ends_local));
	db_col_copy(st, 4, r->tz, sizeof(r->tz));
	r->start_utc = db_col_int(st, 5);
	r->end_utc = db_col_int(st, 6);
	r->start_offset = (int32_t)db_col_int(st, 7);
	r->end_offset = (int32_t)db_col_int(st, 8);
	r->room_id = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	r->facilitator_id = db_col_is_null(st, 10) ? 0 : db_col_int(st, 10);
	r->has_title = !db_col_is_null(st, 11);
	db_col_copy(st, 11, r->title, sizeof(r->title));
	r->sequence = db_col_int(st, 12);
	r->created_at = db_col_int(st, 13);
	r->updated_at = db_col_int(st, 14);
	return STORE_OK;
}

static const struct db_row_type store_session_row = {sizeof(struct session_row), store_session_read, NULL};

int store_session_load(struct db *db, int64_t id, struct session_row *r)
{
	static const char sql[] = "SELECT " SESSION_COLS " FROM sessions WHERE id = :id";

	return db_row_by_id(db, sql, id, &store_session_row, r);
}

/* Binds every column but id, event_id and created_at. */
static int store_session_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct session_row *r = ctx;

	return db_bind_args(
	    st, DB_ARGS(DB_TEXT(":starts_local", r->starts_local), DB_TEXT(":ends_local", r->ends_local),
			DB_TEXT(":tz", r->tz), DB_INT(":start_utc", r->start_utc),
			DB_INT(":end_utc", r->end_utc), DB_INT(":start_offset", r->start_offset),
			DB_INT(":end_offset", r->end_offset), DB_OPT_INT(":room", r->room_id > 0, r->room_id),
			DB_OPT_INT(":facilitator", r->facilitator_id > 0, r->facilitator_id),
			DB_TEXT(":title", r->has_title ? r->title : NULL), DB_INT(":sequence", r->sequence),
			DB_INT(":updated", r->updated_at)));
}

int store_session_insert(struct db *db, struct session_row *r)
{
	static const char sql[] =
	    "INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, "
	    "end_offset, room_id, facilitator_id, title, sequence, created_at, updated_at) VALUES (:event, "
	    ":starts_local, :ends_local, :tz, :start_utc, :end_utc, :start_offset, :end_offset, :room, "
	    ":facilitator, :title, :sequence, :created, :updated)";

	return db_exec_insert(
	    db_stmt_bind(db, sql, store_session_bind, r,
			 DB_ARGS(DB_INT(":event", r->event_id), DB_INT(":created", r->created_at))),
	    &r->id);
}

int store_session_update(struct db *db, const struct session_row *r)
{
	static const char sql[] =
	    "UPDATE sessions SET starts_local = :starts_local, ends_local = :ends_local, tz = :tz, "
	    "start_utc = :start_utc, end_utc = :end_utc, start_offset = :start_offset, "
	    "end_offset = :end_offset, room_id = :room, facilitator_id = :facilitator, title = :title, "
	    "sequence = :sequence, updated_at = :updated WHERE id = :id";

	return db_exec_update(db_stmt_bind(db, sql, store_session_bind, r, DB_ARGS(DB_INT(":id", r->id))));
}

int store_session_delete(struct db *db, int64_t id)
{
	static const char sql[] = "DELETE FROM sessions WHERE id = :id";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":id", id)));
}

int store_sessions_of_event(struct db *db, int64_t event_id, struct session_row **rows, size_t *n)
{
	static const char one_sql[] =
	    "SELECT " SESSION_COLS " FROM sessions WHERE event_id = :event ORDER BY start_utc, id";
	static const char all_sql[] = "SELECT " SESSION_COLS " FROM sessions ORDER BY id";
	sqlite3_stmt *st = event_id > 0 ? db_stmt_args(db, one_sql, DB_ARGS(DB_INT(":event", event_id)))
					: db_stmt(db, all_sql);
	void *a;
	int rc = db_rows(st, &store_session_row, &a, n);

	*rows = a;
	return rc;
}

/* Reads a row of store_session_find_overlap's queries into a zeroed session_clash. */
static int store_clash_read(sqlite3_stmt *st, void *row)
{
	struct session_clash *c = row;

	c->session_id = db_col_int(st, 0);
	c->event_id = db_col_int(st, 1);
	db_col_copy(st, 2, c->event_title, sizeof(c->event_title));
	db_col_copy(st, 3, c->starts_local, sizeof(c->starts_local));
	db_col_copy(st, 4, c->ends_local, sizeof(c->ends_local));
	db_col_copy(st, 5, c->tz, sizeof(c->tz));
	return STORE_OK;
}

static const struct db_row_type store_clash_row = {sizeof(struct session_clash), store_clash_read, NULL};

int store_session_find_overlap(struct db *db, enum session_resource what, int64_t who_id, int64_t start,
			       int64_t end, int64_t exclude_id, struct session_clash *c)
{
	static const char room_sql[] =
	    "SELECT s.id, s.event_id, COALESCE(e.title_fr, e.title_en, e.title_ar), s.starts_local, "
	    "s.ends_local, s.tz FROM sessions s JOIN events e ON e.id = s.event_id "
	    "WHERE s.room_id = :who AND s.id != :exclude AND e.status != 'cancelled' "
	    "AND s.start_utc < :end AND :start < s.end_utc ORDER BY s.start_utc, s.id LIMIT 1";
	static const char fac_sql[] =
	    "SELECT s.id, s.event_id, COALESCE(e.title_fr, e.title_en, e.title_ar), s.starts_local, "
	    "s.ends_local, s.tz FROM sessions s JOIN events e ON e.id = s.event_id "
	    "WHERE s.facilitator_id = :who AND s.id != :exclude AND e.status != 'cancelled' "
	    "AND s.start_utc < :end AND :start < s.end_utc ORDER BY s.start_utc, s.id LIMIT 1";
	sqlite3_stmt *st = db_stmt_args(db, what == SESSION_ROOM ? room_sql : fac_sql,
					DB_ARGS(DB_INT(":who", who_id), DB_INT(":exclude", exclude_id),
						DB_INT(":start", start), DB_INT(":end", end)));

	return db_found(db_row_one(st, &store_clash_row, c));
}

int store_room_tz(struct db *db, int64_t room_id, char tz[SESSION_ZONE_LEN])
{
	static const char sql[] =
	    "SELECT v.tz FROM rooms r JOIN venues v ON v.id = r.venue_id WHERE r.id = :id";

	return db_one_text(db, sql, DB_ARGS(DB_INT(":id", room_id)), tz, SESSION_ZONE_LEN);
}
