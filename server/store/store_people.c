/* store_people: prepared statements over people and the rows export and erasure touch; no rules here. */
#include "store/store_people.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"
#include "util/log.h"
#include "util/text.h"

#define PERSON_COLS                                                                                          \
	"id, org_id, name, name_ar, sex, nationality, phone, email, lang, consent_at, "                      \
	"erased_at, created_at, updated_at"

static int store_person_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct store_person *p = ctx;

	return db_bind_args(st, DB_ARGS(DB_TEXT(":name", p->name), DB_TEXT(":name_ar", p->name_ar),
					DB_TEXT(":sex", p->sex), DB_TEXT(":nationality", p->nationality),
					DB_TEXT(":phone", p->phone), DB_TEXT(":email", p->email),
					DB_TEXT(":lang", p->lang)));
}

int store_person_insert(struct db *db, const struct store_person *p, int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO people (org_id, name, name_ar, sex, nationality, phone, email, lang, "
	    "consent_at, created_at, updated_at) VALUES (:org_id, :name, :name_ar, "
	    "coalesce(:sex, 'unspecified'), :nationality, :phone, :email, coalesce(:lang, 'fr'), "
	    ":consent_at, :now, :now)";

	return db_exec_insert(
	    db_stmt_bind(db, sql, store_person_bind, p,
			 DB_ARGS(DB_OPT_INT(":org_id", p->org_id > 0, p->org_id),
				 DB_OPT_INT(":consent_at", p->consent_at > 0, p->consent_at),
				 DB_INT(":now", now))),
	    id);
}

int store_person_update(struct db *db, int64_t id, const struct store_person *p, int64_t now)
{
	static const struct db_set_flag flags[] = {
	    {":set_name", STORE_PERSON_NAME},	{":set_name_ar", STORE_PERSON_NAME_AR},
	    {":set_sex", STORE_PERSON_SEX},	{":set_nationality", STORE_PERSON_NATIONALITY},
	    {":set_phone", STORE_PERSON_PHONE}, {":set_email", STORE_PERSON_EMAIL},
	    {":set_lang", STORE_PERSON_LANG},	{NULL, 0},
	};
	static const char sql[] =
	    "UPDATE people SET "
	    "name = CASE WHEN :set_name THEN :name ELSE name END, "
	    "name_ar = CASE WHEN :set_name_ar THEN :name_ar ELSE name_ar END, "
	    "sex = CASE WHEN :set_sex THEN :sex ELSE sex END, "
	    "nationality = CASE WHEN :set_nationality THEN :nationality ELSE nationality END, "
	    "phone = CASE WHEN :set_phone THEN :phone ELSE phone END, "
	    "email = CASE WHEN :set_email THEN :email ELSE email END, "
	    "lang = CASE WHEN :set_lang THEN :lang ELSE lang END, "
	    "updated_at = :now WHERE id = :id";

	return db_exec_update(
	    db_stmt_bind(db, sql, store_person_bind, p,
			 DB_ARGS(DB_SET_FLAGS(flags, p->set), DB_INT(":now", now), DB_INT(":id", id))));
}

/* Where store_person_owner puts what it read. */
struct store_person_owner_out {
	int64_t *org_id, *erased_at;
};

static int store_person_owner_read(sqlite3_stmt *st, void *ctx)
{
	const struct store_person_owner_out *o = ctx;

	*o->org_id = db_col_int(st, 0); /* NULL: 0 */
	*o->erased_at = db_col_int(st, 1);
	return STORE_OK;
}

int store_person_owner(struct db *db, int64_t id, int64_t *org_id, int64_t *erased_at)
{
	static const char sql[] = "SELECT org_id, erased_at FROM people WHERE id = :id";
	struct store_person_owner_out o = {org_id, erased_at};

	return db_one(db, sql, DB_ARGS(DB_INT(":id", id)), store_person_owner_read, &o);
}

void person_row_clear(struct person_row *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->name_ar);
	free(r->sex);
	free(r->nationality);
	free(r->phone);
	free(r->email);
	free(r->lang);
	memset(r, 0, sizeof(*r));
}

