/*
 * people: rules for participants and officials (fields, scripts, consent), who may see and change
 * them, their export and erasure, each write one transaction with a change-log row; it must never
 * log personal data nor put any in the change log (ids and field names only).
 */
#include "domain/people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store_orgs.h"
#include "store/store_people.h"
#include "util/jsonx.h"
#include "util/secret.h"
#include "util/text.h"

#define PERSON_NATIONALITY_MAX 64
#define PERSON_PHONE_MAX       32
#define PERSON_EMAIL_MAX       254

static const char *const person_sexes[] = {"female", "male", "unspecified", NULL};
static const char *const person_langs[] = {"fr", "ar", "en", NULL};
static const char *const person_create_keys[] = {
    "name", "name_ar", "sex", "nationality", "phone", "email", "lang", "consent", "org_id", NULL,
};
static const char *const person_update_keys[] = {
    "name", "name_ar", "sex", "nationality", "phone", "email", "lang", NULL,
};

/* Decodes the code point at *s (valid UTF-8) and advances *s past it. */
static unsigned long person_next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	unsigned long cp;
	int extra, i;

	if (p[0] < 0x80) {
		cp = p[0];
		extra = 0;
	} else if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f;
		extra = 1;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f;
		extra = 2;
	} else {
		cp = p[0] & 0x07;
		extra = 3;
	}
	for (i = 1; i <= extra && p[i]; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	*s += i;
	return cp;
}

/* A letter of the Latin blocks this module admits (× and ÷ are not letters). */
static bool person_cp_latin_letter(unsigned long c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return true;
	if (c >= 0xc0 && c <= 0x24f)
		return c != 0xd7 && c != 0xf7;
	return c >= 0x1e00 && c <= 0x1eff;
}

/* A code point a Latin-script name may hold. */
static bool person_cp_latin_ok(unsigned long c)
{
	return c < 0x80 || (c >= 0xa0 && c <= 0x36f) || (c >= 0x1e00 && c <= 0x1eff) ||
	       (c >= 0x2010 && c <= 0x201f);
}

bool people_name_latin_ok(const char *s)
{
	bool letter = false;
	unsigned long c;

	if (!s || !text_is_clean(s, TEXT_NAME, NULL))
		return false;
	while (*s) {
		c = person_next_cp(&s);
		if (!person_cp_latin_ok(c))
			return false;
		letter = letter || person_cp_latin_letter(c);
	}
	return letter;
}

/* An Arabic letter of U+0600..U+06FF (not a digit, sign or punctuation mark). */
static bool person_cp_arabic_letter(unsigned long c)
{
	return (c >= 0x620 && c <= 0x64a) || (c >= 0x66e && c <= 0x66f) || (c >= 0x671 && c <= 0x6d3) ||
	       c == 0x6d5 || (c >= 0x6ee && c <= 0x6ef) || (c >= 0x6fa && c <= 0x6fc) || c == 0x6ff;
}

bool people_name_arabic_ok(const char *s)
{
	if (!s || !text_is_clean(s, TEXT_NAME, NULL))
		return false;
	while (*s) {
		if (person_cp_arabic_letter(person_next_cp(&s)))
			return true;
	}
	return false;
}

static int person_bad_json(struct dom_err *err, const struct jsonx_err *je)
{
	return dom_fail(err, DOM_INVALID, je->code, "%s", je->message);
}

/* Whether key is present in body with the value null. */
static bool person_is_null(struct json_object *body, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(body, key, &v) && !v;
}

/* A text field: 1 to store (*out value, or NULL when null and nullable), 0 absent, -1 err filled. */
static int person_text(struct json_object *body, const char *key, bool required, bool nullable,
		       enum jsonx_str_kind kind, size_t max, const char **out, struct dom_err *err)
{
	struct jsonx_err je;
	int r = jsonx_get_str(body, key, required, kind, max, out, &je);

	if (r < 0)
		return person_bad_json(err, &je);
	if (r > 0 || !person_is_null(body, key))
		return r;
	if (!nullable)
		return dom_fail(err, DOM_INVALID, "invalid_field", "field '%s' must not be null", key);
	*out = NULL;
	return 1;
}

