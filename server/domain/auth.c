/*
 * auth: accounts, password login with throttling, cookie sessions and bearer tokens, with every
 * permission rule about them; it keeps only hashes of secrets and must never log a password, token,
 * cookie or email (a secret_short() or an id at most).
 */
#include "domain/auth.h"

#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/events.h"
#include "store/db.h"
#include "store/store_auth.h"
#include "store/store_changelog.h"
#include "util/jsonx.h"
#include "util/log.h"
#include "util/text.h"

#define AUTH_EMAIL_MAX 254

static const char auth_bad_credentials[] = "wrong email or password";

/* Copies email into out lowercased after checking its shape. 0 or DOM_INVALID with err filled. */
static int auth_email_normalise(const char *email, char out[AUTH_EMAIL_MAX + 1], struct dom_err *err)
{
	if (!email || strlen(email) > AUTH_EMAIL_MAX || !text_is_email(email))
		return dom_fail(err, DOM_INVALID, "invalid_field", "field 'email' must be an e-mail address");
	snprintf(out, AUTH_EMAIL_MAX + 1, "%s", email);
	text_ascii_lower(out);
	return DOM_OK;
}

static int auth_check_line(const char *field, const char *s, size_t min, size_t max, bool required,
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

static int auth_check_password(const char *password, bool required, struct dom_err *err)
{
	return auth_check_line("password", password, AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX, required, err);
}

/* Whether an account or token of role may (must) carry org_id. */
static int auth_check_role_org(enum role role, int64_t org_id, struct dom_err *err)
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
static int auth_org_must_exist(struct db *db, int64_t org_id, struct dom_err *err)
{
	int rc = store_auth_org_exists(db, org_id);

	if (rc < 0)
		return dom_from_store(err, rc, "organisation");
	if (!rc)
		return dom_fail(err, DOM_NOT_FOUND, "org_not_found", "organisation %" PRId64 " not found",
				org_id);
	return DOM_OK;
}

/* Inside a transaction: every event exists and, when only_org > 0, belongs to only_org. An event p may
 * not see is refused as one that does not exist. */
static int auth_events_check(struct db *db, const struct principal *p, const int64_t *ids, size_t n,
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

/* Inside a transaction: a change-log row {"<idkey>": id, extra...} under "<kind_prefix>:<id>". */
static int auth_log_change(struct db *db, int64_t now, const char *topic_kind, int64_t id, const char *kind,
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
static int auth_store(struct dom_err *err, int store_rc, const char *what)
{
	return store_rc ? dom_from_store(err, store_rc, what) : DOM_OK;
}

/* Commits, mapping a failed COMMIT to DOM_BUSY. */
static int auth_commit(struct db *db, struct dom_err *err)
{
	return auth_store(err, db_commit(db), "change");
}

/* Logs a failed write once when it is the server's fault (busy or a bug), not the client's. */
static void auth_log_failure(const char *func, const struct dom_err *err)
{
	if (err->code == DOM_BUSY || err->code == DOM_INTERNAL)
		log_emit(LOG_LEVEL_ERR, func, "%s", err->message);
}

/* {id, email, display_name, role, org_id} of a loaded account (no hash). New reference. */
static struct json_object *auth_account_brief(const struct store_auth_account *a)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", a->id);
	jsonx_add_str(o, "email", a->email);
	jsonx_add_str(o, "display_name", a->display_name);
	jsonx_add_str(o, "role", a->role);
	if (a->org_id > 0)
		jsonx_add_int(o, "org_id", a->org_id);
	else
		jsonx_add_str(o, "org_id", NULL);
	return o;
}

/* Counts a failed login for key (its own small transaction) and drops expired windows. */
static int auth_count_failure(struct db *db, const char *key, int64_t now, struct dom_err *err)
{
	int rc = db_begin(db);

	rc = rc ? rc : store_auth_login_failure_add(db, key, now, AUTH_LOGIN_WINDOW_S);
	rc = rc ? rc : store_auth_login_failures_prune(db, now - AUTH_LOGIN_WINDOW_S);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "login");
	}
	return auth_commit(db, err);
}

