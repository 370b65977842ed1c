/*
 * accounts: creates, lists and changes officials' accounts (and answers the caller's own), each change in
 * one transaction with its change-log row; it stores only password hashes and must never log a password
 * or an email.
 */
#include "domain/accounts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/auth_common.h"
#include "domain/events.h"
#include "store/db.h"
#include "store/store_auth.h"
#include "util/jsonx.h"
#include "util/log.h"
#include "util/secret.h"

static int accounts_check_password(const char *password, bool required, struct dom_err *err)
{
	return auth_common_check_line("password", password, ACCOUNTS_PASSWORD_MIN, ACCOUNTS_PASSWORD_MAX,
				      required, err);
}

/* Inside a transaction: every event exists and, when only_org > 0, belongs to only_org. An event p may
 * not see is refused as one that does not exist. */
static int accounts_events_check(struct db *db, const struct principal *p, const int64_t *ids, size_t n,
				 int64_t only_org, struct dom_err *err)
{
	int64_t org;
	int rc;

	for (size_t i = 0; i < n; i++) {
		rc = store_auth_event_org(db, ids[i], &org);
		if (!rc && only_org > 0 && org != only_org) {
			rc = events_visible_id(db, p, ids[i]);
			rc = rc < 0 ? rc : rc ? STORE_CONFLICT : STORE_NOT_FOUND;
		}
		if (rc == STORE_NOT_FOUND)
			return dom_fail(err, DOM_NOT_FOUND, "event_not_found", "event %" PRId64 " not found",
					ids[i]);
		if (rc == STORE_CONFLICT)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"event %" PRId64 " belongs to another organisation", ids[i]);
		if (rc)
			return dom_from_store(err, rc, "event");
	}
	return DOM_OK;
}

/* Validates and stores a new account; events must belong to only_org when > 0 (those p may not see are
 * refused as absent; p may be NULL when only_org is 0). No other check. */
static int accounts_insert(struct db *db, const struct principal *p, const struct accounts_input *in,
			   int64_t only_org, int64_t now, int64_t *id, int64_t *seq, struct dom_err *err)
{
	char email[AUTH_COMMON_EMAIL_MAX + 1];
	char hash[PASSWORD_HASH_MAX];
	int64_t aid = 0;
	int rc;

	rc = auth_common_email_normalise(in->email, email, err);
	rc = rc ? rc
		: auth_common_check_line("display_name", in->display_name, 1, ACCOUNTS_DISPLAY_NAME_MAX, true,
					 err);
	rc = rc ? rc : accounts_check_password(in->password, true, err);
	rc = rc ? rc : auth_common_check_role_org(in->role, in->org_id, err);
	if (rc)
		return rc;
	if (in->n_event_ids && in->role != ROLE_CHECKIN)
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"'event_ids' only apply to checkin accounts");
	if (in->n_event_ids > ACCOUNTS_EVENT_IDS_MAX)
		return dom_fail(err, DOM_INVALID, "invalid_field", "at most %d 'event_ids'",
				ACCOUNTS_EVENT_IDS_MAX);
	if (in->password_hash)
		snprintf(hash, sizeof(hash), "%s", in->password_hash);
	else if (password_hash(in->password, hash))
		return dom_fail(err, DOM_INTERNAL, NULL, "cannot hash the password");

	rc = auth_common_store(err, db_begin(db), "account");
	if (!rc && in->org_id > 0)
		rc = auth_common_org_must_exist(db, in->org_id, err);
	rc = rc ? rc : accounts_events_check(db, p, in->event_ids, in->n_event_ids, only_org, err);
	if (!rc) {
		/* the organisation exists (checked above), so a refused insert is the unique email */
		rc = store_auth_account_insert(db, email, in->display_name, hash, role_name(in->role),
					       in->org_id, now, &aid);
		if (rc == STORE_CONFLICT)
			rc = dom_fail(err, DOM_CONFLICT, "email_taken",
				      "an account with this email already exists");
		else
			rc = auth_common_store(err, rc, "account");
	}
	rc = rc ? rc
		: auth_common_store(
		      err, store_auth_account_events_set(db, aid, in->event_ids, in->n_event_ids), "account");
	rc = rc ? rc
		: auth_common_store(err,
				    auth_common_log_change(db, now, "account", aid, "account.created",
							   in->org_id, role_name(in->role), seq),
				    "account");
	rc = rc ? rc : auth_common_commit(db, err);
	memset(hash, 0, sizeof(hash));
	if (rc)
		goto err;
	if (id)
		*id = aid;
	log_info("account %" PRId64 " created (role %s)", aid, role_name(in->role));
	return DOM_OK;
