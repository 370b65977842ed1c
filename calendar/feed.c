/* feed: builds a VCALENDAR with libical from struct feed_calendar and serialises it (escaping and folding by
 * libical, verified here); it must not read the database, pick which sessions a feed shows, or log text. */
#include "calendar/feed.h"
#include "calendar/tz.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define FEED_PRODID	  "-//Majlis//Majlis " MAJLIS_VERSION "//FR"
#define FEED_TTL_SECONDS  3600
#define FEED_LINE_MAX	  75 /* octets per physical line, CRLF excluded (RFC 5545 3.1) */
#define FEED_MOROCCO_ZONE "Africa/Casablanca"

/* Fallback order of languages per feed language: the wanted one first, then the others. */
static const enum feed_lang feed_fallback[FEED_N_LANGS][FEED_N_LANGS] = {
    [FEED_LANG_FR] = {FEED_LANG_FR, FEED_LANG_EN, FEED_LANG_AR},
    [FEED_LANG_AR] = {FEED_LANG_AR, FEED_LANG_FR, FEED_LANG_EN},
    [FEED_LANG_EN] = {FEED_LANG_EN, FEED_LANG_FR, FEED_LANG_AR},
};

static const char *const feed_lang_names[FEED_N_LANGS] = {"fr", "ar", "en"};

/* Words of the rendered texts, per language. */
struct feed_words {
	const char *starts;	  /* label before the start time */
	const char *morocco_time; /* between the wall time and the offset, zone Africa/Casablanca */
	const char *local_open;	  /* same, another zone: before the zone name */
	const char *local_close;  /* after the zone name */
	const char *training, *workshop, *concertation;
};

static const struct feed_words feed_words[FEED_N_LANGS] = {
    [FEED_LANG_FR] = {"Début : ", ", heure du Maroc, ", ", heure locale (", "), ", "Formation", "Atelier",
		      "Concertation"},
    [FEED_LANG_AR] = {"البداية: ", " بتوقيت المغرب، ", " بالتوقيت المحلي (", ")، ", "تكوين", "ورشة", "تشاور"},
    [FEED_LANG_EN] = {"Starts: ", " Morocco time, ", " local time (", "), ", "Training", "Workshop",
		      "Concertation"},
};

int feed_lang_parse(const char *s, enum feed_lang *lang)
{
	for (int i = 0; i < FEED_N_LANGS; i++) {
		if (s && !strcmp(s, feed_lang_names[i])) {
			*lang = (enum feed_lang)i;
			return 0;
		}
	}
	return -1;
}

const char *feed_lang_name(enum feed_lang lang)
{
	return (unsigned)lang < FEED_N_LANGS ? feed_lang_names[lang] : "fr";
}

/* Length of the well-formed UTF-8 sequence at p (n bytes available), or 0 when it is not one. */
static size_t feed_utf8_seq(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned c = p[0];
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* A malloc'ed copy of s fit for a property value: invalid UTF-8 becomes U+FFFD, CR LF and lone CR become
 * LF (multiline) or a space (single line), other C0 controls, DEL and C1 controls become a space. A NULL
 * s gives NULL; NULL on memory shortage too (the caller checks). */
static char *feed_clean(const char *s, bool multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, o = 0;
	char *out;

	if (!s)
		return NULL;
	n = strlen(s);
	out = malloc(3 * n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t k = feed_utf8_seq(p + i, n - i);

		if (!k) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
			continue;
		}
		if (k == 1 && (p[i] == '\r' || p[i] == '\n')) {
			if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
				i++;
			out[o++] = multiline ? '\n' : ' ';
		} else if (k == 1 && (p[i] < 0x20 || p[i] == 0x7F)) {
			out[o++] = ' ';
		} else if (k == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0) {
			out[o++] = ' ';
		} else {
			memcpy(out + o, p + i, k);
			o += k;
		}
		i += k;
	}
	out[o] = '\0';
	return out;
}

/* The first non-empty text of v in lang's fallback order, or NULL. */
static const char *feed_pick(const char *const v[FEED_N_LANGS], enum feed_lang lang)
{
	for (int i = 0; i < FEED_N_LANGS; i++) {
		const char *s = v[feed_fallback[lang][i]];

		if (s && *s)
			return s;
	}
	return NULL;
}

