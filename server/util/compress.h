/*
 * compress: the content codings majlisd serves (RFC 9110 8.4.1: gzip, br) — encoding a buffer in memory,
 * and choosing a coding from a request's Accept-Encoding; pure computation, it reads no file and keeps no
 * state.
 */
#ifndef MAJLIS_UTIL_COMPRESS_H
#define MAJLIS_UTIL_COMPRESS_H

#include <stddef.h>

/* A content coding; a bit mask of them is (1u << coding). */
enum compress_coding {
	COMPRESS_IDENTITY,
	COMPRESS_GZIP,
	COMPRESS_BR,
	COMPRESS_N,
};

/* Bytes at most that compress_encode encodes with brotli's best (slowest) quality; larger inputs get a
 * faster one (about ten times as fast, a few per cent larger). */
#define COMPRESS_BEST_MAX (256 * 1024)

/*
 * Encodes len bytes of data (data may be NULL when len is 0) with coding (gzip: deflate at level 9 in a
 * gzip member whose header carries no name and no time, so equal input gives equal bytes; br: brotli)
 * into a new malloc'ed *out of *out_len bytes; the caller frees it. Returns 0, or -1 (out of memory, an
 * encoder failure, or COMPRESS_IDENTITY) with *out NULL. Any thread; CPU-bound (about 1 ms per 10 KiB at
 * brotli's best quality).
 */
int compress_encode(enum compress_coding coding, const void *data, size_t len, unsigned char **out,
		    size_t *out_len);

/* The name of coding in Content-Encoding ("gzip", "br"), and the suffix that tells its entity tag from
 * the identity's ("-gz", "-br"); "" for COMPRESS_IDENTITY. */
const char *compress_name(enum compress_coding coding);
const char *compress_etag_suffix(enum compress_coding coding);

/*
 * The coding to answer with, among those in offered (a mask; COMPRESS_IDENTITY is always possible), for
 * the request's Accept-Encoding value header ("" when absent, which asks for identity: clients that want
 * a coding say so). Codings are matched without regard to case ("x-gzip" is gzip); "*" stands for every
 * coding not named; a q-value of 0 refuses ("identity;q=0", "*;q=0"); an element whose q-value does not
 * parse is ignored. The highest q wins; at equal q, br before gzip before identity. When every coding is
 * refused, identity (the representation exists only so). Any thread.
 */
enum compress_coding compress_pick(const char *header, unsigned offered);

#endif
