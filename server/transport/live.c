/*
 * transport/live: the sockets of WebSocket clients of the change log. The upgrade is decided by api/live
 * like any request and a refusal is answered with its status and JSON body; commits (and one poll per
 * second for the whole server) fill api/live's shared window, a fan-out wakes the clients (all at once, or
 * bounded per loop turn while other requests wait; a change made by a request only once that request's
 * answer has left), and each WRITEABLE writes what api/live cuts for that client; nothing is queued per
 * client. It decides nothing about who sees what.
 */
#include "transport/live.h"
#include "transport/http.h"
#include "transport/transport.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/errors.h"
#include "api/live.h"
#include "util/log.h"

#define LIVE_POLL_US LWS_US_PER_SEC /* commits of other processes (CLI, worker) are seen this late */
/* Clients woken per loop turn by the fan-out while another request needs the loop: LIVE_SLICE, or with
 * more than LIVE_SLICE * LIVE_SLICES clients, 1 / LIVE_SLICES of them; when none does, all of them at once.
 * Every loop turn polls every connection (lws 4.1 is on poll()), so a fixed slice would make the polls of
 * one fan-out grow with the square of the clients. */
#define LIVE_SLICE  256
#define LIVE_SLICES 8
/* Microseconds of writes to clients in one loop turn after which, when another request needs the loop
 * (transport_http_waiting), the rest of the turn's clients wait for the next turn. Counted from the turn's
 * first write, so that every turn writes: lws's poll() of every connection before it takes longer than
 * this at 10 000 clients, and a budget started before it was spent before the first write. */
#define LIVE_TURN_US 1000
#define LIVE_PING_S  30	  /* a ping to every client this often */
#define LIVE_IDLE_S  90	  /* a client silent this long (no pong, nothing) is dropped at the next ping */
#define LIVE_RX_MAX  1024 /* bytes of one client message (all its fragments); more is closed with 1009 */
/* lws's receive buffer of each connection (rx_buffer_size), held by every client while connected: a
 * longer client message comes in pieces (live_receive collects them) */
#define LIVE_RX_PIECE 256
/* what lws sends at once (tx_packet_size): a whole message with its frame header. Left at 0, lws cuts
 * every send() to rx_buffer_size and copies the rest into a buffer list sent on later WRITEABLEs. */
#define LIVE_TX_MAX	   (API_LIVE_BATCH_MAX + LWS_PRE)
#define LIVE_CLOSE_REVOKED 4001 /* close code: the credentials no longer hold (docs/live.md) */

/* The ping interval and the idle limit in seconds, and the turn's budget of writes in microseconds:
 * LIVE_PING_S, LIVE_IDLE_S and LIVE_TURN_US, which only a build with test hooks (MAJLIS_TEST_HOOKS) lets
 * the environment lower (MAJLIS_TEST_LIVE_PING_S, MAJLIS_TEST_LIVE_IDLE_S, MAJLIS_TEST_LIVE_TURN_US), so
 * that a test sees a silent peer dropped, or a budget spent before the turn's first write as it is at
 * 10 000 clients. Service thread. */
static int64_t live_ping_s = LIVE_PING_S, live_idle_s = LIVE_IDLE_S, live_turn_us = LIVE_TURN_US;

#ifdef MAJLIS_TEST_HOOKS
/* The number (min to max) in environment variable name, else dflt. */
static int64_t live_test_number(const char *name, int64_t dflt, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	n = strtol(v, &end, 10);
	return *end || n < min || n > max ? dflt : n;
}
#endif

/* Reads the test hooks (nothing in a build without them); when the first client arrives. */
static void live_timers(void)
{
#ifdef MAJLIS_TEST_HOOKS
	live_ping_s = live_test_number("MAJLIS_TEST_LIVE_PING_S", LIVE_PING_S, 1, 3600);
	live_idle_s = live_test_number("MAJLIS_TEST_LIVE_IDLE_S", LIVE_IDLE_S, 1, 3600);
	live_turn_us = live_test_number("MAJLIS_TEST_LIVE_TURN_US", LIVE_TURN_US, 0, LIVE_TURN_US);
#endif
}

