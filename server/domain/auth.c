/*
 * auth: resolves a cookie session or a bearer token to a principal, checks CSRF tokens and a live
 * connection's credential, and says who may check people in; it keeps only hashes of secrets and must
 * never log a token, cookie or email (a secret_short() or an id at most).
 */
#include "domain/auth.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/store_auth.h"

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
