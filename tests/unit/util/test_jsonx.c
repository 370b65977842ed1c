/* test_jsonx: table-driven checks of util/jsonx parsing and field access; it performs no I/O. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/jsonx.h"
#include "util/text.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A body with an explicit length, so that NUL bytes can be part of it. */
struct body_case {
	const char *body;
	size_t len;
	bool ok;
};

/* clang-format off */
#define BODY(lit, ok) { lit, sizeof(lit) - 1, ok }
/* clang-format on */

static void test_parse_table(void **state)
{
	static const struct body_case cases[] = {
	    BODY("{}", true),
	    BODY(" \t\r\n{ } \r\n", true),
	    BODY("{\"a\":1}", true),
	    BODY("{\"a\":{\"b\":[1,2.5,-3e2,{\"c\":null}],\"d\":true,\"e\":false}}", true),
	    BODY("{\"s\":\"say \\\"hi\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}", true),
	    BODY("{\"e\":\"\\u00e9\\ud83d\\ude00\"}", true),
	    BODY("{\"raw\":\"\xd9\x85\xd8\xac\xd9\x84\xd8\xb3 \xf0\x9f\x8e\x89\"}", true),
	    BODY("{\"max\":9223372036854775807,\"min\":-9223372036854775808}", true),
	    BODY("{\"x\":{\"k\":1},\"y\":{\"k\":2}}", true), /* same key, different objects */
	    BODY("{\"a\":[\"k\",\"k\"]}", true),
	    BODY("{\"a\":-0,\"b\":0.0,\"c\":1E+2,\"d\":1e-2}", true),
	    /* not JSON or not strict JSON */
	    BODY("", false),
	    BODY("   ", false),
	    BODY("{", false),
	    BODY("{\"a\":", false),
	    BODY("{\"a\"}", false),
	    BODY("{\"a\":tru}", false),
	    BODY("{\"a\":1,}", false),
	    BODY("{\"a\":[1,]}", false),
	    BODY("{'a':1}", false),
	    BODY("{\"a\":'x'}", false),
	    BODY("{a:1}", false),
	    BODY("{/*c*/}", false),
	    BODY("{\"a\":NaN}", false),
	    BODY("{\"a\":-Infinity}", false),
	    BODY("{\"a\":Infinity}", false),
	    BODY("{\"a\":1e400}", false),
	    BODY("{\"a\":1.}", false),
	    BODY("{\"a\":.5}", false),
	    BODY("{\"a\":01}", false),
	    BODY("{\"a\":+1}", false),
	    BODY("{\"a\":0x10}", false),
	    BODY("{\"a\":9223372036854775808}", false),
	    BODY("{\"a\":-9223372036854775809}", false),
	    BODY("{\"a\":18446744073709551616}", false),
	    BODY("{\"a\":\"\\x\"}", false),
	    BODY("{\"a\":\"\\u12\"}", false),
	    BODY("{\"a\":\"unterminated}", false),
	    BODY("{\"a\":\"tab\tinside\"}", false),
	    BODY("{\"a\":\"line\ninside\"}", false),
	    /* embedded NUL, raw and escaped, in values and keys */
	    BODY("{\"a\":\"x\0y\"}", false),
	    BODY("{}\0", false),
	    BODY("{\"a\":\"x\\u0000y\"}", false),
	    BODY("{\"email\\u0000x\":\"a@b.c\"}", false),
	    /* surrogates: lone escapes and raw encoded ones */
	    BODY("{\"a\":\"\\ud800\"}", false),
	    BODY("{\"a\":\"\\udc00\"}", false),
	    BODY("{\"a\":\"\\ud800\\u0041\"}", false),
	    BODY("{\"a\":\"\\ude00\\ud83d\"}", false),
	    BODY("{\"a\":\"\xed\xa0\x80\"}", false),
	    /* invalid UTF-8 */
	    BODY("{\"a\":\"\xc0\xaf\"}", false),
	    BODY("{\"a\":\"\xe0\x80\xaf\"}", false),
	    BODY("{\"a\":\"\xf4\x90\x80\x80\"}", false),
	    BODY("{\"a\":\"\xff\"}", false),
	    BODY("{\"\xc3\":1}", false),
	    BODY("\xef\xbb\xbf{}", false), /* byte order mark */
	    /* trailing bytes */
	    BODY("{} x", false),
	    BODY("{}{}", false),
	    BODY("{},", false),
	    BODY("{} 1", false),
	    /* duplicate keys, at top level and nested */
	    BODY("{\"a\":1,\"a\":2}", false),
	    BODY("{\"role\":\"user\",\"x\":0,\"role\":\"admin\"}", false),
	    BODY("{\"o\":{\"k\":1,\"k\":1}}", false),
	    BODY("{\"o\":[{\"k\":1,\"k\":1}]}", false),
	    /* top level must be an object */
	    BODY("[]", false),
	    BODY("[{}]", false),
	    BODY("1", false),
	    BODY("\"s\"", false),
	    BODY("null", false),
	    BODY("true", false),
	};
	struct json_object *o;
	struct jsonx_err err;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		/* the transport's check comes first: what it refuses is never parsed */
		if (text_body_problem(cases[i].body, cases[i].len, true)) {
			if (cases[i].ok)
				fail_msg("case %zu should pass the body check", i);
			continue;
		}
		o = (struct json_object *)&err; /* must be overwritten either way */
		memset(&err, 0, sizeof(err));
		ret = jsonx_parse_object(cases[i].body, cases[i].len, &o, &err);
		if (cases[i].ok) {
			if (ret != 0 || !o)
				fail_msg("case %zu should parse: %s", i, err.message);
			assert_true(json_object_is_type(o, json_type_object));
			json_object_put(o);
			continue;
		}
		if (ret != -1)
			fail_msg("case %zu should be refused", i);
		assert_null(o);
		assert_non_null(err.code);
		assert_string_equal(err.code, "invalid_json");
		assert_true(strlen(err.message) > 0);
		assert_true(text_is_line(err.message));
	}
}

