/* test_feed: table-driven unit tests of calendar/feed rendering from plain structs (UTC instants, texts,
 * escaping, folding, status, sequence, languages, attendees); it checks the text and must not include
 * libical itself. */
#include "calendar/feed.h"
#include "calendar/tz.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/text.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NOW	     1767225600 /* 2026-01-01T00:00:00Z */

/* A session with sensible defaults; callers override fields. */
static struct feed_session base_session(void)
{
	struct feed_session s;

	memset(&s, 0, sizeof(s));
	s.id = 7;
	s.event_id = 3;
	s.title[FEED_LANG_FR] = "Atelier de comptabilité";
	s.title[FEED_LANG_EN] = "Accounting workshop";
	s.description[FEED_LANG_FR] = "Bases de la comptabilité.";
	s.event_type = "workshop";
	s.start_utc = 1768467600; /* 2026-01-15T09:00:00Z */
	s.end_utc = s.start_utc + 7200;
	s.starts_local = "2026-01-15T10:00:00";
	s.start_offset = 3600;
	s.tz = "Africa/Casablanca";
	s.status = FEED_STATUS_CONFIRMED;
	s.sequence = 0;
	s.last_modified = NOW - 86400;
	s.venue_name = "Centre de formation";
	s.venue_address = "12 rue Oukaimeden";
	s.venue_city = "Rabat";
	s.org_name = "Association Amal";
	s.org_email = "contact@amal.example.org";
	return s;
}

/* Renders sessions into a malloc'ed NUL-terminated string the caller frees. */
static char *render(const struct feed_session *s, size_t n, enum feed_lang lang)
{
	struct feed_calendar cal = {
	    .name = "Majlis test",
	    .lang = lang,
	    .uid_domain = "majlis.test",
	    .public_url = "https://majlis.example.org/",
	    .now = NOW,
	    .sessions = s,
	    .n_sessions = n,
	};
	struct buf b;

	buf_init(&b, 16 * 1024 * 1024);
	assert_int_equal(feed_render(&cal, &b), 0);
	assert_non_null(b.data);
	return buf_steal(&b);
}

/* The text with folding undone (CRLF + space removed), malloc'ed. */
static char *unfold(const char *t)
{
	size_t n = strlen(t), o = 0;
	char *u = malloc(n + 1);

	assert_non_null(u);
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '\r' && t[i + 1] == '\n' && (t[i + 2] == ' ' || t[i + 2] == '\t')) {
			i += 2;
			continue;
		}
		u[o++] = t[i];
	}
	u[o] = '\0';
	return u;
}

/* Whether the unfolded text has a content line exactly equal to line. */
static bool has_line(const char *text, const char *line)
{
	char *u = unfold(text);
	size_t n = strlen(line);
	bool found = false;

	for (const char *p = u; p && *p;) {
		const char *e = strstr(p, "\r\n");

		if (!e)
			break;
		if ((size_t)(e - p) == n && !memcmp(p, line, n)) {
			found = true;
			break;
		}
		p = e + 2;
	}
	free(u);
	return found;
}

/* Number of unfolded content lines starting with prefix. */
static int count_prefix(const char *text, const char *prefix)
{
	char *u = unfold(text);
	size_t n = strlen(prefix);
	int count = 0;

	for (const char *p = u; *p;) {
		const char *e = strstr(p, "\r\n");

		if (!strncmp(p, prefix, n))
			count++;
		if (!e)
			break;
		p = e + 2;
	}
	free(u);
	return count;
}

/* Each physical line: CRLF-terminated, <= 75 octets, valid UTF-8 on its own (checked by util/text). */
static void assert_folded(const char *t)
{
	const char *p = t;

	while (*p) {
		const char *e = strstr(p, "\r\n");

		assert_non_null(e);
		assert_true(e - p <= 75);
		assert_true(text_utf8_valid(p, (size_t)(e - p)));
		p = e + 2;
	}
	assert_true(feed_folding_ok(t, strlen(t)));
}

/* One row: a Casablanca wall time at 10:00 and the UTC DTSTART and the offset text expected. */
struct instant_case {
	const char *local;
	const char *dtstart;
	const char *fr_line;
	const char *en_line;
};

static const struct instant_case instant_cases[] = {
    {"2026-01-15T10:00:00", "DTSTART:20260115T090000Z", "2026-01-15 10:00\\, heure du Maroc\\, UTC+1",
     "2026-01-15 10:00 Morocco time\\, UTC+1"},
    {"2026-03-01T10:00:00", "DTSTART:20260301T100000Z", "2026-03-01 10:00\\, heure du Maroc\\, UTC+0",
     "2026-03-01 10:00 Morocco time\\, UTC+0"},
    {"2026-06-10T10:00:00", "DTSTART:20260610T090000Z", "2026-06-10 10:00\\, heure du Maroc\\, UTC+1",
     "2026-06-10 10:00 Morocco time\\, UTC+1"},
    {"2026-10-15T10:00:00", "DTSTART:20261015T100000Z", "2026-10-15 10:00\\, heure du Maroc\\, UTC+0",
     "2026-10-15 10:00 Morocco time\\, UTC+0"},
};