/* "UTC+1", "UTC+0", "UTC-3:30" for an offset in seconds. */
static void feed_offset_text(int32_t offset, char out[16])
{
	int32_t a = offset < 0 ? -offset : offset;
	int h = (int)(a / 3600), m = (int)(a % 3600 / 60);

	if (m)
		snprintf(out, 16, "UTC%c%d:%02d", offset < 0 ? '-' : '+', h, m);
	else
		snprintf(out, 16, "UTC%c%d", offset < 0 ? '-' : '+', h);
}

int feed_time_line(struct buf *b, const struct feed_session *s, enum feed_lang lang)
{
	const struct feed_words *w = &feed_words[lang];
	char off[16];
	const char *local = s->starts_local;
	int rc;

	if (!local || strlen(local) < 16)
		return 0;
	feed_offset_text(s->start_offset, off);
	rc = buf_printf(b, "%s%.10s %.5s", w->starts, local, local + 11);
	if (!s->tz || !strcmp(s->tz, FEED_MOROCCO_ZONE)) {
		rc |= buf_puts(b, w->morocco_time);
	} else {
		rc |= buf_printf(b, "%s%.64s%s", w->local_open, s->tz, w->local_close);
	}
	rc |= buf_puts(b, off);
	return rc ? -1 : 0;
}

static const char *feed_type_label(const char *type, enum feed_lang lang)
{
	const struct feed_words *w = &feed_words[lang];

	if (!type)
		return NULL;
	if (!strcmp(type, "training"))
		return w->training;
	if (!strcmp(type, "workshop"))
		return w->workshop;
	if (!strcmp(type, "concertation"))
		return w->concertation;
	return type;
}

