/*
 * store_freebusy: prepared SELECTs behind free/busy; it must not merge periods, render, check a token
 * or choose the range (the domain does).
 */
#include "store/store_freebusy.h"

#include <stdlib.h>

#include "store/stmt.h"

/* Steps a bound statement whose columns are start_utc, end_utc, tentative into a malloc'ed array
 * (resets the statement on every path). */
static int store_freebusy_rows(sqlite3_stmt *st, int rc, int64_t limit, struct store_busy **rows, size_t *n)
{
	struct store_busy *a = NULL;
	size_t cap = 0, len = 0;

	*rows = NULL;
	*n = 0;
	while (!rc) {
		rc = db_step(st);
		if (rc != 1)
			break;
		rc = STORE_OK;
		if (len == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct store_busy *na;

			if (ncap > (size_t)limit)
				ncap = (size_t)limit;
			na = ncap > cap ? realloc(a, ncap * sizeof(*a)) : NULL;
			if (!na) {
				rc = STORE_ERROR;
				break;
			}
			a = na;
			cap = ncap;
		}
		a[len].start_utc = db_col_int(st, 0);
		a[len].end_utc = db_col_int(st, 1);
		a[len].tentative = db_col_int(st, 2) != 0;
		len++;
	}
	sqlite3_reset(st);
	if (rc) {
		free(a);
		return rc;
	}
	*rows = len ? a : NULL;
	if (!len)
		free(a);
	*n = len;
	return STORE_OK;
}

/* Binds the range and limit shared by both queries. */
static int store_freebusy_bind(sqlite3_stmt *st, int64_t from_utc, int64_t to_utc, int64_t limit)
{
	return db_bind_args(
	    st, DB_ARGS(DB_INT(":from", from_utc), DB_INT(":to", to_utc), DB_INT(":limit", limit)));
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
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	*rows = NULL;
	*n = 0;
	if (!st)
		return STORE_ERROR;
	rc = store_freebusy_bind(st, from_utc, to_utc, limit);
	rc = rc ? rc : db_bind_args(st, DB_ARGS(DB_INT(":org", org_id)));
	return store_freebusy_rows(st, rc, limit, rows, n);
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
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	*rows = NULL;
	*n = 0;
	if (!st)
		return STORE_ERROR;
	rc = store_freebusy_bind(st, from_utc, to_utc, limit);
	rc = rc ? rc : db_bind_args(st, DB_ARGS(DB_INT(":person", person_id)));
	return store_freebusy_rows(st, rc, limit, rows, n);
}

int store_freebusy_last_change(struct db *db, int64_t *at)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT created_at FROM change_log ORDER BY seq DESC LIMIT 1");
	int rc;

	*at = 0;
	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1)
		*at = db_col_int(st, 0);
	sqlite3_reset(st);
	return rc < 0 ? rc : STORE_OK;
}