static void test_instants(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(instant_cases); i++) {
		const struct instant_case *c = &instant_cases[i];
		struct feed_session s = base_session();
		int64_t utc;
		int32_t off;
		char *t, *u;

		assert_int_equal(tz_local_to_utc(TZ_DEFAULT_ZONE, c->local, TZ_NO_OFFSET, &utc, &off), TZ_OK);
		s.start_utc = utc;
		s.end_utc = utc + 3600;
		s.starts_local = c->local;
		s.start_offset = off;
		t = render(&s, 1, FEED_LANG_FR);
		assert_true(has_line(t, c->dtstart));
		u = unfold(t);
		assert_non_null(strstr(u, c->fr_line));
		assert_null(strstr(u, "TZID"));
		free(u);
		free(t);
		t = render(&s, 1, FEED_LANG_EN);
		u = unfold(t);
		assert_non_null(strstr(u, c->en_line));
		free(u);
		free(t);
	}
}

static void test_calendar_properties(void **state)
{
	struct feed_session s = base_session();
	char *t;
	static const char *const lines[] = {
	    "BEGIN:VCALENDAR",
	    "VERSION:2.0",
	    "CALSCALE:GREGORIAN",
	    "METHOD:PUBLISH",
	    "X-WR-CALNAME:Majlis test",
	    "X-WR-TIMEZONE:Africa/Casablanca",
	    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
	    "X-PUBLISHED-TTL:PT1H",
	    "END:VCALENDAR",
	    "UID:session-7@majlis.test",
	    "DTSTAMP:20260101T000000Z",
	    "LAST-MODIFIED:20251231T000000Z",
	    "DTEND:20260115T110000Z",
	    "SUMMARY:Atelier de comptabilité",
	    "CATEGORIES:Atelier",
	    "LOCATION:Centre de formation\\, 12 rue Oukaimeden\\, Rabat",
	    "URL:https://majlis.example.org/events/3",
	    "STATUS:CONFIRMED",
	    "SEQUENCE:0",
	    "ORGANIZER;CN=Association Amal:mailto:contact@amal.example.org",
	};

	(void)state;
	t = render(&s, 1, FEED_LANG_FR);
	for (size_t i = 0; i < ARRAY_LEN(lines); i++) {
		if (!has_line(t, lines[i]))
			fail_msg("missing line %s in\n%s", lines[i], t);
	}
	assert_int_equal(count_prefix(t, "PRODID:"), 1);
	assert_int_equal(count_prefix(t, "ATTENDEE"), 0);
	assert_int_equal(count_prefix(t, "GEO"), 0);
	free(t);

	/* geo, own url, no contact e-mail -> no ORGANIZER */
	s.has_geo = true;
	s.latitude = 34.0209;
	s.longitude = -6.8416;
	s.url = "https://amal.example.org/atelier";
	s.org_email = NULL;
	t = render(&s, 1, FEED_LANG_FR);
	assert_int_equal(count_prefix(t, "GEO:34.02"), 1);
	assert_true(has_line(t, "URL:https://amal.example.org/atelier"));
	assert_int_equal(count_prefix(t, "ORGANIZER"), 0);
	free(t);
}

/* One row: an event status, sequence parts, and what the VEVENT must say. */
struct status_case {
	enum feed_status status;
	int64_t sequence;
	const char *status_line;
	const char *sequence_line;
};

static const struct status_case status_cases[] = {
    {FEED_STATUS_CONFIRMED, 0, "STATUS:CONFIRMED", "SEQUENCE:0"},
    {FEED_STATUS_TENTATIVE, 2, "STATUS:TENTATIVE", "SEQUENCE:2"},
    {FEED_STATUS_CANCELLED, 5, "STATUS:CANCELLED", "SEQUENCE:5"},
    {FEED_STATUS_CANCELLED, 17, "STATUS:CANCELLED", "SEQUENCE:17"},
};

static void test_status_sequence(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(status_cases); i++) {
		struct feed_session s = base_session();
		char *t;

		s.status = status_cases[i].status;
		s.sequence = status_cases[i].sequence;
		t = render(&s, 1, FEED_LANG_FR);
		assert_true(has_line(t, status_cases[i].status_line));
		assert_true(has_line(t, status_cases[i].sequence_line));
		assert_int_equal(count_prefix(t, "STATUS:"), 1);
		free(t);
	}
}