/*
 * Builds n nested containers: an object holding n - 1 nested arrays, or with objects, n nested
 * objects {"a":{"a":...{}}}.
 */
static void nested(char *buf, size_t cap, int n, bool objects)
{
	size_t len = 0;
	int k;

	assert_true(cap > (size_t)n * 5 + 8);
	if (n == 1) {
		snprintf(buf, cap, "{}");
		return;
	}
	len += (size_t)snprintf(buf, cap, "{\"a\":");
	for (k = 1; k < n; k++) {
		if (objects && k < n - 1) {
			memcpy(buf + len, "{\"a\":", 5);
			len += 5;
		} else {
			buf[len++] = objects ? '{' : '[';
		}
	}
	for (k = 1; k < n; k++)
		buf[len++] = objects ? '}' : ']';
	buf[len++] = '}';
	buf[len] = '\0';
}

static void test_parse_depth(void **state)
{
	static const struct {
		int depth;
		bool objects;
		int ret;
	} cases[] = {
	    {1, false, 0},
	    {JSONX_MAX_DEPTH, false, 0},
	    {JSONX_MAX_DEPTH, true, 0},
	    {JSONX_MAX_DEPTH + 1, false, -1},
	    {JSONX_MAX_DEPTH + 1, true, -1},
	    {64, false, -1},
	};
	char buf[512];
	struct json_object *o;
	struct jsonx_err err;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		nested(buf, sizeof(buf), cases[i].depth, cases[i].objects);
		if (jsonx_parse_object(buf, strlen(buf), &o, &err) != cases[i].ret)
			fail_msg("depth case %zu (%s): wrong result", i, buf);
		if (cases[i].ret == 0) {
			json_object_put(o);
			continue;
		}
		assert_null(o);
		assert_string_equal(err.code, "invalid_json");
		assert_string_equal(err.message, "request body nests deeper than 16 levels");
	}
	/* the generator itself: depth 2 with objects */
	nested(buf, sizeof(buf), 2, true);
	assert_string_equal(buf, "{\"a\":{}}");
	nested(buf, sizeof(buf), 3, true);
	assert_string_equal(buf, "{\"a\":{\"a\":{}}}");
	nested(buf, sizeof(buf), 3, false);
	assert_string_equal(buf, "{\"a\":[[]]}");
}