/* A login between its phases; see auth.h. The password copy is wiped before the memory is freed. */
struct auth_login_job {
	char key[SECRET_HASH_LEN + 1]; /* hash of the normalised login name (throttling key) */
	char shown[SECRET_SHORT_LEN + 1];
	struct store_auth_account account;
	bool known; /* an account has that name */
	bool ok;    /* set by auth_login_check */
	char password[AUTH_PASSWORD_MAX * 4 + 1];
};

int auth_login_begin(struct db *db, const char *email, const char *password, int64_t now,
		     struct auth_login_job **jobp, int64_t *retry_after, struct dom_err *err)
{
	char norm[AUTH_EMAIL_MAX + 1];
	struct auth_login_job *job;
	int64_t failures = 0, window_start = 0;
	int rc;

	*jobp = NULL;
	*retry_after = 0;
	if (!password)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'password' is required");
	if (strlen(password) >= sizeof(job->password))
		return dom_fail(err, DOM_INVALID, "invalid_field", "field 'password' is too long");
	rc = auth_email_normalise(email, norm, err);
	if (rc)
		return rc;
	job = calloc(1, sizeof(*job));
	if (!job)
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
	secret_hash(norm, strlen(norm), job->key);
	secret_short(norm, job->shown);

	rc = store_auth_login_failures_get(db, job->key, &failures, &window_start);
	if (rc && rc != STORE_NOT_FOUND) {
		auth_login_job_free(job);
		return dom_from_store(err, rc, "login");
	}
	if (!rc && window_start > now - AUTH_LOGIN_WINDOW_S && failures >= AUTH_LOGIN_MAX_FAILURES) {
		*retry_after = window_start + AUTH_LOGIN_WINDOW_S - now;
		if (*retry_after < 1)
			*retry_after = 1;
		log_notice("login throttled for name %s", job->shown);
		auth_login_job_free(job);
		return dom_fail(err, DOM_THROTTLED, "too_many_attempts",
				"too many failed logins for this name; try again later");
	}
	rc = store_auth_account_by_email(db, norm, &job->account);
	if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
		auth_login_job_free(job);
		return dom_from_store(err, rc, "account");
	}
	job->known = rc == STORE_OK;
	snprintf(job->password, sizeof(job->password), "%s", password);
	*jobp = job;
	return DOM_OK;
}

void auth_login_check(struct auth_login_job *job)
{
	if (job->known)
		job->ok =
		    password_verify(job->password, job->account.password_hash) == 1 && !job->account.disabled;
	else
		password_dummy_verify(job->password);
	OPENSSL_cleanse(job->password, sizeof(job->password));
	OPENSSL_cleanse(job->account.password_hash, sizeof(job->account.password_hash));
}

int auth_login_finish(struct db *db, struct auth_login_job *job, const char *old_session, int64_t now,
		      struct auth_login *out, struct dom_err *err)
{
	char sid_hash[SECRET_HASH_LEN + 1], csrf_hash[SECRET_HASH_LEN + 1], old_hash[SECRET_HASH_LEN + 1];
	struct store_auth_account *a = &job->account;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!job->ok) {
		rc = auth_count_failure(db, job->key, now, err);
		if (rc)
			return rc;
		log_info("login failed for name %s", job->shown);
		return dom_fail(err, DOM_UNAUTHENTICATED, "invalid_credentials", auth_bad_credentials);
	}
	if (secret_token_new(out->session) || secret_token_new(out->csrf))
		return dom_fail(err, DOM_INTERNAL, NULL, "cannot create a session");
	secret_hash(out->session, strlen(out->session), sid_hash);
	secret_hash(out->csrf, strlen(out->csrf), csrf_hash);

	rc = db_begin(db);
	rc = rc ? rc : store_auth_login_failures_clear(db, job->key);
	if (!rc && old_session && *old_session) {
		secret_hash(old_session, strlen(old_session), old_hash);
		rc = store_auth_session_delete(db, old_hash);
		if (rc == STORE_NOT_FOUND)
			rc = STORE_OK;
	}
	rc = rc ? rc : store_auth_session_insert(db, sid_hash, a->id, csrf_hash, now);
	rc =
	    rc ? rc : auth_log_change(db, now, "account", a->id, "account.login", a->org_id, NULL, &out->seq);
	rc = rc ? rc : db_commit(db);
	if (rc)
		goto err;
	out->account = auth_account_brief(a);
	log_info("login ok for account %" PRId64, a->id);
	return DOM_OK;
