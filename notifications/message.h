/*
 * message: writes the e-mail (RFC 5322 + MIME) of one outbox message in the recipient's language, with
 * the event's calendar attached; it sends nothing and reads no database.
 */
#ifndef MAJLIS_NOTIFICATIONS_MESSAGE_H
#define MAJLIS_NOTIFICATIONS_MESSAGE_H

#include <stdint.h>

#include "domain/outbox.h"
#include "util/buf.h"

#define MESSAGE_MAX (8 * 1024 * 1024) /* a whole message, attachment included */

/* What every message of this server shares. Strings borrowed. */
struct message_env {
	const char *from;   /* sender address (validated) */
	const char *domain; /* right-hand side of Message-IDs (the calendar domain) */
	int64_t now;	    /* Date: */
};

/* The subject and the plain-text body of m in its language (UTF-8, LF line ends), appended to subject
 * and body. Returns 0 or -1 (a buffer's maximum). Any thread. */
int message_text(const struct outbox_msg *m, struct buf *subject, struct buf *body);

/* The whole message of m (CRLF line ends, every header value ASCII: non-ASCII text is RFC 2047
 * encoded, bodies base64), appended to out. Returns 0 or -1. Any thread. */
int message_build(const struct outbox_msg *m, const struct message_env *env, struct buf *out);

#endif
