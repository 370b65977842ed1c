/*
 * text: decides whether text from outside is well-formed; it never allocates, logs, or changes its
 * input (text_ascii_lower, which the caller asks for, aside).
 */
#include "util/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/civil.h"

#define TEXT_EMAIL_MAX		   254
#define TEXT_EMAIL_LOCAL_MAX	   64 /* RFC 5321 4.5.3.1.1 */
#define TEXT_LABEL_MAX		   63 /* RFC 1035 2.3.4 */
#define TEXT_URL_MAX		   2048
#define TEXT_PHONE_MAX		   40 /* octets, separators included */
#define TEXT_PHONE_DIGITS_MAX	   20 /* typed digits, before normalisation */
#define TEXT_PHONE_E164_DIGITS_MIN 8

/*
 * Decodes the code point starting at s[*i] (n bytes in all) into *cp and advances *i.
 * Returns false, leaving *i alone, on a truncated or ill-formed sequence: stray continuation
 * bytes, overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and anything past
 * U+10FFFF (F4 90.., F5..FF). Table 3-7 of the Unicode standard, chapter 3.
 */
static bool text_utf8_next(const unsigned char *s, size_t n, size_t *i, uint32_t *cp)
{
	unsigned char c = s[*i];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, k;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return true;
	}
	if (c < 0xc2 || c > 0xf4)
		return false;
	if (c < 0xe0) {
		need = 1;
		v = c & 0x1f;
	} else if (c < 0xf0) {
		need = 2;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else {
		need = 3;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	}
	if (n - *i - 1 < need)
		return false;
	for (k = 1; k <= need; k++) {
		unsigned char b = s[*i + k];

		if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
			return false;
		v = (v << 6) | (b & 0x3f);
	}
	*cp = v;
	*i += need + 1;
	return true;
}

bool text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	if (!s)
		return n == 0;
	while (i < n) {
		if (!text_utf8_next(u, n, &i, &cp))
			return false;
	}
	return true;
}

/* Counts lead bytes; the caller has checked that s is well-formed. */
const char *text_body_problem(const char *body, size_t len, bool utf8)
{
	if (utf8 && !text_utf8_valid(body, len))
		return "the request body is not valid UTF-8";
	if (memchr(body, '\0', len))
		return "the request body contains a NUL byte";
	return NULL;
}

size_t text_utf8_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t count = 0;

	if (!s)
		return 0;
	for (; *u; u++) {
		if ((*u & 0xc0) != 0x80)
			count++;
	}
	return count;
}

/* C0 controls, DEL and C1 controls (U+0080..U+009F). */
static bool text_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/*
 * Characters that show nothing or reorder what is shown: Unicode's format characters (Cf: bidi
 * embeddings, overrides, isolates and marks, zero-width space, joiners, word joiner, invisible
 * operators, BOM, Arabic number signs, tags), the soft hyphen, and the fillers that render blank
 * (combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian selectors).
 * With joiners, ZWNJ U+200C and ZWJ U+200D pass: Persian and Arabic-script words and emoji
 * sequences need them.
 */
static bool text_is_hidden(uint32_t cp, bool joiners)
{
	if (cp < 0xad)
		return false;
	if (cp == 0x200c || cp == 0x200d)
		return !joiners;
	return cp == 0xad || cp == 0x34f || (cp >= 0x600 && cp <= 0x605) || cp == 0x61c || cp == 0x6dd ||
	       cp == 0x70f || cp == 0x890 || cp == 0x891 || cp == 0x8e2 || cp == 0x115f || cp == 0x1160 ||
	       cp == 0x17b4 || cp == 0x17b5 || (cp >= 0x180b && cp <= 0x180f) ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0x3164 || cp == 0xfeff || cp == 0xffa0 ||
	       (cp >= 0xfff9 && cp <= 0xfffb) || cp == 0x110bd || cp == 0x110cd ||
	       (cp >= 0x13430 && cp <= 0x1343f) || (cp >= 0x1bca0 && cp <= 0x1bca3) ||
	       (cp >= 0x1d173 && cp <= 0x1d17a) || cp == 0xe0001 || (cp >= 0xe0020 && cp <= 0xe007f);
}

/*
 * The one walk of text_is_line, text_is_multiline and text_is_clean: true when s is valid UTF-8 without
 * control characters (except \n and \t when multiline) and, unless multiline, without U+2028 LINE
 * SEPARATOR and U+2029 PARAGRAPH SEPARATOR, which break lines just as \n does; with hidden, also without
 * text_is_hidden(cp, joiners) characters. On false, *bad gets the first refused code point, or
 * TEXT_BAD_UTF8 (NULL s and ill-formed UTF-8).
 */
