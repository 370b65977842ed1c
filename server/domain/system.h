/* system: server-wide facts for health checks and start-up (schema version, secrets); no HTTP. */
#ifndef MAJLIS_DOMAIN_SYSTEM_H
#define MAJLIS_DOMAIN_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

/* True when the database answers; *schema gets its version. */
bool system_health(struct db *db, int *schema);

#define SYSTEM_HOUSEKEEPING_EVERY_S (10 * 60)
#define SYSTEM_OUTBOX_KEEP_S (90 * 86400) /* sent or given-up notifications are kept this long, then deleted */

/* Deletes what has expired at now — browser sessions past their idle or absolute timeout (which
 * login would refuse anyway), idempotency answers older than a day (they hold sealed tokens), login
 * failure windows that are over, notifications sent or given up more than SYSTEM_OUTBOX_KEEP_S ago (they
 * name a person) — and gives up notifications still unsent after OUTBOX_MAX_AGE_S, in one transaction with a change-log row of counts when anything
 * was deleted. Returns the number of rows deleted, or a negative dom_code with err set. Service thread. */
int system_housekeeping(struct db *db, int64_t now, int session_idle_s, int session_absolute_s,
			struct dom_err *err);

#endif
