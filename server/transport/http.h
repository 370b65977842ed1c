/*
 * transport/http: the libwebsockets HTTP protocol of majlisd — collects a bounded request, hands it
 * to the router and writes the response from WRITEABLE callbacks; it decides nothing about content.
 */
#ifndef MAJLIS_TRANSPORT_HTTP_H
#define MAJLIS_TRANSPORT_HTTP_H

#include <libwebsockets.h>
#include <stdbool.h>

struct app;

/* The protocol entry for the vhost's protocol list (its per-session data is the transport's own). */
extern const struct lws_protocols transport_http_protocol;

/* The headers every answer carries (content security policy, nosniff, frame and referrer policies), for
 * the vhost's info.headers: lws writes them in front of each answer's own. Read-only, any thread. */
extern const struct lws_protocol_vhost_options *const transport_http_headers;

struct request;

/* Copies what authentication needs — Authorization, Cookie, Origin, Host (or :authority), TLS — from
 * the request on wsi into req; over-long headers are left empty. Shared with the WebSocket handshake. */
void transport_http_credentials(struct lws *wsi, struct request *req);

/* The query string of the request on wsi as struct request holds it: fragments as lws decoded them,
 * joined by '&' after re-encoding '&', '=' and '%' in each value so that request_query can split and
 * decode them unambiguously. 0, or -1 when too long. */
int transport_http_query(struct lws *wsi, char *out, size_t outlen);

struct response;

/*
 * Writes r (status, headers, body up to 1 KiB) on wsi at once, inside the current callback: with
 * "connection: close" over HTTP/1.1, as a HEADERS and a stream-ending DATA frame on an HTTP/2 stream.
 * Only for refusing a WebSocket upgrade (LWS_CALLBACK_HTTP_CONFIRM_UPGRADE, or FILTER_PROTOCOL_CONNECTION
 * of an HTTP/2 stream), where lws 4.1 wants the answer written before the callback returns (it then ends
 * the transaction or the stream); every other answer is written from WRITEABLE. 0, or -1.
 */
int transport_http_answer_now(struct lws *wsi, const struct response *r);

struct transport;
struct http_conn;

/* The HTTP protocol's state in struct transport (its http member): transport/http.c's own, service thread
 * only. */
struct transport_http {
	struct http_conn *spare; /* transactions kept for reuse */
	int n_spare;
	bool stopped;	/* after transport_http_stop: transactions are freed, not kept */
	bool draining;	/* new requests get 503 and a closed connection */
	int active;	/* requests being read or written */
	int waiting_ep; /* epoll set of the listening socket and the HTTP connections (-1: none), read by
			 * transport_http_waiting */
};

/* Starts t's connection watch and the worker for deferred handler work, once ctx (created with t as its
 * user pointer) exists. Returns 0 or -1. */
int transport_http_start(struct transport *t, struct lws_context *ctx);
/* Joins the worker, answering or releasing what it still held. Before lws_context_destroy. */
void transport_http_stop(struct transport *t);

/* Whether another request needs the loop: one is being read, handled or answered, or input waits on the
 * listening socket or on an HTTP connection (the live fan-out then yields, transport/live.c). A few
 * microseconds (one epoll_wait that does not wait). Service thread. */
bool transport_http_waiting(struct transport *t);
/* wsi's connection became a WebSocket: its input no longer counts for transport_http_waiting. */
void transport_http_upgraded(struct transport *t, struct lws *wsi);

/* Stop taking new requests (they get 503 and a closed connection); in-flight ones complete. */
void transport_http_drain(struct transport *t);
/* Requests currently being read or written. */
int transport_http_active(const struct transport *t);

#endif
