/*
 * imports: .ics import rules — permissions and defaults, the report a dry run and a commit share, the single
 * all-or-nothing transaction with change-log rows, and idempotence by (organisation, UID); it must not parse
 * HTTP, build SQL or touch libical (calendar/import does the reading).
 */
#include "domain/imports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/import.h"
#include "calendar/tz.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_events.h"
#include "store/store_imports.h"
#include "store/store_sessions.h"
#include "util/jsonx.h"

/* Per imported event: what the store says about it. Array element for one imports_run call. */
struct imports_state {
	int64_t existing_id; /* > 0: already imported as this event */
	int64_t created_id;
	int64_t *session_ids;
};

static struct json_object *imports_notes(const struct import_note *n, size_t count)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < count; i++) {
		struct json_object *o = json_object_new_object();

		jsonx_add_str(o, "component", n[i].component);
		jsonx_add_str(o, "uid", n[i].uid);
		jsonx_add_int(o, "line", n[i].line);
		jsonx_add_str(o, "reason", n[i].reason);
		json_object_array_add(arr, o);
	}
	return arr;
}

static void imports_add_instant(struct json_object *o, const char *key, const char *tz, int64_t t)
{
	char buf[32];

	jsonx_add_str(o, key, tz_format_instant(tz, t, buf) == TZ_OK ? buf : NULL);
}

/* The report of r, with the store's view st (ids when created or already there). New reference. */
static struct json_object *imports_report(const struct import_result *r, const struct imports_state *st,
					  const struct import_request *rq, int64_t org_id, const char *tz,
					  bool committed)
{
	struct json_object *o = json_object_new_object(), *events = json_object_new_array();
	struct json_object *counts, *ev, *sessions, *s, *w;
	int64_t ne = 0, ns = 0;

	jsonx_add_bool(o, "dry_run", !rq->commit);
	jsonx_add_int(o, "org_id", org_id);
	jsonx_add_str(o, "tz", tz);
	for (size_t i = 0; i < r->n_events; i++) {
		const struct import_event *e = &r->events[i];
		bool fresh = st[i].existing_id <= 0;

		ev = json_object_new_object();
		jsonx_add_str(ev, "uid", e->uid);
		jsonx_add_str(ev, "summary", e->summary);
		jsonx_add_int(ev, "line", e->line);
		jsonx_add_str(ev, "status", fresh ? (committed ? "created" : "new") : "already_imported");
		if (!fresh)
			jsonx_add_int(ev, "id", st[i].existing_id);
		else if (committed)
			jsonx_add_int(ev, "id", st[i].created_id);
		else
			jsonx_add_str(ev, "id", NULL);
		sessions = json_object_new_array();
		for (size_t k = 0; k < e->n_sessions; k++) {
			const struct import_session *x = &e->sessions[k];

			s = json_object_new_object();
			jsonx_add_str(s, "starts_local", x->starts_local);
			jsonx_add_str(s, "ends_local", x->ends_local);
			jsonx_add_str(s, "tz", x->tz);
			imports_add_instant(s, "starts_at", x->tz, x->start_utc);
			imports_add_instant(s, "ends_at", x->tz, x->end_utc);
			if (committed && fresh)
				jsonx_add_int(s, "id", st[i].session_ids[k]);
			json_object_array_add(sessions, s);
		}
		json_object_object_add(ev, "sessions", sessions);
		w = json_object_new_array();
		if (!fresh)
			json_object_array_add(w, json_object_new_string("already imported: nothing changes"));
		for (size_t k = 0; k < e->n_warnings; k++)
			json_object_array_add(w, json_object_new_string(e->warnings[k]));
		json_object_object_add(ev, "warnings", w);
		json_object_array_add(events, ev);
		if (fresh) {
			ne++;
			ns += (int64_t)e->n_sessions;
		}
	}
	counts = json_object_new_object();
	jsonx_add_int(counts, "events", ne);
	jsonx_add_int(counts, "sessions", ns);
	json_object_object_add(o, "would_create", counts);
	if (committed) {
		counts = json_object_new_object();
		jsonx_add_int(counts, "events", ne);
		jsonx_add_int(counts, "sessions", ns);
		json_object_object_add(o, "created", counts);
	}
	json_object_object_add(o, "events", events);
	json_object_object_add(o, "skipped", imports_notes(r->skipped, r->n_skipped));
	json_object_object_add(o, "refused", imports_notes(r->refused, r->n_refused));
	return o;
}

