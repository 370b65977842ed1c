/*
 * store_auth: SQL for accounts, account_events, auth_sessions, api_tokens and login_failures; it
 * stores the hashes it is given and must not hash, check permissions or decide timeouts itself.
 */
#ifndef MAJLIS_STORE_STORE_AUTH_H
#define MAJLIS_STORE_STORE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/secret.h"

struct db;

/* One account row as the domain needs it (password hash included: never render it).
 * Lives on the caller's stack; service thread (or the caller's own connection's thread). */
struct store_auth_account {
	int64_t id;
	char email[256];
	char display_name[512];
	char password_hash[PASSWORD_HASH_MAX];
	char role[16];
	int64_t org_id; /* 0 when NULL */
	bool disabled;
};

/* One session row. Lives on the caller's stack. */
struct store_auth_session {
	int64_t account_id;
	char csrf_hash[SECRET_HASH_LEN + 1];
	int64_t created_at;
	int64_t seen_at;
};

/* One API token row (never the token). Lives on the caller's stack. */
struct store_auth_token {
	int64_t id;
	char role[16];
	int64_t org_id; /* 0 when NULL */
	bool revoked;
};

/* One account as the API shows it (never its password hash): a malloc'ed row, freed by
 * store_auth_account_row_clear (one) or store_auth_account_rows_free (a list). The caller's thread. */
struct store_auth_account_row {
	int64_t id;	    /* immutable id */
	char *email;	    /* login name, lowercased */
	char *display_name; /* shown in the interface */
	char *role;	    /* admin, organiser, checkin or viewer */
	int64_t org_id;	    /* the organisation it acts for, 0 when NULL */
	bool disabled;	    /* may not log in */
	int64_t created_at; /* creation instant, Unix seconds */
	int64_t updated_at; /* last change instant, Unix seconds */
	int64_t *event_ids; /* the events a checkin account may scan, ascending (malloc'ed, NULL when none) */
	size_t n_event_ids; /* entries in event_ids */
};

/* One API token as the API shows it (never the token or its hash); freed like the account row. */
struct store_auth_token_row {
	int64_t id;	     /* immutable id */
	char *label;	     /* what it is for, or NULL */
	char *role;	     /* admin, organiser, checkin or viewer */
	int64_t org_id;	     /* the organisation it acts for, 0 when NULL */
	int64_t created_at;  /* creation instant, Unix seconds */
	bool has_revoked_at; /* revoked (revoked_at is set) */
	int64_t revoked_at;  /* revocation instant, Unix seconds, when has_revoked_at */
};

/* Frees what the row owns and zeroes it. Accept NULL. */
void store_auth_account_row_clear(struct store_auth_account_row *r);
void store_auth_token_row_clear(struct store_auth_token_row *r);
/* Clear the n rows of a list's array and free it. Accept NULL. */
void store_auth_account_rows_free(struct store_auth_account_row *rows, size_t n);
void store_auth_token_rows_free(struct store_auth_token_row *rows, size_t n);

/* All functions return 0 (STORE_OK) or a negative store_rc unless stated otherwise; *_get and *_by_*
 * return STORE_NOT_FOUND when there is no such row. */

/* accounts */
int store_auth_account_insert(struct db *db, const char *email, const char *display_name,
			      const char *password_hash, const char *role, int64_t org_id, int64_t now,
			      int64_t *id);
int store_auth_account_by_email(struct db *db, const char *email, struct store_auth_account *out);
int store_auth_account_by_id(struct db *db, int64_t id, struct store_auth_account *out);
/* Account id with its events into r (zeroed first; the caller clears it after 0). */
int store_auth_account_get(struct db *db, int64_t id, struct store_auth_account_row *r);
/* A page of the accounts of org_id (0: all), ordered by id: *rows a malloc'ed array of *n rows (NULL
 * when none; caller frees with store_auth_account_rows_free), *total the count before paging. */
int store_auth_account_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
			    struct store_auth_account_row **rows, size_t *n, int64_t *total);
/* Changes the given fields: display_name/password_hash NULL and disabled < 0 keep the old value. */
int store_auth_account_update(struct db *db, int64_t id, const char *display_name, const char *password_hash,
			      int disabled, int64_t now);
/* Replaces the account's event list with ids[0..n). */
int store_auth_account_events_set(struct db *db, int64_t account_id, const int64_t *ids, size_t n);
/* 1 when account_events holds (account_id, event_id), 0 when not, negative on error. */
int store_auth_account_has_event(struct db *db, int64_t account_id, int64_t event_id);
/* 1 when the organisation exists, 0 when not, negative on error. */
int store_auth_org_exists(struct db *db, int64_t org_id);
/* The owning organisation of an event; STORE_NOT_FOUND when there is no such event. */
int store_auth_event_org(struct db *db, int64_t event_id, int64_t *org_id);

/* sessions, keyed by the hash of the cookie value */
int store_auth_session_insert(struct db *db, const char *id_hash, int64_t account_id, const char *csrf_hash,
			      int64_t now);
int store_auth_session_get(struct db *db, const char *id_hash, struct store_auth_session *out);
int store_auth_session_touch(struct db *db, const char *id_hash, int64_t now);
/* STORE_NOT_FOUND when no row was deleted. */
int store_auth_session_delete(struct db *db, const char *id_hash);
int store_auth_sessions_delete_account(struct db *db, int64_t account_id);

/* API tokens, looked up by the hash of the token */
int store_auth_token_insert(struct db *db, const char *token_hash, const char *label, const char *role,
			    int64_t org_id, int64_t now, int64_t *id);
int store_auth_token_by_hash(struct db *db, const char *token_hash, struct store_auth_token *out);
int store_auth_token_by_id(struct db *db, int64_t id, struct store_auth_token *out);
/* Token id into r (zeroed first; the caller clears it after 0). */
int store_auth_token_get(struct db *db, int64_t id, struct store_auth_token_row *r);
/* A page of the tokens of org_id (0: all), ordered by id, as store_auth_account_list. */
int store_auth_token_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
			  struct store_auth_token_row **rows, size_t *n, int64_t *total);
/* Sets revoked_at when not yet set; STORE_NOT_FOUND when nothing changed. */
int store_auth_token_revoke(struct db *db, int64_t id, int64_t now);

/* login failures, keyed by the hash of the lowercased login name */
int store_auth_login_failures_get(struct db *db, const char *key_hash, int64_t *failures,
				  int64_t *window_start);
/* Counts one failure: a window older than window_s restarts at now with 1. */
int store_auth_login_failure_add(struct db *db, const char *key_hash, int64_t now, int64_t window_s);
int store_auth_login_failures_clear(struct db *db, const char *key_hash);
/* Deletes windows that started before cutoff. */
int store_auth_login_failures_prune(struct db *db, int64_t cutoff);

#endif