err:
	db_rollback(db);
	auth_common_log_failure(__func__, err);
	return rc;
}

int accounts_create(struct db *db, const char *email, const char *display_name, const char *password,
		    enum role role, int64_t org_id, int64_t now, int64_t *id, struct dom_err *err)
{
	struct accounts_input in = {
	    .email = email,
	    .display_name = display_name,
	    .password = password,
	    .role = role,
	    .org_id = org_id,
	};

	return accounts_insert(db, NULL, &in, 0, now, id, NULL, err);
}

/* The API's account object from r: id, email, display_name, role, org_id, disabled, created_at,
 * updated_at, event_ids. New reference. */
static struct json_object *accounts_render(const struct store_auth_account_row *r)
{
	struct json_object *o = json_object_new_object(), *ids = json_object_new_array();

	jsonx_add_int(o, "id", r->id);
	jsonx_add_str(o, "email", r->email);
	jsonx_add_str(o, "display_name", r->display_name);
	jsonx_add_str(o, "role", r->role);
	if (r->org_id)
		jsonx_add_int(o, "org_id", r->org_id);
	else
		jsonx_add_str(o, "org_id", NULL);
	jsonx_add_bool(o, "disabled", r->disabled);
	jsonx_add_int(o, "created_at", r->created_at);
	jsonx_add_int(o, "updated_at", r->updated_at);
	for (size_t i = 0; i < r->n_event_ids; i++)
		json_object_array_add(ids, json_object_new_int64(r->event_ids[i]));
	json_object_object_add(o, "event_ids", ids);
	return o;
}

/* Account id rendered into *out (NULL on failure). 0 or a store_rc. */
static int accounts_load(struct db *db, int64_t id, struct json_object **out)
{
	struct store_auth_account_row r;
	int rc = store_auth_account_get(db, id, &r);

	*out = NULL;
	if (rc)
		return rc;
	*out = accounts_render(&r);
	store_auth_account_row_clear(&r);
	return STORE_OK;
}

int accounts_create_as(struct db *db, const struct principal *p, const struct accounts_input *in, int64_t now,
		       struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct accounts_input a = *in;
	int64_t only_org = 0, id = 0;
	int rc;

	*out = NULL;
	*seq = 0;
	if (p->role == ROLE_ORGANISER) {
		if (a.org_id <= 0)
			a.org_id = p->org_id;
		if (a.org_id != p->org_id)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"an organiser may create accounts only for its own organisation");
		if (a.role != ROLE_CHECKIN && a.role != ROLE_VIEWER)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"an organiser may create only checkin and viewer accounts");
		only_org = p->org_id;
	} else {
		rc = accounts_writable(db, p, 0, err);
		if (rc)
			return rc;
	}
	rc = accounts_insert(db, p, &a, only_org, now, &id, seq, err);
	if (rc)
		return rc;
	rc = accounts_load(db, id, out);
	return rc ? dom_from_store(err, rc, "account") : DOM_OK;
}

int accounts_list(struct db *db, const struct principal *p, int64_t org_filter, int64_t limit, int64_t offset,
		  struct json_object **items, int64_t *total, struct dom_err *err)
{
	int64_t org = org_filter > 0 ? org_filter : 0;
	struct store_auth_account_row *rows = NULL;
	size_t n = 0;
	int rc;

	*items = NULL;
	if (p->role == ROLE_ORGANISER && p->org_id > 0) {
		if (org && org != p->org_id)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"an organiser sees only its own organisation's accounts");
		org = p->org_id;
	} else if (p->role != ROLE_ADMIN) {
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only admins and organisers manage accounts");
	}
	rc = store_auth_account_list(db, org, limit, offset, &rows, &n, total);
	if (rc)
		return dom_from_store(err, rc, "account");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, accounts_render(&rows[i]));
	store_auth_account_rows_free(rows, n);
	return DOM_OK;
}

/* Which fields of account a the principal p may change: 2 all, 1 own name and password, 0 none
 * (-1: not even visible). */
static int accounts_rights(const struct principal *p, const struct store_auth_account *a)
{
	enum role r = role_parse(a->role);

	if (p->role == ROLE_ADMIN)
		return 2;
	if (p->role == ROLE_ORGANISER && p->org_id > 0 && a->org_id == p->org_id &&
	    (r == ROLE_CHECKIN || r == ROLE_VIEWER))
		return 2;
	if (p->account_id > 0 && p->account_id == a->id)
		return 1;
	if (p->role == ROLE_ORGANISER && p->org_id > 0 && a->org_id == p->org_id)
		return 0;
	return -1;
}