/* Hostile texts: none may start a property or a component of its own. */
static const char *const hostile[] = {
    "x\r\nATTENDEE:evil",
    "x\nATTENDEE:mailto:evil@example.org",
    "x\rATTENDEE:evil",
    "x\r\n ATTENDEE:evil",
    "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nATTENDEE:evil",
    "tab\there; semi, comma \\ backslash \"quote\"",
    "\xC2\x85"
    "ATTENDEE:evil (NEL)",
    "bad \xFF\xFE utf-8",
};

static void test_injection(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(hostile); i++) {
		struct feed_session s = base_session();
		char *t;

		s.title[FEED_LANG_FR] = hostile[i];
		s.description[FEED_LANG_FR] = hostile[i];
		s.venue_name = hostile[i];
		s.org_name = hostile[i];
		s.session_title = hostile[i];
		t = render(&s, 1, FEED_LANG_FR);
		assert_int_equal(count_prefix(t, "ATTENDEE"), 0);
		assert_int_equal(count_prefix(t, "BEGIN:VEVENT"), 1);
		assert_int_equal(count_prefix(t, "END:VEVENT"), 1);
		assert_int_equal(count_prefix(t, "SUMMARY"), 1);
		assert_int_equal(count_prefix(t, "DESCRIPTION"), 1);
		assert_true(text_utf8_valid(t, strlen(t)));
		/* no bare CR or LF: every line break is CRLF */
		for (const char *p = t; *p; p++) {
			if (*p == '\r')
				assert_int_equal(p[1], '\n');
			if (*p == '\n')
				assert_true(p > t && p[-1] == '\r');
		}
		assert_folded(t);
		free(t);
	}
}

/* The escaped forms of the texts of one hostile row. */
static void test_escaping(void **state)
{
	struct feed_session s = base_session();
	char *t;

	(void)state;
	s.title[FEED_LANG_FR] = "a; b, c \\ d";
	s.description[FEED_LANG_FR] = "ligne 1\r\nligne 2";
	t = render(&s, 1, FEED_LANG_FR);
	assert_true(has_line(t, "SUMMARY:a\\; b\\, c \\\\ d"));
	{
		char *u = unfold(t);

		assert_non_null(strstr(
		    u, "DESCRIPTION:ligne 1\\nligne 2\\n\\nDébut : 2026-01-15 10:00\\, heure du Maroc"));
		free(u);
	}
	free(t);
}

/* Long texts in scripts of 1- to 4-octet characters, shifted by 0..4 ASCII octets. */
static void test_folding(void **state)
{
	static const char *const chars[] = {"ع", "€", "😀", "a"};

	(void)state;
	for (size_t k = 0; k < ARRAY_LEN(chars); k++) {
		for (int shift = 0; shift < 5; shift++) {
			struct feed_session s = base_session();
			char title[2048] = "";
			size_t n = 0;
			char *t, *u;

			for (int i = 0; i < shift; i++)
				title[n++] = 'x';
			for (int i = 0; i < 300; i++) {
				size_t l = strlen(chars[k]);

				memcpy(title + n, chars[k], l);
				n += l;
			}
			title[n] = '\0';
			s.title[FEED_LANG_AR] = title;
			s.org_name = title;
			s.venue_name = title;
			t = render(&s, 1, FEED_LANG_AR);
			assert_folded(t);
			u = unfold(t);
			assert_non_null(strstr(u, title));
			free(u);
			free(t);
		}
	}
}

static void test_folding_checker(void **state)
{
	char line[100];

	(void)state;
	memset(line, 'a', 75);
	memcpy(line + 75, "\r\n", 3);
	assert_true(feed_folding_ok(line, strlen(line)));
	memset(line, 'a', 76);
	memcpy(line + 76, "\r\n", 3);
	assert_false(feed_folding_ok(line, strlen(line)));
	/* a fold inside "ع" (D8 B9) */
	assert_false(feed_folding_ok("SUMMARY:\xD8\r\n \xB9\r\n", 15));
	assert_true(feed_folding_ok("SUMMARY:\xD8\xB9\r\n \xD8\xB9\r\n", 17));
}

