/*
 * people: rules for participants and officials (fields, scripts, consent), who may see and change
 * them, their export and erasure, each write one transaction with a change-log row; it must never
 * log personal data nor put any in the change log (ids and field names only).
 */
#include "domain/people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/txn.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_orgs.h"
#include "store/store_people.h"
#include "util/jsonx.h"
#include "util/secret.h"
#include "util/text.h"

const char *const people_sexes[] = {"female", "male", "unspecified", NULL};
const char *const people_langs[] = {"fr", "ar", "en", NULL};

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

/* Records bit in p->set and key in fields when the field was named. */
static void person_note(struct store_person *p, struct json_object *fields, bool has, unsigned bit,
			const char *key)
{
	if (!has)
		return;
	p->set |= bit;
	json_object_array_add(fields, json_object_new_string(key));
}

/*
 * Checks the fields of in common to create and update (create requires name; name, sex and lang are
 * never null) and fills p. The e-mail is copied lowercased into email (PEOPLE_EMAIL_MAX + 1 bytes), the
 * phone in E.164 into phone (TEXT_PHONE_E164_SIZE bytes): "+212 612 34 56 78", "00212612345678" and
 * "0612345678" are one number.
 */
static int person_check(const struct people_input *in, bool create, struct store_person *p, char *email,
			char *phone, struct json_object *fields, struct dom_err *err)
{
	int rc;

	rc = dom_required(err, create, in->has_name, in->name, "name");
	if (rc)
		return rc;
	if (in->has_name && !people_name_latin_ok(in->name))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'name' must be written in Latin script (use name_ar for Arabic)");
	p->name = in->name;
	person_note(p, fields, in->has_name, STORE_PERSON_NAME, "name");
	if (in->has_name_ar && in->name_ar && !people_name_arabic_ok(in->name_ar))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'name_ar' must contain Arabic letters");
	p->name_ar = in->name_ar;
	person_note(p, fields, in->has_name_ar, STORE_PERSON_NAME_AR, "name_ar");
	rc = dom_required(err, false, in->has_sex, in->sex, "sex");
	if (rc)
		return rc;
	p->sex = in->sex;
	person_note(p, fields, in->has_sex, STORE_PERSON_SEX, "sex");
	p->nationality = in->nationality;
	person_note(p, fields, in->has_nationality, STORE_PERSON_NATIONALITY, "nationality");
	if (in->has_phone && in->phone) {
		if (!text_phone_e164(in->phone, phone))
			return dom_fail(err, DOM_INVALID, "invalid_field",
					"field 'phone' must be a phone number with its country code");
		p->phone = phone;
	}
	person_note(p, fields, in->has_phone, STORE_PERSON_PHONE, "phone");
	if (in->has_email && in->email) {
		snprintf(email, PEOPLE_EMAIL_MAX + 1, "%s", in->email);
		text_ascii_lower(email);
		p->email = email;
	}
	person_note(p, fields, in->has_email, STORE_PERSON_EMAIL, "email");
	rc = dom_required(err, false, in->has_lang, in->lang, "lang");
	if (rc)
		return rc;
	p->lang = in->lang;
	person_note(p, fields, in->has_lang, STORE_PERSON_LANG, "lang");
	return DOM_OK;
}

/* The change-log row for person id inside the open transaction; payload holds ids and names only. */
static int person_log(struct db *db, int64_t now, int64_t id, const char *kind, int64_t org_id,
		      struct json_object *payload, int64_t *seq)
{
	char topic[48];

	snprintf(topic, sizeof(topic), "person:%lld", (long long)id);
	json_object_object_add(payload, "id", json_object_new_int64(id));
	/* a person without organisation is seen by admins only, live too */
	return db_changelog(db, topic, kind, org_id > 0 ? org_id : DB_ORG_ADMINS, payload, now, seq);
}

/* Adds key -> v, or null when has is false. */
static void person_add_opt_int(struct json_object *o, const char *key, bool has, int64_t v)
{
	if (has)
		jsonx_add_int(o, key, v);
	else
		jsonx_add_str(o, key, NULL);
}

/* The person as the API shows it. New reference. */
static struct json_object *person_render(const struct person_row *r)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", r->id);
	person_add_opt_int(o, "org_id", r->org_id > 0, r->org_id);
	jsonx_add_str(o, "name", r->name);
	jsonx_add_str(o, "name_ar", r->name_ar);
	jsonx_add_str(o, "sex", r->sex);
	jsonx_add_str(o, "nationality", r->nationality);
	jsonx_add_str(o, "phone", r->phone);
	jsonx_add_str(o, "email", r->email);
	jsonx_add_str(o, "lang", r->lang);
	person_add_opt_int(o, "consent_at", r->has_consent, r->consent_at);
	person_add_opt_int(o, "erased_at", r->erased, r->erased_at);
	jsonx_add_int(o, "created_at", r->created_at);
	jsonx_add_int(o, "updated_at", r->updated_at);
	return o;
}

