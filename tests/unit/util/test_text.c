/* test_text: table-driven checks of util/text validators; it touches no file, network or clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* One string and whether a predicate should accept it. */
struct text_case {
	const char *s;
	bool ok;
};

/* Runs pred over every case; names the failing case. */
static void run_cases(const char *what, bool (*pred)(const char *), const struct text_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (pred(cases[i].s) != cases[i].ok)
			fail_msg("%s case %zu \"%s\": expected %s", what, i, cases[i].s,
				 cases[i].ok ? "accept" : "refuse");
	}
}

/* Byte strings with explicit lengths, so NUL and truncated sequences can be expressed. */
struct utf8_case {
	const char *s;
	size_t n;
	bool ok;
};

/* clang-format off */
#define U8(lit, ok) { lit, sizeof(lit) - 1, ok }
/* clang-format on */

static void test_utf8_valid(void **state)
{
	static const struct utf8_case cases[] = {
	    U8("", true),
	    U8("plain ascii", true),
	    U8("caf\xc3\xa9", true),						  /* é */
	    U8("\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9", true), /* العربية */
	    U8("\xe2\x82\xac", true),						  /* € */
	    U8("\xf0\x9f\x98\x80", true),					  /* U+1F600 */
	    U8("\xef\xbf\xbf", true),						  /* U+FFFF is well-formed */
	    U8("\xf4\x8f\xbf\xbf", true),					  /* U+10FFFF, the last */
	    U8("\xed\x9f\xbf", true),		   /* U+D7FF, just below surrogates */
	    U8("\xee\x80\x80", true),		   /* U+E000, just above */
	    U8("a\0b", true),			   /* U+0000 is UTF-8; callers refuse it */
	    U8("\xc0\xaf", false),		   /* overlong '/' */
	    U8("\xc1\xbf", false),		   /* overlong */
	    U8("\xe0\x80\xaf", false),		   /* overlong '/' in 3 bytes */
	    U8("\xe0\x9f\xbf", false),		   /* overlong U+07FF */
	    U8("\xf0\x80\x80\xaf", false),	   /* overlong in 4 bytes */
	    U8("\xf0\x8f\xbf\xbf", false),	   /* overlong U+FFFF */
	    U8("\xed\xa0\x80", false),		   /* U+D800 high surrogate */
	    U8("\xed\xbf\xbf", false),		   /* U+DFFF low surrogate */
	    U8("\xed\xa0\xbd\xed\xb8\x80", false), /* CESU-8 surrogate pair */
	    U8("\xf4\x90\x80\x80", false),	   /* U+110000 */
	    U8("\xf5\x80\x80\x80", false),
	    U8("\xff", false),
	    U8("\xfe", false),
	    U8("\x80", false), /* stray continuation */
	    U8("a\xbf", false),
	    U8("\xc3", false), /* truncated */
	    U8("\xe2\x82", false),
	    U8("\xf0\x9f\x98", false),
	    U8("\xc3\x28", false), /* bad continuation */
	    U8("\xe2\x28\xa1", false),
	    U8("\xf0\x9f\x28\x80", false),
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		if (text_utf8_valid(cases[i].s, cases[i].n) != cases[i].ok)
			fail_msg("utf8 case %zu: expected %s", i, cases[i].ok ? "valid" : "invalid");
	}
	/* the length is honoured: a valid prefix of an invalid string */
	assert_true(text_utf8_valid("ab\xff", 2));
	assert_false(text_utf8_valid("\xe2\x82\xac", 2));
	assert_true(text_utf8_valid(NULL, 0));
}

/* The check every request body passes before dispatch: UTF-8 unless the caller says otherwise (an iCalendar
 * body may be in another charset), never a NUL byte. */
static void test_body_problem(void **state)
{
	static const struct {
		const char *body;
		size_t len;
		bool utf8;
		const char *why;
	} cases[] = {
	    {"{}", 2, true, NULL},
	    {"{\"a\":\"caf\xc3\xa9\"}", 13, true, NULL},
	    {"{\"a\":\"\xc3\x28\"}", 10, true, "the request body is not valid UTF-8"},
	    {"BEGIN:VCALENDAR\xe9", 16, false, NULL},
	    {"BEGIN:VCALENDAR\xe9", 16, true, "the request body is not valid UTF-8"},
	    {"{}\0", 3, true, "the request body contains a NUL byte"},
	    {"A\0\xe9", 3, false, "the request body contains a NUL byte"},
	    {"\xef\xbb\xbf{}", 5, true, NULL}, /* a BOM is UTF-8; the JSON parser refuses it */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = text_body_problem(cases[i].body, cases[i].len, cases[i].utf8);

		if (!cases[i].why)
			assert_null(why);
		else
			assert_string_equal(why, cases[i].why);
	}
}

