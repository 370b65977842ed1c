/*
 * test_secret: checks util/secret against known vectors and its own round trips; it must not
 * depend on wall-clock time except for the one coarse CPU-time comparison of dummy verification.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/secret.h"

/* The cheap count these tests hash with; the floor is exercised by test_password_floor alone. */
#define TEST_ITERATIONS 1000

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char b64url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static bool all_b64url(const char *s)
{
	return strspn(s, b64url_alphabet) == strlen(s);
}

static void test_token_shape(void **state)
{
	enum { COUNT = 64 };
	static char tokens[COUNT][SECRET_TOKEN_LEN + 1];
	bool seen[sizeof(b64url_alphabet) - 1] = {false};
	size_t i, j;

	(void)state;
	for (i = 0; i < COUNT; i++) {
		assert_int_equal(secret_token_new(tokens[i]), 0);
		assert_int_equal(strlen(tokens[i]), SECRET_TOKEN_LEN);
		assert_true(all_b64url(tokens[i]));
		/* 256 bits in 43 characters leave the last one 2 zero bits: one of 16 characters */
		assert_non_null(strchr("AEIMQUYcgkosw048", tokens[i][SECRET_TOKEN_LEN - 1]));
		for (j = 0; j < SECRET_TOKEN_LEN - 1; j++)
			seen[strchr(b64url_alphabet, tokens[i][j]) - b64url_alphabet] = true;
	}
	for (i = 0; i < COUNT; i++) {
		for (j = i + 1; j < COUNT; j++)
			assert_string_not_equal(tokens[i], tokens[j]);
	}
	/* 2688 random characters all but surely cover the alphabet; a hex or biased encoder does not */
	for (i = 0; i < N_ELEMS(seen); i++) {
		if (!seen[i])
			fail_msg("character '%c' never appeared in 64 tokens", b64url_alphabet[i]);
	}
}