/* One per WebSocket connection (lws per-session data); service thread only. */
struct live_conn {
	struct api_live st; /* who the client is, what it follows, where it is in the change log */
	struct lws *wsi;
	struct live_conn *prev, *next; /* transport_live.first's list, while ready */
	unsigned cred_gen;	       /* live.cred_gen when its credentials were last checked */
	char *rx;		       /* the client message being received (malloc'ed), or NULL */
	size_t rx_len;		       /* its bytes so far */
	int close_code; /* set when a client message is refused: closed with it, the rest dropped */
	int64_t heard;	/* when the client last sent anything (a pong included) */
	bool ping_due;	/* a ping waits for the next WRITEABLE */
	bool ready;	/* authenticated and established */
	bool owed;	/* a turn's yield left it unwritten: woken before the others (transport_live.owed) */
};

/* c is woken again, or gone: no longer owed. */
static void live_paid(struct transport *t, struct live_conn *c)
{
	if (c->owed) {
		c->owed = false;
		t->live.owed--;
	}
}

/* The fan-out, at the start of a loop turn (a timer due at once, run before lws polls): asks WRITEABLE of
 * the clients that have something to send or credentials to check — all of them when no other request
 * needs the loop, else a slice, the rest at the next turns — and starts the turn's budget of writes.
 * Clients that a turn's yield left unwritten go first and alone: lws serves a turn's clients in the order
 * of its poll array, where the newest connections come last, so woken with the others they would be left
 * again at every turn (at 10 000 clients, the newest 1 250 waited 1.7 s for their first changes). */
static void live_fanout(lws_sorted_usec_list_t *sul)
{
	struct transport *t = lws_container_of(sul, struct transport, live.fan_sul);
	struct live_conn *c;
	int slice = t->live.clients / LIVE_SLICES > LIVE_SLICE ? t->live.clients / LIVE_SLICES : LIVE_SLICE;
	int n = 0;

	t->live.turn_start = 0; /* from the turn's first write */
	t->live.yielding = false;
	if (!transport_http_waiting(t))
		slice = t->live.clients;
	if (t->live.owed > 0) {
		/* owed for this turn only: one whose socket cannot take more stays asked (lws wakes it when
		 * it can) but does not hold back the others */
		for (c = t->live.first; c && n < slice; c = c->next)
			if (c->owed) {
				live_paid(t, c);
				lws_callback_on_writable(c->wsi);
				n++;
			}
		if (t->live.owed > 0 || t->live.cursor)
			lws_sul_schedule(t->ctx, 0, &t->live.fan_sul, live_fanout, 1);
		return;
	}
	c = t->live.cursor;
	for (; c && n < slice; c = c->next)
		if (c->cred_gen != t->live.cred_gen || api_live_pending(&t->live.window, &c->st)) {
			lws_callback_on_writable(c->wsi);
			n++;
		}
	t->live.cursor = c;
	if (c)
		lws_sul_schedule(t->ctx, 0, &t->live.fan_sul, live_fanout, 1);
}

/* Starts a fan-out from the first client (one already under way starts over), at the next loop turn:
 * what is asked of lws now would be written then anyway, and the turn's start tells whether another
 * request waits. */
static void live_fanout_start(struct transport *t)
{
	t->live.cursor = t->live.first;
	lws_sul_schedule(t->ctx, 0, &t->live.fan_sul, live_fanout, 1);
}

/* Whether this loop turn's writes to client c are over: LIVE_TURN_US spent since the turn's first write
 * while another request needs the loop. c is then owed: woken again, with the others owed and before any
 * other client, at the next turns. The first write of a turn is never held back: a fan-out that yields goes
 * on by at least one client per turn. */
static bool live_turn_spent(struct transport *t, struct live_conn *c)
{
	lws_usec_t now;

	if (t->live.yielding)
		goto owed;
	now = lws_now_usecs();
	if (!t->live.turn_start) {
		t->live.turn_start = now;
		return false;
	}
	if (now - t->live.turn_start < live_turn_us)
		return false;
	if (!transport_http_waiting(t)) {
		t->live.turn_start = now; /* nobody else waits: another budget */
		return false;
	}
	t->live.yielding = true;
	lws_sul_schedule(t->ctx, 0, &t->live.fan_sul, live_fanout, 1);
owed:
	if (!c->owed) {
		c->owed = true;
		t->live.owed++;
	}
	return true;
}

void transport_live_changed(struct transport *t)
{
	bool cred = false;
	int added;

	if (!t->ctx || !t->live.clients || !t->live.window_ok)
		return;
	added = api_live_window_fill(t->app, &t->live.window, &cred);
	if (cred)
		t->live.cred_gen++;
	if (added <= 0 && !cred)
		return;
	if (t->live.holding)
		t->live.held = true; /* the request's answer first: transport_live_answered */
	else
		live_fanout_start(t);
}

