/* test_encodings: one body's encodings — gzip and brotli that decode back to the body and are kept only
 * when smaller, the identity only when asked, nothing for an empty body; a reference taken stays valid
 * after the holder is cleared, and the mask and byte count say what is held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <brotli/decode.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/encodings.h"

#define ALL (1u << COMPRESS_IDENTITY | 1u << COMPRESS_GZIP | 1u << COMPRESS_BR)

/* The view's bytes decoded (gzip or br) into out (n bytes at most); returns their length. */
static size_t decode(enum compress_coding c, const struct encodings_view *v, unsigned char *out, size_t n)
{
	if (c == COMPRESS_GZIP) {
		z_stream z;

		memset(&z, 0, sizeof(z));
		assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
		z.next_in = (Bytef *)(uintptr_t)v->data;
		z.avail_in = (uInt)v->len;
		z.next_out = out;
		z.avail_out = (uInt)n;
		assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
		n = z.total_out;
		inflateEnd(&z);
		return n;
	}
	assert_int_equal(BrotliDecoderDecompress(v->len, (const uint8_t *)v->data, &n, out),
			 BROTLI_DECODER_RESULT_SUCCESS);
	return n;
}

static void test_page_encodings(void **state)
{
	static char page[6000];
	static unsigned char out[8000];
	struct encodings e = {{NULL}};
	struct encodings_view v[COMPRESS_N];
	(void)state;

	for (size_t i = 0; i + 1 < sizeof(page); i++)
		page[i] = "<p>Bienvenue, مرحبا.</p>\n"[i % 27];
	encodings_make(&e, page, strlen(page), true);
	assert_int_equal(encodings_mask(&e), ALL);
	for (int c = 0; c < COMPRESS_N; c++) {
		assert_int_equal(encodings_take(&e, (enum compress_coding)c, &v[c]), 0);
		assert_true(v[c].headroom >= 16 && v[c].fd < 0 &&
			    v[c].blob); /* no descriptor kept per encoding */
	}
	/* the identity is the body; the others are smaller and decode to it */
	assert_int_equal(v[COMPRESS_IDENTITY].len, strlen(page));
	assert_memory_equal(v[COMPRESS_IDENTITY].data, page, strlen(page));
	assert_int_equal(encodings_bytes(&e), v[COMPRESS_GZIP].len + v[COMPRESS_BR].len);
	/* cleared while references are out: the bytes stay valid until released */
	encodings_clear(&e);
	assert_int_equal(encodings_mask(&e), 0);
	for (int c = COMPRESS_GZIP; c < COMPRESS_N; c++) {
		assert_true(v[c].len < strlen(page) / 4);
		assert_int_equal(decode((enum compress_coding)c, &v[c], out, sizeof(out)), strlen(page));
		assert_memory_equal(out, page, strlen(page));
	}
	for (int c = 0; c < COMPRESS_N; c++)
		encodings_blob_release(v[c].blob);
	encodings_blob_release(NULL);
}

static void test_small_and_empty(void **state)
{
	struct encodings e = {{NULL}};
	struct encodings_view v = {0};
	(void)state;

	/* too small to gain anything: no compressed coding, the identity only when asked */
	encodings_make(&e, "ok", 2, false);
	assert_int_equal(encodings_mask(&e), 0);
	assert_int_equal(encodings_take(&e, COMPRESS_GZIP, &v), -1);
	assert_null(v.blob);
	encodings_make(&e, "ok", 2, true);
	assert_int_equal(encodings_mask(&e), 1u << COMPRESS_IDENTITY);
	assert_int_equal(encodings_bytes(&e), 0);
	/* made again: what was held is replaced */
	encodings_make(&e, NULL, 0, true);
	assert_int_equal(encodings_mask(&e), 0);
	assert_int_equal(encodings_take(&e, COMPRESS_IDENTITY, &v), -1);
	assert_int_equal(encodings_take(&e, COMPRESS_N, &v), -1);
	encodings_clear(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_encodings),
	    cmocka_unit_test(test_small_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
