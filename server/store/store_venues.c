/* store_venues: prepared statements over venues and rooms; no validation, no permissions, no transactions. */
#include "store/store_venues.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

#define VENUE_COLS "id, name, city, address, tz, latitude, longitude, org_id, created_at, updated_at"

static int store_venue_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct store_venue *v = ctx;

	return db_bind_args(st, DB_ARGS(DB_TEXT(":name", v->name), DB_TEXT(":city", v->city),
					DB_TEXT(":address", v->address), DB_TEXT(":tz", v->tz),
					DB_OPT_DOUBLE(":latitude", v->has_latitude, v->latitude),
					DB_OPT_DOUBLE(":longitude", v->has_longitude, v->longitude),
					DB_OPT_INT(":org_id", v->org_id > 0, v->org_id)));
}

int store_venue_insert(struct db *db, const struct store_venue *v, int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO venues (name, city, address, tz, latitude, longitude, org_id, created_at, "
	    "updated_at) VALUES (:name, :city, :address, :tz, :latitude, :longitude, :org_id, :now, :now)";

	return db_exec_insert(db_stmt_bind(db, sql, store_venue_bind, v, DB_ARGS(DB_INT(":now", now))), id);
}

int store_venue_update(struct db *db, int64_t id, const struct store_venue *v, int64_t now)
{
	static const struct db_set_flag flags[] = {
	    {":set_name", STORE_VENUE_NAME},	     {":set_city", STORE_VENUE_CITY},
	    {":set_address", STORE_VENUE_ADDRESS},   {":set_tz", STORE_VENUE_TZ},
	    {":set_latitude", STORE_VENUE_LATITUDE}, {":set_longitude", STORE_VENUE_LONGITUDE},
	    {":set_org_id", STORE_VENUE_ORG},	     {NULL, 0},
	};
	static const char sql[] = "UPDATE venues SET "
				  "name = CASE WHEN :set_name THEN :name ELSE name END, "
				  "city = CASE WHEN :set_city THEN :city ELSE city END, "
				  "address = CASE WHEN :set_address THEN :address ELSE address END, "
				  "tz = CASE WHEN :set_tz THEN :tz ELSE tz END, "
				  "latitude = CASE WHEN :set_latitude THEN :latitude ELSE latitude END, "
				  "longitude = CASE WHEN :set_longitude THEN :longitude ELSE longitude END, "
				  "org_id = CASE WHEN :set_org_id THEN :org_id ELSE org_id END, "
				  "updated_at = :now WHERE id = :id";

	return db_exec_update(
	    db_stmt_bind(db, sql, store_venue_bind, v,
			 DB_ARGS(DB_SET_FLAGS(flags, v->set), DB_INT(":now", now), DB_INT(":id", id))));
}

int store_venue_org(struct db *db, int64_t id, int64_t *org_id)
{
	return db_int_by_id(db, "SELECT org_id FROM venues WHERE id = :id", id, org_id);
}

void room_row_clear(struct room_row *r)
{
	if (!r)
		return;
	free(r->name);
	memset(r, 0, sizeof(*r));
}

static int store_room_read(sqlite3_stmt *st, void *row)
{
	struct room_row *r = row;

	r->id = db_col_int(st, 0);
	r->venue_id = db_col_int(st, 1);
	r->capacity = db_col_int(st, 3);
	return db_col_dup(st, 2, &r->name);
}

static void store_room_clear(void *row)
{
	room_row_clear(row);
}

static const struct db_row_type store_room_row = {sizeof(struct room_row), store_room_read, store_room_clear};

void venue_row_clear(struct venue_row *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->city);
	free(r->address);
	free(r->tz);
	db_rows_free(&store_room_row, r->rooms, r->n_rooms);
	memset(r, 0, sizeof(*r));
}

/* Reads a row of VENUE_COLS into a zeroed venue_row (no rooms). */
static int store_venue_read(sqlite3_stmt *st, void *row)
{
	struct venue_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->name);
	rc = rc ? rc : db_col_dup(st, 2, &r->city);
	rc = rc ? rc : db_col_dup(st, 3, &r->address);
	rc = rc ? rc : db_col_dup(st, 4, &r->tz);
	r->has_latitude = !db_col_is_null(st, 5);
	r->latitude = sqlite3_column_double(st, 5);
	r->has_longitude = !db_col_is_null(st, 6);
	r->longitude = sqlite3_column_double(st, 6);
	r->org_id = db_col_is_null(st, 7) ? 0 : db_col_int(st, 7);
	r->created_at = db_col_int(st, 8);
	r->updated_at = db_col_int(st, 9);
	return rc;
}