static void test_parse_messages(void **state)
{
	static const struct {
		const char *body;
		const char *message;
	} cases[] = {
	    {"", "request body is empty"},
	    {"[]", "request body must be a JSON object"},
	    {"{\"a\":1,\"a\":2}", "request body repeats a key within an object"},
	    {"{\"a\":1} x", "request body is not valid JSON: unexpected character at offset 8"},
	    {"{\"a\":", "request body is not valid JSON: it ends too early"},
	    {"{\"a\":\"\\u0000\"}", "request body is not valid JSON: \\u0000 in a string at offset 6"},
	};
	struct json_object *o;
	struct jsonx_err err;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		assert_int_equal(jsonx_parse_object(cases[i].body, strlen(cases[i].body), &o, &err), -1);
		assert_string_equal(err.message, cases[i].message);
	}
	/* NUL and invalid UTF-8 are the transport's to refuse (text_body_problem), with its own message */
	assert_string_equal(text_body_problem("{}\0", 3, true), "the request body contains a NUL byte");
	assert_string_equal(text_body_problem("{\"a\":\"\xc0\xaf\"}", 10, true),
			    "the request body is not valid UTF-8");
	/* err may be NULL */
	assert_int_equal(jsonx_parse_object("[", 1, &o, NULL), -1);
	assert_int_equal(jsonx_parse_object(NULL, 0, &o, NULL), -1);
}

/* The object every getter test reads. */
static const char fixture[] =
    "{\"name\":\"Majlis\",\"email\":\"amal@example.com\",\"url\":\"https://example.com/e/1\","
    "\"phone\":\"+216 71 123 456\",\"day\":\"2028-02-29\",\"badday\":\"2026-02-29\","
    "\"at\":\"2026-03-14T18:30\",\"token\":\"abc_DEF-09\",\"spaced\":\"a b\","
    "\"ml\":\"first\\nsecond\",\"crlf\":\"x\\r\\ny\",\"empty\":\"\",\"e5\":\"\\u00e9\\u00e9\\u00e9"
    "\\u00e9\\u00e9\",\"n\":5,\"neg\":-3,\"big\":9223372036854775807,"
    "\"small\":-9223372036854775808,\"dbl\":1.5,\"whole\":2.0,\"s5\":\"5\",\"t\":true,"
    "\"f\":false,\"nul\":null,\"arr\":[],\"obj\":{},\"lang\":\"ar\",\"LANG\":\"AR\","
    "\"rlo\":\"\\u202eAmina\",\"zwj\":\"a\\u200db\",\"shy\":\"Ami\\u00adna\"}";

static struct json_object *load_fixture(void)
{
	struct json_object *o = NULL;
	struct jsonx_err err;

	if (jsonx_parse_object(fixture, strlen(fixture), &o, &err))
		fail_msg("fixture does not parse: %s", err.message);
	return o;
}

/*
 * The answer of a getter to case i (its key): ret must be want; for -1, err holds code ("missing_field" for
 * a message saying "is required", else "invalid_field", when code is NULL) and the whole message.
 */
static void check_answer(size_t i, const char *key, int ret, int want, const struct jsonx_err *err,
			 const char *code, const char *message)
{
	if (ret != want)
		fail_msg("case %zu (%s): returned %d, expected %d (%s)", i, key, ret, want, err->message);
	if (ret != -1)
		return;
	if (!code)
		code = strstr(message, " is required") ? "missing_field" : "invalid_field";
	assert_string_equal(err->code, code);
	assert_string_equal(err->message, message);
}

