/*
 * import_internal: the types and steps the files of the .ics reader share (calendar/import*.c); private to
 * them: nothing outside calendar/import*.c includes it. Everything here lives for one import_parse call, on
 * the thread that calls it.
 */
#ifndef MAJLIS_CALENDAR_IMPORT_INTERNAL_H
#define MAJLIS_CALENDAR_IMPORT_INTERNAL_H

#include <libical/ical.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/import.h"
#include "calendar/tz.h"

#define IMP_NAME_LEN   32
#define IMP_TZID_LEN   128
#define IMP_DAY	       86400
#define IMP_YEAR_MIN   1900
#define IMP_YEAR_MAX   2199
#define IMP_ITER_SLACK 64 /* extra raw occurrences tolerated for EXDATEs and overrides */

enum imp_kind { IT_NONE = 0, IT_DATE, IT_FLOAT, IT_UTC, IT_ZONED };

/* One unfolded content line. Array element of the parse context; one import_parse call. */
struct imp_line {
	char *text; /* NUL-terminated, inside ctx->ubuf */
	size_t len; /* bytes of text (a NUL byte inside makes the line bad) */
	int line;   /* physical line (1-based) where it starts */
	int depth;  /* depth of the component it is in; a BEGIN/END line has the depth it opens/closes */
	bool bad;   /* holds a control character or is not "NAME...:value" */
};

/* A component directly inside the VCALENDAR: [first, last] line indices (BEGIN and END lines). */
struct imp_comp {
	char name[IMP_NAME_LEN];
	size_t first;
	size_t last;
};

/* A VTIMEZONE of the file. z is built on first use and freed at the end of the call. */
struct imp_vtz {
	char tzid[IMP_TZID_LEN];
	char location[IMPORT_ZONE_LEN]; /* X-LIC-LOCATION, when present */
	size_t comp;
	bool tried;
	icaltimezone *z;
};

/* A DATE or DATE-TIME value as written, with its zone resolved. Stack value. */
struct imp_time {
	enum imp_kind kind;
	int64_t naive;		    /* the wall time read as if UTC (dates: midnight) */
	char zone[IMPORT_ZONE_LEN]; /* IT_ZONED: tz database name */
	int vtz;		    /* index of the VTIMEZONE its TZID names, or -1 */
	int line;
};

/* One VEVENT as read, before recurrences are expanded. Lives in the context for one call. */
struct imp_vevent {
	size_t comp;
	int line;
	char *uid;
	bool refused;
	bool cancelled;
	bool has_rid;
	struct imp_time rid;
	struct imp_time start;
	bool has_end;
	struct imp_time end;
	bool has_dur;
	int64_t dur; /* seconds, nominal days counted as 86400 */
	char *rrule;
	int rrule_line;
	struct imp_time *ex;
	size_t n_ex;
	struct imp_time *rd;
	size_t n_rd;
	char *summary;
	char *description;
	char **warnings;
	size_t n_warnings;
	bool used; /* an override folded into its master */
};

/* Everything one import_parse call works on. Stack value of import_parse. */
struct imp_ctx {
	const struct import_options *opt;
	struct imp_line *lines;
	size_t n_lines;
	char *ubuf;
	struct imp_comp *comps;
	size_t n_comps;
	struct imp_vtz *vtz;
	size_t n_vtz;
	struct imp_vevent *ev;
	size_t n_ev;
	struct import_result *out;
	bool oom;
};

/* The parameters of a content line this importer reads, and where its value starts. Stack value. */
struct imp_params {
	char tzid[IMP_TZID_LEN];
	char value_type[16];
	bool tzid_too_long;
	const char *value;
};

/* ---- the context and its notes (import.c) ---- */

/* Grows *arr (elements of size elem) so that it holds n + 1. 0 or -1. */
int imp_grow(void **arr, size_t *cap, size_t n, size_t elem);
/* Like imp_grow for arrays whose capacity is implied by their length: 8, then doubling whenever the length
 * reaches a power of two (lengths may shrink; the capacity stays). 0 or -1. */
