/* encodings: one body's identity, gzip and brotli bytes in sealed memory files (see encodings.h). */
#include "util/encodings.h"

#include <stdlib.h>
#include <string.h>

#include "util/memfile.h"

struct encodings_blob {
	int refs; /* the holder's reference plus one per response being written */
	size_t len;
	struct memfile file; /* ENCODINGS_HEADROOM zero bytes, the len bytes, a NUL; sealed */
};

void encodings_blob_release(void *blob)
{
	struct encodings_blob *b = blob;

	if (b && --b->refs <= 0) {
		memfile_free(&b->file);
		free(b);
	}
}

/* A new blob holding the len bytes at data, or NULL. */
static struct encodings_blob *encodings_blob_new(const void *data, size_t len)
{
	struct encodings_blob *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	if (memfile_create(&b->file, "majlis-encoded", ENCODINGS_HEADROOM, data, len)) {
		free(b);
		return NULL;
	}
	/* a web root's files each keep two or three encodings: descriptors are kept for connections */
	memfile_close_fd(&b->file);
	b->refs = 1;
	b->len = len;
	return b;
}

void encodings_clear(struct encodings *e)
{
	for (int c = 0; c < COMPRESS_N; c++) {
		encodings_blob_release(e->blob[c]);
		e->blob[c] = NULL;
	}
}

void encodings_make(struct encodings *e, const void *data, size_t len, bool with_identity)
{
	encodings_clear(e);
	if (!len)
		return;
	for (int c = 0; c < COMPRESS_N; c++) {
		unsigned char *enc = NULL;
		size_t enc_len = 0;

		if (c == COMPRESS_IDENTITY) {
			if (with_identity)
				e->blob[c] = encodings_blob_new(data, len);
			continue;
		}
		if (compress_encode((enum compress_coding)c, data, len, &enc, &enc_len))
			continue;
		if (enc_len < len)
			e->blob[c] = encodings_blob_new(enc, enc_len);
		free(enc);
	}
}

unsigned encodings_mask(const struct encodings *e)
{
	unsigned mask = 0;

	for (int c = 0; c < COMPRESS_N; c++)
		if (e->blob[c])
			mask |= 1u << c;
	return mask;
}

size_t encodings_bytes(const struct encodings *e)
{
	size_t n = 0;

	for (int c = 0; c < COMPRESS_N; c++)
		if (c != COMPRESS_IDENTITY && e->blob[c])
			n += e->blob[c]->len;
	return n;
}

int encodings_take(const struct encodings *e, enum compress_coding coding, struct encodings_view *out)
{
	struct encodings_blob *b;

	if (coding < COMPRESS_IDENTITY || coding >= COMPRESS_N || !e->blob[coding])
		return -1;
	b = e->blob[coding];
	b->refs++;
	out->data = b->file.map + ENCODINGS_HEADROOM;
	out->len = b->len;
	out->headroom = ENCODINGS_HEADROOM;
	out->fd = b->file.fd;
	out->blob = b;
	return 0;
}
