/*
 * store_registrations: prepared SQL over registrations (and the people/events/sessions rows a
 * registration needs); it applies no rules and never decides who may do what.
 */
#include "store/store_registrations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

#define REG_COLS                                                                                             \
	"SELECT r.id, r.event_id, r.person_id, r.status, r.waitlist_seq, "                                   \
	"r.attendance_confirmed_at, r.created_at, r.updated_at, p.lang "                                     \
	"FROM registrations r JOIN people p ON p.id = r.person_id "

static void store_reg_copy(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s ? s : "");
}

/* Fills out from the current row of a REG_COLS statement. */
static void store_reg_from_row(sqlite3_stmt *st, struct store_reg *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->event_id = db_col_int(st, 1);
	out->person_id = db_col_int(st, 2);
	store_reg_copy(out->status, sizeof(out->status), db_col_text(st, 3));
	out->has_wseq = !db_col_is_null(st, 4);
	out->waitlist_seq = db_col_int(st, 4);
	out->has_attendance_confirmed = !db_col_is_null(st, 5);
	out->attendance_confirmed_at = db_col_int(st, 5);
	out->created_at = db_col_int(st, 6);
	out->updated_at = db_col_int(st, 7);
	store_reg_copy(out->lang, sizeof(out->lang), db_col_text(st, 8));
}

/* Steps a bound REG_COLS statement once; 0 with *out filled, STORE_NOT_FOUND, or negative. */
static int store_reg_one(sqlite3_stmt *st, struct store_reg *out)
{
	int rc = db_step(st);

	if (rc == 1) {
		store_reg_from_row(st, out);
		rc = STORE_OK;
	} else if (rc == 0) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return rc;
}

int store_reg_event_get(struct db *db, int64_t id, struct store_reg_event *out)
{
	static const char sql[] =
	    "SELECT e.id, e.org_id, e.capacity, e.needs_approval, e.visibility, e.status, "
	    "e.registration_opens_at, e.registration_closes_at, "
	    "(SELECT MIN(s.start_utc) FROM sessions s WHERE s.event_id = e.id) "
	    "FROM events e WHERE e.id = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1) {
		memset(out, 0, sizeof(*out));
		out->id = db_col_int(st, 0);
		out->org_id = db_col_int(st, 1);
		out->capacity = db_col_int(st, 2);
		out->needs_approval = db_col_int(st, 3) != 0;
		store_reg_copy(out->visibility, sizeof(out->visibility), db_col_text(st, 4));
		store_reg_copy(out->status, sizeof(out->status), db_col_text(st, 5));
		out->has_opens = !db_col_is_null(st, 6);
		out->opens_at = db_col_int(st, 6);
		out->has_closes = !db_col_is_null(st, 7);
		out->closes_at = db_col_int(st, 7);
		out->has_first_start = !db_col_is_null(st, 8);
		out->first_start = db_col_int(st, 8);
		rc = STORE_OK;
	} else if (rc == 0) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return rc;
}

int store_reg_person_find(struct db *db, const char *email, const char *phone, int64_t *id)
{
	static const char by_email[] =
	    "SELECT id FROM people WHERE email = :email AND erased_at IS NULL ORDER BY id LIMIT 1";
	static const char by_phone[] =
	    "SELECT id FROM people WHERE phone = :phone AND erased_at IS NULL ORDER BY id LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	if (email) {
		st = db_stmt_args(db, by_email, DB_ARGS(DB_TEXT(":email", email)));
		if (!st)
			return STORE_ERROR;
		rc = db_step(st);
		if (rc == 1)
			*id = db_col_int(st, 0);
		sqlite3_reset(st);
		if (rc)
			return rc == 1 ? STORE_OK : rc;
	}
	if (phone) {
		st = db_stmt_args(db, by_phone, DB_ARGS(DB_TEXT(":phone", phone)));
		if (!st)
			return STORE_ERROR;
		rc = db_step(st);
		if (rc == 1)
			*id = db_col_int(st, 0);
		sqlite3_reset(st);
		if (rc)
			return rc == 1 ? STORE_OK : rc;
	}
	return STORE_NOT_FOUND;
}

