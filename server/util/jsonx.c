/*
 * jsonx: strict, bounded parsing of request bodies and typed field access with client-facing error
 * messages; it must not render responses or log, and must not rely on json-c's strict mode alone.
 *
 * json-c 0.16 in strict mode still accepts single-quoted strings, NaN and -Infinity, "1.", raw
 * control characters inside strings, overlong and surrogate UTF-8 (VALIDATE_UTF8 checks only the
 * byte structure), lone surrogate escapes (turned into U+FFFD), integers past 64 bits (saturated)
 * and duplicate keys (the last wins). So a body is first checked here: whole-body UTF-8, then a
 * lexical pass over every token; json-c then checks the grammar and the depth; a walk of the
 * result finally compares the number of keys seen with the number kept and refuses
 * non-finite numbers (1e400).
 */
#include "util/jsonx.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json_object_iterator.h>

#include "util/text.h"

#define JSONX_KEY_SHOWN 64 /* octets of a client's key quoted back in a message */

static const char jsonx_invalid_json[] = "invalid_json";
static const char jsonx_missing_field[] = "missing_field";
static const char jsonx_invalid_field[] = "invalid_field";
static const char jsonx_unknown_field[] = "unknown_field";

/*
 * Fills err (when not NULL) with code and a formatted message, cut back to whole UTF-8 characters
 * if it had to be truncated. Always returns -1.
 */
