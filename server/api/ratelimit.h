/*
 * ratelimit: per-client limits (by the peer address the transport reports) that run before any costly
 * or revealing work — logins in flight and per minute, and misses on token routes; it never looks at
 * accounts or tokens themselves.
 */
#ifndef MAJLIS_API_RATELIMIT_H
#define MAJLIS_API_RATELIMIT_H

#include <stdint.h>

#define RATELIMIT_CLIENTS	 1024 /* addresses remembered; the least recently seen is forgotten */
#define RATELIMIT_LOGIN_INFLIGHT 4    /* logins of one client waiting for or in their password check */
#define RATELIMIT_LOGIN_PER_MIN	 60   /* logins one client may start per minute */
#define RATELIMIT_MISS_MAX	 50   /* 404s on token routes one client may get per window */
#define RATELIMIT_MISS_WINDOW_S	 600  /* that window, in seconds */

/*
 * Whether client (a peer address; "" = unknown, never limited) may start a login at now. 0: yes, and it
 * is counted as in flight until ratelimit_login_done; else -1 with *retry_after (seconds) set.
 * Service thread only, as every function here.
 */
int ratelimit_login_begin(const char *client, int64_t now, int64_t *retry_after);

/* A login that ratelimit_login_begin admitted is over (answered, refused, or its connection gone). */
void ratelimit_login_done(const char *client);

/* Whether client may use a token route at now: 0 yes, -1 (with *retry_after) when it missed too often. */
int ratelimit_token_check(const char *client, int64_t now, int64_t *retry_after);

/* client got a 404 from a token route at now. */
void ratelimit_token_miss(const char *client, int64_t now);

/* Forgets every client (tests). */
void ratelimit_reset(void);

#endif
