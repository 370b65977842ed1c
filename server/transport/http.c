/*
 * transport/http: the HTTP protocol callback — the transaction pool, bounded request collection (headers,
 * query, body with size and time limits) and dispatch to the static files or the router; answers are
 * written from WRITEABLE callbacks (http_write.c), connections timed by conn_watch.c, and whether another
 * request waits for the loop (transport_http_waiting, for the live fan-out); it never interprets a request
 * itself.
 */
#include "transport/http.h"
#include "transport/accept.h"
#include "transport/conn_watch.h"
#include "transport/http_conn.h"
#include "transport/live.h"
#include "transport/static.h"
#include "transport/transport.h"
#include "transport/wake.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/app.h"
#include "api/errors.h"
#include "api/request.h"
#include "api/router.h"
#include "util/chunked.h"
#include "util/log.h"
#include "util/text.h"

/* What is read and dropped after an early answer before the connection (or HTTP/2 stream) is closed:
 * closing with request bytes still arriving makes the kernel reset the connection, and the client may
 * lose the answer it has not read yet (over HTTP/2 lws also tears down the whole connection). */
#define HTTP_DISCARD_MAX (16 * 1024 * 1024)

#define HTTP_SPARE_MAX                                                                                       \
	256 /* transactions kept for reuse (~14 KiB each): a busy server keeps many in flight */
void transport_init(struct transport *t, struct app *app)
{
	memset(t, 0, sizeof(*t));
	t->app = app;
	t->files.rootfd = -1;
	t->http.waiting_ep = -1;
	wake_init(&t->wake);
}

void transport_http_drain(struct transport *t)
{
	t->http.draining = true;
}

int transport_http_active(const struct transport *t)
{
	return t->http.active;
}

/* The answer of c has left, or will never leave: the fan-out of the change it committed, which waited
 * for it (transport_live_unhold), starts. */
static void http_fan_out(struct http_conn *c)
{
	if (!c->fan_waits)
		return;
	c->fan_waits = false;
	transport_live_answered(c->t);
}

/* Ends c's transaction: cancels what it waits for and frees what it holds; c is then as new except for
 * its request, which http_take clears. */
static void http_reset(struct http_conn *c)
{
	http_fan_out(c);
	lws_sul_cancel(&c->body_timer);
	lws_sul_cancel(&c->hold_timer);
	if (c->wake_handle) {
		wake_forget(c->wake_handle); /* the job is released when it comes back */
		c->wake_handle = NULL;
		c->resp.defer = NULL;
	}
	if (c->resp_live)
		response_free(&c->resp);
	buf_free(&c->body);
	if (c->state != HTTP_IDLE)
		c->t->http.active--;
	c->state = HTTP_IDLE;
	c->resp_live = false;
	c->headers_sent = false;
	c->head_only = false;
	c->head_len = 0;
	c->head_sent = 0;
	c->body_pending = false;
	c->linger = false;
	c->chunked = false;
	c->unframed = false;
	c->last = false;
	c->discarded = 0;
	c->sent = 0;
}

/* A transaction for the request whose headers just completed on pss's connection. */
static struct http_conn *http_take(struct http_pss *pss, struct lws *wsi)
{
	struct transport *t = transport_of(wsi);
	struct http_conn *c = t->http.spare;

	if (c) {
		t->http.spare = c->next_spare;
		t->http.n_spare--;
		c->next_spare = NULL;
		/* no field of an earlier request (credentials above all) may survive into this one */
		memset(&c->req, 0, sizeof(c->req));
	} else if (!(c = calloc(1, sizeof(*c)))) {
		return NULL;
	}
	c->t = t;
	c->pss = pss;
	c->wsi = wsi;
	pss->c = c;
	return c;
}

/* Ends the transaction on pss's connection, if any, and stops watching it. */
static void http_release(struct http_pss *pss)
{
	struct http_conn *c = pss->c;
	struct transport *t;

	conn_watch_remove(&pss->watch);
	if (!c)
		return;
	t = c->t;
	http_reset(c);
	pss->c = NULL;
	c->pss = NULL;
	if (!t->http.stopped && t->http.n_spare < HTTP_SPARE_MAX) {
		c->next_spare = t->http.spare;
		t->http.spare = c;
		t->http.n_spare++;
	} else {
		free(c);
	}
}

