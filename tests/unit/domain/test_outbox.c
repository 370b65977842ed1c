/*
 * test_outbox: a personal link mailed again (registration.link_resent) works before its mail is handed
 * out, and what each outcome of sending it does to the old and the new link (sent, a temporary failure,
 * given up, the person erased meanwhile); in-process on a fresh SQLite file in /tmp, no mail server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "domain/outbox.h"
#include "domain/people.h"
#include "domain/registrations.h"
#include "fixture.h"
#include "store/db.h"
#include "util/secret.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define REG_ID	  7
#define PERSON_ID 5
#define KEY	  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

/* One test's store, configuration and the registration's first link. On the test's stack. */
struct link_fx {
	struct fixture fx;
	struct config cfg;
	char old_token[SECRET_TOKEN_LEN + 1];
};

/* A fresh store with person 5 registered (7) to event 1 under a known link, and a link mail due now. */
static void link_open(struct link_fx *t, bool with_key)
{
	char hash[SECRET_HASH_LEN + 1], sql[1024];

	fixture_open(&t->fx, "outbox", FIXTURE_EVENTS);
	config_defaults(&t->cfg);
	snprintf(t->cfg.public_url, sizeof(t->cfg.public_url), "https://majlis.example.org");
	snprintf(t->cfg.link_key, sizeof(t->cfg.link_key), "%s", with_key ? KEY : "");
	assert_int_equal(secret_token_new(t->old_token), 0);
	secret_hash(t->old_token, strlen(t->old_token), hash);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO people (id, org_id, name, email, lang, created_at, updated_at) VALUES (%d, 1, "
		 "'Aicha', 'aicha@example.org', 'fr', 0, 0);"
		 "INSERT INTO registrations (id, event_id, person_id, status, token_hash, created_at, "
		 "updated_at) VALUES (%d, 1, %d, 'confirmed', '%s', 0, 0);"
		 "INSERT INTO outbox (kind, person_id, channel, payload, event_id, created_at, not_before) "
		 "VALUES ('registration.link_resent', %d, 'email', "
		 "'{\"registration_id\":%d,\"event_id\":1,\"lang\":\"fr\"}', 1, %lld, %lld)",
		 PERSON_ID, REG_ID, PERSON_ID, hash, PERSON_ID, REG_ID, FIXTURE_NOW, FIXTURE_NOW);
	fixture_exec(t->fx.db, sql);
}

/* Whether token opens a registration (the personal link, and the ticket's lookup). */
static bool link_works(struct link_fx *t, const char *token)
{
	struct json_object *view = NULL;
	struct dom_err e;
	int rc = registrations_by_token(t->fx.db, token, FIXTURE_NOW, &view, &e);

	json_object_put(view);
	assert_true(rc == DOM_OK || rc == DOM_NOT_FOUND);
	return rc == DOM_OK;
}

/* Takes the due link mail into m and copies its token into token. */
static void link_take(struct link_fx *t, struct outbox_msg *m, char token[SECRET_TOKEN_LEN + 1])
{
	const char *at;
	struct dom_err e;

	assert_int_equal(outbox_take(t->fx.db, &t->cfg, FIXTURE_NOW, m, &e), DOM_OK);
	assert_string_equal(m->kind, "registration.link_resent");
	assert_non_null(m->link);
	at = strstr(m->link, "/r/");
	assert_non_null(at);
	snprintf(token, SECRET_TOKEN_LEN + 1, "%s", at + 3);
	assert_true(secret_token_valid(token));
}

static int64_t pending_links(struct link_fx *t)
{
	return fixture_int(t->fx.db,
			   "SELECT count(*) FROM registrations WHERE pending_token_hash IS NOT NULL");
}

/* What each outcome of the link mail leaves working. */
struct settle_case {
	const char *name;
	enum outbox_outcome outcome;
	bool old_works, new_works, pending;
	const char *logged; /* the outcome's change-log kind */
};

static const struct settle_case settle_cases[] = {
    {"sent: the new link replaces the old", OUTBOX_SENT, false, true, false, "notification.sent"},
    {"temporary failure: both work until the next try", OUTBOX_RETRY, true, true, true, "notification.retry"},
    {"given up: the old link goes on, the new never works", OUTBOX_REFUSED, true, false, false,
     "notification.failed"},
};