static void test_utf8_len(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} cases[] = {
	    {"", 0},
	    {"abc", 3},
	    {"caf\xc3\xa9", 4},
	    {"\xd9\x85\xd8\xac\xd9\x84\xd8\xb3", 4}, /* مجلس */
	    {"\xe2\x82\xac\x35", 2},		     /* "€5" */
	    {"\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 2},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		if (text_utf8_len(cases[i].s) != cases[i].len)
			fail_msg("len case %zu: got %zu, expected %zu", i, text_utf8_len(cases[i].s),
				 cases[i].len);
	}
}

static void test_is_line(void **state)
{
	static const struct text_case cases[] = {
	    {"Annual meeting", true},
	    {"", true},
	    {"R\xc3\xa9union \xc3\xa0 Tunis", true},
	    {"\xd8\xa7\xd8\xac\xd8\xaa\xd9\x85\xd8\xa7\xd8\xb9", true},
	    {"emoji \xf0\x9f\x8e\x89", true},
	    {"tab\there", false},
	    {"line\nbreak", false},
	    {"carriage\rreturn", false},
	    {"Subject\r\nBcc: victim@example.com", false}, /* header injection */
	    {"bell\a", false},
	    {"esc\x1b[31m", false},
	    {"del\x7f", false},
	    {"c1 \xc2\x85 NEL", false},
	    {"c1 \xc2\x80", false},
	    {"c1 \xc2\x9f", false},
	    {"nbsp\xc2\xa0ok", true},  /* U+00A0 is the first non-control after C1 */
	    {"ls\xe2\x80\xa8", false}, /* U+2028 LINE SEPARATOR */
	    {"ps\xe2\x80\xa9", false}, /* U+2029 PARAGRAPH SEPARATOR */
	    {"overlong \xc0\x8a", false},
	    {"surrogate \xed\xa0\x80", false},
	    {"bad \xff", false},
	};

	(void)state;
	run_cases("line", text_is_line, cases, N_ELEMS(cases));
	assert_false(text_is_line(NULL));
}

static void test_is_multiline(void **state)
{
	static const struct text_case cases[] = {
	    {"one line", true},
	    {"first\nsecond\n", true},
	    {"col\tcol", true},
	    {"ls\xe2\x80\xa8ok", true},
	    {"windows\r\nline", false},
	    {"old mac\rline", false},
	    {"vt\v", false},
	    {"ff\f", false},
	    {"nul-free but bell\a", false},
	    {"del\x7f", false},
	    {"c1 \xc2\x85", false},
	    {"overlong \xc0\x8a", false},
	    {"surrogate \xed\xb0\x80", false},
	    {"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\n\xd8\xa8\xd9\x83\xd9\x85", true},
	};

	(void)state;
	run_cases("multiline", text_is_multiline, cases, N_ELEMS(cases));
	assert_false(text_is_multiline(NULL));
}

static void test_is_email(void **state)
{
	/* 64-octet local part is the most allowed; 65 is refused */
	static const char local64[] =
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com";
	static const char local65[] =
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com";
	static const struct text_case cases[] = {
	    {"user@example.com", true},
	    {"first.last@example.co.uk", true},
	    {"user+tag@sub.example.org", true},
	    {"x_y-z@a-b.example", true},
	    {"UPPER@EXAMPLE.COM", true},
	    {"a@b.c", true},
	    {"user@xn--mgbh0fb.example", true},
	    {local64, true},
	    {local65, false},
	    {"", false},
	    {"plainaddress", false},
	    {"@example.com", false},
	    {"user@", false},
	    {"user@localhost", false}, /* not dotted */
	    {"user@@example.com", false},
	    {"a@b@example.com", false},
	    {"user name@example.com", false},
	    {"user@exa mple.com", false},
	    {"\"quoted\"@example.com", false},
	    {"o'brien@example.com", true},
	    {"<user@example.com>", false},
	    {"user@example.com>", false},
	    {".user@example.com", false},
	    {"user.@example.com", false},
	    {"us..er@example.com", false},
	    {"user@.example.com", false},
	    {"user@example.com.", false},
	    {"user@example..com", false},
	    {"user@-example.com", false},
	    {"user@example-.com", false},
	    {"user@exa_mple.com", false},
	    {"user,other@example.com", false},
	    {"user;x@example.com", false},
	    {"user@example.com\r\nBcc: x@example.com", false},
	    {"user@example.com\n", false},
	    {"us\xc3\xa9r@example.com", false}, /* ASCII only */
	    {"user@[127.0.0.1]", false},
	};
	char long_addr[300];
	size_t i;

	(void)state;
	run_cases("email", text_is_email, cases, N_ELEMS(cases));
	assert_false(text_is_email(NULL));

	/* 254 octets accepted, 255 refused: "a@" + labels of 63 joined by dots */
	memset(long_addr, 0, sizeof(long_addr));
	memcpy(long_addr, "a@", 2);
	for (i = 2; i < 254; i++)
		long_addr[i] = (i - 2) % 64 == 63 ? '.' : 'b';
	long_addr[253] = 'c';
	assert_int_equal(strlen(long_addr), 254);
	assert_true(text_is_email(long_addr));
	long_addr[254] = 'c';
	assert_false(text_is_email(long_addr));
}

