/* import_vevent: reads one VEVENT's properties (times, DURATION, RRULE, EXDATE, RDATE, UID, texts) with
 * their raw checks; it must not expand recurrences or decide which events are imported. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/import_internal.h"
#include "util/secret.h"
#include "util/text.h"

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
const char *imp_until(const char *r)
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
void imp_read_vevent(struct imp_ctx *c, size_t ci, struct imp_vevent *e)
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
