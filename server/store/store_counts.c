/*
 * store_counts: reads the registration and presence counters (registration_counts, presence_counts) that
 * migration 0007's triggers maintain; it never writes them (the triggers alone do) and never counts the
 * rows of registrations or attendance.
 */
#include "store/store_counts.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

static int store_counts_status(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "confirmed"))
		return STORE_CNT_CONFIRMED;
	if (!strcmp(s, "waitlisted"))
		return STORE_CNT_WAITLISTED;
	if (!strcmp(s, "pending"))
		return STORE_CNT_PENDING;
	return -1;
}

static int store_counts_sex(const char *s)
{
	if (s && !strcmp(s, "female"))
		return STORE_SEX_FEMALE;
	if (s && !strcmp(s, "male"))
		return STORE_SEX_MALE;
	return STORE_SEX_UNSPECIFIED;
}

int store_counts_event(struct db *db, int64_t event_id, struct store_reg_counts *c)
{
	static const char sql[] =
	    "SELECT e.capacity, c.status, c.sex, c.n FROM events e "
	    "LEFT JOIN registration_counts c ON c.event_id = e.id "
	    "AND c.status IN ('confirmed', 'waitlisted', 'pending') WHERE e.id = :event";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id)));
	bool found = false;
	int rc, s;

	memset(c, 0, sizeof(*c));
	if (!st)
		return STORE_ERROR;
	for (;;) {
		rc = db_step(st);
		if (rc != 1)
			break;
		found = true;
		c->capacity = db_col_int(st, 0);
		s = store_counts_status(db_col_text(st, 1));
		if (s < 0)
			continue;
		c->n[s] += db_col_int(st, 3);
		c->by_sex[s][store_counts_sex(db_col_text(st, 2))] += db_col_int(st, 3);
	}
	sqlite3_reset(st);
	if (!rc && !found)
		rc = STORE_NOT_FOUND;
	return rc;
}

int store_counts_confirmed(struct db *db, int64_t event_id, int64_t *n)
{
	static const char sql[] = "SELECT coalesce(sum(n), 0) FROM registration_counts "
				  "WHERE event_id = :event AND status = 'confirmed'";

	/* an aggregate: always one row */
	return db_one_int(db, sql, DB_ARGS(DB_INT(":event", event_id)), n);
}

int store_counts_sessions(struct db *db, int64_t event_id, struct store_session_counts **out, int *n)
{
	static const char sql[] = "SELECT s.id, c.sex, c.n FROM sessions s "
				  "LEFT JOIN presence_counts c ON c.session_id = s.id "
				  "WHERE s.event_id = :event ORDER BY s.start_utc, s.id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id)));
	struct store_session_counts *a = NULL, *grown;
	int len = 0, cap = 0, rc;
	int64_t id;

	*out = NULL;
	*n = 0;
	if (!st)
		return STORE_ERROR;
	for (;;) {
		rc = db_step(st);
		if (rc != 1)
			break;
		id = db_col_int(st, 0);
		if (!len || a[len - 1].session_id != id) {
			if (len == cap) {
				cap = cap ? cap * 2 : 8;
				grown = realloc(a, (size_t)cap * sizeof(*a));
				if (!grown) {
					rc = STORE_ERROR;
					break;
				}
				a = grown;
			}
			memset(&a[len], 0, sizeof(a[len]));
			a[len++].session_id = id;
		}
		if (!db_col_is_null(st, 1))
			a[len - 1].present[store_counts_sex(db_col_text(st, 1))] += db_col_int(st, 2);
	}
	sqlite3_reset(st);
	if (rc) {
		free(a);
		return rc;
	}
	*out = a;
	*n = len;
	return STORE_OK;
}

int store_counts_waitlist_position(struct db *db, int64_t event_id, int64_t wseq, int64_t *pos)
{
	static const char sql[] =
	    "SELECT coalesce((SELECT sum(n) FROM registration_counts WHERE event_id = :event "
	    "AND status = 'waitlisted'), 0) - (SELECT count(*) FROM registrations WHERE event_id = :event "
	    "AND status = 'waitlisted' AND waitlist_seq > :wseq)";

	/* no FROM: always one row */
	return db_one_int(db, sql, DB_ARGS(DB_INT(":event", event_id), DB_INT(":wseq", wseq)), pos);
}
