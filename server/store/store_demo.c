/*
 * store_demo: read checks for the demo loader; it writes nothing, opens no transaction, applies no
 * rule and is used by nothing but domain/demo.c.
 */
#include "store/store_demo.h"

#include "store/db.h"

/* Runs a one-row, one-integer query into *n. */
static int store_demo_count(sqlite3_stmt *st, int64_t *n)
{
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1)
		*n = db_col_int(st, 0);
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	return rc == 1 ? STORE_OK : STORE_ERROR;
}

int store_demo_has_event(struct db *db, bool *any)
{
	int64_t n = 0;
	int rc = store_demo_count(db_stmt(db, "SELECT EXISTS (SELECT 1 FROM events)"), &n);

	*any = n != 0;
	return rc;
}

int store_demo_overlaps(struct db *db, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM sessions a JOIN sessions b ON a.id < b.id "
				  "AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc "
				  "WHERE a.room_id = b.room_id OR a.facilitator_id = b.facilitator_id";

	return store_demo_count(db_stmt(db, sql), n);
}

int store_demo_overbooked(struct db *db, int64_t *n)
{
	static const char sql[] =
	    "SELECT count(*) FROM events e WHERE e.capacity < "
	    "(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'confirmed')";

	return store_demo_count(db_stmt(db, sql), n);
}
