/*
 * test_people: table-driven checks of the people domain, bodies read by the api's parser, in-process (name
 * scripts, field validation, consent, visibility across organisations, erasure) on a fresh SQLite file in
 * /tmp; no network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/people.h"
#include "domain/orgs.h"
#include "domain/people.h"
#include "fixture.h"
#include "store/db.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* One store for the whole program (tests/unit/fixture): organisations A and B and their principals. */
static struct fixture *fx;

static struct json_object *parse(const char *s)
{
	struct json_object *o = json_tokener_parse(s);

	assert_non_null(o);
	return o;
}

/* A body as POST (create) or PATCH sends it: read by the api's parser, then the domain call. */
static int write_body(const struct principal *p, int64_t id, struct json_object *body,
		      struct json_object **out, int64_t *seq, struct dom_err *e)
{
	struct people_input in;
	struct jsonx_err je;

	*out = NULL;
	if (api_people_parse(body, id == 0, &in, &je))
		return dom_fail(e, DOM_INVALID, je.code, "%s", je.message);
	if (id == 0)
		return people_create(fx->db, p, &in, 1700000000, out, seq, e);
	return people_update(fx->db, p, id, &in, 1700000000, out, seq, e);
}

static int64_t get_int(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_int64(v);
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v ? json_object_get_string(v) : NULL;
}

static int setup(void **state)
{
	int rc = fixture_setup(state, "people", FIXTURE_ORGS, NULL);

	fx = *state;
	return rc;
}

/* A name and whether each predicate accepts it. */
struct name_case {
	const char *s;
	bool ok;
};

