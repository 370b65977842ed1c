/*
 * transport/http_write: writes an answer's header block (and the 304 fast path) and its body by the
 * strategy its connection allows — sendfile()/send() on plain HTTP/1, lws_write on TLS, paced DATA frames
 * on HTTP/2; it decides nothing about what is answered or when a connection ends.
 */
#include "transport/http.h"
#include "transport/http_conn.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

#define HTTP_CHUNK (32 * 1024) /* bytes written per WRITEABLE callback; fits pt_serv_buf_size */
/* The same for a body sent from shared bytes through lws_write (TLS): what lws_write cannot send at once
 * it copies, so a piece stays near what a socket takes (measured in bench/: 64 KiB best, 256 KiB worst). */
#define HTTP_DIRECT_CHUNK (64 * 1024)
/* The same for a shared file sent straight to a plain socket: sendfile() takes what fits, nothing is
 * copied in user space. */
#define HTTP_SEND_MAX (1024 * 1024)
#define HTTP_H2_FRAME 16384 /* the DATA frame size every HTTP/2 peer accepts */

/*
 * The security headers every answer carries, in the order lws writes them (the vhost's canned headers,
 * main.c's info.headers). They were lws 4.1's "security best practices" option; that option's policy says
 * default-src 'none' and nothing for manifests, so a browser refused the personal page's web app manifest.
 * The policy stays as strict: no inline script or style, nothing from another origin; only the manifest
 * (manifest-src) and the service worker (worker-src, which would fall back to script-src) are named.
 */
#define HTTP_CSP                                                                                             \
	"default-src 'none'; img-src 'self' data:; script-src 'self'; style-src 'self'; font-src 'self'; "   \
	"connect-src 'self' ws: wss:; manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; "      \
	"base-uri 'none'; form-action 'self'"
#define HTTP_NOSNIFF  "nosniff"
#define HTTP_XSS      "1; mode=block"
#define HTTP_FRAMES   "deny"
#define HTTP_REFERRER "no-referrer"

static const struct lws_protocol_vhost_options http_security_headers[] = {
    {&http_security_headers[1], NULL, "content-security-policy:", HTTP_CSP},
    {&http_security_headers[2], NULL, "x-content-type-options:", HTTP_NOSNIFF},
    {&http_security_headers[3], NULL, "x-xss-protection:", HTTP_XSS},
    {&http_security_headers[4], NULL, "x-frame-options:", HTTP_FRAMES},
    {NULL, NULL, "referrer-policy:", HTTP_REFERRER},
};

const struct lws_protocol_vhost_options *const transport_http_headers = http_security_headers;

/* What lws writes in front of every HTTP/1 answer's own headers for a 304 (lws_add_http_header_status with
 * the headers above), byte for byte: the revalidation path writes it with one copy instead of six calls
 * into lws (each a byte loop over the name). */
static const char http_head_304_h1[] = "HTTP/1.1 304 Not Modified\r\n"
				       "content-security-policy: " HTTP_CSP "\r\n"
				       "x-content-type-options: " HTTP_NOSNIFF "\r\n"
				       "x-xss-protection: " HTTP_XSS "\r\n"
				       "x-frame-options: " HTTP_FRAMES "\r\n"
				       "referrer-policy: " HTTP_REFERRER "\r\n";

/* Appends n bytes of s at *p. Returns 0, or -1 when they do not fit before end. */
static int http_head_put(unsigned char **p, const unsigned char *end, const char *s, size_t n)
{
	if ((size_t)(end - *p) < n)
		return -1;
	memcpy(*p, s, n);
	*p += n;
	return 0;
}

/* The whole header block of a 304 on HTTP/1 (the same bytes lws's calls would give), from *p. */
static int http_head_304(const struct response *r, unsigned char **p, const unsigned char *end)
{
	int rc = http_head_put(p, end, http_head_304_h1, sizeof(http_head_304_h1) - 1);

	for (int i = 0; i < r->n_headers && !rc; i++) {
		rc = http_head_put(p, end, r->headers[i].name, strlen(r->headers[i].name));
		rc = rc ? rc : http_head_put(p, end, ": ", 2);
		rc = rc ? rc : http_head_put(p, end, r->headers[i].value, strlen(r->headers[i].value));
		rc = rc ? rc : http_head_put(p, end, "\r\n", 2);
	}
	if (!rc && !strcmp(r->content_type, "application/json") && !response_has_header(r, "Cache-Control"))
		rc = http_head_put(p, end, "cache-control: no-store\r\n", 25);
	if (!rc && r->close)
		rc = http_head_put(p, end, "connection: close\r\n", 19);
	return rc ? rc : http_head_put(p, end, "\r\n", 2);
}

