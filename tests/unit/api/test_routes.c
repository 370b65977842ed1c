/*
 * test_routes: handlers in-process through the router (tests/unit/api/harness) — JSON 404 and 405 answers,
 * a bad body refused with nothing stored, a registration created with its change-log row, an event the
 * caller may not see answering like one that does not exist, a cookie session (login, CSRF), an
 * idempotent retry, credentials that do not hold, and two apps in one process each serving its own
 * participant page; it opens no socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/accounts.h"
#include "domain/auth.h"
#include "harness.h"
#include "util/secret.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int setup(void **state)
{
	static struct harness h;

	harness_open(&h, "routes", FIXTURE_EVENTS);
	*state = &h;
	return 0;
}

static int teardown(void **state)
{
	harness_close(*state);
	return 0;
}

/* What the store holds that a refused write must leave alone. */
struct stored {
	int64_t registrations, people, changes, outbox;
};

static struct stored stored_now(struct harness *h)
{
	return (struct stored){
	    .registrations = fixture_int(h->fx.db, "SELECT count(*) FROM registrations"),
	    .people = fixture_int(h->fx.db, "SELECT count(*) FROM people"),
	    .changes = fixture_int(h->fx.db, "SELECT count(*) FROM change_log"),
	    .outbox = fixture_int(h->fx.db, "SELECT count(*) FROM outbox"),
	};
}

static void assert_unchanged(struct harness *h, const struct stored *before)
{
	struct stored now = stored_now(h);

	assert_int_equal(now.registrations, before->registrations);
	assert_int_equal(now.people, before->people);
	assert_int_equal(now.changes, before->changes);
	assert_int_equal(now.outbox, before->outbox);
}

/* Unknown paths: 404 with the JSON error body, whoever asks and with whatever method. */
static void test_not_found(void **state)
{
	static const struct {
		enum http_method method;
		const char *path;
	} cases[] = {
	    {HTTP_GET, "/api/v1/nothing"},
	    {HTTP_POST, "/api/v1/nothing"},
	    {HTTP_GET, "/api/v1/events/0"},  /* an id is a positive integer */
	    {HTTP_GET, "/api/v1/events/1x"}, /* ... and only digits */
	    {HTTP_GET, "/api/v1/events/1/"}, /* no trailing slash */
	    {HTTP_DELETE, "/api/v1/events/1/sessions/1"},
	};
	struct harness *h = *state;
	struct harness_resp r;
	char want[160];

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *q = strchr(cases[i].path, '?');

		harness_call(h, &(struct harness_req){.method = cases[i].method, .path = cases[i].path}, &r);
		assert_int_equal(r.routed, 0);
		assert_int_equal(r.status, 404);
		assert_string_equal(r.resp.content_type, "application/json");
		assert_non_null(r.json);
		assert_string_equal(harness_error_code(&r), "not_found");
		snprintf(want, sizeof(want), "no such resource: %.*s",
			 q ? (int)(q - cases[i].path) : (int)strlen(cases[i].path), cases[i].path);
		assert_string_equal(json_object_get_string(harness_json_at(&r, "error", "message", NULL)),
				    want);
		assert_null(harness_header(&r, "Allow"));
		harness_resp_free(&r);
	}
}

/* A known path with another method: 405, the JSON error body and Allow listing the path's methods. */
static void test_method_not_allowed(void **state)
{
	static const struct {
		enum http_method method;
		const char *path, *allow;
	} cases[] = {
	    {HTTP_PUT, "/api/v1/events/1/registrations", "POST, GET, HEAD"},
	    {HTTP_DELETE, "/api/v1/events/1", "GET, PATCH, HEAD"},
	    {HTTP_PATCH, "/api/v1/events", "GET, POST, HEAD"},
	    {HTTP_GET, "/api/v1/events/1/cancel", "POST"},
	};
	struct harness *h = *state;
	struct stored before = stored_now(h);
	struct harness_resp r;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		harness_call(h,
			     &(struct harness_req){.method = cases[i].method,
						   .path = cases[i].path,
						   .bearer = h->admin,
						   .body = cases[i].method == HTTP_GET ? NULL : "{}"},
			     &r);
		assert_int_equal(r.routed, 0);
		assert_int_equal(r.status, 405);
		assert_string_equal(harness_error_code(&r), "method_not_allowed");
		assert_non_null(harness_header(&r, "Allow"));
		assert_string_equal(harness_header(&r, "Allow"), cases[i].allow);
		harness_resp_free(&r);
	}
	assert_unchanged(h, &before);
	assert_int_equal(h->n_changed, 0);
}