int store_reg_person_insert(struct db *db, const struct store_person_new *p, int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO people (org_id, name, name_ar, sex, nationality, phone, email, lang, "
	    "consent_at, created_at, updated_at) VALUES (:org, :name, :name_ar, :sex, :nat, :phone, "
	    ":email, :lang, :consent, :now, :now)";
	return db_run_insert(db, sql,
			     DB_ARGS(DB_OPT_INT(":org", p->org_id > 0, p->org_id), DB_TEXT(":name", p->name),
				     DB_TEXT(":name_ar", p->name_ar), DB_TEXT(":sex", p->sex),
				     DB_TEXT(":nat", p->nationality), DB_TEXT(":phone", p->phone),
				     DB_TEXT(":email", p->email), DB_TEXT(":lang", p->lang),
				     DB_INT(":consent", p->consent_at), DB_INT(":now", now)),
			     id);
}

int store_reg_get(struct db *db, int64_t id, struct store_reg *out)
{
	static const char sql[] = REG_COLS "WHERE r.id = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id)));

	if (!st)
		return STORE_ERROR;
	return store_reg_one(st, out);
}

int store_reg_get_by_person(struct db *db, int64_t event_id, int64_t person_id, struct store_reg *out)
{
	static const char sql[] = REG_COLS "WHERE r.event_id = :event AND r.person_id = :person";
	sqlite3_stmt *st =
	    db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id), DB_INT(":person", person_id)));

	if (!st)
		return STORE_ERROR;
	return store_reg_one(st, out);
}

int store_reg_get_by_token(struct db *db, const char token_hash[SECRET_HASH_LEN + 1], struct store_reg *out)
{
	static const char sql[] = REG_COLS "WHERE r.token_hash = :hash OR r.pending_token_hash = :hash";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_TEXT(":hash", token_hash)));

	if (!st)
		return STORE_ERROR;
	return store_reg_one(st, out);
}

int store_reg_get_active_by_contact(struct db *db, int64_t event_id, const char *email, const char *phone,
				    struct store_reg *out)
{
	static const char sql[] =
	    REG_COLS "WHERE r.event_id = :event AND r.status IN ('pending', 'confirmed', "
		     "'waitlisted') AND p.erased_at IS NULL AND (p.email = :email OR "
		     "p.phone = :phone) ORDER BY r.id LIMIT 1";
	sqlite3_stmt *st = db_stmt_args(
	    db, sql, DB_ARGS(DB_INT(":event", event_id), DB_TEXT(":email", email), DB_TEXT(":phone", phone)));

	if (!st)
		return STORE_ERROR;
	return store_reg_one(st, out);
}

int store_reg_live_by_contact(struct db *db, const char *email, const char *phone, int64_t now,
			      struct store_reg *out, size_t max, size_t *n)
{
	static const char sql[] =
	    REG_COLS "JOIN events e ON e.id = r.event_id WHERE r.status IN ('pending', 'confirmed', "
		     "'waitlisted') AND p.erased_at IS NULL AND (p.email = :email OR p.phone = :phone) "
		     "AND e.status <> 'cancelled' AND COALESCE((SELECT MAX(s.end_utc) FROM sessions s "
		     "WHERE s.event_id = e.id), :now) >= :now ORDER BY r.id DESC LIMIT :max";
	sqlite3_stmt *st = db_stmt_args(db, sql,
					DB_ARGS(DB_TEXT(":email", email), DB_TEXT(":phone", phone),
						DB_INT(":now", now), DB_INT(":max", (int64_t)max)));
	int rc = 0;

	*n = 0;
	if (!st)
		return STORE_ERROR;
	while (*n < max) {
		rc = db_step(st);
		if (rc != 1)
			break;
		store_reg_from_row(st, &out[(*n)++]);
	}
	sqlite3_reset(st);
	return rc < 0 ? rc : STORE_OK;
}

int store_reg_insert(struct db *db, int64_t event_id, int64_t person_id, const char *status,
		     const char token_hash[SECRET_HASH_LEN + 1], int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO registrations (event_id, person_id, status, token_hash, created_at, updated_at) "
	    "VALUES (:event, :person, :status, :hash, :now, :now)";
	return db_run_insert(db, sql,
			     DB_ARGS(DB_INT(":event", event_id), DB_INT(":person", person_id),
				     DB_TEXT(":status", status), DB_TEXT(":hash", token_hash),
				     DB_INT(":now", now)),
			     id);
}