/* Every getter of jsonx, by the kind of value it reads. */
enum getter { GET_STR, GET_INT, GET_BOOL, GET_DOUBLE, GET_ENUM, N_GETTERS };

/* Calls getter g on key (with bounds every value of the fixture could meet); *touched says whether it
 * wrote its output. */
static int get_any(enum getter g, struct json_object *o, const char *key, bool required, bool *touched,
		   struct jsonx_err *err)
{
	static const char *const langs[] = {"fr", "ar", "en", NULL};
	static const char sentinel[] = "untouched";
	const char *str = sentinel;
	int64_t n = 424242;
	bool b = true;
	double d = -42.0;
	int e = -7, ret = 99;

	switch (g) {
	case GET_STR:
		ret = jsonx_get_str(o, key, required, JSONX_LINE, 100, &str, err);
		break;
	case GET_INT:
		ret = jsonx_get_int(o, key, required, 0, 10, &n, err);
		break;
	case GET_BOOL:
		ret = jsonx_get_bool(o, key, required, &b, err);
		break;
	case GET_DOUBLE:
		ret = jsonx_get_double(o, key, required, 0, 10, &d, err);
		break;
	case GET_ENUM:
		ret = jsonx_get_enum(o, key, required, langs, &e, err);
		break;
	case N_GETTERS:
		break;
	}
	*touched = str != sentinel || n != 424242 || !b || d != -42.0 || e != -7;
	return ret;
}

/* Getter g on key (case i), optional and then required: it must answer optional_ret and then -1, with code
 * and message (as check_answer has them), and leave its output alone both times. */
static void check_refusal(struct json_object *o, enum getter g, size_t i, const char *key, int optional_ret,
			  const char *code, const char *message)
{
	struct jsonx_err err;
	bool touched;
	int ret;

	for (int required = 0; required <= 1; required++) {
		memset(&err, 0, sizeof(err));
		ret = get_any(g, o, key, required, &touched, &err);
		check_answer(i, key, ret, required ? -1 : optional_ret, &err, code, message);
		assert_false(touched);
	}
}

/* Absent and null fields, alike for every getter: optional, 0; required, -1 and "field '<key>' is
 * required" (missing_field); the output is left alone either way. */
static void test_absent_and_null(void **state)
{
	static const char *const keys[] = {"absent", "nul"};
	struct json_object *o = load_fixture();
	char message[64];

	(void)state;
	for (size_t k = 0; k < N_ELEMS(keys); k++) {
		snprintf(message, sizeof(message), "field '%s' is required", keys[k]);
		for (int g = 0; g < N_GETTERS; g++)
			check_refusal(o, g, (size_t)g, keys[k], 0, NULL, message);
	}
	json_object_put(o);
}

/* A value of another JSON type, refused alike whether the field is required or not: -1, invalid_field,
 * "field '<key>' must be <what>"; the output is left alone. */
static void test_wrong_type(void **state)
{
	static const struct {
		enum getter g;
		const char *key;
		const char *what;
	} cases[] = {
	    {GET_STR, "n", "a string"},		 {GET_STR, "t", "a string"},
	    {GET_STR, "arr", "a string"},	 {GET_STR, "obj", "a string"},
	    {GET_INT, "dbl", "an integer"},	 {GET_INT, "whole", "an integer"},
	    {GET_INT, "s5", "an integer"},	 {GET_INT, "t", "an integer"},
	    {GET_INT, "arr", "an integer"},	 {GET_BOOL, "n", "true or false"},
	    {GET_BOOL, "name", "true or false"}, {GET_BOOL, "obj", "true or false"},
	    {GET_DOUBLE, "s5", "a number"},	 {GET_DOUBLE, "t", "a number"},
	    {GET_DOUBLE, "arr", "a number"},	 {GET_ENUM, "n", "one of: fr, ar, en"},
	};
	struct json_object *o = load_fixture();
	char message[64];

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		snprintf(message, sizeof(message), "field '%s' must be %s", cases[i].key, cases[i].what);
		check_refusal(o, cases[i].g, i, cases[i].key, -1, "invalid_field", message);
	}
	json_object_put(o);
}