static struct icaltimetype feed_utc(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* Adds a TEXT property made by ctor from a cleaned copy of s (skipped when s is NULL or empty).
 * Returns 0 or -1. */
static int feed_add_text(icalcomponent *c, icalproperty *(*ctor)(const char *), const char *s, bool multiline)
{
	char *v;
	icalproperty *p;

	if (!s || !*s)
		return 0;
	v = feed_clean(s, multiline);
	if (!v)
		return -1;
	p = ctor(v);
	free(v);
	if (!p)
		return -1;
	icalcomponent_add_property(c, p);
	return 0;
}

/* Adds an X- property with a cleaned single-line value. Returns 0 or -1. */
static int feed_add_x(icalcomponent *c, const char *name, const char *value)
{
	char *v = feed_clean(value, false);
	icalproperty *p;

	if (!v)
		return -1;
	p = icalproperty_new_x(v);
	free(v);
	if (!p)
		return -1;
	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
	return 0;
}

/* Adds a property whose value is a URI (ORGANIZER, ATTENDEE) with an optional CN and PARTSTAT.
 * partstat < 0: none. Returns 0 or -1. */
static int feed_add_address(icalcomponent *c, bool attendee, const char *uri, const char *cn, int partstat)
{
	char *u = feed_clean(uri, false);
	char *n = feed_clean(cn, false);
	icalproperty *p = NULL;
	int rc = -1;

	if (!u || (cn && !n))
		goto out;
	/* a URI never holds spaces: the cleaned controls would have become ones */
	for (char *q = u; *q; q++)
		if (*q == ' ')
			*q = '_';
	p = attendee ? icalproperty_new_attendee(u) : icalproperty_new_organizer(u);
	if (!p)
		goto out;
	if (n && *n)
		icalproperty_add_parameter(p, icalparameter_new_cn(n));
	if (partstat >= 0) {
		static const icalparameter_partstat map[] = {
		    [FEED_PART_ACCEPTED] = ICAL_PARTSTAT_ACCEPTED,
		    [FEED_PART_TENTATIVE] = ICAL_PARTSTAT_TENTATIVE,
		    [FEED_PART_NEEDS_ACTION] = ICAL_PARTSTAT_NEEDSACTION,
		    [FEED_PART_DECLINED] = ICAL_PARTSTAT_DECLINED,
		};

		icalproperty_add_parameter(p, icalparameter_new_partstat(map[partstat]));
		icalproperty_add_parameter(p, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
	}
	icalcomponent_add_property(c, p);
	rc = 0;
out:
	free(u);
	free(n);
	return rc;
}

/* Appends the parts of a location that are set, separated by ", ". */
static int feed_location(struct buf *b, const struct feed_session *s)
{
	const char *parts[] = {s->room_name, s->venue_name, s->venue_address, s->venue_city};
	int rc = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (b->len)
			rc |= buf_puts(b, ", ");
		rc |= buf_puts(b, parts[i]);
	}
	return rc ? -1 : 0;
}

/* Builds the VEVENT of one session into cal. Returns 0 or -1. */
static int feed_vevent(icalcomponent *cal, const struct feed_calendar *fc, const struct feed_session *s)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	struct buf t;
	const char *title, *desc;
	char uid[256];
	int rc = -1;

	buf_init(&t, 1024 * 1024);
	if (!ev)
		goto out;
	snprintf(uid, sizeof(uid), "session-%lld@%s", (long long)s->id, fc->uid_domain ? fc->uid_domain : "");
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(feed_utc(fc->now)));
	if (s->last_modified > 0)
		icalcomponent_add_property(ev, icalproperty_new_lastmodified(feed_utc(s->last_modified)));
	icalcomponent_add_property(ev, icalproperty_new_sequence((int)(s->sequence < 0 ? 0 : s->sequence)));
	icalcomponent_add_property(
	    ev, icalproperty_new_status(s->status == FEED_STATUS_CANCELLED   ? ICAL_STATUS_CANCELLED
					: s->status == FEED_STATUS_TENTATIVE ? ICAL_STATUS_TENTATIVE
									     : ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(feed_utc(s->start_utc)));
	icalcomponent_add_property(ev, icalproperty_new_dtend(feed_utc(s->end_utc)));

	/* SUMMARY: event title in the feed's language, then the session's own title */
	title = feed_pick(s->title, fc->lang);
	if (buf_puts(&t, title ? title : "Majlis"))
		goto out;
	if (s->session_title && *s->session_title && buf_printf(&t, " — %s", s->session_title))
		goto out;
	if (feed_add_text(ev, icalproperty_new_summary, t.data, false))
		goto out;

	/* DESCRIPTION: the event's description, then the local start spelled out */
	buf_reset(&t);
	desc = feed_pick(s->description, fc->lang);
	if (desc && *desc && (buf_puts(&t, desc) || buf_puts(&t, "\n\n")))
		goto out;
	if (feed_time_line(&t, s, fc->lang))
		goto out;
	if (t.len && feed_add_text(ev, icalproperty_new_description, t.data, true))
		goto out;

	buf_reset(&t);
	if (feed_location(&t, s))
		goto out;
	if (t.len && feed_add_text(ev, icalproperty_new_location, t.data, false))
		goto out;
	if (s->has_geo) {
		struct icalgeotype g = {s->latitude, s->longitude};

		icalcomponent_add_property(ev, icalproperty_new_geo(g));
	}

	buf_reset(&t);
	if (s->url && *s->url) {
		if (buf_puts(&t, s->url))
			goto out;
	} else if (fc->public_url && *fc->public_url) {
		size_t n = strlen(fc->public_url);

		while (n && fc->public_url[n - 1] == '/')
			n--;
		if (buf_printf(&t, "%.*s/events/%lld", (int)n, fc->public_url, (long long)s->event_id))
			goto out;
	}
	if (t.len && feed_add_text(ev, icalproperty_new_url, t.data, false))
		goto out;

	if (feed_add_text(ev, icalproperty_new_categories, feed_type_label(s->event_type, fc->lang), false))
		goto out;

	if (s->org_email && *s->org_email) {
		buf_reset(&t);
		if (buf_printf(&t, "mailto:%s", s->org_email) ||
		    feed_add_address(ev, false, t.data, s->org_name, -1))
			goto out;
	}
	if (s->attendee) {
		const struct feed_attendee *a = s->attendee;

		buf_reset(&t);
		if (a->email && *a->email)
			rc = buf_printf(&t, "mailto:%s", a->email);
		else
			rc = buf_printf(&t, "urn:x-majlis:person:%lld", (long long)a->person_id);
		if (rc || feed_add_address(ev, true, t.data, a->name, (int)a->partstat)) {
			rc = -1;
			goto out;
		}
	}
	icalcomponent_add_component(cal, ev);
	ev = NULL;
	rc = 0;
out:
	if (ev)
		icalcomponent_free(ev);
	buf_free(&t);
	return rc;
}

