/* store_orgs: prepared statements over organisations; no validation, no permissions, no transactions. */
#include "store/store_orgs.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

#define ORG_COLS "id, name, kind, city, region, contact_name, contact_email, created_at, updated_at"

static int store_org_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct store_org *o = ctx;

	return db_bind_args(st, DB_ARGS(DB_TEXT(":name", o->name), DB_TEXT(":kind", o->kind),
					DB_TEXT(":city", o->city), DB_TEXT(":region", o->region),
					DB_TEXT(":contact_name", o->contact_name),
					DB_TEXT(":contact_email", o->contact_email)));
}

int store_org_insert(struct db *db, const struct store_org *o, int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO organisations (name, kind, city, region, contact_name, contact_email, "
	    "created_at, updated_at) VALUES (:name, :kind, :city, :region, :contact_name, "
	    ":contact_email, :now, :now)";

	return db_exec_insert(db_stmt_bind(db, sql, store_org_bind, o, DB_ARGS(DB_INT(":now", now))), id);
}

int store_org_update(struct db *db, int64_t id, const struct store_org *o, int64_t now)
{
	static const struct db_set_flag flags[] = {
	    {":set_name", STORE_ORG_NAME},
	    {":set_kind", STORE_ORG_KIND},
	    {":set_city", STORE_ORG_CITY},
	    {":set_region", STORE_ORG_REGION},
	    {":set_contact_name", STORE_ORG_CONTACT_NAME},
	    {":set_contact_email", STORE_ORG_CONTACT_EMAIL},
	    {NULL, 0},
	};
	static const char sql[] =
	    "UPDATE organisations SET "
	    "name = CASE WHEN :set_name THEN :name ELSE name END, "
	    "kind = CASE WHEN :set_kind THEN :kind ELSE kind END, "
	    "city = CASE WHEN :set_city THEN :city ELSE city END, "
	    "region = CASE WHEN :set_region THEN :region ELSE region END, "
	    "contact_name = CASE WHEN :set_contact_name THEN :contact_name ELSE contact_name END, "
	    "contact_email = CASE WHEN :set_contact_email THEN :contact_email ELSE contact_email END, "
	    "updated_at = :now WHERE id = :id";

	return db_exec_update(
	    db_stmt_bind(db, sql, store_org_bind, o,
			 DB_ARGS(DB_SET_FLAGS(flags, o->set), DB_INT(":now", now), DB_INT(":id", id))));
}

void org_row_clear(struct org_row *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->kind);
	free(r->city);
	free(r->region);
	free(r->contact_name);
	free(r->contact_email);
	memset(r, 0, sizeof(*r));
}

/* Reads a row of ORG_COLS into a zeroed org_row. */
static int store_org_read(sqlite3_stmt *st, void *row)
{
	struct org_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->name);
	rc = rc ? rc : db_col_dup(st, 2, &r->kind);
	rc = rc ? rc : db_col_dup(st, 3, &r->city);
	rc = rc ? rc : db_col_dup(st, 4, &r->region);
	rc = rc ? rc : db_col_dup(st, 5, &r->contact_name);
	rc = rc ? rc : db_col_dup(st, 6, &r->contact_email);
	r->created_at = db_col_int(st, 7);
	r->updated_at = db_col_int(st, 8);
	return rc;
}

static void store_org_clear(void *row)
{
	org_row_clear(row);
}

static const struct db_row_type store_org_row = {sizeof(struct org_row), store_org_read, store_org_clear};

void org_rows_free(struct org_row *rows, size_t n)
{
	db_rows_free(&store_org_row, rows, n);
}

int store_org_get(struct db *db, int64_t id, struct org_row *r)
{
	static const char sql[] = "SELECT " ORG_COLS " FROM organisations WHERE id = :id";

	return db_row_by_id(db, sql, id, &store_org_row, r);
}

int store_organisation_exists(struct db *db, int64_t id)
{
	return db_int_by_id(db, "SELECT 1 FROM organisations WHERE id = :id", id, NULL);
}

/* The filters of store_org_list. */
struct store_org_filter {
	const char *city, *kind;
};

static int store_org_filter_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct store_org_filter *f = ctx;
	return db_bind_args(st, DB_ARGS(DB_TEXT(":city", f->city), DB_TEXT(":kind", f->kind)));
}

int store_org_list(struct db *db, const char *city, const char *kind, int64_t limit, int64_t offset,
		   struct org_row **rows, size_t *n, int64_t *total)
{
	static const char sql_count[] =
	    "SELECT count(*) FROM organisations WHERE (:city IS NULL OR city = :city COLLATE NOCASE) "
	    "AND (:kind IS NULL OR kind = :kind)";
	static const char sql[] =
	    "SELECT " ORG_COLS " FROM organisations WHERE (:city IS NULL OR city = :city COLLATE NOCASE) "
	    "AND (:kind IS NULL OR kind = :kind) ORDER BY name, id LIMIT :limit OFFSET :offset";
	struct store_org_filter f = {city, kind};
	void *a;
	int rc = db_page_rows(db, sql_count, sql, store_org_filter_bind, &f, limit, offset, &store_org_row,
			      &a, n, total);

	*rows = a;
	return rc;
}
