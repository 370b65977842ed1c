/* system: health of the store; no HTTP, no rules. */
#include "domain/system.h"

#include "store/db.h"

bool system_health(struct db *db, int *schema)
{
	*schema = db_schema_version(db);
	return *schema > 0;
}
