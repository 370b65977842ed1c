/* request: response buffers and query/cookie parsing for handlers; no sockets here. */
#include "api/request.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"
#include "util/text.h"

void response_init(struct response *r)
{
	/* every field but the header slots, which n_headers bounds (cheaper than clearing 4 KiB per request)
	 */
	r->status = 200;
	r->content_type = "application/json";
	buf_init(&r->body, 64 * 1024 * 1024);
	r->n_headers = 0;
	r->close = false;
	r->defer = NULL;
	r->shared = NULL;
	r->shared_len = 0;
	r->release = NULL;
	r->shared_ctx = NULL;
	r->shared_headroom = 0;
	r->shared_fd = -1;
}

void response_free(struct response *r)
{
	buf_free(&r->body);
	if (r->defer)
		r->defer->release(r->defer);
	r->defer = NULL;
	if (r->release)
		r->release(r->shared_ctx);
	r->release = NULL;
	r->shared = NULL;
}

bool response_has_header(const struct response *r, const char *name)
{
	for (int i = 0; i < r->n_headers; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return true;
	return false;
}

int response_header(struct response *r, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);

	if (r->n_headers >= HTTP_EXTRA_HEADERS || nl >= sizeof(r->headers[0].name) ||
	    vl >= sizeof(r->headers[0].value)) {
		log_err("cannot add header %s", name);
		return -1;
	}
	memcpy(r->headers[r->n_headers].name, name, nl + 1);
	memcpy(r->headers[r->n_headers].value, value, vl + 1);
	r->n_headers++;
	return 0;
}

/* Decodes [s, s+n) (application/x-www-form-urlencoded) into out. 0 or -1. */
static int http_decode(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = text_hex_digit(s[i + 1]);
			lo = text_hex_digit(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (strlen(out) != o || !text_utf8_valid(out, o))
		return -1;
	return 0;
}

int request_query(const struct request *req, const char *key, char *out, size_t outlen)
{
	const char *q = req->query;
	size_t kl = strlen(key);

	while (*q) {
		const char *amp = strchr(q, '&');
		const char *end = amp ? amp : q + strlen(q);
		const char *eq = memchr(q, '=', (size_t)(end - q));
		const char *kend = eq ? eq : end;

		if ((size_t)(kend - q) == kl && !memcmp(q, key, kl)) {
			if (!eq) {
				if (outlen)
					out[0] = '\0';
				return 1;
			}
			return http_decode(eq + 1, (size_t)(end - eq - 1), out, outlen) ? -1 : 1;
		}
		q = amp ? amp + 1 : end;
	}
	return 0;
}

int request_cookie(const struct request *req, const char *name, char *out, size_t outlen)
{
	const char *c = req->cookie;
	size_t nl = strlen(name);

	while (*c) {
		const char *semi, *end, *eq;

		while (*c == ' ')
			c++;
		semi = strchr(c, ';');
		end = semi ? semi : c + strlen(c);
		eq = memchr(c, '=', (size_t)(end - c));
		if (eq && (size_t)(eq - c) == nl && !memcmp(c, name, nl)) {
			size_t vl = (size_t)(end - eq - 1);

			if (vl >= outlen)
				return 0;
			memcpy(out, eq + 1, vl);
			out[vl] = '\0';
			return 1;
		}
		c = semi ? semi + 1 : end;
	}
	return 0;
}

const char *http_method_name(enum http_method m)
{
	static const char *const names[] = {"GET",   "HEAD",   "POST",	  "PUT",
					    "PATCH", "DELETE", "OPTIONS", "OTHER"};

	return names[m];
}