/* Bodies that are not a JSON object of known keys: 400 with the error body, nothing stored, nothing
 * announced; a body that is not JSON at all is 415 before it is read. */
static void test_bad_body_stores_nothing(void **state)
{
	static const struct {
		const char *body, *content_type;
		int status;
		const char *code;
	} cases[] = {
	    {"{\"name\": \"Amina\", ", NULL, 400, "invalid_json"},
	    {"[1, 2]", NULL, 400, "invalid_json"},
	    {"", NULL, 400, "invalid_json"},
	    {"{\"name\": \"Amina\", \"consent\": true, \"shoe_size\": 42}", NULL, 400, NULL},
	    {"{\"name\": 7, \"consent\": true}", NULL, 400, NULL},
	    {"{\"name\": \"Amina\", \"consent\": \"yes\"}", NULL, 400, NULL},
	    {"{\"name\": \"Amina\", \"consent\": true}", "text/plain", 415, "unsupported_media_type"},
	    {"{\"name\": \"Am\xffina\", \"consent\": true}", NULL, 400, "bad_request"},
	};
	struct harness *h = *state;
	struct stored before = stored_now(h);
	struct harness_resp r;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		harness_call(h,
			     &(struct harness_req){.method = HTTP_POST,
						   .path = "/api/v1/events/1/registrations",
						   .body = cases[i].body,
						   .content_type = cases[i].content_type},
			     &r);
		if (r.status != cases[i].status)
			fail_msg("case %zu: %d, want %d: %.*s", i, r.status, cases[i].status,
				 (int)r.resp.body.len, r.resp.body.data);
		assert_non_null(harness_error_code(&r));
		if (cases[i].code)
			assert_string_equal(harness_error_code(&r), cases[i].code);
		assert_non_null(harness_json_at(&r, "error", "message", NULL));
		harness_resp_free(&r);
	}
	assert_unchanged(h, &before);
	assert_int_equal(h->n_changed, 0);
}

/* A public registration: 201 with the registration, one person, one change-log row on the event's topic
 * announced to the change sink, and the personal link in the outbox. */
static void test_registration_created(void **state)
{
	struct harness *h = *state;
	struct stored before = stored_now(h);
	struct harness_resp r;
	struct json_object *id;
	char sql[160];
	int64_t seq;

	harness_call(
	    h,
	    &(struct harness_req){.method = HTTP_POST,
				  .path = "/api/v1/events/1/registrations",
				  .body = "{\"name\": \"Amina Idrissi\", \"email\": \"amina@example.org\", "
					  "\"consent\": true}"},
	    &r);
	if (r.status != 201)
		fail_msg("%d: %.*s", r.status, (int)r.resp.body.len, r.resp.body.data);
	assert_int_equal(r.routed, 1);
	id = harness_json_at(&r, "registration", "id", NULL);
	assert_non_null(id);
	assert_true(json_object_get_int64(id) > 0);
	assert_int_equal(fixture_int(h->fx.db, "SELECT count(*) FROM registrations"),
			 before.registrations + 1);
	assert_int_equal(fixture_int(h->fx.db, "SELECT count(*) FROM people"), before.people + 1);
	assert_int_equal(fixture_int(h->fx.db, "SELECT count(*) FROM change_log"), before.changes + 1);
	snprintf(sql, sizeof(sql),
		 "SELECT seq FROM change_log WHERE topic = 'event:1' AND kind LIKE 'registration.%%' AND "
		 "org_id = 1 AND json_extract(payload, '$.registration_id') = %lld",
		 (long long)json_object_get_int64(id));
	seq = fixture_int(h->fx.db, sql);
	assert_true(seq > 0);
	assert_int_equal(h->n_changed, 1);
	assert_int_equal(h->changed_seq, seq);
	/* the change-log row carries no personal data */
	assert_int_equal(fixture_int(h->fx.db, "SELECT count(*) FROM change_log WHERE payload LIKE '%amina%' "
					       "OR payload LIKE '%Idrissi%'"),
			 0);
	harness_resp_free(&r);
}

