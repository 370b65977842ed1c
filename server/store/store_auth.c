/*
 * store_auth: prepared SQL for accounts, their events, browser sessions, API tokens and login
 * failures; it must not hash secrets, check permissions or choose timeouts (the domain does).
 */
#include "store/store_auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

/* Copies a text column into out (always terminated; "" for NULL). */
static void store_auth_col_copy(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const char *s = db_col_text(st, col);

	snprintf(out, outlen, "%s", s ? s : "");
}

int store_auth_account_insert(struct db *db, const char *email, const char *display_name,
			      const char *password_hash, const char *role, int64_t org_id, int64_t now,
			      int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO accounts (email, display_name, password_hash, role, org_id, disabled, created_at, "
	    "updated_at) VALUES (:email, :name, :hash, :role, :org, 0, :now, :now)";
	return db_run_insert(db, sql,
			     DB_ARGS(DB_TEXT(":email", email), DB_TEXT(":name", display_name),
				     DB_TEXT(":hash", password_hash), DB_TEXT(":role", role),
				     DB_OPT_INT(":org", org_id > 0, org_id), DB_INT(":now", now)),
			     id);
}

static int store_auth_account_row(sqlite3_stmt *st, struct store_auth_account *out)
{
	int rc = db_step(st);

	if (rc == 1) {
		memset(out, 0, sizeof(*out));
		out->id = db_col_int(st, 0);
		store_auth_col_copy(st, 1, out->email, sizeof(out->email));
		store_auth_col_copy(st, 2, out->display_name, sizeof(out->display_name));
		store_auth_col_copy(st, 3, out->password_hash, sizeof(out->password_hash));
		store_auth_col_copy(st, 4, out->role, sizeof(out->role));
		out->org_id = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
		out->disabled = db_col_int(st, 6) != 0;
		rc = STORE_OK;
	} else if (rc == 0) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return rc;
}

int store_auth_account_by_email(struct db *db, const char *email, struct store_auth_account *out)
{
	static const char sql[] = "SELECT id, email, display_name, password_hash, role, org_id, disabled "
				  "FROM accounts WHERE email = :email";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_TEXT(":email", email)));

	if (!st)
		return STORE_ERROR;
	return store_auth_account_row(st, out);
}

int store_auth_account_by_id(struct db *db, int64_t id, struct store_auth_account *out)
{
	static const char sql[] = "SELECT id, email, display_name, password_hash, role, org_id, disabled "
				  "FROM accounts WHERE id = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id)));

	if (!st)
		return STORE_ERROR;
	return store_auth_account_row(st, out);
}

void store_auth_account_row_clear(struct store_auth_account_row *r)
{
	if (!r)
		return;
	free(r->email);
	free(r->display_name);
	free(r->role);
	free(r->event_ids);
	memset(r, 0, sizeof(*r));
}

/* Reads a row of STORE_AUTH_ACCOUNT_COLS into a zeroed store_auth_account_row (not its events). */
static int store_auth_account_read(sqlite3_stmt *st, void *row)
{
	struct store_auth_account_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->email);
	rc = rc ? rc : db_col_dup(st, 2, &r->display_name);
	rc = rc ? rc : db_col_dup(st, 3, &r->role);
	r->org_id = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	r->disabled = db_col_int(st, 5) != 0;
	r->created_at = db_col_int(st, 6);
	r->updated_at = db_col_int(st, 7);
	return rc;
}

static void store_auth_account_clear(void *row)
{
	store_auth_account_row_clear(row);
}

static const struct db_row_type store_auth_account_type = {sizeof(struct store_auth_account_row),
							   store_auth_account_read, store_auth_account_clear};

#define STORE_AUTH_ACCOUNT_COLS "id, email, display_name, role, org_id, disabled, created_at, updated_at"

void store_auth_account_rows_free(struct store_auth_account_row *rows, size_t n)
{
	db_rows_free(&store_auth_account_type, rows, n);
}