err:
	db_rollback(db);
	rc = auth_store(err, rc, "session");
	OPENSSL_cleanse(out->session, sizeof(out->session));
	OPENSSL_cleanse(out->csrf, sizeof(out->csrf));
	auth_log_failure(__func__, err);
	return rc;
}

void auth_login_job_free(struct auth_login_job *job)
{
	if (!job)
		return;
	OPENSSL_cleanse(job, sizeof(*job));
	free(job);
}

int auth_login(struct db *db, const char *email, const char *password, const char *old_session, int64_t now,
	       struct auth_login *out, struct dom_err *err)
{
	struct auth_login_job *job;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = auth_login_begin(db, email, password, now, &job, &out->retry_after, err);
	if (rc)
		return rc;
	auth_login_check(job);
	rc = auth_login_finish(db, job, old_session, now, out, err);
	auth_login_job_free(job);
	return rc;
}

int auth_logout(struct db *db, const char *session, int64_t now, int64_t *seq, struct dom_err *err)
{
	char sid_hash[SECRET_HASH_LEN + 1];
	struct store_auth_session s;
	struct store_auth_account a;
	int rc;

	if (seq)
		*seq = 0;
	if (!session || !*session)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "not logged in");
	secret_hash(session, strlen(session), sid_hash);
	rc = db_begin(db);
	rc = rc ? rc : store_auth_session_get(db, sid_hash, &s);
	rc = rc ? rc : store_auth_account_by_id(db, s.account_id, &a);
	rc = rc ? rc : store_auth_session_delete(db, sid_hash);
	rc = rc ? rc
		: auth_log_change(db, now, "account", s.account_id, "account.logout", a.org_id, NULL, seq);
	rc = rc ? rc : db_commit(db);
	if (rc)
		goto err;
	return DOM_OK;
err:
	db_rollback(db);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "not logged in");
	rc = auth_store(err, rc, "session");
	auth_log_failure(__func__, err);
	return rc;
}

int auth_session_resolve(struct db *db, const char *session, int64_t now, int idle_s, int absolute_s,
			 struct principal *p, struct auth_session *s, struct dom_err *err)
{
	char sid_hash[SECRET_HASH_LEN + 1];
	struct store_auth_session row;
	struct store_auth_account a;
	bool expired;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!session || !*session)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	secret_hash(session, strlen(session), sid_hash);
	rc = store_auth_session_get(db, sid_hash, &row);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "the session is not valid; log in again");
	if (rc)
		return dom_from_store(err, rc, "session");
	rc = store_auth_account_by_id(db, row.account_id, &a);
	if (rc && rc != STORE_NOT_FOUND)
		return dom_from_store(err, rc, "account");
	memset(a.password_hash, 0, sizeof(a.password_hash));
	expired = rc == STORE_NOT_FOUND || a.disabled || now - row.seen_at > idle_s ||
		  now - row.created_at > absolute_s;
	if (expired) {
		rc = store_auth_session_delete(db, sid_hash);
		if (rc && rc != STORE_NOT_FOUND)
			return dom_from_store(err, rc, "session");
		return dom_fail(err, DOM_UNAUTHENTICATED, "session_expired",
				"the session has expired; log in again");
	}
	rc = store_auth_session_touch(db, sid_hash, now);
	if (rc)
		return dom_from_store(err, rc, "session");
	p->role = role_parse(a.role);
	p->account_id = a.id;
	p->org_id = a.org_id;
	p->via_cookie = true;
	snprintf(s->csrf_hash, sizeof(s->csrf_hash), "%s", row.csrf_hash);
	return DOM_OK;
}

