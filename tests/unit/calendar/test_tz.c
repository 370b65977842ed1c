/* test_tz: table-driven unit tests of calendar/tz against the installed tz database (tzdata 2026f rules for
 * Morocco); it checks tz's answers and must not recompute them with tz's own helpers. */
#include "calendar/tz.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define CASA	     TZ_DEFAULT_ZONE
#define PARIS	     "Europe/Paris"
#define H	     3600
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Seconds since the epoch for "YYYY-MM-DDTHH:MM:SSZ", through the C library (independent of tz.c). */
static int64_t utc_of(const char *s)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
				&tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n),
			 6);
	assert_int_equal(s[n], '\0');
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

/* One row: a wall time in a zone, an optional offset, and the expected outcome. */
struct local_case {
	const char *zone;
	const char *local;
	int32_t hint;
	enum tz_rc rc;
	const char *utc; /* expected instant when rc is TZ_OK */
	int32_t offset;
};

static const struct local_case local_cases[] = {
    /* the four verified Casablanca instants */
    {CASA, "2026-01-15T10:00", TZ_NO_OFFSET, TZ_OK, "2026-01-15T09:00:00Z", H},
    {CASA, "2026-03-01T10:00", TZ_NO_OFFSET, TZ_OK, "2026-03-01T10:00:00Z", 0},
    {CASA, "2026-06-10T10:00", TZ_NO_OFFSET, TZ_OK, "2026-06-10T09:00:00Z", H},
    {CASA, "2026-10-15T10:00", TZ_NO_OFFSET, TZ_OK, "2026-10-15T10:00:00Z", 0},
    {CASA, "2026-06-10T10:00:30", TZ_NO_OFFSET, TZ_OK, "2026-06-10T09:00:30Z", H},
    /* a hint that agrees with the single occurrence, and one that does not */
    {CASA, "2026-01-15T10:00", H, TZ_OK, "2026-01-15T09:00:00Z", H},
    {CASA, "2026-01-15T10:00", 0, TZ_BAD_OFFSET, NULL, 0},
    /* 2026-03-22: 02:00 -> 03:00 */
    {CASA, "2026-03-22T02:30", TZ_NO_OFFSET, TZ_GAP, NULL, 0},
    {CASA, "2026-03-22T02:00", TZ_NO_OFFSET, TZ_GAP, NULL, 0},
    {CASA, "2026-03-22T02:59:59", TZ_NO_OFFSET, TZ_GAP, NULL, 0},
    {CASA, "2026-03-22T02:30", 0, TZ_GAP, NULL, 0},
    {CASA, "2026-03-22T02:30", H, TZ_GAP, NULL, 0},
    {CASA, "2026-03-22T01:59:59", TZ_NO_OFFSET, TZ_OK, "2026-03-22T01:59:59Z", 0},
    {CASA, "2026-03-22T03:00", TZ_NO_OFFSET, TZ_OK, "2026-03-22T02:00:00Z", H},
    /* 2026-02-15 (Ramadan): 03:00 -> 02:00, so 02:xx occurs twice */
    {CASA, "2026-02-15T02:30", TZ_NO_OFFSET, TZ_AMBIGUOUS, NULL, 0},
    {CASA, "2026-02-15T02:30", H, TZ_OK, "2026-02-15T01:30:00Z", H},
    {CASA, "2026-02-15T02:30", 0, TZ_OK, "2026-02-15T02:30:00Z", 0},
    {CASA, "2026-02-15T03:00", TZ_NO_OFFSET, TZ_OK, "2026-02-15T03:00:00Z", 0},
    /* 2026-09-20: 02:00 -> 01:00 for good (UTC+0 from then on) */
    {CASA, "2026-09-20T01:30", TZ_NO_OFFSET, TZ_AMBIGUOUS, NULL, 0},
    {CASA, "2026-09-20T01:30", H, TZ_OK, "2026-09-20T00:30:00Z", H},
    {CASA, "2026-09-20T01:30", 0, TZ_OK, "2026-09-20T01:30:00Z", 0},
    {CASA, "2026-09-20T01:30", 5 * H, TZ_BAD_OFFSET, NULL, 0},
    {CASA, "2026-09-20T00:59:59", TZ_NO_OFFSET, TZ_OK, "2026-09-19T23:59:59Z", H},
    {CASA, "2026-09-20T02:00", TZ_NO_OFFSET, TZ_OK, "2026-09-20T02:00:00Z", 0},
    {CASA, "2027-06-10T10:00", TZ_NO_OFFSET, TZ_OK, "2027-06-10T10:00:00Z", 0},
    {CASA, "2028-02-29T10:00", TZ_NO_OFFSET, TZ_OK, "2028-02-29T10:00:00Z", 0},
    /* Paris: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00 */
    {PARIS, "2026-07-14T12:00", TZ_NO_OFFSET, TZ_OK, "2026-07-14T10:00:00Z", 2 * H},
    {PARIS, "2026-12-25T12:00", TZ_NO_OFFSET, TZ_OK, "2026-12-25T11:00:00Z", H},
    {PARIS, "2026-03-29T02:30", TZ_NO_OFFSET, TZ_GAP, NULL, 0},
    {PARIS, "2026-03-29T03:00", TZ_NO_OFFSET, TZ_OK, "2026-03-29T01:00:00Z", 2 * H},
    {PARIS, "2026-10-25T02:30", TZ_NO_OFFSET, TZ_AMBIGUOUS, NULL, 0},
    {PARIS, "2026-10-25T02:30", 2 * H, TZ_OK, "2026-10-25T00:30:00Z", 2 * H},
    {PARIS, "2026-10-25T02:30", H, TZ_OK, "2026-10-25T01:30:00Z", H},
    {PARIS, "2026-10-25T02:30", 0, TZ_BAD_OFFSET, NULL, 0},
    /* UTC and a whole-zone offset of the other sign */
    {"UTC", "2026-01-01T00:00", TZ_NO_OFFSET, TZ_OK, "2026-01-01T00:00:00Z", 0},
    {"Etc/UTC", "2026-07-01T12:34:56", TZ_NO_OFFSET, TZ_OK, "2026-07-01T12:34:56Z", 0},
    {"America/St_Johns", "2026-01-10T12:00", TZ_NO_OFFSET, TZ_OK, "2026-01-10T15:30:00Z", -(3 * H + 1800)},
    /* bad zones */
    {"Mars/Olympus", "2026-01-15T10:00", TZ_NO_OFFSET, TZ_BAD_ZONE, NULL, 0},
    {"../etc/passwd", "2026-01-15T10:00", TZ_NO_OFFSET, TZ_BAD_ZONE, NULL, 0},
    {"", "2026-01-15T10:00", TZ_NO_OFFSET, TZ_BAD_ZONE, NULL, 0},
    {"Morocco Standard Time", "2026-01-15T10:00", TZ_NO_OFFSET, TZ_BAD_ZONE, NULL, 0},
    {NULL, "2026-01-15T10:00", TZ_NO_OFFSET, TZ_BAD_ZONE, NULL, 0},
    /* bad times */
    {CASA, "2026-13-01T10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-02-29T10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01T24:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01 10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-04-31T10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-00-10T10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-00T10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "0000-01-01T10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01T10:60", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01T10:00:60", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-1-01T10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01t10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01T10:00Z", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01T10:00:", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01T10:00:00.5", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "2026-01-01T1a:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "+026-01-01T10:00", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, "", TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
    {CASA, NULL, TZ_NO_OFFSET, TZ_BAD_TIME, NULL, 0},
};

static void test_local_to_utc(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(local_cases); i++) {
		const struct local_case *c = &local_cases[i];
		int64_t utc = -1;
		int32_t off = -1;
		enum tz_rc rc;

		rc = tz_local_to_utc(c->zone, c->local, c->hint, &utc, &off);
		if (rc != c->rc)
			print_error("case %zu: %s %s: rc %d, want %d\n", i, c->zone ? c->zone : "(null)",
				    c->local ? c->local : "(null)", (int)rc, (int)c->rc);
		assert_int_equal(rc, c->rc);
		if (c->rc != TZ_OK) {
			assert_int_equal(utc, -1); /* outputs untouched on failure */
			continue;
		}
		if (utc != utc_of(c->utc) || off != c->offset)
			print_error("case %zu: %s %s: got %lld %d\n", i, c->zone, c->local, (long long)utc,
				    off);
		assert_int_equal(utc, utc_of(c->utc));
		assert_int_equal(off, c->offset);
	}
}