/* An enum field that may not be null: 1 set (*out the choice), 0 absent, -1 err filled. */
static int person_choice(struct json_object *body, const char *key, const char *const *choices,
			 const char **out, struct dom_err *err)
{
	struct jsonx_err je;
	int k = 0;
	int r = jsonx_get_enum(body, key, false, choices, &k, &je);

	if (r < 0)
		return person_bad_json(err, &je);
	if (r == 0 && person_is_null(body, key))
		return dom_fail(err, DOM_INVALID, "invalid_field", "field '%s' must not be null", key);
	if (r > 0)
		*out = choices[k];
	return r;
}

/* Records bit in p->set and key in fields when r says the field is set. */
static void person_note(struct store_person *p, struct json_object *fields, int r, unsigned bit,
			const char *key)
{
	if (r <= 0)
		return;
	p->set |= bit;
	json_object_array_add(fields, json_object_new_string(key));
}

/*
 * Fills p from the fields of body common to create and update (create requires name). The e-mail
 * is copied lowercased into email (PERSON_EMAIL_MAX + 1 bytes), the phone in E.164 into phone
 * (TEXT_PHONE_E164_SIZE bytes): "+212 612 34 56 78", "00212612345678" and "0612345678" are one
 * number.
 */
static int person_parse(struct json_object *body, bool create, struct store_person *p, char *email,
			char *phone, struct json_object *fields, struct dom_err *err)
{
	const char *s = NULL;
	int r;

	r = person_text(body, "name", create, false, JSONX_LINE, PERSON_NAME_MAX, &p->name, err);
	if (r < 0)
		return r;
	if (r > 0 && !people_name_latin_ok(p->name))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'name' must be written in Latin script (use name_ar for Arabic)");
	person_note(p, fields, r, STORE_PERSON_NAME, "name");
	r = person_text(body, "name_ar", false, true, JSONX_LINE, PERSON_NAME_MAX, &p->name_ar, err);
	if (r < 0)
		return r;
	if (r > 0 && p->name_ar && !people_name_arabic_ok(p->name_ar))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'name_ar' must contain Arabic letters");
	person_note(p, fields, r, STORE_PERSON_NAME_AR, "name_ar");
	r = person_choice(body, "sex", person_sexes, &p->sex, err);
	if (r < 0)
		return r;
	person_note(p, fields, r, STORE_PERSON_SEX, "sex");
	r = person_text(body, "nationality", false, true, JSONX_LINE, PERSON_NATIONALITY_MAX, &p->nationality,
			err);
	if (r < 0)
		return r;
	person_note(p, fields, r, STORE_PERSON_NATIONALITY, "nationality");
	r = person_text(body, "phone", false, true, JSONX_PHONE, PERSON_PHONE_MAX, &s, err);
	if (r < 0)
		return r;
	if (r > 0 && s) {
		text_phone_e164(s, phone); /* JSONX_PHONE accepted it */
		p->phone = phone;
	}
	person_note(p, fields, r, STORE_PERSON_PHONE, "phone");
	r = person_text(body, "email", false, true, JSONX_EMAIL, PERSON_EMAIL_MAX, &s, err);
	if (r < 0)
		return r;
	if (r > 0 && s) {
		snprintf(email, PERSON_EMAIL_MAX + 1, "%s", s);
		text_ascii_lower(email);
		p->email = email;
	}
	person_note(p, fields, r, STORE_PERSON_EMAIL, "email");
	r = person_choice(body, "lang", person_langs, &p->lang, err);
	if (r < 0)
		return r;
	person_note(p, fields, r, STORE_PERSON_LANG, "lang");
	return DOM_OK;
}

/* The change-log row for person id inside the open transaction; payload holds ids and names only. */
static int person_log(struct db *db, int64_t id, const char *kind, int64_t org_id,
		      struct json_object *payload, int64_t *seq)
{
	char topic[48];

	snprintf(topic, sizeof(topic), "person:%lld", (long long)id);
	json_object_object_add(payload, "id", json_object_new_int64(id));
	/* a person without organisation is seen by admins only, live too */
	return db_changelog(db, topic, kind, org_id > 0 ? org_id : DB_ORG_ADMINS, payload, seq);
}

int person_seen_by(struct db *db, const struct principal *p, int64_t id, int64_t *org_id, int64_t *erased_at)
{
	int rc = store_person_owner(db, id, org_id, erased_at);

	if (rc == STORE_OK && !principal_sees_people_of(p, *org_id))
		rc = STORE_NOT_FOUND;
	return rc;
}

