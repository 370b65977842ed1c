/*
 * calendar_tokens: creates, lists, rotates and revokes the secret calendar-feed tokens, each change in one
 * transaction with its change-log row; it stores only their hashes, must not log a token value, and does
 * not decide what a feed shows (domain/feeds).
 */
#include "domain/calendar_tokens.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_feeds.h"
#include "store/store_people.h"
#include "util/jsonx.h"

/* The token as the API shows it (never the hash). New reference. */
static struct json_object *calendar_tokens_render(const struct calendar_token_row *r)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", r->id);
	jsonx_add_str(o, "owner_kind", r->owner_kind);
	jsonx_add_int(o, "owner_id", r->owner_id);
	jsonx_add_str(o, "label", r->label);
	if (r->created_by > 0)
		jsonx_add_int(o, "created_by", r->created_by);
	else
		jsonx_add_str(o, "created_by", NULL);
	jsonx_add_int(o, "created_at", r->created_at);
	if (r->revoked)
		jsonx_add_int(o, "revoked_at", r->revoked_at);
	else
		jsonx_add_str(o, "revoked_at", NULL);
	return o;
}

/* Token id as the API shows it into *out (new reference). A store_rc. */
static int calendar_tokens_view(struct db *db, int64_t id, struct json_object **out)
{
	struct calendar_token_row r;
	int rc = store_calendar_token_load(db, id, &r);

	*out = NULL;
	if (rc)
		return rc;
	*out = calendar_tokens_render(&r);
	calendar_token_row_clear(&r);
	return STORE_OK;
}

const char *const calendar_tokens_owner_kinds[] = {"organisation", "person", NULL};

/* Writes the change-log row of token id (ids only) inside the open transaction. */
static int calendar_tokens_log(struct db *db, int64_t now, const struct store_calendar_token *t,
			       const char *kind, int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "calendar_token:%lld", (long long)t->id);
	json_object_object_add(payload, "id", json_object_new_int64(t->id));
	json_object_object_add(payload, "owner_kind", json_object_new_string(t->owner_kind));
	json_object_object_add(payload, "owner_id", json_object_new_int64(t->owner_id));
	/* the token of a person without organisation is seen by admins only, live too */
	rc = db_changelog(db, topic, kind, t->org_id > 0 ? t->org_id : DB_ORG_ADMINS, payload, now, seq);
	json_object_put(payload);
	return rc;
}

int calendar_tokens_create(struct db *db, const struct principal *p, const struct calendar_tokens_input *in,
			   int64_t now, char token[SECRET_TOKEN_LEN + 1], struct json_object **out,
			   int64_t *seq, struct dom_err *err)
{
	struct store_calendar_token t;
	struct person_row person;
	char hash[SECRET_HASH_LEN + 1], org[8];
	const char *label = in->label;
	int kind, rc;

	*out = NULL;
	token[0] = '\0';
	memset(&t, 0, sizeof(t));
	rc = calendar_tokens_writable(db, p, 0, err);
	if (rc)
		return rc;
	if (!in->owner_kind)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'owner_kind' is required");
	for (kind = 0; calendar_tokens_owner_kinds[kind]; kind++)
		if (!strcmp(in->owner_kind, calendar_tokens_owner_kinds[kind]))
			break;
	if (!calendar_tokens_owner_kinds[kind])
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'owner_kind' must be one of: organisation, person");
	if (!in->has_owner_id)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'owner_id' is required");
	t.owner_id = in->owner_id;
	snprintf(t.owner_kind, sizeof(t.owner_kind), "%s", calendar_tokens_owner_kinds[kind]);
	if (kind == 0) {
		rc = store_feeds_org_name(db, t.owner_id, org, sizeof(org));
		if (rc)
			return dom_from_store(err, rc, "organisation");
		t.org_id = t.owner_id;
	} else {
		rc = store_person_get(db, t.owner_id, &person);
		if (rc)
			return dom_from_store(err, rc, "person");
		t.org_id = person.org_id;
		rc = person.erased_at != 0;
		person_row_clear(&person);
		if (rc)
			return dom_fail(err, DOM_UNPROCESSABLE, "person_erased",
					"this person's data was erased; no feed can be made for them");
	}
	if (!principal_manages_org(p, t.org_id)) {
		/* people of other organisations are not visible to the caller: do not confirm they exist */
		if (kind == 1)
			return dom_fail(err, DOM_NOT_FOUND, NULL, "person not found");
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser of this organisation may do this");
	}
	if (secret_token_new(token))
		return dom_fail(err, DOM_INTERNAL, NULL, "no randomness available");
	secret_hash(token, strlen(token), hash);
	rc = db_begin(db);
	rc = rc ? rc
		: store_calendar_token_insert(db, hash, t.owner_kind, t.owner_id, label, p->account_id, now,
					      &t.id);
	rc = rc ? rc : calendar_tokens_log(db, now, &t, "calendar_token.created", seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		memset(token, 0, SECRET_TOKEN_LEN + 1);
		return dom_from_store(err, rc, "calendar token");
	}
	rc = calendar_tokens_view(db, t.id, out);
	if (rc) {
		memset(token, 0, SECRET_TOKEN_LEN + 1);
		return dom_from_store(err, rc, "calendar token");
	}
	return DOM_OK;
}