static void test_latin_names(void **state)
{
	static const struct name_case cases[] = {
	    {"Aminata Diallo", true},
	    {"Zo\xc3\xa9 N'Guessan-Kouam\xc3\xa9", true}, /* Zoé N'Guessan-Kouamé */
	    {"\xc5\x81ukasz \xc5\xbby\xc5\x82"
	     "a",
	     true},						       /* Łukasz Żyła */
	    {"Nguy\xe1\xbb\x85n V\xc4\x83n", true},		       /* Nguyễn Văn */
	    {"O\xe2\x80\x99Neil", true},			       /* right single quote */
	    {"\xd8\xa3\xd9\x85\xd9\x8a\xd9\x86\xd8\xa9", false},       /* Arabic only */
	    {"Amina \xd8\xa3\xd9\x85\xd9\x8a\xd9\x86\xd8\xa9", false}, /* mixed */
	    {"\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd", false},	       /* Cyrillic */
	    {"123", false},					       /* no letter */
	    {"- .", false},
	    {"", false},
	    {"Tab\there", false},
	    {"Line\nbreak", false},
	    {"CR\rLF", false},
	    {"Zed\xe2\x80\x8b", false}, /* zero-width space */
	    {"Zed\xe2\x80\xae", false}, /* RTL override */
	    {"Zed\xc2\x85", false},	/* NEL (C1) */
	    {"Del\x7f", false},
	    {"A \xc3\x97 B", true}, /* × is not a letter, A is */
	    {"\xc3\x97", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		if (people_name_latin_ok(cases[i].s) != cases[i].ok)
			fail_msg("latin case %zu: expected %s", i, cases[i].ok ? "accept" : "refuse");
	}
}

static void test_arabic_names(void **state)
{
	static const struct name_case cases[] = {
	    {"\xd8\xa3\xd9\x85\xd9\x8a\xd9\x86\xd8\xa9", true}, /* أمينة */
	    {"\xd9\x81\xd8\xa7\xd8\xb7\xd9\x88 \xd8\xb3\xd9\x88", true},
	    {"Amina \xd8\xa3\xd9\x85\xd9\x8a\xd9\x86\xd8\xa9", true}, /* holds Arabic letters */
	    {"Amina", false},
	    {"\xd9\xa1\xd9\xa2\xd9\xa3", false}, /* Arabic-Indic digits only */
	    {"\xd8\x8c\xd8\x9f", false},	 /* Arabic comma, question mark */
	    {"\xd8\xa3\xd9\x85\n", false},	 /* control character */
	    {"", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		if (people_name_arabic_ok(cases[i].s) != cases[i].ok)
			fail_msg("arabic case %zu: expected %s", i, cases[i].ok ? "accept" : "refuse");
	}
}

/* A request body, who sends it and the result expected (with its machine code when an error). */
struct create_case {
	const char *body;
	int code;
	const char *id;
};

static void test_create_validation(void **state)
{
	static const struct create_case cases[] = {
	    {"{\"name\":\"Awa Ba\",\"consent\":true}", DOM_OK, NULL},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"email\":\"Awa.Ba@Example.MA\",\"phone\":\"+212 "
	     "600-000001\","
	     "\"sex\":\"female\",\"lang\":\"ar\",\"nationality\":\"SN\",\"name_ar\":"
	     "\"\xd8\xa3\xd9\x88\xd8\xa7\"}",
	     DOM_OK, NULL},
	    {"{\"name\":\"Awa Ba\"}", DOM_INVALID, "missing_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":false}", DOM_UNPROCESSABLE, "consent_required"},
	    {"{\"name\":\"Awa Ba\",\"consent\":1}", DOM_INVALID, "invalid_field"},
	    {"{\"consent\":true}", DOM_INVALID, "missing_field"},
	    {"{\"name\":null,\"consent\":true}", DOM_INVALID, "missing_field"},
	    {"{\"name\":\"\",\"consent\":true}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":7,\"consent\":true}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa\\r\\nBa\",\"consent\":true}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"email\":\"awa\"}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"email\":\"a@b.ma\\n\"}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"phone\":\"12\"}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"sex\":\"x\"}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"sex\":null}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"lang\":\"de\"}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"name_ar\":\"Awa\"}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"\xd8\xa3\xd9\x88\xd8\xa7\",\"consent\":true}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"nick\":\"x\"}", DOM_INVALID, "unknown_field"},
	    /* invisible and bidi controls, in every name field (ZWNJ/ZWJ too: a name is no emoji) */
	    {"{\"name\":\"\\u202eAwa Ba\",\"consent\":true}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa\\u200bBa\",\"consent\":true}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa\\u00adBa\",\"consent\":true}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa\\u2066Ba\\u2069\",\"consent\":true}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"name_ar\":\"\\u202e\xd8\xa3\xd9\x88\xd8\xa7\"}",
	     DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"name_ar\":\"\xd8\xa3\\u200f\xd9\x88\xd8\xa7\"}",
	     DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"name_ar\":\"\xd8\xa3\\u061c\xd9\x88\xd8\xa7\"}",
	     DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"name_ar\":\"\xd8\xa3\\u200d\xd9\x88\xd8\xa7\"}",
	     DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"nationality\":\"SN\\ufeff\"}", DOM_INVALID,
	     "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"phone\":\"612345678\"}", DOM_INVALID, "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"phone\":\"+212 912 34 56 78\"}", DOM_INVALID,
	     "invalid_field"},
	    {"{\"name\":\"Awa Ba\",\"consent\":true,\"org_id\":999}", DOM_FORBIDDEN, "forbidden"},
	};
	struct json_object *body, *out;
	struct dom_err e;
	int64_t seq, before;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		before = fixture_int(fx->db, "SELECT count(*) FROM people");
		body = parse(cases[i].body);
		out = NULL;
		seq = 0;
		memset(&e, 0, sizeof(e));
		rc = write_body(&fx->organiser_a, 0, body, &out, &seq, &e);
		if (rc != cases[i].code)
			fail_msg("create case %zu: expected %d, got %d (%s)", i, cases[i].code, rc,
				 e.message);
		if (cases[i].id && strcmp(e.id, cases[i].id))
			fail_msg("create case %zu: expected code %s, got %s", i, cases[i].id, e.id);
		if (rc == DOM_OK) {
			assert_int_equal(get_int(out, "org_id"), fx->org_a);
			assert_true(get_int(out, "consent_at") > 0);
			if (get_str(out, "email"))
				assert_string_equal(get_str(out, "email"), "awa.ba@example.ma");
			assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM people"), before + 1);
		} else {
			assert_null(out);
			assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM people"), before);
		}
		json_object_put(out);
		json_object_put(body);
	}
}

static int64_t make_person(const struct principal *p, const char *json)
{
	struct json_object *body = parse(json), *out = NULL;
	struct dom_err e = {0};
	int64_t seq = 0, id;

	assert_int_equal(write_body(p, 0, body, &out, &seq, &e), DOM_OK);
	id = get_int(out, "id");
	json_object_put(out);
	json_object_put(body);
	return id;
}

