/*
 * store_freebusy: prepared SELECTs behind free/busy; it must not merge periods, render, check a token
 * or choose the range (the domain does).
 */
#include "store/store_freebusy.h"

#include "store/stmt.h"

/* Reads a row of start_utc, end_utc, tentative. */
static int store_busy_read(sqlite3_stmt *st, void *row)
{
	struct store_busy *b = row;

	b->start_utc = db_col_int(st, 0);
	b->end_utc = db_col_int(st, 1);
	b->tentative = db_col_int(st, 2) != 0;
	return STORE_OK;
}

static const struct db_row_type store_busy_row = {sizeof(struct store_busy), store_busy_read, NULL};

/* The busy periods sql selects for the owner bound as who (":org" or ":person") within [from_utc, to_utc),
 * at most limit of them (the SQL's LIMIT). */
static int store_freebusy_query(struct db *db, const char *sql, const char *who, int64_t owner_id,
				int64_t from_utc, int64_t to_utc, int64_t limit, struct store_busy **rows,
				size_t *n)
{
	void *a;
	int rc = db_rows(db_stmt_args(db, sql,
				      DB_ARGS(DB_INT(who, owner_id), DB_INT(":from", from_utc),
					      DB_INT(":to", to_utc), DB_INT(":limit", limit))),
			 &store_busy_row, &a, n);

	*rows = a;
	return rc;
}

int store_freebusy_org(struct db *db, int64_t org_id, int64_t from_utc, int64_t to_utc, int64_t limit,
		       struct store_busy **rows, size_t *n)
{
	static const char sql[] =
	    "SELECT s.start_utc, s.end_utc, e.status = 'postponed' FROM sessions s "
	    "JOIN events e ON e.id = s.event_id "
	    "WHERE (e.org_id = :org OR EXISTS (SELECT 1 FROM event_partners p "
	    "WHERE p.event_id = e.id AND p.org_id = :org)) AND e.status <> 'cancelled' "
	    "AND s.start_utc < :to AND s.end_utc > :from ORDER BY s.start_utc, s.id LIMIT :limit";

	return store_freebusy_query(db, sql, ":org", org_id, from_utc, to_utc, limit, rows, n);
}

int store_freebusy_person(struct db *db, int64_t person_id, int64_t from_utc, int64_t to_utc, int64_t limit,
			  struct store_busy **rows, size_t *n)
{
	static const char sql[] =
	    "SELECT start_utc, end_utc, min(tentative) FROM ("
	    "SELECT s.id AS id, s.start_utc AS start_utc, s.end_utc AS end_utc, "
	    "(e.status = 'postponed' OR g.status IN ('pending', 'waitlisted')) AS tentative "
	    "FROM sessions s JOIN events e ON e.id = s.event_id JOIN registrations g ON g.event_id = e.id "
	    "WHERE g.person_id = :person AND g.status IN ('pending', 'confirmed', 'waitlisted') "
	    "AND e.status <> 'cancelled' AND s.start_utc < :to AND s.end_utc > :from "
	    "UNION ALL "
	    "SELECT s.id, s.start_utc, s.end_utc, e.status = 'postponed' "
	    "FROM sessions s JOIN events e ON e.id = s.event_id "
	    "WHERE s.facilitator_id = :person AND e.status <> 'cancelled' "
	    "AND s.start_utc < :to AND s.end_utc > :from) "
	    /* a facilitator who is also registered is busy once, firmly when either says so */
	    "GROUP BY id ORDER BY start_utc, id LIMIT :limit";

	return store_freebusy_query(db, sql, ":person", person_id, from_utc, to_utc, limit, rows, n);
}

int store_freebusy_last_change(struct db *db, int64_t *at)
{
	int rc = db_one_int(db, "SELECT created_at FROM change_log ORDER BY seq DESC LIMIT 1", NULL, at);

	/* an empty change log: 0 */
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}