bool auth_csrf_ok(const struct auth_session *s, const char *csrf)
{
	char h[SECRET_HASH_LEN + 1];

	if (!csrf || !*csrf || !s->csrf_hash[0])
		return false;
	secret_hash(csrf, strlen(csrf), h);
	return secret_str_equal(h, s->csrf_hash) == 1;
}

int auth_token_resolve(struct db *db, const char *token, struct principal *p, struct dom_err *err)
{
	char h[SECRET_HASH_LEN + 1];
	struct store_auth_token t;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!token || !*token)
		return dom_fail(err, DOM_UNAUTHENTICATED, "invalid_token", "the bearer token is not valid");
	secret_hash(token, strlen(token), h);
	rc = store_auth_token_by_hash(db, h, &t);
	if (rc && rc != STORE_NOT_FOUND)
		return dom_from_store(err, rc, "token");
	if (rc == STORE_NOT_FOUND || t.revoked || role_parse(t.role) == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, "invalid_token", "the bearer token is not valid");
	p->role = role_parse(t.role);
	p->token_id = t.id;
	p->org_id = t.org_id;
	return DOM_OK;
}

void auth_cred_remember(struct auth_cred *c, const struct principal *p, const char *session)
{
	memset(c, 0, sizeof(*c));
	if (p->via_cookie && session && *session)
		secret_hash(session, strlen(session), c->session_hash);
	else
		c->token_id = p->token_id;
}

int auth_cred_check(struct db *db, const struct auth_cred *c, int64_t now, int idle_s, int absolute_s,
		    int64_t *until, struct dom_err *err)
{
	struct store_auth_session row;
	struct store_auth_account a;
	struct store_auth_token t;
	int rc;

	*until = INT64_MAX;
	if (c->token_id > 0) {
		rc = store_auth_token_by_id(db, c->token_id, &t);
		if (rc && rc != STORE_NOT_FOUND)
			return dom_from_store(err, rc, "token");
		if (rc || t.revoked)
			return dom_fail(err, DOM_UNAUTHENTICATED, "invalid_token",
					"the bearer token was revoked");
		return DOM_OK;
	}
	if (!c->session_hash[0])
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	rc = store_auth_session_get(db, c->session_hash, &row);
	if (rc && rc != STORE_NOT_FOUND)
		return dom_from_store(err, rc, "session");
	if (rc)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "the session has ended; log in again");
	rc = store_auth_account_by_id(db, row.account_id, &a);
	if (rc && rc != STORE_NOT_FOUND)
		return dom_from_store(err, rc, "account");
	memset(a.password_hash, 0, sizeof(a.password_hash));
	/* as auth_session_resolve: expired once idle longer than idle_s or older than absolute_s */
	*until = row.seen_at + idle_s + 1;
	if (row.created_at + absolute_s + 1 < *until)
		*until = row.created_at + absolute_s + 1;
	if (rc || a.disabled || now >= *until)
		return dom_fail(err, DOM_UNAUTHENTICATED, "session_expired",
				"the session has expired; log in again");
	return DOM_OK;
}

/* Validates and stores a new token; no permission check. */
static int auth_token_insert(struct db *db, enum role role, int64_t org_id, const char *label, int64_t now,
			     char token[SECRET_TOKEN_LEN + 1], int64_t *id, int64_t *seq, struct dom_err *err)
{
	char h[SECRET_HASH_LEN + 1];
	int64_t tid = 0;
	int rc;

	token[0] = '\0';
	rc = auth_check_role_org(role, org_id, err);
	rc = rc ? rc : auth_check_line("label", label, 1, AUTH_LABEL_MAX, false, err);
	if (rc)
		return rc;
	if (secret_token_new(token))
		return dom_fail(err, DOM_INTERNAL, NULL, "cannot create a token");
	secret_hash(token, strlen(token), h);
	rc = auth_store(err, db_begin(db), "token");
	if (!rc && org_id > 0)
		rc = auth_org_must_exist(db, org_id, err);
	rc = rc ? rc
		: auth_store(err, store_auth_token_insert(db, h, label, role_name(role), org_id, now, &tid),
			     "token");
	rc = rc ? rc
		: auth_store(
		      err,
		      auth_log_change(db, now, "token", tid, "token.created", org_id, role_name(role), seq),
		      "token");
	rc = rc ? rc : auth_commit(db, err);
	if (rc)
		goto err;
	if (id)
		*id = tid;
	log_info("token %" PRId64 " created (role %s)", tid, role_name(role));
	return DOM_OK;
err:
	db_rollback(db);
	memset(token, 0, SECRET_TOKEN_LEN + 1);
	auth_log_failure(__func__, err);
	return rc;
}