/* Checks role, organisation and venue; fills *org_id and the zone. 0 or err filled. */
static int imports_check(struct db *db, const struct principal *p, const struct import_request *rq,
			 int64_t *org_id, char tz[EVENT_ZONE_LEN], struct dom_err *err)
{
	int rc;

	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL, "only an admin or an organiser may import events");
	*org_id = rq->org_id;
	if (!*org_id) {
		if (p->role != ROLE_ORGANISER)
			return dom_fail(
			    err, DOM_INVALID, "missing_field",
			    "query parameter 'org_id' is required: the organisation to import into");
		*org_id = p->org_id;
	}
	if (!principal_manages_org(p, *org_id))
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"an organiser may only import events into their own organisation");
	rc = store_org_exists(db, *org_id);
	if (rc < 0)
		return dom_from_store(err, rc, "organisation");
	if (!rc)
		return dom_fail(err, DOM_UNPROCESSABLE, "unknown_organisation",
				"organisation %lld does not exist", (long long)*org_id);
	tz[0] = '\0';
	if (rq->venue_id > 0) {
		rc = store_venue_tz(db, rq->venue_id, tz);
		if (rc == STORE_NOT_FOUND)
			return dom_fail(err, DOM_UNPROCESSABLE, "unknown_venue", "venue %lld does not exist",
					(long long)rq->venue_id);
		if (rc)
			return dom_from_store(err, rc, "venue");
	}
	if (rq->tz)
		snprintf(tz, EVENT_ZONE_LEN, "%s", rq->tz);
	else if (!tz[0] || !tz_zone_valid(tz))
		snprintf(tz, EVENT_ZONE_LEN, "%s", TZ_DEFAULT_ZONE);
	if (!tz_zone_valid(tz))
		return dom_fail(err, DOM_INVALID, "invalid_query",
				"query parameter 'tz' must name a time zone of the tz database such as "
				"\"Africa/Casablanca\"");
	return 0;
}

/* Looks up which events of r the organisation already imported. 0 or err filled. */
static int imports_lookup(struct db *db, const struct import_result *r, int64_t org_id,
			  struct imports_state *st, struct dom_err *err)
{
	for (size_t i = 0; i < r->n_events; i++) {
		int rc = store_import_find(db, org_id, r->events[i].uid, &st[i].existing_id);

		if (rc < 0)
			return dom_from_store(err, rc, "event");
		if (!rc)
			st[i].existing_id = 0;
	}
	return 0;
}

static int imports_log(struct db *db, int64_t now, int64_t org_id, int64_t event_id, int64_t session_id,
		       int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "event:%lld", (long long)event_id);
	jsonx_add_int(payload, "event_id", event_id);
	if (session_id > 0)
		jsonx_add_int(payload, "session_id", session_id);
	jsonx_add_int(payload, "sequence", 0);
	if (session_id <= 0)
		jsonx_add_str(payload, "status", "scheduled");
	jsonx_add_bool(payload, "imported", true);
	rc = db_changelog(db, topic, session_id > 0 ? "session.created" : "event.created", org_id, payload,
			  now, seq);
	json_object_put(payload);
	return rc;
}

/* Inside the transaction: inserts event e with its sessions. 0 or negative store_rc. */
static int imports_insert(struct db *db, const struct import_request *rq, int64_t org_id,
			  const struct import_event *e, int64_t now, struct imports_state *st, int64_t *seq)
{
	struct event_row r;
	struct session_row s;
	int rc;

	memset(&r, 0, sizeof(r));
	snprintf(r.type, sizeof(r.type), "%s", rq->type ? rq->type : "workshop");
	snprintf(r.visibility, sizeof(r.visibility), "%s", rq->visibility ? rq->visibility : "internal");
	snprintf(r.status, sizeof(r.status), "scheduled");
	r.org_id = org_id;
	r.venue_id = rq->venue_id;
	r.capacity = rq->has_capacity ? rq->capacity : IMPORTS_DEFAULT_CAPACITY;
	r.created_at = now;
	r.updated_at = now;
	rc = event_row_set(&r.title[rq->lang], e->summary);
	rc = rc ? rc : event_row_set(&r.description[rq->lang], e->description);
	rc = rc ? rc : store_event_insert(db, &r);
	rc = rc ? rc : store_import_set_uid(db, r.id, e->uid);
	rc = rc ? rc : imports_log(db, now, org_id, r.id, 0, seq);
	st->created_id = r.id;
	event_row_clear(&r);
	if (rc)
		return rc;
	st->session_ids = calloc(e->n_sessions ? e->n_sessions : 1, sizeof(int64_t));
	if (!st->session_ids)
		return STORE_ERROR;
	for (size_t k = 0; k < e->n_sessions && !rc; k++) {
		const struct import_session *x = &e->sessions[k];

		memset(&s, 0, sizeof(s));
		s.event_id = st->created_id;
		snprintf(s.starts_local, sizeof(s.starts_local), "%s", x->starts_local);
		snprintf(s.ends_local, sizeof(s.ends_local), "%s", x->ends_local);
		snprintf(s.tz, sizeof(s.tz), "%s", x->tz);
		s.start_utc = x->start_utc;
		s.end_utc = x->end_utc;
		s.start_offset = x->start_offset;
		s.end_offset = x->end_offset;
		s.created_at = now;
		s.updated_at = now;
		rc = store_session_insert(db, &s);
		if (!rc) {
			st->session_ids[k] = s.id;
			rc = imports_log(db, now, org_id, st->created_id, s.id, seq);
		}
	}
	return rc;
}

