/* test_variants: a file's variants decode to its bytes and are ready only for the version they were made
 * from — a file rewritten, replaced or grown has none until the worker has made them again, never the old
 * ones; empty and oversized files get none; a variant being sent outlives its replacement; the least
 * recently asked file goes first when the table is full; a job still out when the set is freed cleans up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <brotli/decode.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "transport/variants.h"
#include "transport/wake.h"

#define GZ   (1u << COMPRESS_GZIP)
#define BR   (1u << COMPRESS_BR)
#define BOTH (GZ | BR)

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/majlis-variants-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes len bytes of data to name in the test directory (truncating it, same inode) and opens it. */
static int put(const char *name, const void *data, size_t len, struct stat *st)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fstat(fd, st), 0);
	return fd;
}

/* Text of n bytes that compresses well, varying with seed. */
static char *text(size_t n, char seed)
{
	char *t = malloc(n);

	assert_non_null(t);
	for (size_t i = 0; i < n; i++)
		t[i] = (i % 61 == 60) ? '\n' : (char)(seed + (char)(i % 7));
	return t;
}

/* Checks that path's variant of coding decodes to want (len bytes) and returns its view (a reference). */
static struct encodings_view decodes(struct variants *v, const char *path, enum compress_coding c,
				     const char *want, size_t len)
{
	struct encodings_view view;
	unsigned char *out = malloc(len + 1);
	size_t out_len = len + 1;

	assert_non_null(out);
	assert_int_equal(variants_take(v, path, c, &view), 0);
	assert_true(view.len < len);
	assert_true(view.fd < 0);
	assert_true(view.headroom >= 16);
	if (c == COMPRESS_GZIP) {
		z_stream z;

		memset(&z, 0, sizeof(z));
		assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
		z.next_in = (Bytef *)(uintptr_t)view.data;
		z.avail_in = (uInt)view.len;
		z.next_out = out;
		z.avail_out = (uInt)out_len;
		assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
		out_len = z.total_out;
		inflateEnd(&z);
	} else {
		assert_int_equal(BrotliDecoderDecompress(view.len, (const uint8_t *)view.data, &out_len, out),
				 BROTLI_DECODER_RESULT_SUCCESS);
	}
	assert_int_equal(out_len, len);
	assert_memory_equal(out, want, len);
	free(out);
	return view;
}

static void test_made_at_start_and_never_stale(void **state)
{
	struct variants *v = variants_new();
	struct wake w; /* not started: no job can be queued */
	struct encodings_view old, none;
	struct stat st, st2;
	struct timespec tick = {0, 20 * 1000 * 1000};
	char *a = text(8000, 'a'), *b = text(8000, 'k');
	int fd;

	(void)state;
	wake_init(&w);
	assert_non_null(v);
	fd = put("app.js", a, 8000, &st);
	variants_make(v, "app.js", fd, &st);
	assert_int_equal(variants_ready(v, &w, "app.js", fd, &st), BOTH);
	old = decodes(v, "app.js", COMPRESS_GZIP, a, 8000);
	encodings_blob_release(decodes(v, "app.js", COMPRESS_BR, a, 8000).blob);
	close(fd);

	/* rewritten in place, same size: another version, no variant until made again (a clock tick later: a
	 * file's times are taken from a coarse clock, and within one tick two such versions look alike) */
	nanosleep(&tick, NULL);
	fd = put("app.js", b, 8000, &st2);
	assert_int_equal(st2.st_ino, st.st_ino);
	assert_int_equal(variants_ready(v, &w, "app.js", fd, &st2), 0);
	assert_int_equal(variants_take(v, "app.js", COMPRESS_GZIP, &none), -1);
	/* the variant taken before is still whole while it is being sent */
	assert_int_equal(strncmp(old.data, "\x1f\x8b", 2), 0);
	encodings_blob_release(old.blob);
	variants_make(v, "app.js", fd, &st2);
	assert_int_equal(variants_ready(v, &w, "app.js", fd, &st2), BOTH);
	encodings_blob_release(decodes(v, "app.js", COMPRESS_BR, b, 8000).blob);
	/* the old version's stat is no longer the file's: nothing for it */
	assert_int_equal(variants_ready(v, &w, "app.js", fd, &st), 0);
	close(fd);

	/* an empty file, and one over the bound: none, and no job */
	fd = put("empty.css", "", 0, &st);
	variants_make(v, "empty.css", fd, &st);
	assert_int_equal(variants_ready(v, &w, "empty.css", fd, &st), 0);
	close(fd);
	free(a);
	a = text(VARIANTS_FILE_MAX + 1, 'a');
	fd = put("big.js", a, VARIANTS_FILE_MAX + 1, &st);
	assert_int_equal(variants_ready(v, &w, "big.js", fd, &st), 0);
	close(fd);
	/* bytes that do not get smaller keep no variant */
	fd = put("tiny.js", "x", 1, &st);
	variants_make(v, "tiny.js", fd, &st);
	assert_int_equal(variants_ready(v, &w, "tiny.js", fd, &st), 0);
	close(fd);
	variants_free(v);
	variants_free(NULL);
	free(a);
	free(b);
}

