/*
 * transport/http: bounded request collection (headers, query, body with size and time limits), response
 * writing from WRITEABLE callbacks only (but for a refused WebSocket upgrade, which lws 4.1 wants answered
 * at once), and connection timeouts; it never interprets a request itself.
 */
#include "transport/http.h"
#include "transport/accept.h"
#include "transport/live.h"
#include "transport/static.h"
#include "transport/wake.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/sendfile.h>
#include <time.h>

#include "api/app.h"
#include "api/errors.h"
#include "api/http.h"
#include "api/router.h"
#include "util/chunked.h"
#include "util/log.h"
#include "util/text.h"

#define HTTP_CHUNK (32 * 1024) /* bytes written per WRITEABLE callback; fits pt_serv_buf_size */
/* The same for a body sent from shared bytes through lws_write (TLS): what lws_write cannot send at once
 * it copies, so a piece stays near what a socket takes (measured in bench/: 64 KiB best, 256 KiB worst). */
#define HTTP_DIRECT_CHUNK (64 * 1024)
/* The same for a shared file sent straight to a plain socket: sendfile() takes what fits, nothing is
 * copied in user space. */
#define HTTP_SEND_MAX (1024 * 1024)
#define HTTP_H2_FRAME 16384 /* the DATA frame size every HTTP/2 peer accepts */

enum http_state {
	HTTP_IDLE = 0,
	HTTP_READING,	 /* collecting the body */
	HTTP_DEFERRED,	 /* a handler's work runs on the worker thread */
	HTTP_RESPONDING, /* response ready, being written */
	HTTP_DISCARDING	 /* answered before the request body ended (413): reading the rest to drop it */
};

/* What is read and dropped after an early answer before the connection (or HTTP/2 stream) is closed:
 * closing with request bytes still arriving makes the kernel reset the connection, and the client may
 * lose the answer it has not read yet (over HTTP/2 lws also tears down the whole connection). */
#define HTTP_DISCARD_MAX (16 * 1024 * 1024)

struct http_pss;

/* One per HTTP transaction in progress, taken from a pool when its headers are complete and given back
 * when it ends, so an idle kept-alive connection holds none (it is ~10 KiB). Service thread only. */
struct http_conn {
	struct http_conn *next_spare; /* in http_spare while unused */
	struct http_pss *pss;
	struct lws *wsi;
	enum http_state state;
	struct request req;
	struct buf body;
	size_t body_limit;
	struct response resp;
	bool resp_live;	   /* resp was initialised and must be freed */
	bool headers_sent; /* built, and handed to lws or pending in head */
	bool head_only;
	bool body_pending; /* a request body was announced and has not ended */
	bool linger;	   /* on an early answer, drop the rest of the body before closing */
	bool chunked;	   /* the body comes in the chunked coding, which the transport decodes (lws 4.1
			    * does not): ck finds its end, also while it is being dropped */
	bool unframed;	   /* lws cannot tell where the request ends: answer, then close */
	bool last;	   /* the client asked for the connection to close after this answer */
	struct chunked ck;
	size_t discarded;
	unsigned char head[LWS_PRE + 4096]; /* the header block, built after LWS_PRE bytes of headroom */
	size_t head_len; /* bytes of the block still ours to send with the body (plain HTTP/1) */
	size_t head_sent;
	size_t sent;
	lws_sorted_usec_list_t body_timer; /* 408 when the body does not arrive in time */
	lws_sorted_usec_list_t hold_timer; /* ends the hold on reading that http_respond starts */
	void *wake_handle;		   /* the deferred job while HTTP_DEFERRED */
};

/* lws's per-session data. lws frees it and allocates it zeroed again after every answer on a kept-alive
 * connection, so it stays small. */
struct http_pss {
	struct lws *wsi;
	struct http_conn *c; /* the transaction in progress, if any */
	lws_dll2_t watch;    /* in one of http_watch[] while idle or sending (see there) */
	lws_usec_t watch_since;
};

#define HTTP_SPARE_MAX                                                                                       \
	256 /* transactions kept for reuse (~14 KiB each): a busy server keeps many in flight */
static struct http_conn *http_spare;
static int http_n_spare;
static bool http_stopped; /* after transport_http_stop: transactions are freed, not kept */

static struct app *http_app;
static bool http_draining;
static int http_active;

