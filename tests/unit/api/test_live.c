/*
 * test_live: api/live's shared window — changes rendered once with their event's numbers, cut per client
 * as one message or an array in seq order within the size cap, a v1 client one change per message, a
 * client behind the window served from the change log with nothing lost or sent twice, resync when the
 * change log no longer holds what it needs, a participant's "me" computed once per change for all of
 * them, a topic refused "unavailable" when the database cannot tell (and nothing sent while a topic
 * cannot be checked again); and domain/live's topic names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/live.h"
#include "harness.h"

#define HEADROOM 16

static struct harness h;

static int setup(void **state)
{
	harness_open(&h, "live", FIXTURE_EVENTS);
	*state = &h;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	harness_close(&h);
	return 0;
}

/* n change-log rows: topic event:{event} (0: organisation:1), registration.created with a registration
 * id, owned by organisation 1. */
static void add_changes(int n, int64_t event)
{
	char sql[512];

	snprintf(
	    sql, sizeof(sql),
	    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d) "
	    "INSERT INTO change_log (topic, kind, org_id, payload, created_at) SELECT %s, "
	    "'registration.created', 1, json_object('registration_id', i, 'status', 'confirmed'), 0 FROM k",
	    n, event ? (event == 1 ? "'event:1'" : "'event:2'") : "'organisation:1'");
	fixture_exec(h.fx.db, sql);
}

static void fill_all(struct api_live_window *w)
{
	bool cred;

	while (api_live_window_fill(&h.app, w, &cred) > 0)
		;
}

static void follower(struct api_live *st, int version, const char *topic, int64_t last)
{
	memset(st, 0, sizeof(*st));
	st->p = h.fx.admin;
	st->version = version;
	st->last = last;
	if (topic) {
		assert_int_equal(live_topic_parse(topic, &st->topics[0]), 0);
		st->n_topics = 1;
	}
}

/* The messages of out as a flat array of objects (new reference). */
static struct json_object *parse_out(const struct api_live_out *out)
{
	char *text = strndup((const char *)out->p, out->len);
	struct json_object *j = json_tokener_parse(text);
	struct json_object *a;

	free(text);
	assert_non_null(j);
	if (json_object_is_type(j, json_type_array))
		return j;
	a = json_object_new_array();
	json_object_array_add(a, j);
	return a;
}

static int64_t seq_of(struct json_object *m)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(m, "seq", &v));
	return json_object_get_int64(v);
}

/* Every change st is sent until it is up to date: their seqs appended to seqs (n), messages counted. */
static int drain(struct api_live_window *w, struct api_live *st, int64_t *seqs, int *n)
{
	struct api_live_out out;
	int messages = 0, rc;

	for (int guard = 0; guard < 100000; guard++) {
		rc = api_live_next(&h.app, w, st, &out);
		assert_true(rc == 0 || rc == 1);
		if (rc == 0 && !api_live_pending(w, st))
			break;
		if (rc == 0)
			continue;
		struct json_object *a = parse_out(&out);

		assert_true(out.len <= API_LIVE_BATCH_MAX);
		for (size_t i = 0; i < json_object_array_length(a); i++)
			seqs[(*n)++] = seq_of(json_object_array_get_idx(a, i));
		json_object_put(a);
		api_live_out_done(&out);
		messages++;
	}
	return messages;
}

