/* fuzz_message: the mail of a notification built from arbitrary names, titles, organisation names and
 * addresses — every header line stays ASCII, at most 78 characters (998 with an address, which cannot be
 * folded), and is one of the headers the
 * builder writes or a folded continuation: no input can add a header. libFuzzer target; also replayed
 * over its corpus by CTest (fuzz/replay.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next field of the input (up to a NUL byte), as a new string; "" at the end. */
static char *fuzz_field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *start = *p, *nul = memchr(start, 0, (size_t)(end - start));
	size_t n = nul ? (size_t)(nul - start) : (size_t)(end - start);
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, start, n);
	s[n] = '\0';
	*p = nul ? nul + 1 : end;
	return s;
}

static void fuzz_check_headers(const char *msg)
{
	static const char *const names[] = {"From: ",
					    "To: ",
					    "Reply-To: ",
					    "Subject: ",
					    "Date: ",
					    "Message-ID: ",
					    "MIME-Version: ",
					    "Auto-Submitted: ",
					    "Content-Language: ",
					    "Content-Type: ",
					    "Content-Transfer-Encoding: ",
					    " ",
					    NULL};
	const char *end = strstr(msg, "\r\n\r\n"), *line = msg;

	if (!end)
		abort();
	while (line <= end) {
		const char *eol = strstr(line, "\r\n");
		int known = 0;

		/* 78 at most, but an address cannot be folded: a line holding one may reach RFC 5322's 998 */
		if (eol - line > 998 || (eol - line > 78 && !memchr(line, '<', (size_t)(eol - line))))
			abort();
		for (const char *c = line; c < eol; c++) {
			if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
				abort();
		}
		for (int i = 0; names[i]; i++)
			known |= !strncmp(line, names[i], strlen(names[i]));
		if (!known)
			abort();
		line = eol + 2;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct message_env env = {"noreply@majlis.example.org", "majlis.example.org",
					       1795000000};
	const uint8_t *p = data, *end = data + size;
	struct outbox_msg m;
	struct buf out;

	memset(&m, 0, sizeof(m));
	m.id = 7;
	m.lang = size ? (enum feed_lang)(data[0] % FEED_N_LANGS) : FEED_LANG_FR;
	snprintf(m.kind, sizeof(m.kind), "%s",
		 size > 1 && data[1] & 1 ? "event.cancelled" : "registration.confirmed");
	m.to = strdup("person@example.org");
	m.to_name = fuzz_field(&p, end);
	m.event.title = fuzz_field(&p, end);
	m.event.org_name = fuzz_field(&p, end);
	m.event.org_email = fuzz_field(&p, end);
	m.event.where = fuzz_field(&p, end);
	buf_init(&m.event.when, 4096);
	buf_init(&m.ics, 65536);
	buf_append(&m.ics, p, (size_t)(end - p));
	buf_init(&out, MESSAGE_MAX);
	if (!message_build(&m, &env, &out))
		fuzz_check_headers(out.data);
	buf_free(&out);
	outbox_msg_free(&m);
	return 0;
}
