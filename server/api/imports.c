/*
 * imports: the HTTP handler of POST /api/v1/events/import — content type, query parameters, authentication,
 * one domain call, render; no SQL, no iCalendar reading and no rules of its own (domain/imports.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/router.h"
#include "domain/events.h"
#include "domain/imports.h"

#define IMPORTS_CAPACITY_MAX 1000000

static const char *const imports_visibilities[] = {"public", "invited", "internal", NULL};
static const char *const imports_langs[] = {"fr", "ar", "en", NULL};

/* Whether the Content-Type is text/calendar (parameters such as charset allowed). */
static bool imports_is_calendar(const char *ct)
{
	size_t n = strcspn(ct, ";");

	while (n && ct[n - 1] == ' ')
		n--;
	return n == strlen("text/calendar") && !strncasecmp(ct, "text/calendar", n);
}

/* An optional 0/1 flag: *out set. 0 or -1 (400 filled). */
static int imports_query_flag(const struct request *req, struct response *resp, const char *key, bool dflt,
			      bool *out)
{
	char v[8];
	int rc = api_query_text(req, resp, key, v, sizeof(v));

	*out = dflt;
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 0;
	if (!strcmp(v, "1") || !strcmp(v, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "0") || !strcmp(v, "false")) {
		*out = false;
		return 0;
	}
	api_fail(resp, API_BAD_REQUEST, "invalid_query", "query parameter '%s' must be 0 or 1", key);
	return -1;
}

/* Reads every query parameter into rq (tz into tzbuf). 0 or -1 with a 400 filled. */
static int imports_query(const struct request *req, struct response *resp, struct import_request *rq,
			 char *tzbuf, size_t tzlen)
{
	char cap[24];
	bool dry_run;
	int idx, rc;

	memset(rq, 0, sizeof(*rq));
	if (api_query_id(req, resp, "org_id", &rq->org_id) < 0 ||
	    api_query_id(req, resp, "venue_id", &rq->venue_id) < 0)
		return -1;
	if (imports_query_flag(req, resp, "dry_run", true, &dry_run) ||
	    imports_query_flag(req, resp, "skip_refused", false, &rq->skip_refused))
		return -1;
	rq->commit = !dry_run;
	rc = api_query_enum(req, resp, "type", events_types, &idx);
	if (rc < 0)
		return -1;
	if (rc)
		rq->type = events_types[idx];
	rc = api_query_enum(req, resp, "visibility", imports_visibilities, &idx);
	if (rc < 0)
		return -1;
	if (rc)
		rq->visibility = imports_visibilities[idx];
	rc = api_query_enum(req, resp, "lang", imports_langs, &idx);
	if (rc < 0)
		return -1;
	rq->lang = rc ? idx : 0;
	rc = api_query_text(req, resp, "capacity", cap, sizeof(cap));
	if (rc < 0)
		return -1;
	if (rc) {
		char *end;
		long long n = strtoll(cap, &end, 10);

		if (end == cap || *end || n < 0 || n > IMPORTS_CAPACITY_MAX) {
			api_fail(resp, API_BAD_REQUEST, "invalid_query",
				 "query parameter 'capacity' must be a whole number from 0 to %d",
				 IMPORTS_CAPACITY_MAX);
			return -1;
		}
		rq->has_capacity = true;
		rq->capacity = n;
	}
	rc = api_query_text(req, resp, "tz", tzbuf, tzlen);
	if (rc < 0)
		return -1;
	rq->tz = rc ? tzbuf : NULL;
	return 0;
}

/* An import whose file is read on the worker thread (struct defer): up to ~1 s of CPU for a large file,
 * which the service thread must not spend while other clients wait. */
struct imports_defer {
	struct defer d;
	struct imports_job *job;
};

static void imports_read_cb(struct defer *d)
{
	imports_read(((struct imports_defer *)d)->job);
}

static void imports_finish_cb(struct app *app, const struct request *req, struct defer *d,
			      struct response *resp)
{
	struct json_object *out = NULL, *refused = NULL;
	struct dom_err e = {0};
	int64_t created = 0, seq = 0;

	if (imports_finish(app->db, ((struct imports_defer *)d)->job, req->now, &out, &created, &seq, &e)) {
		if (out && json_object_object_get_ex(out, "refused", &refused))
			json_object_get(refused);
		json_object_put(out);
		api_fail_dom_extra(resp, &e, "refused", refused);
		return;
	}
	if (created > 0) {
		app_changed(app, seq);
		api_reply(resp, API_CREATED, out);
		return;
	}
	api_reply(resp, API_OK, out);
}

static void imports_release_cb(struct defer *d)
{
	imports_job_free(((struct imports_defer *)d)->job);
	free(d);
}

static void imports_post(struct app *app, const struct request *req, const struct route_args *args,
			 struct response *resp)
{
	struct imports_defer *id;
	struct principal p = {0};
	struct dom_err e = {0};
	struct import_request rq;
	char tz[64];

	(void)args;
	if (api_auth(app, req, resp, &p, true))
		return;
	if (!imports_is_calendar(req->content_type)) {
		api_fail(resp, API_UNSUPPORTED_MEDIA, NULL, "send the file as text/calendar");
		return;
	}
	if (imports_query(req, resp, &rq, tz, sizeof(tz)))
		return;
	id = calloc(1, sizeof(*id));
	if (!id) {
		api_fail(resp, API_INTERNAL, NULL, "out of memory");
		return;
	}
	if (imports_begin(app->db, &p, &rq, req->body ? req->body : "", req->body ? req->body_len : 0,
			  &id->job, &e)) {
		free(id);
		api_fail_dom(resp, &e);
		return;
	}
	id->d.run = imports_read_cb;
	id->d.finish = imports_finish_cb;
	id->d.release = imports_release_cb;
	resp->defer = &id->d;
}

const struct route api_imports_routes[] = {
    {HTTP_POST, "/api/v1/events/import", imports_post},
    {0},
};