static void http_hdr(struct lws *wsi, enum lws_token_indexes t, char *dst, size_t n)
{
	dst[0] = '\0';
	if (lws_hdr_total_length(wsi, t) >= (int)n || lws_hdr_copy(wsi, dst, (int)n, t) < 0)
		dst[0] = '\0';
}

/* Copies a custom header; -1 when it is present but longer than dst can hold (the caller refuses the
 * request rather than act as if the header were absent). */
static int http_custom(struct lws *wsi, const char *name, char *dst, size_t n)
{
	int nl = (int)strlen(name);
	int len = lws_hdr_custom_length(wsi, name, nl);

	dst[0] = '\0';
	if (len <= 0)
		return 0;
	if (len >= (int)n || lws_hdr_custom_copy(wsi, dst, (int)n, name, nl) < 0) {
		dst[0] = '\0';
		return -1;
	}
	return 0;
}

void transport_http_credentials(struct lws *wsi, struct request *req)
{
	http_hdr(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, req->authorization, sizeof(req->authorization));
	http_hdr(wsi, WSI_TOKEN_HTTP_COOKIE, req->cookie, sizeof(req->cookie));
	http_hdr(wsi, WSI_TOKEN_ORIGIN, req->origin, sizeof(req->origin));
	http_hdr(wsi, WSI_TOKEN_HOST, req->host, sizeof(req->host));
	if (!req->host[0])
		http_hdr(wsi, WSI_TOKEN_HTTP_COLON_AUTHORITY, req->host, sizeof(req->host));
	req->tls = lws_is_ssl(wsi);
	if (!lws_get_peer_simple(wsi, req->client, sizeof(req->client)))
		req->client[0] = '\0';
}

/* Whether HTTP/1 connection wsi closes after this answer at its client's word, as lws decides it
 * (lws_http_transaction_completed then ends it): "Connection: close" on HTTP/1.1 (here any "close" token),
 * or HTTP/1.0 without exactly "Connection: keep-alive". Its answer then says "connection: close" and the
 * transport closes it itself. */
