/*
 * auth: accounts, password login with throttling, cookie sessions with idle and absolute timeouts,
 * CSRF tokens and bearer API tokens; it stores only hashes of secrets and never logs them.
 */
#ifndef MAJLIS_DOMAIN_AUTH_H
#define MAJLIS_DOMAIN_AUTH_H

#include <stdint.h>

#include "domain/domain.h"
#include "util/secret.h"

struct db;

/* Creates a bearer token for role (org_id required for organiser/checkin, 0 otherwise) and writes it
 * into token (shown once, stored hashed). *id (may be NULL) gets its id. */
int auth_token_create(struct db *db, enum role role, int64_t org_id, const char *label,
		      char token[SECRET_TOKEN_LEN + 1], int64_t *id, struct dom_err *err);

#endif
