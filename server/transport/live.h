/*
 * transport/live: the "majlis-live" WebSocket protocol — authenticated clients follow the change log,
 * one frame per WRITEABLE callback, reading from the database rather than queueing (a slow reader
 * lags behind in sequence numbers and costs no memory).
 */
#ifndef MAJLIS_TRANSPORT_LIVE_H
#define MAJLIS_TRANSPORT_LIVE_H

#include <libwebsockets.h>
#include <stdint.h>

#include "api/live.h"

struct transport;

/* The WebSocket protocol's state in struct transport (its live member): transport/live.c's own, service
 * thread only. */
struct transport_live {
	/* an upgrade accepted by transport_live_confirm, handed to the connection's
	 * FILTER_PROTOCOL_CONNECTION: lws calls both in one pass for one connection, so one slot is enough */
	struct {
		struct lws *wsi;
		struct api_live st;
	} pending;
	int clients;		    /* established connections */
	lws_sorted_usec_list_t sul; /* wakes the clients while there are any */
	int64_t cred_seen;	    /* change-log position up to which credential changes were looked for */
	unsigned cred_gen;	    /* bumped when credentials changed: each client checks its own again */
};

extern const struct lws_protocols transport_live_protocol;

/* LWS_CALLBACK_HTTP_CONFIRM_UPGRADE of a WebSocket upgrade on wsi (the HTTP protocol's callback passes
 * it on): 0 to let lws go on with the upgrade to this protocol, 1 when refused and answered (status and
 * JSON error body), -1 to hang up. Service thread. */
int transport_live_confirm(struct lws *wsi);
/* A change was committed: wake every live client of t (service thread; nothing before
 * transport_http_start). */
void transport_live_changed(struct transport *t);
/* Cancels the protocol's timer. Before lws_context_destroy. */
void transport_live_stop(struct transport *t);

#endif
