/*
 * text: validation of text that enters from outside (UTF-8, control characters, e-mail, URL, phone,
 * ISO dates); pure functions, no allocation, any thread.
 */
#ifndef MAJLIS_UTIL_TEXT_H
#define MAJLIS_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool text_utf8_valid(const char *s, size_t n);
/* The one check of a request body's bytes, made by the transport before any handler or parser sees the
 * body: NULL when it is fine, else the message for the client ("the request body is not valid UTF-8"
 * when utf8 is asked for and it is not; "the request body contains a NUL byte"). */
const char *text_body_problem(const char *body, size_t len, bool utf8);
/* Number of code points in well-formed UTF-8 s. */
size_t text_utf8_len(const char *s);
/* A single-line human string: valid UTF-8, no C0/C1 controls (not even tab/newline), no DEL. */
bool text_is_line(const char *s);
/* Multi-line text: valid UTF-8, controls other than \n and \t refused (\r refused too). */
bool text_is_multiline(const char *s);
/* What a field of text is for, which decides the characters it may hold (text_is_clean). */
enum text_kind {
	TEXT_NAME,  /* a name or label on one line: people, organisations, venues, rooms, tokens */
	TEXT_TITLE, /* a title on one line: like a name, but ZWNJ/ZWJ (U+200C/U+200D) allowed */
	TEXT_PROSE, /* a description: as a title, and line feeds, tabs and U+2028/U+2029 too */
};
#define TEXT_BAD_UTF8 0x110000u /* *bad of text_is_clean for ill-formed UTF-8 */
/*
 * The one rule for human text that enters: well-formed UTF-8 without C0/C1 controls or DEL
 * (TEXT_PROSE: except \n and \t), without U+2028/U+2029 on one line, and without invisible or
 * bidirectional format characters (U+202A..U+202E, U+2066..U+2069, U+200B..U+200F, U+061C, U+FEFF,
 * U+2060..U+2064, U+00AD, the rest of Unicode's Cf, and blank fillers) — an override such as U+202E
 * shows a name reversed on a check-in list. ZWNJ and ZWJ are refused in names only. On false, *bad
 * (when not NULL) gets the first refused code point, or TEXT_BAD_UTF8.
 */
bool text_is_clean(const char *s, enum text_kind kind, uint32_t *bad);
/* A plausible address: one '@', non-empty local part and a dotted domain, ASCII printable only,
 * no spaces, no double quotes, no angle brackets, <= 254 octets. */
bool text_is_email(const char *s);
/* An absolute http(s) URL, ASCII printable only, no spaces, quotes or angle brackets, <= 2048 octets. */
bool text_is_url(const char *s);
#define TEXT_PHONE_E164_SIZE 17 /* '+', at most 15 digits, NUL */
/*
 * A phone number as typed to E.164 ("+212612345678"), Morocco being the default region: digits with
 * spaces, dots, dashes and parentheses (stripped), a leading "+" or "00" before the country code, or
 * a national Moroccan number "0" + 9 digits (5, 6, 7 or 8 first). Morocco's trunk 0 after +212 is
 * dropped ("+212 0612..." is "+212612..."); +212 takes exactly 9 digits; other countries 8..15 digits
 * in all. Returns false (out "") for anything else. out has TEXT_PHONE_E164_SIZE bytes.
 */
bool text_phone_e164(const char *s, char out[TEXT_PHONE_E164_SIZE]);
/* Whether text_phone_e164 accepts s. */
bool text_is_phone(const char *s);
/* "YYYY-MM-DD" naming a real calendar date. */
bool text_is_date(const char *s);
/* "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" naming a real date and time (no zone). */
bool text_is_local_datetime(const char *s);
/* Lowercases ASCII letters of s in place (for e-mail normalisation). */
void text_ascii_lower(char *s);

/* The value of one hexadecimal digit (0-9, a-f, A-F), or -1 for any other character. */
int text_hex_digit(char c);

/*
 * s folded for search into out (cap bytes, NUL-terminated, cut at a character boundary): letters lowercased
 * and stripped of their diacritics (Latin-1 and Latin Extended-A: "É" and "é" are "e", "Œ" is "oe", combining
 * marks dropped), Arabic harakat, Quranic marks, the superscript alef and the tatweel dropped, the alef
 * variants (أ إ آ ٱ) made ا, ى made ي and ة made ه, runs of spaces and tabs made one space, and no space at
 * either end. Other characters are kept as they are (an ill-formed byte too). Returns the length of out.
 */
size_t text_fold(const char *s, char *out, size_t cap);

#endif
