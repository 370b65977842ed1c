/*
 * harness: handlers in-process — a request built from a few fields goes through router_dispatch exactly as
 * the transport hands it over (the body's byte check first, a deferred job run to its end), and the
 * response comes back with its status, headers and parsed JSON body; it opens no socket and must not
 * be linked into majlisd.
 */
#ifndef MAJLIS_TESTS_UNIT_API_HARNESS_H
#define MAJLIS_TESTS_UNIT_API_HARNESS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/app.h"
#include "api/router.h"
#include "config.h"
#include "fixture.h"
#include "util/secret.h"

/* One per test: the fixture's store, the app every handler is given (default settings) and bearer tokens
 * of an admin and of organisers of organisations A and B (FIXTURE_ORGS or more), made in the store. */
struct harness {
	struct fixture fx;
	struct config cfg;
	struct app app;
	int64_t changed_seq; /* the last seq told to the app's change sink; 0: none yet */
	int n_changed;	     /* how many times the sink was told */
	char admin[SECRET_TOKEN_LEN + 1];
	char organiser_a[SECRET_TOKEN_LEN + 1];
	char organiser_b[SECRET_TOKEN_LEN + 1];
};

/* What a client sends. Absent fields (NULL) are absent headers; path may carry "?query". */
struct harness_req {
	enum http_method method;
	const char *path;
	const char *body;	   /* NULL: no body */
	const char *content_type;  /* NULL with a body: application/json */
	const char *bearer;	   /* a token: "Authorization: Bearer <bearer>" */
	const char *authorization; /* a raw Authorization header (wins over bearer) */
	const char *cookie;
	const char *csrf_token;
	const char *origin;
	const char *idempotency_key;
	const char *client; /* the peer's address; NULL: 127.0.0.1 */
};

/* What came back. Free with harness_resp_free. */
struct harness_resp {
	int routed;		  /* router_dispatch's answer: 1 when a route matched */
	bool deferred;		  /* the handler handed work off the service thread (struct defer) */
	int status;		  /* resp.status */
	struct response resp;	  /* headers, content type and the raw body (resp.body) */
	struct json_object *json; /* the body parsed when it is JSON, else NULL; owned here */
};

/* Opens the fixture with seed and wires the app; fails the test on error. */
void harness_open(struct harness *h, const char *name, enum fixture_seed seed);
void harness_close(struct harness *h);

/* Sends in at the fixture's now through the router and fills out (which the caller frees). */
void harness_call(struct harness *h, const struct harness_req *in, struct harness_resp *out);
void harness_resp_free(struct harness_resp *r);

/* The value of header name (any case) in r, or NULL. */
const char *harness_header(const struct harness_resp *r, const char *name);
/* error.code of a JSON error body, or NULL. */
const char *harness_error_code(const struct harness_resp *r);
/* A member of the JSON body by a path of keys ("registration", "id", NULL), or NULL. */
struct json_object *harness_json_at(const struct harness_resp *r, ...);

#endif
