/*
 * txn: how every domain write's transaction ends (COMMIT, or ROLLBACK with the result as a dom_code);
 * it holds no rules and never begins a transaction itself.
 */
#ifndef MAJLIS_DOMAIN_TXN_H
#define MAJLIS_DOMAIN_TXN_H

#include <stdint.h>

#include "domain/domain.h"
#include "store/db.h"

/*
 * Ends the transaction the caller began on db (db_begin) for a write whose steps concluded ret: DOM_OK,
 * or a dom_code with err set. With DOM_OK it commits; a failed COMMIT (nothing was written) becomes
 * dom_from_store(err, rc, what). Otherwise, or then, it rolls back and sets *seq (the change-log
 * sequence the steps wrote; may be NULL) to 0. Returns DOM_OK or the dom_code. Called by the thread
 * that owns db.
 */
int txn_finish(struct db *db, int ret, const char *what, int64_t *seq, struct dom_err *err);

#endif