static void window_batches_in_order(void **state)
{
	struct api_live_window w;
	struct api_live st, v1;
	struct api_live_out out;
	struct json_object *a, *m, *v;
	char head[64];
	int64_t seqs[64], b0;
	int n = 0;
	bool cred;

	(void)state;
	assert_int_equal(api_live_window_init(&w, HEADROOM), 0);
	assert_int_equal(api_live_window_fill(&h.app, &w, &cred), 0); /* sets the start */
	b0 = w.base; /* the harness's own changes (its tokens) come before */
	add_changes(10, 1);
	add_changes(5, 2);
	add_changes(3, 1);
	fill_all(&w);
	assert_int_equal(w.count, 18);

	/* event:1 gets its 13 changes in one array, in order, each with the event's numbers */
	follower(&st, 2, "event:1", w.base);
	assert_int_equal(api_live_next(&h.app, &w, &st, &out), 1);
	assert_null(out.ref);
	a = parse_out(&out);
	assert_int_equal(json_object_array_length(a), 13);
	for (int i = 0; i < 13; i++) {
		m = json_object_array_get_idx(a, i);
		assert_int_equal(seq_of(m), b0 + (i < 10 ? i + 1 : i + 6));
		assert_true(json_object_object_get_ex(m, "counts", &v));
		assert_true(json_object_object_get_ex(v, "capacity", &v));
		assert_int_equal(json_object_get_int64(v), 10);
	}
	json_object_put(a);
	api_live_out_done(&out);
	assert_int_equal(api_live_next(&h.app, &w, &st, &out), 0);
	assert_int_equal(st.last, b0 + 18);

	/* one waiting change goes out as it is, from the shared frame */
	add_changes(1, 2);
	fill_all(&w);
	follower(&st, 2, "event:2", b0 + 18);
	assert_int_equal(api_live_next(&h.app, &w, &st, &out), 1);
	assert_non_null(out.ref);
	assert_int_equal(out.ref->refs, 2);
	snprintf(head, sizeof(head), "{\"type\":\"change\",\"seq\":%lld,", (long long)(b0 + 19));
	assert_memory_equal(out.p, head, strlen(head));
	api_live_out_done(&out);

	/* v1: every change of the organisation, one per message, without type or counts */
	follower(&v1, 1, NULL, b0);
	v1.p = h.fx.organiser_a;
	n = 0;
	assert_int_equal(drain(&w, &v1, seqs, &n), 19);
	assert_int_equal(n, 19);
	assert_int_equal(seqs[18], b0 + 19);
	api_live_window_free(&w);
}

static void replay_and_resync(void **state)
{
	struct api_live_window w;
	struct api_live st;
	struct api_live_out out;
	struct json_object *a, *v;
	int64_t *seqs = calloc(6000, sizeof(*seqs));
	int64_t b0;
	int n = 0, messages;
	bool cred;

	(void)state;
	assert_int_equal(api_live_window_init(&w, HEADROOM), 0);
	assert_int_equal(api_live_window_fill(&h.app, &w, &cred), 0);
	b0 = w.base;
	add_changes(5000, 1);
	fill_all(&w);
	assert_int_equal(w.count, API_LIVE_WINDOW);
	assert_int_equal(w.base, b0 + 5000 - API_LIVE_WINDOW);
	assert_int_equal(w.head, b0 + 5000);

	/* behind the window: the change log first, then the window; every change once, in order */
	follower(&st, 2, "event:1", 0);
	messages = drain(&w, &st, seqs, &n);
	assert_int_equal(n, 5000);
	for (int i = 0; i < n; i++)
		assert_int_equal(seqs[i], b0 + i + 1);
	assert_true(messages < 5000 / 10);

	/* the change log no longer holds what a client needs: resync, from the window's head */
	fixture_exec(h.fx.db, "DELETE FROM change_log WHERE seq <= 100");
	follower(&st, 2, "event:1", 50);
	assert_int_equal(api_live_next(&h.app, &w, &st, &out), 1);
	a = parse_out(&out);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(a, 0), "type", &v));
	assert_string_equal(json_object_get_string(v), "resync");
	assert_int_equal(seq_of(json_object_array_get_idx(a, 0)), b0 + 5000);
	json_object_put(a);
	api_live_out_done(&out);
	assert_int_equal(st.last, b0 + 5000);
	api_live_release(&st);
	free(seqs);
	api_live_window_free(&w);
}

/* A participant following me, of registration reg_id of event 1, where the window begins. */
static void participant(struct api_live *st, int64_t reg_id, int64_t last)
{
	memset(st, 0, sizeof(*st));
	st->version = 2;
	st->last = last;
	st->reg_id = reg_id;
	st->reg_event = 1;
	st->topics[0] = (struct live_topic){.kind = LIVE_TOPIC_ME, .id = reg_id};
	st->n_topics = 1;
}