static void test_is_url(void **state)
{
	static const struct text_case cases[] = {
	    {"https://example.com", true},
	    {"http://example.com/", true},
	    {"https://example.com/path/to?q=1&r=%20#frag", true},
	    {"https://sub.example.com:8443/x", true},
	    {"HTTPS://EXAMPLE.COM/", true},
	    {"http://localhost:8080/", true},
	    {"http://127.0.0.1/", true},
	    {"http://[::1]:8080/", true},
	    {"https://example.com?x", true},
	    {"https://example.com#top", true},
	    {"", false},
	    {"example.com", false},
	    {"//example.com", false},
	    {"ftp://example.com/", false},
	    {"javascript:alert(1)", false},
	    {"data:text/html,<script>", false},
	    {"https://", false},
	    {"https:///path", false},
	    {"https://exa mple.com", false},
	    {"https://example.com/a b", false},
	    {"https://example.com/\"x", false},
	    {"https://example.com/'x", false},
	    {"https://example.com/<x>", false},
	    {"https://example.com\\@evil.example", false},
	    {"https://user:pw@example.com/", false},
	    {"https://bank.example@evil.example/", false},
	    {"https://example.com:0/", false},
	    {"https://example.com:65536/", false},
	    {"https://example.com:/", false},
	    {"https://example.com:80a/", false},
	    {"https://[::1/", false},
	    {"https://[zz]/", false},
	    {"https://-bad.example/", false},
	    {"https://exa_mple.com/", false},
	    {"https://example.com/\r\nX: y", false},
	    {"https://example.com/\t", false},
	    {"https://ex\xc3\xa4mple.com/", false},
	};
	char long_url[2100];
	size_t prefix = strlen("https://example.com/");

	(void)state;
	run_cases("url", text_is_url, cases, N_ELEMS(cases));
	assert_false(text_is_url(NULL));

	/* 2048 octets accepted, 2049 refused */
	memset(long_url, 'a', sizeof(long_url));
	memcpy(long_url, "https://example.com/", prefix);
	long_url[2048] = '\0';
	assert_true(text_is_url(long_url));
	long_url[2048] = 'a';
	long_url[2049] = '\0';
	assert_false(text_is_url(long_url));
}

/* One phone number as typed and its E.164 form (NULL: refused). */
struct phone_case {
	const char *in;
	const char *e164;
};

