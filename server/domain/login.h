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

#define LOGIN_MAX_FAILURES 5	     /* failures per login name and window; the next is refused */
#define LOGIN_WINDOW_S	   (15 * 60) /* throttling window */

/* What a successful login hands back. On the caller's stack; account is a new reference the caller
 * puts; retry_after is set (seconds) with DOM_THROTTLED. */
struct login_result {
	char session[SECRET_TOKEN_LEN + 1]; /* cookie value: send once, never log */
	char csrf[SECRET_TOKEN_LEN + 1];    /* CSRF token for the client: send once, never log */
	struct json_object *account;	    /* {id, email, display_name, role, org_id} */
	int64_t retry_after;
	int64_t seq; /* change-log sequence of the login */
};

/*
 * Logs in with email and password at time now. Throttled names (LOGIN_MAX_FAILURES failures in
 * LOGIN_WINDOW_S) get DOM_THROTTLED "too_many_attempts" with out->retry_after, whatever the
 * password; wrong password, unknown email and disabled account all get DOM_UNAUTHENTICATED
 * "invalid_credentials" with one message, after the same PBKDF2 work. On success a new session is
 * stored (hashes only) with a change-log row; old_session (the cookie presented, may be NULL) is ended.
 * Slow by design (~0.3 s). Service thread.
 */
int login_run(struct db *db, const char *email, const char *password, const char *old_session, int64_t now,
	      struct login_result *out, struct dom_err *err);

/*
 * The same login in three phases, so that the slow password check runs off the service thread:
 * login_begin (service thread: validation, throttling, account lookup) hands back a job, or a
 * failure (DOM_THROTTLED with *retry_after); login_check (any one thread, no database) runs the
 * PBKDF2 work and wipes the password; login_finish (service thread) records the failure or
 * creates the session exactly as login_run does. login_job_free wipes and frees (NULL ok).
 */
struct login_job;
int login_begin(struct db *db, const char *email, const char *password, int64_t now, struct login_job **job,
		int64_t *retry_after, struct dom_err *err);
void login_check(struct login_job *job);
int login_finish(struct db *db, struct login_job *job, const char *old_session, int64_t now,
		 struct login_result *out, struct dom_err *err);
void login_job_free(struct login_job *job);

/* Ends the session whose cookie value is session (row deleted, change-log row at now, the request's
 * time). DOM_UNAUTHENTICATED when there is no such session. *seq (may be NULL) gets the change-log
 * sequence. */
int login_logout(struct db *db, const char *session, int64_t now, int64_t *seq, struct dom_err *err);

#endif
