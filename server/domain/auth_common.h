/*
 * auth_common: the checks and change-log rows shared by domain/login, domain/api_tokens and
 * domain/accounts (and only by them); it decides no rights.
 */
#ifndef MAJLIS_DOMAIN_AUTH_COMMON_H
#define MAJLIS_DOMAIN_AUTH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

#define AUTH_COMMON_EMAIL_MAX 254

/* Copies email into out lowercased after checking its shape. 0 or DOM_INVALID with err filled. */
int auth_common_email_normalise(const char *email, char out[AUTH_COMMON_EMAIL_MAX + 1], struct dom_err *err);
/* s (field) as one line of text of min..max characters; NULL is DOM_INVALID "missing_field" when
 * required, else DOM_OK. */
int auth_common_check_line(const char *field, const char *s, size_t min, size_t max, bool required,
			   struct dom_err *err);
/* Whether an account or token of role may (must) carry org_id. */
int auth_common_check_role_org(enum role role, int64_t org_id, struct dom_err *err);
/* Inside a transaction: the organisation exists (DOM_NOT_FOUND otherwise). */
int auth_common_org_must_exist(struct db *db, int64_t org_id, struct dom_err *err);
/* Inside a transaction: a change-log row {"<topic_kind>_id": id, "role"?} under "<topic_kind>:<id>",
 * seen by org_id (admins only when 0). Returns a store_rc. */
int auth_common_log_change(struct db *db, int64_t now, const char *topic_kind, int64_t id, const char *kind,
			   int64_t org_id, const char *role, int64_t *seq);
/* A store result as a domain result: DOM_OK for STORE_OK, else err filled (what names the subject). */
int auth_common_store(struct dom_err *err, int store_rc, const char *what);
/* Commits, mapping a failed COMMIT to DOM_BUSY. */
int auth_common_commit(struct db *db, struct dom_err *err);
/* Logs a failed write once when it is the server's fault (busy or a bug), not the client's. */
void auth_common_log_failure(const char *func, const struct dom_err *err);

#endif
