/*
 * ratelimit: per-client limits (by the peer address the transport reports) that run before any costly
 * or revealing work — logins in flight and per minute, misses on token routes and lost-link requests; it
 * never looks at
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
#define RATELIMIT_LINK_MAX	 10   /* lost-link requests one client may make per window */
#define RATELIMIT_LINK_WINDOW_S	 600  /* that window, in seconds */

/* One remembered address with its counts. Element of struct ratelimit. */
struct ratelimit_client {
	char addr[48];	      /* "" = free slot */
	int64_t seen;	      /* last use, for eviction */
	int login_inflight;   /* admitted logins not yet done */
	int64_t login_window; /* start of the current minute of logins */
	int login_count;      /* logins started in that minute */
	int64_t miss_window;  /* start of the current token-miss window */
	int miss_count;	      /* 404s on token routes in that window */
	int64_t link_window;  /* start of the current lost-link window */
	int link_count;	      /* lost-link requests answered in that window */
};

/* The remembered addresses (open addressing, no allocation). One per struct app, which holds it by value:
 * all zero is the empty table. Only the lws service thread touches it. */
struct ratelimit {
	struct ratelimit_client table[RATELIMIT_CLIENTS];
};

/*
 * Whether client (a peer address; "" = unknown, never limited) may start a login at now. 0: yes, and it
 * is counted as in flight until ratelimit_login_done; else -1 with *retry_after (seconds) set.
 * Service thread only, as every function here; rl is the app's (&app->limits).
 */
int ratelimit_login_begin(struct ratelimit *rl, const char *client, int64_t now, int64_t *retry_after);

/* A login that ratelimit_login_begin admitted is over (answered, refused, or its connection gone). */
void ratelimit_login_done(struct ratelimit *rl, const char *client);

/* Whether client may use a token route at now: 0 yes, -1 (with *retry_after) when it missed too often. */
int ratelimit_token_check(struct ratelimit *rl, const char *client, int64_t now, int64_t *retry_after);

/* client got a 404 from a token route at now. */
void ratelimit_token_miss(struct ratelimit *rl, const char *client, int64_t now);

/* Whether client may ask for a lost link at now: 0 yes, -1 (with *retry_after) when it asked
 * RATELIMIT_LINK_MAX times in the window. */
int ratelimit_link_check(struct ratelimit *rl, const char *client, int64_t now, int64_t *retry_after);

/* client's lost-link request was looked up at now (whatever it found). */
void ratelimit_link_count(struct ratelimit *rl, const char *client, int64_t now);

/* Forgets every client. */
void ratelimit_reset(struct ratelimit *rl);

#endif
