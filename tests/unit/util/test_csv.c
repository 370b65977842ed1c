/* test_csv: cells come out as RFC 4180 wants them (quoted only when needed, quotes doubled), formulas are
 * neutralised by a leading apostrophe whatever follows, numbers are plain, and a full buffer is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "util/csv.h"

static const struct {
	const char *in;
	const char *out;
} cells[] = {
    {"plain", "plain"},
    {"فاطمة الزهراء", "فاطمة الزهراء"},
    {"", ""},
    {NULL, ""},
    {"a,b", "\"a,b\""},
    {"say \"hi\"", "\"say \"\"hi\"\"\""},
    {"two\r\nlines", "\"two\r\nlines\""},
    {"=1+2", "'=1+2"},
    {"+212600000000", "'+212600000000"},
    {"-3", "'-3"},
    {"@SUM(A1)", "'@SUM(A1)"},
    {"\tx", "'\tx"},
    {"\rx", "\"'\rx\""},
    {"=HYPERLINK(\"u\",\"t\")", "\"'=HYPERLINK(\"\"u\"\",\"\"t\"\")\""},
    {"a=b", "a=b"},
    {"'kept", "'kept"},
};

static void test_cells(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1024);
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		buf_reset(&b);
		assert_int_equal(csv_cell(&b, cells[i].in, true), 0);
		assert_string_equal(b.len ? b.data : "", cells[i].out);
	}
	buf_free(&b);
}

static void test_record(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(csv_int(&b, 12, true), 0);
	assert_int_equal(csv_cell(&b, "Ali", false), 0);
	assert_int_equal(csv_cell(&b, NULL, false), 0);
	assert_int_equal(csv_int(&b, -4, false), 0);
	assert_int_equal(csv_row_end(&b), 0);
	assert_string_equal(b.data, "12,Ali,,-4\r\n");
	buf_free(&b);
}

static void test_full(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(csv_cell(&b, "a much longer cell", true), -1);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cells),
	    cmocka_unit_test(test_record),
	    cmocka_unit_test(test_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