/* One row: an instant, its expected wall time and offset in a zone. */
struct utc_case {
	const char *zone;
	const char *utc;
	const char *local;
	int32_t offset;
	const char *instant; /* tz_format_instant */
};

static const struct utc_case utc_cases[] = {
    {CASA, "2026-01-15T09:00:00Z", "2026-01-15T10:00:00", H, "2026-01-15T10:00:00+01:00"},
    {CASA, "2026-03-01T10:00:00Z", "2026-03-01T10:00:00", 0, "2026-03-01T10:00:00+00:00"},
    {CASA, "2026-06-10T09:00:00Z", "2026-06-10T10:00:00", H, "2026-06-10T10:00:00+01:00"},
    {CASA, "2026-10-15T10:00:00Z", "2026-10-15T10:00:00", 0, "2026-10-15T10:00:00+00:00"},
    {CASA, "2026-03-22T01:59:59Z", "2026-03-22T01:59:59", 0, "2026-03-22T01:59:59+00:00"},
    {CASA, "2026-03-22T02:00:00Z", "2026-03-22T03:00:00", H, "2026-03-22T03:00:00+01:00"},
    {CASA, "2026-09-20T00:30:00Z", "2026-09-20T01:30:00", H, "2026-09-20T01:30:00+01:00"},
    {CASA, "2026-09-20T01:30:00Z", "2026-09-20T01:30:00", 0, "2026-09-20T01:30:00+00:00"},
    {PARIS, "2026-10-25T00:30:00Z", "2026-10-25T02:30:00", 2 * H, "2026-10-25T02:30:00+02:00"},
    {PARIS, "2026-10-25T01:30:00Z", "2026-10-25T02:30:00", H, "2026-10-25T02:30:00+01:00"},
    {"UTC", "2026-12-31T23:59:59Z", "2026-12-31T23:59:59", 0, "2026-12-31T23:59:59+00:00"},
    {"Asia/Kolkata", "2026-01-01T00:00:00Z", "2026-01-01T05:30:00", 5 * H + 1800,
     "2026-01-01T05:30:00+05:30"},
};

