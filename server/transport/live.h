/*
 * transport/live: the "majlis-live" WebSocket protocol — authenticated clients follow the change log,
 * one frame per WRITEABLE callback, reading from the database rather than queueing (a slow reader
 * lags behind in sequence numbers and costs no memory).
 */
#ifndef MAJLIS_TRANSPORT_LIVE_H
#define MAJLIS_TRANSPORT_LIVE_H

#include <libwebsockets.h>

struct app;

#define LIVE_PROTOCOL "majlis-live"

extern const struct lws_protocols transport_live_protocol;

/* Sets the app (database, settings) the protocol serves. Call once before serving. */
void transport_live_init(struct app *app, struct lws_context *ctx);
/* A change was committed: wake every live client (service thread). */
void transport_live_changed(void);
/* Cancels the protocol's timer. Before lws_context_destroy. */
void transport_live_stop(void);

#endif
