/*
 * auth: accounts, password login with throttling, cookie sessions with idle and absolute timeouts,
 * CSRF tokens and bearer API tokens; it stores only hashes of secrets and never logs them.
 */
#ifndef MAJLIS_DOMAIN_AUTH_H
#define MAJLIS_DOMAIN_AUTH_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"
#include "util/secret.h"

struct db;

#define AUTH_SESSION_COOKIE	"majlis_session"	/* its name over plain HTTP (development) */
#define AUTH_SESSION_COOKIE_TLS "__Host-majlis_session" /* its name over TLS: Secure, Path=/, no Domain */
#define AUTH_LOGIN_MAX_FAILURES 5	  /* failures per login name and window; the next is refused */
#define AUTH_LOGIN_WINDOW_S	(15 * 60) /* throttling window */
#define AUTH_PASSWORD_MIN	10	  /* characters */
#define AUTH_PASSWORD_MAX	256	  /* characters */
#define AUTH_DISPLAY_NAME_MAX	120	  /* characters */
#define AUTH_LABEL_MAX		120	  /* characters of a token label */
#define AUTH_EVENT_IDS_MAX	200	  /* events one check-in account may be given */

/* What a successful login hands back. On the caller's stack; account is a new reference the caller
 * puts; retry_after is set (seconds) with DOM_THROTTLED. */
struct auth_login {
	char session[SECRET_TOKEN_LEN + 1]; /* cookie value: send once, never log */
	char csrf[SECRET_TOKEN_LEN + 1];    /* CSRF token for the client: send once, never log */
	struct json_object *account;	    /* {id, email, display_name, role, org_id} */
	int64_t retry_after;
	int64_t seq; /* change-log sequence of the login */
};

/* A resolved cookie session: what the CSRF check needs. On the caller's stack. */
struct auth_session {
	char csrf_hash[SECRET_HASH_LEN + 1];
};

/* A new account as a caller asks for it. Strings belong to the caller. */
struct auth_account_new {
	const char *email;
	const char *display_name;
	const char *password;
	const char *password_hash; /* optional: password_hash(password) computed off the service thread */
	enum role role;
	int64_t org_id;		  /* 0: none (admin; optional for viewer) */
	const int64_t *event_ids; /* checkin only */
	size_t n_event_ids;
};

/* Changes to an account: NULL / -1 / !set_events leave a field as it is. Strings belong to the caller. */
struct auth_account_patch {
	const char *display_name;
	const char *password;
	const char *password_hash; /* optional: password_hash(password) computed off the service thread */
	int disabled;		   /* -1 unchanged, 0 enable, 1 disable */
	bool set_events;
	const int64_t *event_ids;
	size_t n_event_ids;
};

/*
 * Logs in with email and password at time now. Throttled names (AUTH_LOGIN_MAX_FAILURES failures in
 * AUTH_LOGIN_WINDOW_S) get DOM_THROTTLED "too_many_attempts" with out->retry_after, whatever the
 * password; wrong password, unknown email and disabled account all get DOM_UNAUTHENTICATED
 * "invalid_credentials" with one message, after the same PBKDF2 work. On success a new session is
 * stored (hashes only) with a change-log row; old_session (the cookie presented, may be NULL) is ended.
 * Slow by design (~0.3 s). Service thread.
 */
int auth_login(struct db *db, const char *email, const char *password, const char *old_session, int64_t now,
	       struct auth_login *out, struct dom_err *err);

/*
 * The same login in three phases, so that the slow password check runs off the service thread:
 * auth_login_begin (service thread: validation, throttling, account lookup) hands back a job, or a
 * failure (DOM_THROTTLED with *retry_after); auth_login_check (any one thread, no database) runs the
 * PBKDF2 work and wipes the password; auth_login_finish (service thread) records the failure or
 * creates the session exactly as auth_login does. auth_login_job_free wipes and frees (NULL ok).
 */
struct auth_login_job;
int auth_login_begin(struct db *db, const char *email, const char *password, int64_t now,
		     struct auth_login_job **job, int64_t *retry_after, struct dom_err *err);
void auth_login_check(struct auth_login_job *job);
int auth_login_finish(struct db *db, struct auth_login_job *job, const char *old_session, int64_t now,
		      struct auth_login *out, struct dom_err *err);
void auth_login_job_free(struct auth_login_job *job);

/* Ends the session whose cookie value is session (row deleted, change-log row at now, the request's
 * time). DOM_UNAUTHENTICATED
 * when there is no such session. *seq (may be NULL) gets the change-log sequence. */
int auth_logout(struct db *db, const char *session, int64_t now, int64_t *seq, struct dom_err *err);

/*
 * Resolves a session cookie value at now: unknown -> DOM_UNAUTHENTICATED; idle longer than idle_s or
 * older than absolute_s, or its account disabled -> the row is deleted and DOM_UNAUTHENTICATED
 * "session_expired". On success fills p (via_cookie) and s, and records now as seen_at.
 */
