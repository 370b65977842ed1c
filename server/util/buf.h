/*
 * buf: a growable byte buffer with a hard maximum; it owns its memory and never grows past max.
 */
#ifndef MAJLIS_UTIL_BUF_H
#define MAJLIS_UTIL_BUF_H

#include <stddef.h>

/* One per owner; not shared between threads. data is NUL-terminated whenever len > 0. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* appends that would pass this fail with -1 and leave the buffer unchanged */
};

void buf_init(struct buf *b, size_t max);
/* Returns 0, or -1 when the result would exceed max or memory is short. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Frees the memory; the buffer may be reused after buf_init. Accepts a zeroed buffer. */
void buf_free(struct buf *b);
/* Hands the memory to the caller (who frees it) and leaves b empty. May return NULL when empty. */
char *buf_steal(struct buf *b);

#endif