/* Fills r->event_ids (ascending) from account_events. */
static int store_auth_account_events(struct db *db, struct store_auth_account_row *r)
{
	static const char sql[] =
	    "SELECT event_id FROM account_events WHERE account_id = :id ORDER BY event_id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", r->id)));
	size_t cap = 0;
	int64_t *ids;
	int rc;

	if (!st)
		return STORE_ERROR;
	for (rc = db_step(st); rc == 1; rc = db_step(st)) {
		if (r->n_event_ids == cap) {
			cap = cap ? cap * 2 : 8;
			ids = realloc(r->event_ids, cap * sizeof(*ids));
			if (!ids) {
				rc = STORE_ERROR;
				break;
			}
			r->event_ids = ids;
		}
		r->event_ids[r->n_event_ids++] = db_col_int(st, 0);
	}
	sqlite3_reset(st);
	return rc;
}

int store_auth_account_get(struct db *db, int64_t id, struct store_auth_account_row *r)
{
	static const char sql[] = "SELECT " STORE_AUTH_ACCOUNT_COLS " FROM accounts WHERE id = :id";
	int rc = db_row_by_id(db, sql, id, &store_auth_account_type, r);

	rc = rc ? rc : store_auth_account_events(db, r);
	if (rc)
		store_auth_account_row_clear(r);
	return rc;
}

/* Binds the organisation filter (:org, 0: all) of the account and token lists. */
static int store_auth_org_bind(sqlite3_stmt *st, const void *ctx)
{
	return db_bind_int(st, ":org", *(const int64_t *)ctx);
}

int store_auth_account_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
			    struct store_auth_account_row **rows, size_t *n, int64_t *total)
{
	static const char sql_count[] = "SELECT count(*) FROM accounts WHERE :org = 0 OR org_id = :org";
	static const char sql[] = "SELECT " STORE_AUTH_ACCOUNT_COLS " FROM accounts WHERE :org = 0 OR "
				  "org_id = :org ORDER BY id LIMIT :limit OFFSET :offset";
	void *a = NULL;
	int rc = db_page_rows(db, sql_count, sql, store_auth_org_bind, &org_id, limit, offset,
			      &store_auth_account_type, &a, n, total);