bool feed_folding_ok(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *e = strstr(p, "\r\n");
		size_t n;

		if (!e || e > end)
			return false;
		n = (size_t)(e - p);
		if (n > FEED_LINE_MAX)
			return false;
		if (*p == ' ' || *p == '\t') {
			p++;
			n--;
		}
		for (size_t i = 0; i < n;) {
			size_t k = feed_utf8_seq((const unsigned char *)p + i, n - i);

			if (!k)
				return false;
			i += k;
		}
		p = e + 2;
	}
	return true;
}

int feed_refold(const char *text, size_t len, struct buf *out)
{
	struct buf line;
	const char *p = text, *end = text + len;
	int rc = 0;

	buf_init(&line, len + 1);
	while (p < end && !rc) {
		const char *e = strstr(p, "\r\n");
		const char *q;
		size_t n, room;

		if (!e || e > end)
			e = end;
		rc |= buf_append(&line, p, (size_t)(e - p));
		p = e + (e < end ? 2 : 0);
		if (p < end && (*p == ' ' || *p == '\t')) {
			p++;
			continue;
		}
		/* emit the logical line in folded pieces */
		q = line.data ? line.data : "";
		n = line.len;
		room = FEED_LINE_MAX;
		while (n > room) {
			size_t cut = room;

			while (cut > 0 && ((unsigned char)q[cut] & 0xC0) == 0x80)
				cut--;
			if (!cut)
				cut = room;
			rc |= buf_append(out, q, cut);
			rc |= buf_puts(out, "\r\n ");
			q += cut;
			n -= cut;
			room = FEED_LINE_MAX - 1;
		}
		rc |= buf_append(out, q, n);
		rc |= buf_puts(out, "\r\n");
		buf_reset(&line);
	}
	buf_free(&line);
	return rc ? -1 : 0;
}

static int feed_render_zones_held(const struct feed_calendar *fc, struct buf *out)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalproperty *p;
	char *text = NULL;
	size_t len;
	int rc = -1;

	if (!cal)
		goto out;
	icalcomponent_add_property(cal, icalproperty_new_prodid(FEED_PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	if (feed_add_x(cal, "X-WR-CALNAME", fc->name ? fc->name : "Majlis") ||
	    feed_add_x(cal, "X-WR-TIMEZONE", FEED_MOROCCO_ZONE))
		goto out;
	p = icalproperty_new_refreshinterval(icaldurationtype_from_int(FEED_TTL_SECONDS));
	if (!p)
		goto out;
	icalproperty_add_parameter(p, icalparameter_new_value(ICAL_VALUE_DURATION));
	icalcomponent_add_property(cal, p);
	if (feed_add_x(cal, "X-PUBLISHED-TTL", "PT1H"))
		goto out;
	for (size_t i = 0; i < fc->n_sessions; i++)
		if (feed_vevent(cal, fc, &fc->sessions[i]))
			goto out;

	text = icalcomponent_as_ical_string_r(cal);
	if (!text)
		goto out;
	len = strlen(text);
	if (feed_folding_ok(text, len)) {
		rc = buf_append(out, text, len);
	} else {
		log_warn("libical folded a line badly; folding again");
		rc = feed_refold(text, len, out);
	}
out:
	if (rc)
		log_err("rendering a feed failed");
	if (text)
		icalmemory_free_buffer(text);
	if (cal)
		icalcomponent_free(cal);
	return rc;
}

int feed_render(const struct feed_calendar *fc, struct buf *out)
{
	int rc;

	tz_read_begin(); /* libical's zones (UTC here) stay while a tz reload waits */
	rc = feed_render_zones_held(fc, out);
	tz_read_end();
	return rc;
}