/* ret 1: text is the value; ret -1: text is the whole message (code invalid_field). */
struct str_case {
	const char *key;
	bool required;
	enum jsonx_str_kind kind;
	size_t max;
	int ret;
	const char *text;
};

/* The refusals of jsonx_get_str that recur, for the field key (a string literal). */
#define NOT_LINE(key) "field '" key "' must be a single line of text without control characters"
#define HIDDEN(key, cp)                                                                                      \
	"field '" key "' must not contain invisible or bidirectional control characters (U+" cp ")"
#define NOT_TOKEN(key) "field '" key "' must contain only letters, digits, '-' and '_'"

static void test_get_str(void **state)
{
	static const struct str_case cases[] = {
	    {"name", true, JSONX_LINE, 100, 1, "Majlis"},
	    {"name", false, JSONX_LINE, 6, 1, "Majlis"},
	    {"name", true, JSONX_LINE, 5, -1, "field 'name' must be at most 5 characters"},
	    {"empty", false, JSONX_LINE, 100, -1, "field 'empty' must not be empty"},
	    /* max_chars counts code points: five 'é' are ten octets */
	    {"e5", true, JSONX_LINE, 5, 1, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"},
	    {"e5", true, JSONX_LINE, 4, -1, "field 'e5' must be at most 4 characters"},
	    {"ml", true, JSONX_MULTILINE, 100, 1, "first\nsecond"},
	    {"ml", true, JSONX_LINE, 100, -1, NOT_LINE("ml")},
	    {"crlf", true, JSONX_LINE, 100, -1, NOT_LINE("crlf")},
	    {"crlf", true, JSONX_MULTILINE, 100, -1,
	     "field 'crlf' must be text without control characters other than line feed and tab"},
	    {"email", true, JSONX_EMAIL, 254, 1, "amal@example.com"},
	    {"name", true, JSONX_EMAIL, 254, -1, "field 'name' must be a valid e-mail address"},
	    {"url", true, JSONX_URL, 2048, 1, "https://example.com/e/1"},
	    {"email", true, JSONX_URL, 2048, -1, "field 'email' must be an absolute http or https URL"},
	    /* invisible and bidi controls: the code point is named; passwords keep theirs */
	    {"rlo", true, JSONX_LINE, 100, -1, HIDDEN("rlo", "202E")},
	    {"rlo", true, JSONX_TITLE, 100, -1, HIDDEN("rlo", "202E")},
	    {"rlo", true, JSONX_MULTILINE, 100, -1, HIDDEN("rlo", "202E")},
	    {"rlo", true, JSONX_SECRET, 100, 1,
	     "\xe2\x80\xae"
	     "Amina"},
	    {"shy", true, JSONX_LINE, 100, -1, HIDDEN("shy", "00AD")},
	    {"zwj", true, JSONX_LINE, 100, -1, HIDDEN("zwj", "200D")},
	    {"zwj", true, JSONX_TITLE, 100, 1,
	     "a\xe2\x80\x8d"
	     "b"},
	    {"zwj", true, JSONX_MULTILINE, 100, 1,
	     "a\xe2\x80\x8d"
	     "b"},
	    {"crlf", true, JSONX_SECRET, 100, -1, NOT_LINE("crlf")},
	    {"phone", true, JSONX_PHONE, 40, 1, "+216 71 123 456"},
	    {"name", true, JSONX_PHONE, 40, -1,
	     "field 'name' must be a phone number with its country code (+221 77 123 45 67, 00221...) "
	     "or a Moroccan number (06 12 34 56 78)"},
	    {"day", true, JSONX_DATE, 10, 1, "2028-02-29"},
	    {"badday", true, JSONX_DATE, 10, -1, "field 'badday' must be a date in the form YYYY-MM-DD"},
	    {"at", true, JSONX_LOCAL_DATETIME, 19, 1, "2026-03-14T18:30"},
	    {"day", true, JSONX_LOCAL_DATETIME, 19, -1,
	     "field 'day' must be a local date and time in the form YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS"},
	    {"token", true, JSONX_TOKEN, 64, 1, "abc_DEF-09"},
	    {"spaced", true, JSONX_TOKEN, 64, -1, NOT_TOKEN("spaced")},
	    {"email", true, JSONX_TOKEN, 64, -1, NOT_TOKEN("email")},
	};
	static const char sentinel[] = "untouched";
	struct json_object *o = load_fixture();
	struct jsonx_err err;
	const char *out;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		const struct str_case *c = &cases[i];

		out = sentinel;
		memset(&err, 0, sizeof(err));
		ret = jsonx_get_str(o, c->key, c->required, c->kind, c->max, &out, &err);
		check_answer(i, c->key, ret, c->ret, &err, "invalid_field", c->text);
		if (ret == 1)
			assert_string_equal(out, c->text);
		else
			assert_ptr_equal(out, sentinel); /* left alone unless 1 */
	}
	json_object_put(o);
}