static void test_utc_to_local(void **state)
{
	char local[TZ_LOCAL_LEN], instant[32];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(utc_cases); i++) {
		const struct utc_case *c = &utc_cases[i];
		int64_t utc = utc_of(c->utc), back = -1;
		int32_t off = -1, off2 = -1;

		assert_int_equal(tz_utc_to_local(c->zone, utc, local, &off), TZ_OK);
		assert_string_equal(local, c->local);
		assert_int_equal(off, c->offset);
		/* round trip: the wall time plus its offset names the same instant */
		assert_int_equal(tz_local_to_utc(c->zone, local, off, &back, &off2), TZ_OK);
		assert_int_equal(back, utc);
		assert_int_equal(off2, off);
		assert_int_equal(tz_format_instant(c->zone, utc, instant), TZ_OK);
		assert_string_equal(instant, c->instant);
	}
	assert_int_equal(tz_utc_to_local("Mars/Olympus", 0, local, NULL), TZ_BAD_ZONE);
	assert_int_equal(tz_format_instant("Mars/Olympus", 0, instant), TZ_BAD_ZONE);
}

/* Every half hour of 2026 in each zone converts to wall time and back: with its offset always, and without
 * one unless the wall time occurs twice. Folds must appear exactly where the zone sets clocks back. */
static void test_round_trip_year(void **state)
{
	static const char *const zones[] = {CASA, PARIS, "UTC"};
	static const int folds[] = {2, 1, 0}; /* times each zone sets its clocks back by an hour in 2026 */
	int64_t from = utc_of("2026-01-01T00:00:00Z"), to = utc_of("2027-01-01T00:00:00Z"), t, back;
	char local[TZ_LOCAL_LEN];
	int32_t off, off2;
	size_t z;

	(void)state;
	for (z = 0; z < ARRAY_LEN(zones); z++) {
		int ambiguous = 0;

		for (t = from; t < to; t += 1800) {
			enum tz_rc rc;

			assert_int_equal(tz_utc_to_local(zones[z], t, local, &off), TZ_OK);
			assert_int_equal(tz_local_to_utc(zones[z], local, off, &back, &off2), TZ_OK);
			assert_int_equal(back, t);
			assert_int_equal(off2, off);
			rc = tz_local_to_utc(zones[z], local, TZ_NO_OFFSET, &back, NULL);
			if (rc == TZ_AMBIGUOUS) {
				ambiguous++;
				continue;
			}
			assert_int_equal(rc, TZ_OK);
			assert_int_equal(back, t);
		}
		/* a repeated hour holds 2 half-hour wall times, each reached by 2 instants */
		assert_int_equal(ambiguous, folds[z] * 4);
	}
}

