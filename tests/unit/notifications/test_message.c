/*
 * test_message: the mails of notifications/message — words by language, RFC 2047 headers that stay
 * ASCII and folded, no header injection through names, and base64 bodies; it sends nothing.
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

#include "message.h"

static const struct message_env env = {"noreply@majlis.example.org", "majlis.example.org", 1795000000};

/* A message about an event with one session, to name, of kind in lang. Caller frees. */
static void msg_init(struct outbox_msg *m, const char *kind, enum feed_lang lang, const char *name,
		     const char *title, const char *org)
{
	memset(m, 0, sizeof(*m));
	m->id = 42;
	snprintf(m->kind, sizeof(m->kind), "%s", kind);
	m->lang = lang;
	m->to = strdup("person@example.org");
	m->to_name = name ? strdup(name) : NULL;
	m->event.title = strdup(title);
	m->event.org_name = org ? strdup(org) : NULL;
	buf_init(&m->event.when, 4096);
	buf_puts(&m->event.when, "Début : 2026-10-15 10:00, heure du Maroc, UTC+0\n");
	buf_init(&m->ics, 1 << 20);
}

/* The header block of a built message (up to the first empty line), NUL-terminated; caller frees. */
static char *headers_of(const struct buf *b)
{
	const char *end = strstr(b->data, "\r\n\r\n");

	assert_non_null(end);
	return strndup(b->data, (size_t)(end - b->data) + 2);
}

