/*
 * import: reads an iCalendar file (RFC 5545) strictly — structure, bytes and date texts checked on the raw
 * text before libical sees them — and turns each VEVENT into plain C structs (sessions as wall time + zone
 * + UTC instants, recurrences expanded and bounded); it knows no database and no domain type.
 */
#ifndef MAJLIS_CALENDAR_IMPORT_H
#define MAJLIS_CALENDAR_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/tz.h"

#define IMPORT_MAX_BYTES       (8 * 1024 * 1024) /* whole file */
#define IMPORT_MAX_COMPONENTS  1000		 /* BEGIN lines, VCALENDAR and VTIMEZONE parts included */
#define IMPORT_MAX_DEPTH       4		 /* VCALENDAR > VEVENT > VALARM is 3 */
#define IMPORT_MAX_OCCURRENCES 200		 /* sessions of one event */
#define IMPORT_TITLE_MAX       300		 /* code points kept of SUMMARY */
#define IMPORT_DESCRIPTION_MAX 10000		 /* code points kept of DESCRIPTION */
#define IMPORT_UID_MAX	       500		 /* bytes of UID */
#define IMPORT_REASON_LEN      320
#define IMPORT_ZONE_LEN	       64

/* How to read times without a zone. Lives on the caller's stack for one import_parse call. */
struct import_options {
	const char *zone; /* tz database name for floating times and for the wall time of UTC times */
};

/* One session: wall times in tz and the instants they stand for (end > start). Array element owned by
 * its import_event. */
struct import_session {
	char starts_local[TZ_LOCAL_LEN]; /* "YYYY-MM-DDTHH:MM:SS" */
	char ends_local[TZ_LOCAL_LEN];
	char tz[IMPORT_ZONE_LEN];
	int64_t start_utc;
	int64_t end_utc;
	int32_t start_offset;
	int32_t end_offset;
};

/* One VEVENT (with its RECURRENCE-ID overrides folded in) that can be imported. Strings are malloc'ed
 * and freed by import_result_free. */
struct import_event {
	char *uid;
	char *summary;			 /* one line, at most IMPORT_TITLE_MAX code points */
	char *description;		 /* NULL when absent or empty */
	int line;			 /* line of its BEGIN:VEVENT */
	struct import_session *sessions; /* sorted by start_utc */
	size_t n_sessions;
	char **warnings; /* English sentences for the client */
	size_t n_warnings;
};

/* A component that is not imported: refused (an error) or skipped (on purpose, e.g. STATUS:CANCELLED). */
struct import_note {
	char component[16]; /* "VCALENDAR", "VEVENT", "VTIMEZONE", ... */
	char *uid;	    /* malloc'ed; NULL when unknown */
	int line;	    /* physical line (1-based) of the offending content line, else of its BEGIN */
	char reason[IMPORT_REASON_LEN];
};

/* Everything import_parse found. Owned by the caller; release with import_result_free. Single thread. */
struct import_result {
	bool fatal; /* the file as a whole is refused (refused[0] says why): nothing may be imported */
	struct import_event *events;
	size_t n_events;
	struct import_note *refused;
	size_t n_refused;
	struct import_note *skipped;
	size_t n_skipped;
};

/*
 * Parses text (len bytes, need not be NUL-terminated) into out (zeroed first). Refusals are not errors of
 * this function: they land in out->refused (with out->fatal for file-level ones: too large, invalid UTF-8,
 * not one VCALENDAR, over IMPORT_MAX_COMPONENTS components, nesting deeper than IMPORT_MAX_DEPTH,
 * unbalanced BEGIN/END). Returns 0, or -1 when out of memory or opt->zone is not a valid zone (out then
 * holds what was found so far; free it anyway). Only the lws service thread (or a test's main thread) may
 * call it: libical keeps per-thread state and tz's zone cache.
 */
int import_parse(const char *text, size_t len, const struct import_options *opt, struct import_result *out);

/* Frees everything out holds and zeroes it. Accepts NULL. */
void import_result_free(struct import_result *out);

/* The tz database name a TZID stands for, into iana: the name itself, a Windows zone name, or a
 * vendor-prefixed path ("/freeassociation.sourceforge.net/Africa/Casablanca") whose tail is one. Returns
 * 0, or -1 when none fits. Service thread only (asks the tz database). */
int import_zone_resolve(const char *tzid, char iana[IMPORT_ZONE_LEN]);

#endif
