/* test_compress: gzip and brotli encodings decode back to their input (empty, tiny, text, above the best
 * quality's bound) and are deterministic; Accept-Encoding picks the coding its q-values ask for, among
 * those offered, identity when every coding is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <brotli/decode.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/compress.h"

#define ID   COMPRESS_IDENTITY
#define GZ   COMPRESS_GZIP
#define BR   COMPRESS_BR
#define BOTH ((1u << GZ) | (1u << BR))

static const struct {
	const char *header;
	unsigned offered;
	enum compress_coding want;
} picks[] = {
    {"", BOTH, ID}, /* no Accept-Encoding: identity */
    {"gzip", BOTH, GZ},
    {"br", BOTH, BR},
    {"gzip, deflate, br", BOTH, BR},	 /* equal q: br first */
    {"gzip, deflate, br", 1u << GZ, GZ}, /* only gzip made */
    {"br", 1u << GZ, ID},		 /* br asked, not made */
    {"gzip", 0, ID},
    {"GZIP", BOTH, GZ}, /* codings without regard to case */
    {"x-gzip", BOTH, GZ},
    {"deflate", BOTH, ID}, /* unknown only */
    {"identity", BOTH, ID},
    {"gzip;q=0.5, br;q=0.4", BOTH, GZ}, /* q-values honoured */
    {"gzip;q=0.5, br;q=1.0", BOTH, BR},
    {"gzip ; q=0.8 , br ; Q=0.9", BOTH, BR}, /* spaces around ';', Q */
    {"br;q=0, gzip", BOTH, GZ},		     /* q=0 refuses */
    {"br;q=0.000, gzip;q=0", BOTH, ID},
    {"gzip;q=0, br;q=0", BOTH, ID},
    {"identity;q=0, gzip", BOTH, GZ},
    {"identity;q=0, gzip;q=0", BOTH, ID}, /* nothing acceptable: identity still */
    {"*", BOTH, BR},
    {"*;q=0", BOTH, ID},
    {"*;q=0, gzip", BOTH, GZ},
    {"*, br;q=0", BOTH, GZ},
    {"identity;q=1, gzip;q=0.5", BOTH, ID}, /* identity preferred by its q */
    {"gzip;q=1.5, br", BOTH, BR},	    /* a bad q-value: the element is ignored */
    {"gzip;q=abc", BOTH, ID},
    {"gzip;q=", BOTH, ID},
    {"gzip;q=0.0001", BOTH, ID},
    {"gzip;q", BOTH, ID},
    {"gzip x, br;q=0.1", BOTH, BR}, /* junk after a coding */
    {",,gzip,,", BOTH, GZ},	    /* empty elements */
    {"gzip;level=1", BOTH, GZ},	    /* other parameters are ignored */
    {"br;q=0.001", BOTH, BR},
};

static void test_pick(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(picks) / sizeof(picks[0]); i++) {
		enum compress_coding got = compress_pick(picks[i].header, picks[i].offered);

		if (got != picks[i].want)
			fail_msg("\"%s\" offered %u: %d, want %d", picks[i].header, picks[i].offered, got,
				 picks[i].want);
	}
}

static unsigned char *gunzip(const unsigned char *in, size_t len, size_t cap, size_t *out_len)
{
	unsigned char *out = malloc(cap + 1);
	z_stream z;

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap + 1;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.avail_in, 0);
	*out_len = z.total_out;
	inflateEnd(&z);
	return out;
}

static unsigned char *unbrotli(const unsigned char *in, size_t len, size_t cap, size_t *out_len)
{
	unsigned char *out = malloc(cap + 1);

	assert_non_null(out);
	*out_len = cap + 1;
	assert_int_equal(BrotliDecoderDecompress(len, in, out_len, out), BROTLI_DECODER_RESULT_SUCCESS);
	return out;
}

/* Each input encoded by both codings decodes back to itself; repetitive text gets much smaller; equal
 * input, equal bytes. */
static void test_round_trip(void **state)
{
	size_t big_len = COMPRESS_BEST_MAX + 4096, sizes[4];
	char *big = malloc(big_len);
	const char *inputs[4];

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < big_len; i++)
		big[i] = "function majlis() { return 'مجلس'; }\n"[i % 40];
	inputs[0] = "";
	sizes[0] = 0;
	inputs[1] = "x";
	sizes[1] = 1;
	inputs[2] = "<!doctype html><html lang=\"fr\"><title>Majlis</title><p>Bonjour, bonjour, bonjour</p>";
	sizes[2] = strlen(inputs[2]);
	inputs[3] = big;
	sizes[3] = big_len;
	for (int c = GZ; c <= BR; c++) {
		for (size_t i = 0; i < 4; i++) {
			unsigned char *enc = NULL, *again = NULL, *dec;
			size_t enc_len, again_len, dec_len;

			assert_int_equal(
			    compress_encode((enum compress_coding)c, inputs[i], sizes[i], &enc, &enc_len), 0);
			assert_non_null(enc);
			dec = c == GZ ? gunzip(enc, enc_len, sizes[i], &dec_len)
				      : unbrotli(enc, enc_len, sizes[i], &dec_len);
			assert_int_equal(dec_len, sizes[i]);
			assert_memory_equal(dec, sizes[i] ? inputs[i] : "", sizes[i]);
			if (i == 3)
				assert_true(enc_len < sizes[i] / 10);
			assert_int_equal(
			    compress_encode((enum compress_coding)c, inputs[i], sizes[i], &again, &again_len),
			    0);
			assert_int_equal(again_len, enc_len);
			assert_memory_equal(again, enc, enc_len);
			free(enc);
			free(again);
			free(dec);
		}
	}
	free(big);
}

static void test_names(void **state)
{
	unsigned char *out = (unsigned char *)"";
	size_t len = 1;

	(void)state;
	assert_string_equal(compress_name(GZ), "gzip");
	assert_string_equal(compress_name(BR), "br");
	assert_string_equal(compress_name(ID), "");
	assert_string_equal(compress_etag_suffix(GZ), "-gz");
	assert_string_equal(compress_etag_suffix(BR), "-br");
	assert_string_equal(compress_etag_suffix(ID), "");
	/* identity is no encoding */
	assert_int_equal(compress_encode(ID, "x", 1, &out, &len), -1);
	assert_null(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pick),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
