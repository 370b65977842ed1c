/* test_freebusy: table-driven unit tests of calendar/freebusy (merging, tentative periods, clipping to
 * the range, rendered text) from plain structs; it checks the text and must not include libical itself. */
#include "calendar/freebusy.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define B	     FREEBUSY_BUSY
#define T	     FREEBUSY_TENTATIVE
#define MAXP	     8

/* --- merging --- */

struct merge_case {
	const char *name;
	int64_t from, to;
	struct freebusy_period in[MAXP];
	size_t n_in;
	struct freebusy_period want[MAXP];
	size_t n_want;
};

static const struct merge_case merge_cases[] = {
    {"empty", 0, 100, {{0}}, 0, {{0}}, 0},
    {"one", 0, 100, {{10, 20, B}}, 1, {{10, 20, B}}, 1},
    {"unsorted disjoint", 0, 100, {{50, 60, B}, {10, 20, B}}, 2, {{10, 20, B}, {50, 60, B}}, 2},
    {"overlap", 0, 100, {{10, 30, B}, {20, 40, B}}, 2, {{10, 40, B}}, 1},
    {"back to back", 0, 100, {{10, 20, B}, {20, 30, B}}, 2, {{10, 30, B}}, 1},
    {"contained", 0, 100, {{10, 50, B}, {20, 30, B}, {25, 26, B}}, 3, {{10, 50, B}}, 1},
    {"duplicates", 0, 100, {{10, 20, B}, {10, 20, B}}, 2, {{10, 20, B}}, 1},
    {"tentative alone", 0, 100, {{10, 20, T}, {15, 25, T}}, 2, {{10, 25, T}}, 1},
    {"busy wins over tentative",
     0,
     100,
     {{10, 30, T}, {15, 20, B}},
     2,
     {{10, 15, T}, {15, 20, B}, {20, 30, T}},
     3},
    {"tentative under busy vanishes", 0, 100, {{10, 40, B}, {15, 20, T}}, 2, {{10, 40, B}}, 1},
    {"tentative then busy touching", 0, 100, {{10, 20, T}, {20, 30, B}}, 2, {{10, 20, T}, {20, 30, B}}, 2},
    {"tentative sticks out", 0, 100, {{10, 20, B}, {15, 30, T}}, 2, {{10, 20, B}, {20, 30, T}}, 2},
    {"more periods out than in",
     0,
     100,
     {{0, 100, T}, {20, 30, B}, {60, 70, B}},
     3,
     {{0, 20, T}, {20, 30, B}, {30, 60, T}, {60, 70, B}, {70, 100, T}},
     5},
    {"clipped at both ends", 10, 50, {{0, 20, B}, {40, 60, T}}, 2, {{10, 20, B}, {40, 50, T}}, 2},
    {"outside the range", 10, 50, {{0, 10, B}, {50, 60, B}, {60, 70, T}}, 3, {{0}}, 0},
    {"empty and inverted periods", 0, 100, {{10, 10, B}, {30, 20, B}, {40, 45, T}}, 3, {{40, 45, T}}, 1},
    {"empty range", 50, 50, {{10, 90, B}}, 1, {{0}}, 0},
};

static void test_merge_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(merge_cases); i++) {
		const struct merge_case *c = &merge_cases[i];
		struct freebusy_period *out = NULL;
		size_t n = 99;

		assert_int_equal(freebusy_merge(c->in, c->n_in, c->from, c->to, &out, &n), 0);
		if (n != c->n_want)
			fail_msg("%s: %zu periods, want %zu", c->name, n, c->n_want);
		for (size_t k = 0; k < n; k++) {
			if (out[k].start != c->want[k].start || out[k].end != c->want[k].end ||
			    out[k].type != c->want[k].type)
				fail_msg("%s: period %zu is %lld-%lld/%d, want %lld-%lld/%d", c->name, k,
					 (long long)out[k].start, (long long)out[k].end, (int)out[k].type,
					 (long long)c->want[k].start, (long long)c->want[k].end,
					 (int)c->want[k].type);
		}
		if (!n)
			assert_null(out);
		free(out);
	}
}

/* --- rendering --- */

static char *render(const struct freebusy_period *p, size_t n, int64_t from, int64_t to)
{
	struct freebusy_calendar cal = {
	    .uid = "freebusy-7@majlis.test",
	    .stamp = 1790000000, /* 2026-09-21T14:13:20Z */
	    .from = from,
	    .to = to,
	    .periods = p,
	    .n_periods = n,
	};
	struct buf b;

	buf_init(&b, 1 << 20);
	assert_int_equal(freebusy_render(&cal, &b), 0);
	assert_non_null(b.data);
	return buf_steal(&b);
}

static void test_render_text(void **state)
{
	/* 2026-10-15 09:00Z-11:00Z busy, 10:00Z-13:00Z tentative, 2026-10-16 tentative */
	const struct freebusy_period p[] = {
	    {1792054800, 1792062000, B},
	    {1792058400, 1792069200, T},
	    {1792141200, 1792144800, T},
	};
	char *t = render(p, ARRAY_LEN(p), 1791932400, 1792537200); /* 2026-10-14T00:00 .. 10-21 (+01) */

	(void)state;
	assert_non_null(strstr(t, "BEGIN:VCALENDAR\r\n"));
	assert_non_null(strstr(t, "VERSION:2.0\r\n"));
	assert_non_null(strstr(t, "BEGIN:VFREEBUSY\r\n"));
	assert_non_null(strstr(t, "UID:freebusy-7@majlis.test\r\n"));
	assert_non_null(strstr(t, "DTSTAMP:20260921T141320Z\r\n"));
	assert_non_null(strstr(t, "DTSTART:20261013T230000Z\r\n"));
	assert_non_null(strstr(t, "DTEND:20261020T230000Z\r\n"));
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY:20261015T090000Z/20261015T110000Z\r\n"));
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261015T110000Z/20261015T130000Z\r\n"));
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261016T090000Z/20261016T100000Z\r\n"));
	/* no personal data, no iTIP */
	assert_null(strstr(t, "ORGANIZER"));
	assert_null(strstr(t, "ATTENDEE"));
	assert_null(strstr(t, "METHOD"));
	/* the busy period comes before the tentative one that follows it */
	assert_true(strstr(t, "FBTYPE=BUSY:") < strstr(t, "FBTYPE=BUSY-TENTATIVE:"));
	free(t);
}

static void test_render_empty_and_clipped(void **state)
{
	const struct freebusy_period p[] = {{1000, 5000, B}};
	char *t;

	(void)state;
	t = render(NULL, 0, 0, 86400);
	assert_null(strstr(t, "FREEBUSY;"));
	assert_non_null(strstr(t, "DTSTART:19700101T000000Z\r\n"));
	assert_non_null(strstr(t, "DTEND:19700102T000000Z\r\n"));
	free(t);
	t = render(p, 1, 2000, 86400);
	assert_non_null(strstr(t, "FREEBUSY;FBTYPE=BUSY:19700101T003320Z/19700101T012320Z\r\n"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge_table),
	    cmocka_unit_test(test_render_text),
	    cmocka_unit_test(test_render_empty_and_clipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