void transport_live_hold(struct transport *t)
{
	t->live.holding++;
}

bool transport_live_unhold(struct transport *t)
{
	if (t->live.holding > 0)
		t->live.holding--;
	if (t->live.holding || !t->live.held)
		return false;
	t->live.held = false;
	return true;
}

void transport_live_answered(struct transport *t)
{
	/* not after transport_live_stop (connections closed while the context is destroyed) */
	if (t->ctx && t->live.clients && t->live.window_ok)
		live_fanout_start(t);
}

/* Every LIVE_POLL_US while clients are connected: one look at the change log for the whole server
 * (commits of other processes wake nobody through the change sink), sessions that expired, and pings. */
static void live_poll(lws_sorted_usec_list_t *sul)
{
	struct transport *t = lws_container_of(sul, struct transport, live.sul);
	int64_t now = (int64_t)time(NULL);
	bool ping = now - t->live.pings >= live_ping_s;

	if (!t->live.clients)
		return;
	transport_live_changed(t);
	if (ping)
		t->live.pings = now;
	for (struct live_conn *c = t->live.first; c; c = c->next) {
		if (ping)
			c->ping_due = true;
		if (ping || now >= c->st.until)
			lws_callback_on_writable(c->wsi);
	}
	lws_sul_schedule(t->ctx, 0, &t->live.sul, live_poll, LIVE_POLL_US);
}

void transport_live_stop(struct transport *t)
{
	lws_sul_cancel(&t->live.sul);
	lws_sul_cancel(&t->live.fan_sul);
	if (t->live.window_ok)
		api_live_window_free(&t->live.window);
	t->live.window_ok = false;
}

/* Decides the upgrade request on wsi (api_live_open): 0 with *st filled, -1 with resp filled. */
static int live_decide(struct lws *wsi, struct api_live *st, struct response *resp)
{
	struct request *req = calloc(1, sizeof(*req));
	char protocols[HTTP_HDR_MAX];
	int rc = -1;

	if (!req) {
		api_fail(resp, API_INTERNAL, NULL, "out of memory");
		return -1;
	}
	req->method = HTTP_GET;
	req->now = (int64_t)time(NULL);
	/* HTTP/1.1 GET, or an HTTP/2 CONNECT stream (RFC 8441) whose :path may still carry the query */
	if (lws_hdr_copy(wsi, req->path, sizeof(req->path), WSI_TOKEN_GET_URI) <= 0 &&
	    lws_hdr_copy(wsi, req->path, sizeof(req->path), WSI_TOKEN_HTTP_COLON_PATH) <= 0)
		req->path[0] = '\0';
	req->path[strcspn(req->path, "?")] = '\0';
	protocols[0] = '\0';
	if (lws_hdr_total_length(wsi, WSI_TOKEN_PROTOCOL) < (int)sizeof(protocols))
		lws_hdr_copy(wsi, protocols, sizeof(protocols), WSI_TOKEN_PROTOCOL);
	transport_http_credentials(wsi, req);
	if (!req->path[0] || transport_http_query(wsi, req->query, sizeof(req->query)))
		api_fail(resp, API_BAD_REQUEST, NULL, "malformed path or query string");
	else
		rc = api_live_open(transport_of(wsi)->app, req, protocols, st, resp);
	memset(req, 0, sizeof(*req)); /* credentials */
	free(req);
	return rc;
}

int transport_live_confirm(struct lws *wsi)
{
	struct transport_live *live = &transport_of(wsi)->live;
	struct response resp;
	int rc = 0;

	response_init(&resp);
	live->pending.wsi = NULL;
	api_live_release(&live->pending.st); /* an upgrade that lws dropped after confirming it */
	if (!live_decide(wsi, &live->pending.st, &resp))
		live->pending.wsi = wsi;
	else
		rc = transport_http_answer_now(wsi, &resp) ? -1 : 1;
	response_free(&resp);
	return rc;
}

/* FILTER_PROTOCOL_CONNECTION: takes the upgrade transport_live_confirm accepted; an HTTP/2 stream (lws
 * calls no CONFIRM_UPGRADE for those) is decided here, and a refusal answered on the stream at once, as
 * lws answers the upgrades it refuses itself (lws_process_ws_upgrade2). */
