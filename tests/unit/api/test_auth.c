/*
 * test_auth: api/auth in-process on a fresh SQLite file in /tmp — api_auth on requests built in memory:
 * bearer tokens (valid, revoked, malformed), the session cookie, and for writes by cookie the Origin and
 * CSRF checks against the request's host or --public-url; it opens no socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "fixture.h"
#include "config.h"
#include "domain/api_tokens.h"
#include "domain/auth.h"
#include "domain/login.h"
#include "store/db.h"
#include "util/secret.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define T0	   FIXTURE_NOW
#define PW	   FIXTURE_PASSWORD

/* One per test: a fresh store (tests/unit/fixture) with organisations 1 and 2, events 1 (org 1) and 2
 * (org 2) and session 1 of event 1. */
static int setup(void **state)
{
	return fixture_setup(state, "api_auth", FIXTURE_EVENTS, NULL);
}

/* api_auth: bearer, cookie, Origin and CSRF through a request built in memory. */
static void api_auth_checks(void **state)
{
	struct fixture *f = *state;
	struct config cfg;
	struct app app = {.cfg = &cfg, .db = f->db};
	struct login_result out;
	struct dom_err err;
	char tok[SECRET_TOKEN_LEN + 1];
	char revoked[SECRET_TOKEN_LEN + 1];
	int64_t tid = 0, seq = 0;
	struct principal admin = {.role = ROLE_ADMIN};

	config_defaults(&cfg);
	fixture_account(f->db, "w@example.org", ROLE_ORGANISER, 1);
	assert_int_equal(login_run(f->db, "w@example.org", PW, NULL, T0, &out, &err), DOM_OK);
	json_object_put(out.account);
	assert_int_equal(api_tokens_create(f->db, ROLE_VIEWER, 1, "v", T0, tok, NULL, &err), DOM_OK);
	assert_int_equal(api_tokens_create(f->db, ROLE_VIEWER, 1, "v", T0, revoked, &tid, &err), DOM_OK);
	assert_int_equal(api_tokens_revoke(f->db, &admin, tid, T0, &seq, &err), DOM_OK);

	{
		const struct {
			enum http_method m;
			const char *authorization; /* "%s" takes tok, "%r" revoked */
			bool cookie;
			const char *origin;
			bool csrf;
			const char *public_url;
			bool required;
			int want_rc, want_status;
			enum role want_role;
		} cases[] = {
		    {HTTP_GET, "", false, "", false, "", false, 0, 200, ROLE_NONE},
		    {HTTP_GET, "", false, "", false, "", true, -1, 401, ROLE_NONE},
		    {HTTP_GET, "tok", false, "", false, "", true, 0, 200, ROLE_VIEWER},
		    {HTTP_POST, "tok", false, "", false, "", true, 0, 200, ROLE_VIEWER},
		    {HTTP_GET, "revoked", false, "", false, "", false, -1, 401, ROLE_NONE},
		    {HTTP_GET, "Bearer junk", false, "", false, "", false, -1, 401, ROLE_NONE},
		    {HTTP_GET, "Basic abc", true, "", false, "", false, -1, 401, ROLE_NONE},
		    {HTTP_GET, "", true, "", false, "", true, 0, 200, ROLE_ORGANISER},
		    {HTTP_POST, "", true, "", false, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "http://majlis.test", false, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "", true, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "http://evil.test", true, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "https://majlis.test", true, "", true, -1, 403, ROLE_NONE},
		    {HTTP_POST, "", true, "http://majlis.test", true, "", true, 0, 200, ROLE_ORGANISER},
		    {HTTP_DELETE, "", true, "http://majlis.test", true, "", true, 0, 200, ROLE_ORGANISER},
		    {HTTP_PATCH, "", true, "https://majlis.example.org", true,
		     "https://majlis.example.org/app", true, 0, 200, ROLE_ORGANISER},
		    {HTTP_PUT, "", true, "https://other.example.org", true, "https://majlis.example.org",
		     true, -1, 403, ROLE_NONE},
		};

		for (size_t i = 0; i < N_ELEMS(cases); i++) {
			struct request req;
			struct response resp;
			struct principal p;
			int rc;

			memset(&req, 0, sizeof(req));
			req.method = cases[i].m;
			req.now = T0 + 1;
			snprintf(req.host, sizeof(req.host), "majlis.test");
			if (!strcmp(cases[i].authorization, "tok"))
				snprintf(req.authorization, sizeof(req.authorization), "Bearer %s", tok);
			else if (!strcmp(cases[i].authorization, "revoked"))
				snprintf(req.authorization, sizeof(req.authorization), "Bearer %s", revoked);
			else
				snprintf(req.authorization, sizeof(req.authorization), "%s",
					 cases[i].authorization);
			if (cases[i].cookie)
				snprintf(req.cookie, sizeof(req.cookie), "lang=fr; %s=%s",
					 AUTH_SESSION_COOKIE, out.session);
			snprintf(req.origin, sizeof(req.origin), "%s", cases[i].origin);
			if (cases[i].csrf)
				snprintf(req.csrf_token, sizeof(req.csrf_token), "%s", out.csrf);
			snprintf(cfg.public_url, sizeof(cfg.public_url), "%s", cases[i].public_url);
			response_init(&resp);
			rc = api_auth(&app, &req, &resp, &p, cases[i].required);
			if (rc != cases[i].want_rc || resp.status != cases[i].want_status ||
			    p.role != cases[i].want_role)
				fail_msg("case %zu: rc %d status %d role %d", i, rc, resp.status, p.role);
			if (cases[i].want_status == 403 && !strstr(resp.body.data, "csrf_failed"))
				fail_msg("case %zu: want csrf_failed", i);
			response_free(&resp);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(api_auth_checks, setup, fixture_teardown),
	};

	if (fixture_cheap_hashes("api.test_auth"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
