/* test_import: table-driven unit tests of calendar/import on the fixtures in tests/fixtures/ical (instants of
 * Outlook, Google, Thunderbird, Evolution and floating exports; each hostile file refused with its reason and
 * line; limits; TZID names resolved or refused), from bytes to plain structs without a database. */
#include "calendar/import.h"
#include "calendar/tz.h"
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define FIXTURES     "tests/fixtures/ical/"

static void parse_fixture(const char *name, const char *zone, struct import_result *r)
{
	struct import_options opt = {.zone = zone};
	size_t len;
	char *text = fixture_file(FIXTURES, name, &len);

	assert_int_equal(import_parse(text, len, &opt, r), 0);
	free(text);
}

/* "YYYY-MM-DDTHH:MM:SSZ" of a session start. */
static void utc_of(int64_t t, char out[TZ_LOCAL_LEN + 1])
{
	char local[TZ_LOCAL_LEN];

	assert_int_equal(tz_utc_to_local("UTC", t, local, NULL), TZ_OK);
	snprintf(out, TZ_LOCAL_LEN + 1, "%sZ", local);
}

static const struct import_event *find_event(const struct import_result *r, const char *summary)
{
	for (size_t i = 0; i < r->n_events; i++)
		if (!strcmp(r->events[i].summary, summary))
			return &r->events[i];
	fail_msg("no event \"%s\"", summary);
	return NULL;
}

/* One expected session: wall start, zone and UTC start. */
struct want_session {
	const char *starts_local;
	const char *tz;
	const char *start_utc;
};

struct want_event {
	const char *fixture;
	const char *zone; /* ?tz */
	const char *summary;
	size_t n;
	struct want_session s[8];
};

static const struct want_event want_events[] = {
    {"outlook_morocco.ics",
     "Africa/Casablanca",
     "Formation : gestion de projet",
     1,
     {{"2026-01-15T10:00:00", "Africa/Casablanca", "2026-01-15T09:00:00Z"}}},
    {"outlook_morocco.ics",
     "Africa/Casablanca",
     "Atelier pendant le Ramadan",
     1,
     {{"2026-03-01T10:00:00", "Africa/Casablanca", "2026-03-01T10:00:00Z"}}},
    {"outlook_morocco.ics",
     "Africa/Casablanca",
     "Concertation régionale Fès-Meknès",
     1,
     {{"2026-06-10T10:00:00", "Africa/Casablanca", "2026-06-10T09:00:00Z"}}},
    {"outlook_morocco.ics",
     "Africa/Casablanca",
     "Comité de suivi",
     1,
     {{"2026-10-15T10:00:00", "Africa/Casablanca", "2026-10-15T10:00:00Z"}}},
    {"outlook_morocco.ics",
     "Africa/Casablanca",
     "Cours de français (module 1)",
     5,
     {{"2026-04-07T10:00:00", "Africa/Casablanca", "2026-04-07T09:00:00Z"},
      {"2026-04-14T10:00:00", "Africa/Casablanca", "2026-04-14T09:00:00Z"},
      {"2026-04-28T14:00:00", "Africa/Casablanca", "2026-04-28T13:00:00Z"},
      {"2026-05-05T10:00:00", "Africa/Casablanca", "2026-05-05T09:00:00Z"},
      {"2026-05-12T10:00:00", "Africa/Casablanca", "2026-05-12T09:00:00Z"}}},
    {"google_casablanca.ics",
     "Africa/Casablanca",
     "Séance d'information employeurs",
     1,
     {{"2026-02-05T10:00:00", "Africa/Casablanca", "2026-02-05T09:00:00Z"}}},
    {"google_casablanca.ics",
     "Africa/Casablanca",
     "Atelier CV et entretien",
     1,
     {{"2026-03-03T10:00:00", "Africa/Casablanca", "2026-03-03T10:00:00Z"}}},
    {"google_casablanca.ics",
     "Africa/Casablanca",
     "Formation : création d'entreprise",
     3,
     {{"2026-04-02T14:00:00", "Africa/Casablanca", "2026-04-02T13:00:00Z"},
      {"2026-04-09T14:00:00", "Africa/Casablanca", "2026-04-09T13:00:00Z"},
      {"2026-04-23T14:00:00", "Africa/Casablanca", "2026-04-23T13:00:00Z"}}},
    {"thunderbird_weekly.ics",
     "Africa/Casablanca",
     "Concertation OFII - partenaires marocains",
     6,
     {{"2026-03-16T09:30:00", "Europe/Paris", "2026-03-16T08:30:00Z"},
      {"2026-03-23T09:30:00", "Europe/Paris", "2026-03-23T08:30:00Z"},
      {"2026-03-30T09:30:00", "Europe/Paris", "2026-03-30T07:30:00Z"},
      {"2026-04-06T09:30:00", "Europe/Paris", "2026-04-06T07:30:00Z"},
      {"2026-04-13T09:30:00", "Europe/Paris", "2026-04-13T07:30:00Z"},
      {"2026-04-20T09:30:00", "Europe/Paris", "2026-04-20T07:30:00Z"}}},
    {"evolution_prefixed.ics",
     "Africa/Casablanca",
     "Réunion de coordination",
     1,
     {{"2026-05-20T09:30:00", "Africa/Casablanca", "2026-05-20T08:30:00Z"}}},
    {"floating.ics",
     "Africa/Casablanca",
     "Atelier d'écriture",
     1,
     {{"2026-05-12T09:00:00", "Africa/Casablanca", "2026-05-12T08:00:00Z"}}},
    {"floating.ics",
     "Europe/Paris",
     "Atelier d'écriture",
     1,
     {{"2026-05-12T09:00:00", "Europe/Paris", "2026-05-12T07:00:00Z"}}},
};

