/*
 * store_checkin: prepared SQL for the check-in screen (the sessions of the events in a caller's scope
 * around a moment, a session's roster with names and attendance); it must not decide who may check in.
 */
#include "store/store_checkin.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/stmt.h"

static void store_checkin_session_clear(void *row)
{
	struct store_checkin_session_row *r = row;

	free(r->title);
	free(r->event_title_fr);
	free(r->event_title_ar);
	free(r->event_title_en);
	free(r->event_status);
	free(r->starts_local);
	free(r->ends_local);
	free(r->tz);
	free(r->room);
	free(r->venue);
	memset(r, 0, sizeof(*r));
}

static int store_checkin_session_read(sqlite3_stmt *st, void *row)
{
	struct store_checkin_session_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	r->event_id = db_col_int(st, 1);
	rc = db_col_dup(st, 2, &r->title);
	rc = rc ? rc : db_col_dup(st, 3, &r->event_title_fr);
	rc = rc ? rc : db_col_dup(st, 4, &r->event_title_ar);
	rc = rc ? rc : db_col_dup(st, 5, &r->event_title_en);
	rc = rc ? rc : db_col_dup(st, 6, &r->event_status);
	rc = rc ? rc : db_col_dup(st, 7, &r->starts_local);
	rc = rc ? rc : db_col_dup(st, 8, &r->ends_local);
	rc = rc ? rc : db_col_dup(st, 9, &r->tz);
	r->start_utc = db_col_int(st, 10);
	r->end_utc = db_col_int(st, 11);
	rc = rc ? rc : db_col_dup(st, 12, &r->room);
	rc = rc ? rc : db_col_dup(st, 13, &r->venue);
	r->present = db_col_int(st, 14);
	r->confirmed = db_col_int(st, 15);
	return rc;
}

static const struct db_row_type store_checkin_session_type = {
    sizeof(struct store_checkin_session_row), store_checkin_session_read, store_checkin_session_clear};

int store_checkin_sessions(struct db *db, const struct store_checkin_scope *scope, int64_t from_utc,
			   int64_t to_utc, struct store_checkin_session_row **rows, size_t *n)
{
	static const char sql[] =
	    "SELECT s.id, s.event_id, s.title, e.title_fr, e.title_ar, e.title_en, e.status, s.starts_local, "
	    "s.ends_local, s.tz, s.start_utc, s.end_utc, r.name, COALESCE(rv.name, ev.name), "
	    "(SELECT COALESCE(SUM(pc.n), 0) FROM presence_counts pc WHERE pc.session_id = s.id), "
	    "(SELECT COALESCE(SUM(rc.n), 0) FROM registration_counts rc WHERE rc.event_id = e.id "
	    "AND rc.status = 'confirmed') "
	    "FROM sessions s JOIN events e ON e.id = s.event_id LEFT JOIN rooms r ON r.id = s.room_id "
	    "LEFT JOIN venues rv ON rv.id = r.venue_id LEFT JOIN venues ev ON ev.id = e.venue_id "
	    "WHERE s.start_utc < :to AND s.end_utc > :from AND (:all OR e.org_id = :org OR e.id IN "
	    "(SELECT ae.event_id FROM account_events ae WHERE ae.account_id = :account)) "
	    "ORDER BY s.start_utc, s.id LIMIT 500";
	void *a = NULL;
	int rc = db_rows(db_stmt_args(db, sql,
				      DB_ARGS(DB_INT(":from", from_utc), DB_INT(":to", to_utc),
					      DB_BOOL(":all", scope->all), DB_INT(":org", scope->org_id),
					      DB_INT(":account", scope->account_id))),
			 &store_checkin_session_type, &a, n);

	*rows = a;
	return rc;
}

void store_checkin_sessions_free(struct store_checkin_session_row *rows, size_t n)
{
	db_rows_free(&store_checkin_session_type, rows, n);
}

static void store_checkin_roster_clear(void *row)
{
	struct store_checkin_roster_row *r = row;

	free(r->registration_status);
	free(r->name);
	free(r->name_ar);
	free(r->status);
	free(r->method);
	memset(r, 0, sizeof(*r));
}

static int store_checkin_roster_read(sqlite3_stmt *st, void *row)
{
	struct store_checkin_roster_row *r = row;
	int rc;

	r->registration_id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->registration_status);
	rc = rc ? rc : db_col_dup(st, 2, &r->name);
	rc = rc ? rc : db_col_dup(st, 3, &r->name_ar);
	rc = rc ? rc : db_col_dup(st, 4, &r->status);
	rc = rc ? rc : db_col_dup(st, 5, &r->method);
	r->recorded_at = db_col_is_null(st, 6) ? 0 : db_col_int(st, 6);
	return rc;
}

static const struct db_row_type store_checkin_roster_type = {
    sizeof(struct store_checkin_roster_row), store_checkin_roster_read, store_checkin_roster_clear};

int store_checkin_roster(struct db *db, int64_t session_id, int64_t event_id,
			 struct store_checkin_roster_row **rows, size_t *n)
{
	static const char sql[] =
	    "SELECT r.id, r.status, p.name, p.name_ar, a.status, a.method, a.recorded_at "
	    "FROM registrations r JOIN people p ON p.id = r.person_id "
	    "LEFT JOIN attendance a ON a.registration_id = r.id AND a.session_id = :session "
	    "WHERE r.event_id = :event AND p.erased_at IS NULL ORDER BY p.name COLLATE NOCASE, r.id";
	void *a = NULL;
	int rc = db_rows(
	    db_stmt_args(db, sql, DB_ARGS(DB_INT(":session", session_id), DB_INT(":event", event_id))),
	    &store_checkin_roster_type, &a, n);

	*rows = a;
	return rc;
}

void store_checkin_roster_free(struct store_checkin_roster_row *rows, size_t n)
{
	db_rows_free(&store_checkin_roster_type, rows, n);
}

struct store_checkin_names_out {
	char **name, **name_ar;
};

static int store_checkin_names_read(sqlite3_stmt *st, void *ctx)
{
	struct store_checkin_names_out *o = ctx;
	int rc = db_col_dup(st, 0, o->name);

	return rc ? rc : db_col_dup(st, 1, o->name_ar);
}

int store_checkin_names(struct db *db, int64_t reg_id, char **name, char **name_ar)
{
	static const char sql[] = "SELECT p.name, p.name_ar FROM registrations r JOIN people p ON p.id = "
				  "r.person_id WHERE r.id = :id";
	struct store_checkin_names_out o = {name, name_ar};

	*name = NULL;
	*name_ar = NULL;
	return db_one(db, sql, DB_ARGS(DB_INT(":id", reg_id)), store_checkin_names_read, &o);
}