int accounts_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	struct store_auth_account a;
	int rc, rights;

	if (id == 0) {
		if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"only admins and organisers manage accounts");
		return DOM_OK;
	}
	rc = store_auth_account_by_id(db, id, &a);
	if (rc && rc != STORE_NOT_FOUND)
		return dom_from_store(err, rc, "account");
	rights = rc ? -1 : accounts_rights(p, &a);
	memset(a.password_hash, 0, sizeof(a.password_hash));
	if (rights < 0)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "account %" PRId64 " not found", id);
	if (rights == 0)
		return dom_fail(err, DOM_FORBIDDEN, NULL, "you may change only your own name and password");
	return DOM_OK;
}

int accounts_update(struct db *db, const struct principal *p, int64_t id, const struct accounts_patch *in,
		    int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	char hash[PASSWORD_HASH_MAX] = "";
	struct store_auth_account a;
	int rights = -1;
	int rc;

	*out = NULL;
	*seq = 0;
	rc = store_auth_account_by_id(db, id, &a);
	if (rc && rc != STORE_NOT_FOUND)
		return dom_from_store(err, rc, "account");
	if (!rc)
		rights = accounts_rights(p, &a);
	if (rights < 0)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "account %" PRId64 " not found", id);
	memset(a.password_hash, 0, sizeof(a.password_hash));
	if (!in->display_name && !in->password && in->disabled < 0 && !in->set_events)
		return dom_fail(err, DOM_INVALID, "invalid_request", "nothing to change");
	if (rights == 0 || (rights == 1 && (in->disabled >= 0 || in->set_events)))
		return dom_fail(err, DOM_FORBIDDEN, NULL, "you may change only your own name and password");
	rc = auth_common_check_line("display_name", in->display_name, 1, ACCOUNTS_DISPLAY_NAME_MAX, false,
				    err);
	rc = rc ? rc : accounts_check_password(in->password, false, err);
	if (rc)
		return rc;
	if (in->set_events && role_parse(a.role) != ROLE_CHECKIN)
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"'event_ids' only apply to checkin accounts");
	if (in->set_events && in->n_event_ids > ACCOUNTS_EVENT_IDS_MAX)
		return dom_fail(err, DOM_INVALID, "invalid_field", "at most %d 'event_ids'",
				ACCOUNTS_EVENT_IDS_MAX);
	if (in->password && in->password_hash)
		snprintf(hash, sizeof(hash), "%s", in->password_hash);
	else if (in->password && password_hash(in->password, hash))
		return dom_fail(err, DOM_INTERNAL, NULL, "cannot hash the password");

	rc = auth_common_store(err, db_begin(db), "account");
	if (!rc && in->set_events)
		rc = accounts_events_check(db, p, in->event_ids, in->n_event_ids,
					   p->role == ROLE_ADMIN ? 0 : p->org_id, err);
	if (!rc) {
		rc = store_auth_account_update(db, id, in->display_name, in->password ? hash : NULL,
					       in->disabled, now);
		if (!rc && in->set_events)
			rc = store_auth_account_events_set(db, id, in->event_ids, in->n_event_ids);
		if (!rc && (in->password || in->disabled > 0))
			rc = store_auth_sessions_delete_account(db, id);
		rc = rc ? rc
			: auth_common_log_change(db, now, "account", id, "account.updated", a.org_id, a.role,
						 seq);
		rc = auth_common_store(err, rc, "account");
	}
	rc = rc ? rc : auth_common_commit(db, err);
	memset(hash, 0, sizeof(hash));
	if (rc)
		goto err;
	log_info("account %" PRId64 " updated", id);
	rc = accounts_load(db, id, out);
	return rc ? dom_from_store(err, rc, "account") : DOM_OK;
err:
	db_rollback(db);
	auth_common_log_failure(__func__, err);
	return rc;
}

int accounts_me(struct db *db, const struct principal *p, struct json_object **out, struct dom_err *err)
{
	struct json_object *o, *acc = NULL;
	int rc;

	*out = NULL;
	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (p->account_id > 0) {
		rc = accounts_load(db, p->account_id, &acc);
		if (rc)
			return dom_from_store(err, rc, "account");
	}
	o = json_object_new_object();
	json_object_object_add(o, "account", acc);
	jsonx_add_str(o, "role", role_name(p->role));
	if (p->org_id > 0)
		jsonx_add_int(o, "org_id", p->org_id);
	else
		jsonx_add_str(o, "org_id", NULL);
	jsonx_add_str(o, "via", p->account_id > 0 ? "cookie" : "token");
	if (p->token_id > 0)
		jsonx_add_int(o, "token_id", p->token_id);
	*out = o;
	return DOM_OK;
}
