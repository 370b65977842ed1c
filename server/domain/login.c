/*
 * login: password logins (throttled per login name, the PBKDF2 check in its own phase so that it can run
 * off the service thread) and logouts, each in one transaction with its change-log row; it keeps only
 * hashes of secrets and must never log a password, cookie or email (a secret_short() or an id at most).
 */
#include "domain/login.h"

#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/auth_common.h"
#include "store/db.h"
#include "store/store_auth.h"
#include "util/jsonx.h"
#include "util/log.h"

static const char auth_bad_credentials[] = "wrong email or password";

/* {id, email, display_name, role, org_id} of a loaded account (no hash). New reference. */
static struct json_object *login_account_brief(const struct store_auth_account *a)
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
static int login_count_failure(struct db *db, const char *key, int64_t now, struct dom_err *err)
{
	int rc = db_begin(db);

	rc = rc ? rc : store_auth_login_failure_add(db, key, now, LOGIN_WINDOW_S);
	rc = rc ? rc : store_auth_login_failures_prune(db, now - LOGIN_WINDOW_S);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "login");
	}
	return auth_common_commit(db, err);
}

/* A login between its phases; see login.h. The password copy is wiped before the memory is freed. */
struct login_job {
	char key[SECRET_HASH_LEN + 1]; /* hash of the normalised login name (throttling key) */
	char shown[SECRET_SHORT_LEN + 1];
	struct store_auth_account account;
	bool known; /* an account has that name */
	bool ok;    /* set by login_check */
	char password[ACCOUNTS_PASSWORD_MAX * 4 + 1];
};

int login_begin(struct db *db, const char *email, const char *password, int64_t now, struct login_job **jobp,
		int64_t *retry_after, struct dom_err *err)
{
	char norm[AUTH_COMMON_EMAIL_MAX + 1];
	struct login_job *job;
	int64_t failures = 0, window_start = 0;
	int rc;

	*jobp = NULL;
	*retry_after = 0;
	if (!password)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'password' is required");
	if (strlen(password) >= sizeof(job->password))
		return dom_fail(err, DOM_INVALID, "invalid_field", "field 'password' is too long");
	rc = auth_common_email_normalise(email, norm, err);
	if (rc)
		return rc;
	job = calloc(1, sizeof(*job));
	if (!job)
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
	secret_hash(norm, strlen(norm), job->key);
	secret_short(norm, job->shown);

	rc = store_auth_login_failures_get(db, job->key, &failures, &window_start);
	if (rc && rc != STORE_NOT_FOUND) {
		login_job_free(job);
		return dom_from_store(err, rc, "login");
	}
	if (!rc && window_start > now - LOGIN_WINDOW_S && failures >= LOGIN_MAX_FAILURES) {
		*retry_after = window_start + LOGIN_WINDOW_S - now;
		if (*retry_after < 1)
			*retry_after = 1;
		log_notice("login throttled for name %s", job->shown);
		login_job_free(job);
		return dom_fail(err, DOM_THROTTLED, "too_many_attempts",
				"too many failed logins for this name; try again later");
	}
	rc = store_auth_account_by_email(db, norm, &job->account);
	if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
		login_job_free(job);
		return dom_from_store(err, rc, "account");
	}
	job->known = rc == STORE_OK;
	snprintf(job->password, sizeof(job->password), "%s", password);
	*jobp = job;
	return DOM_OK;
}

void login_check(struct login_job *job)
{
	if (job->known)
		job->ok =
		    password_verify(job->password, job->account.password_hash) == 1 && !job->account.disabled;
	else
		password_dummy_verify(job->password);
	OPENSSL_cleanse(job->password, sizeof(job->password));
	OPENSSL_cleanse(job->account.password_hash, sizeof(job->account.password_hash));
}

int login_finish(struct db *db, struct login_job *job, const char *old_session, int64_t now,
		 struct login_result *out, struct dom_err *err)
{
	char sid_hash[SECRET_HASH_LEN + 1], csrf_hash[SECRET_HASH_LEN + 1], old_hash[SECRET_HASH_LEN + 1];
	struct store_auth_account *a = &job->account;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!job->ok) {
		rc = login_count_failure(db, job->key, now, err);
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
	rc = rc ? rc
		: auth_common_log_change(db, now, "account", a->id, "account.login", a->org_id, NULL,
					 &out->seq);
	rc = rc ? rc : db_commit(db);
	if (rc)
		goto err;
	out->account = login_account_brief(a);
	log_info("login ok for account %" PRId64, a->id);
	return DOM_OK;
err:
	db_rollback(db);
	rc = auth_common_store(err, rc, "session");
	OPENSSL_cleanse(out->session, sizeof(out->session));
	OPENSSL_cleanse(out->csrf, sizeof(out->csrf));
	auth_common_log_failure(__func__, err);
	return rc;
}

void login_job_free(struct login_job *job)
{
	if (!job)
		return;
	OPENSSL_cleanse(job, sizeof(*job));
	free(job);
}

int login_run(struct db *db, const char *email, const char *password, const char *old_session, int64_t now,
	      struct login_result *out, struct dom_err *err)
{
	struct login_job *job;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = login_begin(db, email, password, now, &job, &out->retry_after, err);
	if (rc)
		return rc;
	login_check(job);
	rc = login_finish(db, job, old_session, now, out, err);
	login_job_free(job);
	return rc;
}

int login_logout(struct db *db, const char *session, int64_t now, int64_t *seq, struct dom_err *err)
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
		: auth_common_log_change(db, now, "account", s.account_id, "account.logout", a.org_id, NULL,
					 seq);
	rc = rc ? rc : db_commit(db);
	if (rc)
		goto err;
	return DOM_OK;
err:
	db_rollback(db);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "not logged in");
	rc = auth_common_store(err, rc, "session");
	auth_common_log_failure(__func__, err);
	return rc;
}