static void test_phone_e164(void **state)
{
	static const struct phone_case cases[] = {
	    /* one Moroccan mobile, typed four ways (and a few more): one number */
	    {"+212 612 34 56 78", "+212612345678"},
	    {"+212612345678", "+212612345678"},
	    {"00212612345678", "+212612345678"},
	    {"0612345678", "+212612345678"},
	    {"06 12 34 56 78", "+212612345678"},
	    {"06.12.34.56.78", "+212612345678"},
	    {"06-12-34-56-78", "+212612345678"},
	    {"+212 (0)6 12 34 56 78", "+212612345678"}, /* trunk 0 after the country code */
	    {"+2120612345678", "+212612345678"},
	    {"00212 0612345678", "+212612345678"},
	    {"0712345678", "+212712345678"},	/* mobile 7 */
	    {"0522 12 34 56", "+212522123456"}, /* fixed line, Casablanca */
	    {"0801 00 11 22", "+212801001122"}, /* 8: services */
	    /* foreign numbers in + or 00 form */
	    {"+221 77 123 45 67", "+221771234567"},	/* Senegal */
	    {"00225 07 12 34 56 78", "+2250712345678"}, /* Côte d'Ivoire keeps its leading 0 */
	    {"+224 621 12 34 56", "+224621123456"},	/* Guinea */
	    {"+223 76 12 34 56", "+22376123456"},	/* Mali */
	    {"+237 6 71 23 45 67", "+237671234567"},	/* Cameroon */
	    {"+243 81 234 5678", "+243812345678"},	/* DR Congo */
	    {"+963 944 123 456", "+963944123456"},	/* Syria */
	    {"+234 802 123 4567", "+2348021234567"},	/* Nigeria */
	    {"+216 71 123 456", "+21671123456"},	/* Tunisia */
	    {"+33 1 23 45 67 89", "+33123456789"},	/* France */
	    {"+1 (555) 123-4567", "+15551234567"},
	    {"+49 1234 5678", "+4912345678"},	      /* 10 digits: within 8..15 */
	    {"+123456789012345", "+123456789012345"}, /* 15 digits: the most */
	    {"+1234567", NULL},			      /* 7 digits: too few */
	    {"+1234567890123456", NULL},	      /* 16 digits: too many */
	    {"+0612345678", NULL},		      /* no country code starts with 0 */
	    {"000612345678", NULL},
	    {"+212 612 34 56 7", NULL}, /* Morocco: 9 digits after +212 */
	    {"+212 612 34 56 789", NULL},
	    {"+212 912 34 56 78", NULL}, /* Morocco: 5, 6, 7 or 8 first */
	    {"0912345678", NULL},
	    {"061234567", NULL}, /* national: 10 digits */
	    {"06123456789", NULL},
	    {"612345678", NULL}, /* no 0, no country code: which country? */
	    {"555.123.4567", NULL},
	    {"12345", NULL},
	    {"", NULL},
	    {"+", NULL},
	    {"++212612345678", NULL},
	    {"212+612345678", NULL},
	    {"+212 612 34 56 78 ext 7", NULL},
	    {"+212/612/34/56/78", NULL},
	    {" 0612345678", NULL},
	    {"0612345678 ", NULL},
	    {"0612345678-", NULL},
	    {"(06 12345678", NULL},
	    {"06) 12345678", NULL},
	    {"((06)) 12345678", NULL},
	    {"0612345678\r\n", NULL},
	    {"\xd9\xa0\xd9\xa6\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8",
	     NULL},							  /* Arabic-Indic */
	    {"- - - - - - - - - - - - - - - - - - - - 0612345678", NULL}, /* past 40 octets */
	    {"+2120000000000000000000", NULL},
	};
	char out[TEXT_PHONE_E164_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		bool ok = text_phone_e164(cases[i].in, out);

		if (ok != (cases[i].e164 != NULL) || (ok && strcmp(out, cases[i].e164)) || (!ok && out[0]))
			fail_msg("phone case %zu \"%s\": expected %s, got %s \"%s\"", i, cases[i].in,
				 cases[i].e164 ? cases[i].e164 : "refusal", ok ? "" : "refusal", out);
		assert_int_equal(text_is_phone(cases[i].in), ok);
		/* E.164 is a fixed point */
		if (ok) {
			char again[TEXT_PHONE_E164_SIZE];

			assert_true(text_phone_e164(out, again));
			assert_string_equal(again, out);
		}
	}
	assert_false(text_phone_e164(NULL, out));
	assert_false(text_is_phone(NULL));
}

/* A code point refused (or passed) by text_is_clean for each kind. */
struct clean_case {
	uint32_t cp;
	bool name, title, prose;
};

/* Writes cp as UTF-8 into out (at least 5 bytes). */
static void utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = '\0';
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		out[2] = '\0';
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		out[3] = '\0';
	} else {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		out[4] = '\0';
	}
}