static void test_zone_valid(void **state)
{
	static const char *const good[] = {CASA,
					   PARIS,
					   "UTC",
					   "Etc/UTC",
					   "America/Argentina/Buenos_Aires",
					   "Etc/GMT+5",
					   "America/Port-au-Prince"};
	static const char *const bad[] = {"Mars/Olympus",
					  "../etc/passwd",
					  "",
					  "Morocco Standard Time",
					  "/usr/share/zoneinfo/UTC",
					  "/UTC",
					  "Africa/",
					  "Africa//Casablanca",
					  "Africa/../Africa/Casablanca",
					  "africa/casablanca",
					  "zone.tab",
					  "Africa/Casablanca\n",
					  "Europe/Paris;rm",
					  "localtime",
					  "right/UTC",
					  "Africa",
					  NULL};
	char longname[80];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(good); i++) {
		if (!tz_zone_valid(good[i]))
			print_error("good zone %s refused\n", good[i]);
		assert_true(tz_zone_valid(good[i]));
	}
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		if (tz_zone_valid(bad[i]))
			print_error("bad zone %s accepted\n", bad[i]);
		assert_false(tz_zone_valid(bad[i]));
	}
	memset(longname, 'A', sizeof(longname) - 1); /* well-formed but longer than any zone name */
	longname[sizeof(longname) - 1] = '\0';
	assert_false(tz_zone_valid(longname));
}

static void test_format_offset(void **state)
{
	static const struct {
		int32_t offset;
		const char *text;
	} cases[] = {
	    {0, "+00:00"},
	    {H, "+01:00"},
	    {2 * H, "+02:00"},
	    {-(3 * H + 1800), "-03:30"},
	    {5 * H + 1800, "+05:30"},
	    {5 * H + 2700, "+05:45"},
	    {-10 * H, "-10:00"},
	    {14 * H, "+14:00"},
	    {-1820, "-00:30"},
	};
	char out[TZ_OFFSET_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		tz_format_offset(cases[i].offset, out);
		assert_string_equal(out, cases[i].text);
	}
	tz_format_offset(TZ_NO_OFFSET, out); /* absurd input still yields a bounded string */
	assert_int_equal(strlen(out), TZ_OFFSET_LEN - 1);
}

static void test_parse_offset(void **state)
{
	static const struct {
		const char *text;
		int rc;
		int32_t offset;
	} cases[] = {
	    {"+01:00", 0, H},
	    {"+0100", 0, H},
	    {"Z", 0, 0},
	    {"z", 0, 0},
	    {"+00:00", 0, 0},
	    {"-00:00", 0, 0},
	    {"-03:30", 0, -(3 * H + 1800)},
	    {"+05:45", 0, 5 * H + 2700},
	    {"-1000", 0, -10 * H},
	    {"+14:00", 0, 14 * H},
	    {"", -1, 0},
	    {"01:00", -1, 0},
	    {"+1:00", -1, 0},
	    {"+01:0", -1, 0},
	    {"+01:00:00", -1, 0},
	    {"+24:00", -1, 0},
	    {"+01:60", -1, 0},
	    {"ZZ", -1, 0},
	    {"+01-00", -1, 0},
	    {"+01:00 ", -1, 0},
	    {" +01:00", -1, 0},
	    {"+0a:00", -1, 0},
	    {"UTC", -1, 0},
	    {"+010", -1, 0},
	};
	int32_t off;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		off = 12345;
		if (tz_parse_offset(cases[i].text, &off) != cases[i].rc)
			print_error("offset \"%s\"\n", cases[i].text);
		assert_int_equal(tz_parse_offset(cases[i].text, &off), cases[i].rc);
		assert_int_equal(off, cases[i].rc == 0 ? cases[i].offset : 12345);
	}
	assert_int_equal(tz_parse_offset(NULL, &off), -1);
	assert_int_equal(tz_parse_offset("+01:00", NULL), -1);
}

