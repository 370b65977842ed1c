/* import: the entry points of the strict .ics reader (import_parse, import_result_free), its per-call context
 * and the notes it gives (refusals, skips, warnings); it runs the steps of import_scan.c, import_vtimezone.c,
 * import_vevent.c and import_expand.c in order and must not touch the database, know domain rules beyond
 * sessions' wall time + zone, or keep libical objects beyond one call. */
#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/import_internal.h"

/* Grows *arr (elements of size elem) so that it holds n + 1. 0 or -1. */
int imp_grow(void **arr, size_t *cap, size_t n, size_t elem)
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
int imp_push(void **arr, size_t n, size_t elem)
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

char *imp_strdup(struct imp_ctx *c, const char *s)
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
void imp_note(struct imp_ctx *c, bool refused, const char *component, const char *uid, int line,
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
void imp_fatal(struct imp_ctx *c, int line, const char *fmt, ...)
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
void imp_refuse(struct imp_ctx *c, struct imp_vevent *e, int line, const char *fmt, ...)
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

void imp_warn(struct imp_ctx *c, struct imp_vevent *e, const char *fmt, ...)
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