static void test_fixture_instants(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(want_events); i++) {
		const struct want_event *w = &want_events[i];
		const struct import_event *e;
		struct import_result r;
		char utc[TZ_LOCAL_LEN + 1];

		parse_fixture(w->fixture, w->zone, &r);
		if (r.n_refused)
			fail_msg("%s: refused %s line %d: %s", w->fixture, r.refused[0].component,
				 r.refused[0].line, r.refused[0].reason);
		assert_false(r.fatal);
		e = find_event(&r, w->summary);
		if (e->n_sessions != w->n)
			fail_msg("%s / %s: %zu sessions, want %zu", w->fixture, w->summary, e->n_sessions,
				 w->n);
		for (size_t k = 0; k < w->n; k++) {
			utc_of(e->sessions[k].start_utc, utc);
			assert_string_equal(e->sessions[k].starts_local, w->s[k].starts_local);
			assert_string_equal(e->sessions[k].tz, w->s[k].tz);
			assert_string_equal(utc, w->s[k].start_utc);
			assert_true(e->sessions[k].end_utc > e->sessions[k].start_utc);
		}
		import_result_free(&r);
	}
}

static void test_fixture_details(void **state)
{
	struct import_result r;
	const struct import_event *e;

	(void)state;
	parse_fixture("outlook_morocco.ics", "Africa/Casablanca", &r);
	assert_int_equal(r.n_events, 5);
	e = find_event(&r, "Formation : gestion de projet");
	assert_string_equal(e->uid, "040000008200E00074C5B7101A82E00800000000A0C1B7D55A58DC010000000000000000"
				    "1000000078F4A6B1C2D3E4F5061728394A5B6C7D");
	assert_non_null(strstr(e->description, "Salle 2, 1er étage."));
	assert_int_equal(e->line, 34);
	assert_string_equal(e->sessions[0].ends_local, "2026-01-15T12:00:00");
	import_result_free(&r);

	parse_fixture("google_casablanca.ics", "Africa/Casablanca", &r);
	assert_int_equal(r.n_events, 3);
	assert_int_equal(r.n_skipped, 1);
	assert_non_null(strstr(r.skipped[0].reason, "CANCELLED"));
	assert_string_equal(r.skipped[0].uid, "0p9o8i7u6y5t4r3e2w1q0a9s8d@google.com");
	e = find_event(&r, "Formation : création d'entreprise");
	assert_true(e->n_warnings >= 1); /* the cancelled occurrence */
	import_result_free(&r);

	parse_fixture("floating.ics", "Africa/Casablanca", &r);
	assert_int_equal(r.n_events, 1);
	assert_int_equal(r.events[0].n_warnings, 1);
	assert_non_null(strstr(r.events[0].warnings[0], "floating"));
	import_result_free(&r);
}