static bool http_client_closes(struct lws *wsi)
{
	char conn[64], version[16], *tok, *save = NULL;
	bool v10;

	if (lws_get_network_wsi(wsi) != wsi)
		return false; /* HTTP/2: streams end, the connection stays */
	http_hdr(wsi, WSI_TOKEN_HTTP, version, sizeof(version));
	v10 = !strcmp(version, "HTTP/1.0");
	if (lws_hdr_total_length(wsi, WSI_TOKEN_CONNECTION) >= (int)sizeof(conn))
		return true; /* not a list this server sends keep-alive for */
	http_hdr(wsi, WSI_TOKEN_CONNECTION, conn, sizeof(conn));
	if (v10)
		return strcasecmp(conn, "keep-alive") != 0;
	for (tok = strtok_r(conn, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
		if (!strcasecmp(tok, "close"))
			return true;
	return false;
}

static enum http_method http_method_of(int lws_method)
{
	switch (lws_method) {
	case LWSHUMETH_GET:
		return HTTP_GET;
	case LWSHUMETH_POST:
		return HTTP_POST;
	case LWSHUMETH_OPTIONS:
		return HTTP_OPTIONS;
	case LWSHUMETH_PUT:
		return HTTP_PUT;
	case LWSHUMETH_PATCH:
		return HTTP_PATCH;
	case LWSHUMETH_DELETE:
		return HTTP_DELETE;
	case LWSHUMETH_HEAD:
		return HTTP_HEAD;
	default:
		return HTTP_OTHER;
	}
}

int transport_http_query(struct lws *wsi, char *out, size_t outlen)
{
	char frag[HTTP_QUERY_MAX];
	size_t o = 0;
	int n;

	out[0] = '\0';
	for (int i = 0; (n = lws_hdr_copy_fragment(wsi, frag, sizeof(frag), WSI_TOKEN_HTTP_URI_ARGS, i)) >= 0;
	     i++) {
		char *eq = strchr(frag, '=');

		if ((size_t)n != strlen(frag))
			return -1;
		if (o && o + 1 < outlen)
			out[o++] = '&';
		for (int k = 0; k < n; k++) {
			unsigned char ch = (unsigned char)frag[k];
			bool enc =
			    ch == '&' || ch == '%' || ch == '+' || (ch == '=' && frag + k != eq) || ch < 0x20;

			if (o + (enc ? 3 : 1) >= outlen)
				return -1;
			if (enc)
				o += (size_t)snprintf(out + o, outlen - o, "%%%02X", ch);
			else
				out[o++] = (char)ch;
		}
		out[o] = '\0';
	}
	return 0;
}

static void http_unhold(lws_sorted_usec_list_t *sul)
{
	struct http_conn *c = lws_container_of(sul, struct http_conn, hold_timer);

	lws_rx_flow_control(c->wsi, 1);
}

/*
 * Holds reading c's HTTP/1 connection until the next pass of the loop begins. Unless lws marks the
 * connection as in a transaction (a POST with Content-Length 0 or an unparsable one, a missing static file),
 * lws 4.1 parses a pipelined request's bytes at the end of the pass in which they were read, before this
 * answer is written, which ends the transaction under us (see LWS_CALLBACK_FILTER_HTTP_CONNECTION). Held, it
 * skips them; the hold ends at the start of the next pass (lws writes nothing to a connection whose reading
 * is held), whose poll finds the socket writable and lets the answer out first.
 */
static void http_hold_briefly(struct http_conn *c)
{
	if (http_is_h2(c) || (c->linger && c->body_pending))
		return;
	lws_rx_flow_control(c->wsi, 0);
	lws_sul_schedule(lws_get_context(c->wsi), 0, &c->hold_timer, http_unhold, 1);
}

static void http_respond(struct http_conn *c)
{
	if (c->unframed || c->last)
		c->resp.close = true;
	c->state = HTTP_RESPONDING;
	conn_watch_as(&c->pss->watch, c->wsi, CONN_WATCH_SEND);
	lws_callback_on_writable(c->wsi);
	http_hold_briefly(c);
}

/* A transport-level failure (too large, timeout, draining): answer and close. */
static void http_fail(struct http_conn *c, enum api_fail kind, const char *msg)
{
	if (!c->resp_live) {
		response_init(&c->resp);
		c->resp_live = true;
	}
	api_fail(&c->resp, kind, NULL, "%s", msg);
	c->resp.close = true;
	http_respond(c);
}

static void http_dispatch(struct http_conn *c)
{
	const char *why;

	lws_sul_cancel(&c->body_timer);
	c->req.body = c->body.len ? c->body.data : NULL;
	c->req.body_len = c->body.len;
	/* the one check of a body's bytes (docs/architecture.md): parsers below rely on it */
	why = c->req.body ? text_body_problem(c->req.body, c->req.body_len,
					      strncmp(c->req.content_type, "text/calendar", 13) != 0)
			  : NULL;
	if (why) {
		http_fail(c, API_BAD_REQUEST, why);
		return;
	}
	transport_live_hold(c->t); /* what it commits fans out after its answer */
	if (transport_static_wants(c->t, &c->req))
		transport_static_serve(c->t, &c->req, &c->resp);
	else
		router_dispatch(c->t->app, &c->req, &c->resp);
	c->fan_waits = transport_live_unhold(c->t);
	if (c->resp.defer) {
		http_fan_out(c); /* the answer waits for the worker: the fan-out does not */
		c->wake_handle = wake_submit(&c->t->wake, c->resp.defer, c);
		if (c->wake_handle) {
			c->state = HTTP_DEFERRED;
			/* nothing to read or write until the job is back: a pipelined request's bytes stay
			 * buffered (lws would otherwise offer them again on every pass of the loop) */
			lws_rx_flow_control(c->wsi, 0);
			return;
		}
		c->resp.defer->release(c->resp.defer);
		c->resp.defer = NULL;
		api_fail(&c->resp, API_UNAVAILABLE, NULL, "the server is busy; retry shortly");
	}
	http_respond(c);
}

/* A deferred job came back (service thread): let its handler finish the response, then write it. */
static void http_deferred_done(struct defer *d, void *owner)
{
	struct http_conn *c = owner;

	/* lws 4.1 handles no WRITEABLE on a connection whose reading is held */
	lws_rx_flow_control(c->wsi, 1);
	c->wake_handle = NULL;
	c->resp.defer = NULL;
	transport_live_hold(c->t);
	d->finish(c->t->app, &c->req, d, &c->resp);
	c->fan_waits = transport_live_unhold(c->t);
	d->release(d);
	if (c->resp.defer) { /* a second hand-off is not supported */
		c->resp.defer->release(c->resp.defer);
		c->resp.defer = NULL;
		api_fail(&c->resp, API_INTERNAL, NULL, "internal error");
	}
	http_respond(c);
}

/* The answer is out and the connection stays open for its next request. lws gave it fresh per-session
 * data and armed its keep-alive timeout, which the idle list replaces. */
static int http_keep_alive(struct lws *wsi)
{
	struct http_pss *pss = lws_wsi_user(wsi);

	if (!pss)
		return 0; /* lws's own timeout stays */
	pss->wsi = wsi;
	conn_watch_as(&pss->watch, wsi, CONN_WATCH_IDLE);
	lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
	return 0;
}

/* Adds fd to t's waiting set (readable input counts for transport_http_waiting); a closed descriptor
 * leaves the set by itself. */
static void http_watch_input(struct transport *t, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN};

	if (t->http.waiting_ep < 0 || fd < 0)
		return;
	ev.data.fd = fd;
	if (epoll_ctl(t->http.waiting_ep, EPOLL_CTL_ADD, fd, &ev) && errno == EEXIST)
		epoll_ctl(t->http.waiting_ep, EPOLL_CTL_MOD, fd, &ev);
}

bool transport_http_waiting(struct transport *t)
{
	struct epoll_event ev;

	/* without the set, new connections cannot be seen: always "yes", and the fan-out goes in slices */
	if (t->http.active > 0 || t->http.waiting_ep < 0)
		return true;
	return epoll_wait(t->http.waiting_ep, &ev, 1, 0) > 0;
}

void transport_http_upgraded(struct transport *t, struct lws *wsi)
{
	int fd = lws_get_socket_fd(wsi);

	/* an HTTP/2 stream shares its connection's socket, which stays watched */
	if (t->http.waiting_ep >= 0 && fd >= 0 && lws_get_network_wsi(wsi) == wsi)
		epoll_ctl(t->http.waiting_ep, EPOLL_CTL_DEL, fd, NULL);
}

int transport_http_start(struct transport *t, struct lws_context *ctx)
{
	t->ctx = ctx;
	t->http.waiting_ep = epoll_create1(EPOLL_CLOEXEC);
	if (t->http.waiting_ep < 0)
		log_warn("no epoll set for waiting requests (%s): the live fan-out goes in slices",
			 strerror(errno));
	http_watch_input(t, transport_accept_listen_fd());
	conn_watch_start(&t->watch, ctx, t->app->cfg->keepalive_s, t->app->cfg->send_timeout_s);
	return wake_start(&t->wake, ctx, http_deferred_done);
}

void transport_http_stop(struct transport *t)
{
	conn_watch_stop(&t->watch);
	wake_stop(&t->wake);
	if (t->http.waiting_ep >= 0)
		close(t->http.waiting_ep);
	t->http.waiting_ep = -1;
	t->http.stopped = true;
	while (t->http.spare) {
		struct http_conn *c = t->http.spare;

		t->http.spare = c->next_spare;
		free(c);
	}
	t->http.n_spare = 0;
}

static void http_body_timeout(lws_sorted_usec_list_t *sul)
{
	struct http_conn *c = lws_container_of(sul, struct http_conn, body_timer);

	if (c->state == HTTP_READING)
		http_fail(c, API_TIMEOUT, "the request body did not arrive in time");
}

/* Whether lws 4.1 reads a body for this method when no Content-Length is given (it then expects 100 MB). */
static bool http_lws_reads_body(enum http_method m)
{
	return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH;
}

/*
 * How the request's body is framed (RFC 9112 §6): sets *cl, c->body_pending, c->chunked and c->unframed.
 * Content-Length must be all digits (lws itself takes "+58" or "0x10" as a number). Transfer-Encoding must
 * be exactly "chunked" (501 otherwise), not beside Content-Length (400), and on a method lws reads a body
 * for (411). lws 4.1 does not decode the chunked coding and, without Content-Length, takes the body to be
 * 100 MB: it cannot find where such a request ends, so its connection is closed after the answer. Returns
 * 0, or -1 after answering (and closing).
 */
static int http_framing(struct http_conn *c, struct lws *wsi, long long *cl)
{
	char clen[32], te[32];
	bool has_te = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
	bool has_cl = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0;
	size_t i;

	*cl = 0;
	if (http_is_h2(c)) {
		/* HTTP/2 frames the body itself (DATA frames) */
		http_hdr(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, clen, sizeof(clen));
		*cl = clen[0] ? strtoll(clen, NULL, 10) : 0;
		c->body_pending = *cl > 0 || has_te;
		return 0;
	}
	http_hdr(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, clen, sizeof(clen));
	if (has_cl) {
		for (i = 0; clen[i] >= '0' && clen[i] <= '9'; i++)
			;
		if (!clen[0] || clen[i] || i > 18) {
			c->unframed = true;
			http_fail(c, i > 18 && !clen[i] ? API_TOO_LARGE : API_BAD_REQUEST,
				  i > 18 && !clen[i]
				      ? "the request body is larger than this endpoint accepts"
				      : "malformed Content-Length: it must be a number of bytes");
			return -1;
		}
		*cl = strtoll(clen, NULL, 10);
	}
	if (has_te) {
		http_hdr(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING, te, sizeof(te));
		c->unframed = true;
		if (strcasecmp(te, "chunked")) {
			http_fail(c, API_NOT_IMPLEMENTED, "Transfer-Encoding: only chunked is supported");
			return -1;
		}
		if (has_cl) {
			http_fail(c, API_BAD_REQUEST,
				  "Content-Length and Transfer-Encoding: give one of them");
			return -1;
		}
		if (!http_lws_reads_body(c->req.method)) {
			http_fail(c, API_LENGTH_REQUIRED, "a body of this method needs Content-Length");
			return -1;
		}
		c->chunked = true;
		chunked_init(&c->ck);
	} else if (!has_cl && http_lws_reads_body(c->req.method)) {
		c->unframed = true; /* no body (RFC 9112 §6.3), but lws waits for one */
	}
	c->body_pending = *cl > 0 || c->chunked;
	return 0;
}

static int http_begin(struct http_pss *pss, struct lws *wsi)
{
	struct http_conn *c;
	char *uri = NULL;
	int ulen = 0, m;
	long long cl = 0;

	http_release(pss);
	pss->wsi = wsi;
	c = http_take(pss, wsi);
	if (!c)
		return -1; /* out of memory: close */
	c->state = HTTP_READING;
	c->t->http.active++;
	lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0); /* the body timer and conn_watch take over */
	response_init(&c->resp);
	c->resp_live = true;

	m = lws_http_get_uri_and_method(wsi, &uri, &ulen);
	c->req.method = http_method_of(m);
	c->head_only = c->req.method == HTTP_HEAD;
	c->last = http_client_closes(wsi);
	c->req.now = (int64_t)time(NULL);
	if (m < 0 || !uri || ulen <= 0 || (size_t)ulen >= sizeof(c->req.path) ||
	    memchr(uri, '\0', (size_t)ulen)) {
		http_fail(c, API_BAD_REQUEST, "malformed request line");
		return 0;
	}
	memcpy(c->req.path, uri, (size_t)ulen);
	c->req.path[ulen] = '\0';
	if (!text_is_line(c->req.path) || transport_http_query(wsi, c->req.query, sizeof(c->req.query))) {
		http_fail(c, API_BAD_REQUEST, "malformed path or query string");
		return 0;
	}
	http_hdr(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, c->req.content_type, sizeof(c->req.content_type));
	transport_http_credentials(wsi, &c->req);
	http_hdr(wsi, WSI_TOKEN_HTTP_IF_NONE_MATCH, c->req.if_none_match, sizeof(c->req.if_none_match));
	http_hdr(wsi, WSI_TOKEN_HTTP_IF_MODIFIED_SINCE, c->req.if_modified_since,
		 sizeof(c->req.if_modified_since));
	http_hdr(wsi, WSI_TOKEN_HTTP_ACCEPT_LANGUAGE, c->req.accept_language, sizeof(c->req.accept_language));
	http_hdr(wsi, WSI_TOKEN_HTTP_ACCEPT_ENCODING, c->req.accept_encoding, sizeof(c->req.accept_encoding));
	/* headers that only a write uses (a read is neither replayed nor forged across sites) */
	if (c->req.method != HTTP_GET && c->req.method != HTTP_HEAD &&
	    (http_custom(wsi, "idempotency-key:", c->req.idempotency_key, sizeof(c->req.idempotency_key)) ||
	     http_custom(wsi, "x-csrf-token:", c->req.csrf_token, sizeof(c->req.csrf_token)))) {
		http_fail(c, API_BAD_REQUEST, "Idempotency-Key or X-CSRF-Token header is too long");
		return 0;
	}

	if (c->t->http.draining) {
		http_fail(c, API_UNAVAILABLE, "the server is shutting down; retry shortly");
		return 0;
	}
	c->body_limit = strncmp(c->req.content_type, "text/calendar", 13) ? HTTP_BODY_MAX : HTTP_UPLOAD_MAX;
	if (http_framing(c, wsi, &cl))
		return 0;
	if ((unsigned long long)cl > c->body_limit) {
		c->linger = true;
		http_fail(c, API_TOO_LARGE, "the request body is larger than this endpoint accepts");
		return 0;
	}
	buf_init(&c->body, c->body_limit);
	if (c->body_pending) {
		/* the body follows in HTTP_BODY callbacks */
		lws_sul_schedule(lws_get_context(wsi), 0, &c->body_timer, http_body_timeout,
				 (lws_usec_t)c->t->app->cfg->body_timeout_s * LWS_US_PER_SEC);
		return 0;
	}
	http_dispatch(c);
	return 0;
}