int imp_push(void **arr, size_t n, size_t elem);
/* A malloc'ed copy of s (NULL for NULL); sets c->oom when out of memory. */
char *imp_strdup(struct imp_ctx *c, const char *s);
/* Appends a note to c->out's refused or skipped list. */
void imp_note(struct imp_ctx *c, bool refused, const char *component, const char *uid, int line,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A file-level refusal: nothing of the file is imported. */
void imp_fatal(struct imp_ctx *c, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Refuses VEVENT e (once) with a reason; line 0 means e's BEGIN line. */
void imp_refuse(struct imp_ctx *c, struct imp_vevent *e, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds a warning for the client to VEVENT e. */
void imp_warn(struct imp_ctx *c, struct imp_vevent *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- raw pre-scan (import_scan.c) ---- */

/* Splits the raw text into unfolded content lines (CRLF or LF), checking UTF-8 and control characters.
 * 0, or -1 after a fatal refusal or out of memory. */
int imp_unfold(struct imp_ctx *c, const char *raw, size_t len);
/* Checks nesting, counts components, records those directly inside the VCALENDAR. 0 or -1 (fatal). */
int imp_structure(struct imp_ctx *c);
/* The name of content line s (up to ';' or ':') into name, upper-cased. */
void imp_line_name(const char *s, char name[IMP_NAME_LEN]);
/* A malloc'ed copy of lines [first, last] joined with CRLF, or NULL (c->oom set). */
char *imp_join(struct imp_ctx *c, size_t first, size_t last);

/* ---- content values (import_value.c) ---- */

/* Reads the parameters of content line s. 0, or -1 when it is malformed. */
int imp_params(const char *s, struct imp_params *pp);
/* The n decimal digits at s as a number, or -1 when one is not a digit. */
int imp_digits(const char *s, int n);
/* Parses exactly "YYYYMMDD", "YYYYMMDDTHHMMSS" or "YYYYMMDDTHHMMSSZ" (n bytes at s) naming a real date
 * and time (years IMP_YEAR_MIN..IMP_YEAR_MAX, no leap second). Sets kind (IT_DATE, IT_FLOAT, IT_UTC) and
 * naive. 0 or -1. */
int imp_parse_value(const char *s, size_t n, struct imp_time *t);
/* "YYYY-MM-DDTHH:MM:SS" for a naive time. */
void imp_format(int64_t naive, char out[TZ_LOCAL_LEN]);
/* Reads one DATE / DATE-TIME (n bytes at v) of property prop with parameters pp into t. 0 or -1 (e refused).
 */
int imp_time_value(struct imp_ctx *c, struct imp_vevent *e, const char *prop, const struct imp_params *pp,
		   const char *v, size_t n, int line, struct imp_time *t);
/* Reads a comma-separated list of times into *arr. 0 or -1 (e refused, or c->oom). */
int imp_time_list(struct imp_ctx *c, struct imp_vevent *e, const char *prop, const struct imp_params *pp,
		  int line, struct imp_time **arr, size_t *n);

/* ---- VTIMEZONEs (import_vtimezone.c) ---- */

/* Records the file's VTIMEZONEs (TZID, X-LIC-LOCATION) in c->vtz. */
void imp_collect_vtz(struct imp_ctx *c);
/* Compares the file's VTIMEZONE v (-1: none) with the tz database at wall time naive whose tz offset is off.
 * 0 when they agree, -1 (e refused) when they differ or the VTIMEZONE cannot be read. */
int imp_vtz_check(struct imp_ctx *c, struct imp_vevent *e, int v, const char *zone, int64_t naive,
		  int32_t off, int line);

/* ---- VEVENT reading (import_vevent.c) ---- */

/* The "UNTIL=" part of RRULE text r (case-insensitive, at a part boundary), or NULL. */
const char *imp_until(const char *r);
/* Reads the properties of VEVENT c->comps[ci] into e (raw checks first); e->refused says it is refused. */
void imp_read_vevent(struct imp_ctx *c, size_t ci, struct imp_vevent *e);

/* ---- expansion (import_expand.c) ---- */

/* Turns master c->ev[idx] (with its overrides) into an import_event of c->out, or refuses it. */
void imp_event(struct imp_ctx *c, size_t idx);

#endif
