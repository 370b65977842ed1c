/*
 * transport/live: WebSocket clients of the change log. The upgrade is decided by api/live like any
 * request and a refusal is answered with its status and JSON body; each WRITEABLE sends the next visible
 * change as one JSON text frame; nothing is queued per client.
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

#define LIVE_FRAME_MAX	   (64 * 1024)
#define LIVE_POLL_US	   (2 * LWS_US_PER_SEC) /* commits of other processes (CLI, worker) are seen this late */
#define LIVE_RX_MAX	   1024 /* bytes of one client message (all its fragments); more is closed with 1009 */
#define LIVE_CLOSE_REVOKED 4001 /* close code: the credentials no longer hold (docs/api.md) */

/* One per WebSocket connection (lws per-session data); service thread only. */
struct live_conn {
	struct api_live st; /* who the client is and where it is in the change log */
	unsigned cred_gen;  /* live.cred_gen when its credentials were last checked */
	size_t rx_len;	    /* bytes of the client message being received */
	int close_code;	    /* set when a client message is refused: closed with it, the rest is dropped */
	bool ready;	    /* authenticated and established */
};

/* Looks for credential changes (logins, logouts, revocations, account updates) committed since
 * live.cred_seen: after one, every client checks its own credentials in its next WRITEABLE, before it
 * sends anything more, and one that no longer holds is closed. One cheap query per commit. */
static void live_cred_scan(struct transport *t)
{
	bool changed = false;

	if (!t->live.clients || api_live_credential_changes(t->app, &t->live.cred_seen, &changed))
		return;
	if (changed)
		t->live.cred_gen++;
}

void transport_live_changed(struct transport *t)
{
	if (!t->ctx || !t->live.clients)
		return;
	live_cred_scan(t);
	lws_callback_on_writable_all_protocol(t->ctx, &transport_live_protocol);
}

/* Every LIVE_POLL_US while clients are connected: changes committed by another process wake nobody
 * through the change sink, so the clients look for themselves (one cheap indexed query each). */
static void live_poll(lws_sorted_usec_list_t *sul)
{
	struct transport *t = lws_container_of(sul, struct transport, live.sul);

	if (!t->live.clients)
		return;
	transport_live_changed(t);
	lws_sul_schedule(t->ctx, 0, &t->live.sul, live_poll, LIVE_POLL_US);
}

void transport_live_stop(struct transport *t)
{
	lws_sul_cancel(&t->live.sul);
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

/* A piece of a client message (len bytes; lws hands a long frame over in pieces). Clients only listen,
 * so a small text message is ignored; what RFC 6455 lets an endpoint refuse is closed with its code.
 * Invalid UTF-8 in a text message is closed with 1007 by lws itself (LWS_SERVER_OPTION_VALIDATE_UTF8). */
static int live_receive(struct lws *wsi, struct live_conn *c, size_t len)
{
	if (c->close_code)
		return 0;
	if (lws_frame_is_binary(wsi))
		return live_refuse(wsi, c, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE);
	c->rx_len += len;
	if (c->rx_len > LIVE_RX_MAX || lws_remaining_packet_payload(wsi) > LIVE_RX_MAX - c->rx_len)
		return live_refuse(wsi, c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
	if (lws_is_final_fragment(wsi))
		c->rx_len = 0; /* the message is complete */
	return 0;
}

/* Sends the next visible change, if any, after checking again the client's credentials when they may have
 * changed or its session may have expired. -1 closes the connection. */
static int live_writeable(struct lws *wsi, struct live_conn *c)
{
	unsigned char buf[LWS_PRE + LIVE_FRAME_MAX];
	struct transport *t = transport_of(wsi);
	struct json_object *row = NULL;
	int64_t now = (int64_t)time(NULL);
	const char *text;
	int64_t seq = 0;
	size_t n;
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
	rc = api_live_next(t->app, &c->st, &row, &seq);
	if (rc == 1)
		return 0;
	if (rc)
		return rc == DOM_BUSY ? (lws_callback_on_writable(wsi), 0) : -1;
	if (seq > t->live.cred_seen) {
		/* committed by another process since the last look: its credential changes come first */
		live_cred_scan(t);
		if (seq > t->live.cred_seen || c->cred_gen != t->live.cred_gen) {
			json_object_put(row);
			if (seq <= t->live.cred_seen)
				lws_callback_on_writable_all_protocol(t->ctx, &transport_live_protocol);
			return 0;
		}
	}
	text = json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	n = strlen(text);
	if (n > LIVE_FRAME_MAX) {
		/* never happens with ids-only payloads; skip rather than stall */
		json_object_put(row);
		c->st.last = seq;
		lws_callback_on_writable(wsi);
		return 0;
	}
	memcpy(buf + LWS_PRE, text, n);
	json_object_put(row);
	if (lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_TEXT) < (int)n)
		return -1;
	c->st.last = seq;
	lws_callback_on_writable(wsi); /* there may be more */
	return 0;
}

static int live_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct live_conn *c = user;
	struct transport *t = wsi ? transport_of(wsi) : NULL; /* for the connection reasons below */

	(void)in;
	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return live_filter(wsi, c);
	case LWS_CALLBACK_ESTABLISHED:
		/* its credentials were checked at the handshake: earlier changes do not concern it */
		if (!t->live.clients && api_live_head(t->app, &t->live.cred_seen))
			return -1;
		c->ready = true;
		c->cred_gen = t->live.cred_gen;
		if (!t->live.clients++)
			lws_sul_schedule(t->ctx, 0, &t->live.sul, live_poll, LIVE_POLL_US);
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLOSED:
		if (c->ready && t->live.clients > 0 && !--t->live.clients)
			lws_sul_cancel(&t->live.sul);
		c->ready = false;
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return live_writeable(wsi, c);
	case LWS_CALLBACK_RECEIVE:
		return live_receive(wsi, c, len);
	default:
		return 0;
	}
}

const struct lws_protocols transport_live_protocol = {
    .name = API_LIVE_PROTOCOL,
    .callback = live_callback,
    .per_session_data_size = sizeof(struct live_conn),
    .rx_buffer_size = 1024,
};