struct int_case {
	const char *key;
	bool required;
	int64_t min;
	int64_t max;
	int ret;
	int64_t value;	     /* when ret is 1 */
	const char *message; /* when ret is -1 */
};

static void test_get_int(void **state)
{
	static const struct int_case cases[] = {
	    {"n", true, 0, 10, 1, 5, NULL},
	    {"n", true, 5, 5, 1, 5, NULL},
	    {"n", true, 0, 4, -1, 0, "field 'n' must be an integer from 0 to 4"},
	    {"n", true, 6, 10, -1, 0, "field 'n' must be an integer from 6 to 10"},
	    {"neg", true, -5, 0, 1, -3, NULL},
	    {"neg", true, 0, 100, -1, 0, "field 'neg' must be an integer from 0 to 100"},
	    {"big", true, INT64_MIN, INT64_MAX, 1, INT64_MAX, NULL},
	    {"big", true, 0, INT64_MAX - 1, -1, 0,
	     "field 'big' must be an integer from 0 to 9223372036854775806"},
	    {"small", true, INT64_MIN, 0, 1, INT64_MIN, NULL},
	    {"small", true, INT64_MIN + 1, 0, -1, 0,
	     "field 'small' must be an integer from -9223372036854775807 to 0"},
	};
	struct json_object *o = load_fixture();
	struct json_object *built;
	struct jsonx_err err;
	int64_t out;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		const struct int_case *c = &cases[i];

		out = 424242;
		memset(&err, 0, sizeof(err));
		ret = jsonx_get_int(o, c->key, c->required, c->min, c->max, &out, &err);
		check_answer(i, c->key, ret, c->ret, &err, NULL, c->message);
		assert_true(out == (ret == 1 ? c->value : 424242));
	}
	json_object_put(o);

	/* an object built in code may hold an unsigned value past INT64_MAX: never saturated */
	built = json_object_new_object();
	assert_non_null(built);
	json_object_object_add(built, "u", json_object_new_uint64(UINT64_MAX));
	assert_int_equal(jsonx_get_int(built, "u", true, INT64_MIN, INT64_MAX, &out, &err), -1);
	assert_string_equal(err.code, "invalid_field");
	json_object_put(built);
}

static void test_get_bool(void **state)
{
	static const char *const keys[] = {"f", "t"}; /* the fixture's false and true */
	struct json_object *o;
	struct jsonx_err err;
	bool out;
	size_t i;
	int ret;

	(void)state;
	/* "true" as a string is not a boolean */
	assert_int_equal(jsonx_parse_object("{\"b\":\"true\"}", 12, &o, &err), 0);
	assert_int_equal(jsonx_get_bool(o, "b", true, &out, &err), -1);
	json_object_put(o);

	o = load_fixture();
	for (i = 0; i < N_ELEMS(keys); i++) {
		out = i == 0;
		memset(&err, 0, sizeof(err));
		ret = jsonx_get_bool(o, keys[i], true, &out, &err);
		check_answer(i, keys[i], ret, 1, &err, NULL, NULL);
		assert_true(out == (i == 1));
	}
	json_object_put(o);
}