static void test_crosses_change(void **state)
{
	static const struct {
		const char *zone;
		const char *from;
		const char *to;
		bool crosses;
	} cases[] = {
	    {CASA, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", true},  /* spans 2026-03-22 */
	    {CASA, "2026-10-01T00:00:00Z", "2026-12-31T23:59:59Z", false}, /* after the last change */
	    {CASA, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", false},
	    {CASA, "2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z", true}, /* +01 -> +00 -> +01 again */
	    {CASA, "2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z", true},
	    {CASA, "2026-03-22T00:00:00Z", "2026-03-22T02:00:00Z", true},  /* change at the very end */
	    {CASA, "2026-03-22T02:00:00Z", "2026-03-22T10:00:00Z", false}, /* change at the very start */
	    {CASA, "2026-03-22T00:00:00Z", "2026-03-22T01:59:59Z", false},
	    {CASA, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", false},
	    {PARIS, "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z", true},
	    {PARIS, "2026-04-01T00:00:00Z", "2026-10-01T00:00:00Z", false},
	    {PARIS, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", true},
	    {"UTC", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", false},
	    {"Mars/Olympus", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", false},
	    {CASA, "2026-04-01T00:00:00Z", "2026-03-01T00:00:00Z", false}, /* empty range */
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		bool got = tz_crosses_change(cases[i].zone, utc_of(cases[i].from), utc_of(cases[i].to));

		if (got != cases[i].crosses)
			print_error("case %zu: %s %s..%s\n", i, cases[i].zone, cases[i].from, cases[i].to);
		assert_true(got == cases[i].crosses);
	}
}

static void test_strerror(void **state)
{
	static const enum tz_rc rcs[] = {TZ_OK,	 TZ_BAD_ZONE,  TZ_BAD_TIME,
					 TZ_GAP, TZ_AMBIGUOUS, TZ_BAD_OFFSET};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_LEN(rcs); i++) {
		assert_non_null(tz_strerror(rcs[i]));
		assert_true(strlen(tz_strerror(rcs[i])) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(tz_strerror(rcs[i]), tz_strerror(rcs[j]));
	}
	assert_non_null(strstr(tz_strerror(TZ_GAP), "does not exist"));
	assert_non_null(tz_strerror((enum tz_rc) - 99));
	assert_non_null(tz_strerror((enum tz_rc)7));
}

/* After a reload the zones are read again and give the same answers. */
/* How many times CASA's zone file was opened since the previous call (drains fd's inotify events). */
static int zone_opens(int fd)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int opens = 0;
	ssize_t n;

	while ((n = read(fd, ev, sizeof(ev))) > 0) {
		for (char *p = ev; p < ev + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;

			if ((e->mask & IN_OPEN) && e->len && !strcmp(e->name, strrchr(CASA, '/') + 1))
				opens++;
			p += sizeof(*e) + e->len;
		}
	}
	return opens;
}

/* After tz_reload the zone is read from the tz database again (its file is opened), and converts as
 * before; without a reload the cached zone is used (nothing opened). */
static void test_reload(void **state)
{
	char dir[256];
	int64_t utc;
	int fd;

	(void)state;
	snprintf(dir, sizeof(dir), "/usr/share/zoneinfo/%.*s", (int)(strrchr(CASA, '/') - CASA), CASA);
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	assert_true(fd >= 0);
	assert_true(inotify_add_watch(fd, dir, IN_OPEN) >= 0);

	assert_int_equal(tz_local_to_utc(CASA, "2026-06-10T10:00", TZ_NO_OFFSET, &utc, NULL), TZ_OK);
	(void)zone_opens(fd);
	assert_int_equal(tz_local_to_utc(CASA, "2026-06-11T10:00", TZ_NO_OFFSET, &utc, NULL), TZ_OK);
	assert_int_equal(zone_opens(fd), 0);

	tz_reload();
	assert_int_equal(tz_local_to_utc(CASA, "2026-06-10T10:00", TZ_NO_OFFSET, &utc, NULL), TZ_OK);
	assert_true(zone_opens(fd) >= 1);
	assert_int_equal(utc, utc_of("2026-06-10T09:00:00Z"));
	close(fd);
	assert_true(tz_zone_valid(PARIS));
	assert_false(tz_zone_valid("Mars/Olympus"));
}

/* The installed tz database has Morocco's 2026c rules (the build machine's tzdata is current). */
static void test_rules_current(void **state)
{
	(void)state;
	assert_true(tz_rules_current());
}

/* Frees libical's zone cache so that LeakSanitizer sees no leak. */
static int group_teardown(void **state)
{
	(void)state;
	tz_reload();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_local_to_utc),    cmocka_unit_test(test_utc_to_local),
	    cmocka_unit_test(test_round_trip_year), cmocka_unit_test(test_zone_valid),
	    cmocka_unit_test(test_format_offset),   cmocka_unit_test(test_parse_offset),
	    cmocka_unit_test(test_crosses_change),  cmocka_unit_test(test_strerror),
	    cmocka_unit_test(test_reload),	    cmocka_unit_test(test_rules_current),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
