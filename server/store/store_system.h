/* store_system: server-wide maintenance statements (expired secrets and counters); no rules. */
#ifndef MAJLIS_STORE_STORE_SYSTEM_H
#define MAJLIS_STORE_STORE_SYSTEM_H

#include <stdint.h>

struct db;

/* Inside a transaction: deletes browser sessions idle since before idle_before or created before
 * created_before, idempotency answers created before idem_before, login-failure windows started
 * before failures_before, and outbox rows sent or given up before outbox_before; gives up (at now, dropping
 * their sealed links) outbox rows still unsent that were written before unsent_before. *n (may be NULL)
 * gets the number of rows deleted or given up. 0 or a store_rc. */
int store_system_purge(struct db *db, int64_t idle_before, int64_t created_before, int64_t idem_before,
		       int64_t failures_before, int64_t outbox_before, int64_t unsent_before, int64_t now,
		       int64_t *n);

#endif
