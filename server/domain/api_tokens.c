/*
 * api_tokens: creates, lists and revokes bearer API tokens, each change in one transaction with its
 * change-log row; it stores only their hashes and must never log a token value.
 */
#include "domain/api_tokens.h"

#include <inttypes.h>
#include <string.h>

#include "domain/auth_common.h"
#include "store/db.h"
#include "store/store_auth.h"
#include "util/jsonx.h"
#include "util/log.h"

/* Validates and stores a new token; no permission check. */
static int api_tokens_insert(struct db *db, enum role role, int64_t org_id, const char *label, int64_t now,
			     char token[SECRET_TOKEN_LEN + 1], int64_t *id, int64_t *seq, struct dom_err *err)
{
	char h[SECRET_HASH_LEN + 1];
	int64_t tid = 0;
	int rc;

	token[0] = '\0';
	rc = auth_common_check_role_org(role, org_id, err);
	rc = rc ? rc : auth_common_check_line("label", label, 1, API_TOKENS_LABEL_MAX, false, err);
	if (rc)
		return rc;
	if (secret_token_new(token))
		return dom_fail(err, DOM_INTERNAL, NULL, "cannot create a token");
	secret_hash(token, strlen(token), h);
	rc = auth_common_store(err, db_begin(db), "token");
	if (!rc && org_id > 0)
		rc = auth_common_org_must_exist(db, org_id, err);
	rc = rc ? rc
		: auth_common_store(err,
				    store_auth_token_insert(db, h, label, role_name(role), org_id, now, &tid),
				    "token");
	rc = rc ? rc
		: auth_common_store(err,
				    auth_common_log_change(db, now, "token", tid, "token.created", org_id,
							   role_name(role), seq),
				    "token");
	rc = rc ? rc : auth_common_commit(db, err);
	if (rc)
		goto err;
	if (id)
		*id = tid;
	log_info("token %" PRId64 " created (role %s)", tid, role_name(role));
	return DOM_OK;
err:
	db_rollback(db);
	memset(token, 0, SECRET_TOKEN_LEN + 1);
	auth_common_log_failure(__func__, err);
	return rc;
}

int api_tokens_create(struct db *db, enum role role, int64_t org_id, const char *label, int64_t now,
		      char token[SECRET_TOKEN_LEN + 1], int64_t *id, struct dom_err *err)
{
	return api_tokens_insert(db, role, org_id, label, now, token, id, NULL, err);
}

int api_tokens_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	(void)db;
	(void)id;
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only admins and organisers manage tokens");
	return DOM_OK;
}

/* The API's token object from r: id, label, role, org_id, created_at, revoked_at. New reference. */
static struct json_object *api_tokens_render(const struct store_auth_token_row *r)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", r->id);
	jsonx_add_str(o, "label", r->label);
	jsonx_add_str(o, "role", r->role);
	if (r->org_id)
		jsonx_add_int(o, "org_id", r->org_id);
	else
		jsonx_add_str(o, "org_id", NULL);
	jsonx_add_int(o, "created_at", r->created_at);
	if (r->has_revoked_at)
		jsonx_add_int(o, "revoked_at", r->revoked_at);
	else
		jsonx_add_str(o, "revoked_at", NULL);
	return o;
}

int api_tokens_create_as(struct db *db, const struct principal *p, enum role role, int64_t org_id,
			 const char *label, int64_t now, struct json_object **out, int64_t *seq,
			 struct dom_err *err)
{
	char token[SECRET_TOKEN_LEN + 1];
	struct store_auth_token_row row;
	int64_t id = 0;
	int rc;

	*out = NULL;
	*seq = 0;
	if (p->role == ROLE_ORGANISER) {
		if (org_id <= 0)
			org_id = p->org_id;
		if (org_id != p->org_id)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"an organiser may create tokens only for its own organisation");
		if (role == ROLE_ADMIN)
			return dom_fail(err, DOM_FORBIDDEN, NULL, "an organiser may not create admin tokens");
	} else {
		rc = api_tokens_writable(db, p, 0, err);
		if (rc)
			return rc;
	}
	rc = api_tokens_insert(db, role, org_id, label, now, token, &id, seq, err);
	if (rc)
		return rc;
	rc = store_auth_token_get(db, id, &row);
	if (rc) {
		memset(token, 0, sizeof(token));
		return dom_from_store(err, rc, "token");
	}
	*out = api_tokens_render(&row);
	store_auth_token_row_clear(&row);
	jsonx_add_str(*out, "token", token);
	memset(token, 0, sizeof(token));
	return DOM_OK;
}

int api_tokens_list(struct db *db, const struct principal *p, int64_t limit, int64_t offset,
		    struct json_object **items, int64_t *total, struct dom_err *err)
{
	struct store_auth_token_row *rows = NULL;
	size_t n = 0;
	int64_t org;
	int rc;

	*items = NULL;
	if (p->role == ROLE_ADMIN)
		org = 0;
	else if (p->role == ROLE_ORGANISER && p->org_id > 0)
		org = p->org_id;
	else
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only admins and organisers manage tokens");
	rc = store_auth_token_list(db, org, limit, offset, &rows, &n, total);
	if (rc)
		return dom_from_store(err, rc, "token");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, api_tokens_render(&rows[i]));
	store_auth_token_rows_free(rows, n);
	return DOM_OK;
}

int api_tokens_revoke(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
		      struct dom_err *err)
{
	struct store_auth_token t;
	int rc;

	*seq = 0;
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only admins and organisers manage tokens");
	rc = auth_common_store(err, db_begin(db), "token");
	rc = rc ? rc : auth_common_store(err, store_auth_token_by_id(db, id, &t), "token");
	if (!rc && p->role != ROLE_ADMIN && (t.org_id <= 0 || t.org_id != p->org_id))
		rc = dom_from_store(err, STORE_NOT_FOUND, "token"); /* as for a token that does not exist */
	if (!rc && t.revoked) {
		db_rollback(db);
		return DOM_OK;
	}
	rc = rc ? rc : auth_common_store(err, store_auth_token_revoke(db, id, now), "token");
	rc = rc ? rc
		: auth_common_store(
		      err,
		      auth_common_log_change(db, now, "token", id, "token.revoked", t.org_id, t.role, seq),
		      "token");
	rc = rc ? rc : auth_common_commit(db, err);
	if (rc)
		goto err;
	log_info("token %" PRId64 " revoked", id);
	return DOM_OK;
err:
	db_rollback(db);
	auth_common_log_failure(__func__, err);
	return rc;
}