static void the_new_link_works_before_the_mail_is_handed_out(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(settle_cases); i++) {
		const struct settle_case *c = &settle_cases[i];
		char token[SECRET_TOKEN_LEN + 1], sql[256];
		struct outbox_msg m;
		struct link_fx t;
		struct dom_err e;

		print_message("%s\n", c->name);
		link_open(&t, true);
		link_take(&t, &m, token);
		assert_string_not_equal(token, t.old_token);
		/* committed before the worker may send: both links work, the new one is kept sealed */
		assert_true(link_works(&t, token));
		assert_true(link_works(&t, t.old_token));
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM registrations WHERE id = %d AND pending_token_hash = '%s'",
			 REG_ID, m.new_hash);
		assert_int_equal(fixture_int(t.fx.db, sql), 1);
		assert_int_equal(fixture_int(t.fx.db, "SELECT count(*) FROM outbox WHERE "
						      "json_extract(payload, '$.link_sealed') IS NOT NULL"),
				 1);
		assert_int_equal(
		    fixture_int(t.fx.db,
				"SELECT count(*) FROM change_log WHERE kind = 'notification.link_ready' "
				"AND topic = 'outbox:1' AND org_id = 1 AND payload NOT LIKE '%aicha%'"),
		    1);

		assert_int_equal(outbox_settle(t.fx.db, &m, FIXTURE_NOW, c->outcome, "SMTP 451", NULL, &e),
				 DOM_OK);
		assert_int_equal(link_works(&t, t.old_token), c->old_works);
		assert_int_equal(link_works(&t, token), c->new_works);
		assert_int_equal(pending_links(&t), c->pending ? 1 : 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM change_log WHERE kind = '%s'", c->logged);
		assert_int_equal(fixture_int(t.fx.db, sql), 1);
		outbox_msg_free(&m);
		fixture_close(&t.fx);
	}
}

static void the_next_try_mails_the_same_link(void **state)
{
	char first[SECRET_TOKEN_LEN + 1], again[SECRET_TOKEN_LEN + 1];
	struct outbox_msg m;
	struct link_fx t;
	struct dom_err e;

	(void)state;
	link_open(&t, true);
	link_take(&t, &m, first);
	assert_int_equal(outbox_settle(t.fx.db, &m, FIXTURE_NOW, OUTBOX_RETRY, "SMTP 451", NULL, &e), DOM_OK);
	outbox_msg_free(&m);
	fixture_exec(t.fx.db, "UPDATE outbox SET not_before = 0");
	link_take(&t, &m, again);
	assert_string_equal(again, first);
	assert_null(m.link_sealed); /* already in the row */
	assert_int_equal(fixture_int(t.fx.db, "SELECT count(*) FROM change_log WHERE kind = "
					      "'notification.link_ready'"),
			 2);
	assert_int_equal(outbox_settle(t.fx.db, &m, FIXTURE_NOW, OUTBOX_SENT, NULL, NULL, &e), DOM_OK);
	outbox_msg_free(&m);
	assert_true(link_works(&t, first));
	assert_false(link_works(&t, t.old_token));
	assert_int_equal(pending_links(&t), 0);
	assert_int_equal(fixture_int(t.fx.db, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND "
					      "json_extract(payload, '$.link_sealed') IS NULL"),
			 1);
	fixture_close(&t.fx);
}

static void without_a_key_each_try_makes_its_own_link(void **state)
{
	char first[SECRET_TOKEN_LEN + 1], again[SECRET_TOKEN_LEN + 1];
	struct outbox_msg m;
	struct link_fx t;
	struct dom_err e;

	(void)state;
	link_open(&t, false);
	link_take(&t, &m, first);
	assert_true(link_works(&t, first));
	assert_int_equal(outbox_settle(t.fx.db, &m, FIXTURE_NOW, OUTBOX_RETRY, "SMTP 451", NULL, &e), DOM_OK);
	outbox_msg_free(&m);
	fixture_exec(t.fx.db, "UPDATE outbox SET not_before = 0");
	link_take(&t, &m, again);
	assert_string_not_equal(again, first);
	assert_false(link_works(&t, first)); /* the next try's link replaced it */
	assert_true(link_works(&t, again));
	assert_true(link_works(&t, t.old_token));
	assert_int_equal(fixture_int(t.fx.db, "SELECT count(*) FROM outbox WHERE "
					      "json_extract(payload, '$.link_sealed') IS NOT NULL"),
			 0);
	outbox_msg_free(&m);
	fixture_close(&t.fx);
}

