/*
 * store_imports: SQL for the iCalendar UIDs that imported events came from (events.import_uid); it must not
 * decide rules or open transactions.
 */
#ifndef MAJLIS_STORE_STORE_IMPORTS_H
#define MAJLIS_STORE_STORE_IMPORTS_H

#include <stdint.h>

#include "store/db.h"

/* The event of organisation org_id imported from uid: 1 found (*event_id set), 0 none, negative on error. */
int store_import_find(struct db *db, int64_t org_id, const char *uid, int64_t *event_id);
/* Records that event event_id came from uid. 0, STORE_CONFLICT (the organisation already has an event
 * from that UID), STORE_NOT_FOUND or negative. */
int store_import_set_uid(struct db *db, int64_t event_id, const char *uid);

#endif