/* Adds a response's own headers (r->headers) to the block being built at *p through lws. 0 or -1. */
static int http_add_headers(struct lws *wsi, const struct response *r, unsigned char **p, unsigned char *end)
{
	for (int i = 0; i < r->n_headers; i++) {
		char name[sizeof(r->headers[0].name) + 1];
		size_t nl = strlen(r->headers[i].name);

		memcpy(name, r->headers[i].name, nl);
		memcpy(name + nl, ":", 2);
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)name,
						(const unsigned char *)r->headers[i].value,
						(int)strlen(r->headers[i].value), p, end))
			return -1;
	}
	return 0;
}

/* Builds the header block and hands it to lws, or with own set keeps it in c->head for the transport to
 * send itself just before the body (plain HTTP/1, see http_write_next). */
static int http_write_headers(struct http_conn *c, bool own)
{
	unsigned char *start = c->head + LWS_PRE, *p = start, *end = c->head + sizeof(c->head) - 1;
	struct response *r = &c->resp;
	size_t len = r->shared ? r->shared_len : r->body.len;

	if (r->status == 304 && !http_is_h2(c)) {
		if (http_head_304(r, &p, end) ||
		    lws_write(c->wsi, start, (size_t)(p - start), LWS_WRITE_HTTP_HEADERS) != (int)(p - start))
			return -1;
		c->headers_sent = true;
		return 0;
	}
	if (r->status == 204 || r->status == 304) {
		/* bodiless by definition: no length and no type; lws_add_http_common_headers would add
		 * "connection: close" for a missing length and every revalidation would cost a new connection
		 */
		if (lws_add_http_header_status(c->wsi, (unsigned int)r->status, &p, end))
			return -1;
	} else if (lws_add_http_common_headers(c->wsi, (unsigned int)r->status, r->content_type, len, &p,
					       end)) {
		return -1;
	}
	if (http_add_headers(c->wsi, r, &p, end))
		return -1;
	/* the security headers (http_security_headers) come from the vhost's canned headers */
	/* JSON may carry personal data: never cached, unless the handler chose its own policy */
	if (!strcmp(r->content_type, "application/json") && !response_has_header(r, "Cache-Control") &&
	    lws_add_http_header_by_name(c->wsi, (const unsigned char *)"cache-control:",
					(const unsigned char *)"no-store", 8, &p, end))
		return -1;
	if (r->close && !http_is_h2(c) &&
	    lws_add_http_header_by_name(
		c->wsi, (const unsigned char *)"connection:", (const unsigned char *)"close", 5, &p, end))
		return -1;
	if (own) {
		if (lws_finalize_http_header(c->wsi, &p, end))
			return -1;
		c->head_len = (size_t)(p - start);
		c->head_sent = 0;
	} else if (http_is_h2(c) && (c->head_only || r->status == 204 || r->status == 304 || len == 0)) {
		/* no DATA frame follows: the HEADERS frame ends the stream, or the client waits for its end
		 */
		if (lws_finalize_http_header(c->wsi, &p, end) ||
		    lws_write(c->wsi, start, (size_t)(p - start),
			      LWS_WRITE_HTTP_HEADERS | LWS_WRITE_H2_STREAM_END) != (int)(p - start))
			return -1;
	} else if (lws_finalize_write_http_header(c->wsi, start, &p, end)) {
		return -1;
	}
	c->headers_sent = true;
	return 0;
}

/* Whether the body may be written from the shared bytes without a copy: they carry LWS_PRE bytes of
 * headroom and the connection is HTTP/1 (an h2 stream would write its frame header in front of each
 * piece, that is into bytes of the shared body). */
static bool http_direct(const struct http_conn *c)
{
	return c->resp.shared && c->resp.shared_headroom >= LWS_PRE && lws_get_network_wsi(c->wsi) == c->wsi;
}