/* The fallback folding repairs a text folded inside UTF-8 sequences or past 75 octets. */
static void test_refold(void **state)
{
	struct buf in, out;
	char *a, *b;

	(void)state;
	buf_init(&in, 1 << 20);
	buf_init(&out, 1 << 20);
	assert_int_equal(buf_puts(&in, "BEGIN:VEVENT\r\nSUMMARY:x\xD8\r\n \xB9"), 0);
	for (int i = 0; i < 200; i++)
		assert_int_equal(buf_puts(&in, "\xD8\xB9"), 0);
	assert_int_equal(buf_puts(&in, "\r\nDESCRIPTION:"), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(buf_puts(&in, "\xE2\x82\xAC\xF0\x9F\x98\x80"
					       "a"),
				 0);
	assert_int_equal(buf_puts(&in, "\r\nEND:VEVENT\r\n"), 0);
	assert_false(feed_folding_ok(in.data, in.len));
	assert_int_equal(feed_refold(in.data, in.len, &out), 0);
	assert_folded(out.data);
	a = unfold(in.data);
	b = unfold(out.data);
	assert_string_equal(a, b);
	free(a);
	free(b);
	buf_free(&in);
	buf_free(&out);
}

/* Language choice with fallback, and the Arabic time line. */
static void test_languages(void **state)
{
	struct feed_session s = base_session();
	char *t, *u;

	(void)state;
	s.title[FEED_LANG_EN] = NULL;
	t = render(&s, 1, FEED_LANG_EN);
	assert_true(has_line(t, "SUMMARY:Atelier de comptabilité"));
	assert_true(has_line(t, "CATEGORIES:Workshop"));
	free(t);

	s.title[FEED_LANG_AR] = "ورشة المحاسبة";
	s.session_title = "الوحدة 3";
	t = render(&s, 1, FEED_LANG_AR);
	assert_true(has_line(t, "SUMMARY:ورشة المحاسبة — الوحدة 3"));
	u = unfold(t);
	assert_non_null(strstr(u, "2026-01-15 10:00 بتوقيت المغرب، UTC+1"));
	free(u);
	free(t);

	s.tz = "Europe/Paris";
	t = render(&s, 1, FEED_LANG_FR);
	u = unfold(t);
	assert_non_null(strstr(u, "10:00\\, heure locale (Europe/Paris)\\, UTC+1"));
	free(u);
	free(t);
}

/* The owner's ATTENDEE line of a personal feed, per participation status. */
static void test_attendee(void **state)
{
	static const struct {
		enum feed_partstat ps;
		const char *word;
	} rows[] = {
	    {FEED_PART_ACCEPTED, "PARTSTAT=ACCEPTED"},
	    {FEED_PART_TENTATIVE, "PARTSTAT=TENTATIVE"},
	    {FEED_PART_NEEDS_ACTION, "PARTSTAT=NEEDS-ACTION"},
	    {FEED_PART_DECLINED, "PARTSTAT=DECLINED"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		struct feed_session s = base_session();
		struct feed_attendee a = {"Fatima Zahra", "fz@example.org", 9, rows[i].ps};
		char *t, *u;

		s.attendee = &a;
		t = render(&s, 1, FEED_LANG_FR);
		assert_int_equal(count_prefix(t, "ATTENDEE"), 1);
		u = unfold(t);
		assert_non_null(strstr(u, rows[i].word));
		assert_non_null(strstr(u, "CN=Fatima Zahra"));
		assert_non_null(strstr(u, ":mailto:fz@example.org\r\n"));
		free(u);
		free(t);
	}
	{
		struct feed_session s = base_session();
		struct feed_attendee a = {"Sans Courriel", NULL, 42, FEED_PART_ACCEPTED};
		char *t, *u;

		s.attendee = &a;
		t = render(&s, 1, FEED_LANG_FR);
		u = unfold(t);
		assert_non_null(strstr(u, ":urn:x-majlis:person:42\r\n"));
		free(u);
		free(t);
	}
}

static void test_many_sessions_and_lang_parse(void **state)
{
	struct feed_session s[3];
	enum feed_lang l;
	char *t;

	(void)state;
	for (int i = 0; i < 3; i++) {
		s[i] = base_session();
		s[i].id = 100 + i;
	}
	t = render(s, 3, FEED_LANG_FR);
	assert_int_equal(count_prefix(t, "BEGIN:VEVENT"), 3);
	assert_true(has_line(t, "UID:session-102@majlis.test"));
	free(t);
	t = render(NULL, 0, FEED_LANG_FR);
	assert_int_equal(count_prefix(t, "BEGIN:VEVENT"), 0);
	free(t);

	assert_int_equal(feed_lang_parse("ar", &l), 0);
	assert_int_equal(l, FEED_LANG_AR);
	assert_int_equal(feed_lang_parse("de", &l), -1);
	assert_int_equal(feed_lang_parse(NULL, &l), -1);
	assert_string_equal(feed_lang_name(FEED_LANG_EN), "en");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_instants),
	    cmocka_unit_test(test_calendar_properties),
	    cmocka_unit_test(test_status_sequence),
	    cmocka_unit_test(test_injection),
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_folding),
	    cmocka_unit_test(test_folding_checker),
	    cmocka_unit_test(test_refold),
	    cmocka_unit_test(test_languages),
	    cmocka_unit_test(test_attendee),
	    cmocka_unit_test(test_many_sessions_and_lang_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
