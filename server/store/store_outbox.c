/*
 * store_outbox: the SQL of notification delivery; see store_outbox.h. It must not render, send or choose
 * retry times.
 */
#include "store/store_outbox.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

/* The one INSERT of an outbox row: due at now, its event_id taken from the payload's "event_id". */
static int store_outbox_insert(struct db *db, const char *kind, int64_t person_id, const char *channel,
			       const char *payload, int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO outbox (kind, person_id, channel, payload, event_id, created_at, not_before) "
	    "VALUES (:kind, :person, :channel, :payload, json_extract(:payload, '$.event_id'), :now, :now)";

	return db_run_insert(db, sql,
			     DB_ARGS(DB_TEXT(":kind", kind), DB_OPT_INT(":person", person_id > 0, person_id),
				     DB_TEXT(":channel", channel ? channel : "email"),
				     DB_TEXT(":payload", payload), DB_INT(":now", now)),
			     id);
}

int db_outbox(struct db *db, const char *kind, int64_t person_id, const char *channel,
	      struct json_object *payload, int64_t now)
{
	return store_outbox_insert(db, kind, person_id, channel,
				   json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN), now,
				   NULL);
}

void store_outbox_due_row_clear(struct store_outbox_due_row *r)
{
	if (!r)
		return;
	free(r->kind);
	free(r->channel);
	free(r->payload);
	memset(r, 0, sizeof(*r));
}

static int store_outbox_due_read(sqlite3_stmt *st, void *row)
{
	struct store_outbox_due_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->kind);
	r->person_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
	rc = rc ? rc : db_col_dup(st, 3, &r->channel);
	rc = rc ? rc : db_col_dup(st, 4, &r->payload);
	r->attempts = db_col_int(st, 5);
	r->created_at = db_col_int(st, 6);
	return rc;
}

static void store_outbox_due_clear(void *row)
{
	store_outbox_due_row_clear(row);
}

static const struct db_row_type store_outbox_due_type = {sizeof(struct store_outbox_due_row),
							 store_outbox_due_read, store_outbox_due_clear};

void store_outbox_due_rows_free(struct store_outbox_due_row *rows, size_t n)
{
	db_rows_free(&store_outbox_due_type, rows, n);
}

int store_outbox_due(struct db *db, int64_t now, int64_t limit, struct store_outbox_due_row **rows, size_t *n)
{
	static const char sql[] =
	    "SELECT id, kind, person_id, channel, payload, attempts, created_at FROM outbox "
	    "WHERE sent_at IS NULL AND failed_at IS NULL AND not_before <= :now "
	    "ORDER BY not_before, id LIMIT :limit";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":now", now), DB_INT(":limit", limit)));
	void *a = NULL;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!st)
		return STORE_ERROR;
	rc = db_rows(st, &store_outbox_due_type, &a, n);
	*rows = a;
	return rc;
}

int store_outbox_next_due(struct db *db, int64_t *when)
{
	return db_int(db, "SELECT min(not_before) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
		      when);
}

int store_outbox_finish(struct db *db, int64_t id, int64_t now, const char *error)
{
	static const char sent[] =
	    "UPDATE outbox SET sent_at = :now, attempts = attempts + 1, last_error = NULL, "
	    "payload = json_remove(payload, '$.link_sealed') WHERE id = :id AND sent_at IS NULL AND "
	    "failed_at IS NULL";
	static const char failed[] =
	    "UPDATE outbox SET failed_at = :now, attempts = attempts + 1, last_error = :err, "
	    "payload = json_remove(payload, '$.link_sealed') WHERE id = :id AND sent_at IS NULL AND "
	    "failed_at IS NULL";

	if (error)
		return db_run_update(db, failed,
				     DB_ARGS(DB_INT(":id", id), DB_INT(":now", now), DB_TEXT(":err", error)));
	return db_run_update(db, sent, DB_ARGS(DB_INT(":id", id), DB_INT(":now", now)));
}