/* A hostile fixture: refused (fatal or not) with a reason holding want, at line (0: any). */
struct want_refusal {
	const char *fixture;
	bool fatal;
	int line;
	const char *want;
};

static const struct want_refusal want_refusals[] = {
    {"hostile_bad_date.ics", false, 7, "not a valid date"},
    {"hostile_secondly.ics", false, 9, "second, minute or hour"},
    {"hostile_hourly.ics", false, 9, "second, minute or hour"},
    {"hostile_too_many_occurrences.ics", false, 9, "COUNT=500"},
    {"hostile_unbounded.ics", false, 9, "neither COUNT nor UNTIL"},
    {"hostile_end_before_start.ics", false, 8, "not after DTSTART"},
    {"hostile_missing_dtstart.ics", false, 4, "no DTSTART"},
    {"hostile_unknown_tzid.ics", false, 7, "unknown TZID \"Mars/Olympus_Mons\""},
    {"hostile_vtimezone_lies.ics", false, 16, "VTIMEZONE \"Europe/Paris\" (line 4)"},
    {"hostile_outlook_stale_morocco.ics", false, 22, "tz database has Africa/Casablanca at UTC+00:00"},
    {"hostile_not_vcalendar.ics", true, 1, "not a VCALENDAR"},
    {"hostile_deep_nesting.ics", true, 13, "deeper than 4"},
    {"hostile_gap.ics", false, 7, "does not exist"},
    {"hostile_control_chars.ics", false, 9, "control character"},
    {"hostile_invalid_utf8.ics", true, 9, "not valid UTF-8"},
};

static void test_hostile_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(want_refusals); i++) {
		const struct want_refusal *w = &want_refusals[i];
		struct import_result r;

		parse_fixture(w->fixture, "Africa/Casablanca", &r);
		if (r.n_refused != 1 || r.fatal != w->fatal || !strstr(r.refused[0].reason, w->want) ||
		    (w->line && r.refused[0].line != w->line))
			fail_msg("%s: %zu refused, fatal %d, first: line %d \"%s\"", w->fixture, r.n_refused,
				 r.fatal, r.n_refused ? r.refused[0].line : -1,
				 r.n_refused ? r.refused[0].reason : "");
		assert_int_equal(r.n_events, 0);
		import_result_free(&r);
	}
}

