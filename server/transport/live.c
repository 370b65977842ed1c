/*
 * transport/live: WebSocket clients of the change log. The handshake is authenticated like any request
 * (cookie or bearer; a cookie also needs this site's Origin, against cross-site WebSocket hijacking);
 * each WRITEABLE sends the next visible change as one JSON text frame; nothing is queued per client.
 */
#include "transport/live.h"
#include "transport/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/common.h"
#include "domain/live.h"
#include "util/log.h"

#define LIVE_FRAME_MAX (64 * 1024)
#define LIVE_POLL_US (2 * LWS_US_PER_SEC) /* commits of other processes (CLI, worker) are seen this late */

/* One per WebSocket connection (lws per-session data); service thread only. */
struct live_conn {
	struct principal p;
	int64_t last;     /* sequence number of the last change sent (or where replay starts) */
	bool ready;       /* authenticated and established */
};

static struct app *live_app;
static struct lws_context *live_ctx;
static int live_clients;               /* established connections */
static lws_sorted_usec_list_t live_sul; /* wakes the clients while there are any */

void transport_live_init(struct app *app, struct lws_context *ctx)
{
	live_app = app;
	live_ctx = ctx;
}

void transport_live_changed(void)
{
	if (live_ctx && live_clients)
		lws_callback_on_writable_all_protocol(live_ctx, &transport_live_protocol);
}

/* Every LIVE_POLL_US while clients are connected: changes committed by another process wake nobody
 * through the change sink, so the clients look for themselves (one cheap indexed query each). */
static void live_poll(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (!live_clients)
		return;
	transport_live_changed();
	lws_sul_schedule(live_ctx, 0, &live_sul, live_poll, LIVE_POLL_US);
}

void transport_live_stop(void)
{
	lws_sul_cancel(&live_sul);
}

/* The handshake: who is asking, from which site, and from which sequence number. 0 to accept. */
static int live_handshake(struct lws *wsi, struct live_conn *c)
{
	struct request *req = calloc(1, sizeof(*req));
	struct response resp;
	struct dom_err err;
	char since[32];
	const char *v;
	char *end;
	int rc = -1;

	if (!req)
		return -1;
	response_init(&resp);
	req->method = HTTP_GET;
	req->now = (int64_t)time(NULL);
	transport_http_credentials(wsi, req);
	if (api_auth(live_app, req, &resp, &c->p, true) || !live_allowed(&c->p))
		goto out;
	/* a browser sends its cookie to any site's WebSocket: the origin must be this server's */
	if (c->p.via_cookie && !api_auth_origin_ok(live_app, req))
		goto out;
	/* lws copies the whole "since=N" fragment into the buffer and points past the name */
	if ((v = lws_get_urlarg_by_name(wsi, "since=", since, sizeof(since)))) {
		c->last = strtoll(v, &end, 10);
		if (end == v || *end || c->last < 0)
			goto out;
	} else if (live_head(live_app->db, &c->last, &err)) {
		goto out;
	}
	rc = 0;
out:
	response_free(&resp);
	free(req);
	return rc;
}

/* Sends the next visible change, if any. -1 closes the connection. */
static int live_writeable(struct lws *wsi, struct live_conn *c)
{
	unsigned char buf[LWS_PRE + LIVE_FRAME_MAX];
	struct json_object *row = NULL;
	struct dom_err err;
	const char *text;
	int64_t seq = 0;
	size_t n;
	int rc;

	if (!c->ready)
		return 0;
	rc = live_next(live_app->db, &c->p, c->last, &row, &seq, &err);
	if (rc == DOM_NOT_FOUND)
		return 0;
	if (rc) {
		log_warn("live: %s", err.message);
		return rc == DOM_BUSY ? (lws_callback_on_writable(wsi), 0) : -1;
	}
	text = json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	n = strlen(text);
	if (n > LIVE_FRAME_MAX) {
		/* never happens with ids-only payloads; skip rather than stall */
		json_object_put(row);
		c->last = seq;
		lws_callback_on_writable(wsi);
		return 0;
	}
	memcpy(buf + LWS_PRE, text, n);
	json_object_put(row);
	if (lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_TEXT) < (int)n)
		return -1;
	c->last = seq;
	lws_callback_on_writable(wsi); /* there may be more */
	return 0;
}

static int live_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct live_conn *c = user;

	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		memset(c, 0, sizeof(*c));
		return live_handshake(wsi, c) ? 1 : 0;
	case LWS_CALLBACK_ESTABLISHED:
		c->ready = true;
		if (!live_clients++)
			lws_sul_schedule(live_ctx, 0, &live_sul, live_poll, LIVE_POLL_US);
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLOSED:
		if (c->ready && live_clients > 0 && !--live_clients)
			lws_sul_cancel(&live_sul);
		c->ready = false;
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return live_writeable(wsi, c);
	case LWS_CALLBACK_RECEIVE:
		return 0; /* clients only listen; anything they send is ignored */
	default:
		return 0;
	}
}

const struct lws_protocols transport_live_protocol = {
	.name = LIVE_PROTOCOL,
	.callback = live_callback,
	.per_session_data_size = sizeof(struct live_conn),
	.rx_buffer_size = 1024,
};
