/*
 * store_attendance: prepared SQL over attendance, sessions and account_events for check-in; it
 * must not decide who may record presence or which registrations count.
 */
#include "store/store_attendance.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

/* Reads a row of store_att_session_get's query into a zeroed store_att_session. */
static int store_att_session_read(sqlite3_stmt *st, void *row)
{
	struct store_att_session *s = row;

	s->id = db_col_int(st, 0);
	s->event_id = db_col_int(st, 1);
	s->org_id = db_col_int(st, 2);
	db_col_copy(st, 3, s->tz, sizeof(s->tz));
	db_col_copy(st, 4, s->starts_local, sizeof(s->starts_local));
	db_col_copy(st, 5, s->ends_local, sizeof(s->ends_local));
	s->start_utc = db_col_int(st, 6);
	s->end_utc = db_col_int(st, 7);
	return STORE_OK;
}

static const struct db_row_type store_att_session_type = {sizeof(struct store_att_session),
							  store_att_session_read, NULL};

int store_att_session_get(struct db *db, int64_t session_id, struct store_att_session *out)
{
	static const char sql[] = "SELECT s.id, s.event_id, e.org_id, s.tz, s.starts_local, s.ends_local, "
				  "s.start_utc, s.end_utc FROM sessions s JOIN events e ON e.id = s.event_id "
				  "WHERE s.id = :id";

	return db_row_by_id(db, sql, session_id, &store_att_session_type, out);
}

/* Reads a row of store_att_get's query into a zeroed store_att. */
static int store_att_read(sqlite3_stmt *st, void *row)
{
	struct store_att *a = row;

	a->session_id = db_col_int(st, 0);
	a->registration_id = db_col_int(st, 1);
	db_col_copy(st, 2, a->status, sizeof(a->status));
	db_col_copy(st, 3, a->method, sizeof(a->method));
	a->has_recorded_by = !db_col_is_null(st, 4);
	a->recorded_by = db_col_int(st, 4);
	a->recorded_at = db_col_int(st, 5);
	return STORE_OK;
}

static const struct db_row_type store_att_type = {sizeof(struct store_att), store_att_read, NULL};

int store_att_get(struct db *db, int64_t session_id, int64_t registration_id, struct store_att *out)
{
	static const char sql[] =
	    "SELECT session_id, registration_id, status, method, recorded_by, recorded_at "
	    "FROM attendance WHERE session_id = :session AND registration_id = :reg";

	return db_row_one(
	    db_stmt_args(db, sql, DB_ARGS(DB_INT(":session", session_id), DB_INT(":reg", registration_id))),
	    &store_att_type, out);
}

int store_att_upsert(struct db *db, const struct store_att *a)
{
	static const char sql[] =
	    "INSERT INTO attendance (session_id, registration_id, status, method, recorded_by, recorded_at) "
	    "VALUES (:session, :reg, :status, :method, :by, :at) "
	    "ON CONFLICT (session_id, registration_id) DO UPDATE SET status = excluded.status, "
	    "method = excluded.method, recorded_by = excluded.recorded_by, recorded_at = "
	    "excluded.recorded_at";
	return db_run(db, sql,
		      DB_ARGS(DB_INT(":session", a->session_id), DB_INT(":reg", a->registration_id),
			      DB_TEXT(":status", a->status), DB_TEXT(":method", a->method),
			      DB_OPT_INT(":by", a->has_recorded_by, a->recorded_by),
			      DB_INT(":at", a->recorded_at)));
}

static void store_att_row_clear(void *row)
{
	struct store_att_row *r = row;

	free(r->status);
	free(r->method);
	free(r->registration_status);
	free(r->name);
	free(r->name_ar);
	memset(r, 0, sizeof(*r));
}

