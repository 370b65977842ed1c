/*
 * text: validation of text that enters from outside (UTF-8, control characters, e-mail, URL, phone,
 * ISO dates); pure functions, no allocation, any thread.
 */
#ifndef MAJLIS_UTIL_TEXT_H
#define MAJLIS_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool text_utf8_valid(const char *s, size_t n);
/* Number of code points in well-formed UTF-8 s. */
size_t text_utf8_len(const char *s);
/* A single-line human string: valid UTF-8, no C0/C1 controls (not even tab/newline), no DEL. */
bool text_is_line(const char *s);
/* Multi-line text: valid UTF-8, controls other than \n and \t refused (\r refused too). */
bool text_is_multiline(const char *s);
/* A plausible address: one '@', non-empty local part and a dotted domain, ASCII printable only,
 * no spaces, no double quotes, no angle brackets, <= 254 octets. */
bool text_is_email(const char *s);
/* An absolute http(s) URL, ASCII printable only, no spaces, quotes or angle brackets, <= 2048 octets. */
bool text_is_url(const char *s);
/* A phone number: optional leading '+', then digits, spaces, dashes, dots, parentheses; 6..20 digits. */
bool text_is_phone(const char *s);
/* "YYYY-MM-DD" naming a real calendar date. */
bool text_is_date(const char *s);
/* "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" naming a real date and time (no zone). */
bool text_is_local_datetime(const char *s);
/* Lowercases ASCII letters of s in place (for e-mail normalisation). */
void text_ascii_lower(char *s);

#endif