/* The registration of the only "me" message st is sent next. */
static struct json_object *me_of(struct api_live_window *w, struct api_live *st)
{
	struct api_live_out out;
	struct json_object *a, *m, *r;

	assert_int_equal(api_live_next(&h.app, w, st, &out), 1);
	a = parse_out(&out);
	api_live_out_done(&out);
	assert_int_equal(json_object_array_length(a), 1);
	m = json_object_array_get_idx(a, 0);
	assert_true(json_object_object_get_ex(m, "registration", &r));
	json_object_get(r);
	json_object_put(a);
	return r;
}

/* What the participants following me need after a registration change of their event is read once for
 * all of them: the rows change behind the window once the first was served, and the next one still gets
 * its status and position as they were after the change, not a read of its own. */
static void me_once_per_change(void **state)
{
	struct api_live_window w;
	struct api_live first, second;
	struct json_object *r;
	bool cred;

	(void)state;
	fixture_exec(
	    h.fx.db,
	    "INSERT INTO people (id, name, created_at, updated_at) VALUES (901, 'a', 0, 0), "
	    "(902, 'b', 0, 0), (903, 'c', 0, 0);"
	    "INSERT INTO registrations (id, event_id, person_id, status, token_hash, waitlist_seq, "
	    "created_at, updated_at) VALUES (901, 1, 901, 'cancelled', 'h901', NULL, 0, 0), "
	    "(902, 1, 902, 'waitlisted', 'h902', 5, 0, 0), (903, 1, 903, 'waitlisted', 'h903', 6, 0, 0)");
	assert_int_equal(api_live_window_init(&w, HEADROOM), 0);
	assert_int_equal(api_live_window_fill(&h.app, &w, &cred), 0);
	fixture_exec(h.fx.db, "INSERT INTO change_log (topic, kind, org_id, payload, created_at) VALUES "
			      "('event:1', 'registration.cancelled', 1, "
			      "json_object('registration_id', 901, 'status', 'cancelled'), 0)");
	fill_all(&w);
	participant(&first, 902, w.base);
	participant(&second, 903, w.base);
	r = me_of(&w, &first);
	assert_string_equal(json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN),
			    "{\"id\":902,\"event_id\":1,\"status\":\"waitlisted\",\"waitlist_position\":1}");
	json_object_put(r);
	fixture_exec(h.fx.db, "DELETE FROM registrations WHERE id IN (902, 903)");
	r = me_of(&w, &second);
	assert_string_equal(json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN),
			    "{\"id\":903,\"event_id\":1,\"status\":\"waitlisted\",\"waitlist_position\":2}");
	json_object_put(r);
	/* nothing moved for it since: no second message */
	assert_int_equal(api_live_next(&h.app, &w, &first, &(struct api_live_out){0}), 0);
	api_live_release(&first);
	api_live_release(&second);
	api_live_window_free(&w);
}

/* The answers waiting for st, as one flat array (new reference). */
static struct json_object *answers_of(struct api_live_window *w, struct api_live *st)
{
	struct api_live_out out;
	struct json_object *a;

	assert_int_equal(api_live_next(&h.app, w, st, &out), 1);
	a = parse_out(&out);
	api_live_out_done(&out);
	return a;
}

static void subscribe(struct api_live_window *w, struct api_live *st, const char *topics)
{
	char text[256];

	snprintf(text, sizeof(text), "{\"type\":\"subscribe\",\"topics\":%s}", topics);
	api_live_message(&h.app, w, st, text, strlen(text));
}

static void expect_text(struct json_object *a, const char *want)
{
	assert_string_equal(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN), want);
	json_object_put(a);
}

/* The database cannot tell whether a topic may be followed (here the partners of an internal event
 * cannot be read): the topic is refused "unavailable" and not followed, the others of the message are
 * answered as usual, and asked again once the database answers, it is followed. When the event changes
 * and its topic cannot be checked again, the follower gets nothing of it until it can: then, no longer
 * a partner, it is refused not_found and never gets the change that hid the event. */