/*
 * Whether p may see person id: viewers, check-in staff and anonymous callers get DOM_FORBIDDEN;
 * a person of an organisation p does not manage is DOM_NOT_FOUND (no existence leak).
 */
static int person_visible(struct db *db, const struct principal *p, int64_t id, int64_t *org_id,
			  int64_t *erased_at, struct dom_err *err)
{
	int rc;

	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may see people's personal data");
	rc = person_seen_by(db, p, id, org_id, erased_at);
	return rc ? dom_from_store(err, rc, "person") : DOM_OK;
}

int people_create(struct db *db, const struct principal *p, struct json_object *body, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *payload = json_object_new_object();
	struct json_object *fields = json_object_new_array();
	char email[PERSON_EMAIL_MAX + 1], phone[TEXT_PHONE_E164_SIZE];
	struct store_person sp;
	struct jsonx_err je;
	int64_t id = 0, org_id = 0;
	bool consent = false;
	int rc, r;

	*out = NULL;
	memset(&sp, 0, sizeof(sp));
	json_object_object_add(payload, "fields", json_object_get(fields));
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER) {
		rc = dom_fail(err, DOM_FORBIDDEN, NULL,
			      "only an administrator or an organiser may record people");
		goto out;
	}
	if (jsonx_only_keys(body, person_create_keys, &je)) {
		rc = person_bad_json(err, &je);
		goto out;
	}
	rc = person_parse(body, true, &sp, email, phone, fields, err);
	if (rc)
		goto out;
	r = jsonx_get_bool(body, "consent", true, &consent, &je);
	if (r < 0) {
		rc = person_bad_json(err, &je);
		goto out;
	}
	if (!consent) {
		rc = dom_fail(err, DOM_UNPROCESSABLE, "consent_required",
			      "a person may only be recorded with their consent (\"consent\": true)");
		goto out;
	}
	r = jsonx_get_int(body, "org_id", false, 1, INT64_MAX, &org_id, &je);
	if (r < 0) {
		rc = person_bad_json(err, &je);
		goto out;
	}
	if (p->role == ROLE_ORGANISER) {
		if (r > 0 && org_id != p->org_id) {
			rc = dom_fail(err, DOM_FORBIDDEN, NULL,
				      "an organiser records people for their own organisation only");
			goto out;
		}
		org_id = p->org_id;
	}
	if (org_id) {
		rc = store_organisation_exists(db, org_id);
		if (rc == STORE_NOT_FOUND) {
			rc = dom_fail(err, DOM_UNPROCESSABLE, "unknown_organisation",
				      "organisation %lld does not exist", (long long)org_id);
			goto out;
		}
		if (rc) {
			rc = dom_from_store(err, rc, "organisation");
			goto out;
		}
	}
	sp.org_id = org_id;
	sp.consent_at = now;
	json_object_object_add(payload, "org_id", org_id ? json_object_new_int64(org_id) : NULL);
	rc = db_begin(db);
	rc = rc ? rc : store_person_insert(db, &sp, now, &id);
	rc = rc ? rc : person_log(db, id, "person.created", org_id, payload, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		rc = dom_from_store(err, rc, "person");
		goto out;
	}
	rc = store_person_get(db, id, out);
	rc = rc ? dom_from_store(err, rc, "person") : DOM_OK;
out:
	json_object_put(fields);
	json_object_put(payload);
	return rc;
}

int people_update(struct db *db, const struct principal *p, int64_t id, struct json_object *body, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *payload = json_object_new_object();
	struct json_object *fields = json_object_new_array();
	char email[PERSON_EMAIL_MAX + 1], phone[TEXT_PHONE_E164_SIZE];
	struct store_person sp;
	struct jsonx_err je;
	int64_t org_id = 0, erased_at = 0;
	int rc;

	*out = NULL;
	memset(&sp, 0, sizeof(sp));
	json_object_object_add(payload, "fields", json_object_get(fields));
	rc = person_visible(db, p, id, &org_id, &erased_at, err);
	if (rc)
		goto out;
	if (erased_at) {
		rc = dom_fail(err, DOM_CONFLICT, "person_erased",
			      "this person's data was erased; record them anew if needed");
		goto out;
	}
	if (jsonx_only_keys(body, person_update_keys, &je)) {
		rc = person_bad_json(err, &je);
		goto out;
	}
	rc = person_parse(body, false, &sp, email, phone, fields, err);
	if (rc)
		goto out;
	if (!sp.set) {
		rc = dom_fail(err, DOM_INVALID, "empty_change", "the body names no field to change");
		goto out;
	}
	rc = db_begin(db);
	rc = rc ? rc : store_person_update(db, id, &sp, now);
	rc = rc ? rc : person_log(db, id, "person.updated", org_id, payload, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		rc = dom_from_store(err, rc, "person");
		goto out;
	}
	rc = store_person_get(db, id, out);
	rc = rc ? dom_from_store(err, rc, "person") : DOM_OK;
out:
	json_object_put(fields);
	json_object_put(payload);
	return rc;
}