int store_reg_set_status(struct db *db, int64_t id, const char *status, bool has_wseq, int64_t wseq,
			 int64_t now)
{
	static const char sql[] = "UPDATE registrations SET status = :status, waitlist_seq = :wseq, "
				  "cancelled_by_event = 0, updated_at = :now WHERE id = :id";
	/* updates by primary key: one row or none */
	return db_run_update(db, sql,
			     DB_ARGS(DB_TEXT(":status", status), DB_OPT_INT(":wseq", has_wseq, wseq),
				     DB_INT(":now", now), DB_INT(":id", id)));
}

int store_reg_reopen(struct db *db, int64_t id, const char *status, bool has_wseq, int64_t wseq, int64_t now)
{
	static const char sql[] = "UPDATE registrations SET status = :status, waitlist_seq = :wseq, "
				  "attendance_confirmed_at = NULL, cancelled_by_event = 0, updated_at = :now "
				  "WHERE id = :id";
	return db_run_update(db, sql,
			     DB_ARGS(DB_TEXT(":status", status), DB_OPT_INT(":wseq", has_wseq, wseq),
				     DB_INT(":now", now), DB_INT(":id", id)));
}

int store_reg_set_attendance_confirmed(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] = "UPDATE registrations SET attendance_confirmed_at = :now, "
				  "updated_at = :now WHERE id = :id";
	/* updates by primary key: one row or none */
	return db_run_update(db, sql, DB_ARGS(DB_INT(":now", now), DB_INT(":id", id)));
}

int store_reg_first_waitlisted(struct db *db, int64_t event_id, struct store_reg *out)
{
	static const char sql[] = REG_COLS "WHERE r.event_id = :event AND r.status = 'waitlisted' "
					   "ORDER BY r.waitlist_seq, r.id LIMIT 1";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id)));

	if (!st)
		return STORE_ERROR;
	return store_reg_one(st, out);
}

int store_reg_event_seat_add(struct db *db, int64_t event_id, int64_t now)
{
	static const char sql[] =
	    "UPDATE events SET capacity = capacity + 1, updated_at = :now WHERE id = :id";

	return db_run_update(db, sql, DB_ARGS(DB_INT(":now", now), DB_INT(":id", event_id)));
}

int store_reg_seated_by_promotion(struct db *db, int64_t event_id, int64_t reg_id)
{
	/* the event's rows through change_log_topic, newest first */
	static const char sql[] =
	    "SELECT kind = 'registration.promoted' FROM change_log WHERE topic = :topic "
	    "AND kind IN ('registration.created', 'registration.reopened', "
	    "'registration.approved', 'registration.promoted') "
	    "AND json_extract(payload, '$.registration_id') = :reg ORDER BY seq DESC LIMIT 1";
	char topic[40];
	int64_t yes = 0;
	int rc;

	snprintf(topic, sizeof(topic), "event:%lld", (long long)event_id);
	rc = db_one_int(db, sql, DB_ARGS(DB_TEXT(":topic", topic), DB_INT(":reg", reg_id)), &yes);
	if (rc == STORE_NOT_FOUND)
		return 0;
	return rc < 0 ? rc : yes != 0;
}

/* The filters of store_reg_list. */
struct store_reg_filter {
	int64_t event_id;
	const char *status;
};

static int store_reg_filter_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct store_reg_filter *f = ctx;
	return db_bind_args(st, DB_ARGS(DB_INT(":event", f->event_id), DB_TEXT(":status", f->status)));
}

/* Reads an optional integer column into *v and whether it is set into *has. */
static void store_reg_opt_int(sqlite3_stmt *st, int col, bool *has, int64_t *v)
{
	*has = !db_col_is_null(st, col);
	*v = *has ? db_col_int(st, col) : 0;
}

static void store_reg_row_clear(void *row)
{
	struct store_reg_row *r = row;

	free(r->status);
	free(r->name);
	free(r->name_ar);
	free(r->sex);
	free(r->nationality);
	free(r->email);
	free(r->phone);
	free(r->lang);
	memset(r, 0, sizeof(*r));
}

