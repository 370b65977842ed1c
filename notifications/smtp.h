/*
 * smtp: hands one finished message to the configured mail server through libcurl; the only code that
 * talks SMTP. It blocks for the length of a transfer, so only the notifications worker calls it.
 */
#ifndef MAJLIS_NOTIFICATIONS_SMTP_H
#define MAJLIS_NOTIFICATIONS_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

enum smtp_result {
	SMTP_SENT = 0,	/* the server accepted the message */
	SMTP_TEMPORARY, /* try again later: no connection, timeout, 4xx, aborted */
	SMTP_PERMANENT	/* the server refused it for good (5xx) */
};

/* Whether a running transfer must stop (checked about once a second, given abort_arg); NULL: never. */
typedef bool (*smtp_abort_fn)(void *arg);

/* Sends msg (len bytes, CRLF lines) from cfg's sender to the address to through cfg->smtp_url. why
 * receives a reason without personal data (libcurl's error and the SMTP code). Notifications worker. */
enum smtp_result smtp_send(const struct config *cfg, const char *from, const char *to, const char *msg,
			   size_t len, smtp_abort_fn abort_fn, void *abort_arg, char *why, size_t whylen);

#endif
