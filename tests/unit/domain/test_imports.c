/* test_imports: domain/imports in-process on a fresh database — a dry run reports and writes nothing, a
 * commit writes each event once (a re-import creates nothing), who may import for which organisation, and a
 * hostile file writes nothing, all or nothing; parsing the file is calendar/import's (test_import). */
#include "domain/imports.h"
#include "fixture.h"
#include "store/db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define FIXTURES "tests/fixtures/ical/"

static int64_t report_int(struct json_object *o, const char *obj, const char *key)
{
	struct json_object *a, *b;

	assert_true(json_object_object_get_ex(o, obj, &a));
	assert_true(json_object_object_get_ex(a, key, &b));
	return json_object_get_int64(b);
}

static void test_domain_import(void **state)
{
	static const char *const tables =
	    "SELECT (SELECT count(*) FROM events) * 1000000 + "
	    "(SELECT count(*) FROM sessions) * 1000 + (SELECT count(*) FROM change_log) AS n";
	struct principal org_a = {.role = ROLE_ORGANISER, .org_id = 1};
	struct principal org_b = {.role = ROLE_ORGANISER, .org_id = 2};
	struct principal viewer = {.role = ROLE_VIEWER, .org_id = 1};
	struct import_request rq;
	struct json_object *out = NULL;
	struct dom_err e = {0};
	int64_t created = 0, seq = 0, before;
	struct fixture fx;
	struct db *db;
	size_t len;
	char *text = fixture_file(FIXTURES, "outlook_morocco.ics", &len);
	char *bad;

	(void)state;
	fixture_open(&fx, "import", FIXTURE_ORGS);
	db = fx.db;
	memset(&rq, 0, sizeof(rq));

	/* dry run: the report, nothing written */
	before = fixture_int(db, tables);
	assert_int_equal(imports_run(db, &org_a, &rq, text, len, 1000, &out, &created, &seq, &e), 0);
	assert_int_equal(report_int(out, "would_create", "events"), 5);
	assert_int_equal(report_int(out, "would_create", "sessions"), 9);
	assert_int_equal(created, 0);
	json_object_put(out);
	assert_int_equal(fixture_int(db, tables), before);

	/* permissions */
	assert_int_equal(imports_run(db, &viewer, &rq, text, len, 1000, &out, &created, &seq, &e),
			 DOM_FORBIDDEN);
	assert_null(out);
	rq.org_id = 1;
	assert_int_equal(imports_run(db, &org_b, &rq, text, len, 1000, &out, &created, &seq, &e),
			 DOM_FORBIDDEN);
	rq.org_id = 0;

	/* commit, then again: nothing twice */
	rq.commit = true;
	assert_int_equal(imports_run(db, &org_a, &rq, text, len, 1000, &out, &created, &seq, &e), 0);
	assert_int_equal(created, 5);
	assert_true(seq > 0);
	assert_int_equal(report_int(out, "created", "sessions"), 9);
	json_object_put(out);
	assert_int_equal(fixture_int(db, "SELECT count(*) AS n FROM sessions"), 9);
	assert_int_equal(fixture_int(db, "SELECT count(*) AS n FROM events WHERE import_uid IS NOT NULL AND "
					 "visibility = 'internal' AND capacity = 30 AND type = 'workshop'"),
			 5);
	assert_int_equal(fixture_int(db, "SELECT count(*) AS n FROM sessions WHERE start_utc = 1792058400"),
			 1);
	before = fixture_int(db, tables);
	assert_int_equal(imports_run(db, &org_a, &rq, text, len, 1001, &out, &created, &seq, &e), 0);
	assert_int_equal(created, 0);
	assert_int_equal(report_int(out, "would_create", "events"), 0);
	json_object_put(out);
	assert_int_equal(fixture_int(db, tables), before);
	free(text);

	/* a hostile file: 422 with the report, nothing written even with skip_refused */
	bad = fixture_file(FIXTURES, "hostile_bad_date.ics", &len);
	rq.skip_refused = true;
	assert_int_equal(imports_run(db, &org_b, &rq, bad, len, 1000, &out, &created, &seq, &e), 0);
	assert_int_equal(created, 0);
	json_object_put(out);
	rq.skip_refused = false;
	assert_int_equal(imports_run(db, &org_b, &rq, bad, len, 1000, &out, &created, &seq, &e),
			 DOM_UNPROCESSABLE);
	assert_string_equal(e.id, "import_refused");
	assert_non_null(out);
	json_object_put(out);
	free(bad);
	bad = fixture_file(FIXTURES, "hostile_not_vcalendar.ics", &len);
	rq.skip_refused = true;
	assert_int_equal(imports_run(db, &org_b, &rq, bad, len, 1000, &out, &created, &seq, &e),
			 DOM_UNPROCESSABLE);
	json_object_put(out);
	free(bad);
	assert_int_equal(fixture_int(db, tables), before);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_domain_import),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
