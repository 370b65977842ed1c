/*
 * api_tokens: the bearer API tokens (create, list, revoke) with their rights and change-log rows; it
 * stores only their hashes and never logs a token value.
 */
#ifndef MAJLIS_DOMAIN_API_TOKENS_H
#define MAJLIS_DOMAIN_API_TOKENS_H

#include <json-c/json.h>
#include <stdint.h>

#include "domain/domain.h"
#include "util/secret.h"

struct db;

#define API_TOKENS_LABEL_MAX 120 /* characters of a token label */

/* Creates a bearer token for role (org_id required for organiser/checkin, 0 otherwise) at now (the
 * caller reads the clock) and writes it into token (shown once, stored hashed). *id (may be NULL) gets
 * its id. No permission check (CLI, tests). */
int api_tokens_create(struct db *db, enum role role, int64_t org_id, const char *label, int64_t now,
		      char token[SECRET_TOKEN_LEN + 1], int64_t *id, struct dom_err *err);

/* Whether p may create tokens at all (id 0: an admin or an organiser, else DOM_FORBIDDEN), asked by the
 * api before it reads the body; api_tokens_create_as checks the same, and what the body asks for, itself. */
int api_tokens_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);

/*
 * Creates a token on behalf of p: admin any role and organisation; organiser only for its own
 * organisation (org_id 0 means its own) and only organiser/checkin/viewer. *out (new reference) gets
 * the token's public fields plus "token" (shown once); *seq the change-log sequence.
 */
int api_tokens_create_as(struct db *db, const struct principal *p, enum role role, int64_t org_id,
			 const char *label, int64_t now, struct json_object **out, int64_t *seq,
			 struct dom_err *err);

/* Tokens p may see (admin all, organiser its organisation's), never their values. *items new ref. */
int api_tokens_list(struct db *db, const struct principal *p, int64_t limit, int64_t offset,
		    struct json_object **items, int64_t *total, struct dom_err *err);

/* Revokes token id (admin any; organiser its organisation's). Already revoked: DOM_OK, *seq 0. */
int api_tokens_revoke(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
		      struct dom_err *err);

#endif