/* Reads a row of store_reg_list's page into a zeroed store_reg_row. */
static int store_reg_row_read(sqlite3_stmt *st, void *row)
{
	struct store_reg_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	r->event_id = db_col_int(st, 1);
	rc = db_col_dup(st, 2, &r->status);
	store_reg_opt_int(st, 3, &r->has_waitlist_position, &r->waitlist_position);
	store_reg_opt_int(st, 4, &r->has_attendance_confirmed, &r->attendance_confirmed_at);
	r->created_at = db_col_int(st, 5);
	r->updated_at = db_col_int(st, 6);
	r->person_id = db_col_int(st, 7);
	rc = rc ? rc : db_col_dup(st, 8, &r->name);
	rc = rc ? rc : db_col_dup(st, 9, &r->name_ar);
	rc = rc ? rc : db_col_dup(st, 10, &r->sex);
	rc = rc ? rc : db_col_dup(st, 11, &r->nationality);
	rc = rc ? rc : db_col_dup(st, 12, &r->email);
	rc = rc ? rc : db_col_dup(st, 13, &r->phone);
	rc = rc ? rc : db_col_dup(st, 14, &r->lang);
	return rc;
}

static const struct db_row_type store_reg_row_type = {sizeof(struct store_reg_row), store_reg_row_read,
						      store_reg_row_clear};

void store_reg_rows_free(struct store_reg_row *rows, size_t n)
{
	db_rows_free(&store_reg_row_type, rows, n);
}

int store_reg_list(struct db *db, int64_t event_id, const char *status, int64_t limit, int64_t offset,
		   struct store_reg_row **rows, size_t *n, int64_t *total)
{
	static const char count_sql[] = "SELECT COUNT(*) FROM registrations WHERE event_id = :event "
					"AND (:status IS NULL OR status = :status)";
	static const char list_sql[] =
	    "SELECT r.id, r.event_id, r.status, "
	    "CASE WHEN r.status = 'waitlisted' THEN (SELECT COUNT(*) FROM registrations w "
	    "WHERE w.event_id = r.event_id AND w.status = 'waitlisted' "
	    "AND w.waitlist_seq <= r.waitlist_seq) END AS waitlist_position, "
	    "r.attendance_confirmed_at, r.created_at, r.updated_at, r.person_id, "
	    "p.name, p.name_ar, p.sex, p.nationality, p.email, p.phone, p.lang "
	    "FROM registrations r JOIN people p ON p.id = r.person_id "
	    "WHERE r.event_id = :event AND (:status IS NULL OR r.status = :status) "
	    "ORDER BY r.id LIMIT :limit OFFSET :offset";
	struct store_reg_filter f = {event_id, status};
	void *a = NULL;
	int rc = db_page_rows(db, count_sql, list_sql, store_reg_filter_bind, &f, limit, offset,
			      &store_reg_row_type, &a, n, total);

	*rows = a;
	return rc;
}

/* The event and person part of a store_reg_link_view (its arrays are filled apart). */
static int store_reg_view_event_read(sqlite3_stmt *st, void *row)
{
	struct store_reg_link_view *v = row;
	int rc;

	v->event_id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &v->event_type);
	rc = rc ? rc : db_col_dup(st, 2, &v->title_fr);
	rc = rc ? rc : db_col_dup(st, 3, &v->title_ar);
	rc = rc ? rc : db_col_dup(st, 4, &v->title_en);
	rc = rc ? rc : db_col_dup(st, 5, &v->event_status);
	v->org_id = db_col_int(st, 6);
	return rc;
}

static int store_reg_view_person_read(sqlite3_stmt *st, void *row)
{
	struct store_reg_link_view *v = row;
	int rc;

	rc = db_col_dup(st, 0, &v->name);
	rc = rc ? rc : db_col_dup(st, 1, &v->name_ar);
	rc = rc ? rc : db_col_dup(st, 2, &v->lang);
	return rc;
}

static void store_reg_view_clear(void *row)
{
	store_reg_link_view_clear(row);
}

static const struct db_row_type store_reg_view_event_type = {sizeof(struct store_reg_link_view),
							     store_reg_view_event_read, store_reg_view_clear};
static const struct db_row_type store_reg_view_person_type = {
    sizeof(struct store_reg_link_view), store_reg_view_person_read, store_reg_view_clear};