int auth_token_create(struct db *db, enum role role, int64_t org_id, const char *label,
		      char token[SECRET_TOKEN_LEN + 1], int64_t *id, struct dom_err *err)
{
	return auth_token_insert(db, role, org_id, label, (int64_t)time(NULL), token, id, NULL, err);
}

int auth_token_create_as(struct db *db, const struct principal *p, enum role role, int64_t org_id,
			 const char *label, int64_t now, struct json_object **out, int64_t *seq,
			 struct dom_err *err)
{
	char token[SECRET_TOKEN_LEN + 1];
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
	} else if (p->role != ROLE_ADMIN) {
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only admins and organisers manage tokens");
	}
	rc = auth_token_insert(db, role, org_id, label, now, token, &id, seq, err);
	if (rc)
		return rc;
	*out = store_auth_token_json(db, id, &rc);
	if (!*out) {
		memset(token, 0, sizeof(token));
		return dom_from_store(err, rc ? rc : STORE_ERROR, "token");
	}
	jsonx_add_str(*out, "token", token);
	memset(token, 0, sizeof(token));
	return DOM_OK;
}

int auth_token_list(struct db *db, const struct principal *p, int64_t limit, int64_t offset,
		    struct json_object **items, int64_t *total, struct dom_err *err)
{
	int64_t org;
	int rc;

	*items = NULL;
	if (p->role == ROLE_ADMIN)
		org = 0;
	else if (p->role == ROLE_ORGANISER && p->org_id > 0)
		org = p->org_id;
	else
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only admins and organisers manage tokens");
	*items = store_auth_tokens_list(db, org, limit, offset, total, &rc);
	return *items ? DOM_OK : dom_from_store(err, rc ? rc : STORE_ERROR, "token");
}

int auth_token_revoke(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
		      struct dom_err *err)
{
	struct store_auth_token t;
	int rc;

	*seq = 0;
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only admins and organisers manage tokens");
	rc = auth_store(err, db_begin(db), "token");
	rc = rc ? rc : auth_store(err, store_auth_token_by_id(db, id, &t), "token");
	if (!rc && p->role != ROLE_ADMIN && (t.org_id <= 0 || t.org_id != p->org_id))
		rc = dom_from_store(err, STORE_NOT_FOUND, "token"); /* as for a token that does not exist */
	if (!rc && t.revoked) {
		db_rollback(db);
		return DOM_OK;
	}
	rc = rc ? rc : auth_store(err, store_auth_token_revoke(db, id, now), "token");
	rc = rc ? rc
		: auth_store(err,
			     auth_log_change(db, now, "token", id, "token.revoked", t.org_id, t.role, seq),
			     "token");
	rc = rc ? rc : auth_commit(db, err);
	if (rc)
		goto err;
	log_info("token %" PRId64 " revoked", id);
	return DOM_OK;
err:
	db_rollback(db);
	auth_log_failure(__func__, err);
	return rc;
}

/* Validates and stores a new account; events must belong to only_org when > 0 (those p may not see are
 * refused as absent; p may be NULL when only_org is 0). No other check. */