static void test_is_clean(void **state)
{
	static const struct clean_case cases[] = {
	    /* refused everywhere: bidi embeddings, overrides, isolates and marks */
	    {0x202a, false, false, false},
	    {0x202b, false, false, false},
	    {0x202c, false, false, false},
	    {0x202d, false, false, false},
	    {0x202e, false, false, false},
	    {0x2066, false, false, false},
	    {0x2067, false, false, false},
	    {0x2068, false, false, false},
	    {0x2069, false, false, false},
	    {0x200e, false, false, false},
	    {0x200f, false, false, false},
	    {0x061c, false, false, false},
	    /* zero-width and invisible */
	    {0x200b, false, false, false},
	    {0xfeff, false, false, false},
	    {0x2060, false, false, false},
	    {0x2061, false, false, false},
	    {0x2062, false, false, false},
	    {0x2063, false, false, false},
	    {0x2064, false, false, false},
	    {0x00ad, false, false, false},
	    {0x034f, false, false, false},
	    {0x180e, false, false, false},
	    {0x3164, false, false, false},
	    {0x0600, false, false, false},
	    {0xfff9, false, false, false},
	    {0xe0001, false, false, false},
	    {0xe0041, false, false, false},
	    {0x1d173, false, false, false},
	    /* C0 and C1 controls, DEL */
	    {0x01, false, false, false},
	    {0x1b, false, false, false},
	    {0x7f, false, false, false},
	    {0x85, false, false, false},
	    {0x9f, false, false, false},
	    {'\r', false, false, false},
	    /* line breaks: prose only */
	    {'\n', false, false, true},
	    {'\t', false, false, true},
	    {0x2028, false, false, true},
	    {0x2029, false, false, true},
	    /* joiners: titles and prose (Persian words, emoji), never names */
	    {0x200c, false, true, true},
	    {0x200d, false, true, true},
	    /* visible text passes */
	    {'a', true, true, true},
	    {0xe9, true, true, true},
	    {0x0627, true, true, true},
	    {0x0661, true, true, true},
	    {0x2013, true, true, true},
	    {0xa0, true, true, true},
	    {0x1f469, true, true, true},
	    {0xfe0f, true, true, true},
	    {0x2d30, true, true, true}, /* Tifinagh */
	};
	static const enum text_kind kinds[] = {TEXT_NAME, TEXT_TITLE, TEXT_PROSE};
	char c[8], s[32];
	uint32_t bad;
	size_t i, k;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		const bool want[] = {cases[i].name, cases[i].title, cases[i].prose};

		utf8_put(cases[i].cp, c);
		snprintf(s, sizeof(s), "Ami%sna", c);
		for (k = 0; k < N_ELEMS(kinds); k++) {
			bad = 0;
			if (text_is_clean(s, kinds[k], &bad) != want[k])
				fail_msg("U+%04X in kind %zu: expected %s", (unsigned)cases[i].cp, k,
					 want[k] ? "accept" : "refuse");
			if (!want[k])
				assert_int_equal(bad, cases[i].cp);
		}
	}
	/* a reversed name as it would be spoofed on a list */
	assert_false(text_is_clean("\xe2\x80\xae"
				   "Amina Tazi",
				   TEXT_NAME, &bad));
	assert_int_equal(bad, 0x202e);
	assert_true(text_is_clean("\xd8\xa3\xd9\x85\xd9\x8a\xd9\x86\xd8\xa9 \xd8\xaa\xd8\xa7\xd8\xb2\xd9\x8a",
				  TEXT_NAME, NULL));
	assert_true(text_is_clean("Atelier 1\nSalle B", TEXT_PROSE, NULL));
	assert_false(text_is_clean("\xc3", TEXT_PROSE, &bad)); /* truncated UTF-8 */
	assert_int_equal(bad, TEXT_BAD_UTF8);
	assert_false(text_is_clean(NULL, TEXT_NAME, NULL));
	assert_true(text_is_clean("", TEXT_NAME, NULL));
}

static void test_is_date(void **state)
{
	static const struct text_case cases[] = {
	    {"2026-03-14", true},
	    {"2026-01-31", true},
	    {"2026-12-31", true},
	    {"2026-02-28", true},
	    {"2026-02-29", false}, /* 2026 is not a leap year */
	    {"2028-02-29", true},  /* 2028 is */
	    {"2000-02-29", true},  /* divisible by 400 */
	    {"1900-02-29", false}, /* divisible by 100 only */
	    {"2100-02-29", false},
	    {"2028-02-30", false},
	    {"2026-04-30", true},
	    {"2026-04-31", false},
	    {"2026-06-31", false},
	    {"2026-09-31", false},
	    {"2026-11-31", false},
	    {"2026-00-10", false},
	    {"2026-13-10", false},
	    {"2026-01-00", false},
	    {"2026-01-32", false},
	    {"0000-01-01", false},
	    {"0001-01-01", true},
	    {"9999-12-31", true},
	    {"26-03-14", false},
	    {"2026-3-14", false},
	    {"2026-03-4", false},
	    {"2026/03/14", false},
	    {"20260314", false},
	    {"2026-03-14T10:00", false},
	    {"2026-03-14 ", false},
	    {" 2026-03-14", false},
	    {"2026-0a-14", false},
	    {"+026-03-14", false},
	    {"", false},
	};

	(void)state;
	run_cases("date", text_is_date, cases, N_ELEMS(cases));
	assert_false(text_is_date(NULL));
}