	*rows = a;
	for (size_t i = 0; !rc && i < *n; i++)
		rc = store_auth_account_events(db, &(*rows)[i]);
	if (rc) {
		store_auth_account_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

int store_auth_account_update(struct db *db, int64_t id, const char *display_name, const char *password_hash,
			      int disabled, int64_t now)
{
	static const char sql[] =
	    "UPDATE accounts SET display_name = coalesce(:name, display_name), "
	    "password_hash = coalesce(:hash, password_hash), "
	    "disabled = coalesce(:disabled, disabled), updated_at = :now WHERE id = :id";
	return db_run_update(db, sql,
			     DB_ARGS(DB_TEXT(":name", display_name), DB_TEXT(":hash", password_hash),
				     DB_OPT_INT(":disabled", disabled >= 0, disabled > 0),
				     DB_INT(":now", now), DB_INT(":id", id)));
}

int store_auth_account_events_set(struct db *db, int64_t account_id, const int64_t *ids, size_t n)
{
	static const char sql_del[] = "DELETE FROM account_events WHERE account_id = :id";
	static const char sql_ins[] =
	    "INSERT OR IGNORE INTO account_events (account_id, event_id) VALUES (:id, :event)";
	sqlite3_stmt *st = db_stmt_args(db, sql_del, DB_ARGS(DB_INT(":id", account_id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_exec_stmt(st);
	for (size_t i = 0; !rc && i < n; i++) {
		st = db_stmt(db, sql_ins);
		if (!st)
			return STORE_ERROR;
		rc = db_bind_args(st, DB_ARGS(DB_INT(":id", account_id), DB_INT(":event", ids[i])));
		rc = rc ? rc : db_exec_stmt(st);
	}
	return rc;
}

int store_auth_account_has_event(struct db *db, int64_t account_id, int64_t event_id)
{
	static const char sql[] = "SELECT 1 FROM account_events WHERE account_id = :id AND event_id = :event";
	sqlite3_stmt *st =
	    db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", account_id), DB_INT(":event", event_id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	sqlite3_reset(st);
	return rc;
}

int store_auth_org_exists(struct db *db, int64_t org_id)
{
	static const char sql[] = "SELECT 1 FROM organisations WHERE id = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", org_id)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	sqlite3_reset(st);
	return rc;
}

int store_auth_event_org(struct db *db, int64_t event_id, int64_t *org_id)
{
	return db_int_by_id(db, "SELECT org_id FROM events WHERE id = :id", event_id, org_id);
}

int store_auth_session_insert(struct db *db, const char *id_hash, int64_t account_id, const char *csrf_hash,
			      int64_t now)
{
	static const char sql[] =
	    "INSERT INTO auth_sessions (id_hash, account_id, csrf_hash, created_at, seen_at) "
	    "VALUES (:id, :account, :csrf, :now, :now)";
	return db_run(db, sql,
		      DB_ARGS(DB_TEXT(":id", id_hash), DB_INT(":account", account_id),
			      DB_TEXT(":csrf", csrf_hash), DB_INT(":now", now)));
}

int store_auth_session_get(struct db *db, const char *id_hash, struct store_auth_session *out)
{
	static const char sql[] = "SELECT account_id, csrf_hash, created_at, seen_at FROM auth_sessions "
				  "WHERE id_hash = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_TEXT(":id", id_hash)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1) {
		out->account_id = db_col_int(st, 0);
		store_auth_col_copy(st, 1, out->csrf_hash, sizeof(out->csrf_hash));
		out->created_at = db_col_int(st, 2);
		out->seen_at = db_col_int(st, 3);
		rc = STORE_OK;
	} else if (rc == 0) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return rc;
}

int store_auth_session_touch(struct db *db, const char *id_hash, int64_t now)
{
	static const char sql[] =
	    "UPDATE auth_sessions SET seen_at = :now WHERE id_hash = :id AND seen_at < :now";
	return db_run(db, sql, DB_ARGS(DB_INT(":now", now), DB_TEXT(":id", id_hash)));
}

int store_auth_session_delete(struct db *db, const char *id_hash)
{
	static const char sql[] = "DELETE FROM auth_sessions WHERE id_hash = :id";
	return db_run_update(db, sql, DB_ARGS(DB_TEXT(":id", id_hash)));
}

int store_auth_sessions_delete_account(struct db *db, int64_t account_id)
{
	static const char sql[] = "DELETE FROM auth_sessions WHERE account_id = :account";
	return db_run(db, sql, DB_ARGS(DB_INT(":account", account_id)));
}

int store_auth_token_insert(struct db *db, const char *token_hash, const char *label, const char *role,
			    int64_t org_id, int64_t now, int64_t *id)
{
	static const char sql[] = "INSERT INTO api_tokens (token_hash, label, role, org_id, created_at) "
				  "VALUES (:hash, :label, :role, :org, :now)";
	return db_run_insert(db, sql,
			     DB_ARGS(DB_TEXT(":hash", token_hash), DB_TEXT(":label", label),
				     DB_TEXT(":role", role), DB_OPT_INT(":org", org_id > 0, org_id),
				     DB_INT(":now", now)),
			     id);
}

static int store_auth_token_row(sqlite3_stmt *st, struct store_auth_token *out)
{
	int rc = db_step(st);

	if (rc == 1) {
		memset(out, 0, sizeof(*out));
		out->id = db_col_int(st, 0);
		store_auth_col_copy(st, 1, out->role, sizeof(out->role));
		out->org_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		out->revoked = !db_col_is_null(st, 3);
		rc = STORE_OK;
	} else if (rc == 0) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return rc;
}

int store_auth_token_by_hash(struct db *db, const char *token_hash, struct store_auth_token *out)
{
	static const char sql[] =
	    "SELECT id, role, org_id, revoked_at FROM api_tokens WHERE token_hash = :hash";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_TEXT(":hash", token_hash)));

	if (!st)
		return STORE_ERROR;
	return store_auth_token_row(st, out);
}

int store_auth_token_by_id(struct db *db, int64_t id, struct store_auth_token *out)
{
	static const char sql[] = "SELECT id, role, org_id, revoked_at FROM api_tokens WHERE id = :id";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id)));

	if (!st)
		return STORE_ERROR;
	return store_auth_token_row(st, out);
}

