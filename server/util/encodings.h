/*
 * encodings: the bytes of one text body in each content coding worth sending (identity when asked, gzip
 * and brotli when smaller), each in a reference-counted sealed memory mapping (its descriptor closed) with
 * headroom for the transport; it encodes and hands out references, and decides nothing about what is
 * compressed or which coding a request gets.
 */
#ifndef MAJLIS_UTIL_ENCODINGS_H
#define MAJLIS_UTIL_ENCODINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/compress.h"

#define ENCODINGS_HEADROOM 32 /* >= LWS_PRE (16 in lws 4.1): bytes in front of each encoding's bytes */

/* The bytes of one coding, reference-counted: the struct encodings holding it keeps one reference and
 * every response being written holds one, so an encoding replaced while it is sent stays valid. */
struct encodings_blob;

/* One body's encodings; blob[c] NULL: none for coding c (not made, not smaller, or out of memory). Owned
 * by its maker; one thread at a time (the service thread's, or a worker's until handed back). */
struct encodings {
	struct encodings_blob *blob[COMPRESS_N];
};

/* One encoding handed to a response: data stays valid until encodings_blob_release(blob). */
struct encodings_view {
	const char *data;
	size_t len;
	size_t headroom; /* bytes of the blob in front of data (ENCODINGS_HEADROOM), see struct response */
	int fd;		 /* -1: the bytes are sent from memory (no descriptor is kept per encoding) */
	struct encodings_blob *blob;
};

/*
 * Encodes the len bytes at data (NULL when len is 0) into e (emptied first): gzip and brotli each kept only
 * when smaller than len, and the identity too when with_identity (a copy of the bytes, served from memory;
 * an empty body has none). Whatever fails is left out. Any thread; CPU-bound (compress_encode).
 */
void encodings_make(struct encodings *e, const void *data, size_t len, bool with_identity);
/* Drops e's references (bytes being written stay valid until released), leaving e empty. */
void encodings_clear(struct encodings *e);
/* The codings e holds, as a mask of (1u << coding), identity included when it holds one. */
unsigned encodings_mask(const struct encodings *e);
/* The bytes of e's compressed encodings (gzip and brotli; for a bound on what is kept). */
size_t encodings_bytes(const struct encodings *e);
/* A new reference to e's encoding of coding into *out. Returns 0, or -1 when e has none (*out untouched). */
int encodings_take(const struct encodings *e, enum compress_coding coding, struct encodings_view *out);
/* Drops one reference; frees the blob at zero. Accepts NULL. Matches struct response's release. */
void encodings_blob_release(void *blob);

#endif
