/* test_chunked: the chunked request-body decoder gives the same data or verdict whether the bytes come at
 * once or one at a time; extensions and trailers are accepted, malformed sizes and lines refused, the limit
 * holds, and bytes after the end are left alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "util/chunked.h"

static const struct {
	const char *name;
	const char *wire;
	size_t limit;
	enum chunked_rc rc;
	const char *data; /* when rc is CHUNKED_DONE */
	size_t left;	  /* bytes left after the end when done */
} cases[] = {
    {"one chunk", "5\r\nhello\r\n0\r\n\r\n", 100, CHUNKED_DONE, "hello", 0},
    {"two chunks, upper-case hex", "3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n", 100, CHUNKED_DONE,
     "abc0123456789", 0},
    {"extensions", "5;ext=1\r\nhello\r\n3 ; a=\"b c\"\r\nxyz\r\n0;last\r\n\r\n", 100, CHUNKED_DONE,
     "helloxyz", 0},
    {"trailer fields", "2\r\nhi\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n", 100, CHUNKED_DONE, "hi", 0},
    {"empty body", "0\r\n\r\n", 100, CHUNKED_DONE, "", 0},
    {"leading zeros", "0005\r\nhello\r\n0\r\n\r\n", 100, CHUNKED_DONE, "hello", 0},
    {"bytes after the end are left", "2\r\nhi\r\n0\r\n\r\nGET / HTTP/1.1\r\n", 100, CHUNKED_DONE, "hi", 16},
    {"not finished", "5\r\nhel", 100, CHUNKED_MORE, NULL, 0},
    {"negative size", "-5\r\nhello\r\n0\r\n\r\n", 100, CHUNKED_BAD, NULL, 0},
    {"size not hex", "zz\r\nhello\r\n0\r\n\r\n", 100, CHUNKED_BAD, NULL, 0},
    {"no size", "\r\nhello\r\n0\r\n\r\n", 100, CHUNKED_BAD, NULL, 0},
    {"0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", 100, CHUNKED_BAD, NULL, 0},
    {"bare LF after the size", "5\nhello\r\n0\r\n\r\n", 100, CHUNKED_BAD, NULL, 0},
    {"data longer than its size", "2\r\nhello\r\n0\r\n\r\n", 100, CHUNKED_BAD, NULL, 0},
    {"size 2^72", "1000000000000000000\r\nx\r\n0\r\n\r\n", 100, CHUNKED_TOO_LARGE, NULL, 0},
    {"2^64 + 5 does not wrap", "10000000000000005\r\nhello\r\n0\r\n\r\n", 1 << 20, CHUNKED_TOO_LARGE, NULL,
     0},
    {"over the limit in all", "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", 5, CHUNKED_TOO_LARGE, NULL, 0},
    {"exactly the limit", "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 5, CHUNKED_DONE, "abcde", 0},
};

/* Decodes wire in pieces of step bytes (0: at once). */
static enum chunked_rc decode(const char *wire, size_t limit, size_t step, struct buf *out, size_t *consumed)
{
	struct chunked ck;
	size_t n = strlen(wire), off = 0;
	enum chunked_rc rc = CHUNKED_MORE;

	chunked_init(&ck);
	while (off < n && rc == CHUNKED_MORE) {
		size_t piece = step && n - off > step ? step : n - off, used = 0;

		rc = chunked_decode(&ck, wire + off, piece, &used, out, limit);
		assert_true(used <= piece);
		off += used;
	}
	*consumed = off;
	return rc;
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (size_t step = 0; step <= 1; step++) {
			struct buf out;
			size_t consumed;
			enum chunked_rc rc;

			buf_init(&out, 1 << 20);
			rc = decode(cases[i].wire, cases[i].limit, step, &out, &consumed);
			if (rc != cases[i].rc)
				fail_msg("%s (step %zu): rc %d, expected %d", cases[i].name, step, rc,
					 cases[i].rc);
			if (rc == CHUNKED_DONE) {
				assert_int_equal(out.len, strlen(cases[i].data));
				assert_memory_equal(out.len ? out.data : "", cases[i].data, out.len);
				assert_int_equal(consumed, strlen(cases[i].wire) - cases[i].left);
			}
			buf_free(&out);
		}
	}
}

static void test_counts_without_output(void **state)
{
	struct chunked ck;
	size_t used;

	(void)state;
	chunked_init(&ck);
	assert_int_equal(chunked_decode(&ck, "4\r\nabcd\r\n0\r\n\r\n", 14, &used, NULL, 100), CHUNKED_DONE);
	assert_int_equal(ck.total, 4);
	assert_int_equal(used, 14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_counts_without_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
