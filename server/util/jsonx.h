/*
 * jsonx: strict, bounded parsing of request bodies with json-c and typed field access that explains
 * what is wrong in a message fit for an API client; rendering stays json-c's own.
 */
#ifndef MAJLIS_UTIL_JSONX_H
#define MAJLIS_UTIL_JSONX_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSONX_MAX_DEPTH 16

/* An error to report to the client: code is a stable machine string (e.g. "invalid_json",
 * "invalid_field", "missing_field"), message names the field and the problem. */
struct jsonx_err {
	const char *code;
	char message[256];
};

/* Parses a whole body: strict JSON, depth <= JSONX_MAX_DEPTH, top level an object, no trailing bytes.
 * The bytes must already have passed text_body_problem (UTF-8, no NUL), as the transport does for every
 * request body; they are not checked again here. On success *out is a new reference the caller puts.
 * Returns 0 or -1 (err filled). */
int jsonx_parse_object(const char *body, size_t len, struct json_object **out, struct jsonx_err *err);

/* Field getters. Each returns 1 when the field was present and valid (value stored), 0 when absent
 * (or JSON null) and not required, -1 with err filled when invalid or required-but-absent.
 * Strings point into the json object (valid while it lives). */
enum jsonx_str_kind {
	JSONX_LINE,	      /* a name or label on one line: text_is_clean TEXT_NAME */
	JSONX_TITLE,	      /* a title on one line: text_is_clean TEXT_TITLE */
	JSONX_MULTILINE,      /* a description: text_is_clean TEXT_PROSE */
	JSONX_SECRET,	      /* a password: text_is_line (kept byte for byte, never shown) */
	JSONX_EMAIL,	      /* text_is_email */
	JSONX_URL,	      /* text_is_url */
	JSONX_PHONE,	      /* text_is_phone (the caller stores text_phone_e164 of it) */
	JSONX_DATE,	      /* text_is_date */
	JSONX_LOCAL_DATETIME, /* text_is_local_datetime */
	JSONX_TOKEN,	      /* [A-Za-z0-9_-] only */
};
int jsonx_get_str(struct json_object *o, const char *key, bool required, enum jsonx_str_kind kind,
		  size_t max_chars, const char **out, struct jsonx_err *err);
/* Only the type: a JSON string (without \u0000); its value is for the domain to check (jsonx_check_str,
 * or jsonx_check_enum when choices is given: then a value that is not a string gets jsonx_get_enum's
 * message, naming the choices). */
int jsonx_get_string(struct json_object *o, const char *key, bool required, const char *const *choices,
		     const char **out, struct jsonx_err *err);
int jsonx_get_int(struct json_object *o, const char *key, bool required, int64_t min, int64_t max,
		  int64_t *out, struct jsonx_err *err);
int jsonx_get_bool(struct json_object *o, const char *key, bool required, bool *out, struct jsonx_err *err);
/* A JSON number (integer or fraction) from min to max, finite. */
int jsonx_get_double(struct json_object *o, const char *key, bool required, double min, double max,
		     double *out, struct jsonx_err *err);
/* A string that must be one of the NULL-terminated choices; *out gets the index. */
int jsonx_get_enum(struct json_object *o, const char *key, bool required, const char *const *choices,
		   int *out, struct jsonx_err *err);

/* The value rules of jsonx_get_str and jsonx_get_enum on a string already taken from a body, with the same
 * messages, for the domain that checks what the api only parsed: 0, or -1 with err filled. s is not
 * NULL for jsonx_check_str; a NULL s is refused by jsonx_check_enum. */
int jsonx_check_str(const char *key, const char *s, enum jsonx_str_kind kind, size_t max_chars,
		    struct jsonx_err *err);
int jsonx_check_enum(const char *key, const char *s, const char *const *choices, int *out,
		     struct jsonx_err *err);

/* Refuses any key not in the NULL-terminated allowed list (a typo must not be silently ignored). */
int jsonx_only_keys(struct json_object *o, const char *const *allowed, struct jsonx_err *err);

/* Convenience for rendering: adds key -> string, or null when s is NULL. */
void jsonx_add_str(struct json_object *o, const char *key, const char *s);
void jsonx_add_int(struct json_object *o, const char *key, int64_t v);
void jsonx_add_bool(struct json_object *o, const char *key, bool v);

#endif
