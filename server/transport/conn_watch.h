/*
 * transport/conn_watch: the timeouts of HTTP connections (idle kept-alive, an answer being sent, a refused
 * body being dropped), each kind in one list sorted by construction and swept by one timer; it closes
 * what overstays through lws and knows nothing of requests.
 */
#ifndef MAJLIS_TRANSPORT_CONN_WATCH_H
#define MAJLIS_TRANSPORT_CONN_WATCH_H

#include <libwebsockets.h>

enum conn_watch_kind {
	CONN_WATCH_IDLE,   /* a kept-alive connection awaiting its next request: --keepalive-timeout */
	CONN_WATCH_SEND,   /* an answer being written: closed when the client takes nothing for --send-timeout
			    */
	CONN_WATCH_LINGER, /* the rest of a refused body being dropped: closed when nothing comes for 2 s */
	CONN_WATCH_N
};

/* One per watched connection, inside its per-session data (zeroed: not watched). Service thread only. */
struct conn_watch {
	lws_dll2_t node; /* in the list of its kind while watched */
	lws_usec_t since;
	struct lws *wsi;
};

/* The lists of one transport (struct transport's watch): its own, service thread only. */
struct conn_watch_lists {
	lws_dll2_owner_t lists[CONN_WATCH_N];
	int limit_s[CONN_WATCH_N];
	lws_sorted_usec_list_t timer;
	struct lws_context *ctx;
};

/* Watches wsi as kind from now on, in its transport's lists (moving it to the tail of that list: progress
 * restarts its limit). */
void conn_watch_as(struct conn_watch *w, struct lws *wsi, enum conn_watch_kind kind);
/* Stops watching (no-op when not watched). */
void conn_watch_remove(struct conn_watch *w);

/* Starts the sweep of l on ctx with the limits of the idle and send kinds, in seconds. Service thread. */
void conn_watch_start(struct conn_watch_lists *l, struct lws_context *ctx, int keepalive_s,
		      int send_timeout_s);
/* Cancels the sweep. Before lws_context_destroy. */
void conn_watch_stop(struct conn_watch_lists *l);

#endif
