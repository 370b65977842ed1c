/* store_live: change-log reads for live clients; it decides nothing about who may see what. */
#include "store/store_live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

int store_live_credential_changes(struct db *db, int64_t after, int64_t *head, int64_t *cred)
{
	static const char sql[] = "SELECT coalesce(max(seq), :after), "
				  "coalesce(max(CASE WHEN kind LIKE 'account.%' OR kind LIKE 'token.%' "
				  "THEN seq END), 0) FROM change_log WHERE seq > :after";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":after", after)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1) {
		*head = db_col_int(st, 0);
		*cred = db_col_int(st, 1);
		rc = STORE_OK;
	} else if (rc == 0) {
		rc = STORE_ERROR;
	}
	sqlite3_reset(st);
	return rc;
}

int store_live_rows(struct db *db, int64_t after, int64_t upto, int max, struct store_live_row *out, int *n)
{
	static const char sql[] =
	    "SELECT seq, topic, kind, org_id, payload, created_at FROM change_log "
	    "WHERE seq > :after AND (:upto <= 0 OR seq <= :upto) ORDER BY seq LIMIT :max";
	sqlite3_stmt *st = db_stmt_args(
	    db, sql, DB_ARGS(DB_INT(":after", after), DB_INT(":upto", upto), DB_INT(":max", max)));
	struct store_live_row *r;
	int rc;

	*n = 0;
	if (!st)
		return STORE_ERROR;
	for (;;) {
		rc = db_step(st);
		if (rc != 1)
			break;
		r = &out[*n];
		memset(r, 0, sizeof(*r));
		r->seq = db_col_int(st, 0);
		snprintf(r->topic, sizeof(r->topic), "%s", db_col_text(st, 1));
		snprintf(r->kind, sizeof(r->kind), "%s", db_col_text(st, 2));
		r->has_org = !db_col_is_null(st, 3);
		r->org_id = db_col_int(st, 3);
		r->payload = strdup(db_col_text(st, 4));
		r->at = db_col_int(st, 5);
		if (!r->payload) {
			rc = STORE_ERROR;
			break;
		}
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc) {
		store_live_rows_free(out, *n);
		*n = 0;
		return rc < 0 ? rc : STORE_ERROR;
	}
	return STORE_OK;
}

void store_live_rows_free(struct store_live_row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		free(rows[i].payload);
		rows[i].payload = NULL;
	}
}

int store_live_oldest(struct db *db, int64_t *seq)
{
	return db_int(db, "SELECT coalesce(min(seq), 0) FROM change_log", seq);
}

int store_live_waitlist(struct db *db, int64_t event_id, int64_t **ids, int64_t **wseqs, size_t *n)
{
	static const char sql[] = "SELECT id, waitlist_seq FROM registrations WHERE event_id = :event "
				  "AND status = 'waitlisted' ORDER BY waitlist_seq, id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id)));
	int64_t *a = NULL, *b = NULL, *grown;
	size_t cap = 0;
	int rc;

	*ids = *wseqs = NULL;
	*n = 0;
	if (!st)
		return STORE_ERROR;
	for (;;) {
		rc = db_step(st);
		if (rc != 1)
			break;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(a, cap * sizeof(*a));
			a = grown ? grown : a;
			grown = grown ? realloc(b, cap * sizeof(*b)) : NULL;
			b = grown ? grown : b;
			if (!grown) {
				rc = STORE_ERROR;
				break;
			}
		}
		a[*n] = db_col_int(st, 0);
		b[(*n)++] = db_col_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc) {
		free(a);
		free(b);
		*n = 0;
		return rc;
	}
	*ids = a;
	*wseqs = b;
	return STORE_OK;
}

int store_live_event_state(struct db *db, int64_t event_id, char status[16], int64_t *sequence)
{
	static const char sql[] = "SELECT status, sequence FROM events WHERE id = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", event_id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1) {
		snprintf(status, 16, "%s", db_col_text(st, 0));
		*sequence = db_col_int(st, 1);
		rc = STORE_OK;
	} else if (rc == 0) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return rc;
}
