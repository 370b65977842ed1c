/*
 * imports: the rules of importing an .ics file into events and sessions — who may import into which
 * organisation, defaults, what a dry run reports, the all-or-nothing commit with its change-log rows, and
 * re-imports by UID creating nothing twice; it never parses HTTP, builds SQL or reads iCalendar itself.
 */
#ifndef MAJLIS_DOMAIN_IMPORTS_H
#define MAJLIS_DOMAIN_IMPORTS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

#define IMPORTS_DEFAULT_CAPACITY 30

/* What the client asked for (query parameters). Strings are borrowed for the call. Lives on the handler's
 * stack. */
struct import_request {
	int64_t org_id;		/* 0: the organiser's own organisation (an admin must name one) */
	int64_t venue_id;	/* 0: none */
	const char *type;	/* "training", "workshop" (default when NULL) or "concertation" */
	const char *visibility; /* "public", "invited" or "internal" (default when NULL) */
	bool has_capacity;
	int64_t capacity; /* default IMPORTS_DEFAULT_CAPACITY */
	int lang;	  /* 0 fr (default), 1 ar, 2 en: which title_ and description_ SUMMARY fills */
	const char *tz;	  /* zone of floating and UTC times; NULL: the venue's zone, else Africa/Casablanca */
	bool commit;	  /* false: dry run */
	bool skip_refused; /* commit what can be imported even when some components are refused */
};

/*
 * Reads the iCalendar text (len bytes) and reports what it would create (dry run) or creates it (commit) in
 * ONE transaction: each new event with its sessions, its import UID and change-log rows ("event.created",
 * "session.created"); events whose UID the organisation already imported are reported "already_imported"
 * and left alone. *out gets the report (caller puts):
 * {"dry_run","org_id","tz","would_create":{"events","sessions"},"events":[{"uid","summary","line","status",
 * "id","sessions":[{"starts_local","ends_local","tz","starts_at","ends_at","id"}],"warnings"}],
 * "skipped":[note],"refused":[note]} with note {"component","uid","line","reason"}, plus
 * "created":{"events","sessions"} after a commit. Returns 0; or DOM_UNPROCESSABLE "import_refused" when the
 * file is refused as a whole, or when committing with refused components and without skip_refused — *out
 * then still holds the report, nothing is written; or another dom_code with err filled and *out NULL.
 * *created (may be NULL) gets the number of events created. Service thread only.
 */
int imports_run(struct db *db, const struct principal *p, const struct import_request *rq, const char *text,
		size_t len, int64_t now, struct json_object **out, int64_t *created, int64_t *seq,
		struct dom_err *err);

/* The same in three steps, so that reading the file (CPU only, up to ~1 s for a large one) runs off the
 * service thread: imports_begin checks permissions and the query and copies the text (service thread);
 * imports_read reads the file (any one thread, no database); imports_finish reports or commits as
 * imports_run does (service thread). imports_job_free frees the job (any thread; NULL accepted). */
struct imports_job;
int imports_begin(struct db *db, const struct principal *p, const struct import_request *rq, const char *text,
		  size_t len, struct imports_job **job, struct dom_err *err);
void imports_read(struct imports_job *job);
int imports_finish(struct db *db, struct imports_job *job, int64_t now, struct json_object **out,
		   int64_t *created, int64_t *seq, struct dom_err *err);
void imports_job_free(struct imports_job *job);

#endif