/* Person id as the API shows it into *out (new reference; NULL on failure). A store_rc. */
static int person_view(struct db *db, int64_t id, struct json_object **out)
{
	struct person_row r;
	int rc = store_person_get(db, id, &r);

	*out = NULL;
	if (rc)
		return rc;
	*out = person_render(&r);
	person_row_clear(&r);
	return STORE_OK;
}

/* The export of x at now as the API shows it. New reference. */
static struct json_object *person_export_render(const struct person_export *x, int64_t now)
{
	static const char *const title_keys[] = {"event_title_fr", "event_title_ar", "event_title_en"};
	struct json_object *o = json_object_new_object(), *arr, *att, *e;

	json_object_object_add(o, "person", person_render(&x->person));
	arr = json_object_new_array();
	for (size_t i = 0; i < x->n_regs; i++) {
		const struct person_registration_row *r = &x->regs[i];

		e = json_object_new_object();
		jsonx_add_int(e, "id", r->id);
		jsonx_add_int(e, "event_id", r->event_id);
		jsonx_add_str(e, "event_type", r->event_type);
		for (int l = 0; l < 3; l++)
			jsonx_add_str(e, title_keys[l], r->event_title[l]);
		jsonx_add_str(e, "event_status", r->event_status);
		jsonx_add_str(e, "status", r->status);
		person_add_opt_int(e, "attendance_confirmed_at", r->has_attendance_confirmed,
				   r->attendance_confirmed_at);
		jsonx_add_int(e, "created_at", r->created_at);
		jsonx_add_int(e, "updated_at", r->updated_at);
		att = json_object_new_array();
		for (size_t j = 0; j < r->n_attendance; j++) {
			const struct person_attendance_row *a = &r->attendance[j];
			struct json_object *ao = json_object_new_object();

			jsonx_add_int(ao, "session_id", a->session_id);
			jsonx_add_str(ao, "session_title", a->session_title);
			jsonx_add_str(ao, "starts_local", a->starts_local);
			jsonx_add_str(ao, "ends_local", a->ends_local);
			jsonx_add_str(ao, "tz", a->tz);
			jsonx_add_str(ao, "status", a->status);
			jsonx_add_str(ao, "method", a->method);
			jsonx_add_int(ao, "recorded_at", a->recorded_at);
			json_object_array_add(att, ao);
		}
		json_object_object_add(e, "attendance", att);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "registrations", arr);
	arr = json_object_new_array();
	for (size_t i = 0; i < x->n_facilitated; i++) {
		const struct person_session_row *f = &x->facilitated[i];

		e = json_object_new_object();
		jsonx_add_int(e, "id", f->id);
		jsonx_add_int(e, "event_id", f->event_id);
		jsonx_add_str(e, "title", f->title);
		jsonx_add_str(e, "starts_local", f->starts_local);
		jsonx_add_str(e, "ends_local", f->ends_local);
		jsonx_add_str(e, "tz", f->tz);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "facilitated_sessions", arr);
	arr = json_object_new_array();
	for (size_t i = 0; i < x->n_tokens; i++) {
		const struct person_token_row *t = &x->tokens[i];

		e = json_object_new_object();
		jsonx_add_int(e, "id", t->id);
		jsonx_add_str(e, "label", t->label);
		jsonx_add_int(e, "created_at", t->created_at);
		person_add_opt_int(e, "revoked_at", t->revoked, t->revoked_at);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "calendar_tokens", arr);
	jsonx_add_int(o, "exported_at", now);
	return o;
}

/*
 * Ends a write to person id inside the transaction the caller began, whose steps returned rc (a
 * store_rc): its change-log row kind, the commit (txn_finish), then *out the person as stored.
 */
static int person_commit(struct db *db, int64_t now, int rc, int64_t id, const char *kind, int64_t org_id,
			 struct json_object *payload, struct json_object **out, int64_t *seq,
			 struct dom_err *err)
{
	rc = rc ? rc : person_log(db, now, id, kind, org_id, payload, seq);
	rc = txn_finish(db, rc ? dom_from_store(err, rc, "person") : DOM_OK, "person", seq, err);
	if (rc)
		return rc;
	rc = person_view(db, id, out);
	return rc ? dom_from_store(err, rc, "person") : DOM_OK;
}

int people_seen_by(struct db *db, const struct principal *p, int64_t id, int64_t *org_id, int64_t *erased_at)
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
	rc = people_seen_by(db, p, id, org_id, erased_at);
	return rc ? dom_from_store(err, rc, "person") : DOM_OK;
}

/* person_visible for a read of person id's data into *out (set to NULL here). */
static int person_readable(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
			   struct dom_err *err)
{
	int64_t org_id = 0, erased_at = 0;

	*out = NULL;
	return person_visible(db, p, id, &org_id, &erased_at, err);
}

/* Whether p may record people at all: an admin or an organiser; DOM_OK or DOM_FORBIDDEN. */
static int person_may_record(const struct principal *p, struct dom_err *err)
{
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may record people");
	return DOM_OK;
}