static void test_hash_vectors(void **state)
{
	static const struct {
		const char *in;
		size_t n;
		const char *hex;
	} cases[] = {
	    /* FIPS 180-2 examples */
	    {"", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {"abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	    /* only n bytes count */
	    {"abcdef", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	};
	char out[SECRET_HASH_LEN + 1];
	char other[SECRET_HASH_LEN + 1];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		memset(out, 'x', sizeof(out));
		secret_hash(cases[i].in, cases[i].n, out);
		assert_string_equal(out, cases[i].hex);
	}
	/* bytes after an embedded NUL are hashed too */
	secret_hash("a\0b", 3, out);
	secret_hash("a", 1, other);
	assert_int_equal(strlen(out), SECRET_HASH_LEN);
	assert_string_not_equal(out, other);
}

static void test_short(void **state)
{
	char out[SECRET_SHORT_LEN + 1];

	(void)state;
	memset(out, 'x', sizeof(out));
	secret_short("abc", out);
	assert_string_equal(out, "ba7816bf");
	secret_short("", out);
	assert_string_equal(out, "e3b0c442");
}

static void test_equal(void **state)
{
	static const struct {
		const char *a;
		const char *b;
		size_t n;
		int eq;
	} bytes[] = {
	    {"abcdef", "abcdef", 6, 1},
	    {"abcdef", "xbcdef", 6, 0},
	    {"abcdef", "abcdex", 6, 0},
	    {"abcdef", "abcxxx", 3, 1}, /* only n bytes compared */
	    {"a\0c", "a\0d", 3, 0},	/* not a string comparison */
	    {"", "", 0, 1},
	};
	static const struct {
		const char *a;
		const char *b;
		int eq;
	} strs[] = {
	    {"token", "token", 1},  {"token", "tokeN", 0}, {"token", "token2", 0},
	    {"token2", "token", 0}, {"", "", 1},	   {"", "x", 0},
	    {NULL, "x", 0},	    {"x", NULL, 0},	   {NULL, NULL, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(bytes); i++) {
		if (secret_equal(bytes[i].a, bytes[i].b, bytes[i].n) != bytes[i].eq)
			fail_msg("secret_equal case %zu", i);
	}
	for (i = 0; i < N_ELEMS(strs); i++) {
		if (secret_str_equal(strs[i].a, strs[i].b) != strs[i].eq)
			fail_msg("secret_str_equal case %zu", i);
	}
}

static void test_password_round_trip(void **state)
{
	char h1[PASSWORD_HASH_MAX];
	char h2[PASSWORD_HASH_MAX];
	char prefix[64];
	const char *salt, *dk;

	(void)state;
	assert_int_equal(password_hash("correct horse battery staple", h1), 0);
	assert_int_equal(password_hash("correct horse battery staple", h2), 0);

	/* the documented encoding: prefix, iterations, 22-char salt, 43-char hash */
	snprintf(prefix, sizeof(prefix), "pbkdf2-sha256$%d$", TEST_ITERATIONS);
	assert_memory_equal(h1, prefix, strlen(prefix));
	salt = h1 + strlen(prefix);
	dk = strchr(salt, '$');
	assert_non_null(dk);
	assert_int_equal(dk - salt, 22);
	dk++;
	assert_int_equal(strlen(dk), 43);
	assert_true(all_b64url(dk));
	assert_string_not_equal(h1, h2); /* fresh salt each time */

	assert_int_equal(password_verify("correct horse battery staple", h1), 1);
	assert_int_equal(password_verify("correct horse battery staple", h2), 1);
	assert_int_equal(password_verify("correct horse battery stapl", h1), 0);
	assert_int_equal(password_verify("Correct horse battery staple", h1), 0);
	assert_int_equal(password_verify("", h1), 0);
	assert_int_equal(password_hash(NULL, h1), -1);
}

/*
 * Known answers: PBKDF2-HMAC-SHA256("password", "salt", 4096) is the usual published vector; the
 * others were computed with Python's hashlib.pbkdf2_hmac. Encodings made by another tool verify.
 */
#define KNOWN_4096    "pbkdf2-sha256$4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o"
#define KNOWN_1000    "pbkdf2-sha256$1000$c2FsdA$YywoEuRtRgQQK6dhjp1tfS-BKPYma0oDJk0qBGC33LM"
#define KNOWN_URLSALT "pbkdf2-sha256$1000$-_-__vvv$feBwxgs2dvvbcT_ujbIbNamMaQF9Dg-5lAvYg44xmGM"

static void test_password_known(void **state)
{
	static const struct {
		const char *password;
		const char *encoded;
		int match;
	} cases[] = {
	    {"password", KNOWN_4096, 1},
	    {"passwore", KNOWN_4096, 0},
	    {"password", KNOWN_1000, 1},
	    {"password", KNOWN_URLSALT, 1},
	    {"p\xc3\xa4ssw\xc3\xb6rd",
	     "pbkdf2-sha256$1000$c2FsdA$zy1oTMNzIztg8jMVVqpHyzWr464Z58RhOAdpV3tSOiI", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		if (password_verify(cases[i].password, cases[i].encoded) != cases[i].match)
			fail_msg("known case %zu", i);
	}
}

/* "correct horse battery staple" at the production floor, made by Python's hashlib.pbkdf2_hmac. */
#define KNOWN_FLOOR "pbkdf2-sha256$600000$bWFqbGlzLXNhbHQtMjAyNQ$Gf6n7_GyfLDLi2bK1kzs8nlWUvE9WKh3PMih7xg_g5E"

/*
 * The one test at the real cost: a hash stored at 600 000 iterations still verifies while new hashes
 * are cheap (verification uses the count written in the hash), and a hash made at the floor says so.
 */
static void test_password_floor(void **state)
{
	char h[PASSWORD_HASH_MAX];
	char prefix[64];

	(void)state;
	assert_int_equal(password_iterations(), TEST_ITERATIONS);
	assert_int_equal(password_verify("correct horse battery staple", KNOWN_FLOOR), 1);
	assert_int_equal(password_verify("correct horse battery stapl", KNOWN_FLOOR), 0);

	assert_int_equal(password_set_iterations(PASSWORD_ITERATIONS), 0);
	assert_int_equal(password_hash("correct horse battery staple", h), 0);
	snprintf(prefix, sizeof(prefix), "pbkdf2-sha256$%d$", PASSWORD_ITERATIONS);
	assert_memory_equal(h, prefix, strlen(prefix));
	assert_int_equal(password_set_iterations(TEST_ITERATIONS), 0);
	assert_int_equal(password_verify("correct horse battery staple", h), 1);
}

/*
 * The setter and the environment variable in a build with test hooks (this one): lower counts down to
 * the 1000 that verification accepts; nothing malformed, nothing out of range, the count then unchanged.
 * test_secret_floor checks the same calls in a build without the hooks.
 */
static void test_password_setting(void **state)
{
	static const char *const refused[] = {
	    "", "0", "999", "01000", "1000x", " 1000", "-1000", "10000001", "99999999999999999999999"};
	char h[PASSWORD_HASH_MAX];
	size_t i;

	(void)state;
	assert_int_equal(password_set_iterations(999), -1);
	assert_int_equal(password_set_iterations(10000001), -1);
	assert_int_equal(password_iterations(), TEST_ITERATIONS);

	unsetenv(PASSWORD_TEST_ENV);
	assert_int_equal(password_iterations_from_env(), 0);
	for (i = 0; i < N_ELEMS(refused); i++) {
		setenv(PASSWORD_TEST_ENV, refused[i], 1);
		if (password_iterations_from_env() != -1 || password_iterations() != TEST_ITERATIONS)
			fail_msg("%s=\"%s\" was accepted", PASSWORD_TEST_ENV, refused[i]);
	}
	setenv(PASSWORD_TEST_ENV, "2000", 1);
	assert_int_equal(password_iterations_from_env(), 2000);
	assert_int_equal(password_hash("pw", h), 0);
	assert_memory_equal(h, "pbkdf2-sha256$2000$", strlen("pbkdf2-sha256$2000$"));
	assert_int_equal(password_verify("pw", h), 1);
	unsetenv(PASSWORD_TEST_ENV);
	assert_int_equal(password_set_iterations(TEST_ITERATIONS), 0);
}

/*
 * Each encoding carries a hash that matches "password" under its stated parameters, or differs
 * from a matching one in a single defect, so a lenient parser would answer 1.
 */
static void test_password_malformed(void **state)
{
	static const char *const cases[] = {
	    "",
	    "pbkdf2-sha1$4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o",
	    "PBKDF2-SHA256$4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o",
	    "4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o",
	    " " KNOWN_4096,
	    KNOWN_4096 "\n",
	    KNOWN_4096 "$",
	    "pbkdf2-sha256$04096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o",
	    "pbkdf2-sha256$+4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o",
	    "pbkdf2-sha256$$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o",
	    /* fewer iterations than the floor, though the hash is right for 999 */
	    "pbkdf2-sha256$999$c2FsdA$QSV0FGhF4zV6xELYlUbBGRBsv8JSfZAm9U9TZFN1b8c",
	    /* padding, standard alphabet, non-canonical last character */
	    "pbkdf2-sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o",
	    "pbkdf2-sha256$1000$+/+//vvv$feBwxgs2dvvbcT_ujbIbNamMaQF9Dg-5lAvYg44xmGM",
	    "pbkdf2-sha256$4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0p",
	    /* a 3-byte salt ("sal"), below the floor, with its right hash */
	    "pbkdf2-sha256$4096$c2Fs$687b6OMU3EaQ_nN0vMqh87d84nPIhzUmShsDNBARCvA",
	    /* hash one byte short; no hash at all */
	    "pbkdf2-sha256$4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0",
	    "pbkdf2-sha256$4096$c2FsdA",
	    "pbkdf2-sha256$4096$c2FsdA$",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEMS(cases); i++) {
		if (password_verify("password", cases[i]) != 0)
			fail_msg("malformed case %zu \"%s\" was accepted", i, cases[i]);
	}
	assert_int_equal(password_verify("password", NULL), 0);
	assert_int_equal(password_verify(NULL, KNOWN_4096), 0);
}

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Dummy verification, and verification against a malformed encoding, must cost what a real one
 * costs. CPU time of this process (not wall time) keeps the comparison steady on a busy machine;
 * the bounds are loose (x0.5 .. x2), the cheapest of two runs is compared.
 */
static void test_password_dummy_cost(void **state)
{
	char h[PASSWORD_HASH_MAX];
	double real = 1e9, dummy = 1e9, malformed = 1e9, t;
	int run;

	(void)state;
	/* enough work per derivation (~50 ms) for CPU time to compare, a sixth of the floor */
	assert_int_equal(password_set_iterations(100000), 0);
	assert_int_equal(password_hash("some password", h), 0);
	for (run = 0; run < 2; run++) {
		t = cpu_seconds();
		assert_int_equal(password_verify("wrong password", h), 0);
		t = cpu_seconds() - t;
		real = t < real ? t : real;

		t = cpu_seconds();
		password_dummy_verify("wrong password");
		t = cpu_seconds() - t;
		dummy = t < dummy ? t : dummy;

		t = cpu_seconds();
		assert_int_equal(password_verify("wrong password", "!"), 0);
		t = cpu_seconds() - t;
		malformed = t < malformed ? t : malformed;
	}
	if (dummy < real * 0.5 || dummy > real * 2.0)
		fail_msg("dummy verify took %.3fs, real %.3fs", dummy, real);
	if (malformed < real * 0.5 || malformed > real * 2.0)
		fail_msg("malformed verify took %.3fs, real %.3fs", malformed, real);
	password_dummy_verify(NULL);
	assert_int_equal(password_set_iterations(TEST_ITERATIONS), 0);
}

static void test_seal_round_trip(void **state)
{
	static const size_t sizes[] = {0, 1, 2, 3, 15, 16, 17, 100, 4096};
	const char *key = "server-secret key material";
	char plain[4097];
	char keycopy[64];
	char *sealed, *again, *opened;
	size_t i, k, enc;

	(void)state;
	for (i = 0; i < N_ELEMS(sizes); i++) {
		for (k = 0; k < sizes[i]; k++)
			plain[k] = (char)('a' + (k * 7 + i) % 26);
		plain[sizes[i]] = '\0';
		sealed = secret_seal(key, plain, sizes[i]);
		assert_non_null(sealed);
		assert_true(all_b64url(sealed));
		enc = sizes[i] + 28; /* nonce 12 + tag 16 */
		assert_int_equal(strlen(sealed), enc / 3 * 4 + (enc % 3 ? enc % 3 + 1 : 0));
		opened = secret_open(key, sealed);
		assert_non_null(opened);
		assert_string_equal(opened, plain);

		/* a fresh nonce each time: same plaintext, different text, both open */
		again = secret_seal(key, plain, sizes[i]);
		assert_non_null(again);
		assert_string_not_equal(again, sealed);
		free(opened);
		snprintf(keycopy, sizeof(keycopy), "%s", key);
		opened = secret_open(keycopy, again);
		assert_non_null(opened);
		assert_string_equal(opened, plain);
		free(opened);
		free(again);
		free(sealed);
	}

	/* non-ASCII text survives */
	sealed = secret_seal(key, "\xd9\x85\xd8\xac\xd9\x84\xd8\xb3", 8);
	assert_non_null(sealed);
	opened = secret_open(key, sealed);
	assert_non_null(opened);
	assert_string_equal(opened, "\xd9\x85\xd8\xac\xd9\x84\xd8\xb3");
	free(opened);
	free(sealed);
}

static void test_seal_refusals(void **state)
{
	const char *key = "server-secret key material";
	char *sealed, *bad, *opened;
	size_t i, n;
	const char *p;

	(void)state;
	sealed = secret_seal(key, "attack at dawn", 14);
	assert_non_null(sealed);
	n = strlen(sealed);
	bad = malloc(n + 2);
	assert_non_null(bad);

	/* every single-character change fails, including the unused bits of the last one */
	for (i = 0; i < n; i++) {
		for (p = b64url_alphabet; *p; p++) {
			if (*p == sealed[i])
				continue;
			memcpy(bad, sealed, n + 1);
			bad[i] = *p;
			opened = secret_open(key, bad);
			if (opened)
				fail_msg("changed position %zu to '%c' and it opened", i, *p);
		}
	}
	/* every truncation fails, and so does an added character or padding */
	for (i = 0; i < n; i++) {
		memcpy(bad, sealed, i);
		bad[i] = '\0';
		assert_null(secret_open(key, bad));
	}
	memcpy(bad, sealed, n);
	bad[n] = 'A';
	bad[n + 1] = '\0';
	assert_null(secret_open(key, bad));
	bad[n] = '=';
	assert_null(secret_open(key, bad));

	/* wrong key, unusable keys, garbage */
	assert_null(secret_open("server-secret key materia1", sealed));
	assert_null(secret_open("", sealed));
	assert_null(secret_open(NULL, sealed));
	assert_null(secret_open(key, NULL));
	assert_null(secret_open(key, "!!!! not base64 !!!!"));
	assert_null(secret_open(key, ""));
	assert_null(secret_seal("", "x", 1));
	assert_null(secret_seal(NULL, "x", 1));
	assert_null(secret_seal(key, NULL, 1));

	/* still opens with the right key after all that */
	opened = secret_open(key, sealed);
	assert_non_null(opened);
	assert_string_equal(opened, "attack at dawn");
	free(opened);
	free(bad);
	free(sealed);
}

static void test_key_file(void **state)
{
	char dir[] = "/tmp/majlis-key-XXXXXX", path[128], a[65], b[65], err[256];
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k", dir);
	assert_int_equal(secret_key_file(path, a, err, sizeof(err)), 0); /* created */
	assert_int_equal(strlen(a), 64);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(secret_key_file(path, b, err, sizeof(err)), 0); /* read back, same key */
	assert_string_equal(a, b);
	f = fopen(path, "w");
	fputs("not a key\n", f);
	fclose(f);
	assert_int_equal(secret_key_file(path, b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "64 hexadecimal digits"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/missing/k", dir);
	assert_int_equal(secret_key_file(path, b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot create the key file"));
	rmdir(dir);
}

static void test_token_valid(void **state)
{
	char t[SECRET_TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(secret_token_new(t), 0);
	assert_true(secret_token_valid(t));
	t[5] = '/';
	assert_false(secret_token_valid(t));
	assert_false(secret_token_valid("short"));
	assert_false(secret_token_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_token_shape),
	    cmocka_unit_test(test_hash_vectors),
	    cmocka_unit_test(test_short),
	    cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_password_round_trip),
	    cmocka_unit_test(test_password_known),
	    cmocka_unit_test(test_password_floor),
	    cmocka_unit_test(test_password_setting),
	    cmocka_unit_test(test_password_malformed),
	    cmocka_unit_test(test_password_dummy_cost),
	    cmocka_unit_test(test_seal_round_trip),
	    cmocka_unit_test(test_seal_refusals),
	    cmocka_unit_test(test_key_file),
	    cmocka_unit_test(test_token_valid),
	};

	if (password_set_iterations(TEST_ITERATIONS)) {
		fprintf(stderr, "test_secret: this build has no test hooks (MAJLIS_TEST_HOOKS)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
