/*
 * auth_common: the checks and change-log rows that login, api_tokens and accounts share (e-mail shape, one
 * line of text, role and organisation, store results, commits); it holds no rule of its own about who may
 * do what, and never logs a secret or an e-mail.
 */
#include "domain/auth_common.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/store_auth.h"
#include "store/store_changelog.h"
#include "util/jsonx.h"
#include "util/log.h"
#include "util/text.h"

/* Copies email into out lowercased after checking its shape. 0 or DOM_INVALID with err filled. */
int auth_common_email_normalise(const char *email, char out[AUTH_COMMON_EMAIL_MAX + 1], struct dom_err *err)
{
	if (!email || strlen(email) > AUTH_COMMON_EMAIL_MAX || !text_is_email(email))
		return dom_fail(err, DOM_INVALID, "invalid_field", "field 'email' must be an e-mail address");
	snprintf(out, AUTH_COMMON_EMAIL_MAX + 1, "%s", email);
	text_ascii_lower(out);
	return DOM_OK;
}

int auth_common_check_line(const char *field, const char *s, size_t min, size_t max, bool required,
			   struct dom_err *err)
{
	size_t n;

	if (!s) {
		if (!required)
			return DOM_OK;
		return dom_fail(err, DOM_INVALID, "missing_field", "field '%s' is required", field);
	}
	if (!text_is_line(s))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field '%s' must be one line of text without control characters", field);
	n = text_utf8_len(s);
	if (n < min || n > max)
		return dom_fail(err, DOM_INVALID, "invalid_field", "field '%s' must be %zu to %zu characters",
				field, min, max);
	return DOM_OK;
}

/* Whether an account or token of role may (must) carry org_id. */
int auth_common_check_role_org(enum role role, int64_t org_id, struct dom_err *err)
{
	switch (role) {
	case ROLE_ADMIN:
		if (org_id > 0)
			return dom_fail(err, DOM_INVALID, "invalid_field",
					"an admin belongs to no organisation: omit 'org_id'");
		return DOM_OK;
	case ROLE_ORGANISER:
	case ROLE_CHECKIN:
		if (org_id <= 0)
			return dom_fail(err, DOM_INVALID, "missing_field", "role %s needs an 'org_id'",
					role_name(role));
		return DOM_OK;
	case ROLE_VIEWER:
		return DOM_OK;
	default:
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'role' must be one of: admin, organiser, checkin, viewer");
	}
}

/* Inside a transaction: the organisation exists (DOM_NOT_FOUND otherwise). */
int auth_common_org_must_exist(struct db *db, int64_t org_id, struct dom_err *err)
{
	int rc = store_auth_org_exists(db, org_id);

	if (rc < 0)
		return dom_from_store(err, rc, "organisation");
	if (!rc)
		return dom_fail(err, DOM_NOT_FOUND, "org_not_found", "organisation %" PRId64 " not found",
				org_id);
	return DOM_OK;
}

/* Inside a transaction: a change-log row {"<idkey>": id, extra...} under "<kind_prefix>:<id>". */
int auth_common_log_change(struct db *db, int64_t now, const char *topic_kind, int64_t id, const char *kind,
			   int64_t org_id, const char *role, int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[64];
	char idkey[32];
	int rc;

	snprintf(topic, sizeof(topic), "%s:%" PRId64, topic_kind, id);
	snprintf(idkey, sizeof(idkey), "%s_id", topic_kind);
	jsonx_add_int(payload, idkey, id);
	if (role)
		jsonx_add_str(payload, "role", role);
	/* accounts and tokens without organisation are seen by admins only, live too */
	rc = db_changelog(db, topic, kind, org_id > 0 ? org_id : DB_ORG_ADMINS, payload, now, seq);
	json_object_put(payload);
	return rc;
}

/* A store result as a domain result: DOM_OK for STORE_OK, else err filled (what names the subject). */
int auth_common_store(struct dom_err *err, int store_rc, const char *what)
{
	return store_rc ? dom_from_store(err, store_rc, what) : DOM_OK;
}

/* Commits, mapping a failed COMMIT to DOM_BUSY. */
int auth_common_commit(struct db *db, struct dom_err *err)
{
	return auth_common_store(err, db_commit(db), "change");
}

/* Logs a failed write once when it is the server's fault (busy or a bug), not the client's. */
void auth_common_log_failure(const char *func, const struct dom_err *err)
{
	if (err->code == DOM_BUSY || err->code == DOM_INTERNAL)
		log_emit(LOG_LEVEL_ERR, func, "%s", err->message);
}