static int auth_account_insert(struct db *db, const struct principal *p, const struct auth_account_new *in,
			       int64_t only_org, int64_t now, int64_t *id, int64_t *seq, struct dom_err *err)
{
	char email[AUTH_EMAIL_MAX + 1];
	char hash[PASSWORD_HASH_MAX];
	int64_t aid = 0;
	int rc;

	rc = auth_email_normalise(in->email, email, err);
	rc = rc ? rc : auth_check_line("display_name", in->display_name, 1, AUTH_DISPLAY_NAME_MAX, true, err);
	rc = rc ? rc : auth_check_password(in->password, true, err);
	rc = rc ? rc : auth_check_role_org(in->role, in->org_id, err);
	if (rc)
		return rc;
	if (in->n_event_ids && in->role != ROLE_CHECKIN)
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"'event_ids' only apply to checkin accounts");
	if (in->n_event_ids > AUTH_EVENT_IDS_MAX)
		return dom_fail(err, DOM_INVALID, "invalid_field", "at most %d 'event_ids'",
				AUTH_EVENT_IDS_MAX);
	if (in->password_hash)
		snprintf(hash, sizeof(hash), "%s", in->password_hash);
	else if (password_hash(in->password, hash))
		return dom_fail(err, DOM_INTERNAL, NULL, "cannot hash the password");

	rc = auth_store(err, db_begin(db), "account");
	if (!rc && in->org_id > 0)
		rc = auth_org_must_exist(db, in->org_id, err);
	rc = rc ? rc : auth_events_check(db, p, in->event_ids, in->n_event_ids, only_org, err);
	if (!rc) {
		/* the organisation exists (checked above), so a refused insert is the unique email */
		rc = store_auth_account_insert(db, email, in->display_name, hash, role_name(in->role),
					       in->org_id, now, &aid);
		if (rc == STORE_CONFLICT)
			rc = dom_fail(err, DOM_CONFLICT, "email_taken",
				      "an account with this email already exists");
		else
			rc = auth_store(err, rc, "account");
	}
	rc = rc ? rc
		: auth_store(err, store_auth_account_events_set(db, aid, in->event_ids, in->n_event_ids),
			     "account");
	rc = rc ? rc
		: auth_store(err,
			     auth_log_change(db, now, "account", aid, "account.created", in->org_id,
					     role_name(in->role), seq),
			     "account");
	rc = rc ? rc : auth_commit(db, err);
	memset(hash, 0, sizeof(hash));
	if (rc)
		goto err;
	if (id)
		*id = aid;
	log_info("account %" PRId64 " created (role %s)", aid, role_name(in->role));
	return DOM_OK;
err:
	db_rollback(db);
	auth_log_failure(__func__, err);
	return rc;
}

int auth_account_create(struct db *db, const char *email, const char *display_name, const char *password,
			enum role role, int64_t org_id, int64_t *id, struct dom_err *err)
{
	struct auth_account_new in = {
	    .email = email,
	    .display_name = display_name,
	    .password = password,
	    .role = role,
	    .org_id = org_id,
	};

	return auth_account_insert(db, NULL, &in, 0, (int64_t)time(NULL), id, NULL, err);
}

int auth_account_create_as(struct db *db, const struct principal *p, const struct auth_account_new *in,
			   int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct auth_account_new a = *in;
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
	} else if (p->role != ROLE_ADMIN) {
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only admins and organisers manage accounts");
	}
	rc = auth_account_insert(db, p, &a, only_org, now, &id, seq, err);
	if (rc)
		return rc;
	*out = store_auth_account_json(db, id, &rc);
	return *out ? DOM_OK : dom_from_store(err, rc ? rc : STORE_ERROR, "account");
}

int auth_account_list(struct db *db, const struct principal *p, int64_t org_filter, int64_t limit,
		      int64_t offset, struct json_object **items, int64_t *total, struct dom_err *err)
{
	int64_t org = org_filter > 0 ? org_filter : 0;
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
	*items = store_auth_accounts_list(db, org, limit, offset, total, &rc);
	return *items ? DOM_OK : dom_from_store(err, rc ? rc : STORE_ERROR, "account");
}

/* Which fields of account a the principal p may change: 2 all, 1 own name and password, 0 none
 * (-1: not even visible). */
