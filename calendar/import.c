/* import: strict reading of .ics files into struct import_result — a raw pre-scan (bytes, structure, line
 * numbers, date texts) before libical parses components, expands RRULEs and reads VTIMEZONEs; it must not
 * touch the database, know domain rules beyond sessions' wall time + zone, or keep libical objects. */
#include "calendar/import.h"

#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/windows_zones.h"
#include "util/civil.h"
#include "util/secret.h"
#include "util/text.h"

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

/* Grows *arr (elements of size elem) so that it holds n + 1. 0 or -1. */
static int imp_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Like imp_grow for arrays whose capacity is implied by their length: 8, then doubling whenever the length
 * reaches a power of two (lengths may shrink; the capacity stays). 0 or -1. */
static int imp_push(void **arr, size_t n, size_t elem)
{
	size_t cap;
	void *p;

	if (n == 0)
		cap = 8;
	else if (n >= 8 && !(n & (n - 1)))
		cap = n * 2;
	else
		return 0;
	p = realloc(*arr, cap * elem);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

static char *imp_strdup(struct imp_ctx *c, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		c->oom = true;
	return d;
}

/* Appends a note to list (refused or skipped). */
static void imp_note(struct imp_ctx *c, bool refused, const char *component, const char *uid, int line,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void imp_note(struct imp_ctx *c, bool refused, const char *component, const char *uid, int line,
		     const char *fmt, ...)
{
	struct import_note **list = refused ? &c->out->refused : &c->out->skipped;
	size_t *n = refused ? &c->out->n_refused : &c->out->n_skipped;
	struct import_note *note;
	va_list ap;

	if (imp_push((void **)list, *n, sizeof(**list))) {
		c->oom = true;
		return;
	}
	note = &(*list)[(*n)++];
	memset(note, 0, sizeof(*note));
	snprintf(note->component, sizeof(note->component), "%s", component);
	note->uid = imp_strdup(c, uid);
	note->line = line;
	va_start(ap, fmt);
	vsnprintf(note->reason, sizeof(note->reason), fmt, ap);
	va_end(ap);
}

/* A file-level refusal: nothing of the file is imported. */
static void imp_fatal(struct imp_ctx *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void imp_fatal(struct imp_ctx *c, int line, const char *fmt, ...)
{
	char reason[IMPORT_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	c->out->fatal = true;
	imp_note(c, true, "VCALENDAR", NULL, line, "%s", reason);
}

/* Refuses VEVENT e (once) with a reason. */
static void imp_refuse(struct imp_ctx *c, struct imp_vevent *e, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void imp_refuse(struct imp_ctx *c, struct imp_vevent *e, int line, const char *fmt, ...)
{
	char reason[IMPORT_REASON_LEN];
	va_list ap;

	if (e->refused)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	e->refused = true;
	imp_note(c, true, "VEVENT", e->uid, line ? line : e->line, "%s", reason);
}

static void imp_warn(struct imp_ctx *c, struct imp_vevent *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void imp_warn(struct imp_ctx *c, struct imp_vevent *e, const char *fmt, ...)
{
	char msg[IMPORT_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (imp_push((void **)&e->warnings, e->n_warnings, sizeof(char *))) {
		c->oom = true;
		return;
	}
	e->warnings[e->n_warnings] = imp_strdup(c, msg);
	if (e->warnings[e->n_warnings])
		e->n_warnings++;
}

/* ---- raw pre-scan ------------------------------------------------------------------------------- */

/* Splits the raw text into unfolded content lines (CRLF or LF), checking UTF-8 and control characters.
 * 0, or -1 after a fatal refusal or out of memory. */
static int imp_unfold(struct imp_ctx *c, const char *raw, size_t len)
{
	size_t cap = 0, i = 0, u = 0, cur = (size_t)-1;
	int phys = 0;

	c->ubuf = malloc(len + 1);
	if (!c->ubuf) {
		c->oom = true;
		return -1;
	}
	if (len >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len) {
		size_t end = i, next;
		bool cont;

		while (end < len && raw[end] != '\n')
			end++;
		next = end < len ? end + 1 : end;
		if (end > i && raw[end - 1] == '\r')
			end--;
		phys++;
		cont = end > i && (raw[i] == ' ' || raw[i] == '\t') && cur != (size_t)-1;
		if (cont) {
			u--; /* over the NUL of the line being continued */
			memcpy(c->ubuf + u, raw + i + 1, end - i - 1);
			u += end - i - 1;
			c->lines[cur].len += end - i - 1;
			c->ubuf[u++] = '\0';
		} else if (end > i) {
			if (imp_grow((void **)&c->lines, &cap, c->n_lines, sizeof(*c->lines))) {
				c->oom = true;
				return -1;
			}
			cur = c->n_lines++;
			memset(&c->lines[cur], 0, sizeof(c->lines[cur]));
			c->lines[cur].line = phys;
			c->lines[cur].text = c->ubuf + u;
			memcpy(c->ubuf + u, raw + i, end - i);
			c->lines[cur].len = end - i;
			u += end - i;
			c->ubuf[u++] = '\0';
		} else {
			cur = (size_t)-1; /* an empty line ends folding */
		}
		i = next;
	}
	/* text pointers stay valid: ubuf was never reallocated */
	for (size_t k = 0; k < c->n_lines; k++) {
		struct imp_line *l = &c->lines[k];
		size_t n = l->len;

		if (!text_utf8_valid(l->text, n)) {
			imp_fatal(c, l->line, "line %d is not valid UTF-8", l->line);
			return -1;
		}
		for (size_t j = 0; j < n; j++) {
			unsigned char ch = (unsigned char)l->text[j];

			if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
				l->bad = true;
		}
		if (!strchr(l->text, ':'))
			l->bad = true;
	}
	return 0;
}

/* The name of content line s (up to ';' or ':') into name, upper-cased. */
static void imp_line_name(const char *s, char name[IMP_NAME_LEN])
{
	size_t n = 0;

	while (s[n] && s[n] != ';' && s[n] != ':' && n < IMP_NAME_LEN - 1) {
		char ch = s[n];

		name[n++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
	}
	name[n] = '\0';
}

/* Whether line l is "BEGIN:<x>" (begin true) or "END:<x>"; x copied upper-cased into what. */
static bool imp_is_marker(const struct imp_line *l, bool begin, char what[IMP_NAME_LEN])
{
	const char *kw = begin ? "BEGIN:" : "END:";
	size_t kl = strlen(kw), n;

	if (strncasecmp(l->text, kw, kl))
		return false;
	n = strlen(l->text + kl);
	if (!n || n >= IMP_NAME_LEN)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char ch = l->text[kl + i];

		what[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
	}
	return true;
}

/* Checks nesting, counts components, records those directly inside the VCALENDAR. 0 or -1 (fatal). */
static int imp_structure(struct imp_ctx *c)
{
	char stack[IMPORT_MAX_DEPTH][IMP_NAME_LEN], what[IMP_NAME_LEN];
	size_t cap = 0, ncomp = 0;
	int depth = 0;
	bool done = false;

	if (!c->n_lines) {
		imp_fatal(c, 1, "the file is empty: expected BEGIN:VCALENDAR");
		return -1;
	}
	for (size_t i = 0; i < c->n_lines; i++) {
		struct imp_line *l = &c->lines[i];

		if (done) {
			if (imp_is_marker(l, true, what) && !strcmp(what, "VCALENDAR"))
				imp_fatal(c, l->line,
					  "a second VCALENDAR starts at line %d: send one calendar per file",
					  l->line);
			else
				imp_fatal(c, l->line, "line %d comes after END:VCALENDAR", l->line);
			return -1;
		}
		if (imp_is_marker(l, true, what)) {
			if (depth == 0 && strcmp(what, "VCALENDAR")) {
				imp_fatal(c, l->line,
					  "not a VCALENDAR: the file starts with BEGIN:%s (line %d)", what,
					  l->line);
				return -1;
			}
			if (++ncomp > IMPORT_MAX_COMPONENTS) {
				imp_fatal(c, l->line,
					  "more than %d components (BEGIN lines): line %d is one too many",
					  IMPORT_MAX_COMPONENTS, l->line);
				return -1;
			}
			if (depth >= IMPORT_MAX_DEPTH) {
				imp_fatal(c, l->line,
					  "BEGIN:%s at line %d nests components deeper than %d levels", what,
					  l->line, IMPORT_MAX_DEPTH);
				return -1;
			}
			snprintf(stack[depth], IMP_NAME_LEN, "%s", what);
			depth++;
			l->depth = depth;
			if (depth == 2) {
				if (imp_grow((void **)&c->comps, &cap, c->n_comps, sizeof(*c->comps))) {
					c->oom = true;
					return -1;
				}
				snprintf(c->comps[c->n_comps].name, IMP_NAME_LEN, "%s", what);
				c->comps[c->n_comps].first = i;
				c->comps[c->n_comps].last = i;
				c->n_comps++;
			}
			continue;
		}
		if (imp_is_marker(l, false, what)) {
			if (depth == 0 || strcmp(stack[depth - 1], what)) {
				imp_fatal(c, l->line, "END:%s at line %d does not close %s%s", what, l->line,
					  depth ? "BEGIN:" : "any component", depth ? stack[depth - 1] : "");
				return -1;
			}
			l->depth = depth;
			if (depth == 2)
				c->comps[c->n_comps - 1].last = i;
			depth--;
			done = depth == 0;
			continue;
		}
		if (depth == 0) {
			imp_fatal(c, l->line, "not a VCALENDAR: line %d comes before BEGIN:VCALENDAR",
				  l->line);
			return -1;
		}
		l->depth = depth;
		if (l->bad && (depth == 1 || strcmp(stack[1], "VEVENT"))) {
			imp_fatal(c, l->line, "line %d holds a control character or is not a content line",
				  l->line);
			return -1;
		}
	}
	if (depth) {
		imp_fatal(c, c->lines[c->n_lines - 1].line, "the file ends inside BEGIN:%s (no END:%s)",
			  stack[depth - 1], stack[depth - 1]);
		return -1;
	}
	return 0;
}

/* ---- content lines --------------------------------------------------------------------------------- */

/* The parameters of a content line this importer reads, and where its value starts. Stack value. */
struct imp_params {
	char tzid[IMP_TZID_LEN];
	char value_type[16];
	bool tzid_too_long;
	const char *value;
};

/* Reads the parameters of content line s. 0, or -1 when it is malformed. */
static int imp_params(const char *s, struct imp_params *pp)
{
	const char *p = s;

	memset(pp, 0, sizeof(*pp));
	while (*p && *p != ';' && *p != ':')
		p++;
	while (*p == ';') {
		const char *pn = ++p, *vs;
		size_t nl, vl;

		while (*p && *p != '=' && *p != ';' && *p != ':')
			p++;
		if (*p != '=')
			return -1;
		nl = (size_t)(p - pn);
		p++;
		if (*p == '"') {
			vs = ++p;
			while (*p && *p != '"')
				p++;
			if (*p != '"')
				return -1;
			vl = (size_t)(p - vs);
			p++;
		} else {
			vs = p;
			while (*p && *p != ';' && *p != ':' && *p != ',')
				p++;
			vl = (size_t)(p - vs);
		}
		while (*p == ',') { /* further values of a multi-valued parameter: skipped */
			p++;
			if (*p == '"') {
				p = strchr(p + 1, '"');
				if (!p)
					return -1;
				p++;
			} else {
				while (*p && *p != ';' && *p != ':' && *p != ',')
					p++;
			}
		}
		if (nl == 4 && !strncasecmp(pn, "TZID", 4)) {
			if (vl >= IMP_TZID_LEN)
				pp->tzid_too_long = true;
			else
				snprintf(pp->tzid, sizeof(pp->tzid), "%.*s", (int)vl, vs);
		} else if (nl == 5 && !strncasecmp(pn, "VALUE", 5)) {
			snprintf(pp->value_type, sizeof(pp->value_type), "%.*s", (int)vl, vs);
		}
	}
	if (*p != ':')
		return -1;
	pp->value = p + 1;
	return 0;
}

static int imp_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parses exactly "YYYYMMDD", "YYYYMMDDTHHMMSS" or "YYYYMMDDTHHMMSSZ" (n bytes at s) naming a real date
 * and time (years IMP_YEAR_MIN..IMP_YEAR_MAX, no leap second). Sets kind (IT_DATE, IT_FLOAT, IT_UTC) and
 * naive. 0 or -1. */
static int imp_parse_value(const char *s, size_t n, struct imp_time *t)
{
	int y, mo, d, h = 0, mi = 0, se = 0;

	if (n != 8 && n != 15 && n != 16)
		return -1;
	y = imp_digits(s, 4);
	mo = imp_digits(s + 4, 2);
	d = imp_digits(s + 6, 2);
	if (y < IMP_YEAR_MIN || y > IMP_YEAR_MAX || mo < 1 || mo > 12 || d < 1)
		return -1;
	if (d > civil_days_in_month(y, mo))
		return -1;
	t->kind = IT_DATE;
	if (n > 8) {
		if (s[8] != 'T')
			return -1;
		h = imp_digits(s + 9, 2);
		mi = imp_digits(s + 11, 2);
		se = imp_digits(s + 13, 2);
		if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
			return -1;
		if (n == 16 && s[15] != 'Z')
			return -1;
		t->kind = n == 16 ? IT_UTC : IT_FLOAT;
	}
	t->naive = civil_days_from_date(y, mo, d) * IMP_DAY + h * 3600 + mi * 60 + se;
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS" for a naive time. */
static void imp_format(int64_t naive, char out[TZ_LOCAL_LEN])
{
	if (tz_utc_to_local("UTC", naive, out, NULL) != TZ_OK)
		snprintf(out, TZ_LOCAL_LEN, "?");
}

int import_zone_resolve(const char *tzid, char iana[IMPORT_ZONE_LEN])
{
	const char *w, *p;

	iana[0] = '\0';
	if (!tzid || !*tzid)
		return -1;
	if (tz_zone_valid(tzid)) {
		snprintf(iana, IMPORT_ZONE_LEN, "%s", tzid);
		return 0;
	}
	w = windows_zone_to_iana(tzid);
	if (w && tz_zone_valid(w)) {
		snprintf(iana, IMPORT_ZONE_LEN, "%s", w);
		return 0;
	}
	/* vendor prefixes: "/freeassociation.sourceforge.net/Tzfile/Africa/Casablanca", "/mozilla.org/.../X"
	 */
	if (tzid[0] != '/')
		return -1;
	for (p = tzid; p; p = strchr(p + 1, '/')) {
		if (p[1] && tz_zone_valid(p + 1) && strchr(p + 1, '/')) {
			snprintf(iana, IMPORT_ZONE_LEN, "%s", p + 1);
			return 0;
		}
	}
	return -1;
}

/* The VTIMEZONE of the file with this TZID, or -1. */
static int imp_vtz_find(struct imp_ctx *c, const char *tzid)
{
	for (size_t i = 0; i < c->n_vtz; i++)
		if (!strcmp(c->vtz[i].tzid, tzid))
			return (int)i;
	return -1;
}

/* Resolves the TZID parameter of a value: a tz database / Windows / vendor-prefixed name, else the
 * X-LIC-LOCATION of the file's VTIMEZONE of that TZID. Fills t->zone and t->vtz. 0 or -1 (refused). */
static int imp_zone_of(struct imp_ctx *c, struct imp_vevent *e, const char *prop, const struct imp_params *pp,
		       struct imp_time *t)
{
	int v = imp_vtz_find(c, pp->tzid);

	t->vtz = v;
	if (!import_zone_resolve(pp->tzid, t->zone))
		return 0;
	if (v >= 0 && c->vtz[v].location[0] && !import_zone_resolve(c->vtz[v].location, t->zone))
		return 0;
	imp_refuse(
	    c, e, t->line,
	    "%s names an unknown TZID \"%.80s\": neither a tz database name, a Windows zone name, nor a "
	    "VTIMEZONE of the file that maps to one",
	    prop, pp->tzid);
	return -1;
}

/* Reads one DATE / DATE-TIME (n bytes at v) of property prop with parameters pp into t. 0 or -1. */
static int imp_time_value(struct imp_ctx *c, struct imp_vevent *e, const char *prop,
			  const struct imp_params *pp, const char *v, size_t n, int line, struct imp_time *t)
{
	memset(t, 0, sizeof(*t));
	t->vtz = -1;
	t->line = line;
	if (pp->tzid_too_long) {
		imp_refuse(c, e, line, "%s at line %d has a TZID longer than %d bytes", prop, line,
			   IMP_TZID_LEN - 1);
		return -1;
	}
	if (imp_parse_value(v, n, t)) {
		imp_refuse(
		    c, e, line,
		    "%s value \"%.*s\" at line %d is not a valid date or date-time (expected YYYYMMDD or "
		    "YYYYMMDDTHHMMSS[Z] naming a real date and time, years %d-%d)",
		    prop, (int)(n > 40 ? 40 : n), v, line, IMP_YEAR_MIN, IMP_YEAR_MAX);
		return -1;
	}
	if (pp->value_type[0] && !strcasecmp(pp->value_type, "DATE") && t->kind != IT_DATE) {
		imp_refuse(c, e, line, "%s at line %d says VALUE=DATE but holds a date-time", prop, line);
		return -1;
	}
	if (pp->tzid[0] && t->kind == IT_UTC) {
		imp_refuse(c, e, line, "%s at line %d is a UTC time (Z) and also names TZID \"%.80s\"", prop,
			   line, pp->tzid);
		return -1;
	}
	if (pp->tzid[0] && t->kind == IT_FLOAT) {
		if (imp_zone_of(c, e, prop, pp, t))
			return -1;
		t->kind = IT_ZONED;
	}
	return 0;
}

/* Reads a comma-separated list of times into *arr. 0 or -1. */
static int imp_time_list(struct imp_ctx *c, struct imp_vevent *e, const char *prop,
			 const struct imp_params *pp, int line, struct imp_time **arr, size_t *n)
{
	const char *p = pp->value;

	if (pp->value_type[0] && strcasecmp(pp->value_type, "DATE") &&
	    strcasecmp(pp->value_type, "DATE-TIME")) {
		imp_refuse(c, e, line, "%s;VALUE=%s at line %d is not supported (only dates and date-times)",
			   prop, pp->value_type, line);
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");

		if (imp_push((void **)arr, *n, sizeof(**arr))) {
			c->oom = true;
			return -1;
		}
		if (imp_time_value(c, e, prop, pp, p, len, line, &(*arr)[*n]))
			return -1;
		(*n)++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* ---- VTIMEZONEs ------------------------------------------------------------------------------------- */

/* A copy of lines [first, last] joined with CRLF (refolding not needed: libical reads long lines). */
static char *imp_join(struct imp_ctx *c, size_t first, size_t last)
{
	size_t n = 1, k = 0;
	char *s;

	for (size_t i = first; i <= last; i++)
		n += strlen(c->lines[i].text) + 2;
	s = malloc(n);
	if (!s) {
		c->oom = true;
		return NULL;
	}
	for (size_t i = first; i <= last; i++) {
		size_t l = strlen(c->lines[i].text);

		memcpy(s + k, c->lines[i].text, l);
		k += l;
		s[k++] = '\r';
		s[k++] = '\n';
	}
	s[k] = '\0';
	return s;
}

static void imp_collect_vtz(struct imp_ctx *c)
{
	char name[IMP_NAME_LEN];
	size_t cap = 0;

	for (size_t i = 0; i < c->n_comps; i++) {
		struct imp_vtz *v;

		if (strcmp(c->comps[i].name, "VTIMEZONE"))
			continue;
		if (imp_grow((void **)&c->vtz, &cap, c->n_vtz, sizeof(*c->vtz))) {
			c->oom = true;
			return;
		}
		v = &c->vtz[c->n_vtz++];
		memset(v, 0, sizeof(*v));
		v->comp = i;
		for (size_t k = c->comps[i].first + 1; k < c->comps[i].last; k++) {
			const char *val;

			if (c->lines[k].depth != 2 || c->lines[k].bad)
				continue;
			imp_line_name(c->lines[k].text, name);
			val = strchr(c->lines[k].text, ':') + 1;
			if (!strcmp(name, "TZID"))
				snprintf(v->tzid, sizeof(v->tzid), "%s", val);
			else if (!strcmp(name, "X-LIC-LOCATION"))
				snprintf(v->location, sizeof(v->location), "%s", val);
		}
	}
}

/* libical's reading of VTIMEZONE v, built once; NULL when libical cannot read it. */
static icaltimezone *imp_vtz_zone(struct imp_ctx *c, struct imp_vtz *v)
{
	icalcomponent *comp;
	char *text;

	if (v->tried)
		return v->z;
	v->tried = true;
	text = imp_join(c, c->comps[v->comp].first, c->comps[v->comp].last);
	if (!text)
		return NULL;
	comp = icalparser_parse_string(text);
	free(text);
	if (!comp)
		return NULL;
	if (icalcomponent_isa(comp) != ICAL_VTIMEZONE_COMPONENT) {
		icalcomponent_free(comp);
		return NULL;
	}
	v->z = icaltimezone_new();
	if (!v->z || !icaltimezone_set_component(v->z, comp)) {
		if (v->z)
			icaltimezone_free(v->z, 1);
		else
			icalcomponent_free(comp);
		v->z = NULL;
	}
	return v->z;
}

/* Compares the file's VTIMEZONE v with the tz database at wall time naive whose tz offset is off.
 * 0 when they agree, -1 (e refused) when they differ or the VTIMEZONE cannot be read. */
static int imp_vtz_check(struct imp_ctx *c, struct imp_vevent *e, int v, const char *zone, int64_t naive,
			 int32_t off, int line)
{
	char local[TZ_LOCAL_LEN], a[TZ_OFFSET_LEN], b[TZ_OFFSET_LEN];
	struct icaltimetype tt = icaltime_null_time();
	struct imp_vtz *vz;
	icaltimezone *z;
	int is_dst = 0, voff;

	if (v < 0)
		return 0;
	vz = &c->vtz[v];
	z = imp_vtz_zone(c, vz);
	if (!z) {
		imp_refuse(c, e, c->lines[c->comps[vz->comp].first].line,
			   "the VTIMEZONE \"%.80s\" at line %d cannot be read", vz->tzid,
			   c->lines[c->comps[vz->comp].first].line);
		return -1;
	}
	imp_format(naive, local);
	tt.year = imp_digits(local, 4);
	tt.month = imp_digits(local + 5, 2);
	tt.day = imp_digits(local + 8, 2);
	tt.hour = imp_digits(local + 11, 2);
	tt.minute = imp_digits(local + 14, 2);
	tt.second = imp_digits(local + 17, 2);
	tt.is_date = 0;
	voff = icaltimezone_get_utc_offset(z, &tt, &is_dst);
	if (voff == off)
		return 0;
	tz_format_offset(voff, a);
	tz_format_offset(off, b);
	imp_refuse(
	    c, e, line,
	    "the VTIMEZONE \"%.80s\" (line %d) puts %.16s at UTC%s but the tz database has %s at UTC%s then: "
	    "the file's zone rules are out of date or wrong",
	    vz->tzid, c->lines[c->comps[vz->comp].first].line, local, a, zone, b);
	return -1;
}

/* ---- VEVENT reading --------------------------------------------------------------------------------- */

/* Texts of the VEVENT through libical (unescaping), checked and bounded. */
static void imp_texts(struct imp_ctx *c, struct imp_vevent *e, size_t ci)
{
	icalcomponent *comp = NULL;
	const char *s;
	char *text, *t;
	size_t n, cps = 0;

	text = imp_join(c, c->comps[ci].first, c->comps[ci].last);
	if (!text)
		return;
	comp = icalparser_parse_string(text);
	free(text);
	if (!comp || icalcomponent_isa(comp) != ICAL_VEVENT_COMPONENT) {
		imp_refuse(c, e, 0, "the VEVENT at line %d cannot be parsed", e->line);
		goto out;
	}
	if (!e->uid) {
		s = icalcomponent_get_uid(comp);
		if (s && *s)
			e->uid = imp_strdup(c, s);
	}
	e->cancelled = icalcomponent_get_status(comp) == ICAL_STATUS_CANCELLED;
	s = icalcomponent_get_summary(comp);
	t = imp_strdup(c, s ? s : "");
	if (!t)
		goto out;
	for (char *p = t; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	n = strlen(t);
	while (n && t[n - 1] == ' ')
		t[--n] = '\0';
	if (!text_is_clean(t, TEXT_TITLE, NULL)) {
		free(t);
		imp_refuse(c, e, 0, "SUMMARY holds control, invisible or bidirectional characters");
		goto out;
	}
	for (n = 0; t[n]; n++) {
		if (((unsigned char)t[n] & 0xc0) != 0x80 && ++cps > IMPORT_TITLE_MAX) {
			t[n] = '\0';
			imp_warn(c, e, "SUMMARY cut to %d characters", IMPORT_TITLE_MAX);
			break;
		}
	}
	e->summary = t;
	s = icalcomponent_get_description(comp);
	if (s && *s) {
		t = imp_strdup(c, s);
		if (!t)
			goto out;
		cps = 0;
		for (n = 0; t[n]; n++) {
			if (((unsigned char)t[n] & 0xc0) != 0x80 && ++cps > IMPORT_DESCRIPTION_MAX) {
				t[n] = '\0';
				imp_warn(c, e, "DESCRIPTION cut to %d characters", IMPORT_DESCRIPTION_MAX);
				break;
			}
		}
		{
			char *w = t;

			for (char *r = t; *r; r++)
				if (*r != '\r')
					*w++ = *r;
			*w = '\0';
		}
		n = strlen(t);
		while (n && (t[n - 1] == '\n' || t[n - 1] == ' '))
			t[--n] = '\0';
		if (!text_is_clean(t, TEXT_PROSE, NULL)) {
			free(t);
			imp_refuse(c, e, 0,
				   "DESCRIPTION holds control, invisible or bidirectional characters");
			goto out;
		}
		if (*t)
			e->description = t;
		else
			free(t);
	}
out:
	if (comp)
		icalcomponent_free(comp);
}

/* The "UNTIL=" part of RRULE text r (case-insensitive, at a part boundary), or NULL. */
static const char *imp_until(const char *r)
{
	for (const char *p = r; p && *p; p = strchr(p, ';')) {
		if (*p == ';')
			p++;
		if (!strncasecmp(p, "UNTIL=", 6))
			return p;
	}
	return NULL;
}

/* Checks the RRULE text (raw) and its UNTIL; libical reads it later. 0 or -1. */
static int imp_check_rrule(struct imp_ctx *c, struct imp_vevent *e)
{
	struct icalrecurrencetype r;
	const char *u;
	struct imp_time ut;

	r = icalrecurrencetype_from_string(e->rrule);
	if (r.freq == ICAL_NO_RECURRENCE) {
		imp_refuse(c, e, e->rrule_line, "RRULE at line %d is not understood", e->rrule_line);
		return -1;
	}
	if (r.freq == ICAL_SECONDLY_RECURRENCE || r.freq == ICAL_MINUTELY_RECURRENCE ||
	    r.freq == ICAL_HOURLY_RECURRENCE) {
		imp_refuse(
		    c, e, e->rrule_line,
		    "RRULE at line %d repeats by the second, minute or hour: only DAILY, WEEKLY, MONTHLY and "
		    "YEARLY rules are imported",
		    e->rrule_line);
		return -1;
	}
	if (r.count > IMPORT_MAX_OCCURRENCES) {
		imp_refuse(c, e, e->rrule_line,
			   "RRULE at line %d has COUNT=%d: at most %d sessions per event", e->rrule_line,
			   r.count, IMPORT_MAX_OCCURRENCES);
		return -1;
	}
	u = imp_until(e->rrule);
	if (u) {
		u += 6;
		if (imp_parse_value(u, strcspn(u, ";"), &ut)) {
			imp_refuse(c, e, e->rrule_line, "RRULE at line %d has an invalid UNTIL",
				   e->rrule_line);
			return -1;
		}
	}
	if (!u && r.count <= 0) {
		imp_refuse(
		    c, e, e->rrule_line,
		    "RRULE at line %d has neither COUNT nor UNTIL: it repeats for ever (at most %d sessions "
		    "per event)",
		    e->rrule_line, IMPORT_MAX_OCCURRENCES);
		return -1;
	}
	return 0;
}

/* Reads the properties of VEVENT comps[ci] into e (raw checks first). */
static void imp_read_vevent(struct imp_ctx *c, size_t ci, struct imp_vevent *e)
{
	char name[IMP_NAME_LEN];
	struct imp_params pp;
	bool has_start = false;

	memset(e, 0, sizeof(*e));
	e->comp = ci;
	e->line = c->lines[c->comps[ci].first].line;
	e->start.vtz = e->end.vtz = e->rid.vtz = -1;
	/* the UID first, so that every refusal can name it */
	for (size_t k = c->comps[ci].first + 1; k < c->comps[ci].last; k++) {
		struct imp_line *l = &c->lines[k];

		if (l->depth != 2 || l->bad)
			continue;
		imp_line_name(l->text, name);
		if (!strcmp(name, "UID") && !imp_params(l->text, &pp) && *pp.value) {
			if (strlen(pp.value) > IMPORT_UID_MAX) {
				imp_refuse(c, e, l->line, "UID at line %d is longer than %d bytes", l->line,
					   IMPORT_UID_MAX);
				return;
			}
			e->uid = imp_strdup(c, pp.value);
			break;
		}
	}
	for (size_t k = c->comps[ci].first + 1; k < c->comps[ci].last; k++) {
		struct imp_line *l = &c->lines[k];
		struct imp_time *t = NULL;
		bool *has = NULL;

		if (l->bad) {
			imp_refuse(c, e, l->line,
				   "line %d holds a control character or is not a content line", l->line);
			return;
		}
		if (l->depth != 2)
			continue;
		imp_line_name(l->text, name);
		if (!strcmp(name, "DTSTART")) {
			t = &e->start;
			has = &has_start;
		} else if (!strcmp(name, "DTEND")) {
			t = &e->end;
			has = &e->has_end;
		} else if (!strcmp(name, "RECURRENCE-ID")) {
			t = &e->rid;
			has = &e->has_rid;
		}
		if (t || !strcmp(name, "DURATION") || !strcmp(name, "RRULE") || !strcmp(name, "EXDATE") ||
		    !strcmp(name, "RDATE")) {
			if (imp_params(l->text, &pp)) {
				imp_refuse(c, e, l->line, "%s at line %d is malformed", name, l->line);
				return;
			}
		}
		if (t) {
			if (*has) {
				imp_refuse(c, e, l->line, "%s appears twice (line %d)", name, l->line);
				return;
			}
			*has = true;
			if (imp_time_value(c, e, name, &pp, pp.value, strlen(pp.value), l->line, t))
				return;
		} else if (!strcmp(name, "DURATION")) {
			struct icaldurationtype d = icaldurationtype_from_string(pp.value);

			if (e->has_dur || icaldurationtype_is_bad_duration(d) || d.is_neg) {
				imp_refuse(c, e, l->line,
					   "DURATION \"%.40s\" at line %d is not a positive duration",
					   pp.value, l->line);
				return;
			}
			e->has_dur = true;
			e->dur = ((int64_t)d.weeks * 7 + d.days) * IMP_DAY + (int64_t)d.hours * 3600 +
				 (int64_t)d.minutes * 60 + d.seconds;
			e->end.line = l->line;
		} else if (!strcmp(name, "RRULE")) {
			if (e->rrule) {
				imp_refuse(c, e, l->line, "more than one RRULE (line %d)", l->line);
				return;
			}
			e->rrule = imp_strdup(c, pp.value);
			e->rrule_line = l->line;
			if (!e->rrule || imp_check_rrule(c, e))
				return;
		} else if (!strcmp(name, "EXDATE")) {
			if (imp_time_list(c, e, name, &pp, l->line, &e->ex, &e->n_ex))
				return;
		} else if (!strcmp(name, "RDATE")) {
			if (imp_time_list(c, e, name, &pp, l->line, &e->rd, &e->n_rd))
				return;
		}
	}
	if (!has_start) {
		imp_refuse(c, e, 0, "the VEVENT at line %d has no DTSTART", e->line);
		return;
	}
	if (e->start.kind == IT_DATE) {
		imp_refuse(
		    c, e, e->start.line,
		    "DTSTART at line %d is a date without a time (an all-day event): sessions need start and "
		    "end times",
		    e->start.line);
		return;
	}
	if (e->has_end && e->has_dur) {
		imp_refuse(c, e, e->end.line, "the VEVENT has both DTEND and DURATION");
		return;
	}
	if (e->has_end && e->end.kind == IT_DATE) {
		imp_refuse(c, e, e->end.line, "DTEND at line %d is a date but DTSTART is a date-time",
			   e->end.line);
		return;
	}
	if (!e->has_end && !e->has_dur) {
		imp_refuse(c, e, 0,
			   "the VEVENT at line %d has neither DTEND nor DURATION: a session needs an end",
			   e->line);
		return;
	}
	imp_texts(c, e, ci);
	if (e->refused || c->oom)
		return;
	if (!e->summary || !*e->summary) {
		imp_refuse(c, e, 0, "the VEVENT at line %d has no SUMMARY: an event needs a title", e->line);
		return;
	}
	if (!e->uid) {
		char *text = imp_join(c, c->comps[ci].first, c->comps[ci].last);
		char hash[SECRET_HASH_LEN + 1], uid[64];

		if (!text)
			return;
		secret_hash(text, strlen(text), hash);
		free(text);
		snprintf(uid, sizeof(uid), "majlis-import-%.32s", hash);
		e->uid = imp_strdup(c, uid);
		imp_warn(c, e, "the VEVENT at line %d has no UID: \"%s\" was derived from its text", e->line,
			 uid);
	}
}

/* ---- expansion ------------------------------------------------------------------------------------- */

/* The frame a VEVENT's times repeat in: the zone of its wall times, or UTC. */
struct imp_frame {
	bool utc;		    /* DTSTART in UTC: occurrences are instants, wall times in opt zone */
	char zone[IMPORT_ZONE_LEN]; /* zone of wall times (DTSTART's TZID, or opt zone for floating) */
	int vtz;
};

static void imp_frame_of(struct imp_ctx *c, const struct imp_time *start, struct imp_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->vtz = start->vtz;
	f->utc = start->kind == IT_UTC;
	snprintf(f->zone, sizeof(f->zone), "%s", start->kind == IT_ZONED ? start->zone : c->opt->zone);
}

/* The instant a time value stands for (floating values read in frame f). 0, or -1 (gap or fold). */
static int imp_instant(const struct imp_frame *f, const struct imp_time *t, int64_t *utc)
{
	char local[TZ_LOCAL_LEN];
	int32_t off;

	if (t->kind == IT_UTC || (t->kind != IT_ZONED && f->utc)) {
		*utc = t->naive;
		return 0;
	}
	imp_format(t->naive, local);
	return tz_local_to_utc(t->kind == IT_ZONED ? t->zone : f->zone, local, TZ_NO_OFFSET, utc, &off) ==
		       TZ_OK
		   ? 0
		   : -1;
}

/* Turns a wall time in the frame (or an instant for a UTC frame) into a session end point. */
static int imp_point(struct imp_ctx *c, struct imp_vevent *e, const struct imp_frame *f, int64_t t,
		     bool is_end, int line, char local[TZ_LOCAL_LEN], int64_t *utc, int32_t *off)
{
	const char *what = is_end ? "DTEND" : "DTSTART";
	enum tz_rc rc;

	if (f->utc) {
		*utc = t;
		if (tz_utc_to_local(f->zone, t, local, off) != TZ_OK) {
			imp_refuse(c, e, line, "%s at line %d is out of range", what, line);
			return -1;
		}
		return 0;
	}
	imp_format(t, local);
	rc = tz_local_to_utc(f->zone, local, TZ_NO_OFFSET, utc, off);
	if (rc == TZ_GAP || rc == TZ_AMBIGUOUS) {
		imp_refuse(c, e, line, "%s %.16s (line %d) %s in %s; change the time in the calendar", what,
			   local, line,
			   rc == TZ_GAP ? "does not exist (the clocks jump over it)"
					: "occurs twice (the clocks go back over it)",
			   f->zone);
		return -1;
	}
	if (rc != TZ_OK) {
		imp_refuse(c, e, line, "%s %.19s (line %d) in %s: %s", what, local, line, f->zone,
			   tz_strerror(rc));
		return -1;
	}
	return imp_vtz_check(c, e, f->vtz, f->zone, t, *off, line);
}

/* Builds session s from frame time t (naive wall time, or instant for a UTC frame) of VEVENT e. */
static int imp_session(struct imp_ctx *c, struct imp_vevent *e, int64_t t, struct import_session *s)
{
	struct imp_frame f, ef;
	int64_t end_t;
	bool nominal;

	memset(s, 0, sizeof(*s));
	imp_frame_of(c, &e->start, &f);
	snprintf(s->tz, sizeof(s->tz), "%s", f.zone);
	if (imp_point(c, e, &f, t, false, e->start.line, s->starts_local, &s->start_utc, &s->start_offset))
		return -1;
	if (e->has_dur) {
		end_t = t + e->dur;
		if (imp_point(c, e, &f, end_t, true, e->end.line, s->ends_local, &s->end_utc, &s->end_offset))
			return -1;
	} else {
		imp_frame_of(c, &e->end, &ef);
		nominal = e->end.kind == e->start.kind &&
			  (e->end.kind != IT_ZONED || !strcmp(e->end.zone, e->start.zone));
		if (nominal) {
			end_t = t + (e->end.naive - e->start.naive);
			if (imp_point(c, e, &f, end_t, true, e->end.line, s->ends_local, &s->end_utc,
				      &s->end_offset))
				return -1;
		} else {
			int64_t su, eu;

			if (imp_instant(&f, &e->start, &su) || imp_instant(&f, &e->end, &eu)) {
				imp_refuse(c, e, e->end.line, "DTEND at line %d does not name a real instant",
					   e->end.line);
				return -1;
			}
			if (e->end.vtz >= 0 && e->end.kind == IT_ZONED) {
				char l2[TZ_LOCAL_LEN];
				int32_t o2;

				imp_frame_of(c, &e->end, &ef);
				if (imp_point(c, e, &ef, e->end.naive, true, e->end.line, l2, &eu, &o2))
					return -1;
			}
			s->end_utc = s->start_utc + (eu - su);
			if (tz_utc_to_local(s->tz, s->end_utc, s->ends_local, &s->end_offset) != TZ_OK) {
				imp_refuse(c, e, e->end.line, "DTEND at line %d is out of range",
					   e->end.line);
				return -1;
			}
		}
	}
	if (s->end_utc <= s->start_utc) {
		imp_refuse(c, e, e->end.line,
			   "DTEND (line %d) is not after DTSTART (line %d): %.16s to %.16s %s", e->end.line,
			   e->start.line, s->starts_local, s->ends_local, s->tz);
		return -1;
	}
	return 0;
}

/* Days since the epoch of naive time t (floor). */
static int64_t imp_floor_day(int64_t t)
{
	return t >= 0 ? t / IMP_DAY : -((-t + IMP_DAY - 1) / IMP_DAY);
}

/* Whether frame time t of VEVENT e is excluded by one of its EXDATEs. */
static bool imp_excluded(struct imp_ctx *c, struct imp_vevent *e, int64_t t, int64_t start_utc)
{
	struct imp_frame f;
	int64_t u;

	imp_frame_of(c, &e->start, &f);
	for (size_t i = 0; i < e->n_ex; i++) {
		if (e->ex[i].kind == IT_DATE) {
			if (imp_floor_day(e->ex[i].naive) == imp_floor_day(t))
				return true;
			continue;
		}
		if (!imp_instant(&f, &e->ex[i], &u) && u == start_utc)
			return true;
	}
	return false;
}

static int imp_session_cmp(const void *a, const void *b)
{
	const struct import_session *x = a, *y = b;

	return x->start_utc < y->start_utc ? -1 : x->start_utc > y->start_utc;
}

/* Appends s to the event's sessions. 0 or -1. */
static int imp_add_session(struct imp_ctx *c, struct import_event *ie, const struct import_session *s)
{
	if (imp_push((void **)&ie->sessions, ie->n_sessions, sizeof(*ie->sessions))) {
		c->oom = true;
		return -1;
	}
	ie->sessions[ie->n_sessions++] = *s;
	return 0;
}

/* The master's occurrences (RRULE + RDATE - EXDATE, or DTSTART alone) into ie->sessions. 0 or -1. */
static int imp_expand(struct imp_ctx *c, struct imp_vevent *e, struct import_event *ie)
{
	struct import_session s;
	struct imp_frame f;
	size_t raw = 0;

	imp_frame_of(c, &e->start, &f);
	if (e->rrule) {
		struct icalrecurrencetype r = icalrecurrencetype_from_string(e->rrule);
		struct icaltimetype dt = icaltime_null_time(), occ;
		icalrecur_iterator *it;
		const char *u = imp_until(e->rrule);
		struct imp_time until = {0};
		int64_t until_t = INT64_MAX, until_utc;
		char local[TZ_LOCAL_LEN];
		int32_t off;

		if (u) {
			/* UNTIL is compared here in the frame (libical would compare floating with UTC) */
			imp_parse_value(u + 6, strcspn(u + 6, ";"), &until);
			if (until.kind == IT_DATE) {
				until_t = until.naive + IMP_DAY - 1;
			} else if (imp_instant(&f, &until, &until_utc) ||
				   (!f.utc && tz_utc_to_local(f.zone, until_utc, local, &off) != TZ_OK)) {
				imp_refuse(c, e, e->rrule_line,
					   "RRULE UNTIL at line %d does not name a real instant",
					   e->rrule_line);
				return -1;
			} else {
				until_t = f.utc ? until_utc : until_utc + off;
			}
			r.until = icaltime_null_time();
		}
		imp_format(e->start.naive, local);
		dt.year = imp_digits(local, 4);
		dt.month = imp_digits(local + 5, 2);
		dt.day = imp_digits(local + 8, 2);
		dt.hour = imp_digits(local + 11, 2);
		dt.minute = imp_digits(local + 14, 2);
		dt.second = imp_digits(local + 17, 2);
		dt.is_date = 0;
		it = icalrecur_iterator_new(r, dt);
		if (!it) {
			imp_refuse(c, e, e->rrule_line, "RRULE at line %d cannot be expanded", e->rrule_line);
			return -1;
		}
		for (occ = icalrecur_iterator_next(it); !icaltime_is_null_time(occ);
		     occ = icalrecur_iterator_next(it)) {
			int64_t t = civil_days_from_date(occ.year, occ.month, occ.day) * IMP_DAY +
				    occ.hour * 3600 + occ.minute * 60 + occ.second;
			bool too_many;

			if (t > until_t)
				break;
			too_many = ++raw > IMPORT_MAX_OCCURRENCES + e->n_ex + IMP_ITER_SLACK;
			if (!too_many && imp_session(c, e, t, &s)) {
				icalrecur_iterator_free(it);
				return -1;
			}
			if (!too_many && imp_excluded(c, e, t, s.start_utc))
				continue;
			if (too_many || ie->n_sessions >= IMPORT_MAX_OCCURRENCES) {
				icalrecur_iterator_free(it);
				imp_refuse(
				    c, e, e->rrule_line,
				    "RRULE at line %d gives more than %d sessions: at most %d per event",
				    e->rrule_line, IMPORT_MAX_OCCURRENCES, IMPORT_MAX_OCCURRENCES);
				return -1;
			}
			if (imp_add_session(c, ie, &s)) {
				icalrecur_iterator_free(it);
				return -1;
			}
		}
		icalrecur_iterator_free(it);
	} else {
		if (imp_session(c, e, e->start.naive, &s))
			return -1;
		if (!imp_excluded(c, e, e->start.naive, s.start_utc) && imp_add_session(c, ie, &s))
			return -1;
	}
	for (size_t i = 0; i < e->n_rd; i++) {
		int64_t u, t;

		if (e->rd[i].kind == IT_DATE) {
			imp_refuse(c, e, e->rd[i].line, "RDATE at line %d is a date without a time",
				   e->rd[i].line);
			return -1;
		}
		if (imp_instant(&f, &e->rd[i], &u)) {
			imp_refuse(c, e, e->rd[i].line, "RDATE at line %d does not name a real instant",
				   e->rd[i].line);
			return -1;
		}
		t = e->rd[i].naive;
		if (f.utc) {
			t = u;
		} else if (e->rd[i].kind == IT_UTC ||
			   (e->rd[i].kind == IT_ZONED && strcmp(e->rd[i].zone, f.zone))) {
			char local[TZ_LOCAL_LEN];
			int32_t off;

			if (tz_utc_to_local(f.zone, u, local, &off) != TZ_OK)
				return -1;
			t = u + off;
		}
		if (imp_session(c, e, t, &s))
			return -1;
		if (!imp_excluded(c, e, t, s.start_utc) && imp_add_session(c, ie, &s))
			return -1;
	}
	return 0;
}

/* Applies override o (same UID, RECURRENCE-ID) to master m's sessions. 0 or -1 (m refused). */
static int imp_override(struct imp_ctx *c, struct imp_vevent *m, struct imp_vevent *o,
			struct import_event *ie)
{
	struct import_session s;
	struct imp_frame f;
	int64_t rid;
	size_t i;

	o->used = true;
	imp_frame_of(c, &m->start, &f);
	if (o->refused) {
		imp_refuse(c, m, o->line, "its occurrence override at line %d is refused", o->line);
		return -1;
	}
	if (o->rid.kind == IT_DATE) {
		rid = 0;
	} else if (imp_instant(&f, &o->rid, &rid)) {
		imp_refuse(c, m, o->rid.line, "RECURRENCE-ID at line %d does not name a real instant",
			   o->rid.line);
		return -1;
	}
	for (i = 0; i < ie->n_sessions; i++) {
		if (o->rid.kind == IT_DATE) {
			int64_t day = civil_days_from_date(imp_digits(ie->sessions[i].starts_local, 4),
							   imp_digits(ie->sessions[i].starts_local + 5, 2),
							   imp_digits(ie->sessions[i].starts_local + 8, 2));

			if (day == imp_floor_day(o->rid.naive))
				break;
		} else if (ie->sessions[i].start_utc == rid) {
			break;
		}
	}
	if (o->cancelled) {
		if (i < ie->n_sessions) {
			imp_warn(c, m, "the occurrence of %.16s was cancelled (line %d): not imported",
				 ie->sessions[i].starts_local, o->line);
			memmove(&ie->sessions[i], &ie->sessions[i + 1],
				(ie->n_sessions - i - 1) * sizeof(ie->sessions[0]));
			ie->n_sessions--;
		}
		return 0;
	}
	if (imp_session(c, o, o->start.naive, &s)) {
		imp_refuse(c, m, o->line, "its occurrence override at line %d is refused", o->line);
		return -1;
	}
	if (i < ie->n_sessions) {
		ie->sessions[i] = s;
		return 0;
	}
	imp_warn(c, m, "the override at line %d matches no occurrence: added as an extra session", o->line);
	return imp_add_session(c, ie, &s);
}

/* Turns master e (with its overrides) into an import_event of out, or refuses it. */
static void imp_event(struct imp_ctx *c, size_t idx)
{
	struct imp_vevent *e = &c->ev[idx];
	struct import_event ie;
	size_t k, n;

	memset(&ie, 0, sizeof(ie));
	if (imp_expand(c, e, &ie))
		goto fail;
	for (size_t j = 0; j < c->n_ev; j++) {
		struct imp_vevent *o = &c->ev[j];

		if (j == idx || !o->has_rid || !o->uid || strcmp(o->uid, e->uid))
			continue;
		if (imp_override(c, e, o, &ie))
			goto fail;
	}
	if (ie.n_sessions)
		qsort(ie.sessions, ie.n_sessions, sizeof(ie.sessions[0]), imp_session_cmp);
	for (k = 0, n = 0; k < ie.n_sessions; k++) /* the same start twice (RDATE = DTSTART) counts once */
		if (!n || ie.sessions[n - 1].start_utc != ie.sessions[k].start_utc)
			ie.sessions[n++] = ie.sessions[k];
	ie.n_sessions = n;
	if (!n) {
		imp_note(c, false, "VEVENT", e->uid, e->line, "every occurrence is excluded or cancelled");
		goto fail;
	}
	if (n > IMPORT_MAX_OCCURRENCES) {
		imp_refuse(c, e, e->rrule_line, "%zu sessions: at most %d per event", n,
			   IMPORT_MAX_OCCURRENCES);
		goto fail;
	}
	if (e->start.kind == IT_FLOAT)
		imp_warn(c, e, "DTSTART at line %d has no time zone (floating time): read as %s",
			 e->start.line, c->opt->zone);
	if (imp_push((void **)&c->out->events, c->out->n_events, sizeof(*c->out->events))) {
		c->oom = true;
		goto fail;
	}
	ie.uid = e->uid;
	ie.summary = e->summary;
	ie.description = e->description;
	ie.line = e->line;
	ie.warnings = e->warnings;
	ie.n_warnings = e->n_warnings;
	e->uid = e->summary = e->description = NULL;
	e->warnings = NULL;
	e->n_warnings = 0;
	c->out->events[c->out->n_events++] = ie;
	return;
fail:
	free(ie.sessions);
}

static void imp_vevent_clear(struct imp_vevent *e)
{
	free(e->uid);
	free(e->rrule);
	free(e->ex);
	free(e->rd);
	free(e->summary);
	free(e->description);
	for (size_t i = 0; i < e->n_warnings; i++)
		free(e->warnings[i]);
	free(e->warnings);
}

/* Reads every VEVENT, then builds events from masters and lone overrides. */
static void imp_events(struct imp_ctx *c)
{
	size_t cap = 0;

	for (size_t i = 0; i < c->n_comps && !c->oom; i++) {
		if (strcmp(c->comps[i].name, "VEVENT")) {
			if (strcmp(c->comps[i].name, "VTIMEZONE"))
				imp_note(c, false, c->comps[i].name, NULL, c->lines[c->comps[i].first].line,
					 "%.15s components are not imported", c->comps[i].name);
			continue;
		}
		if (imp_grow((void **)&c->ev, &cap, c->n_ev, sizeof(*c->ev))) {
			c->oom = true;
			return;
		}
		imp_read_vevent(c, i, &c->ev[c->n_ev++]);
	}
	for (size_t i = 0; i < c->n_ev && !c->oom; i++) {
		struct imp_vevent *e = &c->ev[i];

		if (e->has_rid || e->refused)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (!c->ev[j].has_rid && !c->ev[j].refused && c->ev[j].uid &&
			    !strcmp(c->ev[j].uid, e->uid)) {
				imp_refuse(c, e, 0, "UID is already used by the VEVENT at line %d",
					   c->ev[j].line);
				break;
			}
		}
		if (e->refused)
			continue;
		if (e->cancelled) {
			imp_note(c, false, "VEVENT", e->uid, e->line, "STATUS:CANCELLED: not imported");
			for (size_t j = 0; j < c->n_ev; j++)
				if (c->ev[j].has_rid && c->ev[j].uid && !strcmp(c->ev[j].uid, e->uid))
					c->ev[j].used = true;
			continue;
		}
		imp_event(c, i);
	}
	/* overrides whose master is not in the file stand alone */
	for (size_t i = 0; i < c->n_ev && !c->oom; i++) {
		struct imp_vevent *o = &c->ev[i];
		bool master = false;

		if (!o->has_rid || o->used || o->refused)
			continue;
		for (size_t j = 0; j < c->n_ev; j++)
			if (!c->ev[j].has_rid && c->ev[j].uid && o->uid && !strcmp(c->ev[j].uid, o->uid))
				master = true;
		if (master)
			continue;
		if (o->cancelled) {
			imp_note(c, false, "VEVENT", o->uid, o->line, "STATUS:CANCELLED: not imported");
			continue;
		}
		imp_warn(c, o,
			 "RECURRENCE-ID at line %d refers to an event not in the file: imported on its own",
			 o->rid.line);
		free(o->rrule);
		o->rrule = NULL;
		o->n_ex = o->n_rd = 0;
		imp_event(c, i);
	}
}

int import_parse(const char *text, size_t len, const struct import_options *opt, struct import_result *out)
{
	struct imp_ctx c;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.opt = opt;
	c.out = out;
	if (!opt || !opt->zone || !tz_zone_valid(opt->zone))
		return -1;
	if (len > IMPORT_MAX_BYTES) {
		imp_fatal(&c, 1, "the file is larger than %d bytes", IMPORT_MAX_BYTES);
		goto out;
	}
	if (imp_unfold(&c, text, len) || imp_structure(&c))
		goto out;
	if (strcmp(c.lines[0].text, "BEGIN:VCALENDAR") && strcasecmp(c.lines[0].text, "BEGIN:VCALENDAR")) {
		imp_fatal(&c, c.lines[0].line, "not a VCALENDAR");
		goto out;
	}
	imp_collect_vtz(&c);
	if (!c.oom)
		imp_events(&c);
out:
	if (c.oom)
		rc = -1;
	for (size_t i = 0; i < c.n_ev; i++)
		imp_vevent_clear(&c.ev[i]);
	for (size_t i = 0; i < c.n_vtz; i++)
		if (c.vtz[i].z)
			icaltimezone_free(c.vtz[i].z, 1);
	free(c.ev);
	free(c.vtz);
	free(c.comps);
	free(c.lines);
	free(c.ubuf);
	return rc;
}

static void imp_note_free(struct import_note *n, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(n[i].uid);
	free(n);
}

void import_result_free(struct import_result *out)
{
	if (!out)
		return;
	for (size_t i = 0; i < out->n_events; i++) {
		struct import_event *e = &out->events[i];

		free(e->uid);
		free(e->summary);
		free(e->description);
		free(e->sessions);
		for (size_t k = 0; k < e->n_warnings; k++)
			free(e->warnings[k]);
		free(e->warnings);
	}
	free(out->events);
	imp_note_free(out->refused, out->n_refused);
	imp_note_free(out->skipped, out->n_skipped);
	memset(out, 0, sizeof(*out));
}
