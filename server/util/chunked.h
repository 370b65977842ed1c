/*
 * chunked: decodes an HTTP/1.1 chunked request body (RFC 9112 §7.1) incrementally, within a size limit;
 * it only decodes, and holds no buffer of its own.
 */
#ifndef MAJLIS_UTIL_CHUNKED_H
#define MAJLIS_UTIL_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum chunked_rc {
	CHUNKED_MORE = 0,	/* everything given was used; the body goes on */
	CHUNKED_DONE = 1,	/* the last chunk and the trailer section ended */
	CHUNKED_BAD = -1,	/* malformed framing (a size that is not hex, a missing CRLF, ...) */
	CHUNKED_TOO_LARGE = -2, /* the data would exceed the limit */
};

/* One per chunked body being read; zero it (or chunked_init) before the first byte. Not shared between
 * threads. */
struct chunked {
	int state;
	uint64_t size; /* of the chunk being read, or its size so far while its hex digits arrive */
	size_t total;  /* data bytes so far */
	size_t line;   /* bytes of the extension or trailer line so far */
	int digits;
};

void chunked_init(struct chunked *ck);

/* Decodes n bytes of the body's wire form at in, appending its data to out when out is not NULL (and
 * counting it otherwise), at most limit bytes in all. Chunk extensions and trailer fields are accepted and
 * ignored. Bytes after the end (CHUNKED_DONE) are left alone; *used says how many were consumed. */
enum chunked_rc chunked_decode(struct chunked *ck, const char *in, size_t n, size_t *used, struct buf *out,
			       size_t limit);

#endif