/* The same Idempotency-Key twice: the second answer is the first one replayed (same status and
 * registration, Idempotent-Replayed), and only one registration and one change-log row exist; a key of
 * the wrong shape is refused before anything is read. */
static void test_idempotent_replay(void **state)
{
	static const char body[] = "{\"name\": \"Amina Idrissi\", \"email\": \"amina@example.org\", "
				   "\"consent\": true}";
	struct harness *h = *state;
	struct stored before = stored_now(h);
	struct harness_req req = {.method = HTTP_POST,
				  .path = "/api/v1/events/1/registrations",
				  .body = body,
				  .idempotency_key = "retry-key-0001"};
	struct harness_resp first, again, bad;

	harness_call(h, &req, &first);
	assert_int_equal(first.status, 201);
	assert_null(harness_header(&first, "Idempotent-Replayed"));
	harness_call(h, &req, &again);
	assert_int_equal(again.status, 201);
	assert_non_null(harness_header(&again, "Idempotent-Replayed"));
	assert_string_equal(harness_header(&again, "Idempotent-Replayed"), "true");
	assert_int_equal(json_object_get_int64(harness_json_at(&again, "registration", "id", NULL)),
			 json_object_get_int64(harness_json_at(&first, "registration", "id", NULL)));
	assert_int_equal(fixture_int(h->fx.db, "SELECT count(*) FROM registrations"),
			 before.registrations + 1);
	assert_int_equal(fixture_int(h->fx.db, "SELECT count(*) FROM change_log"), before.changes + 1);
	assert_int_equal(h->n_changed, 1);
	harness_resp_free(&first);
	harness_resp_free(&again);

	before = stored_now(h);
	req.idempotency_key = "short";
	harness_call(h, &req, &bad);
	assert_int_equal(bad.status, 400);
	assert_string_equal(harness_error_code(&bad), "invalid_idempotency_key");
	harness_resp_free(&bad);
	assert_unchanged(h, &before);
}

/* Credentials that do not hold: 401 with the JSON error body, whatever the route, and nothing done. */
static void test_bad_credentials(void **state)
{
	static const struct {
		const char *authorization, *code;
	} cases[] = {
	    {"Basic dXNlcjpwYXNz", "invalid_token"},
	    {"Bearer not-a-token", "invalid_token"},
	    {"Bearer "
	     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	     NULL}, /* the shape, but no such token */
	};
	struct harness *h = *state;
	struct stored before = stored_now(h);
	struct harness_resp r;

	assert_int_equal(strlen(cases[2].authorization), strlen("Bearer ") + SECRET_TOKEN_LEN);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		harness_call(h,
			     &(struct harness_req){.method = HTTP_PATCH,
						   .path = "/api/v1/events/1",
						   .body = "{\"capacity\": 12}",
						   .authorization = cases[i].authorization},
			     &r);
		if (r.status != 401)
			fail_msg("case %zu: %d: %.*s", i, r.status, (int)r.resp.body.len, r.resp.body.data);
		assert_non_null(harness_error_code(&r));
		if (cases[i].code)
			assert_string_equal(harness_error_code(&r), cases[i].code);
		harness_resp_free(&r);
	}
	assert_unchanged(h, &before);
	assert_int_equal(fixture_int(h->fx.db, "SELECT capacity FROM events WHERE id = 1"), 10);
	/* the same write with a real token is done: the refusals were about the credentials */
	harness_call(h,
		     &(struct harness_req){.method = HTTP_PATCH,
					   .path = "/api/v1/events/1",
					   .body = "{\"capacity\": 12}",
					   .bearer = h->organiser_a},
		     &r);
	assert_int_equal(r.status, 200);
	harness_resp_free(&r);
	assert_int_equal(fixture_int(h->fx.db, "SELECT capacity FROM events WHERE id = 1"), 12);
}

/* The message s of the answer about event 999 as it would read about event 2. */
static void same_but_id(const char *s, char *out, size_t len)
{
	const char *at = strstr(s, "999");

	if (at)
		snprintf(out, len, "%.*s2%s", (int)(at - s), s, at + 3);
	else
		snprintf(out, len, "%s", s);
}

