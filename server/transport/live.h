/*
 * transport/live: the "majlis-live" WebSocket protocol — authenticated clients follow the change log,
 * one frame per WRITEABLE callback, reading from the database rather than queueing (a slow reader
 * lags behind in sequence numbers and costs no memory).
 */
#ifndef MAJLIS_TRANSPORT_LIVE_H
#define MAJLIS_TRANSPORT_LIVE_H

#include <libwebsockets.h>

struct app;

extern const struct lws_protocols transport_live_protocol;

/* Sets the app (database, settings) the protocol serves. Call once before serving. */
void transport_live_init(struct app *app, struct lws_context *ctx);
/* LWS_CALLBACK_HTTP_CONFIRM_UPGRADE of a WebSocket upgrade on wsi (the HTTP protocol's callback passes
 * it on): 0 to let lws go on with the upgrade to this protocol, 1 when refused and answered (status and
 * JSON error body), -1 to hang up. Service thread. */
int transport_live_confirm(struct lws *wsi);
/* A change was committed: wake every live client (service thread). */
void transport_live_changed(void);
/* Cancels the protocol's timer. Before lws_context_destroy. */
void transport_live_stop(void);

#endif
