/*
 * login: password login with throttling per login name (the PBKDF2 check off the service thread) and
 * logout; it stores only hashes of secrets and never logs a password, cookie or email.
 */
#ifndef MAJLIS_DOMAIN_LOGIN_H
#define MAJLIS_DOMAIN_LOGIN_H

#include <json-c/json.h>
#include <stdint.h>

#include "domain/domain.h"
#include "util/secret.h"

struct db;

#define AUTH_LOGIN_MAX_FAILURES 5	  /* failures per login name and window; the next is refused */
#define AUTH_LOGIN_WINDOW_S	(15 * 60) /* throttling window */

/* What a successful login hands back. On the caller's stack; account is a new reference the caller
 * puts; retry_after is set (seconds) with DOM_THROTTLED. */
struct auth_login {
	char session[SECRET_TOKEN_LEN + 1]; /* cookie value: send once, never log */
	char csrf[SECRET_TOKEN_LEN + 1];    /* CSRF token for the client: send once, never log */
	struct json_object *account;	    /* {id, email, display_name, role, org_id} */
	int64_t retry_after;
	int64_t seq; /* change-log sequence of the login */
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
 * time). DOM_UNAUTHENTICATED when there is no such session. *seq (may be NULL) gets the change-log
 * sequence. */
int auth_logout(struct db *db, const char *session, int64_t now, int64_t *seq, struct dom_err *err);

#endif
