/*
 * people: participants and officials — their fields and checks, who may see and change them (an
 * organisation sees only the people it recorded), and the export and erasure of all data held on
 * one person; it knows no HTTP and never logs personal data.
 */
#ifndef MAJLIS_DOMAIN_PEOPLE_H
#define MAJLIS_DOMAIN_PEOPLE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

#define PERSON_NAME_MAX	       200 /* characters of name and name_ar */
#define PERSON_ERASED_NAME     "(erased)"
#define PEOPLE_NATIONALITY_MAX 64
#define PEOPLE_PHONE_MAX       32
#define PEOPLE_EMAIL_MAX       254
#define PEOPLE_QUERY_MAX       400 /* bytes of a search text (?q=), 200 characters of Arabic */

/* The values of sex and lang, NULL-terminated: female, male, unspecified; fr, ar, en. */
extern const char *const people_sexes[];
extern const char *const people_langs[];

/* A person's fields as the api read them from a request body (types and shapes checked: each text of
 * its kind and bound, phone a readable number, email an address, sex and lang one of their values;
 * strings borrowed from the body). has_<field> says the body named the field; a named field whose value
 * is NULL (consent: has_consent with consent_null) was JSON null; org_id 0 is null. consent and org_id
 * are for a create only. Lives on the caller's stack for one call. */
struct people_input {
	bool has_name, has_name_ar, has_sex, has_nationality, has_phone, has_email, has_lang;
	bool has_consent, has_org_id;
	const char *name;
	const char *name_ar;
	const char *sex;
	const char *nationality;
	const char *phone; /* as typed; stored as text_phone_e164 returns it */
	const char *email; /* as typed; stored lowercased */
	const char *lang;
	bool consent_null, consent;
	int64_t org_id;
};

/* A name in Latin script: a single line with at least one Latin letter and nothing outside ASCII,
 * the Latin blocks (U+00A0..U+024F, U+1E00..U+1EFF), spacing modifiers, combining marks and the
 * dashes and quotation marks U+2010..U+201F (no invisible or bidi controls). s must be valid UTF-8. */
bool people_name_latin_ok(const char *s);
/* A name in Arabic script: a single line holding at least one Arabic letter (U+0600..U+06FF) and,
 * as every name, no invisible or bidi controls (text_is_clean TEXT_NAME: not even ZWNJ/ZWJ). */
bool people_name_arabic_ok(const char *s);

/* Whether p may see person id, by the one rule every reference to a person follows: an admin sees
 * everyone, an organiser the people of their organisation, nobody else anyone. STORE_OK (*org_id 0
 * when the person has none, *erased_at 0 unless erased), STORE_NOT_FOUND when the person does not
 * exist or p may not see them (the two are one answer), or another store code. */
int people_seen_by(struct db *db, const struct principal *p, int64_t id, int64_t *org_id, int64_t *erased_at);

/* Records a person from in at now (name in Latin script and consent required; name_ar in Arabic
 * script, sex, nationality, phone (stored in E.164, text_phone_e164), email (stored lowercased), lang,
 * org_id optional; name, sex and lang never null). Admin or organiser; the person belongs to the
 * organiser's organisation (org_id may only repeat it; an admin may name any or none). consent false
 * is DOM_UNPROCESSABLE. consent_at is set to now. *out is the new row. */
int people_create(struct db *db, const struct principal *p, const struct people_input *in, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err);
/* Changes the fields named in in (name, name_ar, sex, nationality, phone, email, lang) at now. Who may
 * not see the person gets DOM_NOT_FOUND (nothing leaks), viewers and check-in staff DOM_FORBIDDEN;
 * an erased person is DOM_CONFLICT. */
int people_update(struct db *db, const struct principal *p, int64_t id, const struct people_input *in,
		  int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);
/* Whether p may change person id (id 0: record a new person), asked by the api before it reads the
 * body: who may not see the person gets DOM_NOT_FOUND, viewers and check-in staff DOM_FORBIDDEN, an
 * erased person DOM_CONFLICT; else DOM_OK. people_create and people_update check the same themselves. */
int people_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* One person, visibility as people_update. */
int people_get(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
	       struct dom_err *err);
/* A page of the people p may see: an organiser their organisation's, an admin everyone's (or
 * org_id's when > 0); with q (not NULL), those whose name, Arabic name or e-mail contains it, case, Latin
 * diacritics, Arabic harakat and tatweel and the alef variants aside (text_fold). Viewers and check-in staff
 * DOM_FORBIDDEN. */
int people_list(struct db *db, const struct principal *p, int64_t org_id, const char *q, int64_t limit,
		int64_t offset, struct json_object **items, int64_t *total, struct dom_err *err);
/* Everything held on the person (fields, registrations with event titles and statuses, attendance,
 * facilitated sessions, calendar tokens without secrets). Visibility as people_update. */
int people_export(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		  struct dom_err *err);
/* Whether p may erase person id (who may not see the person gets DOM_NOT_FOUND, viewers and check-in
 * staff DOM_FORBIDDEN; an erased person is people_erase's conflict, not a refusal), asked by the api
 * before it reads the body. people_erase checks the same itself. */
int people_erasable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* Erases the person's personal data in one transaction: name becomes "(erased)", name_ar, phone,
 * email and nationality NULL, erased_at set; sex, org, registrations and attendance are kept so
 * counts stay right, but every registration's link hash is replaced by a fresh random one and the
 * person's calendar tokens are revoked. Already erased: DOM_CONFLICT. *out is the erased row. */
int people_erase(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		 int64_t *seq, struct dom_err *err);

#endif
