/* compress: gzip and brotli encodings of a buffer, and Accept-Encoding negotiation (see compress.h). */
#include "util/compress.h"

#include <brotli/encode.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define COMPRESS_GZIP_LEVEL  9
#define COMPRESS_BR_BEST     BROTLI_MAX_QUALITY /* 11 */
#define COMPRESS_BR_FAST     9
#define COMPRESS_GZIP_WINDOW (15 + 16) /* 32 KiB window, gzip wrapper */

static int compress_gzip(const void *data, size_t len, unsigned char **out, size_t *out_len)
{
	z_stream z;
	unsigned char *buf = NULL;
	size_t cap;
	int rc = -1;

	memset(&z, 0, sizeof(z));
	if (len > (size_t)UINT32_MAX / 2 || deflateInit2(&z, COMPRESS_GZIP_LEVEL, Z_DEFLATED,
							 COMPRESS_GZIP_WINDOW, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	cap = deflateBound(&z, (uLong)len);
	buf = malloc(cap ? cap : 1);
	if (!buf)
		goto out;
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		goto out;
	*out = buf;
	*out_len = (size_t)z.total_out;
	buf = NULL;
	rc = 0;
out:
	deflateEnd(&z);
	free(buf);
	return rc;
}

static int compress_brotli(const void *data, size_t len, unsigned char **out, size_t *out_len)
{
	size_t cap = BrotliEncoderMaxCompressedSize(len);
	int quality = len <= COMPRESS_BEST_MAX ? COMPRESS_BR_BEST : COMPRESS_BR_FAST;
	unsigned char *buf;

	if (!cap)
		return -1;
	buf = malloc(cap);
	if (!buf)
		return -1;
	if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, len, data, &cap,
				   buf)) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = cap;
	return 0;
}

int compress_encode(enum compress_coding coding, const void *data, size_t len, unsigned char **out,
		    size_t *out_len)
{
	static const unsigned char none = 0;

	*out = NULL;
	*out_len = 0;
	if (!data)
		data = &none;
	switch (coding) {
	case COMPRESS_GZIP:
		return compress_gzip(data, len, out, out_len);
	case COMPRESS_BR:
		return compress_brotli(data, len, out, out_len);
	default:
		return -1;
	}
}

const char *compress_name(enum compress_coding coding)
{
	return coding == COMPRESS_GZIP ? "gzip" : coding == COMPRESS_BR ? "br" : "";
}

const char *compress_etag_suffix(enum compress_coding coding)
{
	return coding == COMPRESS_GZIP ? "-gz" : coding == COMPRESS_BR ? "-br" : "";
}

static bool compress_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* A qvalue (RFC 9110 12.4.2: "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"]) of n bytes at s, in thousandths into
 * *q. Returns 0, or -1 when it is not one. */
static int compress_qvalue(const char *s, size_t n, int *q)
{
	int v, scale = 100;

	if (n == 0 || (s[0] != '0' && s[0] != '1') || (n > 1 && s[1] != '.') || n > 5)
		return -1;
	v = (s[0] - '0') * 1000;
	for (size_t i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v += (s[i] - '0') * scale;
		scale /= 10;
	}
	if (v > 1000)
		return -1;
	*q = v;
	return 0;
}

/* The coding named by n bytes at s: a coding, COMPRESS_N for "*", -1 for one majlisd does not know. */
static int compress_coding_of(const char *s, size_t n)
{
	if (n == 1 && s[0] == '*')
		return COMPRESS_N;
	if ((n == 4 && !strncasecmp(s, "gzip", 4)) || (n == 6 && !strncasecmp(s, "x-gzip", 6)))
		return COMPRESS_GZIP;
	if (n == 2 && !strncasecmp(s, "br", 2))
		return COMPRESS_BR;
	if (n == 8 && !strncasecmp(s, "identity", 8))
		return COMPRESS_IDENTITY;
	return -1;
}

/* Reads one element of the list at *p ("coding *( OWS ; OWS param )"), moving *p past it and its comma.
 * Returns the coding (compress_coding_of) with its q-value in *q, or -1 to ignore it. */
static int compress_element(const char **p, int *q)
{
	const char *s = *p, *name;
	int coding;
	bool bad = false;
	size_t n;

	while (compress_ows(*s))
		s++;
	name = s;
	while (*s && *s != ',' && *s != ';' && !compress_ows(*s))
		s++;
	coding = compress_coding_of(name, (size_t)(s - name));
	*q = 1000;
	while (*s && *s != ',') {
		const char *pn, *pv;

		while (compress_ows(*s))
			s++;
		if (*s != ';') {
			if (*s && *s != ',') {
				bad = true; /* text after the coding that is no parameter */
				s++;
			}
			continue;
		}
		s++;
		while (compress_ows(*s))
			s++;
		pn = s;
		while (*s && *s != '=' && *s != ',' && *s != ';' && !compress_ows(*s))
			s++;
		n = (size_t)(s - pn);
		if (*s != '=') {
			bad = true;
			continue;
		}
		pv = ++s;
		while (*s && *s != ',' && *s != ';' && !compress_ows(*s))
			s++;
		if (n == 1 && (pn[0] == 'q' || pn[0] == 'Q') && compress_qvalue(pv, (size_t)(s - pv), q))
			bad = true;
	}
	*p = *s ? s + 1 : s;
	return bad ? -1 : coding;
}

enum compress_coding compress_pick(const char *header, unsigned offered)
{
	static const enum compress_coding order[] = {COMPRESS_BR, COMPRESS_GZIP, COMPRESS_IDENTITY};
	int q[COMPRESS_N + 1]; /* per coding, and "*" last; -1: not named */
	const char *p = header;
	enum compress_coding best = COMPRESS_IDENTITY;
	int best_q = 0;

	if (!header[0])
		return COMPRESS_IDENTITY;
	for (int i = 0; i <= COMPRESS_N; i++)
		q[i] = -1;
	while (*p) {
		int v, c = compress_element(&p, &v);

		if (c >= 0)
			q[c] = v;
	}
	for (int i = COMPRESS_IDENTITY + 1; i < COMPRESS_N; i++)
		if (q[i] < 0)
			q[i] = q[COMPRESS_N] < 0 ? 0 : q[COMPRESS_N];
	/* identity is acceptable unless refused by name, or by "*" without its name (RFC 9110 12.5.3); named
	 * by neither, it ranks last */
	if (q[COMPRESS_IDENTITY] < 0)
		q[COMPRESS_IDENTITY] = q[COMPRESS_N] < 0 ? 1 : q[COMPRESS_N];
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		enum compress_coding c = order[i];

		if ((c == COMPRESS_IDENTITY || (offered & (1u << c))) && q[c] > best_q) {
			best = c;
			best_q = q[c];
		}
	}
	return best;
}