/* WRITEABLE on c's connection: the next piece of the answer; once it is out, the transaction ends (or
 * goes on dropping a refused body) and the connection closes or waits for its next request. Returns -1 to
 * close the connection. */
static int http_writeable(struct http_conn *c)
{
	struct lws *wsi;
	bool close;
	int rc;

	if (c->state != HTTP_RESPONDING)
		return 0;
	rc = http_write_next(c);
	http_fan_out(c); /* the answer has left: the fan-out it held starts on the next loop turn */
	if (rc <= 0)
		return rc;
	if (c->linger && c->body_pending) {
		/* the answer is out, the client is still sending: drop the rest, then close */
		c->state = HTTP_DISCARDING;
		conn_watch_as(&c->pss->watch, c->wsi, CONN_WATCH_LINGER);
		return 0;
	}
	close = c->resp.close;
	wsi = c->wsi;
	http_release(c->pss);
	if (close || lws_http_transaction_completed(wsi))
		return -1;
	return http_keep_alive(wsi); /* the transaction's per-session data was freed with it */
}

/* Bytes of a body answered early (413), while the answer is written and after (HTTP_DISCARDING): dropped;
 * a chunked body's end, or its broken framing, ends the dropping. Returns -1 to close the connection. */
static int http_drop(struct http_conn *c, const char *in, size_t len)
{
	size_t used;

	c->discarded += len;
	if (c->chunked && chunked_decode(&c->ck, in, len, &used, NULL, HTTP_DISCARD_MAX) != CHUNKED_MORE)
		c->body_pending = false;
	if (c->state != HTTP_DISCARDING)
		return 0; /* http_writeable closes or goes on dropping once the answer is out */
	conn_watch_as(&c->pss->watch, c->wsi, CONN_WATCH_LINGER); /* the client is still sending */
	return !c->body_pending || c->discarded > HTTP_DISCARD_MAX ? -1 : 0;
}

