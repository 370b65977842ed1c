/*
 * transport/live: the sockets of the "majlis-live.v2" and "majlis-live" WebSocket protocols — the
 * upgrade, the clients' list, the fan-out (bounded per loop turn while other requests wait), one write per
 * WRITEABLE of what api/live cuts from the shared window (a slow reader is a cursor: it costs no memory per
 * change).
 */
#ifndef MAJLIS_TRANSPORT_LIVE_H
#define MAJLIS_TRANSPORT_LIVE_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/live.h"

struct transport;
struct live_conn;

/* The WebSocket protocol's state in struct transport (its live member): transport/live.c's own, service
 * thread only. */
struct transport_live {
	/* an upgrade accepted by transport_live_confirm, handed to the connection's
	 * FILTER_PROTOCOL_CONNECTION: lws calls both in one pass for one connection, so one slot is enough */
	struct {
		struct lws *wsi;
		struct api_live st;
	} pending;
	int clients;			/* established connections */
	struct live_conn *first;	/* the established connections */
	struct live_conn *cursor;	/* where the fan-out goes on next turn, or NULL when done */
	lws_sorted_usec_list_t sul;	/* the change-log poll, while there are clients */
	lws_sorted_usec_list_t fan_sul; /* the fan-out's next slice */
	struct api_live_window window;	/* the recent changes, rendered once (api/live) */
	bool window_ok;			/* window set up */
	unsigned cred_gen;  /* bumped when credentials changed: each client checks its own again */
	int64_t pings;	    /* when pings were last sent */
	int64_t turn_start; /* this turn's first write (lws_now_usecs; 0 before it), for LIVE_TURN_US */
	bool yielding;	    /* the rest of this loop turn's writes wait: another request needs the loop */
	int owed;	    /* clients left unwritten by a turn's yield: the next turns wake them first */
	int holding;	    /* requests being handled (transport_live_hold): their changes wait */
	bool held;	    /* a change came while holding: its fan-out waits for an answer to leave */
};

/* The two subprotocols, served by one callback (majlis-live.v2 first). */
extern const struct lws_protocols transport_live_protocol;
extern const struct lws_protocols transport_live_protocol_v1;

/* LWS_CALLBACK_HTTP_CONFIRM_UPGRADE of a WebSocket upgrade on wsi (the HTTP protocol's callback passes
 * it on): 0 to let lws go on with the upgrade to this protocol, 1 when refused and answered (status and
 * JSON error body), -1 to hang up. Service thread. */
int transport_live_confirm(struct lws *wsi);
/* A change was committed: wake every live client of t (service thread; nothing before
 * transport_http_start). A change committed while a request is handled (between transport_live_hold and
 * transport_live_unhold) is put in the window at once, but its fan-out waits for that request's answer. */
void transport_live_changed(struct transport *t);
/* A request is about to be handled on the service thread: the fan-out of what it commits waits until its
 * answer has left (transport_live_answered), so that the answer never queues behind the fan-out. */
void transport_live_hold(struct transport *t);
/* The request's handler returned: true when a change it committed waits for its answer, and the caller
 * then owes one transport_live_answered (when the answer's first bytes are written, or when the request
 * ends without an answer). */
bool transport_live_unhold(struct transport *t);
/* The answer that held a fan-out has left (or will never leave): the fan-out starts, from the next loop
 * turn on. */
void transport_live_answered(struct transport *t);
/* Cancels the protocol's timers and frees the window. Before lws_context_destroy. */
void transport_live_stop(struct transport *t);

#endif
