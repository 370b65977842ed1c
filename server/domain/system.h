/* system: server-wide facts for health checks and start-up (schema version, secrets); no HTTP. */
#ifndef MAJLIS_DOMAIN_SYSTEM_H
#define MAJLIS_DOMAIN_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

/* What the system functions remember between calls: whether the tz rules are stale, and the watch on
 * the write-ahead log. One per service loop, zeroed before use (main.c's struct app holds it); service
 * thread only. */
struct system_state {
	bool tz_stale; /* the last system_tz_check found rules older than Morocco's 2026c */
	struct {
		uint64_t commits;      /* db_commits at the previous look */
		bool empty;	       /* the log file was emptied since the last commit */
		int64_t blocked_since; /* first look that could not copy every frame; 0: none */
		int64_t warned_at;     /* when a blocked log was last logged; 0: never */
	} wal;
};

/* What GET /healthz shows. Strings are static. */
struct system_health {
	int schema;	   /* the database's schema version */
	const char *store; /* "ok", "unreachable", "corrupt" (a damaged page met), "gone" (file removed) */
	const char *tz;	   /* "ok", or "stale": the tz database is older than Morocco's 2026c rules */
};

/* Fills h (h->tz from s). DOM_OK when the store can serve, else DOM_BUSY with err saying why (ids
 * unavailable, store_corrupt, store_gone). Service thread. */
int system_health(const struct system_state *s, struct db *db, struct system_health *h, struct dom_err *err);

/* Checks the tz database that was just (re)read (start, SIGHUP, upgrade noticed) and, when it is older
 * than Morocco's 2026c rules, logs a loud warning saying how to fix it; s keeps the result for /healthz.
 * Returns whether the rules are current. Service thread. */
bool system_tz_check(struct system_state *s);

#define SYSTEM_WAL_TICK_S 2	   /* how often the service loop looks at the write-ahead log */
#define SYSTEM_WAL_WARN_S (5 * 60) /* a reader blocking checkpoints this long is logged (then as often) */

/* One look at the write-ahead log, from a timer on the service loop: copies what it can into the
 * database without waiting for a lock (PASSIVE); when nothing was committed since the previous look, also
 * empties the log file (TRUNCATE). Logs a warning, at most every SYSTEM_WAL_WARN_S, when a reader has kept
 * frames from being copied for SYSTEM_WAL_WARN_S or the log is past DB_WAL_LIMIT_BYTES. now in seconds. */
void system_wal_tick(struct system_state *s, struct db *db, int64_t now);

#define SYSTEM_HOUSEKEEPING_EVERY_S (10 * 60)
#define SYSTEM_OUTBOX_KEEP_S                                                                                 \
	(90 * 86400) /* sent or given-up notifications are kept this long, then deleted */

/* Deletes what has expired at now — browser sessions past their idle or absolute timeout (which
 * login would refuse anyway), idempotency answers older than a day (they hold sealed tokens), login
 * failure windows that are over, notifications sent or given up more than SYSTEM_OUTBOX_KEEP_S ago (they
 * name a person) — and, when no notifications worker runs (mailer false), gives up notifications still unsent
 * after OUTBOX_MAX_AGE_S (with a worker, the worker gives them up itself, and also drops the personal link it
 * made ready: two give-ups would race), in one transaction with a change-log row of counts when anything was
 * deleted. Returns the number of rows deleted, or a negative
 * dom_code with err set. Service thread. */
int system_housekeeping(struct db *db, int64_t now, int session_idle_s, int session_absolute_s, bool mailer,
			struct dom_err *err);

#endif