int http_write_next(struct http_conn *c)
{
	unsigned char chunk[LWS_PRE + HTTP_CHUNK];
	const char *data = c->resp.shared ? c->resp.shared : c->resp.body.data;
	size_t len = c->resp.shared ? c->resp.shared_len : c->resp.body.len;
	size_t n;
	bool done, plain;

	if (lws_partial_buffered(c->wsi)) {
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	plain = !lws_is_ssl(c->wsi) && !http_is_h2(c);
	if (!c->headers_sent) {
		bool bodiless = c->head_only || c->resp.status == 204 || c->resp.status == 304;

		if (http_write_headers(c, plain && !bodiless && len > 0))
			return -1;
		if (bodiless)
			c->sent = len;
		if (c->sent < len && !plain) {
			lws_callback_on_writable(c->wsi);
			return 0;
		}
	}
	if (c->sent < len && plain) {
		/* plain HTTP/1: the headers (still ours) go out marked "more", so that the kernel packs them
		 * with the body into full segments, and the body by sendfile() from a shared file (else by
		 * send() from memory), as much as the socket takes; the rest waits for the next WRITEABLE.
		 * Nothing is copied in user space (and a lone header segment per answer cost a third of the
		 * throughput); HTTP/1 keeps no per-write state in lws. An answer the socket takes at once
		 * leaves in this one callback: where lws does not mark the connection as in a transaction
		 * (a POST with Content-Length: 0), it gets no pass in which to parse a pipelined request
		 * between the headers and the body (see LWS_CALLBACK_FILTER_HTTP_CONNECTION). */
		int fd = lws_get_socket_fd(c->wsi);
		ssize_t w;

		if (c->head_sent < c->head_len) {
			w = send(fd, c->head + LWS_PRE + c->head_sent, c->head_len - c->head_sent,
				 MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE);
			if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				return -1;
			if (w > 0) {
				c->head_sent += (size_t)w;
				conn_watch_as(&c->pss->watch, c->wsi, CONN_WATCH_SEND);
			}
			if (c->head_sent < c->head_len) {
				lws_callback_on_writable(c->wsi);
				return 0;
			}
		}
		off_t off = (off_t)(c->resp.shared_headroom + c->sent);

		n = len - c->sent < HTTP_SEND_MAX ? len - c->sent : HTTP_SEND_MAX;
		if (c->resp.shared && c->resp.shared_fd >= 0)
			w = sendfile(fd, c->resp.shared_fd, &off, n);
		else
			w = send(fd, data + c->sent, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if ((w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) || w == 0)
			return -1; /* w == 0: the file is shorter than the answer, which must not happen */
		if (w > 0) {
			c->sent += (size_t)w;
			conn_watch_as(&c->pss->watch, c->wsi, CONN_WATCH_SEND);
		}
		if (c->sent < len) {
			lws_callback_on_writable(c->wsi);
			return 0;
		}
	} else if (c->sent < len) {
		/* TLS on HTTP/1: straight from the shared bytes (lws_write hands them to the TLS layer, or
		 * copies what it did not take, and writes nothing in front of them, so the bytes other
		 * responses are sending stay intact); otherwise through a copy with LWS_PRE headroom */
		bool direct = http_direct(c);
		size_t max = direct ? HTTP_DIRECT_CHUNK : HTTP_CHUNK;
		unsigned char *src = direct ? (unsigned char *)(uintptr_t)(data + c->sent) : chunk + LWS_PRE;

		n = len - c->sent < max ? len - c->sent : max;
		if (http_is_h2(c)) {
			/* one DATA frame within the peer's window (16 KiB is every peer's minimum frame size)
			 */
			lws_fileofs_t allow = lws_get_peer_write_allowance(c->wsi);

			if (n > HTTP_H2_FRAME)
				n = HTTP_H2_FRAME;
			if (allow == 0) {
				lws_callback_on_writable(c->wsi);
				return 0;
			}
			if (allow > 0 && (lws_fileofs_t)n > allow)
				n = (size_t)allow;
		}
		done = c->sent + n == len;
		if (!direct)
			memcpy(chunk + LWS_PRE, data + c->sent, n);
		if (lws_write(c->wsi, src, n, done ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
			return -1;
		c->sent += n;
		conn_watch_as(&c->pss->watch, c->wsi, CONN_WATCH_SEND);
		if (!done) {
			lws_callback_on_writable(c->wsi);
			return 0;
		}
	}
	return 1;
}

int transport_http_answer_now(struct lws *wsi, const struct response *r)
{
	unsigned char buf[LWS_PRE + 4096], body[LWS_PRE + 1024];
	unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + sizeof(buf) - 1;
	bool h2 = lws_get_network_wsi(wsi) != wsi;
	size_t len = r->body.len;
	int n;

	if (lws_add_http_common_headers(wsi, (unsigned int)r->status, r->content_type, len, &p, end))
		return -1;
	if (http_add_headers(wsi, r, &p, end))
		return -1;
	if (lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
					(const unsigned char *)"no-store", 8, &p, end) ||
	    (!h2 && lws_add_http_header_by_name(wsi, (const unsigned char *)"connection:",
						(const unsigned char *)"close", 5, &p, end)) ||
	    lws_finalize_http_header(wsi, &p, end) || (size_t)(end - p) < len || len > sizeof(body) - LWS_PRE)
		return -1;
	if (h2) {
		/* an HTTP/2 stream: a HEADERS frame, then the body in a DATA frame that ends the stream */
		n = (int)(p - start);
		if (lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP_HEADERS) != n)
			return -1;
		memcpy(body + LWS_PRE, r->body.data, len);
		return lws_write(wsi, body + LWS_PRE, len, LWS_WRITE_HTTP_FINAL) == (int)len ? 0 : -1;
	}
	if (len) {
		memcpy(p, r->body.data, len);
		p += len;
	}
	/* one write: what the socket does not take now, lws keeps and sends before it closes or goes on */
	n = (int)(p - start);
	return lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP_HEADERS) == n ? 0 : -1;
}
