/*
 * auth: who a request is — a cookie session (idle and absolute timeouts) or a bearer token resolved to a
 * principal — its CSRF check, whether a long-lived connection's credential still holds, and check-in
 * rights; it stores only hashes of secrets and never logs them. Logins are domain/login, tokens
 * domain/api_tokens, accounts domain/accounts.
 */
#ifndef MAJLIS_DOMAIN_AUTH_H
#define MAJLIS_DOMAIN_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"
#include "util/secret.h"

struct db;

#define AUTH_SESSION_COOKIE	"majlis_session"	/* its name over plain HTTP (development) */
#define AUTH_SESSION_COOKIE_TLS "__Host-majlis_session" /* its name over TLS: Secure, Path=/, no Domain */

/* A resolved cookie session: what the CSRF check needs. On the caller's stack. */
struct auth_session {
	char csrf_hash[SECRET_HASH_LEN + 1];
};

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

/* Whether p may check people in at event_id: admin yes; organiser of the event's organisation yes;
 * checkin when account_events lists the event (account) or its token's organisation owns it (token). */
bool auth_checkin_allowed(struct db *db, const struct principal *p, int64_t event_id);

#endif