static void test_get_double(void **state)
{
	static const struct {
		const char *key;
		bool required;
		double min;
		double max;
		int ret;
		double value;
		const char *message;
	} cases[] = {
	    {"dbl", true, 0, 10, 1, 1.5, NULL},
	    {"whole", true, 0, 10, 1, 2.0, NULL},
	    {"n", true, 0, 10, 1, 5.0, NULL}, /* an integer is a number too */
	    {"n", true, 5, 5, 1, 5.0, NULL},
	    {"neg", true, -3, -3, 1, -3.0, NULL},
	    {"big", true, 0, 1e19, 1, 9223372036854775807.0, NULL},
	    {"dbl", true, 2, 10, -1, 0, "field 'dbl' must be a number from 2 to 10"},
	    {"dbl", true, 0, 1.25, -1, 0, "field 'dbl' must be a number from 0 to 1.25"},
	    {"neg", true, 0, 1e6, -1, 0, "field 'neg' must be a number from 0 to 1e+06"},
	};
	struct json_object *o = load_fixture();
	struct json_object *built;
	struct jsonx_err err;
	double out;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		out = -42.0;
		memset(&err, 0, sizeof(err));
		ret = jsonx_get_double(o, cases[i].key, cases[i].required, cases[i].min, cases[i].max, &out,
				       &err);
		check_answer(i, cases[i].key, ret, cases[i].ret, &err, NULL, cases[i].message);
		assert_true(out == (ret == 1 ? cases[i].value : -42.0));
	}
	json_object_put(o);

	/* the parse refuses non-finite numbers; an object built in code is checked again */
	built = json_object_new_object();
	assert_non_null(built);
	json_object_object_add(built, "inf", json_object_new_double(INFINITY));
	json_object_object_add(built, "nan", json_object_new_double(NAN));
	assert_int_equal(jsonx_get_double(built, "inf", true, -INFINITY, INFINITY, &out, &err), -1);
	assert_int_equal(jsonx_get_double(built, "nan", true, -INFINITY, INFINITY, &out, &err), -1);
	json_object_put(built);
}

static void test_get_enum(void **state)
{
	static const char *const langs[] = {"fr", "ar", "en", NULL};
	static const char *const two[] = {"fr", "en", NULL};
	static const struct {
		const char *key;
		bool required;
		const char *const *choices;
		int ret;
		int index;
		const char *message;
	} cases[] = {
	    {"lang", true, langs, 1, 1, NULL},
	    {"lang", true, two, -1, 0, "field 'lang' must be one of: fr, en"},
	    {"LANG", true, langs, -1, 0, "field 'LANG' must be one of: fr, ar, en"},
	    {"empty", true, langs, -1, 0, "field 'empty' must be one of: fr, ar, en"},
	};
	struct json_object *o = load_fixture();
	struct jsonx_err err;
	size_t i;
	int out, ret;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		out = -7;
		memset(&err, 0, sizeof(err));
		ret = jsonx_get_enum(o, cases[i].key, cases[i].required, cases[i].choices, &out, &err);
		check_answer(i, cases[i].key, ret, cases[i].ret, &err, NULL, cases[i].message);
		assert_int_equal(out, ret == 1 ? cases[i].index : -7);
	}
	json_object_put(o);
}

