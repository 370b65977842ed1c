/*
 * idempotency: the first answer to a POST carrying an Idempotency-Key, kept 24 h sealed under the
 * key itself so a retry gets exactly that answer; it never stores or logs a key in the clear.
 */
#ifndef MAJLIS_DOMAIN_IDEMPOTENCY_H
#define MAJLIS_DOMAIN_IDEMPOTENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;
struct json_object;

#define IDEM_TTL_SECONDS (24 * 3600)
#define IDEM_KEY_MIN	 8
#define IDEM_KEY_MAX	 128

/* The outcome a stored answer had. The idempotency table keeps the HTTP status of the first
 * answer, so the values are those api/errors.c gives API_OK and API_CREATED. */
enum idem_outcome { IDEM_OK = 200, IDEM_CREATED = 201 };

/* Whether key is 8..128 characters of [A-Za-z0-9_-]. Any thread. */
bool idempotency_key_valid(const char *key);

/*
 * Looks up the answer stored for scope ("registrations") and key, ignoring entries older than
 * IDEM_TTL_SECONDS. Returns 1 with *outcome and *body (new ref, caller puts) set, 0 when there is
 * none, or a negative dom_code with err set. Call it inside the transaction that would store the
 * answer, so two retries cannot both miss.
 */
int idempotency_lookup(struct db *db, const char *scope, const char *key, int64_t now,
		       enum idem_outcome *outcome, struct json_object **body, struct dom_err *err);

/* Inside the caller's transaction: stores outcome and body (not consumed) for scope and key, and
 * deletes expired entries. 0 or a negative dom_code with err set. */
int idempotency_save(struct db *db, const char *scope, const char *key, enum idem_outcome outcome,
		     struct json_object *body, int64_t now, struct dom_err *err);

#endif
