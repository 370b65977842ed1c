/* system: server-wide facts for health checks and start-up (schema version, secrets); no HTTP. */
#ifndef MAJLIS_DOMAIN_SYSTEM_H
#define MAJLIS_DOMAIN_SYSTEM_H

#include <stdbool.h>

struct db;

/* True when the database answers; *schema gets its version. */
bool system_health(struct db *db, int *schema);

#endif
