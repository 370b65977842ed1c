/*
 * transport/transport: the state of one server instance's transport — what the HTTP and WebSocket
 * protocols keep between callbacks, in one struct hung from its lws context's user pointer, so that two
 * instances could live in one process; it holds no behaviour.
 */
#ifndef MAJLIS_TRANSPORT_TRANSPORT_H
#define MAJLIS_TRANSPORT_TRANSPORT_H

#include <libwebsockets.h>

#include "transport/conn_watch.h"
#include "transport/http.h"
#include "transport/live.h"
#include "transport/static.h"
#include "transport/wake.h"

struct app;

/*
 * One per lws context, owned by its creator (main), set up by transport_init before the context is
 * created with its address as lws_context_creation_info.user, torn down after lws_context_destroy. Each
 * member belongs to the file named beside it; only the service thread of that context touches any of it,
 * except wake, whose lists its worker thread and wake_post's callers (any thread) touch under its lock.
 */
struct transport {
	struct app *app;
	struct lws_context *ctx;       /* set by transport_http_start */
	struct transport_http http;    /* transport/http.c */
	struct conn_watch_lists watch; /* transport/conn_watch.c */
	struct transport_static files; /* transport/static.c */
	struct transport_live live;    /* transport/live.c */
	struct wake wake; /* transport/wake.c: the worker for deferred work, other threads' news */
};

/* Zeroes t and sets the app it dispatches to. Before lws_create_context. */
void transport_init(struct transport *t, struct app *app);

/* The transport of wsi's context. Service thread. */
static inline struct transport *transport_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

#endif
