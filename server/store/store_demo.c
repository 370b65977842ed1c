/*
 * store_demo: read checks for the demo loader; it writes nothing, opens no transaction, applies no
 * rule and is used by nothing but domain/demo.c.
 */
#include "store/store_demo.h"

#include "store/db.h"
#include "store/stmt.h"

int store_demo_has_event(struct db *db, bool *any)
{
	int64_t n = 0;
	int rc = db_int(db, "SELECT EXISTS (SELECT 1 FROM events)", &n);

	*any = n != 0;
	return rc;
}

int store_demo_overlaps(struct db *db, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM sessions a JOIN sessions b ON a.id < b.id "
				  "AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc "
				  "WHERE a.room_id = b.room_id OR a.facilitator_id = b.facilitator_id";

	return db_int(db, sql, n);
}

int store_demo_overbooked(struct db *db, int64_t *n)
{
	static const char sql[] =
	    "SELECT count(*) FROM events e WHERE e.capacity < "
	    "(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'confirmed')";

	return db_int(db, sql, n);
}
