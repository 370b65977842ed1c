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

/* What store_counts_event folds its rows into. */
struct store_counts_acc {
	struct store_reg_counts *c;
	bool found; /* the event exists */
};

static int store_counts_event_add(sqlite3_stmt *st, void *ctx)
{
	struct store_counts_acc *a = ctx;
	int s = store_counts_status(db_col_text(st, 1));

	a->found = true;
	a->c->capacity = db_col_int(st, 0);
	if (s >= 0) {
		a->c->n[s] += db_col_int(st, 3);
		a->c->by_sex[s][store_counts_sex(db_col_text(st, 2))] += db_col_int(st, 3);
	}
	return STORE_OK;
}

int store_counts_event(struct db *db, int64_t event_id, struct store_reg_counts *c)
{
	static const char sql[] =
	    "SELECT e.capacity, c.status, c.sex, c.n FROM events e "
	    "LEFT JOIN registration_counts c ON c.event_id = e.id "
	    "AND c.status IN ('confirmed', 'waitlisted', 'pending') WHERE e.id = :event";
	struct store_counts_acc a = {c, false};
	int rc;

	memset(c, 0, sizeof(*c));
	rc = db_each(db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id))), store_counts_event_add, &a);
	return !rc && !a.found ? STORE_NOT_FOUND : rc;
}

int store_counts_confirmed(struct db *db, int64_t event_id, int64_t *n)
{
	static const char sql[] = "SELECT coalesce(sum(n), 0) FROM registration_counts "
				  "WHERE event_id = :event AND status = 'confirmed'";

	/* an aggregate: always one row */
	return db_one_int(db, sql, DB_ARGS(DB_INT(":event", event_id)), n);
}

/* What store_counts_sessions folds its rows into: one entry a session. */
struct store_counts_list {
	struct store_session_counts *a;
	int len, cap;
};

static int store_counts_session_add(sqlite3_stmt *st, void *ctx)
{
	struct store_counts_list *l = ctx;
	struct store_session_counts *grown;
	int64_t id = db_col_int(st, 0);

	if (!l->len || l->a[l->len - 1].session_id != id) {
		if (l->len == l->cap) {
			int cap = l->cap ? l->cap * 2 : 8;

			grown = realloc(l->a, (size_t)cap * sizeof(*grown));
			if (!grown)
				return STORE_ERROR;
			l->a = grown;
			l->cap = cap;
		}
		memset(&l->a[l->len], 0, sizeof(l->a[l->len]));
		l->a[l->len].start_utc = db_col_int(st, 3);
		l->a[l->len++].session_id = id;
	}
	if (!db_col_is_null(st, 1))
		l->a[l->len - 1].present[store_counts_sex(db_col_text(st, 1))] += db_col_int(st, 2);
	return STORE_OK;
}

int store_counts_sessions(struct db *db, int64_t event_id, struct store_session_counts **out, int *n)
{
	static const char sql[] = "SELECT s.id, c.sex, c.n, s.start_utc FROM sessions s "
				  "LEFT JOIN presence_counts c ON c.session_id = s.id "
				  "WHERE s.event_id = :event ORDER BY s.start_utc, s.id";
	struct store_counts_list l = {NULL, 0, 0};
	int rc =
	    db_each(db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id))), store_counts_session_add, &l);

	*out = NULL;
	*n = 0;
	if (rc) {
		free(l.a);
		return rc;
	}
	*out = l.a;
	*n = l.len;
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