static int store_reg_session_read(sqlite3_stmt *st, void *row)
{
	struct store_reg_session *s = row;
	int rc;

	s->id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &s->title);
	rc = rc ? rc : db_col_dup(st, 2, &s->starts_local);
	rc = rc ? rc : db_col_dup(st, 3, &s->ends_local);
	rc = rc ? rc : db_col_dup(st, 4, &s->tz);
	s->start_utc = db_col_int(st, 5);
	s->end_utc = db_col_int(st, 6);
	s->start_offset = db_col_int(st, 7);
	s->end_offset = db_col_int(st, 8);
	s->room_id = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	rc = rc ? rc : db_col_dup(st, 10, &s->room_name);
	s->venue_id = db_col_is_null(st, 11) ? 0 : db_col_int(st, 11);
	rc = rc ? rc : db_col_dup(st, 12, &s->venue_name);
	rc = rc ? rc : db_col_dup(st, 13, &s->venue_city);
	return rc;
}

static void store_reg_session_clear(void *row)
{
	struct store_reg_session *s = row;

	free(s->title);
	free(s->starts_local);
	free(s->ends_local);
	free(s->tz);
	free(s->room_name);
	free(s->venue_name);
	free(s->venue_city);
	memset(s, 0, sizeof(*s));
}

static const struct db_row_type store_reg_session_type = {sizeof(struct store_reg_session),
							  store_reg_session_read, store_reg_session_clear};

static int store_reg_attendance_read(sqlite3_stmt *st, void *row)
{
	struct store_reg_attendance *a = row;
	int rc;

	a->session_id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &a->status);
	rc = rc ? rc : db_col_dup(st, 2, &a->method);
	a->recorded_at = db_col_int(st, 3);
	return rc;
}

static void store_reg_attendance_clear(void *row)
{
	struct store_reg_attendance *a = row;

	free(a->status);
	free(a->method);
	memset(a, 0, sizeof(*a));
}

static const struct db_row_type store_reg_attendance_type = {
    sizeof(struct store_reg_attendance), store_reg_attendance_read, store_reg_attendance_clear};

void store_reg_link_view_clear(struct store_reg_link_view *v)
{
	if (!v)
		return;
	free(v->event_type);
	free(v->title_fr);
	free(v->title_ar);
	free(v->title_en);
	free(v->event_status);
	free(v->name);
	free(v->name_ar);
	free(v->lang);
	db_rows_free(&store_reg_session_type, v->sessions, v->n_sessions);
	db_rows_free(&store_reg_attendance_type, v->attendance, v->n_attendance);
	memset(v, 0, sizeof(*v));
}

int store_reg_link_view(struct db *db, int64_t registration_id, int64_t event_id, int64_t person_id,
			struct store_reg_link_view *v)
{
	static const char event_sql[] = "SELECT id, type, title_fr, title_ar, title_en, status, org_id "
					"FROM events WHERE id = :id";
	static const char person_sql[] = "SELECT name, name_ar, lang FROM people WHERE id = :id";
	static const char sessions_sql[] =
	    "SELECT s.id, s.title, s.starts_local, s.ends_local, s.tz, s.start_utc, s.end_utc, "
	    "s.start_offset, s.end_offset, s.room_id, rm.name AS room_name, "
	    "v.id AS venue_id, v.name AS venue_name, v.city AS venue_city "
	    "FROM sessions s LEFT JOIN rooms rm ON rm.id = s.room_id "
	    "LEFT JOIN venues v ON v.id = rm.venue_id "
	    "WHERE s.event_id = :event ORDER BY s.start_utc, s.id";
	static const char att_sql[] = "SELECT session_id, status, method, recorded_at FROM attendance "
				      "WHERE registration_id = :reg ORDER BY session_id";
	struct store_reg_link_view person;
	void *a = NULL;
	int rc = db_row_by_id(db, event_sql, event_id, &store_reg_view_event_type, v);

	if (rc)
		return rc;
	rc = db_row_by_id(db, person_sql, person_id, &store_reg_view_person_type, &person);
	if (!rc) {
		v->name = person.name;
		v->name_ar = person.name_ar;
		v->lang = person.lang;
		rc = db_rows(db_stmt_args(db, sessions_sql, DB_ARGS(DB_INT(":event", event_id))),
			     &store_reg_session_type, &a, &v->n_sessions);
		v->sessions = a;
	}
	if (!rc) {
		rc = db_rows(db_stmt_args(db, att_sql, DB_ARGS(DB_INT(":reg", registration_id))),
			     &store_reg_attendance_type, &a, &v->n_attendance);
		v->attendance = a;
	}
	if (rc)
		store_reg_link_view_clear(v);
	return rc;
}
