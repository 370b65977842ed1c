/* store_people: prepared statements over people and the rows export and erasure touch; no rules here. */
#include "store/store_people.h"

#include <stdlib.h>

#include "store/stmt.h"

#define PERSON_COLS                                                                                          \
	"id, org_id, name, name_ar, sex, nationality, phone, email, lang, consent_at, "                      \
	"erased_at, created_at, updated_at"

static int store_person_bind(sqlite3_stmt *st, const struct store_person *p)
{
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
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = store_person_bind(st, p);
	rc = rc ? rc
		: db_bind_args(st, DB_ARGS(DB_OPT_INT(":org_id", p->org_id > 0, p->org_id),
					   DB_OPT_INT(":consent_at", p->consent_at > 0, p->consent_at),
					   DB_INT(":now", now)));
	rc = rc ? rc : db_exec_insert(st, id);
	return rc;
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
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = store_person_bind(st, p);
	rc = rc ? rc : db_bind_set_flags(st, p->set, flags);
	rc = rc ? rc : db_bind_args(st, DB_ARGS(DB_INT(":now", now), DB_INT(":id", id)));
	rc = rc ? rc : db_exec_update(st);
	return rc;
}

int store_person_owner(struct db *db, int64_t id, int64_t *org_id, int64_t *erased_at)
{
	static const char sql[] = "SELECT org_id, erased_at FROM people WHERE id = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1) {
		*org_id = db_col_is_null(st, 0) ? 0 : db_col_int(st, 0);
		*erased_at = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc == 0)
		return STORE_NOT_FOUND;
	return rc == 1 ? STORE_OK : rc;
}

int store_person_get(struct db *db, int64_t id, struct json_object **out)
{
	static const char sql[] = "SELECT " PERSON_COLS " FROM people WHERE id = :id";

	return db_row_json_by_id(db, sql, id, out);
}

static int store_person_filter_bind(sqlite3_stmt *st, const void *ctx)
{
	const int64_t *org_id = ctx;

	return db_bind_args(st, DB_ARGS(DB_OPT_INT(":org_id", *org_id > 0, *org_id)));
}

int store_person_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
		      struct json_object **items, int64_t *total)
{
	static const char sql_count[] =
	    "SELECT count(*) FROM people WHERE (:org_id IS NULL OR org_id = :org_id)";
	static const char sql[] =
	    "SELECT " PERSON_COLS " FROM people WHERE (:org_id IS NULL OR org_id = :org_id) "
	    "ORDER BY name, id LIMIT :limit OFFSET :offset";

	return db_page(db, sql_count, sql, store_person_filter_bind, &org_id, limit, offset, items, total);
}

/* Rows of sql with :id bound to id, as a new JSON array into *out. */
static int store_rows_by_id(struct db *db, const char *sql, int64_t id, struct json_object **out)
{
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id)));
	int rc;

	*out = NULL;
	if (!st)
		return STORE_ERROR;
	*out = db_rows_json(st, &rc);
	return rc;
}

int store_person_export(struct db *db, int64_t id, struct json_object **out)
{
	static const char sql_regs[] =
	    "SELECT r.id, r.event_id, e.type AS event_type, e.title_fr AS event_title_fr, "
	    "e.title_ar AS event_title_ar, e.title_en AS event_title_en, e.status AS event_status, "
	    "r.status, r.attendance_confirmed_at, r.created_at, r.updated_at "
	    "FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.person_id = :id ORDER BY r.id";
	static const char sql_att[] =
	    "SELECT a.session_id, s.title AS session_title, s.starts_local, s.ends_local, s.tz, "
	    "a.status, a.method, a.recorded_at FROM attendance a JOIN sessions s ON s.id = a.session_id "
	    "WHERE a.registration_id = :id ORDER BY s.start_utc, s.id";
	static const char sql_fac[] =
	    "SELECT id, event_id, title, starts_local, ends_local, tz FROM sessions "
	    "WHERE facilitator_id = :id ORDER BY start_utc, id";
	static const char sql_cal[] = "SELECT id, label, created_at, revoked_at FROM calendar_tokens "
				      "WHERE owner_kind = 'person' AND owner_id = :id ORDER BY id";
	struct json_object *o = NULL, *person = NULL, *regs = NULL, *arr = NULL, *reg, *rid;
	size_t i, n;
	int rc;

	*out = NULL;
	rc = store_person_get(db, id, &person);
	if (rc)
		goto out;
	o = json_object_new_object();
	json_object_object_add(o, "person", person);
	rc = store_rows_by_id(db, sql_regs, id, &regs);
	if (rc)
		goto out;
	json_object_object_add(o, "registrations", regs);
	n = json_object_array_length(regs);
	for (i = 0; i < n; i++) {
		reg = json_object_array_get_idx(regs, i);
		if (!json_object_object_get_ex(reg, "id", &rid)) {
			rc = STORE_ERROR;
			goto out;
		}
		rc = store_rows_by_id(db, sql_att, json_object_get_int64(rid), &arr);
		if (rc)
			goto out;
		json_object_object_add(reg, "attendance", arr);
	}
	rc = store_rows_by_id(db, sql_fac, id, &arr);
	if (rc)
		goto out;
	json_object_object_add(o, "facilitated_sessions", arr);
	rc = store_rows_by_id(db, sql_cal, id, &arr);
	if (rc)
		goto out;
	json_object_object_add(o, "calendar_tokens", arr);
	*out = o;
	o = NULL;
out:
	json_object_put(o);
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
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", person_id)));
	int64_t *v = NULL, *grown;
	size_t cap = 0, len = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (!st)
		return STORE_ERROR;
	rc = STORE_OK;
	while (!rc) {
		rc = db_step(st);
		if (rc != 1)
			break;
		rc = 0;
		if (len == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				rc = STORE_ERROR;
				break;
			}
			v = grown;
		}
		v[len++] = db_col_int(st, 0);
	}
	sqlite3_reset(st);
	if (rc) {
		free(v);
		return rc;
	}
	*ids = v;
	*n = len;
	return STORE_OK;
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
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":now", now), DB_INT(":id", person_id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_exec_stmt(st);
	if (!rc && n)
		*n = db_changes(db);
	return rc;
}