/* Builds a calendar of n one-hour VEVENTs; caller frees. */
static char *many_events(int n, size_t *len)
{
	size_t cap = 200 + (size_t)n * 160, k = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	k += (size_t)snprintf(s + k, cap - k, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n");
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(s + k, cap - k,
				      "BEGIN:VEVENT\r\nUID:e%d@t\r\nDTSTART:20260601T100000Z\r\n"
				      "DTEND:20260601T110000Z\r\nSUMMARY:E %d\r\nEND:VEVENT\r\n",
				      i, i);
	k += (size_t)snprintf(s + k, cap - k, "END:VCALENDAR\r\n");
	*len = k;
	return s;
}

static void test_limits(void **state)
{
	struct import_options opt = {.zone = "Africa/Casablanca"};
	struct import_result r;
	size_t len;
	char *s;

	(void)state;
	s = many_events(998, &len); /* 999 components with the VCALENDAR */
	assert_int_equal(import_parse(s, len, &opt, &r), 0);
	assert_false(r.fatal);
	assert_int_equal(r.n_events, 998);
	import_result_free(&r);
	free(s);

	s = many_events(1000, &len);
	assert_int_equal(import_parse(s, len, &opt, &r), 0);
	assert_true(r.fatal);
	assert_non_null(strstr(r.refused[0].reason, "more than 1000 components"));
	assert_int_equal(r.n_events, 0);
	import_result_free(&r);
	free(s);

	s = calloc(1, IMPORT_MAX_BYTES + 2);
	assert_non_null(s);
	memset(s, 'A', IMPORT_MAX_BYTES + 1);
	assert_int_equal(import_parse(s, IMPORT_MAX_BYTES + 1, &opt, &r), 0);
	assert_true(r.fatal);
	assert_non_null(strstr(r.refused[0].reason, "larger than"));
	import_result_free(&r);
	free(s);

	/* an embedded NUL byte is a control character */
	{
		static const char nul[] =
		    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:n@t\r\nSUMMARY:a\0b\r\n"
		    "DTSTART:20260601T100000Z\r\nDTEND:20260601T110000Z\r\nEND:VEVENT\r\n"
		    "END:VCALENDAR\r\n";

		assert_int_equal(import_parse(nul, sizeof(nul) - 1, &opt, &r), 0);
		assert_int_equal(r.n_refused, 1);
		assert_int_equal(r.refused[0].line, 4);
		import_result_free(&r);
	}
	/* an unknown zone for floating times is the caller's error */
	opt.zone = "Nowhere/Else";
	assert_int_equal(import_parse("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 31, &opt, &r), -1);
	import_result_free(&r);
}

static void test_zone_names(void **state)
{
	static const struct {
		const char *tzid;
		const char *iana; /* NULL: refused */
	} cases[] = {
	    {"Africa/Casablanca", "Africa/Casablanca"},
	    {"Morocco Standard Time", "Africa/Casablanca"},
	    {"Romance Standard Time", "Europe/Paris"},
	    {"GMT Standard Time", "Europe/London"},
	    {"W. Europe Standard Time", "Europe/Berlin"},
	    {"UTC", "UTC"},
	    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
	    {"W. Central Africa Standard Time", "Africa/Lagos"},
	    {"E. Africa Standard Time", "Africa/Nairobi"},
	    {"Egypt Standard Time", "Africa/Cairo"},
	    {"Arab Standard Time", "Asia/Riyadh"},
	    {"Arabic Standard Time", "Asia/Baghdad"},
	    {"Eastern Standard Time", "America/New_York"},
	    {"/freeassociation.sourceforge.net/Africa/Casablanca", "Africa/Casablanca"},
	    {"/freeassociation.sourceforge.net/Tzfile/Europe/Paris", "Europe/Paris"},
	    {"/mozilla.org/20050126_1/Africa/Casablanca", "Africa/Casablanca"},
	    {"Mars/Olympus_Mons", NULL},
	    {"../../etc/passwd", NULL},
	    {"/etc/passwd", NULL},
	    {"", NULL},
	    {"Customized Time Zone", NULL},
	};
	char iana[IMPORT_ZONE_LEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int rc = import_zone_resolve(cases[i].tzid, iana);

		if (!cases[i].iana) {
			if (rc != -1)
				fail_msg("\"%s\" resolved to \"%s\"", cases[i].tzid, iana);
			continue;
		}
		if (rc)
			fail_msg("\"%s\" not resolved", cases[i].tzid);
		assert_string_equal(iana, cases[i].iana);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture_instants), cmocka_unit_test(test_fixture_details),
	    cmocka_unit_test(test_hostile_fixtures), cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_zone_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