static void store_venue_clear(void *row)
{
	venue_row_clear(row);
}

static const struct db_row_type store_venue_row = {sizeof(struct venue_row), store_venue_read,
						   store_venue_clear};

void venue_rows_free(struct venue_row *rows, size_t n)
{
	db_rows_free(&store_venue_row, rows, n);
}

int store_venue_get(struct db *db, int64_t id, struct venue_row *r)
{
	static const char sql[] = "SELECT " VENUE_COLS " FROM venues WHERE id = :id";
	static const char sql_rooms[] =
	    "SELECT id, venue_id, name, capacity FROM rooms WHERE venue_id = :id ORDER BY name, id";
	void *rooms;
	int rc = db_row_by_id(db, sql, id, &store_venue_row, r);

	if (rc)
		return rc;
	rc = db_rows(db_stmt_args(db, sql_rooms, DB_ARGS(DB_INT(":id", id))), &store_room_row, &rooms,
		     &r->n_rooms);
	if (rc) {
		venue_row_clear(r);
		return rc;
	}
	r->rooms = rooms;
	return STORE_OK;
}

/* The filters of store_venue_list. */
struct store_venue_filter {
	const char *city;
	int64_t org_id;
};

static int store_venue_filter_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct store_venue_filter *f = ctx;
	return db_bind_args(
	    st, DB_ARGS(DB_TEXT(":city", f->city), DB_OPT_INT(":org_id", f->org_id > 0, f->org_id)));
}

int store_venue_list(struct db *db, const char *city, int64_t org_id, int64_t limit, int64_t offset,
		     struct venue_row **rows, size_t *n, int64_t *total)
{
	static const char sql_count[] =
	    "SELECT count(*) FROM venues WHERE (:city IS NULL OR city = :city COLLATE NOCASE) "
	    "AND (:org_id IS NULL OR org_id = :org_id)";
	static const char sql[] =
	    "SELECT " VENUE_COLS " FROM venues WHERE (:city IS NULL OR city = :city COLLATE NOCASE) "
	    "AND (:org_id IS NULL OR org_id = :org_id) ORDER BY city, name, id LIMIT :limit OFFSET :offset";
	struct store_venue_filter f = {city, org_id};
	void *a;
	int rc = db_page_rows(db, sql_count, sql, store_venue_filter_bind, &f, limit, offset,
			      &store_venue_row, &a, n, total);

	*rows = a;
	return rc;
}

int store_room_insert(struct db *db, int64_t venue_id, const struct store_room *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO rooms (venue_id, name, capacity) VALUES (:venue_id, :name, :capacity)";
	return db_run_insert(db, sql,
			     DB_ARGS(DB_INT(":venue_id", venue_id), DB_TEXT(":name", r->name),
				     DB_INT(":capacity", r->capacity)),
			     id);
}

int store_room_update(struct db *db, int64_t id, const struct store_room *r)
{
	static const char sql[] =
	    "UPDATE rooms SET name = CASE WHEN :set_name THEN :name ELSE name END, "
	    "capacity = CASE WHEN :set_capacity THEN :capacity ELSE capacity END WHERE id = :id";
	return db_run_update(db, sql,
			     DB_ARGS(DB_INT(":set_name", !!(r->set & STORE_ROOM_NAME)),
				     DB_TEXT(":name", r->name),
				     DB_INT(":set_capacity", !!(r->set & STORE_ROOM_CAPACITY)),
				     DB_INT(":capacity", r->capacity), DB_INT(":id", id)));
}

int store_room_venue(struct db *db, int64_t id, int64_t *venue_id)
{
	return db_int_by_id(db, "SELECT venue_id FROM rooms WHERE id = :id", id, venue_id);
}

int store_room_get(struct db *db, int64_t id, struct room_row *r)
{
	static const char sql[] = "SELECT id, venue_id, name, capacity FROM rooms WHERE id = :id";

	return db_row_by_id(db, sql, id, &store_room_row, r);
}