static void test_is_local_datetime(void **state)
{
	static const struct text_case cases[] = {
	    {"2026-03-14T18:30", true},	      {"2026-03-14T18:30:59", true},
	    {"2026-03-14T00:00", true},	      {"2026-03-14T23:59:00", true},
	    {"2028-02-29T12:00", true},	      {"2026-02-29T12:00", false},
	    {"2026-03-14T24:00", false},      {"2026-03-14T12:60", false},
	    {"2026-03-14T12:30:60", false},   {"2026-03-14 18:30", false},
	    {"2026-03-14t18:30", false},      {"2026-03-14T18:30Z", false},
	    {"2026-03-14T18:30:00Z", false},  {"2026-03-14T18:30:00+01:00", false},
	    {"2026-03-14T18:30:00.5", false}, {"2026-03-14T1830", false},
	    {"2026-03-14T18", false},	      {"2026-03-14T18:3", false},
	    {"2026-03-14T18:30:", false},     {"2026-03-14", false},
	    {"2026-03-14T18-30", false},      {"", false},
	};

	(void)state;
	run_cases("datetime", text_is_local_datetime, cases, N_ELEMS(cases));
	assert_false(text_is_local_datetime(NULL));
}

static void test_ascii_lower(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
	    {"User@Example.COM", "user@example.com"},
	    {"already lower", "already lower"},
	    {"", ""},
	    {"\xc3\x89T\xc3\x89", "\xc3\x89t\xc3\x89"}, /* only ASCII letters change */
	    {"AZ[@`az", "az[@`az"},
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		text_ascii_lower(buf);
		assert_string_equal(buf, cases[i].out);
	}
	text_ascii_lower(NULL);
}

/* Search folding: case, Latin diacritics, Arabic harakat, tatweel and alef variants aside; spaces squeezed;
 * other text kept; the output always fits its buffer on a character boundary. */
static void test_fold(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"Hélène DUPRÉ", "helene dupre"},
	    {"ÇA Œuvre Æsir ß", "ca oeuvre aesir ss"},
	    {"Łódź Ştefan Ğül İlkay", "lodz stefan gul ilkay"},
	    {"e\xcc\x81te", "ete"}, /* e + combining acute */
	    {"  Fatima \t  Zahra  ", "fatima zahra"},
	    {"مُحَمَّد", "محمد"},
	    {"عـــلي", "علي"},
	    {"أحمد إيمان آمنة ٱلله", "احمد ايمان امنه الله"},
	    {"مصطفى فاطمة", "مصطفي فاطمه"},
	    {"رَحْمٰن", "رحمن"},
	    {"3 × 4 ÷ 2", "3 × 4 ÷ 2"},
	    {"李 Ωμέγα", "李 Ωμέγα"},
	    {"", ""},
	    {"ً ٌ ", ""},
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(text_fold(cases[i].in, out, sizeof(out)), strlen(cases[i].out));
		assert_string_equal(out, cases[i].out);
	}
	assert_int_equal(text_fold(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* cut on a character boundary: "ابج" is 6 bytes, 5 bytes of room take two letters */
	assert_int_equal(text_fold("ابج", out, 5), 4);
	assert_string_equal(out, "اب");
	assert_int_equal(text_fold("Élan", out, 3), 2);
	assert_string_equal(out, "el");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_body_problem),
	    cmocka_unit_test(test_utf8_len),
	    cmocka_unit_test(test_is_line),
	    cmocka_unit_test(test_is_multiline),
	    cmocka_unit_test(test_is_email),
	    cmocka_unit_test(test_is_url),
	    cmocka_unit_test(test_phone_e164),
	    cmocka_unit_test(test_is_clean),
	    cmocka_unit_test(test_is_date),
	    cmocka_unit_test(test_is_local_datetime),
	    cmocka_unit_test(test_ascii_lower),
	    cmocka_unit_test(test_fold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