int store_outbox_retry(struct db *db, int64_t id, int64_t not_before, const char *error)
{
	static const char sql[] =
	    "UPDATE outbox SET attempts = attempts + 1, not_before = :nb, last_error = :err "
	    "WHERE id = :id AND sent_at IS NULL AND failed_at IS NULL";
	return db_run_update(db, sql,
			     DB_ARGS(DB_INT(":id", id), DB_INT(":nb", not_before), DB_TEXT(":err", error)));
}

int store_outbox_link_pending(struct db *db, int64_t registration_id, const char hash[SECRET_HASH_LEN + 1])
{
	static const char sql[] = "UPDATE registrations SET pending_token_hash = :hash WHERE id = :id AND "
				  "person_id IN (SELECT id FROM people WHERE erased_at IS NULL)";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":id", registration_id), DB_TEXT(":hash", hash)));
}

int store_outbox_link_promote(struct db *db, int64_t registration_id, const char hash[SECRET_HASH_LEN + 1])
{
	static const char sql[] =
	    "UPDATE registrations SET token_hash = pending_token_hash, pending_token_hash = "
	    "NULL WHERE id = :id AND pending_token_hash = :hash";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":id", registration_id), DB_TEXT(":hash", hash)));
}

int store_outbox_link_drop(struct db *db, int64_t registration_id, const char *hash)
{
	static const char sql[] = "UPDATE registrations SET pending_token_hash = NULL WHERE id = :id AND "
				  "pending_token_hash = coalesce(:hash, pending_token_hash)";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":id", registration_id), DB_TEXT(":hash", hash)));
}

int store_outbox_keep_link(struct db *db, int64_t id, const char *sealed)
{
	static const char sql[] =
	    "UPDATE outbox SET payload = CASE WHEN :sealed IS NULL THEN payload ELSE json_set(payload, "
	    "'$.link_sealed', :sealed) END WHERE id = :id AND sent_at IS NULL AND failed_at IS NULL";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":id", id), DB_TEXT(":sealed", sealed)));
}