/* Reads a row of PERSON_COLS into a zeroed person_row. */
static int store_person_read(sqlite3_stmt *st, void *row)
{
	struct person_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	r->org_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
	rc = db_col_dup(st, 2, &r->name);
	rc = rc ? rc : db_col_dup(st, 3, &r->name_ar);
	rc = rc ? rc : db_col_dup(st, 4, &r->sex);
	rc = rc ? rc : db_col_dup(st, 5, &r->nationality);
	rc = rc ? rc : db_col_dup(st, 6, &r->phone);
	rc = rc ? rc : db_col_dup(st, 7, &r->email);
	rc = rc ? rc : db_col_dup(st, 8, &r->lang);
	r->has_consent = !db_col_is_null(st, 9);
	r->consent_at = db_col_int(st, 9);
	r->erased = !db_col_is_null(st, 10);
	r->erased_at = db_col_int(st, 10);
	r->created_at = db_col_int(st, 11);
	r->updated_at = db_col_int(st, 12);
	return rc;
}

static void store_person_clear(void *row)
{
	person_row_clear(row);
}

static const struct db_row_type store_person_row = {sizeof(struct person_row), store_person_read,
						    store_person_clear};

void person_rows_free(struct person_row *rows, size_t n)
{
	db_rows_free(&store_person_row, rows, n);
}

int store_person_get(struct db *db, int64_t id, struct person_row *r)
{
	static const char sql[] = "SELECT " PERSON_COLS " FROM people WHERE id = :id";

	return db_row_by_id(db, sql, id, &store_person_row, r);
}

/* What the people list is filtered on. On store_person_list's stack. */
struct store_person_filter {
	int64_t org_id; /* > 0: this organisation's people */
	const char *q;	/* folded search text, or NULL */
};

static int store_person_filter_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct store_person_filter *f = ctx;

	return db_bind_args(st,
			    DB_ARGS(DB_OPT_INT(":org_id", f->org_id > 0, f->org_id), DB_TEXT(":q", f->q)));
}

#define STORE_PERSON_FILTER                                                                                  \
	"(:org_id IS NULL OR org_id = :org_id) AND (:q IS NULL OR instr(majlis_fold(name), :q) > 0 OR "      \
	"instr(majlis_fold(name_ar), :q) > 0 OR instr(email, :q) > 0)"

int store_person_list(struct db *db, int64_t org_id, const char *q, int64_t limit, int64_t offset,
		      struct person_row **rows, size_t *n, int64_t *total)
{
	static const char sql_count[] = "SELECT count(*) FROM people WHERE " STORE_PERSON_FILTER;
	static const char sql[] = "SELECT " PERSON_COLS " FROM people WHERE " STORE_PERSON_FILTER
				  " ORDER BY name, id LIMIT :limit OFFSET :offset";
	struct store_person_filter f = {org_id, q};
	void *a;
	int rc = db_page_rows(db, sql_count, sql, store_person_filter_bind, &f, limit, offset,
			      &store_person_row, &a, n, total);

	*rows = a;
	return rc;
}

static void store_people_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s;
	char *out;
	size_t cap;
	int n;

	(void)argc;
	s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	/* folding never lengthens text: "Æ" (2 bytes) is "ae", "Ş" is "s", a dropped mark is nothing */
	n = sqlite3_value_bytes(argv[0]);
	cap = (size_t)n + 1;
	out = malloc(cap);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	text_fold(s, out, cap);
	sqlite3_result_text(ctx, out, -1, free);
}

int store_people_register(struct db *db)
{
	int rc = sqlite3_create_function(db_handle(db), "majlis_fold", 1,
					 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
					 store_people_fold, NULL, NULL);

	if (rc != SQLITE_OK) {
		log_err("cannot register majlis_fold: %s", sqlite3_errstr(rc));
		return STORE_ERROR;
	}
	return STORE_OK;
}