static bool text_walk(const char *s, bool multiline, bool hidden, bool joiners, uint32_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i = 0;
	uint32_t cp;

	*bad = TEXT_BAD_UTF8;
	if (!s)
		return false;
	while (u[i] >= 0x20 && u[i] < 0x7f) /* printable ASCII, the common case, needs no decoding */
		i++;
	if (!u[i])
		return true;
	n = i + strlen(s + i);
	while (i < n) {
		if (!text_utf8_next(u, n, &i, &cp))
			return false;
		if (multiline && (cp == '\n' || cp == '\t'))
			continue;
		if (text_is_control(cp) || (!multiline && (cp == 0x2028 || cp == 0x2029)) ||
		    (hidden && text_is_hidden(cp, joiners))) {
			*bad = cp;
			return false;
		}
	}
	return true;
}

bool text_is_line(const char *s)
{
	uint32_t bad;

	return text_walk(s, false, false, false, &bad);
}

bool text_is_multiline(const char *s)
{
	uint32_t bad;

	return text_walk(s, true, false, false, &bad);
}

bool text_is_clean(const char *s, enum text_kind kind, uint32_t *bad)
{
	uint32_t dummy;

	return text_walk(s, kind == TEXT_PROSE, true, kind != TEXT_NAME, bad ? bad : &dummy);
}

static bool text_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool text_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A host name of n octets: dot-separated labels of letters, digits and '-', each 1..63 octets,
 * not starting or ending with '-'. With dotted, at least two labels are required.
 */
static bool text_is_hostname(const char *s, size_t n, bool dotted)
{
	size_t i, label = 0, labels = 1;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			continue;
		}
		if (!text_is_alpha(c) && !text_is_digit(c) && c != '-')
			return false;
		if (c == '-' && label == 0)
			return false;
		if (++label > TEXT_LABEL_MAX)
			return false;
	}
	if (label == 0 || s[n - 1] == '-')
		return false;
	return !dotted || labels >= 2;
}

/*
 * RFC 5322 atext as allowed in an unquoted local part (the apostrophe included: o'brien@...); double
 * quotes (quoted local parts) are refused.
 */
