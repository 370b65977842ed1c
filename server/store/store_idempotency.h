/*
 * store_idempotency: SQL over the idempotency table (first answers to keyed POSTs, stored sealed);
 * it never sees a key or a plaintext body, only their hash and sealed form.
 */
#ifndef MAJLIS_STORE_STORE_IDEMPOTENCY_H
#define MAJLIS_STORE_STORE_IDEMPOTENCY_H

#include <stdint.h>

#include "util/secret.h"

struct db;

/* The entry for key_hash created at or after not_before: 0 with *status and *sealed (malloc'ed,
 * caller frees) set, STORE_NOT_FOUND, or negative. */
int store_idem_get(struct db *db, const char key_hash[SECRET_HASH_LEN + 1], int64_t not_before, int *status,
		   char **sealed);
/* Inserts or replaces the entry for key_hash. Inside the caller's transaction. */
int store_idem_put(struct db *db, const char key_hash[SECRET_HASH_LEN + 1], int status, const char *sealed,
		   int64_t now);
/* Deletes entries created before before. */
int store_idem_purge(struct db *db, int64_t before);

#endif
