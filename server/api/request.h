/*
 * request: the request and response a handler sees, free of any transport type; the transport fills a
 * request and writes a response, handlers never touch sockets.
 */
#ifndef MAJLIS_API_REQUEST_H
#define MAJLIS_API_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_OTHER
};

#define HTTP_PATH_MAX	1024
#define HTTP_QUERY_MAX	2048
#define HTTP_HDR_MAX	512
#define HTTP_BODY_MAX	(1024 * 1024)	  /* JSON request bodies */
#define HTTP_UPLOAD_MAX (8 * 1024 * 1024) /* .ics uploads */

/* One per request, owned by the transport, read-only to handlers. Strings are "" when absent. */
struct request {
	enum http_method method;
	char path[HTTP_PATH_MAX];   /* URL-decoded path, no query */
	char query[HTTP_QUERY_MAX]; /* raw query string without '?' */
	char content_type[128];
	char authorization[HTTP_HDR_MAX];
	char cookie[HTTP_HDR_MAX];
	char origin[256];
	char host[256];
	char client[48]; /* the peer's address as the transport sees it; "" = unknown */
	char if_none_match[256];
	char if_modified_since[64];
	char idempotency_key[128];
	char csrf_token[128]; /* X-CSRF-Token */
	char accept_language[128];
	char accept_encoding[128]; /* "" when absent or longer */
	bool tls;		   /* arrived over TLS */
	const char *body;	   /* NUL-terminated, body_len bytes; NULL when none */
	size_t body_len;
	int64_t now; /* arrival time, seconds since the epoch */
};

#define HTTP_EXTRA_HEADERS 8

struct app;
struct response;

/*
 * Work a handler hands off the service thread (CPU-bound only: password hashing). The transport runs
 * run() on a worker thread — no database, no sockets, no shared state — then calls finish() back on
 * the service thread with the same request to fill the response. release() frees it on the service
 * thread, after finish or when the connection went away first. Allocated by the handler.
 */
struct defer {
	void (*run)(struct defer *d);
	void (*finish)(struct app *app, const struct request *req, struct defer *d, struct response *resp);
	void (*release)(struct defer *d);
};

/* One per request, filled by the handler, written by the transport. */
/* A new field here must also be set by response_init. */
struct response {
	int status;
	const char *content_type; /* static string; default application/json */
	struct buf body;
	int n_headers;
	struct {
		char name[48];
		char value[512];
	} headers[HTTP_EXTRA_HEADERS];
	bool close;	     /* close the connection after writing */
	struct defer *defer; /* set by a handler that answers later (see struct defer) */
	/* Optional body that the transport sends instead of body without copying (e.g. a cached feed).
	 * It must stay valid until release(shared_ctx) is called by the transport. */
	const char *shared;
	size_t shared_len;
	void (*release)(void *shared_ctx);
	void *shared_ctx;
	/* Bytes of the same allocation in front of shared (0: none), so that the transport may hand shared
	 * to a library wanting headroom in front of a buffer without copying it; neither they nor shared
	 * are ever written to (other responses may be sending the same bytes). Not part of the body. */
	size_t shared_headroom;
	/* A file descriptor holding the shared bytes at offset shared_headroom (-1: none), never written to
	 * while the response lives, so that the transport may send them with sendfile(). */
	int shared_fd;
};

void response_init(struct response *r);
void response_free(struct response *r);
/* Whether a header of that name (any case) was added. */
bool response_has_header(const struct response *r, const char *name);
/* Adds a header; returns -1 when full or too long (a bug: logged). Security headers (CSP, nosniff,
 * frame and referrer policies) are added to every answer by the transport: do not add them here. */
int response_header(struct response *r, const char *name, const char *value);

/* Query string access: copies the URL-decoded value of key into out. Returns 1 found, 0 absent,
 * -1 malformed (bad percent-encoding, invalid UTF-8, or too long). */
int request_query(const struct request *req, const char *key, char *out, size_t outlen);

/* The value of cookie name into out: 1 found, 0 absent. */
int request_cookie(const struct request *req, const char *name, char *out, size_t outlen);

const char *http_method_name(enum http_method m);

#endif