int people_get(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
	       struct dom_err *err)
{
	int64_t org_id = 0, erased_at = 0;
	int rc;

	*out = NULL;
	rc = person_visible(db, p, id, &org_id, &erased_at, err);
	if (rc)
		return rc;
	rc = store_person_get(db, id, out);
	return rc ? dom_from_store(err, rc, "person") : DOM_OK;
}

int people_list(struct db *db, const struct principal *p, int64_t org_id, int64_t limit, int64_t offset,
		struct json_object **items, int64_t *total, struct dom_err *err)
{
	int rc;

	*items = NULL;
	if (p->role == ROLE_ORGANISER) {
		if (org_id > 0 && org_id != p->org_id)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"an organiser sees the people of their own organisation only");
		org_id = p->org_id;
		if (org_id <= 0)
			return dom_fail(err, DOM_FORBIDDEN, NULL, "this organiser has no organisation");
	} else if (p->role != ROLE_ADMIN) {
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may list people");
	}
	rc = store_person_list(db, org_id, limit, offset, items, total);
	return rc ? dom_from_store(err, rc, "person") : DOM_OK;
}

int people_export(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		  struct dom_err *err)
{
	int64_t org_id = 0, erased_at = 0;
	int rc;

	*out = NULL;
	rc = person_visible(db, p, id, &org_id, &erased_at, err);
	if (rc)
		return rc;
	rc = store_person_export(db, id, out);
	if (rc)
		return dom_from_store(err, rc, "person");
	json_object_object_add(*out, "exported_at", json_object_new_int64(now));
	return DOM_OK;
}

/* Gives each of the person's registrations a fresh random link hash (the old link stops working;
 * the new token is never shown, so no link works any more). *n gets how many. */
static int person_rehash_links(struct db *db, int64_t id, int64_t now, size_t *n)
{
	char token[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_LEN + 1];
	int64_t *ids = NULL;
	size_t i;
	int rc;

	rc = store_person_registration_ids(db, id, &ids, n);
	for (i = 0; !rc && i < *n; i++) {
		if (secret_token_new(token)) {
			rc = STORE_ERROR;
			break;
		}
		secret_hash(token, strlen(token), hash);
		rc = store_registration_set_token_hash(db, ids[i], hash, now);
	}
	memset(token, 0, sizeof(token));
	free(ids);
	return rc;
}

int people_erase(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		 int64_t *seq, struct dom_err *err)
{
	struct json_object *payload = NULL;
	int64_t org_id = 0, erased_at = 0, revoked = 0;
	size_t regs = 0;
	int rc;

	*out = NULL;
	rc = person_visible(db, p, id, &org_id, &erased_at, err);
	if (rc)
		goto out;
	if (erased_at) {
		rc = dom_fail(err, DOM_CONFLICT, "already_erased", "this person's data is already erased");
		goto out;
	}
	rc = db_begin(db);
	rc = rc ? rc : store_person_erase(db, id, now);
	rc = rc ? rc : person_rehash_links(db, id, now, &regs);
	rc = rc ? rc : store_person_revoke_calendar_tokens(db, id, now, &revoked);
	if (!rc) {
		payload = json_object_new_object();
		json_object_object_add(payload, "registrations", json_object_new_int64((int64_t)regs));
		json_object_object_add(payload, "calendar_tokens_revoked", json_object_new_int64(revoked));
		rc = person_log(db, id, "person.erased", org_id, payload, seq);
	}
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		rc = dom_from_store(err, rc, "person");
		goto out;
	}
	rc = store_person_get(db, id, out);
	rc = rc ? dom_from_store(err, rc, "person") : DOM_OK;
out:
	json_object_put(payload);
	return rc;
}