static void store_export_att_clear(void *row)
{
	struct person_attendance_row *r = row;

	free(r->session_title);
	free(r->starts_local);
	free(r->ends_local);
	free(r->tz);
	free(r->status);
	free(r->method);
	memset(r, 0, sizeof(*r));
}

static int store_export_att_read(sqlite3_stmt *st, void *row)
{
	struct person_attendance_row *r = row;
	int rc;

	r->session_id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->session_title);
	rc = rc ? rc : db_col_dup(st, 2, &r->starts_local);
	rc = rc ? rc : db_col_dup(st, 3, &r->ends_local);
	rc = rc ? rc : db_col_dup(st, 4, &r->tz);
	rc = rc ? rc : db_col_dup(st, 5, &r->status);
	rc = rc ? rc : db_col_dup(st, 6, &r->method);
	r->recorded_at = db_col_int(st, 7);
	return rc;
}

static const struct db_row_type store_export_att_row = {sizeof(struct person_attendance_row),
							store_export_att_read, store_export_att_clear};

static void store_export_reg_clear(void *row)
{
	struct person_registration_row *r = row;

	free(r->event_type);
	for (int i = 0; i < 3; i++)
		free(r->event_title[i]);
	free(r->event_status);
	free(r->status);
	db_rows_free(&store_export_att_row, r->attendance, r->n_attendance);
	memset(r, 0, sizeof(*r));
}

static int store_export_reg_read(sqlite3_stmt *st, void *row)
{
	struct person_registration_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	r->event_id = db_col_int(st, 1);
	rc = db_col_dup(st, 2, &r->event_type);
	for (int i = 0; i < 3 && !rc; i++)
		rc = db_col_dup(st, 3 + i, &r->event_title[i]);
	rc = rc ? rc : db_col_dup(st, 6, &r->event_status);
	rc = rc ? rc : db_col_dup(st, 7, &r->status);
	r->has_attendance_confirmed = !db_col_is_null(st, 8);
	r->attendance_confirmed_at = db_col_int(st, 8);
	r->created_at = db_col_int(st, 9);
	r->updated_at = db_col_int(st, 10);
	return rc;
}

static const struct db_row_type store_export_reg_row = {sizeof(struct person_registration_row),
							store_export_reg_read, store_export_reg_clear};

static void store_export_led_clear(void *row)
{
	struct person_session_row *r = row;

	free(r->title);
	free(r->starts_local);
	free(r->ends_local);
	free(r->tz);
	memset(r, 0, sizeof(*r));
}

static int store_export_led_read(sqlite3_stmt *st, void *row)
{
	struct person_session_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	r->event_id = db_col_int(st, 1);
	rc = db_col_dup(st, 2, &r->title);
	rc = rc ? rc : db_col_dup(st, 3, &r->starts_local);
	rc = rc ? rc : db_col_dup(st, 4, &r->ends_local);
	rc = rc ? rc : db_col_dup(st, 5, &r->tz);
	return rc;
}

static const struct db_row_type store_export_led_row = {sizeof(struct person_session_row),
							store_export_led_read, store_export_led_clear};

static void store_export_token_clear(void *row)
{
	struct person_token_row *r = row;

	free(r->label);
	memset(r, 0, sizeof(*r));
}

static int store_export_token_read(sqlite3_stmt *st, void *row)
{
	struct person_token_row *r = row;

	r->id = db_col_int(st, 0);
	r->created_at = db_col_int(st, 2);
	r->revoked = !db_col_is_null(st, 3);
	r->revoked_at = db_col_int(st, 3);
	return db_col_dup(st, 1, &r->label);
}

static const struct db_row_type store_export_token_row = {sizeof(struct person_token_row),
							  store_export_token_read, store_export_token_clear};

void person_export_clear(struct person_export *x)
{
	if (!x)
		return;
	person_row_clear(&x->person);
	db_rows_free(&store_export_reg_row, x->regs, x->n_regs);
	db_rows_free(&store_export_led_row, x->facilitated, x->n_facilitated);
	db_rows_free(&store_export_token_row, x->tokens, x->n_tokens);
	memset(x, 0, sizeof(*x));
}