/* An event the caller may not see answers exactly as an absent one, for reads and for writes; its own
 * organisation sees it (so the answers above are not merely about an unknown id). */
static void test_invisible_event_is_absent(void **state)
{
	static const struct {
		bool organiser; /* else anonymous */
		enum http_method method;
		const char *suffix, *body;
	} cases[] = {
	    {false, HTTP_GET, "", NULL},
	    {false, HTTP_POST, "/registrations",
	     "{\"name\": \"Amina Idrissi\", \"email\": \"amina@example.org\", \"consent\": true}"},
	    {false, HTTP_POST, "/registrations/lost-link", "{\"contact\": \"amina@example.org\"}"},
	    {true, HTTP_GET, "", NULL},
	    {true, HTTP_GET, "/registrations", NULL},
	    {true, HTTP_GET, "/notifications", NULL},
	    {true, HTTP_POST, "/registrations",
	     "{\"name\": \"Amina Idrissi\", \"email\": \"amina@example.org\", \"consent\": true}"},
	    {true, HTTP_PATCH, "", "{\"capacity\": 20}"},
	    {true, HTTP_POST, "/cancel", "{}"},
	    {true, HTTP_POST, "/sessions",
	     "{\"starts_local\": \"2027-07-01T09:00:00\", \"ends_local\": \"2027-07-01T12:00:00\", "
	     "\"tz\": \"UTC\"}"},
	};
	struct harness *h = *state;
	struct harness_resp hidden, absent, own;
	struct stored before;
	char path[2][96], msg[2][256];

	fixture_exec(h->fx.db, "UPDATE events SET visibility = 'internal' WHERE id = 2");
	before = stored_now(h);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct harness_req req = {.method = cases[i].method,
					  .body = cases[i].body,
					  .bearer = cases[i].organiser ? h->organiser_a : NULL};

		snprintf(path[0], sizeof(path[0]), "/api/v1/events/2%s", cases[i].suffix);
		snprintf(path[1], sizeof(path[1]), "/api/v1/events/999%s", cases[i].suffix);
		req.path = path[0];
		harness_call(h, &req, &hidden);
		req.path = path[1];
		harness_call(h, &req, &absent);
		if (hidden.status != 404)
			fail_msg("%s %s: %d: %.*s", http_method_name(cases[i].method), path[0], hidden.status,
				 (int)hidden.resp.body.len, hidden.resp.body.data);
		assert_int_equal(hidden.routed, 1);
		assert_int_equal(absent.status, 404);
		assert_string_equal(harness_error_code(&hidden), harness_error_code(&absent));
		/* the messages may name the id asked for, and nothing else */
		snprintf(msg[0], sizeof(msg[0]), "%s",
			 json_object_get_string(harness_json_at(&hidden, "error", "message", NULL)));
		same_but_id(json_object_get_string(harness_json_at(&absent, "error", "message", NULL)),
			    msg[1], sizeof(msg[1]));
		assert_string_equal(msg[0], msg[1]);
		assert_int_equal(hidden.resp.n_headers, absent.resp.n_headers);
		harness_resp_free(&hidden);
		harness_resp_free(&absent);
	}
	assert_unchanged(h, &before);
	/* its own organiser sees it */
	harness_call(
	    h,
	    &(struct harness_req){.method = HTTP_GET, .path = "/api/v1/events/2", .bearer = h->organiser_b},
	    &own);
	assert_int_equal(own.status, 200);
	assert_int_equal(json_object_get_int64(harness_json_at(&own, "id", NULL)), 2);
	harness_resp_free(&own);
}

/* A cookie session end to end: the login (a deferred password check, run by the harness as the worker
 * thread would) sets the cookie and hands the CSRF token; a write with the cookie alone is refused and
 * stores nothing; with this site's Origin and the token it is done. */