static int auth_account_rights(const struct principal *p, const struct store_auth_account *a)
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

int auth_account_update(struct db *db, const struct principal *p, int64_t id,
			const struct auth_account_patch *in, int64_t now, struct json_object **out,
			int64_t *seq, struct dom_err *err)
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
		rights = auth_account_rights(p, &a);
	if (rights < 0)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "account %" PRId64 " not found", id);
	memset(a.password_hash, 0, sizeof(a.password_hash));
	if (!in->display_name && !in->password && in->disabled < 0 && !in->set_events)
		return dom_fail(err, DOM_INVALID, "invalid_request", "nothing to change");
	if (rights == 0 || (rights == 1 && (in->disabled >= 0 || in->set_events)))
		return dom_fail(err, DOM_FORBIDDEN, NULL, "you may change only your own name and password");
	rc = auth_check_line("display_name", in->display_name, 1, AUTH_DISPLAY_NAME_MAX, false, err);
	rc = rc ? rc : auth_check_password(in->password, false, err);
	if (rc)
		return rc;
	if (in->set_events && role_parse(a.role) != ROLE_CHECKIN)
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"'event_ids' only apply to checkin accounts");
	if (in->set_events && in->n_event_ids > AUTH_EVENT_IDS_MAX)
		return dom_fail(err, DOM_INVALID, "invalid_field", "at most %d 'event_ids'",
				AUTH_EVENT_IDS_MAX);
	if (in->password && in->password_hash)
		snprintf(hash, sizeof(hash), "%s", in->password_hash);
	else if (in->password && password_hash(in->password, hash))
		return dom_fail(err, DOM_INTERNAL, NULL, "cannot hash the password");

	rc = auth_store(err, db_begin(db), "account");
	if (!rc && in->set_events)
		rc = auth_events_check(db, p, in->event_ids, in->n_event_ids,
				       p->role == ROLE_ADMIN ? 0 : p->org_id, err);
	if (!rc) {
		rc = store_auth_account_update(db, id, in->display_name, in->password ? hash : NULL,
					       in->disabled, now);
		if (!rc && in->set_events)
			rc = store_auth_account_events_set(db, id, in->event_ids, in->n_event_ids);
		if (!rc && (in->password || in->disabled > 0))
			rc = store_auth_sessions_delete_account(db, id);
		rc = rc ? rc
			: auth_log_change(db, now, "account", id, "account.updated", a.org_id, a.role, seq);
		rc = auth_store(err, rc, "account");
	}
	rc = rc ? rc : auth_commit(db, err);
	memset(hash, 0, sizeof(hash));
	if (rc)
		goto err;
	log_info("account %" PRId64 " updated", id);
	*out = store_auth_account_json(db, id, &rc);
	return *out ? DOM_OK : dom_from_store(err, rc ? rc : STORE_ERROR, "account");
err:
	db_rollback(db);
	auth_log_failure(__func__, err);
	return rc;
}

int auth_me(struct db *db, const struct principal *p, struct json_object **out, struct dom_err *err)
{
	struct json_object *o, *acc = NULL;
	int rc;

	*out = NULL;
	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (p->account_id > 0) {
		acc = store_auth_account_json(db, p->account_id, &rc);
		if (!acc)
			return dom_from_store(err, rc ? rc : STORE_ERROR, "account");
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

bool auth_checkin_allowed(struct db *db, const struct principal *p, int64_t event_id)
{
	int64_t org = 0;

	if (!p)
		return false;
	switch (p->role) {
	case ROLE_ADMIN:
		return true;
	case ROLE_ORGANISER:
		return p->org_id > 0 && !store_auth_event_org(db, event_id, &org) && org == p->org_id;
	case ROLE_CHECKIN:
		if (p->account_id > 0)
			return store_auth_account_has_event(db, p->account_id, event_id) == 1;
		return p->token_id > 0 && p->org_id > 0 && !store_auth_event_org(db, event_id, &org) &&
		       org == p->org_id;
	default:
		return false;
	}
}
