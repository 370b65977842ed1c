/*
 * transport/conn_watch: connection timeouts, kept here rather than by lws — three lists of connections,
 * each with one limit, and the timer that sweeps their heads; it reads and writes no request or answer.
 */
#include "transport/conn_watch.h"
#include "transport/transport.h"

/*
 * lws 4.1 arms a timeout when a request's headers are complete (30 s for the whole answer, however slowly
 * the client reads it) and another after every answer (keep-alive); its timeouts live in one list per
 * thread that it keeps sorted by inserting from the head, so with every connection holding one each
 * insertion walks all of them: twice per request, O(connections) each. Here a connection is watched in one
 * list per kind, each with one limit, to whose tail it moves on progress, so each list is sorted by
 * construction and every step is O(1). A request body has its own timer (408, --body-timeout, in
 * transport/http.c); a request waiting for the worker has none.
 */
#define CONN_WATCH_LINGER_S 2 /* CONN_WATCH_LINGER: close when the client sends nothing for this long */
#define CONN_WATCH_SWEEP_US (LWS_US_PER_SEC / 2)

void conn_watch_as(struct conn_watch *w, struct lws *wsi, enum conn_watch_kind kind)
{
	lws_dll2_remove(&w->node);
	w->since = lws_now_usecs();
	w->wsi = wsi;
	lws_dll2_add_tail(&w->node, &transport_of(wsi)->watch.lists[kind]);
}

void conn_watch_remove(struct conn_watch *w)
{
	lws_dll2_remove(&w->node);
}

static void conn_watch_sweep(lws_sorted_usec_list_t *sul)
{
	static const int reason[CONN_WATCH_N] = {PENDING_TIMEOUT_HTTP_KEEPALIVE_IDLE,
						 PENDING_TIMEOUT_HTTP_CONTENT, PENDING_TIMEOUT_HTTP_CONTENT};
	struct conn_watch_lists *l = lws_container_of(sul, struct conn_watch_lists, timer);
	lws_usec_t now = lws_now_usecs();
	lws_dll2_t *d;

	for (int k = 0; k < CONN_WATCH_N; k++) {
		while ((d = lws_dll2_get_head(&l->lists[k]))) {
			struct conn_watch *w = lws_container_of(d, struct conn_watch, node);

			if (now - w->since < (lws_usec_t)l->limit_s[k] * LWS_US_PER_SEC)
				break;
			lws_dll2_remove(d);
			/* closed from lws's next pass, as by its own timeout */
			lws_set_timeout(w->wsi, (enum pending_timeout)reason[k], LWS_TO_KILL_ASYNC);
		}
	}
	lws_sul_schedule(l->ctx, 0, &l->timer, conn_watch_sweep, CONN_WATCH_SWEEP_US);
}

void conn_watch_start(struct conn_watch_lists *l, struct lws_context *ctx, int keepalive_s,
		      int send_timeout_s)
{
	l->ctx = ctx;
	l->limit_s[CONN_WATCH_IDLE] = keepalive_s;
	l->limit_s[CONN_WATCH_SEND] = send_timeout_s;
	l->limit_s[CONN_WATCH_LINGER] = CONN_WATCH_LINGER_S;
	lws_sul_schedule(ctx, 0, &l->timer, conn_watch_sweep, CONN_WATCH_SWEEP_US);
}

void conn_watch_stop(struct conn_watch_lists *l)
{
	lws_sul_cancel(&l->timer);
}