static int jsonx_fail(struct jsonx_err *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int jsonx_fail(struct jsonx_err *err, const char *code, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	(void)vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	n = strlen(err->message);
	while (n > 0 && !text_utf8_valid(err->message, n))
		n--;
	err->message[n] = '\0';
	return -1;
}

/*
 * Copies a client-supplied key into out (cap bytes) for quoting in a message: at most
 * JSONX_KEY_SHOWN octets, cut on a character boundary, with "..." when shortened.
 */
static void jsonx_key_excerpt(const char *key, char *out, size_t cap)
{
	size_t n = strlen(key);

	if (n <= JSONX_KEY_SHOWN && n < cap) {
		memcpy(out, key, n + 1);
		return;
	}
	n = JSONX_KEY_SHOWN < cap - 4 ? JSONX_KEY_SHOWN : cap - 4;
	while (n > 0 && !text_utf8_valid(key, n))
		n--;
	memcpy(out, key, n);
	memcpy(out + n, "...", 4);
}

/* One lexical pass over a body; lives on the stack of jsonx_parse_object. */
struct jsonx_lex {
	const char *s;
	size_t n;
	size_t i;	 /* offset of the next octet */
	size_t keys;	 /* strings followed by ':' */
	const char *why; /* set on failure */
};

static bool jsonx_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool jsonx_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads the 4 hex digits after "\u" at lx->s[at]; -1 when they are not there. */
static long jsonx_lex_hex4(const struct jsonx_lex *lx, size_t at)
{
	long v = 0;
	size_t k;

	if (lx->n - at < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		char c = lx->s[at + k];

		v <<= 4;
		if (jsonx_is_digit(c))
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * A string starting at the '"' at lx->i: no raw control characters, only the escapes of RFC
 * 8259, no \u0000 (C strings would cut there), surrogate escapes only in pairs.
 * Returns 0 with lx->i past the closing quote, or -1 with lx->why set.
 */
static int jsonx_lex_string(struct jsonx_lex *lx)
{
	long v, lo;

	lx->i++;
	while (lx->i < lx->n) {
		unsigned char c = (unsigned char)lx->s[lx->i];

		if (c == '"') {
			lx->i++;
			return 0;
		}
		if (c < 0x20) {
			lx->why = "control character in a string";
			return -1;
		}
		if (c != '\\') {
			lx->i++;
			continue;
		}
		if (lx->i + 1 >= lx->n)
			break;
		c = (unsigned char)lx->s[lx->i + 1];
		if (c != 'u') {
			if (!c || !strchr("\"\\/bfnrt", c)) {
				lx->why = "invalid escape in a string";
				return -1;
			}
			lx->i += 2;
			continue;
		}
		v = jsonx_lex_hex4(lx, lx->i + 2);
		if (v < 0) {
			lx->why = "invalid \\u escape in a string";
			return -1;
		}
		if (v == 0) {
			lx->why = "\\u0000 in a string";
			return -1;
		}
		lx->i += 6;
		if (v >= 0xdc00 && v <= 0xdfff) {
			lx->why = "unpaired surrogate escape in a string";
			return -1;
		}
		if (v < 0xd800 || v > 0xdbff)
			continue;
		lo = -1;
		if (lx->n - lx->i >= 6 && lx->s[lx->i] == '\\' && lx->s[lx->i + 1] == 'u')
			lo = jsonx_lex_hex4(lx, lx->i + 2);
		if (lo < 0xdc00 || lo > 0xdfff) {
			lx->why = "unpaired surrogate escape in a string";
			return -1;
		}
		lx->i += 6;
	}
	lx->why = "unterminated string";
	return -1;
}

/*
 * A number at lx->i with the grammar of RFC 8259 6; an integer (no fraction, no exponent) must
 * fit int64_t, as RFC 8259 lets a parser limit the range. Returns 0 or -1 with lx->why set.
 */
static int jsonx_lex_number(struct jsonx_lex *lx)
{
	const char *s = lx->s;
	size_t start, digits;
	bool neg = false, integer = true;

	if (s[lx->i] == '-') {
		neg = true;
		lx->i++;
	}
	start = lx->i;
	while (lx->i < lx->n && jsonx_is_digit(s[lx->i]))
		lx->i++;
	digits = lx->i - start;
	if (digits == 0 || (digits > 1 && s[start] == '0'))
		goto bad;
	if (lx->i < lx->n && s[lx->i] == '.') {
		integer = false;
		lx->i++;
		if (lx->i >= lx->n || !jsonx_is_digit(s[lx->i]))
			goto bad;
		while (lx->i < lx->n && jsonx_is_digit(s[lx->i]))
			lx->i++;
	}
	if (lx->i < lx->n && (s[lx->i] == 'e' || s[lx->i] == 'E')) {
		integer = false;
		lx->i++;
		if (lx->i < lx->n && (s[lx->i] == '+' || s[lx->i] == '-'))
			lx->i++;
		if (lx->i >= lx->n || !jsonx_is_digit(s[lx->i]))
			goto bad;
		while (lx->i < lx->n && jsonx_is_digit(s[lx->i]))
			lx->i++;
	}
	if (integer && (digits > 19 ||
			(digits == 19 &&
			 memcmp(s + start, neg ? "9223372036854775808" : "9223372036854775807", 19) > 0))) {
		lx->why = "integer out of range";
		return -1;
	}
	return 0;
bad:
	lx->why = "malformed number";
	return -1;
}

/*
 * Checks every token of body and counts the keys. The grammar (what may follow what) is left to
 * json-c. Returns 0, or -1 with lx->why set and lx->i at the offending octet.
 */
static int jsonx_lex_all(struct jsonx_lex *lx)
{
	static const char *const literals[] = {"true", "false", "null"};
	bool after_string = false;
	size_t k;

	while (lx->i < lx->n) {
		char c = lx->s[lx->i];

		if (jsonx_is_ws(c)) {
			lx->i++;
			continue;
		}
		if (c == '"') {
			if (jsonx_lex_string(lx))
				return -1;
			after_string = true;
			continue;
		}
		if (c == ':' && after_string)
			lx->keys++;
		after_string = false;
		if (c && strchr("{}[]:,", c)) {
			lx->i++;
			continue;
		}
		if (c == '-' || jsonx_is_digit(c)) {
			if (jsonx_lex_number(lx))
				return -1;
			continue;
		}
		for (k = 0; k < sizeof(literals) / sizeof(literals[0]); k++) {
			size_t len = strlen(literals[k]);

			if (lx->n - lx->i >= len && memcmp(lx->s + lx->i, literals[k], len) == 0)
				break;
		}
		if (k == sizeof(literals) / sizeof(literals[0])) {
			lx->why = "unexpected character";
			return -1;
		}
		lx->i += strlen(literals[k]);
	}
	return 0;
}

/*
 * Walks a parsed value (depth already bounded by the tokener) adding up the keys each object
 * kept into *keys. Returns -1 on a non-finite number.
 */
static int jsonx_walk(struct json_object *v, size_t *keys)
{
	struct json_object_iterator it, end;
	size_t i, n;

	switch (json_object_get_type(v)) {
	case json_type_double:
		return isfinite(json_object_get_double(v)) ? 0 : -1;
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			if (jsonx_walk(json_object_array_get_idx(v, i), keys))
				return -1;
		}
		return 0;
	case json_type_object:
		*keys += (size_t)json_object_object_length(v);
		it = json_object_iter_begin(v);
		end = json_object_iter_end(v);
		while (!json_object_iter_equal(&it, &end)) {
			if (jsonx_walk(json_object_iter_peek_value(&it), keys))
				return -1;
			json_object_iter_next(&it);
		}
		return 0;
	default:
		return 0;
	}
}

int jsonx_parse_object(const char *body, size_t len, struct json_object **out, struct jsonx_err *err)
{
	struct jsonx_lex lx = {.s = body, .n = len};
	struct json_tokener *tok = NULL;
	struct json_object *obj = NULL;
	enum json_tokener_error jerr;
	size_t kept = 0, end;
	int ret = -1;

	*out = NULL;
	if (!body || len == 0) {
		jsonx_fail(err, jsonx_invalid_json, "request body is empty");
		goto out;
	}
	if (len > INT_MAX) {
		jsonx_fail(err, jsonx_invalid_json, "request body is too large");
		goto out;
	}
	if (jsonx_lex_all(&lx)) {
		jsonx_fail(err, jsonx_invalid_json, "request body is not valid JSON: %s at offset %zu",
			   lx.why, lx.i);
		goto out;
	}
	tok = json_tokener_new_ex(JSONX_MAX_DEPTH);
	if (!tok) {
		jsonx_fail(err, jsonx_invalid_json, "request body could not be parsed");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, body, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		jsonx_fail(err, jsonx_invalid_json, "request body is not valid JSON: it ends too early");
		goto out;
	}
	if (jerr == json_tokener_error_depth) {
		jsonx_fail(err, jsonx_invalid_json, "request body nests deeper than %d levels",
			   JSONX_MAX_DEPTH);
		goto out;
	}
	if (jerr != json_tokener_success || !obj) {
		jsonx_fail(err, jsonx_invalid_json, "request body is not valid JSON: %s at offset %zu",
			   json_tokener_error_desc(jerr), end);
		goto out;
	}
	/* strict json-c already refuses trailing data; this holds should that ever change */
	while (end < len && jsonx_is_ws(body[end]))
		end++;
	if (end != len) {
		jsonx_fail(err, jsonx_invalid_json,
			   "request body is not valid JSON: trailing data at offset %zu", end);
		goto out;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		jsonx_fail(err, jsonx_invalid_json, "request body must be a JSON object");
		goto out;
	}
	if (jsonx_walk(obj, &kept)) {
		jsonx_fail(err, jsonx_invalid_json, "request body is not valid JSON: number out of range");
		goto out;
	}
	if (kept != lx.keys) {
		jsonx_fail(err, jsonx_invalid_json, "request body repeats a key within an object");
		goto out;
	}
	*out = obj;
	obj = NULL;
	ret = 0;
out:
	json_object_put(obj);
	if (tok) /* json_tokener_free(NULL) crashes in json-c 0.16 */
		json_tokener_free(tok);
	return ret;
}

/*
 * Looks key up in o. Returns 1 with *v set when present and not null; 0 when absent or null and
 * not required; -1 (missing_field) when absent or null and required.
 */
static int jsonx_lookup(struct json_object *o, const char *key, bool required, struct json_object **v,
			struct jsonx_err *err)
{
	*v = NULL;
	if (o && json_object_is_type(o, json_type_object))
		(void)json_object_object_get_ex(o, key, v);
	if (*v)
		return 1;
	if (required)
		return jsonx_fail(err, jsonx_missing_field, "field '%s' is required", key);
	return 0;
}

static bool jsonx_is_token(const char *s)
{
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || jsonx_is_digit(c) || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

/* Whether s is of kind, and if not, what to tell the client (after "field 'x' must "); for text
 * kinds, *bad gets the refused code point (text_is_clean), else stays TEXT_BAD_UTF8. */
static bool jsonx_kind_ok(const char *s, enum jsonx_str_kind kind, const char **expect, uint32_t *bad)
{
	*bad = TEXT_BAD_UTF8;
	switch (kind) {
	case JSONX_LINE:
	case JSONX_TITLE:
		*expect = "be a single line of text without control characters";
		return text_is_clean(s, kind == JSONX_LINE ? TEXT_NAME : TEXT_TITLE, bad);
	case JSONX_MULTILINE:
		*expect = "be text without control characters other than line feed and tab";
		return text_is_clean(s, TEXT_PROSE, bad);
	case JSONX_SECRET:
		*expect = "be a single line of text without control characters";
		return text_is_line(s);
	case JSONX_EMAIL:
		*expect = "be a valid e-mail address";
		return text_is_email(s);
	case JSONX_URL:
		*expect = "be an absolute http or https URL";
		return text_is_url(s);
	case JSONX_PHONE:
		*expect = "be a phone number with its country code (+221 77 123 45 67, 00221...) or a "
			  "Moroccan number (06 12 34 56 78)";
		return text_is_phone(s);
	case JSONX_DATE:
		*expect = "be a date in the form YYYY-MM-DD";
		return text_is_date(s);
	case JSONX_LOCAL_DATETIME:
		*expect = "be a local date and time in the form YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS";
		return text_is_local_datetime(s);
	case JSONX_TOKEN:
		*expect = "contain only letters, digits, '-' and '_'";
		return jsonx_is_token(s);
	}
	*expect = "be of a known kind";
	return false;
}

/*
 * An empty string is refused for every kind: a client clears an optional field with null.
 * max_chars counts code points and is the limit as given (0 admits nothing).
 * *out is written only when 1 is returned.
 */
int jsonx_get_str(struct json_object *o, const char *key, bool required, enum jsonx_str_kind kind,
		  size_t max_chars, const char **out, struct jsonx_err *err)
{
	const char *s;
	int found;

	found = jsonx_get_string(o, key, required, NULL, &s, err);
	if (found != 1)
		return found;
	if (jsonx_check_str(key, s, kind, max_chars, err))
		return -1;
	*out = s;
	return 1;
}

/* *out is written only when 1 is returned. */
int jsonx_get_string(struct json_object *o, const char *key, bool required, const char *const *choices,
		     const char **out, struct jsonx_err *err)
{
	struct json_object *v;
	const char *s;
	int found, idx;

	found = jsonx_lookup(o, key, required, &v, err);
	if (found != 1)
		return found;
	if (!json_object_is_type(v, json_type_string) && choices)
		return jsonx_check_enum(key, NULL, choices, &idx, err);
	if (!json_object_is_type(v, json_type_string))
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be a string", key);
	s = json_object_get_string(v);
	if (strlen(s) != (size_t)json_object_get_string_len(v))
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be valid UTF-8 text", key);
	*out = s;
	return 1;
}

int jsonx_check_str(const char *key, const char *s, enum jsonx_str_kind kind, size_t max_chars,
		    struct jsonx_err *err)
{
	const char *expect;
	uint32_t bad;
	size_t len = strlen(s);

	if (!text_utf8_valid(s, len))
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be valid UTF-8 text", key);
	if (len == 0)
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must not be empty", key);
	if (text_utf8_len(s) > max_chars)
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be at most %zu characters", key,
				  max_chars);
	if (!jsonx_kind_ok(s, kind, &expect, &bad)) {
		if (bad > 0x9f && bad != TEXT_BAD_UTF8 && bad != 0x2028 && bad != 0x2029)
			return jsonx_fail(err, jsonx_invalid_field,
					  "field '%s' must not contain invisible or bidirectional control "
					  "characters (U+%04" PRIX32 ")",
					  key, bad);
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must %s", key, expect);
	}
	return 0;
}

/* *out is written only when 1 is returned. */
int jsonx_get_int(struct json_object *o, const char *key, bool required, int64_t min, int64_t max,
		  int64_t *out, struct jsonx_err *err)
{
	struct json_object *v;
	bool past;
	int64_t x;
	int found;

	found = jsonx_lookup(o, key, required, &v, err);
	if (found != 1)
		return found;
	if (!json_object_is_type(v, json_type_int))
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be an integer", key);
	x = json_object_get_int64(v);
	/* json-c saturates an unsigned value past INT64_MAX; the parse refuses those, but an object
	 * built in code may hold one */
	past = x == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX;
	if (past || x < min || x > max)
		return jsonx_fail(err, jsonx_invalid_field,
				  "field '%s' must be an integer from %" PRId64 " to %" PRId64, key, min,
				  max);
	*out = x;
	return 1;
}

/* *out is written only when 1 is returned. */
int jsonx_get_bool(struct json_object *o, const char *key, bool required, bool *out, struct jsonx_err *err)
{
	struct json_object *v;
	int found;

	found = jsonx_lookup(o, key, required, &v, err);
	if (found != 1)
		return found;
	if (!json_object_is_type(v, json_type_boolean))
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be true or false", key);
	*out = json_object_get_boolean(v) != 0;
	return 1;
}

/* *out is written only when 1 is returned. */
int jsonx_get_double(struct json_object *o, const char *key, bool required, double min, double max,
		     double *out, struct jsonx_err *err)
{
	struct json_object *v;
	double x;
	int found;

	found = jsonx_lookup(o, key, required, &v, err);
	if (found != 1)
		return found;
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be a number", key);
	x = json_object_get_double(v);
	if (!isfinite(x) || x < min || x > max)
		return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be a number from %g to %g", key,
				  min, max);
	*out = x;
	return 1;
}

/* The message lists the choices ("must be one of: a, b, c"). *out is written only when 1 is returned. */
int jsonx_get_enum(struct json_object *o, const char *key, bool required, const char *const *choices,
		   int *out, struct jsonx_err *err)
{
	struct json_object *v;
	const char *s;
	int found;

	found = jsonx_lookup(o, key, required, &v, err);
	if (found != 1)
		return found;
	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	if (jsonx_check_enum(key, s, choices, out, err))
		return -1;
	return 1;
}

int jsonx_check_enum(const char *key, const char *s, const char *const *choices, int *out,
		     struct jsonx_err *err)
{
	char list[200];
	size_t used = 0;
	int i, w;

	for (i = 0; s && choices && choices[i]; i++) {
		if (strcmp(s, choices[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; choices && choices[i] && used < sizeof(list); i++) {
		w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", choices[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return jsonx_fail(err, jsonx_invalid_field, "field '%s' must be one of: %s", key, list);
}

/* The first key of o (in document order) that is not allowed is named in the message. */
int jsonx_only_keys(struct json_object *o, const char *const *allowed, struct jsonx_err *err)
{
	struct json_object_iterator it, end;
	char shown[JSONX_KEY_SHOWN + 4];
	const char *key;
	size_t i;

	if (!o || !json_object_is_type(o, json_type_object))
		return 0;
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		key = json_object_iter_peek_name(&it);
		for (i = 0; allowed && allowed[i]; i++) {
			if (strcmp(key, allowed[i]) == 0)
				break;
		}
		if (allowed && allowed[i])
			continue;
		jsonx_key_excerpt(key, shown, sizeof(shown));
		return jsonx_fail(err, jsonx_unknown_field, "unknown field '%s'", shown);
	}
	return 0;
}

/* On allocation failure json-c's constructor yields NULL, and the key is added as null. */
void jsonx_add_str(struct json_object *o, const char *key, const char *s)
{
	(void)json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

void jsonx_add_int(struct json_object *o, const char *key, int64_t v)
{
	(void)json_object_object_add(o, key, json_object_new_int64(v));
}

void jsonx_add_bool(struct json_object *o, const char *key, bool v)
{
	(void)json_object_object_add(o, key, json_object_new_boolean(v));
}