/* Fills err with the import_refused result naming the first refusal. */
static int imports_refused(const struct import_result *r, struct dom_err *err)
{
	const struct import_note *n = &r->refused[0];

	if (r->fatal)
		return dom_fail(err, DOM_UNPROCESSABLE, "import_refused", "the file is refused (line %d): %s",
				n->line, n->reason);
	return dom_fail(err, DOM_UNPROCESSABLE, "import_refused",
			"%zu component(s) refused, nothing was imported (send skip_refused=1 to import the "
			"rest); first: %s line %d: %s",
			r->n_refused, n->component, n->line, n->reason);
}

/* An import between its checks, its reading (any thread) and its writing (service thread). */
struct imports_job {
	struct import_request rq; /* rq.tz points into tz_arg */
	char tz_arg[EVENT_ZONE_LEN];
	int64_t org_id;
	char tz[EVENT_ZONE_LEN]; /* the zone of floating and UTC times */
	char *text;
	size_t len;
	struct import_result r;
	bool parsed;
	bool out_of_memory;
};

int imports_begin(struct db *db, const struct principal *p, const struct import_request *rq, const char *text,
		  size_t len, struct imports_job **job, struct dom_err *err)
{
	struct imports_job *j;
	int rc;

	*job = NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
	rc = imports_check(db, p, rq, &j->org_id, j->tz, err);
	if (!rc && (rq->lang < 0 || rq->lang >= EVENT_LANGS))
		rc = dom_fail(err, DOM_INVALID, "invalid_query",
			      "query parameter 'lang' must be fr, ar or en");
	if (rc) {
		free(j);
		return rc;
	}
	j->rq = *rq;
	if (rq->tz) {
		snprintf(j->tz_arg, sizeof(j->tz_arg), "%s", rq->tz);
		j->rq.tz = j->tz_arg;
	}
	j->text = malloc(len + 1);
	if (!j->text) {
		free(j);
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
	}
	memcpy(j->text, text, len);
	j->text[len] = '\0';
	j->len = len;
	*job = j;
	return DOM_OK;
}

void imports_read(struct imports_job *job)
{
	struct import_options opt = {.zone = job->tz};

	tz_read_begin();
	job->out_of_memory = import_parse(job->text, job->len, &opt, &job->r) != 0;
	tz_read_end();
	job->parsed = true;
	free(job->text);
	job->text = NULL;
}

int imports_finish(struct db *db, struct imports_job *job, int64_t now, struct json_object **out,
		   int64_t *created, int64_t *seq, struct dom_err *err)
{
	const struct import_request *rq = &job->rq;
	struct import_result *r = &job->r;
	struct imports_state *st = NULL;
	int64_t n_created = 0;
	bool in_txn = false;
	int rc;

	*out = NULL;
	if (created)
		*created = 0;
	if (!job->parsed || job->out_of_memory)
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory while reading the file");
	st = calloc(r->n_events ? r->n_events : 1, sizeof(*st));
	if (!st)
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
	if (r->fatal || (rq->commit && r->n_refused && !rq->skip_refused)) {
		rc = imports_lookup(db, r, job->org_id, st, err);
		if (!rc) {
			*out = imports_report(r, st, rq, job->org_id, job->tz, false);
			rc = imports_refused(r, err);
		}
		goto out;
	}
	if (rq->commit) {
		rc = db_begin(db);
		if (rc) {
			rc = dom_from_store(err, rc, "event");
			goto out;
		}
		in_txn = true;
	}
	/* inside the transaction when committing: no other writer slips in between look-up and insert */
	rc = imports_lookup(db, r, job->org_id, st, err);
	if (rc)
		goto out;
	for (size_t i = 0; rq->commit && i < r->n_events; i++) {
		if (st[i].existing_id > 0)
			continue;
		rc = imports_insert(db, rq, job->org_id, &r->events[i], now, &st[i], seq);
		if (rc) {
			rc = dom_from_store(err, rc, "event");
			goto out;
		}
		n_created++;
	}
	if (in_txn) {
		rc = db_commit(db);
		in_txn = false;
		if (rc) {
			rc = dom_from_store(err, rc, "event");
			goto out;
		}
	}
	if (created)
		*created = n_created;
	*out = imports_report(r, st, rq, job->org_id, job->tz, rq->commit);
out:
	if (in_txn)
		db_rollback(db);
	for (size_t i = 0; i < r->n_events; i++)
		free(st[i].session_ids);
	free(st);
	return rc;
}

void imports_job_free(struct imports_job *job)
{
	if (!job)
		return;
	free(job->text);
	import_result_free(&job->r);
	free(job);
}

int imports_run(struct db *db, const struct principal *p, const struct import_request *rq, const char *text,
		size_t len, int64_t now, struct json_object **out, int64_t *created, int64_t *seq,
		struct dom_err *err)
{
	struct imports_job *job;
	int rc;

	*out = NULL;
	if (created)
		*created = 0;
	rc = imports_begin(db, p, rq, text, len, &job, err);
	if (rc)
		return rc;
	imports_read(job);
	rc = imports_finish(db, job, now, out, created, seq, err);
	imports_job_free(job);
	return rc;
}
