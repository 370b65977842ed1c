/* txn: the end of a domain write's transaction; it holds no rules and never begins a transaction. */
#include "domain/txn.h"

int txn_finish(struct db *db, int ret, const char *what, int64_t *seq, struct dom_err *err)
{
	int rc;

	if (ret == DOM_OK) {
		rc = db_commit(db);
		if (rc == STORE_OK)
			return DOM_OK;
		ret = dom_from_store(err, rc, what);
	}
	db_rollback(db);
	if (seq)
		*seq = 0;
	return ret;
}