static int live_filter(struct lws *wsi, struct live_conn *c)
{
	struct transport_live *live = &transport_of(wsi)->live;
	struct response resp;
	int rc;

	memset(c, 0, sizeof(*c));
	/* an HTTP/2 stream never went through transport_live_confirm: a slot left by an upgrade that lws
	 * dropped after confirming it must not pass for it, even at the same address */
	if (live->pending.wsi == wsi && lws_get_network_wsi(wsi) == wsi) {
		c->st = live->pending.st;
		memset(&live->pending, 0, sizeof(live->pending));
		return 0;
	}
	response_init(&resp);
	rc = live_decide(wsi, &c->st, &resp) ? 1 : 0;
	if (rc)
		transport_http_answer_now(wsi, &resp);
	response_free(&resp);
	return rc;
}

/* Sets the close code and reason lws sends when the WRITEABLE callback returns -1. -1. */
static int live_close(struct lws *wsi, int code, const char *reason)
{
	lws_close_reason(wsi, (enum lws_close_status)code, (unsigned char *)(uintptr_t)reason,
			 strlen(reason));
	return -1;
}

/* Refuses the client's message with code: closed from the next WRITEABLE (returning -1 from RECEIVE
 * with the rest of a long frame unread loses the close frame); what still comes is dropped. */
static int live_refuse(struct lws *wsi, struct live_conn *c, int code)
{
	c->close_code = code;
	lws_callback_on_writable(wsi);
	return 0;
}

/* A piece of a client message (len bytes at in; lws hands a long frame over in pieces): collected up to
 * LIVE_RX_MAX and, once complete, handed to api/live (v2 subscribe, unsubscribe, resume; v1 ignores it).
 * What RFC 6455 lets an endpoint refuse is closed with its code; invalid UTF-8 in a text message is
 * closed with 1007 by lws itself (LWS_SERVER_OPTION_VALIDATE_UTF8). */
