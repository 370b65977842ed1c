/* store_event_counts: recounts an event's numbers with SQL COUNT over its rows; it decides nothing. */
#include "store/store_event_counts.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

static int store_tally_sex(const char *s)
{
	if (s && !strcmp(s, "female"))
		return STORE_TALLY_FEMALE;
	if (s && !strcmp(s, "male"))
		return STORE_TALLY_MALE;
	return STORE_TALLY_UNSPECIFIED;
}

int store_event_tally(struct db *db, int64_t event_id, struct store_event_tally *t)
{
	static const char cap_sql[] = "SELECT capacity FROM events WHERE id = :id";
	static const char sql[] =
	    "SELECT r.status, p.sex, count(*) FROM registrations r JOIN people p ON p.id = r.person_id "
	    "WHERE r.event_id = :id AND r.status IN ('confirmed', 'waitlisted', 'pending') "
	    "GROUP BY r.status, p.sex";
	sqlite3_stmt *st;
	const char *status;
	int64_t n;
	int rc;

	memset(t, 0, sizeof(*t));
	st = db_stmt_args(db, cap_sql, DB_ARGS(DB_INT(":id", event_id)));
	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1)
		t->capacity = db_col_int(st, 0);
	sqlite3_reset(st);
	if (rc != 1)
		return rc == 0 ? STORE_NOT_FOUND : rc;
	st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", event_id)));
	if (!st)
		return STORE_ERROR;
	for (;;) {
		rc = db_step(st);
		if (rc != 1)
			break;
		status = db_col_text(st, 0);
		n = db_col_int(st, 2);
		if (!strcmp(status, "confirmed")) {
			t->confirmed += n;
			t->confirmed_sex[store_tally_sex(db_col_text(st, 1))] += n;
		} else if (!strcmp(status, "pending")) {
			t->pending += n;
		} else {
			t->waitlisted += n;
		}
	}
	sqlite3_reset(st);
	return rc == 0 ? STORE_OK : rc;
}

int store_session_tallies(struct db *db, int64_t event_id, struct store_session_tally **out, int *n)
{
	static const char sql[] = "SELECT s.id, p.sex, count(p.id) FROM sessions s "
				  "LEFT JOIN attendance a ON a.session_id = s.id AND a.status = 'present' "
				  "LEFT JOIN registrations r ON r.id = a.registration_id "
				  "LEFT JOIN people p ON p.id = r.person_id "
				  "WHERE s.event_id = :id GROUP BY s.id, p.sex ORDER BY s.start_utc, s.id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", event_id)));
	struct store_session_tally *a = NULL, *grown, *cur;
	int cap = 0, len = 0, rc;
	int64_t id, count;

	*out = NULL;
	*n = 0;
	if (!st)
		return STORE_ERROR;
	for (;;) {
		rc = db_step(st);
		if (rc != 1)
			break;
		id = db_col_int(st, 0);
		count = db_col_int(st, 2);
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
		if (!count)
			continue; /* a session nobody attended: its one row has no person */
		cur = &a[len - 1];
		cur->present += count;
		cur->present_sex[store_tally_sex(db_col_text(st, 1))] += count;
	}
	sqlite3_reset(st);
	if (rc) {
		free(a);
		return rc < 0 ? rc : STORE_ERROR;
	}
	*out = a;
	*n = len;
	return STORE_OK;
}
