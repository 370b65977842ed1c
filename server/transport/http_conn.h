/*
 * transport/http_conn: the transport's own view of one HTTP transaction, shared by the files that collect
 * a request (http.c) and write its answer (http_write.c); private to server/transport/.
 */
#ifndef MAJLIS_TRANSPORT_HTTP_CONN_H
#define MAJLIS_TRANSPORT_HTTP_CONN_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/request.h"
#include "transport/conn_watch.h"
#include "util/buf.h"
#include "util/chunked.h"

struct http_pss;

enum http_state {
	HTTP_IDLE = 0,
	HTTP_READING,	 /* collecting the body */
	HTTP_DEFERRED,	 /* a handler's work runs on the worker thread */
	HTTP_RESPONDING, /* response ready, being written */
	HTTP_DISCARDING	 /* answered before the request body ended (413): reading the rest to drop it */
};

/* One per HTTP transaction in progress, taken from a pool when its headers are complete and given back
 * when it ends, so an idle kept-alive connection holds none (it is ~10 KiB). Service thread only. */
struct http_conn {
	struct http_conn *next_spare; /* in its transport's spare list while unused */
	struct transport *t;	      /* the transport of its connection's context */
	struct http_pss *pss;
	struct lws *wsi;
	enum http_state state;
	struct request req;
	struct buf body;
	size_t body_limit;
	struct response resp;
	bool resp_live;	   /* resp was initialised and must be freed */
	bool headers_sent; /* built, and handed to lws or pending in head */
	bool head_only;
	bool body_pending; /* a request body was announced and has not ended */
	bool linger;	   /* on an early answer, drop the rest of the body before closing */
	bool chunked;	   /* the body comes in the chunked coding, which the transport decodes (lws 4.1
			    * does not): ck finds its end, also while it is being dropped */
	bool unframed;	   /* lws cannot tell where the request ends: answer, then close */
	bool last;	   /* the client asked for the connection to close after this answer */
	bool fan_waits;	   /* a change it committed fans out once the answer leaves (transport/live.h) */
	struct chunked ck;
	size_t discarded;
	unsigned char head[LWS_PRE + 4096]; /* the header block, built after LWS_PRE bytes of headroom */
	size_t head_len; /* bytes of the block still ours to send with the body (plain HTTP/1) */
	size_t head_sent;
	size_t sent;
	lws_sorted_usec_list_t body_timer; /* 408 when the body does not arrive in time */
	lws_sorted_usec_list_t hold_timer; /* ends the hold on reading that http_respond starts */
	void *wake_handle;		   /* the deferred job while HTTP_DEFERRED */
};

/* lws's per-session data. lws frees it and allocates it zeroed again after every answer on a kept-alive
 * connection, so it stays small. */
struct http_pss {
	struct lws *wsi;
	struct http_conn *c;	 /* the transaction in progress, if any */
	struct conn_watch watch; /* while idle, sending or dropping a body (transport/conn_watch.c) */
};

/* Whether c is an HTTP/2 stream (over TLS with ALPN): its writes are frames the peer's flow control
 * window bounds, and connection-level headers are not allowed. */
static inline bool http_is_h2(const struct http_conn *c)
{
	return lws_get_network_wsi(c->wsi) != c->wsi;
}

/*
 * Writes the next piece of c's answer (state HTTP_RESPONDING), from a WRITEABLE callback: the header
 * block, then the body as the connection allows (sendfile() or send() on plain HTTP/1, lws_write on TLS,
 * DATA frames within the peer's window on HTTP/2). Returns 1 when the whole answer is out, 0 when more
 * remains (another WRITEABLE is asked for), -1 to close the connection. Service thread.
 */
int http_write_next(struct http_conn *c);

#endif