static void topic_unavailable(void **state)
{
	struct api_live_window w;
	struct api_live st;
	struct api_live_out out;
	bool cred;

	(void)state;
	fixture_exec(h.fx.db, "UPDATE events SET visibility = 'internal' WHERE id = 1;"
			      "INSERT INTO event_partners (event_id, org_id) VALUES (1, 2)");
	assert_int_equal(api_live_window_init(&w, HEADROOM), 0);
	assert_int_equal(api_live_window_fill(&h.app, &w, &cred), 0);
	follower(&st, 2, NULL, w.base);
	st.p = h.fx.organiser_b;

	fixture_exec(h.fx.db, "ALTER TABLE event_partners RENAME TO event_partners_away");
	subscribe(&w, &st, "[\"event:1\",\"event:2\"]");
	expect_text(answers_of(&w, &st),
		    "[{\"type\":\"refused\",\"topic\":\"event:1\",\"code\":\"unavailable\"},"
		    "{\"type\":\"subscribed\",\"topic\":\"event:2\"}]");
	assert_int_equal(st.n_topics, 1);
	fixture_exec(h.fx.db, "ALTER TABLE event_partners_away RENAME TO event_partners");
	subscribe(&w, &st, "[\"event:1\"]");
	expect_text(answers_of(&w, &st), "[{\"type\":\"subscribed\",\"topic\":\"event:1\"}]");
	assert_int_equal(st.n_topics, 2);

	/* no longer a partner, and the database cannot tell when the change comes */
	fixture_exec(
	    h.fx.db,
	    "DELETE FROM event_partners WHERE event_id = 1;"
	    "INSERT INTO change_log (topic, kind, org_id, payload, created_at) VALUES ('event:1', "
	    "'event.updated', 1, json_object('event_id', 1, 'sequence', 1, 'status', 'scheduled'), 0);"
	    "ALTER TABLE event_partners RENAME TO event_partners_away");
	fill_all(&w);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(api_live_next(&h.app, &w, &st, &out), 0);
		assert_true(api_live_pending(&w, &st));
		assert_int_equal(st.last, w.base);
	}
	fixture_exec(h.fx.db, "ALTER TABLE event_partners_away RENAME TO event_partners");
	/* the change goes on being judged: refused, and nothing of it */
	assert_int_equal(api_live_next(&h.app, &w, &st, &out), 0);
	expect_text(answers_of(&w, &st),
		    "[{\"type\":\"refused\",\"topic\":\"event:1\",\"code\":\"not_found\"}]");
	assert_int_equal(st.last, w.head);
	assert_int_equal(api_live_next(&h.app, &w, &st, &out), 0);
	api_live_release(&st);
	api_live_window_free(&w);
}

static void topic_names(void **state)
{
	static const struct {
		const char *name;
		int ok;
		enum live_topic_kind kind;
		int64_t id;
	} cases[] = {
	    {"event:7", 0, LIVE_TOPIC_EVENT, 7},
	    {"org:3", 0, LIVE_TOPIC_ORG, 3},
	    {"session:12", 0, LIVE_TOPIC_SESSION, 12},
	    {"me", 0, LIVE_TOPIC_ME, 0},
	    {"event:", -1, 0, 0},
	    {"event:07", -1, 0, 0},
	    {"event:-1", -1, 0, 0},
	    {"event:1x", -1, 0, 0},
	    {"venue:1", -1, 0, 0},
	    {"", -1, 0, 0},
	    {"event:1234567890123456789", -1, 0, 0},
	    {"ME", -1, 0, 0},
	};
	struct live_topic t;
	char name[LIVE_TOPIC_NAME];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(live_topic_parse(cases[i].name, &t), cases[i].ok);
		if (cases[i].ok)
			continue;
		assert_int_equal(t.kind, cases[i].kind);
		assert_int_equal(t.id, cases[i].id);
		live_topic_name(&t, name);
		assert_string_equal(name, cases[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(window_batches_in_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(replay_and_resync, setup, teardown),
	    cmocka_unit_test_setup_teardown(me_once_per_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(topic_unavailable, setup, teardown),
	    cmocka_unit_test(topic_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
