/*
 * calendar_tokens: the secret calendar-feed tokens of organisations and people (create, list, rotate,
 * revoke) with their rights and change-log rows; it stores only hashes and never logs a token value.
 * What a token's feed shows is domain/feeds'.
 */
#ifndef MAJLIS_DOMAIN_CALENDAR_TOKENS_H
#define MAJLIS_DOMAIN_CALENDAR_TOKENS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"
#include "util/secret.h"

struct db;

#define CALENDAR_TOKENS_LABEL_MAX 200 /* characters of a calendar token's label */

/* The owners a calendar token may have, NULL-terminated: "organisation", "person". */
extern const char *const calendar_tokens_owner_kinds[];

/* A calendar token to create as the api read it from the body {"owner_kind", "owner_id", "label"}
 * (types and shapes checked; strings borrowed from the body). Lives on the caller's stack. */
struct calendar_tokens_input {
	const char *owner_kind; /* one of calendar_tokens_owner_kinds, NULL when absent or null */
	bool has_owner_id;	/* owner_id was given (a positive id) */
	int64_t owner_id;
	const char *label; /* optional text, NULL when absent or null */
};

/* Creates a secret feed token from in (owner_kind and owner_id required) at now: an admin, or an
 * organiser of that organisation (of the person's organisation for a person). token receives the
 * secret (shown once; only its hash is stored); *out the token row (new reference); *seq the change-log
 * position. One transaction; service thread. */
int calendar_tokens_create(struct db *db, const struct principal *p, const struct calendar_tokens_input *in,
			   int64_t now, char token[SECRET_TOKEN_LEN + 1], struct json_object **out,
			   int64_t *seq, struct dom_err *err);
/* Whether p may create a feed token (id 0: an admin or an organiser, else DOM_FORBIDDEN) or rotate token
 * id (the answers of calendar_tokens_rotate's rights: DOM_NOT_FOUND for a revoked or another's token),
 * asked by the api before it reads the body. calendar_tokens_create and calendar_tokens_rotate check the
 * same themselves. */
int calendar_tokens_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* A page of valid tokens the caller answers for (admin: all; organiser: their organisation's and its
 * people's); other roles DOM_FORBIDDEN. Never token values or hashes. */
int calendar_tokens_list(struct db *db, const struct principal *p, int64_t limit, int64_t offset,
			 struct json_object **items, int64_t *total, struct dom_err *err);
/* Replaces token id by a new one for the same owner and label, in one transaction: the old URL answers
 * DOM_NOT_FOUND from the next request on, the new token (shown once) works at once. Same rights and
 * answers as calendar_tokens_revoke; token, *out and *seq as calendar_tokens_create. */
int calendar_tokens_rotate(struct db *db, const struct principal *p, int64_t id, int64_t now,
			   char token[SECRET_TOKEN_LEN + 1], struct json_object **out, int64_t *seq,
			   struct dom_err *err);
/* Revokes token id: its feed answers DOM_NOT_FOUND from the next request on. DOM_NOT_FOUND when absent,
 * already revoked or not the caller's. One transaction; service thread. */
int calendar_tokens_revoke(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
			   struct dom_err *err);

/* Whether p may ask for a feed's QR code at all (POST /api/v1/calendar-tokens/qr): an admin, an organiser
 * or a viewer; check-in staff DOM_FORBIDDEN. Asked by the api before it reads the body (id unused). */
int calendar_tokens_qr_allowed(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* Whether the valid calendar token token (its secret, from a feed URL) is one p answers for (an admin,
 * or an organiser of its organisation or of its person's): DOM_OK, else DOM_NOT_FOUND whatever the
 * reason (unknown, revoked, another's, or p a viewer), so that a token says nothing of itself. Reads
 * only; service thread. */
int calendar_tokens_owned(struct db *db, const struct principal *p, const char *token, struct dom_err *err);

#endif