static bool text_is_atext(char c)
{
	return text_is_alpha(c) || text_is_digit(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

bool text_is_email(const char *s)
{
	const char *at;
	size_t n, local, i;

	if (!s)
		return false;
	n = strlen(s);
	if (n == 0 || n > TEXT_EMAIL_MAX)
		return false;
	at = strchr(s, '@');
	if (!at || strchr(at + 1, '@'))
		return false;
	local = (size_t)(at - s);
	if (local == 0 || local > TEXT_EMAIL_LOCAL_MAX)
		return false;
	/* dot-atom: no leading, trailing or doubled dots */
	if (s[0] == '.' || s[local - 1] == '.')
		return false;
	for (i = 0; i < local; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
			continue;
		}
		if (!text_is_atext(s[i]))
			return false;
	}
	return text_is_hostname(at + 1, n - local - 1, true);
}

/* Characters a URL may carry: ASCII printable without space, quotes, angle brackets, backslash. */
static bool text_is_url_char(char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '\\';
}

/* "[...]" holding an IPv6 literal: hex digits, ':' and '.', at least one ':'. */
static bool text_is_ip_literal(const char *s, size_t n)
{
	size_t i;
	bool colon = false;

	if (n < 4 || s[0] != '[' || s[n - 1] != ']')
		return false;
	for (i = 1; i < n - 1; i++) {
		char c = s[i];

		if (c == ':')
			colon = true;
		else if (!text_is_digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != '.')
			return false;
	}
	return colon;
}

/* A port of 1..5 digits, 1..65535. */
static bool text_is_port(const char *s, size_t n)
{
	size_t i;
	unsigned long v = 0;

	if (n == 0 || n > 5)
		return false;
	for (i = 0; i < n; i++) {
		if (!text_is_digit(s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/*
 * The authority of an http(s) URL: host[:port]. User information never passes the host grammar
 * ('@' is not a host character), so "https://bank.example@evil.example" is refused.
 */
static bool text_is_authority(const char *s, size_t n)
{
	size_t host = n;
	size_t i;

	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (!close)
			return false;
		host = (size_t)(close - s) + 1;
		if (host < n && s[host] != ':')
			return false;
		if (!text_is_ip_literal(s, host))
			return false;
	} else {
		for (i = 0; i < n; i++) {
			if (s[i] == ':') {
				host = i;
				break;
			}
		}
		if (!text_is_hostname(s, host, false))
			return false;
	}
	if (host == n)
		return true;
	return text_is_port(s + host + 1, n - host - 1);
}

bool text_is_url(const char *s)
{
	size_t n, start, end, i;

	if (!s)
		return false;
	n = strlen(s);
	if (n > TEXT_URL_MAX)
		return false;
	if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
		start = 7;
	else if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
		start = 8;
	else
		return false;
	for (i = 0; i < n; i++) {
		if (!text_is_url_char(s[i]))
			return false;
	}
	end = start;
	while (end < n && s[end] != '/' && s[end] != '?' && s[end] != '#')
		end++;
	return text_is_authority(s + start, end - start);
}

/*
 * The shape a phone number may be typed in: optional leading '+', then digits, spaces, '-', '.',
 * and non-nested balanced parentheses; the first character after '+' is a digit or '(' and the
 * last is a digit, so no surrounding blanks. The digits (at most TEXT_PHONE_DIGITS_MAX) go to
 * digits, NUL-terminated.
 */
static bool text_phone_digits(const char *s, char digits[TEXT_PHONE_DIGITS_MAX + 1])
{
	size_t n, i, k = 0;
	bool open = false;

	n = strlen(s);
	if (n == 0 || n > TEXT_PHONE_MAX)
		return false;
	i = s[0] == '+' ? 1 : 0;
	if (i >= n || (!text_is_digit(s[i]) && s[i] != '('))
		return false;
	if (!text_is_digit(s[n - 1]))
		return false;
	for (; i < n; i++) {
		char c = s[i];

		if (text_is_digit(c)) {
			if (k == TEXT_PHONE_DIGITS_MAX)
				return false;
			digits[k++] = c;
		} else if (c == '(') {
			if (open)
				return false;
			open = true;
		} else if (c == ')') {
			if (!open)
				return false;
			open = false;
		} else if (c != ' ' && c != '-' && c != '.') {
			return false;
		}
	}
	digits[k] = '\0';
	return !open;
}

/*
 * International digits (country code first, no '+') to E.164: Morocco's trunk 0 after 212 is
 * dropped; a Moroccan number is 212 and 9 digits, the first 5, 6, 7 or 8; any other is 8..15 digits
 * not starting with 0.
 */
static bool text_phone_intl(const char *d, char out[TEXT_PHONE_E164_SIZE])
{
	size_t n;
	bool ok;

	if (strncmp(d, "2120", 4) == 0) {
		snprintf(out, TEXT_PHONE_E164_SIZE, "+212%s", d + 4);
	} else {
		if (strlen(d) > TEXT_PHONE_E164_SIZE - 2)
			return false;
		snprintf(out, TEXT_PHONE_E164_SIZE, "+%s", d);
	}
	n = strlen(out) - 1;
	ok = out[1] != '0' && n >= TEXT_PHONE_E164_DIGITS_MIN && n <= TEXT_PHONE_E164_SIZE - 2;
	if (ok && strncmp(out, "+212", 4) == 0)
		ok = n == 12 && out[4] >= '5' && out[4] <= '8';
	if (!ok)
		out[0] = '\0';
	return ok;
}

bool text_phone_e164(const char *s, char out[TEXT_PHONE_E164_SIZE])
{
	char digits[TEXT_PHONE_DIGITS_MAX + 1];

	out[0] = '\0';
	if (!s || !text_phone_digits(s, digits))
		return false;
	if (s[0] == '+')
		return text_phone_intl(digits, out);
	if (digits[0] == '0' && digits[1] == '0')
		return text_phone_intl(digits + 2, out);
	/* a national Moroccan number: 0 and 9 digits */
	if (digits[0] == '0' && strlen(digits) == 10 && digits[1] >= '5' && digits[1] <= '8') {
		memcpy(out, "+212", 4);
		memcpy(out + 4, digits + 1, 10); /* its 9 digits and the NUL */
		return true;
	}
	return false;
}

bool text_is_phone(const char *s)
{
	char e164[TEXT_PHONE_E164_SIZE];

	return text_phone_e164(s, e164);
}

/* Reads exactly n decimal digits from s into *v; false if any is not a digit. */
static bool text_digits(const char *s, size_t n, int *v)
{
	size_t i;
	int acc = 0;

	for (i = 0; i < n; i++) {
		if (!text_is_digit(s[i]))
			return false;
		acc = acc * 10 + (s[i] - '0');
	}
	*v = acc;
	return true;
}

/* The first 10 octets of s as "YYYY-MM-DD", years 0001..9999 (proleptic Gregorian). */
static bool text_date_prefix(const char *s)
{
	int y, m, d;

	if (s[4] != '-' || s[7] != '-')
		return false;
	if (!text_digits(s, 4, &y) || !text_digits(s + 5, 2, &m) || !text_digits(s + 8, 2, &d))
		return false;
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= civil_days_in_month(y, m);
}

bool text_is_date(const char *s)
{
	if (!s || strlen(s) != 10)
		return false;
	return text_date_prefix(s);
}

bool text_is_local_datetime(const char *s)
{
	size_t n;
	int h, mi, sec;

	if (!s)
		return false;
	n = strlen(s);
	if (n != 16 && n != 19)
		return false;
	if (!text_date_prefix(s) || s[10] != 'T' || s[13] != ':')
		return false;
	if (!text_digits(s + 11, 2, &h) || !text_digits(s + 14, 2, &mi) || h > 23 || mi > 59)
		return false;
	if (n == 16)
		return true;
	return s[16] == ':' && text_digits(s + 17, 2, &sec) && sec <= 59;
}

void text_ascii_lower(char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

int text_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The base letters of U+0100..U+017F (Latin Extended-A), one string each. */
static const char *const text_latin_ext_a[128] = {
    "a", "a", "a",  "a",  "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d", /* 0100 */
    "d", "d", "e",  "e",  "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g", /* 0110 */
    "g", "g", "g",  "g",  "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i", /* 0120 */
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", /* 0130 */
    "l", "l", "l",  "n",  "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o", /* 0140 */
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", /* 0150 */
    "s", "s", "t",  "t",  "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u", /* 0160 */
    "u", "u", "u",  "u",  "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s", /* 0170 */
};

/* The base letters of U+00C0..U+00FF (Latin-1 letters; × and ÷ stay). */
static const char *const text_latin_1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",	    "e", "e", "e", "e", "i", "i", "i",	"i",  /* 00C0 */
    "d", "n", "o", "o", "o", "o", "o",	"\xc3\x97", "o", "u", "u", "u", "u", "y", "th", "ss", /* 00D0 */
    "a", "a", "a", "a", "a", "a", "ae", "c",	    "e", "e", "e", "e", "i", "i", "i",	"i",  /* 00E0 */
    "d", "n", "o", "o", "o", "o", "o",	"\xc3\xb7", "o", "u", "u", "u", "u", "y", "th", "y",  /* 00F0 */
};

/* What code point cp folds to (text_fold): a string, "" to drop it, or NULL to keep it as it is. */
static const char *text_fold_cp(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return NULL; /* lowercased by the caller */
	if (cp >= 0xc0 && cp <= 0xff)
		return text_latin_1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f)
		return text_latin_ext_a[cp - 0x100];
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x610 && cp <= 0x61a) || (cp >= 0x64b && cp <= 0x65f) ||
	    cp == 0x670 || cp == 0x640)
		return ""; /* combining marks, Arabic harakat and marks, superscript alef, tatweel */
	switch (cp) {
	case 0x622:		   /* آ */
	case 0x623:		   /* أ */
	case 0x625:		   /* إ */
	case 0x671:		   /* ٱ */
		return "\xd8\xa7"; /* ا */
	case 0x649:		   /* ى */
		return "\xd9\x8a"; /* ي */
	case 0x629:		   /* ة */
		return "\xd9\x87"; /* ه */
	default:
		return NULL;
	}
}

size_t text_fold(const char *s, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = s ? strlen(s) : 0, i = 0, len = 0, start, plen;
	bool space = false;
	const char *piece;
	char lower[2];
	uint32_t cp;

	if (!cap)
		return 0;
	while (i < n) {
		start = i;
		if (!text_utf8_next(u, n, &i, &cp)) {
			i++; /* an ill-formed byte: kept as it is */
			piece = NULL;
		} else if (cp == ' ' || cp == '\t') {
			space = len > 0;
			continue;
		} else if (cp >= 'A' && cp <= 'Z') {
			lower[0] = (char)(cp - 'A' + 'a');
			lower[1] = '\0';
			piece = lower;
		} else {
			piece = text_fold_cp(cp);
		}
		if (piece && !piece[0])
			continue;
		plen = piece ? strlen(piece) : i - start;
		if (len + plen + (space ? 1 : 0) >= cap)
			break;
		if (space)
			out[len++] = ' ';
		space = false;
		memcpy(out + len, piece ? piece : s + start, plen);
		len += plen;
	}
	out[len] = '\0';
	return len;
}