/* One number typed four ways is stored one way (E.164), on create and on update. */
static void test_phone_stored_e164(void **state)
{
	static const char *const forms[] = {"+212 612 34 56 78", "+212612345678",  "00212612345678",
					    "0612345678",	 "06.12.34.56.78", "+212 (0)6 12 34 56 78"};
	char json[160], sql[96];
	struct json_object *body, *out;
	struct dom_err e;
	int64_t id, seq;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(forms); i++) {
		snprintf(json, sizeof(json), "{\"name\":\"Salma Idrissi\",\"consent\":true,\"phone\":\"%s\"}",
			 forms[i]);
		id = make_person(&fx->organiser_a, json);
		snprintf(sql, sizeof(sql), "SELECT phone = '+212612345678' FROM people WHERE id = %lld",
			 (long long)id);
		if (fixture_int(fx->db, sql) != 1)
			fail_msg("form %zu \"%s\" not stored as +212612345678", i, forms[i]);
		snprintf(json, sizeof(json), "{\"phone\":\"00221 77 123 45 67\"}");
		body = parse(json);
		out = NULL;
		memset(&e, 0, sizeof(e));
		assert_int_equal(write_body(&fx->organiser_a, id, body, &out, &seq, &e), DOM_OK);
		assert_string_equal(get_str(out, "phone"), "+221771234567");
		json_object_put(out);
		json_object_put(body);
	}
}