/*
 * Connection timeouts, kept here rather than by lws. lws 4.1 arms a timeout when a request's headers are
 * complete (30 s for the whole answer, however slowly the client reads it) and another after every answer
 * (keep-alive); its timeouts live in one list per thread that it keeps sorted by inserting from the head,
 * so with every connection holding one each insertion walks all of them: twice per request, O(connections)
 * each. Here a connection is watched in one of two lists, each with one limit, to whose tail it moves on
 * progress, so each list is sorted by construction and every step is O(1):
 *   HTTP_WATCH_IDLE: a kept-alive connection awaiting its next request, closed after --keepalive-timeout;
 *   HTTP_WATCH_SEND: an answer being written, closed when the client takes nothing for --send-timeout;
 *   HTTP_WATCH_LINGER: the rest of a refused body being dropped, closed when nothing comes for 2 s.
 * A request body has its own timer (408, --body-timeout); a request waiting for the worker has none.
 */
enum http_watch { HTTP_WATCH_IDLE, HTTP_WATCH_SEND, HTTP_WATCH_LINGER, HTTP_WATCH_N };
#define HTTP_LINGER_S 2 /* HTTP_DISCARDING: close when the client sends nothing for this long */
static lws_dll2_owner_t http_watch[HTTP_WATCH_N];
static lws_sorted_usec_list_t http_watch_timer;
static struct lws_context *http_ctx;
#define HTTP_WATCH_SWEEP_US (LWS_US_PER_SEC / 2)

static void http_watch_as(struct http_pss *pss, enum http_watch w)
{
	lws_dll2_remove(&pss->watch);
	pss->watch_since = lws_now_usecs();
	lws_dll2_add_tail(&pss->watch, &http_watch[w]);
}

void transport_http_init(struct app *app)
{
	http_app = app;
}

void transport_http_drain(void)
{
	http_draining = true;
}

int transport_http_active(void)
{
	return http_active;
}

/* Ends c's transaction: cancels what it waits for and frees what it holds; c is then as new except for
 * its request, which http_take clears. */
static void http_reset(struct http_conn *c)
{
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
		http_active--;
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
	struct http_conn *c = http_spare;

	if (c) {
		http_spare = c->next_spare;
		http_n_spare--;
		c->next_spare = NULL;
		/* no field of an earlier request (credentials above all) may survive into this one */
		memset(&c->req, 0, sizeof(c->req));
	} else if (!(c = calloc(1, sizeof(*c)))) {
		return NULL;
	}
	c->pss = pss;
	c->wsi = wsi;
	pss->c = c;
	return c;
}

