/*
 * transport/static: the static client (the web root's files) served from majlisd's own HTTP callback;
 * it answers GET and HEAD outside the API's paths and nothing else.
 */
#ifndef MAJLIS_TRANSPORT_STATIC_H
#define MAJLIS_TRANSPORT_STATIC_H

#include <stdbool.h>
#include <stddef.h>

struct request;
struct response;
struct transport;
struct variants;

/* The static client's root in struct transport (its files member): transport/static.c's own, service
 * thread only. */
struct transport_static {
	int rootfd; /* the web root, open while serving (-1: none) */
	const char *const *api_prefixes;
	size_t n_prefixes;
	struct variants *variants; /* the compressed variants of its files (transport/variants.c) */
};

/*
 * t serves root (an absolute path without symbolic links, as realpath gives it) for every path outside
 * api_prefixes (n of them: "/api" covers "/api" and "/api/...", not "/apix"). Opens root once and keeps it
 * open until transport_static_stop, and makes the compressed variants of its files of a text type (up to
 * VARIANTS_MAX files, 8 directories deep) before it returns. Returns 0, or -1 (errno set). Service thread,
 * before serving; the prefixes must outlive serving.
 */
int transport_static_init(struct transport *t, const char *root, const char *const *api_prefixes, size_t n);
/* Closes the web root and drops the variants (nothing when it is not open). After transport_http_stop:
 * the worker may still hold a variant job before. */
void transport_static_stop(struct transport *t);

/* Whether req is the static client's to answer: a GET or HEAD whose path lies outside the API's. */
bool transport_static_wants(const struct transport *t, const struct request *req);

/*
 * Fills resp for req: the file at req->path under the web root (index.html for a directory) with its type,
 * a strong ETag, Last-Modified and the client's caching rules, sent from the open file without a copy (the
 * response holds the descriptor and a read-only mapping, released when it is written); for a text type,
 * Vary: Accept-Encoding, and its gzip or brotli variant with Content-Encoding and its own ETag (suffix
 * "-gz", "-br") when Accept-Encoding prefers it and it is ready for the file as it is now (else the file
 * itself, while the worker makes it again); 304 when the validators of the coding chosen match; the usual
 * JSON 404 for anything missing or refused. Nothing is read or compressed on the loop but the directory
 * walk. Service thread.
 */
void transport_static_serve(struct transport *t, const struct request *req, struct response *resp);

#endif