static void test_visibility(void **state)
{
	int64_t id = make_person(&fx->organiser_a, "{\"name\":\"Seen By A\",\"consent\":true}");
	struct json_object *out = NULL, *body = parse("{\"name\":\"Changed\"}");
	struct dom_err e = {0};
	int64_t seq = 0, total = 0, changes = fixture_int(fx->db, "SELECT count(*) FROM change_log");
	char sql[128];

	(void)state;
	assert_int_equal(people_get(fx->db, &fx->organiser_a, id, &out, &e), DOM_OK);
	json_object_put(out);
	assert_int_equal(people_get(fx->db, &fx->admin, id, &out, &e), DOM_OK);
	json_object_put(out);
	assert_int_equal(people_get(fx->db, &fx->organiser_b, id, &out, &e), DOM_NOT_FOUND);
	assert_null(out);
	assert_int_equal(people_get(fx->db, &fx->viewer, id, &out, &e), DOM_FORBIDDEN);
	assert_int_equal(people_get(fx->db, &fx->checkin_a, id, &out, &e), DOM_FORBIDDEN);
	assert_int_equal(write_body(&fx->organiser_b, id, body, &out, &seq, &e), DOM_NOT_FOUND);
	assert_int_equal(people_export(fx->db, &fx->organiser_b, id, 1700000000, &out, &e), DOM_NOT_FOUND);
	assert_int_equal(people_erase(fx->db, &fx->organiser_b, id, 1700000000, &out, &seq, &e),
			 DOM_NOT_FOUND);
	assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM change_log"), changes);
	assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM people WHERE name = 'Seen By A'"), 1);
	assert_int_equal(people_list(fx->db, &fx->viewer, 0, NULL, 50, 0, &out, &total, &e), DOM_FORBIDDEN);
	assert_int_equal(people_list(fx->db, &fx->organiser_b, fx->org_a, NULL, 50, 0, &out, &total, &e),
			 DOM_FORBIDDEN);
	assert_int_equal(people_list(fx->db, &fx->organiser_b, 0, NULL, 50, 0, &out, &total, &e), DOM_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM people WHERE org_id = %lld", (long long)fx->org_b);
	assert_int_equal(total, fixture_int(fx->db, sql));
	json_object_put(out);
	assert_int_equal(write_body(&fx->organiser_a, id, body, &out, &seq, &e), DOM_OK);
	assert_string_equal(get_str(out, "name"), "Changed");
	json_object_put(out);
	json_object_put(body);
}

static void test_erase(void **state)
{
	int64_t a =
	    make_person(&fx->organiser_a, "{\"name\":\"Erase Me\",\"consent\":true,\"sex\":\"female\","
					  "\"email\":\"erase@example.ma\",\"phone\":\"0600000009\","
					  "\"nationality\":\"ML\",\"name_ar\":\"\xd8\xa3\xd9\x88\xd8\xa7\"}");
	int64_t b = make_person(&fx->organiser_a, "{\"name\":\"Keep Me\",\"consent\":true}");
	struct json_object *out = NULL;
	struct dom_err e = {0};
	int64_t seq = 0, females, regs, att;
	char sql[512];

	(void)state;
	fixture_exec(fx->db,
		     "INSERT INTO events (id, type, title_fr, org_id, capacity, created_at, updated_at) "
		     "VALUES (900, 'workshop', 'Atelier', 1, 10, 0, 0)");
	fixture_exec(
	    fx->db,
	    "INSERT INTO sessions (id, event_id, starts_local, ends_local, tz, start_utc, end_utc, "
	    "start_offset, end_offset, created_at, updated_at) VALUES (900, 900, '2026-01-01T10:00:00', "
	    "'2026-01-01T11:00:00', 'Africa/Casablanca', 1000, 2000, 3600, 3600, 0, 0)");
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO registrations (id, event_id, person_id, status, token_hash, created_at, updated_at) "
	    "VALUES (900, 900, %lld, 'confirmed', 'hash-a', 0, 0), (901, 900, %lld, 'waitlisted', 'hash-b', "
	    "0, 0)",
	    (long long)a, (long long)b);
	fixture_exec(fx->db, sql);
	fixture_exec(fx->db,
		     "INSERT INTO attendance (session_id, registration_id, status, method, recorded_at) "
		     "VALUES (900, 900, 'present', 'qr', 0), (900, 901, 'absent', 'manual', 0)");
	females = fixture_int(fx->db, "SELECT count(*) FROM people WHERE sex = 'female'");
	regs = fixture_int(fx->db, "SELECT count(*) FROM registrations");
	att = fixture_int(fx->db, "SELECT count(*) FROM attendance WHERE status = 'present'");

	assert_int_equal(people_erase(fx->db, &fx->organiser_a, a, 1700000000, &out, &seq, &e), DOM_OK);
	assert_true(seq > 0);
	assert_string_equal(get_str(out, "name"), PERSON_ERASED_NAME);
	assert_null(get_str(out, "email"));
	assert_null(get_str(out, "phone"));
	assert_null(get_str(out, "nationality"));
	assert_null(get_str(out, "name_ar"));
	assert_string_equal(get_str(out, "sex"), "female");
	assert_true(get_int(out, "erased_at") > 0);
	json_object_put(out);
	assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM people WHERE sex = 'female'"), females);
	assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM registrations"), regs);
	assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM attendance WHERE status = 'present'"),
			 att);
	assert_int_equal(
	    fixture_int(fx->db,
			"SELECT count(*) FROM registrations WHERE id = 900 AND token_hash = 'hash-a'"),
	    0);
	assert_int_equal(fixture_int(fx->db, "SELECT length(token_hash) FROM registrations WHERE id = 900"),
			 64);
	assert_int_equal(
	    fixture_int(fx->db,
			"SELECT count(*) FROM registrations WHERE id = 901 AND token_hash = 'hash-b'"),
	    1);
	assert_int_equal(
	    fixture_int(fx->db,
			"SELECT count(*) FROM change_log WHERE kind = 'person.erased' AND "
			"(payload LIKE '%Erase%' OR payload LIKE '%example%' OR payload LIKE '%0600%')"),
	    0);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM people WHERE id = %lld AND name = 'Keep Me'",
		 (long long)b);
	assert_int_equal(fixture_int(fx->db, sql), 1);
	/* twice: a conflict, nothing written */
	seq = fixture_int(fx->db, "SELECT count(*) FROM change_log");
	assert_int_equal(people_erase(fx->db, &fx->organiser_a, a, 1700000000, &out, &seq, &e), DOM_CONFLICT);
	assert_string_equal(e.id, "already_erased");
	assert_int_equal(fixture_int(fx->db, "SELECT count(*) FROM change_log"), seq);
	/* the export still answers, with registrations and attendance */
	assert_int_equal(people_export(fx->db, &fx->organiser_a, a, 1700000000, &out, &e), DOM_OK);
	assert_non_null(out);
	{
		struct json_object *r = NULL, *first, *at = NULL;

		assert_true(json_object_object_get_ex(out, "registrations", &r));
		assert_int_equal(json_object_array_length(r), 1);
		first = json_object_array_get_idx(r, 0);
		assert_string_equal(get_str(first, "event_title_fr"), "Atelier");
		assert_true(json_object_object_get_ex(first, "attendance", &at));
		assert_int_equal(json_object_array_length(at), 1);
	}
	json_object_put(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_latin_names),	      cmocka_unit_test(test_arabic_names),
	    cmocka_unit_test(test_create_validation), cmocka_unit_test(test_phone_stored_e164),
	    cmocka_unit_test(test_visibility),	      cmocka_unit_test(test_erase),
	};

	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