/* Rows of sql with :id bound to id, read by t into *rows and *n. */
static int store_rows_by_id(struct db *db, const char *sql, int64_t id, const struct db_row_type *t,
			    void **rows, size_t *n)
{
	return db_rows(db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id))), t, rows, n);
}

int store_person_export(struct db *db, int64_t id, struct person_export *x)
{
	static const char sql_regs[] =
	    "SELECT r.id, r.event_id, e.type, e.title_fr, e.title_ar, e.title_en, e.status, r.status, "
	    "r.attendance_confirmed_at, r.created_at, r.updated_at "
	    "FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.person_id = :id ORDER BY r.id";
	static const char sql_att[] =
	    "SELECT a.session_id, s.title, s.starts_local, s.ends_local, s.tz, a.status, a.method, "
	    "a.recorded_at FROM attendance a JOIN sessions s ON s.id = a.session_id "
	    "WHERE a.registration_id = :id ORDER BY s.start_utc, s.id";
	static const char sql_fac[] =
	    "SELECT id, event_id, title, starts_local, ends_local, tz FROM sessions "
	    "WHERE facilitator_id = :id ORDER BY start_utc, id";
	static const char sql_cal[] = "SELECT id, label, created_at, revoked_at FROM calendar_tokens "
				      "WHERE owner_kind = 'person' AND owner_id = :id ORDER BY id";
	void *a;
	int rc;

	memset(x, 0, sizeof(*x));
	rc = store_person_get(db, id, &x->person);
	if (rc)
		return rc;
	rc = store_rows_by_id(db, sql_regs, id, &store_export_reg_row, &a, &x->n_regs);
	x->regs = a;
	for (size_t i = 0; !rc && i < x->n_regs; i++) {
		struct person_registration_row *r = &x->regs[i];

		rc = store_rows_by_id(db, sql_att, r->id, &store_export_att_row, &a, &r->n_attendance);
		r->attendance = a;
	}
	if (!rc) {
		rc = store_rows_by_id(db, sql_fac, id, &store_export_led_row, &a, &x->n_facilitated);
		x->facilitated = a;
	}
	if (!rc) {
		rc = store_rows_by_id(db, sql_cal, id, &store_export_token_row, &a, &x->n_tokens);
		x->tokens = a;
	}
	if (rc)
		person_export_clear(x);
	return rc;
}

int store_person_erase(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] =
	    "UPDATE people SET name = '(erased)', name_ar = NULL, nationality = NULL, phone = NULL, "
	    "email = NULL, erased_at = :now, updated_at = :now WHERE id = :id AND erased_at IS NULL";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":now", now), DB_INT(":id", id)));
}

int store_person_registration_ids(struct db *db, int64_t person_id, int64_t **ids, size_t *n)
{
	static const char sql[] = "SELECT id FROM registrations WHERE person_id = :id ORDER BY id";
	void *a;
	int rc = store_rows_by_id(db, sql, person_id, &db_id_row, &a, n);

	*ids = a;
	return rc;
}

int store_registration_set_token_hash(struct db *db, int64_t reg_id, const char *hash, int64_t now)
{
	static const char sql[] =
	    "UPDATE registrations SET token_hash = :hash, pending_token_hash = NULL, updated_at = :now "
	    "WHERE id = :id";
	return db_run_update(db, sql,
			     DB_ARGS(DB_TEXT(":hash", hash), DB_INT(":now", now), DB_INT(":id", reg_id)));
}

int store_person_revoke_calendar_tokens(struct db *db, int64_t person_id, int64_t now, int64_t *n)
{
	static const char sql[] = "UPDATE calendar_tokens SET revoked_at = :now WHERE owner_kind = 'person' "
				  "AND owner_id = :id AND revoked_at IS NULL";
	int rc = db_run(db, sql, DB_ARGS(DB_INT(":now", now), DB_INT(":id", person_id)));

	if (!rc && n)
		*n = db_changes(db);
	return rc;
}