static int live_receive(struct lws *wsi, struct live_conn *c, const void *in, size_t len)
{
	struct transport *t = transport_of(wsi);
	char *grown;

	c->heard = (int64_t)time(NULL);
	if (c->close_code)
		return 0;
	if (lws_frame_is_binary(wsi))
		return live_refuse(wsi, c, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE);
	if (c->rx_len + len > LIVE_RX_MAX ||
	    lws_remaining_packet_payload(wsi) > LIVE_RX_MAX - c->rx_len - len) {
		free(c->rx);
		c->rx = NULL;
		return live_refuse(wsi, c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
	}
	if (c->st.version == 2 && len) {
		grown = realloc(c->rx, c->rx_len + len + 1);
		if (!grown)
			return -1;
		c->rx = grown;
		memcpy(c->rx + c->rx_len, in, len);
	}
	c->rx_len += len;
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return 0;
	if (c->rx && c->ready) {
		c->rx[c->rx_len] = '\0';
		api_live_message(t->app, &t->live.window, &c->st, c->rx, c->rx_len);
		lws_callback_on_writable(wsi);
	}
	free(c->rx);
	c->rx = NULL;
	c->rx_len = 0; /* the message is complete */
	return 0;
}

/* Sends the client's next message (api_live_next cuts it from the window), after checking again its
 * credentials when they may have changed or its session may have expired; a due ping goes first. -1
 * closes the connection. */
static int live_writeable(struct lws *wsi, struct live_conn *c)
{
	unsigned char ping[LWS_PRE + 4];
	struct transport *t = transport_of(wsi);
	int64_t now = (int64_t)time(NULL);
	struct api_live_out out;
	int rc;

	if (!c->ready)
		return 0;
	if (c->close_code == LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE)
		return live_close(wsi, c->close_code, "binary messages are not accepted");
	if (c->close_code)
		return live_close(wsi, c->close_code, "message too large");
	if (c->cred_gen != t->live.cred_gen || now >= c->st.until) {
		rc = api_live_check(t->app, &c->st, now);
		if (rc == 1)
			return live_close(wsi, LIVE_CLOSE_REVOKED, "credentials revoked");
		if (rc)
			return 0; /* the database cannot tell now: nothing is sent, the poll comes back */
		c->cred_gen = t->live.cred_gen;
	}
	if (c->ping_due) {
		c->ping_due = false;
		if (now - c->heard > live_idle_s)
			return live_close(wsi, LWS_CLOSE_STATUS_GOINGAWAY, "no answer to pings");
		/* with a payload: lws hands an empty pong to no callback, so its answer would never count */
		memcpy(ping + LWS_PRE, "live", 4);
		if (lws_write(wsi, ping + LWS_PRE, 4, LWS_WRITE_PING) < 0)
			return -1;
		lws_callback_on_writable(wsi);
		return 0;
	}
	/* answers to the client's own messages (subscribed, refused) go at once, like an HTTP answer: held,
	 * each client would keep its answers allocated while connections keep arriving */
	if (!c->st.replies && live_turn_spent(t, c))
		return 0; /* another request first: woken again at the next turn */
	rc = api_live_next(t->app, &t->live.window, &c->st, &out);
	if (rc == DOM_BUSY) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	if (rc == 1) {
		rc = lws_write(wsi, out.p, out.len, LWS_WRITE_TEXT) < (int)out.len ? -1 : 0;
		api_live_out_done(&out);
		if (rc)
			return -1;
	}
	if (api_live_pending(&t->live.window, &c->st))
		lws_callback_on_writable(wsi); /* there is more */
	return 0;
}

/* A client is established: it joins the list (the first one sets the window and the poll up). */
static int live_established(struct lws *wsi, struct live_conn *c)
{
	struct transport *t = transport_of(wsi);
	bool cred;

	if (t->live.window_ok && !t->live.clients) {
		/* nobody followed meanwhile: start afresh rather than read the backlog */
		api_live_window_free(&t->live.window);
		t->live.window_ok = false;
	}
	if (!t->live.window_ok) {
		if (api_live_window_init(&t->live.window, LWS_PRE))
			return -1;
		t->live.window_ok = true;
	}
	if (!t->live.window.ready && api_live_window_fill(t->app, &t->live.window, &cred) < 0)
		return -1;
	transport_http_upgraded(t, wsi);
	c->wsi = wsi;
	c->ready = true;
	c->cred_gen = t->live.cred_gen;
	c->heard = (int64_t)time(NULL);
	c->next = t->live.first;
	if (c->next)
		c->next->prev = c;
	t->live.first = c;
	if (!t->live.clients++) {
		live_timers();
		t->live.pings = c->heard;
		lws_sul_schedule(t->ctx, 0, &t->live.sul, live_poll, LIVE_POLL_US);
	}
	lws_callback_on_writable(wsi);
	return 0;
}

static void live_closed(struct lws *wsi, struct live_conn *c)
{
	struct transport *t = transport_of(wsi);

	if (c->ready) {
		live_paid(t, c);
		if (t->live.cursor == c)
			t->live.cursor = c->next;
		if (c->prev)
			c->prev->next = c->next;
		else
			t->live.first = c->next;
		if (c->next)
			c->next->prev = c->prev;
		if (t->live.clients > 0 && !--t->live.clients) {
			lws_sul_cancel(&t->live.sul);
			lws_sul_cancel(&t->live.fan_sul);
			t->live.cursor = NULL;
			t->live.yielding = false;
			t->live.owed = 0;
		}
	}
	c->ready = false;
	free(c->rx);
	c->rx = NULL;
	api_live_release(&c->st);
}

static int live_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct live_conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return live_filter(wsi, c);
	case LWS_CALLBACK_ESTABLISHED:
		return live_established(wsi, c);
	case LWS_CALLBACK_CLOSED:
		live_closed(wsi, c);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return live_writeable(wsi, c);
	case LWS_CALLBACK_RECEIVE:
		return live_receive(wsi, c, in, len);
	case LWS_CALLBACK_RECEIVE_PONG:
		if (c)
			c->heard = (int64_t)time(NULL);
		return 0;
	default:
		return 0;
	}
}

const struct lws_protocols transport_live_protocol = {
    .name = API_LIVE_PROTOCOL_V2,
    .callback = live_callback,
    .per_session_data_size = sizeof(struct live_conn),
    .rx_buffer_size = LIVE_RX_PIECE,
    .tx_packet_size = LIVE_TX_MAX,
};

const struct lws_protocols transport_live_protocol_v1 = {
    .name = API_LIVE_PROTOCOL,
    .callback = live_callback,
    .per_session_data_size = sizeof(struct live_conn),
    .rx_buffer_size = LIVE_RX_PIECE,
    .tx_packet_size = LIVE_TX_MAX,
};