/* On the worker: a changed file is made again off the caller's thread, and its variants come ready once
 * the job is delivered. */
static void test_made_again_on_the_worker(void **state)
{
	struct variants *v = variants_new();
	struct wake w;
	struct stat st;
	char *a = text(20000, 'c');
	unsigned mask = 0;
	int fd;

	(void)state;
	wake_init(&w);
	assert_int_equal(wake_start(&w, NULL, NULL), 0);
	fd = put("added.css", a, 20000, &st);
	assert_int_equal(variants_ready(v, &w, "added.css", fd, &st), 0); /* queued */
	for (int i = 0; i < 500 && !mask; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};

		wake_deliver(&w);
		mask = variants_ready(v, &w, "added.css", fd, &st);
		if (!mask)
			nanosleep(&ts, NULL);
	}
	assert_int_equal(mask, BOTH);
	encodings_blob_release(decodes(v, "added.css", COMPRESS_GZIP, a, 20000).blob);

	/* freed while a job is out: the job frees what is left when it comes back */
	close(fd);
	fd = put("added.css", a, 19000, &st);
	assert_int_equal(variants_ready(v, &w, "added.css", fd, &st), 0);
	variants_free(v);
	wake_stop(&w);
	close(fd);
	free(a);
}

/* A full table drops the least recently asked file. */
static void test_least_recently_asked_goes_first(void **state)
{
	struct variants *v = variants_new();
	struct wake w;
	struct stat st;
	char *a = text(2000, 'e'), name[32];
	int fd;

	(void)state;
	wake_init(&w);
	fd = put("f.js", a, 2000, &st);
	for (int i = 0; i < VARIANTS_MAX; i++) {
		snprintf(name, sizeof(name), "f%d.js", i);
		variants_make(v, name, fd, &st);
	}
	/* f0 asked again: f1 is now the oldest */
	assert_int_equal(variants_ready(v, &w, "f0.js", fd, &st), BOTH);
	variants_make(v, "new.js", fd, &st);
	assert_int_equal(variants_ready(v, &w, "new.js", fd, &st), BOTH);
	assert_int_equal(variants_ready(v, &w, "f0.js", fd, &st), BOTH);
	assert_int_equal(variants_ready(v, &w, "f2.js", fd, &st), BOTH);
	assert_int_equal(variants_ready(v, &w, "f1.js", fd, &st), 0);
	close(fd);
	variants_free(v);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_made_at_start_and_never_stale),
	    cmocka_unit_test(test_made_again_on_the_worker),
	    cmocka_unit_test(test_least_recently_asked_goes_first),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