int auth_session_resolve(struct db *db, const char *session, int64_t now, int idle_s, int absolute_s,
			 struct principal *p, struct auth_session *s, struct dom_err *err);

/* Whether csrf (the X-CSRF-Token header; "" or NULL when absent) belongs to session s. Constant time. */
bool auth_csrf_ok(const struct auth_session *s, const char *csrf);

/* What a long-lived connection (a live WebSocket) was opened with, to check it again later: the token's
 * id, or the hash of the session cookie (never the cookie). Inside the connection; service thread. */
struct auth_cred {
	int64_t token_id;			/* a bearer token, or 0 */
	char session_hash[SECRET_HASH_LEN + 1]; /* a cookie session, or "" */
};

/* Remembers the credential p was resolved from: its token, or the session whose cookie value is session
 * (when p came from a cookie). */
void auth_cred_remember(struct auth_cred *c, const struct principal *p, const char *session);

/*
 * Whether c still holds at now, without using it (nothing is written): DOM_OK with *until, the instant
 * from which the session has expired unless it is used again (INT64_MAX for a token);
 * DOM_UNAUTHENTICATED when the token was revoked, or the session logged out, ended by a new login,
 * expired (idle_s, absolute_s) or its account disabled; DOM_BUSY when the database cannot tell now.
 */
int auth_cred_check(struct db *db, const struct auth_cred *c, int64_t now, int idle_s, int absolute_s,
		    int64_t *until, struct dom_err *err);

/* Resolves a bearer token: unknown or revoked -> DOM_UNAUTHENTICATED "invalid_token". */
int auth_token_resolve(struct db *db, const char *token, struct principal *p, struct dom_err *err);

/* Creates a bearer token for role (org_id required for organiser/checkin, 0 otherwise) and writes it
 * into token (shown once, stored hashed). *id (may be NULL) gets its id. No permission check (CLI). */
int auth_token_create(struct db *db, enum role role, int64_t org_id, const char *label,
		      char token[SECRET_TOKEN_LEN + 1], int64_t *id, struct dom_err *err);

/*
 * Creates a token on behalf of p: admin any role and organisation; organiser only for its own
 * organisation (org_id 0 means its own) and only organiser/checkin/viewer. *out (new reference) gets
 * the token's public fields plus "token" (shown once); *seq the change-log sequence.
 */
int auth_token_create_as(struct db *db, const struct principal *p, enum role role, int64_t org_id,
			 const char *label, int64_t now, struct json_object **out, int64_t *seq,
			 struct dom_err *err);

/* Tokens p may see (admin all, organiser its organisation's), never their values. *items new ref. */
int auth_token_list(struct db *db, const struct principal *p, int64_t limit, int64_t offset,
		    struct json_object **items, int64_t *total, struct dom_err *err);

/* Revokes token id (admin any; organiser its organisation's). Already revoked: DOM_OK, *seq 0. */
int auth_token_revoke(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
		      struct dom_err *err);

/*
 * Creates an account without any permission check (demo loader, and handlers after their checks):
 * validates the email (lowercased), display name, password (AUTH_PASSWORD_MIN..MAX characters),
 * role and organisation (required and existing for organiser/checkin; none for admin). A taken email
 * is DOM_CONFLICT "email_taken". *id (may be NULL) gets the id.
 */
int auth_account_create(struct db *db, const char *email, const char *display_name, const char *password,
			enum role role, int64_t org_id, int64_t *id, struct dom_err *err);

/*
 * Creates an account on behalf of p: admin any; organiser only checkin/viewer accounts of its own
 * organisation (org_id 0 means its own) with events of its organisation. *out (new reference) gets the
 * account (never the hash); *seq the change-log sequence.
 */
int auth_account_create_as(struct db *db, const struct principal *p, const struct auth_account_new *in,
			   int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);

/* Accounts p may see: admin all (or of org_filter when > 0), organiser its organisation's (another
 * org_filter is DOM_FORBIDDEN). *items new reference. */
int auth_account_list(struct db *db, const struct principal *p, int64_t org_filter, int64_t limit,
		      int64_t offset, struct json_object **items, int64_t *total, struct dom_err *err);

/*
 * Changes account id on behalf of p: admin any; organiser the checkin/viewer accounts of its
 * organisation; anyone logged in with an account its own display_name and password. A new password or
 * disabling ends the account's sessions. *out (new reference) gets the account; *seq the sequence.
 */
int auth_account_update(struct db *db, const struct principal *p, int64_t id,
			const struct auth_account_patch *in, int64_t now, struct json_object **out,
			int64_t *seq, struct dom_err *err);

/* The caller's own account ({account, role, org_id, via}); *out new reference. */
int auth_me(struct db *db, const struct principal *p, struct json_object **out, struct dom_err *err);

/* Whether p may check people in at event_id: admin yes; organiser of the event's organisation yes;
 * checkin when account_events lists the event (account) or its token's organisation owns it (token). */
bool auth_checkin_allowed(struct db *db, const struct principal *p, int64_t event_id);

#endif