int calendar_tokens_list(struct db *db, const struct principal *p, int64_t limit, int64_t offset,
			 struct json_object **items, int64_t *total, struct dom_err *err)
{
	struct calendar_token_row *rows = NULL;
	size_t n = 0;
	int rc;

	*items = NULL;
	*total = 0;
	if (p->role != ROLE_ADMIN && !(p->role == ROLE_ORGANISER && p->org_id > 0))
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may list feed tokens");
	rc = store_calendar_token_list(db, p->role == ROLE_ADMIN ? 0 : p->org_id, limit, offset, &rows, &n,
				       total);
	if (rc)
		return dom_from_store(err, rc, "calendar tokens");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, calendar_tokens_render(&rows[i]));
	calendar_token_rows_free(rows, n);
	return DOM_OK;
}

/* Loads valid token id into *t when p answers for it (an admin, or an organiser of its organisation); verb
 * ("rotate", "revoke") for the refusal of other roles. DOM_NOT_FOUND for a revoked or another's token. */
static int calendar_tokens_mine(struct db *db, const struct principal *p, int64_t id, const char *verb,
				struct store_calendar_token *t, struct dom_err *err)
{
	int rc;

	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may %s feed tokens", verb);
	rc = store_calendar_token_get(db, id, t);
	if (rc)
		return dom_from_store(err, rc, "calendar token");
	if (t->revoked || !principal_manages_org(p, t->org_id))
		return dom_fail(err, DOM_NOT_FOUND, NULL, "calendar token not found");
	return DOM_OK;
}

int calendar_tokens_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	struct store_calendar_token t;

	if (id == 0) {
		if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"only an administrator or an organiser may create feed tokens");
		return DOM_OK;
	}
	return calendar_tokens_mine(db, p, id, "rotate", &t, err);
}

int calendar_tokens_rotate(struct db *db, const struct principal *p, int64_t id, int64_t now,
			   char token[SECRET_TOKEN_LEN + 1], struct json_object **out, int64_t *seq,
			   struct dom_err *err)
{
	struct store_calendar_token t;
	struct calendar_token_row old;
	char hash[SECRET_HASH_LEN + 1];
	int64_t new_id = 0;
	int rc;

	*out = NULL;
	token[0] = '\0';
	rc = calendar_tokens_mine(db, p, id, "rotate", &t, err);
	if (rc)
		return rc;
	rc = store_calendar_token_load(db, id, &old);
	if (rc)
		return dom_from_store(err, rc, "calendar token");
	if (secret_token_new(token)) {
		calendar_token_row_clear(&old);
		return dom_fail(err, DOM_INTERNAL, NULL, "no randomness available");
	}
	secret_hash(token, strlen(token), hash);
	/* one transaction: the old URL stops and the new one starts together */
	rc = db_begin(db);
	rc = rc ? rc : store_calendar_token_revoke(db, id, now);
	rc = rc ? rc : calendar_tokens_log(db, now, &t, "calendar_token.revoked", NULL);
	rc = rc ? rc
		: store_calendar_token_insert(db, hash, t.owner_kind, t.owner_id, old.label, p->account_id,
					      now, &new_id);
	calendar_token_row_clear(&old);
	t.id = new_id;
	rc = rc ? rc : calendar_tokens_log(db, now, &t, "calendar_token.created", seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		memset(token, 0, SECRET_TOKEN_LEN + 1);
		return dom_from_store(err, rc, "calendar token");
	}
	rc = calendar_tokens_view(db, new_id, out);
	if (rc) {
		memset(token, 0, SECRET_TOKEN_LEN + 1);
		return dom_from_store(err, rc, "calendar token");
	}
	return DOM_OK;
}

int calendar_tokens_revoke(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
			   struct dom_err *err)
{
	struct store_calendar_token t;
	int rc;

	rc = calendar_tokens_mine(db, p, id, "revoke", &t, err);
	if (rc)
		return rc;
	rc = db_begin(db);
	rc = rc ? rc : store_calendar_token_revoke(db, id, now);
	rc = rc ? rc : calendar_tokens_log(db, now, &t, "calendar_token.revoked", seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "calendar token");
	}
	return DOM_OK;
}

int calendar_tokens_qr_allowed(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	(void)db;
	(void)id;
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER && p->role != ROLE_VIEWER)
		return dom_fail(
		    err, DOM_FORBIDDEN, NULL,
		    "only an administrator, an organiser or a viewer may ask for a feed's QR code");
	return DOM_OK;
}

int calendar_tokens_owned(struct db *db, const struct principal *p, const char *token, struct dom_err *err)
{
	char hash[SECRET_HASH_LEN + 1];
	struct store_calendar_token t;
	int rc;

	secret_hash(token, strlen(token), hash);
	rc = store_calendar_token_by_hash(db, hash, &t);
	if (rc && rc != STORE_NOT_FOUND)
		return dom_from_store(err, rc, "calendar token");
	if (rc || t.revoked || !principal_manages_org(p, t.org_id))
		return dom_fail(err, DOM_NOT_FOUND, NULL, "calendar token not found");
	return DOM_OK;
}