/* Bytes of a chunked body (HTTP_READING): decoded into c->body; at its end the request is dispatched. */
static int http_chunk(struct http_conn *c, const char *in, size_t len)
{
	size_t used;

	switch (chunked_decode(&c->ck, in, len, &used, &c->body, c->body_limit)) {
	case CHUNKED_MORE:
		return 0;
	case CHUNKED_DONE:
		c->body_pending =
		    false; /* what follows is not read: the connection closes after the answer */
		http_dispatch(c);
		return 0;
	case CHUNKED_TOO_LARGE:
		/* answered at once; the rest is decoded only to find the body's end, and dropped */
		c->linger = true;
		http_fail(c, API_TOO_LARGE, "the request body is larger than this endpoint accepts");
		return used < len ? http_drop(c, in + used, len - used) : 0;
	default:
		c->body_pending = false;
		http_fail(c, API_BAD_REQUEST,
			  "malformed chunked body (chunk sizes are hexadecimal, lines end in CRLF)");
		return 0;
	}
}

static int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct http_pss *pss = user; /* for the HTTP reasons below; other reasons pass other things */
	struct http_conn *c = NULL;

	switch (reason) {
	case LWS_CALLBACK_HTTP_BODY:
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
	case LWS_CALLBACK_HTTP_WRITEABLE:
		c = pss ? pss->c : NULL;
		break;
	default:
		break;
	}
	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION: {
		/* a new connection's socket (in), before lws adopts it */
		int size = transport_of(wsi)->app->cfg->send_buffer;

		transport_accept_ok();
		http_watch_input(transport_of(wsi), (int)(intptr_t)in);
		if (size > 0 &&
		    setsockopt((int)(intptr_t)in, SOL_SOCKET, SO_SNDBUF, &size, (socklen_t)sizeof(size)))
			log_warn("cannot set the send buffer size: %s", strerror(errno));
		return 0;
	}
	case LWS_CALLBACK_FILTER_HTTP_CONNECTION:
		/* any request's headers are complete, also one lws answers itself (a static file): the
		 * connection is no longer idle, and until LWS_CALLBACK_HTTP (if it comes) lws's timeouts hold
		 */
		if (pss)
			conn_watch_remove(&pss->watch);
		/* a pipelined request parsed while this connection's transaction is still in progress
		 * (lws 4.1 does so when it is not marked as in a transaction: a POST with Content-Length 0 or
		 * an unparsable one, a missing static file): lws would end the transaction under us and
		 * neither request would be answered, so close the connection now (the client retries what was
		 * not answered) */
		if (pss && pss->c && pss->c->state != HTTP_IDLE)
			return -1;
		return 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		/* lws completes the transaction itself when we answer (> 0): no per-session state is kept */
		return strcasecmp((const char *)in, "websocket") ? 0 : transport_live_confirm(wsi);
	case LWS_CALLBACK_HTTP:
		return http_begin(pss, wsi);
	case LWS_CALLBACK_HTTP_BODY:
		if (c && c->linger && c->body_pending && c->state != HTTP_READING)
			return http_drop(c, in, len);
		if (!c || c->state != HTTP_READING)
			return 0;
		if (c->chunked)
			return http_chunk(c, in, len);
		if (buf_append(&c->body, in, len)) {
			/* Content-Length lied: the limit holds while reading too */
			c->linger = true;
			http_fail(c, API_TOO_LARGE, "the request body is larger than this endpoint accepts");
			return 0;
		}
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (c)
			c->body_pending = false;
		if (c && c->state == HTTP_DISCARDING)
			return -1; /* both sides are done: close as the answer said */
		if (c && c->state == HTTP_READING)
			http_dispatch(c);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return c ? http_writeable(c) : 0;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		wake_deliver(&transport_of(wsi)->wake);
		return 0;
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (pss)
			http_release(pss);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

const struct lws_protocols transport_http_protocol = {
    .name = "http",
    .callback = http_callback,
    .per_session_data_size = sizeof(struct http_pss),
    .rx_buffer_size = 0,
};
