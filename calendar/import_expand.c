/* import_expand: turns a read VEVENT (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides) into its sessions as
 * wall time + zone + instants, bounded by IMPORT_MAX_OCCURRENCES; it must not read content lines. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/import_internal.h"
#include "util/civil.h"

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
void imp_event(struct imp_ctx *c, size_t idx)
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