void store_auth_token_row_clear(struct store_auth_token_row *r)
{
	if (!r)
		return;
	free(r->label);
	free(r->role);
	memset(r, 0, sizeof(*r));
}

/* Reads a row of STORE_AUTH_TOKEN_COLS into a zeroed store_auth_token_row. */
static int store_auth_token_read(sqlite3_stmt *st, void *row)
{
	struct store_auth_token_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->label);
	rc = rc ? rc : db_col_dup(st, 2, &r->role);
	r->org_id = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
	r->created_at = db_col_int(st, 4);
	r->has_revoked_at = !db_col_is_null(st, 5);
	r->revoked_at = db_col_int(st, 5);
	return rc;
}

static void store_auth_token_clear(void *row)
{
	store_auth_token_row_clear(row);
}

static const struct db_row_type store_auth_token_type = {sizeof(struct store_auth_token_row),
							 store_auth_token_read, store_auth_token_clear};

#define STORE_AUTH_TOKEN_COLS "id, label, role, org_id, created_at, revoked_at"

void store_auth_token_rows_free(struct store_auth_token_row *rows, size_t n)
{
	db_rows_free(&store_auth_token_type, rows, n);
}

int store_auth_token_get(struct db *db, int64_t id, struct store_auth_token_row *r)
{
	static const char sql[] = "SELECT " STORE_AUTH_TOKEN_COLS " FROM api_tokens WHERE id = :id";

	return db_row_by_id(db, sql, id, &store_auth_token_type, r);
}

int store_auth_token_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
			  struct store_auth_token_row **rows, size_t *n, int64_t *total)
{
	static const char sql_count[] = "SELECT count(*) FROM api_tokens WHERE :org = 0 OR org_id = :org";
	static const char sql[] = "SELECT " STORE_AUTH_TOKEN_COLS " FROM api_tokens WHERE :org = 0 OR "
				  "org_id = :org ORDER BY id LIMIT :limit OFFSET :offset";
	void *a = NULL;
	int rc = db_page_rows(db, sql_count, sql, store_auth_org_bind, &org_id, limit, offset,
			      &store_auth_token_type, &a, n, total);

	*rows = a;
	return rc;
}

int store_auth_token_revoke(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] =
	    "UPDATE api_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":now", now), DB_INT(":id", id)));
}

int store_auth_login_failures_get(struct db *db, const char *key_hash, int64_t *failures,
				  int64_t *window_start)
{
	static const char sql[] = "SELECT failures, window_start FROM login_failures WHERE key_hash = :key";
	sqlite3_stmt *st = db_stmt_args(db, sql, DB_ARGS(DB_TEXT(":key", key_hash)));
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1) {
		*failures = db_col_int(st, 0);
		*window_start = db_col_int(st, 1);
		rc = STORE_OK;
	} else if (rc == 0) {
		rc = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return rc;
}

int store_auth_login_failure_add(struct db *db, const char *key_hash, int64_t now, int64_t window_s)
{
	/* every SET expression sees the old row, so both CASEs test the same window */
	static const char sql[] =
	    "INSERT INTO login_failures (key_hash, failures, window_start) VALUES (:key, 1, :now) "
	    "ON CONFLICT (key_hash) DO UPDATE SET "
	    "failures = CASE WHEN window_start <= :now - :window THEN 1 ELSE failures + 1 END, "
	    "window_start = CASE WHEN window_start <= :now - :window THEN :now ELSE window_start END";
	return db_run(db, sql,
		      DB_ARGS(DB_TEXT(":key", key_hash), DB_INT(":now", now), DB_INT(":window", window_s)));
}

int store_auth_login_failures_clear(struct db *db, const char *key_hash)
{
	static const char sql[] = "DELETE FROM login_failures WHERE key_hash = :key";
	return db_run(db, sql, DB_ARGS(DB_TEXT(":key", key_hash)));
}

int store_auth_login_failures_prune(struct db *db, int64_t cutoff)
{
	static const char sql[] = "DELETE FROM login_failures WHERE window_start < :cutoff";
	return db_run(db, sql, DB_ARGS(DB_INT(":cutoff", cutoff)));
}