static void a_link_left_by_an_earlier_try_is_dropped_when_given_up(void **state)
{
	char token[SECRET_TOKEN_LEN + 1];
	struct outbox_msg m;
	struct link_fx t;
	struct dom_err e;

	(void)state;
	link_open(&t, true);
	link_take(&t, &m, token);
	assert_int_equal(outbox_settle(t.fx.db, &m, FIXTURE_NOW, OUTBOX_RETRY, "SMTP 451", NULL, &e), DOM_OK);
	outbox_msg_free(&m);
	/* days later: given up before it is prepared again */
	fixture_exec(t.fx.db, "UPDATE outbox SET not_before = 0, created_at = 0");
	assert_int_equal(outbox_take(t.fx.db, &t.cfg, FIXTURE_NOW, &m, &e), DOM_NOT_FOUND);
	assert_int_equal(fixture_int(t.fx.db, "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL"), 1);
	assert_false(link_works(&t, token));
	assert_true(link_works(&t, t.old_token));
	assert_int_equal(pending_links(&t), 0);
	fixture_close(&t.fx);
}

static void erasure_while_the_mail_is_under_way_leaves_no_link(void **state)
{
	char token[SECRET_TOKEN_LEN + 1];
	struct json_object *out = NULL;
	struct outbox_msg m;
	struct link_fx t;
	struct dom_err e;
	int64_t seq = 0;

	(void)state;
	link_open(&t, true);
	link_take(&t, &m, token);
	assert_int_equal(people_erase(t.fx.db, &t.fx.admin, PERSON_ID, FIXTURE_NOW, &out, &seq, &e), DOM_OK);
	json_object_put(out);
	assert_false(link_works(&t, token));
	assert_int_equal(outbox_settle(t.fx.db, &m, FIXTURE_NOW, OUTBOX_SENT, NULL, NULL, &e), DOM_OK);
	outbox_msg_free(&m);
	assert_false(link_works(&t, token));
	assert_false(link_works(&t, t.old_token));
	assert_int_equal(pending_links(&t), 0);
	fixture_close(&t.fx);
}

static void other_messages_make_no_link_ready(void **state)
{
	struct outbox_msg m;
	struct link_fx t;
	struct dom_err e;

	(void)state;
	link_open(&t, true);
	fixture_exec(t.fx.db, "UPDATE outbox SET kind = 'registration.confirmed'");
	assert_int_equal(outbox_take(t.fx.db, &t.cfg, FIXTURE_NOW, &m, &e), DOM_OK);
	assert_null(m.link);
	assert_string_equal(m.new_hash, "");
	assert_int_equal(pending_links(&t), 0);
	assert_int_equal(fixture_int(t.fx.db, "SELECT count(*) FROM change_log"), 0);
	assert_int_equal(outbox_settle(t.fx.db, &m, FIXTURE_NOW, OUTBOX_REFUSED, "SMTP 550", NULL, &e),
			 DOM_OK);
	outbox_msg_free(&m);
	assert_true(link_works(&t, t.old_token));
	fixture_close(&t.fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_new_link_works_before_the_mail_is_handed_out),
	    cmocka_unit_test(the_next_try_mails_the_same_link),
	    cmocka_unit_test(without_a_key_each_try_makes_its_own_link),
	    cmocka_unit_test(a_link_left_by_an_earlier_try_is_dropped_when_given_up),
	    cmocka_unit_test(erasure_while_the_mail_is_under_way_leaves_no_link),
	    cmocka_unit_test(other_messages_make_no_link_ready),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