static void check_headers(const char *h)
{
	const char *line = h;

	for (const char *p = h; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	while (*line) {
		const char *eol = strstr(line, "\r\n");

		assert_non_null(eol);
		assert_true(eol - line <= 78);
		line = eol + 2;
	}
}

static void test_french_confirmation_text(void **state)
{
	struct outbox_msg m;
	struct buf subject, body;

	(void)state;
	msg_init(&m, "registration.confirmed", FEED_LANG_FR, "Fatima Zahra", "Formation comptabilité",
		 "Amal");
	m.link = strdup("https://majlis.example.org/r/abc");
	buf_init(&subject, 4096);
	buf_init(&body, 65536);
	assert_int_equal(message_text(&m, &subject, &body), 0);
	assert_string_equal(subject.data, "Inscription confirmée : Formation comptabilité");
	assert_non_null(
	    strstr(body.data,
		   "Bonjour Fatima Zahra,\n\nVotre inscription à « Formation comptabilité » est confirmée."));
	assert_non_null(strstr(body.data, "heure du Maroc"));
	assert_non_null(strstr(body.data, "https://majlis.example.org/r/abc"));
	assert_null(strstr(body.data, "remplace"));
	assert_non_null(strstr(body.data, "Amal, via Majlis"));
	buf_free(&subject);
	buf_free(&body);
	outbox_msg_free(&m);
}

static void test_unknown_kind_and_english(void **state)
{
	struct outbox_msg m;
	struct buf subject, body;

	(void)state;
	msg_init(&m, "something.new", FEED_LANG_EN, NULL, "Workshop", NULL);
	buf_init(&subject, 4096);
	buf_init(&body, 65536);
	assert_int_equal(message_text(&m, &subject, &body), 0);
	assert_string_equal(subject.data, "Update: Workshop");
	assert_true(strncmp(body.data, "Hello,\n\nNews about \"Workshop\".", 30) == 0);
	assert_non_null(strstr(body.data, "Majlis, via Majlis"));
	buf_free(&subject);
	buf_free(&body);
	outbox_msg_free(&m);
}

static void test_arabic_headers_are_encoded_and_folded(void **state)
{
	struct outbox_msg m;
	struct buf out;
	char *h;

	(void)state;
	msg_init(&m, "session.time_changed", FEED_LANG_AR, "أمينة بنت عبد الرحمن الإدريسي",
		 "تكوين في المحاسبة وتسيير المقاولات الصغيرة جدا لفائدة المهاجرين", "جمعية الأمل");
	buf_init(&out, MESSAGE_MAX);
	assert_int_equal(message_build(&m, &env, &out), 0);
	h = headers_of(&out);
	check_headers(h);
	assert_non_null(strstr(h, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(h, "\r\n =?UTF-8?B?")); /* the long subject continues on folded lines */
	assert_non_null(strstr(h, "Content-Language: ar\r\n"));
	assert_non_null(strstr(h, "Message-ID: <outbox-42@majlis.example.org>\r\n"));
	assert_non_null(strstr(h, "Content-Type: text/plain; charset=utf-8\r\n"));
	free(h);
	buf_free(&out);
	outbox_msg_free(&m);
}

static void test_names_cannot_inject_headers(void **state)
{
	struct outbox_msg m;
	struct buf out;
	char *h;

	(void)state;
	msg_init(&m, "registration.confirmed", FEED_LANG_FR, "Eve\r\nBcc: victim@example.org",
		 "Titre\r\nX-Evil: 1", "Association A, Rabat");
	buf_init(&out, MESSAGE_MAX);
	assert_int_equal(message_build(&m, &env, &out), 0);
	h = headers_of(&out);
	check_headers(h);
	assert_null(strstr(h, "\r\nBcc:"));
	assert_null(strstr(h, "\r\nX-Evil:"));
	assert_null(strstr(h, "A, Rabat")); /* a comma in a display name would split the address list */
	free(h);
	buf_free(&out);
	outbox_msg_free(&m);

	msg_init(&m, "registration.confirmed", FEED_LANG_FR, "Eve", "Titre", NULL);
	free(m.to);
	m.to = strdup("a@example.org>\r\nBcc: <b@example.org");
	buf_init(&out, MESSAGE_MAX);
	assert_int_equal(message_build(&m, &env, &out), -1);
	buf_free(&out);
	outbox_msg_free(&m);
}

static void test_calendar_attachment_is_base64_in_short_lines(void **state)
{
	struct outbox_msg m;
	struct buf out;
	const char *cal, *line;

	(void)state;
	msg_init(&m, "registration.confirmed", FEED_LANG_FR, "Fatima", "Formation", "Amal");
	for (int i = 0; i < 200; i++)
		buf_puts(&m.ics, "BEGIN:VEVENT\r\nSUMMARY:Formation comptabilité\r\nEND:VEVENT\r\n");
	buf_init(&out, MESSAGE_MAX);
	assert_int_equal(message_build(&m, &env, &out), 0);
	assert_non_null(strstr(out.data, "Content-Type: multipart/mixed; boundary=\"=_majlis_42_"));
	cal = strstr(out.data, "Content-Type: text/calendar; charset=utf-8; method=PUBLISH");
	assert_non_null(cal);
	cal = strstr(cal, "\r\n\r\n") + 4;
	for (line = cal; strncmp(line, "--=_majlis_", 11); line = strstr(line, "\r\n") + 2) {
		const char *eol = strstr(line, "\r\n");

		assert_true(eol - line <= 76);
		assert_true(
		    strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
		    (size_t)(eol - line));
	}
	assert_non_null(strstr(line, "--\r\n"));
	buf_free(&out);
	outbox_msg_free(&m);
}

static void test_replies_go_to_the_organisers(void **state)
{
	struct outbox_msg m;
	struct buf out;
	char *h;

	(void)state;
	msg_init(&m, "registration.confirmed", FEED_LANG_EN, "Fatima", "Workshop", "Amal");
	m.event.org_email = strdup("contact@amal.example.org");
	buf_init(&out, MESSAGE_MAX);
	assert_int_equal(message_build(&m, &env, &out), 0);
	h = headers_of(&out);
	assert_non_null(strstr(h, "\r\nReply-To: <contact@amal.example.org>\r\n"));
	free(h);
	buf_free(&out);
	free(m.event.org_email);
	m.event.org_email = strdup("x@example.org>\r\nBcc: <victim@example.org");
	buf_init(&out, MESSAGE_MAX);
	assert_int_equal(message_build(&m, &env, &out), 0);
	h = headers_of(&out);
	assert_null(strstr(h, "Reply-To"));
	assert_null(strstr(h, "Bcc"));
	free(h);
	buf_free(&out);
	outbox_msg_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_french_confirmation_text),
	    cmocka_unit_test(test_unknown_kind_and_english),
	    cmocka_unit_test(test_arabic_headers_are_encoded_and_folded),
	    cmocka_unit_test(test_names_cannot_inject_headers),
	    cmocka_unit_test(test_calendar_attachment_is_base64_in_short_lines),
	    cmocka_unit_test(test_replies_go_to_the_organisers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