int store_outbox_recent(struct db *db, const char *kind, int64_t registration_id, int64_t since)
{
	static const char sql[] =
	    "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = :kind AND json_extract(payload, "
	    "'$.registration_id') = "
	    ":reg AND (created_at >= :since OR (sent_at IS NULL AND failed_at IS NULL)))";
	sqlite3_stmt *st = db_stmt_args(
	    db, sql,
	    DB_ARGS(DB_TEXT(":kind", kind), DB_INT(":since", since), DB_INT(":reg", registration_id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1)
		rc = db_col_int(st, 0) ? 1 : 0;
	sqlite3_reset(st);
	return rc;
}

#define STORE_OUTBOX_VIEW                                                                                    \
	"SELECT o.id, o.kind, json_extract(o.payload, '$.registration_id') AS registration_id, "             \
	"o.person_id, "                                                                                      \
	"p.name AS person_name, CASE WHEN o.sent_at IS NOT NULL THEN 'sent' WHEN o.failed_at IS NOT NULL "   \
	"THEN 'failed' ELSE 'pending' END AS status, o.attempts, o.last_error, o.created_at, "               \
	"CASE WHEN o.sent_at IS NULL AND o.failed_at IS NULL THEN o.not_before END AS next_attempt_at, "     \
	"o.sent_at, o.failed_at FROM outbox o LEFT JOIN people p ON p.id = o.person_id "
#define STORE_OUTBOX_STATUS                                                                                  \
	"(:status IS NULL OR (:status = 'sent' AND o.sent_at IS NOT NULL) OR (:status = 'failed' AND "       \
	"o.failed_at IS NOT NULL) OR (:status = 'pending' AND o.sent_at IS NULL AND o.failed_at IS NULL))"

void store_outbox_row_clear(struct store_outbox_row *r)
{
	if (!r)
		return;
	free(r->kind);
	free(r->person_name);
	free(r->status);
	free(r->last_error);
	memset(r, 0, sizeof(*r));
}

/* Reads an optional integer column into *v and whether it is set into *has. */
static void store_outbox_opt_int(sqlite3_stmt *st, int col, bool *has, int64_t *v)
{
	*has = !db_col_is_null(st, col);
	*v = *has ? db_col_int(st, col) : 0;
}

/* Reads a row of STORE_OUTBOX_VIEW into a zeroed store_outbox_row. */
static int store_outbox_read(sqlite3_stmt *st, void *row)
{
	struct store_outbox_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->kind);
	store_outbox_opt_int(st, 2, &r->has_registration_id, &r->registration_id);
	r->person_id = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
	rc = rc ? rc : db_col_dup(st, 4, &r->person_name);
	rc = rc ? rc : db_col_dup(st, 5, &r->status);
	r->attempts = db_col_int(st, 6);
	rc = rc ? rc : db_col_dup(st, 7, &r->last_error);
	r->created_at = db_col_int(st, 8);
	store_outbox_opt_int(st, 9, &r->has_next_attempt_at, &r->next_attempt_at);
	store_outbox_opt_int(st, 10, &r->has_sent_at, &r->sent_at);
	store_outbox_opt_int(st, 11, &r->has_failed_at, &r->failed_at);
	return rc;
}

static void store_outbox_clear(void *row)
{
	store_outbox_row_clear(row);
}

static const struct db_row_type store_outbox_type = {sizeof(struct store_outbox_row), store_outbox_read,
						     store_outbox_clear};

void store_outbox_rows_free(struct store_outbox_row *rows, size_t n)
{
	db_rows_free(&store_outbox_type, rows, n);
}

/* The filters of store_outbox_list. */
struct store_outbox_filter {
	int64_t event_id;
	const char *status;
};

static int store_outbox_filter_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct store_outbox_filter *f = ctx;
	return db_bind_args(st, DB_ARGS(DB_INT(":event", f->event_id), DB_TEXT(":status", f->status)));
}

int store_outbox_list(struct db *db, int64_t event_id, const char *status, int64_t limit, int64_t offset,
		      struct store_outbox_row **rows, size_t *n, int64_t *total)
{
	static const char count_sql[] =
	    "SELECT count(*) FROM outbox o WHERE o.event_id = :event AND " STORE_OUTBOX_STATUS;
	static const char list_sql[] = STORE_OUTBOX_VIEW "WHERE o.event_id = :event AND " STORE_OUTBOX_STATUS
							 " ORDER BY o.id DESC LIMIT :limit OFFSET :offset";
	struct store_outbox_filter f = {event_id, status};
	void *a = NULL;
	int rc = db_page_rows(db, count_sql, list_sql, store_outbox_filter_bind, &f, limit, offset,
			      &store_outbox_type, &a, n, total);

	*rows = a;
	return rc;
}

int store_outbox_event_of(struct db *db, int64_t id, int64_t *event_id)
{
	return db_int_by_id(db, "SELECT event_id FROM outbox WHERE id = :id", id, event_id);
}

int store_outbox_copy(struct db *db, int64_t id, int64_t now, int64_t *new_id)
{
	static const char sql[] = "SELECT kind, person_id, channel, json_remove(payload, '$.link_sealed') "
				  "FROM outbox WHERE id = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1)
		rc = store_outbox_insert(db, db_col_text(st, 0), db_col_int(st, 1), db_col_text(st, 2),
					 db_col_text(st, 3), now, new_id);
	else if (rc == 0)
		rc = STORE_NOT_FOUND;
	sqlite3_reset(st);
	return rc;
}

int store_outbox_get(struct db *db, int64_t id, struct store_outbox_row *r)
{
	static const char sql[] = STORE_OUTBOX_VIEW "WHERE o.id = :id";

	return db_row_by_id(db, sql, id, &store_outbox_type, r);
}