static void test_only_keys(void **state)
{
	static const char *const abc[] = {"a", "b", "c", NULL};
	static const char *const a_only[] = {"a", NULL};
	static const char *const none[] = {NULL};
	static const struct {
		const char *body;
		const char *const *allowed;
		int ret;
		const char *message;
	} cases[] = {
	    {"{\"a\":1,\"b\":2}", abc, 0, NULL},
	    {"{}", none, 0, NULL},
	    {"{\"a\":1,\"b\":2}", a_only, -1, "unknown field 'b'"},
	    {"{\"b\":2,\"a\":1,\"z\":0}", a_only, -1, "unknown field 'b'"}, /* first in order */
	    {"{\"a\":1}", none, -1, "unknown field 'a'"},
	    {"{\"A\":1}", abc, -1, "unknown field 'A'"},
	    {"{\"emial\":\"x@y.z\"}", abc, -1, "unknown field 'emial'"},
	    {"{\"a\":{\"nested\":1}}", a_only, 0, NULL}, /* only the top level is checked */
	};
	struct json_object *o;
	struct jsonx_err err;
	char body[256], key[200];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		if (jsonx_parse_object(cases[i].body, strlen(cases[i].body), &o, &err))
			fail_msg("case %zu does not parse: %s", i, err.message);
		if (jsonx_only_keys(o, cases[i].allowed, &err) != cases[i].ret)
			fail_msg("case %zu: wrong result", i);
		if (cases[i].ret == -1) {
			assert_string_equal(err.code, "unknown_field");
			assert_string_equal(err.message, cases[i].message);
		}
		json_object_put(o);
	}

	/* a long key is quoted shortened; multi-octet characters are not cut in half */
	memset(key, 0, sizeof(key));
	for (i = 0; i < 50; i++)
		memcpy(key + 2 * i, "\xd8\xb3", 2); /* 50 x U+0633, 100 octets */
	snprintf(body, sizeof(body), "{\"x%s\":1}", key);
	assert_int_equal(jsonx_parse_object(body, strlen(body), &o, &err), 0);
	assert_int_equal(jsonx_only_keys(o, abc, &err), -1);
	assert_true(text_utf8_valid(err.message, strlen(err.message)));
	assert_non_null(strstr(err.message, "...'"));
	assert_true(strlen(err.message) < strlen("unknown field ''") + 64 + 3 + 1);
	json_object_put(o);
}

static void test_add(void **state)
{
	struct json_object *o = json_object_new_object();

	(void)state;
	assert_non_null(o);
	jsonx_add_str(o, "s", "caf\xc3\xa9 \"q\"");
	jsonx_add_str(o, "none", NULL);
	jsonx_add_int(o, "i", -42);
	jsonx_add_int(o, "max", INT64_MAX);
	jsonx_add_bool(o, "yes", true);
	jsonx_add_bool(o, "no", false);
	assert_string_equal(
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
	    "{\"s\":\"caf\xc3\xa9 \\\"q\\\"\",\"none\":null,\"i\":-42,"
	    "\"max\":9223372036854775807,\"yes\":true,\"no\":false}");
	json_object_put(o);
}

/* Getters on a missing object see every field as absent; err may be NULL. */
static void test_null_tolerance(void **state)
{
	const char *s = NULL;
	int64_t i = 0;

	(void)state;
	assert_int_equal(jsonx_get_str(NULL, "a", false, JSONX_LINE, 10, &s, NULL), 0);
	assert_int_equal(jsonx_get_int(NULL, "a", true, 0, 1, &i, NULL), -1);
	assert_int_equal(jsonx_only_keys(NULL, NULL, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),	   cmocka_unit_test(test_parse_depth),
	    cmocka_unit_test(test_parse_messages), cmocka_unit_test(test_get_str),
	    cmocka_unit_test(test_get_int),	   cmocka_unit_test(test_get_bool),
	    cmocka_unit_test(test_get_double),	   cmocka_unit_test(test_get_enum),
	    cmocka_unit_test(test_only_keys),	   cmocka_unit_test(test_add),
	    cmocka_unit_test(test_null_tolerance), cmocka_unit_test(test_absent_and_null),
	    cmocka_unit_test(test_wrong_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
