/*
 * smtp: one message to the mail server through libcurl; see smtp.h. It must not log addresses or
 * message text, nor keep the server's reply text (it may quote the address).
 */
#include "smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

/* The message being uploaded. One per transfer, on the worker's stack. */
struct smtp_upload {
	const char *data;
	size_t len, at;
	smtp_abort_fn abort_fn;
	void *abort_arg;
};

static size_t smtp_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct smtp_upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->len - u->at)
		n = u->len - u->at;
	memcpy(dst, u->data + u->at, n);
	u->at += n;
	return n;
}

static int smtp_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct smtp_upload *u = arg;

	(void)dt, (void)dn, (void)ut, (void)un;
	return u->abort_fn && u->abort_fn(u->abort_arg) ? 1 : 0;
}

enum smtp_result smtp_send(const struct config *cfg, const char *from, const char *to, const char *msg,
			   size_t len, smtp_abort_fn abort_fn, void *abort_arg, char *why, size_t whylen)
{
	struct smtp_upload u = {msg, len, 0, abort_fn, abort_arg};
	struct curl_slist *rcpt = NULL;
	char addr[300];
	enum smtp_result res;
	long code = 0;
	CURLcode rc;
	CURL *c;

	snprintf(why, whylen, "%s", "");
	c = curl_easy_init();
	snprintf(addr, sizeof(addr), "<%s>", to);
	rcpt = c ? curl_slist_append(NULL, addr) : NULL;
	if (!c || !rcpt) {
		snprintf(why, whylen, "out of memory");
		curl_slist_free_all(rcpt);
		curl_easy_cleanup(c);
		return SMTP_TEMPORARY;
	}
	snprintf(addr, sizeof(addr), "<%s>", from);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, smtp_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &u);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	/* STARTTLS whenever the server offers it on smtp://; smtps:// is TLS from the start */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (cfg->smtp_user[0]) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK) {
		res = SMTP_SENT;
	} else {
		res = code >= 500 && code < 600 ? SMTP_PERMANENT : SMTP_TEMPORARY;
		if (code)
			snprintf(why, whylen, "%s (SMTP %ld)", curl_easy_strerror(rc), code);
		else
			snprintf(why, whylen, "%s", curl_easy_strerror(rc));
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return res;
}