/* Ends the transaction on pss's connection, if any, and stops watching it. */
static void http_release(struct http_pss *pss)
{
	struct http_conn *c = pss->c;

	lws_dll2_remove(&pss->watch);
	if (!c)
		return;
	http_reset(c);
	pss->c = NULL;
	c->pss = NULL;
	if (!http_stopped && http_n_spare < HTTP_SPARE_MAX) {
		c->next_spare = http_spare;
		http_spare = c;
		http_n_spare++;
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

/* Whether c is an HTTP/2 stream (over TLS with ALPN): its writes are frames the peer's flow control
 * window bounds, and connection-level headers are not allowed. */
static bool http_is_h2(const struct http_conn *c)
{
	return lws_get_network_wsi(c->wsi) != c->wsi;
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
	http_watch_as(c->pss, HTTP_WATCH_SEND);
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
	if (transport_static_wants(&c->req))
		transport_static_serve(&c->req, &c->resp);
	else
		router_dispatch(http_app, &c->req, &c->resp);
	if (c->resp.defer) {
		c->wake_handle = wake_submit(c->resp.defer, c);
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
	d->finish(http_app, &c->req, d, &c->resp);
	d->release(d);
	if (c->resp.defer) { /* a second hand-off is not supported */
		c->resp.defer->release(c->resp.defer);
		c->resp.defer = NULL;
		api_fail(&c->resp, API_INTERNAL, NULL, "internal error");
	}
	http_respond(c);
}

static void http_watch_sweep(lws_sorted_usec_list_t *sul)
{
	static const int reason[HTTP_WATCH_N] = {PENDING_TIMEOUT_HTTP_KEEPALIVE_IDLE,
						 PENDING_TIMEOUT_HTTP_CONTENT, PENDING_TIMEOUT_HTTP_CONTENT};
	const int limit_s[HTTP_WATCH_N] = {http_app->cfg->keepalive_s, http_app->cfg->send_timeout_s,
					   HTTP_LINGER_S};
	lws_usec_t now = lws_now_usecs();
	lws_dll2_t *d;

	(void)sul;
	for (int w = 0; w < HTTP_WATCH_N; w++) {
		while ((d = lws_dll2_get_head(&http_watch[w]))) {
			struct http_pss *pss = lws_container_of(d, struct http_pss, watch);

			if (now - pss->watch_since < (lws_usec_t)limit_s[w] * LWS_US_PER_SEC)
				break;
			lws_dll2_remove(d);
			/* closed from lws's next pass, as by its own timeout */
			lws_set_timeout(pss->wsi, (enum pending_timeout)reason[w], LWS_TO_KILL_ASYNC);
		}
	}
	lws_sul_schedule(http_ctx, 0, &http_watch_timer, http_watch_sweep, HTTP_WATCH_SWEEP_US);
}

/* The answer is out and the connection stays open for its next request. lws gave it fresh per-session
 * data and armed its keep-alive timeout, which the idle list replaces. */
static int http_keep_alive(struct lws *wsi)
{
	struct http_pss *pss = lws_wsi_user(wsi);

	if (!pss)
		return 0; /* lws's own timeout stays */
	pss->wsi = wsi;
	http_watch_as(pss, HTTP_WATCH_IDLE);
	lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
	return 0;
}

int transport_http_start(struct lws_context *ctx)
{
	http_ctx = ctx;
	lws_sul_schedule(ctx, 0, &http_watch_timer, http_watch_sweep, HTTP_WATCH_SWEEP_US);
	return wake_start(ctx, http_deferred_done);
}

void transport_http_stop(void)
{
	lws_sul_cancel(&http_watch_timer);
	wake_stop();
	http_stopped = true;
	while (http_spare) {
		struct http_conn *c = http_spare;

		http_spare = c->next_spare;
		free(c);
	}
	http_n_spare = 0;
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
	http_active++;
	lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0); /* the body timer and http_watch take over */
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
	/* headers that only a write uses (a read is neither replayed nor forged across sites) */
	if (c->req.method != HTTP_GET && c->req.method != HTTP_HEAD &&
	    (http_custom(wsi, "idempotency-key:", c->req.idempotency_key, sizeof(c->req.idempotency_key)) ||
	     http_custom(wsi, "x-csrf-token:", c->req.csrf_token, sizeof(c->req.csrf_token)))) {
		http_fail(c, API_BAD_REQUEST, "Idempotency-Key or X-CSRF-Token header is too long");
		return 0;
	}

	if (http_draining) {
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
				 (lws_usec_t)http_app->cfg->body_timeout_s * LWS_US_PER_SEC);
		return 0;
	}
	http_dispatch(c);
	return 0;
}

/* What lws writes in front of every HTTP/1 answer's own headers for a 304 with the security best-practice
 * option (lws_add_http_header_status), byte for byte: the revalidation path writes it with one copy
 * instead of six calls into lws (each a byte loop over the name). */
static const char http_head_304_h1[] =
    "HTTP/1.1 304 Not Modified\r\n"
    "content-security-policy: default-src 'none'; img-src 'self' data: ; script-src 'self'; "
    "font-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
    "base-uri 'none';form-action 'self';\r\n"
    "x-content-type-options: nosniff\r\n"
    "x-xss-protection: 1; mode=block\r\n"
    "x-frame-options: deny\r\n"
    "referrer-policy: no-referrer\r\n";

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
 * send itself just before the body (plain HTTP/1, see http_writeable). */
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
	/* nosniff, frame and referrer policies come from lws's security best-practice option */
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

/* Writes the next piece of the response. Returns -1 to close the connection. */
static int http_writeable(struct http_conn *c)
{
	unsigned char chunk[LWS_PRE + HTTP_CHUNK];
	const char *data = c->resp.shared ? c->resp.shared : c->resp.body.data;
	size_t len = c->resp.shared ? c->resp.shared_len : c->resp.body.len;
	struct lws *wsi;
	size_t n;
	bool done, close, plain;

	if (c->state != HTTP_RESPONDING)
		return 0;
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
				http_watch_as(c->pss, HTTP_WATCH_SEND);
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
			http_watch_as(c->pss, HTTP_WATCH_SEND);
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
		http_watch_as(c->pss, HTTP_WATCH_SEND);
		if (!done) {
			lws_callback_on_writable(c->wsi);
			return 0;
		}
	}
	if (c->linger && c->body_pending) {
		/* the answer is out, the client is still sending: drop the rest, then close */
		c->state = HTTP_DISCARDING;
		http_watch_as(c->pss, HTTP_WATCH_LINGER);
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
	http_watch_as(c->pss, HTTP_WATCH_LINGER); /* the client is still sending */
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
		int size = http_app->cfg->send_buffer;

		transport_accept_ok();
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
			lws_dll2_remove(&pss->watch);
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
		wake_deliver();
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
