/*
 * accounts (api): /api/v1/accounts (officials' logins): parse, validate, hash a new password off the
 * service thread, one domain call, render; no SQL, no permission rules (domain/accounts.c has them) and
 * never a password or email in a log.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/reply.h"
#include "api/router.h"
#include "domain/accounts.h"
#include "util/jsonx.h"
#include "util/secret.h"

/*
 * Reads the optional "event_ids" array of positive integers into ids (at most ACCOUNTS_EVENT_IDS_MAX).
 * Returns 1 present, 0 absent or null, -1 with e filled.
 */
static int accounts_event_ids(struct json_object *o, int64_t *ids, size_t *n, struct jsonx_err *e)
{
	struct json_object *v = NULL, *item;
	size_t len;

	*n = 0;
	if (!json_object_object_get_ex(o, "event_ids", &v) || !v)
		return 0;
	e->code = "invalid_field";
	if (!json_object_is_type(v, json_type_array)) {
		snprintf(e->message, sizeof(e->message), "field 'event_ids' must be an array of event ids");
		return -1;
	}
	len = json_object_array_length(v);
	if (len > ACCOUNTS_EVENT_IDS_MAX) {
		snprintf(e->message, sizeof(e->message), "field 'event_ids' holds at most %d ids",
			 ACCOUNTS_EVENT_IDS_MAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		item = json_object_array_get_idx(v, i);
		if (!json_object_is_type(item, json_type_int) || json_object_get_int64(item) <= 0 ||
		    json_object_get_int64(item) == INT64_MAX) {
			snprintf(e->message, sizeof(e->message),
				 "field 'event_ids' must hold only event ids (positive integers)");
			return -1;
		}
		ids[i] = json_object_get_int64(item);
	}
	*n = len;
	return 1;
}

static void accounts_list_get(struct app *app, const struct request *req, const struct route_args *args,
			      struct response *resp)
{
	struct json_object *items;
	struct principal p;
	struct dom_err err;
	int64_t limit, offset, total = 0, org = 0;

	(void)args;
	if (api_auth(app, req, resp, &p, true) || api_page(req, resp, &limit, &offset) ||
	    api_query_id(req, resp, "org", &org) < 0)
		return;
	if (accounts_list(app->db, &p, org, limit, offset, &items, &total, &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	api_reply_list(resp, items, total, limit, offset);
}

/* Creates the account; prehash is the password's hash computed on the worker thread (or NULL). */
static void accounts_post_hashed(struct app *app, const struct request *req, struct response *resp,
				 const char *prehash)
{
	static const char *const keys[] = {"email",  "display_name", "password", "role",
					   "org_id", "event_ids",    NULL};
	struct json_object *body = NULL, *out = NULL;
	struct accounts_input in;
	int64_t ids[ACCOUNTS_EVENT_IDS_MAX];
	struct jsonx_err jerr;
	struct principal p;
	struct dom_err err = {0};
	int64_t seq = 0;
	int role = -1, rc;

	memset(&in, 0, sizeof(in));
	in.password_hash = prehash;
	if (api_write_begin(app, req, resp, accounts_writable, 0, &p, &body))
		return;
	if (jsonx_only_keys(body, keys, &jerr) ||
	    jsonx_get_str(body, "email", true, JSONX_EMAIL, 254, &in.email, &jerr) < 0 ||
	    jsonx_get_str(body, "display_name", true, JSONX_LINE, ACCOUNTS_DISPLAY_NAME_MAX, &in.display_name,
			  &jerr) < 0 ||
	    jsonx_get_str(body, "password", true, JSONX_SECRET, ACCOUNTS_PASSWORD_MAX, &in.password, &jerr) <
		0 ||
	    jsonx_get_enum(body, "role", true, role_names, &role, &jerr) < 0 ||
	    jsonx_get_int(body, "org_id", false, 1, INT64_MAX - 1, &in.org_id, &jerr) < 0 ||
	    accounts_event_ids(body, ids, &in.n_event_ids, &jerr) < 0) {
		api_fail_json(resp, &jerr);
		goto out;
	}
	in.role = role_of_index(role);
	in.event_ids = ids;
	rc = accounts_create_as(app->db, &p, &in, req->now, &out, &seq, &err);
	api_reply_dom(app, resp, rc, &err, out, seq, API_CREATED);
out:
	json_object_put(body);
}

/* Changes the account; prehash as for accounts_post_hashed. */
static void accounts_patch_hashed(struct app *app, const struct request *req, int64_t id,
				  struct response *resp, const char *prehash)
{
	static const char *const keys[] = {"display_name", "password", "disabled", "event_ids", NULL};
	struct json_object *body = NULL, *out = NULL;
	struct accounts_patch in;
	int64_t ids[ACCOUNTS_EVENT_IDS_MAX];
	struct jsonx_err jerr;
	struct principal p;
	struct dom_err err;
	int64_t seq = 0;
	bool disabled = false;
	int has_disabled, has_events, rc;

	memset(&in, 0, sizeof(in));
	in.password_hash = prehash;
	in.disabled = -1;
	if (api_write_begin(app, req, resp, accounts_writable, id, &p, &body))
		return;
	has_disabled = jsonx_get_bool(body, "disabled", false, &disabled, &jerr);
	has_events = has_disabled < 0 ? -1 : accounts_event_ids(body, ids, &in.n_event_ids, &jerr);
	if (jsonx_only_keys(body, keys, &jerr) ||
	    jsonx_get_str(body, "display_name", false, JSONX_LINE, ACCOUNTS_DISPLAY_NAME_MAX,
			  &in.display_name, &jerr) < 0 ||
	    jsonx_get_str(body, "password", false, JSONX_SECRET, ACCOUNTS_PASSWORD_MAX, &in.password, &jerr) <
		0 ||
	    has_disabled < 0 || has_events < 0) {
		api_fail_json(resp, &jerr);
		goto out;
	}
	if (has_disabled == 1)
		in.disabled = disabled ? 1 : 0;
	in.set_events = has_events == 1;
	in.event_ids = ids;
	rc = accounts_update(app->db, &p, id, &in, req->now, &out, &seq, &err);
	api_reply_dom(app, resp, rc, &err, out, seq, API_OK);
out:
	json_object_put(body);
}

/* A password hashed on the worker thread before the account write (PBKDF2 takes ~0.3 s). */
struct accounts_defer {
	struct defer d;
	int64_t id; /* 0: create; else the account to change */
	char password[ACCOUNTS_PASSWORD_MAX * 4 + 1];
	char hash[PASSWORD_HASH_MAX];
	int rc;
};

static void accounts_hash_run(struct defer *d)
{
	struct accounts_defer *ad = (struct accounts_defer *)d;

	ad->rc = password_hash(ad->password, ad->hash);
	OPENSSL_cleanse(ad->password, sizeof(ad->password));
}

static void accounts_hash_finish(struct app *app, const struct request *req, struct defer *d,
				 struct response *resp)
{
	struct accounts_defer *ad = (struct accounts_defer *)d;

	if (ad->rc) {
		api_fail(resp, API_INTERNAL, NULL, "cannot hash the password");
		return;
	}
	if (ad->id)
		accounts_patch_hashed(app, req, ad->id, resp, ad->hash);
	else
		accounts_post_hashed(app, req, resp, ad->hash);
}

static void accounts_hash_release(struct defer *d)
{
	OPENSSL_cleanse(d, sizeof(struct accounts_defer));
	free(d);
}

/* Hands the password to the worker when the body carries a plausible one from a caller who may
 * write (accounts_writable); otherwise answers now (errors need no hash). Returns 1 when deferred. */
static int accounts_maybe_defer(struct app *app, const struct request *req, struct response *resp, int64_t id)
{
	struct json_object *body = NULL, *pw;
	struct accounts_defer *ad;
	struct dom_err err = {0};
	struct principal p;
	const char *s;

	/* who may not write is answered by the handler (which asks again) without a hash */
	if (api_auth(app, req, resp, &p, true) || p.role == ROLE_NONE ||
	    accounts_writable(app->db, &p, id, &err))
		return 0;
	if (jsonx_parse_object(req->body ? req->body : "", req->body_len, &body, NULL))
		return 0;
	if (!json_object_object_get_ex(body, "password", &pw) || !json_object_is_type(pw, json_type_string)) {
		json_object_put(body);
		return 0;
	}
	s = json_object_get_string(pw);
	ad = strlen(s) < sizeof(ad->password) ? calloc(1, sizeof(*ad)) : NULL;
	if (!ad) {
		json_object_put(body);
		return 0;
	}
	snprintf(ad->password, sizeof(ad->password), "%s", s);
	json_object_put(body);
	ad->id = id;
	ad->d.run = accounts_hash_run;
	ad->d.finish = accounts_hash_finish;
	ad->d.release = accounts_hash_release;
	resp->defer = &ad->d;
	return 1;
}

static void accounts_create_post(struct app *app, const struct request *req, const struct route_args *args,
				 struct response *resp)
{
	(void)args;
	if (!accounts_maybe_defer(app, req, resp, 0))
		accounts_post_hashed(app, req, resp, NULL);
}

static void accounts_patch(struct app *app, const struct request *req, const struct route_args *args,
			   struct response *resp)
{
	if (!accounts_maybe_defer(app, req, resp, args->ids[0]))
		accounts_patch_hashed(app, req, args->ids[0], resp, NULL);
}

const struct route api_accounts_routes[] = {
    {HTTP_GET, "/api/v1/accounts", accounts_list_get},
    {HTTP_POST, "/api/v1/accounts", accounts_create_post},
    {HTTP_PATCH, "/api/v1/accounts/{id}", accounts_patch},
    {0},
};