/* person_visible, and an erased person is DOM_CONFLICT. */
static int person_writable(struct db *db, const struct principal *p, int64_t id, int64_t *org_id,
			   struct dom_err *err)
{
	int64_t erased_at = 0;
	int rc = person_visible(db, p, id, org_id, &erased_at, err);

	if (!rc && erased_at)
		rc = dom_fail(err, DOM_CONFLICT, "person_erased",
			      "this person's data was erased; record them anew if needed");
	return rc;
}

int people_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	int64_t org_id = 0;

	if (id == 0)
		return person_may_record(p, err);
	return person_writable(db, p, id, &org_id, err);
}

int people_create(struct db *db, const struct principal *p, const struct people_input *in, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *payload = json_object_new_object();
	struct json_object *fields = json_object_new_array();
	char email[PEOPLE_EMAIL_MAX + 1], phone[TEXT_PHONE_E164_SIZE];
	struct store_person sp;
	int64_t id = 0, org_id = 0;
	int rc;

	*out = NULL;
	memset(&sp, 0, sizeof(sp));
	json_object_object_add(payload, "fields", json_object_get(fields));
	rc = person_may_record(p, err);
	if (rc)
		goto out;
	rc = person_check(in, true, &sp, email, phone, fields, err);
	if (rc)
		goto out;
	if (!in->has_consent || in->consent_null) {
		rc = dom_fail(err, DOM_INVALID, "missing_field", "field 'consent' is required");
		goto out;
	}
	if (!in->consent) {
		rc = dom_fail(err, DOM_UNPROCESSABLE, "consent_required",
			      "a person may only be recorded with their consent (\"consent\": true)");
		goto out;
	}
	org_id = in->org_id;
	if (p->role == ROLE_ORGANISER) {
		if (org_id && org_id != p->org_id) {
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
	rc = person_commit(db, now, rc, id, "person.created", org_id, payload, out, seq, err);
out:
	json_object_put(fields);
	json_object_put(payload);
	return rc;
}

int people_update(struct db *db, const struct principal *p, int64_t id, const struct people_input *in,
		  int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *payload = json_object_new_object();
	struct json_object *fields = json_object_new_array();
	char email[PEOPLE_EMAIL_MAX + 1], phone[TEXT_PHONE_E164_SIZE];
	struct store_person sp;
	int64_t org_id = 0;
	int rc;

	*out = NULL;
	memset(&sp, 0, sizeof(sp));
	json_object_object_add(payload, "fields", json_object_get(fields));
	rc = person_writable(db, p, id, &org_id, err);
	if (rc)
		goto out;
	rc = person_check(in, false, &sp, email, phone, fields, err);
	if (rc)
		goto out;
	if (!sp.set) {
		rc = dom_fail(err, DOM_INVALID, "empty_change", "the body names no field to change");
		goto out;
	}
	rc = db_begin(db);
	rc = rc ? rc : store_person_update(db, id, &sp, now);
	rc = person_commit(db, now, rc, id, "person.updated", org_id, payload, out, seq, err);
out:
	json_object_put(fields);
	json_object_put(payload);
	return rc;
}

int people_get(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
	       struct dom_err *err)
{
	int rc = person_readable(db, p, id, out, err);

	if (rc)
		return rc;
	rc = person_view(db, id, out);
	return rc ? dom_from_store(err, rc, "person") : DOM_OK;
}

int people_list(struct db *db, const struct principal *p, int64_t org_id, const char *q, int64_t limit,
		int64_t offset, struct json_object **items, int64_t *total, struct dom_err *err)
{
	struct person_row *rows = NULL;
	char folded[PEOPLE_QUERY_MAX + 1];
	size_t n = 0;
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
	/* a query of nothing but spaces and marks finds everyone, as none */
	if (q && !text_fold(q, folded, sizeof(folded)))
		q = NULL;
	rc = store_person_list(db, org_id, q ? folded : NULL, limit, offset, &rows, &n, total);
	if (rc)
		return dom_from_store(err, rc, "person");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, person_render(&rows[i]));
	person_rows_free(rows, n);
	return DOM_OK;
}

int people_export(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		  struct dom_err *err)
{
	struct person_export x;
	int rc = person_readable(db, p, id, out, err);

	if (rc)
		return rc;
	rc = store_person_export(db, id, &x);
	if (rc)
		return dom_from_store(err, rc, "person");
	*out = person_export_render(&x, now);
	person_export_clear(&x);
	return DOM_OK;
}

/* Gives each of the person's registrations a fresh random link hash (the old link stops working, and so
 * does a new one whose mail is under way; the new token is never shown, so no link works any more). *n gets
 * how many. */
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

int people_erasable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	int64_t org_id = 0, erased_at = 0;

	return person_visible(db, p, id, &org_id, &erased_at, err);
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
	payload = json_object_new_object();
	json_object_object_add(payload, "registrations", json_object_new_int64((int64_t)regs));
	json_object_object_add(payload, "calendar_tokens_revoked", json_object_new_int64(revoked));
	rc = person_commit(db, now, rc, id, "person.erased", org_id, payload, out, seq, err);
out:
	json_object_put(payload);
	return rc;
}