static void test_cookie_session(void **state)
{
	struct harness *h = *state;
	struct dom_err err = {0};
	struct harness_resp r;
	static const struct {
		bool csrf;	    /* sends the session's CSRF token */
		const char *origin; /* NULL: no Origin header */
		int status;
		const char *code; /* NULL: not checked */
	} patches[] = {
	    {false, NULL, 403, "csrf_failed"},
	    {true, "http://evil.example", 403, NULL},
	    {true, "http://127.0.0.1", 200, NULL},
	};
	char cookie[160], csrf[SECRET_TOKEN_LEN + 1];
	const char *set, *end;
	int64_t id = 0, changes;
	size_t i;

	assert_int_equal(password_set_iterations(1000), 0); /* test hooks: a cheap hash */
	assert_int_equal(accounts_create(h->fx.db, "org@example.org", "Agent", "correct horse battery",
					 ROLE_ORGANISER, h->fx.org_a, h->fx.now, &id, &err),
			 DOM_OK);
	harness_call(h,
		     &(struct harness_req){.method = HTTP_POST,
					   .path = "/api/v1/auth/login",
					   .body =
					       "{\"email\": \"org@example.org\", \"password\": \"wrong horse "
					       "battery\"}"},
		     &r);
	assert_int_equal(r.status, 401);
	assert_null(harness_header(&r, "Set-Cookie"));
	harness_resp_free(&r);
	harness_call(
	    h,
	    &(struct harness_req){.method = HTTP_POST,
				  .path = "/api/v1/auth/login",
				  .body = "{\"email\": \"org@example.org\", \"password\": \"correct horse "
					  "battery\"}"},
	    &r);
	assert_true(r.deferred);
	if (r.status != 200)
		fail_msg("login: %d: %.*s", r.status, (int)r.resp.body.len, r.resp.body.data);
	set = harness_header(&r, "Set-Cookie");
	assert_non_null(set);
	assert_int_equal(strncmp(set, AUTH_SESSION_COOKIE "=", strlen(AUTH_SESSION_COOKIE) + 1), 0);
	end = strchr(set, ';');
	assert_non_null(end);
	snprintf(cookie, sizeof(cookie), "%.*s", (int)(end - set), set);
	assert_non_null(harness_json_at(&r, "csrf_token", NULL));
	snprintf(csrf, sizeof(csrf), "%s", json_object_get_string(harness_json_at(&r, "csrf_token", NULL)));
	harness_resp_free(&r);

	harness_call(
	    h, &(struct harness_req){.method = HTTP_GET, .path = "/api/v1/auth/me", .cookie = cookie}, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(r.json);
	assert_non_null(strstr(json_object_to_json_string(r.json), "org@example.org"));
	harness_resp_free(&r);

	/* the same PATCH with the cookie: without the CSRF token, from another Origin, then as it should be
	 */
	changes = fixture_int(h->fx.db, "SELECT count(*) FROM change_log");
	for (i = 0; i < N_ELEMS(patches); i++) {
		harness_call(h,
			     &(struct harness_req){.method = HTTP_PATCH,
						   .path = "/api/v1/events/1",
						   .body = "{\"capacity\": 12}",
						   .cookie = cookie,
						   .csrf_token = patches[i].csrf ? csrf : NULL,
						   .origin = patches[i].origin},
			     &r);
		if (r.status != patches[i].status)
			fail_msg("patch %zu: %d: %.*s", i, r.status, (int)r.resp.body.len, r.resp.body.data);
		if (patches[i].code)
			assert_string_equal(harness_error_code(&r), patches[i].code);
		if (r.status == 200)
			assert_int_equal(json_object_get_int64(harness_json_at(&r, "capacity", NULL)), 12);
		harness_resp_free(&r);
		if (patches[i].status != 200) {
			assert_int_equal(fixture_int(h->fx.db, "SELECT capacity FROM events WHERE id = 1"),
					 10);
			assert_int_equal(fixture_int(h->fx.db, "SELECT count(*) FROM change_log"), changes);
		}
	}
	assert_int_equal(fixture_int(h->fx.db, "SELECT capacity FROM events WHERE id = 1"), 12);
	assert_true(fixture_int(h->fx.db, "SELECT count(*) FROM change_log") > changes);
}

/* Writes text as dir/r.html. */
static void write_page(const char *dir, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/r.html", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Two apps in one process (two web roots): each serves its own participant page, read once per app. */
static void test_two_apps_own_pages(void **state)
{
	static const char *const pages[2] = {"<p>first</p>", "<p>second</p>"};
	struct harness h[2];
	struct harness_resp r;
	char dir[2][64], path[600];

	(void)state;
	for (int i = 0; i < 2; i++) {
		snprintf(dir[i], sizeof(dir[i]), "/tmp/majlis-pages-XXXXXX");
		assert_non_null(mkdtemp(dir[i]));
		write_page(dir[i], pages[i]);
		harness_open(&h[i], i ? "pages_b" : "pages_a", FIXTURE_EMPTY);
		snprintf(h[i].cfg.web_root, sizeof(h[i].cfg.web_root), "%s", dir[i]);
	}
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 2; i++) {
			harness_call(
			    &h[i],
			    &(struct harness_req){.method = HTTP_GET,
						  .path = "/r/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"},
			    &r);
			assert_int_equal(r.status, 200);
			assert_int_equal(r.resp.shared_len, strlen(pages[i]));
			assert_memory_equal(r.resp.shared, pages[i], strlen(pages[i]));
			harness_resp_free(&r);
		}
	for (int i = 0; i < 2; i++) {
		harness_close(&h[i]);
		snprintf(path, sizeof(path), "%s/r.html", dir[i]);
		unlink(path);
		rmdir(dir[i]);
	}
}

/* Writes text as dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The pages' table: each route serves its file of the web root with its cache policy; the routes of one
 * file share one read (the file changed on disk after the first answer is not read again, by any of its
 * routes); a file the web root lacks is a 404 page_missing for its routes only. */
static void test_pages_table(void **state)
{
	static const struct {
		const char *path;
		const char *body; /* NULL: 404 page_missing */
		const char *cache_control;
	} cases[] = {
	    {"/admin", "<p>shell</p>", "must-revalidate, private, max-age=300"},
	    {"/admin/people", "<p>shell</p>", "must-revalidate, private, max-age=300"},
	    {"/admin/events/12", NULL, NULL}, /* the dashboard: this web root has none */
	    {"/dashboard", "<p>shell</p>", "must-revalidate, private, max-age=300"},
	    {"/admin/numbers", "<p>officials</p>", "must-revalidate, private, max-age=300"},
	    {"/admin/organisations", "<p>officials</p>", "must-revalidate, private, max-age=300"},
	    {"/r/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "<p>personal</p>", "no-store"},
	    {"/admin/venues", NULL, NULL},
	    {"/admin/events/12/edit", NULL, NULL},
	};
	struct harness h;
	struct harness_resp r;
	char dir[64], path[600];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/majlis-pages-XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_file(dir, "admin.html", "<p>shell</p>");
	write_file(dir, "officials.html", "<p>officials</p>");
	write_file(dir, "r.html", "<p>personal</p>");
	harness_open(&h, "pages_table", FIXTURE_EMPTY);
	snprintf(h.cfg.web_root, sizeof(h.cfg.web_root), "%s", dir);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			harness_call(&h, &(struct harness_req){.method = HTTP_GET, .path = cases[i].path},
				     &r);
			if (!cases[i].body) {
				assert_int_equal(r.status, 404);
				assert_string_equal(harness_error_code(&r), "page_missing");
			} else {
				assert_int_equal(r.status, 200);
				assert_int_equal(r.resp.shared_len, strlen(cases[i].body));
				assert_memory_equal(r.resp.shared, cases[i].body, strlen(cases[i].body));
				assert_string_equal(harness_header(&r, "Cache-Control"),
						    cases[i].cache_control);
			}
			harness_resp_free(&r);
			/* once the shell has been answered, its file changes on disk: no route of it reads it
			 * again */
			if (!round && !i)
				write_file(dir, "admin.html", "<p>changed</p>");
		}
	}
	harness_close(&h);
	for (const char *const *n = (const char *const[]){"admin.html", "officials.html", "r.html", NULL}; *n;
	     n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		unlink(path);
	}
	rmdir(dir);
}

/* A test of this file with its own harness: setup before it, teardown after it. */
#define ROUTES_TEST(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    ROUTES_TEST(test_not_found),
	    ROUTES_TEST(test_method_not_allowed),
	    ROUTES_TEST(test_bad_body_stores_nothing),
	    ROUTES_TEST(test_registration_created),
	    ROUTES_TEST(test_invisible_event_is_absent),
	    ROUTES_TEST(test_cookie_session),
	    ROUTES_TEST(test_idempotent_replay),
	    ROUTES_TEST(test_bad_credentials),
	    cmocka_unit_test(test_two_apps_own_pages),
	    cmocka_unit_test(test_pages_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