static int store_att_row_read(sqlite3_stmt *st, void *row)
{
	struct store_att_row *r = row;
	int rc;

	r->session_id = db_col_int(st, 0);
	r->registration_id = db_col_int(st, 1);
	rc = db_col_dup(st, 2, &r->status);
	rc = rc ? rc : db_col_dup(st, 3, &r->method);
	r->recorded_by = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	r->recorded_at = db_col_int(st, 5);
	rc = rc ? rc : db_col_dup(st, 6, &r->registration_status);
	rc = rc ? rc : db_col_dup(st, 7, &r->name);
	rc = rc ? rc : db_col_dup(st, 8, &r->name_ar);
	return rc;
}

static const struct db_row_type store_att_row_type = {sizeof(struct store_att_row), store_att_row_read,
						      store_att_row_clear};

void store_att_rows_free(struct store_att_row *rows, size_t n)
{
	db_rows_free(&store_att_row_type, rows, n);
}

int store_att_list(struct db *db, int64_t session_id, struct store_att_row **rows, size_t *n)
{
	static const char sql[] =
	    "SELECT a.session_id, a.registration_id, a.status, a.method, a.recorded_by, a.recorded_at, "
	    "r.status, p.name, p.name_ar "
	    "FROM attendance a JOIN registrations r ON r.id = a.registration_id "
	    "JOIN people p ON p.id = r.person_id WHERE a.session_id = :session ORDER BY a.registration_id";
	void *a;
	int rc = db_rows(db_stmt_args(db, sql, DB_ARGS(DB_INT(":session", session_id))), &store_att_row_type,
			 &a, n);

	*rows = a;
	return rc;
}

static void store_att_sheet_clear(void *row)
{
	struct store_att_sheet_row *r = row;

	free(r->starts_local);
	free(r->session_title);
	free(r->registration_status);
	free(r->name);
	free(r->name_ar);
	free(r->sex);
	free(r->email);
	free(r->phone);
	free(r->status);
	memset(r, 0, sizeof(*r));
}

static int store_att_sheet_read(sqlite3_stmt *st, void *row)
{
	struct store_att_sheet_row *r = row;
	int rc;

	r->session_id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->starts_local);
	rc = rc ? rc : db_col_dup(st, 2, &r->session_title);
	r->registration_id = db_col_int(st, 3);
	rc = rc ? rc : db_col_dup(st, 4, &r->registration_status);
	rc = rc ? rc : db_col_dup(st, 5, &r->name);
	rc = rc ? rc : db_col_dup(st, 6, &r->name_ar);
	rc = rc ? rc : db_col_dup(st, 7, &r->sex);
	rc = rc ? rc : db_col_dup(st, 8, &r->email);
	rc = rc ? rc : db_col_dup(st, 9, &r->phone);
	rc = rc ? rc : db_col_dup(st, 10, &r->status);
	r->recorded_at = db_col_is_null(st, 11) ? 0 : db_col_int(st, 11);
	return rc;
}

static const struct db_row_type store_att_sheet_type = {sizeof(struct store_att_sheet_row),
							store_att_sheet_read, store_att_sheet_clear};

void store_att_sheet_free(struct store_att_sheet_row *rows, size_t n)
{
	db_rows_free(&store_att_sheet_type, rows, n);
}

int store_att_sheet(struct db *db, int64_t event_id, struct store_att_sheet_row **rows, size_t *n)
{
	static const char sql[] =
	    "SELECT s.id, s.starts_local, s.title, r.id, r.status, p.name, p.name_ar, p.sex, p.email, "
	    "p.phone, "
	    "a.status, a.recorded_at FROM sessions s JOIN registrations r ON r.event_id = s.event_id "
	    "JOIN people p ON p.id = r.person_id "
	    "LEFT JOIN attendance a ON a.session_id = s.id AND a.registration_id = r.id "
	    "WHERE s.event_id = :event AND (r.status = 'confirmed' OR a.status IS NOT NULL) "
	    "ORDER BY s.start_utc, s.id, p.name, r.id";
	void *a;
	int rc =
	    db_rows(db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id))), &store_att_sheet_type, &a, n);

	*rows = a;
	return rc;
}
