/*
 * secret: tokens, hashes, password hashing and sealing through OpenSSL; it must never log, store or
 * keep a copy of a secret after returning (every key and derived buffer is cleansed).
 */
#include "util/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define SECRET_TOKEN_BYTES 32

#define PASSWORD_PREFIX	    "pbkdf2-sha256$"
#define PASSWORD_SALT_BYTES 16 /* what password_hash() writes */
#define PASSWORD_DK_BYTES   32
/* What password_verify() accepts, so hashes written under older settings still verify. */
#define PASSWORD_SALT_MIN 4
#define PASSWORD_SALT_MAX 64
#define PASSWORD_ITER_MIN 1000
#define PASSWORD_ITER_MAX 10000000UL

#define SEAL_KEY_BYTES	 32
#define SEAL_NONCE_BYTES 12
#define SEAL_TAG_BYTES	 16
#define SEAL_OVERHEAD	 (SEAL_NONCE_BYTES + SEAL_TAG_BYTES)
#define SEAL_PLAIN_MAX	 (64u * 1024 * 1024) /* keeps every length inside an int for EVP */

/* New-hash iteration count: written only before other threads start (main, test set-up), then read. */
static unsigned long password_iter = PASSWORD_ITERATIONS;

static const char secret_b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Length of the unpadded base64url text for n bytes (without the NUL). */
static size_t secret_b64_len(size_t n)
{
	return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

/* Encodes n bytes as unpadded base64url into out, which holds secret_b64_len(n) + 1 bytes. */
static void secret_b64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 | in[i + 2];

		out[o++] = secret_b64url[(v >> 18) & 63];
		out[o++] = secret_b64url[(v >> 12) & 63];
		out[o++] = secret_b64url[(v >> 6) & 63];
		out[o++] = secret_b64url[v & 63];
	}
	if (n - i == 1) {
		out[o++] = secret_b64url[in[i] >> 2];
		out[o++] = secret_b64url[(in[i] & 3) << 4];
	} else if (n - i == 2) {
		unsigned long v = (unsigned long)in[i] << 8 | in[i + 1];

		out[o++] = secret_b64url[(v >> 10) & 63];
		out[o++] = secret_b64url[(v >> 4) & 63];
		out[o++] = secret_b64url[(v << 2) & 63];
	}
	out[o] = '\0';
}

static int secret_b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/*
 * Decodes n characters of unpadded base64url into out (room for cap bytes). Strict: no padding,
 * no other alphabet, no length that leaves a lone character, and the unused low bits of the last
 * character must be zero, so that every byte string has exactly one accepted text.
 * Returns the number of bytes written, or -1.
 */
static long secret_b64_decode(const char *in, size_t n, unsigned char *out, size_t cap)
{
	unsigned long acc = 0;
	size_t i, o = 0;
	int bits = 0;

	if (n % 4 == 1 || n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0) > cap || n > LONG_MAX / 3)
		return -1;
	for (i = 0; i < n; i++) {
		int v = secret_b64_value(in[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6 | (unsigned long)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (acc & ((1ul << bits) - 1))
		return -1;
	return (long)o;
}

int secret_token_new(char out[SECRET_TOKEN_LEN + 1])
{
	unsigned char raw[SECRET_TOKEN_BYTES];

	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		out[0] = '\0';
		return -1;
	}
	secret_b64_encode(raw, sizeof(raw), out);
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

/*
 * A SHA-256 failure means a broken libcrypto; out is then left empty, which never equals a stored
 * hash of SECRET_HASH_LEN digits.
 */
void secret_hash(const char *s, size_t n, char out[SECRET_HASH_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned int i;

	if (!s)
		s = "";
	if (EVP_Digest(s, n, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen * 2 != SECRET_HASH_LEN) {
		out[0] = '\0';
		return;
	}
	for (i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[SECRET_HASH_LEN] = '\0';
}

void secret_short(const char *s, char out[SECRET_SHORT_LEN + 1])
{
	char full[SECRET_HASH_LEN + 1];

	if (!s)
		s = "";
	secret_hash(s, strlen(s), full);
	memcpy(out, full, SECRET_SHORT_LEN);
	out[SECRET_SHORT_LEN] = '\0';
}

int secret_equal(const void *a, const void *b, size_t n)
{
	if (n == 0)
		return 1;
	if (!a || !b)
		return 0;
	return CRYPTO_memcmp(a, b, n) == 0;
}

/* NULL equals nothing, not even NULL. Only the lengths leak through timing, never the contents. */
int secret_str_equal(const char *a, const char *b)
{
	size_t n;

	if (!a || !b)
		return 0;
	n = strlen(a);
	if (n != strlen(b))
		return 0;
	return secret_equal(a, b, n);
}

/* PBKDF2-HMAC-SHA256 of password into dk[PASSWORD_DK_BYTES]. Returns 0 or -1. */
static int password_derive(const char *password, unsigned long iter, const unsigned char *salt,
			   size_t salt_len, unsigned char dk[PASSWORD_DK_BYTES])
{
	size_t n = strlen(password);

	if (n > INT_MAX || iter > INT_MAX)
		return -1;
	if (PKCS5_PBKDF2_HMAC(password, (int)n, salt, (int)salt_len, (int)iter, EVP_sha256(),
			      PASSWORD_DK_BYTES, dk) != 1)
		return -1;
	return 0;
}

unsigned long password_iterations(void)
{
	return password_iter;
}

int password_set_iterations(unsigned long iter)
{
	if (iter > PASSWORD_ITER_MAX)
		return -1;
#ifdef MAJLIS_TEST_HOOKS
	if (iter < PASSWORD_ITER_MIN)
		return -1;
#else
	if (iter < PASSWORD_ITERATIONS)
		return -1;
#endif
	password_iter = iter;
	return 0;
}

long password_iterations_from_env(void)
{
	const char *v = getenv(PASSWORD_TEST_ENV);
	unsigned long iter = 0;

	if (!v)
		return 0;
	if (*v < '1' || *v > '9')
		return -1;
	for (; *v >= '0' && *v <= '9'; v++) {
		iter = iter * 10 + (unsigned long)(*v - '0');
		if (iter > PASSWORD_ITER_MAX)
			return -1;
	}
	if (*v || password_set_iterations(iter))
		return -1;
	return (long)iter;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	unsigned long iter = password_iter;
	unsigned char salt[PASSWORD_SALT_BYTES];
	unsigned char dk[PASSWORD_DK_BYTES];
	char salt_b64[(PASSWORD_SALT_BYTES + 2) / 3 * 4 + 1];
	char dk_b64[(PASSWORD_DK_BYTES + 2) / 3 * 4 + 1];
	int ret = -1;
	int w;

	out[0] = '\0';
	if (!password)
		goto out;
	if (RAND_bytes(salt, sizeof(salt)) != 1)
		goto out;
	if (password_derive(password, iter, salt, sizeof(salt), dk))
		goto out;
	secret_b64_encode(salt, sizeof(salt), salt_b64);
	secret_b64_encode(dk, sizeof(dk), dk_b64);
	w = snprintf(out, PASSWORD_HASH_MAX, PASSWORD_PREFIX "%lu$%s$%s", iter, salt_b64, dk_b64);
	if (w < 0 || w >= PASSWORD_HASH_MAX) {
		out[0] = '\0';
		goto out;
	}
	ret = 0;
out:
	OPENSSL_cleanse(dk, sizeof(dk));
	OPENSSL_cleanse(dk_b64, sizeof(dk_b64));
	return ret;
}

/* The parsed form of "pbkdf2-sha256$<iter>$<salt>$<dk>"; one per verification, on the stack. */
struct password_encoded {
	unsigned long iter;
	unsigned char salt[PASSWORD_SALT_MAX];
	size_t salt_len;
	unsigned char dk[PASSWORD_DK_BYTES];
};

/*
 * Parses an encoding from password_hash(). Iterations are decimal without leading zeros in
 * [PASSWORD_ITER_MIN, PASSWORD_ITER_MAX]; salt and hash are unpadded base64url, the salt
 * PASSWORD_SALT_MIN..PASSWORD_SALT_MAX bytes, the hash exactly PASSWORD_DK_BYTES.
 * Returns 0, or -1 when anything is off.
 */
static int password_parse(const char *encoded, struct password_encoded *pe)
{
	const char *p, *dollar;
	size_t plen = strlen(PASSWORD_PREFIX);
	long got;

	if (strncmp(encoded, PASSWORD_PREFIX, plen) != 0)
		return -1;
	p = encoded + plen;
	if (*p < '1' || *p > '9')
		return -1;
	pe->iter = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		pe->iter = pe->iter * 10 + (unsigned long)(*p - '0');
		if (pe->iter > PASSWORD_ITER_MAX)
			return -1;
	}
	if (*p != '$' || pe->iter < PASSWORD_ITER_MIN)
		return -1;
	p++;
	dollar = strchr(p, '$');
	if (!dollar)
		return -1;
	got = secret_b64_decode(p, (size_t)(dollar - p), pe->salt, sizeof(pe->salt));
	if (got < PASSWORD_SALT_MIN)
		return -1;
	pe->salt_len = (size_t)got;
	p = dollar + 1;
	got = secret_b64_decode(p, strlen(p), pe->dk, sizeof(pe->dk));
	if (got != PASSWORD_DK_BYTES)
		return -1;
	return 0;
}

/* Derives and compares in constant time. Returns 1 on match, 0 otherwise. */
static int password_check(const char *password, const struct password_encoded *pe)
{
	unsigned char dk[PASSWORD_DK_BYTES];
	int match = 0;

	if (password_derive(password, pe->iter, pe->salt, pe->salt_len, dk))
		goto out;
	match = CRYPTO_memcmp(dk, pe->dk, sizeof(dk)) == 0;
out:
	OPENSSL_cleanse(dk, sizeof(dk));
	return match;
}

/*
 * A malformed encoding (say, a marker for an account without a password) still burns one
 * derivation, so that its timing cannot be told from a wrong password.
 */
int password_verify(const char *password, const char *encoded)
{
	struct password_encoded pe;
	int match;

	if (!password)
		password = "";
	if (!encoded || password_parse(encoded, &pe)) {
		password_dummy_verify(password);
		return 0;
	}
	match = password_check(password, &pe);
	OPENSSL_cleanse(&pe, sizeof(pe));
	return match;
}

/* The same derivation and comparison as a verification at password_iterations(), against zeros. */
void password_dummy_verify(const char *password)
{
	struct password_encoded pe;

	memset(&pe, 0, sizeof(pe));
	pe.iter = password_iter;
	pe.salt_len = PASSWORD_SALT_BYTES;
	(void)password_check(password ? password : "", &pe);
}

/* SHA-256 of keymaterial into key; -1 when keymaterial is NULL or empty (a configuration error). */
static int seal_key(const char *keymaterial, unsigned char key[SEAL_KEY_BYTES])
{
	unsigned int len = 0;

	if (!keymaterial || !keymaterial[0])
		return -1;
	if (EVP_Digest(keymaterial, strlen(keymaterial), key, &len, EVP_sha256(), NULL) != 1 ||
	    len != SEAL_KEY_BYTES)
		return -1;
	return 0;
}

/* Plaintexts longer than SEAL_PLAIN_MAX and empty or NULL keymaterial are refused (NULL). */
char *secret_seal(const char *keymaterial, const char *plain, size_t n)
{
	unsigned char key[SEAL_KEY_BYTES];
	EVP_CIPHER_CTX *ctx = NULL;
	unsigned char *raw = NULL;
	char *text = NULL;
	int len;

	if ((!plain && n) || n > SEAL_PLAIN_MAX || seal_key(keymaterial, key))
		goto out;
	raw = malloc(n + SEAL_OVERHEAD);
	ctx = EVP_CIPHER_CTX_new();
	if (!raw || !ctx)
		goto out;
	if (RAND_bytes(raw, SEAL_NONCE_BYTES) != 1)
		goto out;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, raw) != 1)
		goto out;
	if (n && (EVP_EncryptUpdate(ctx, raw + SEAL_NONCE_BYTES, &len, (const unsigned char *)plain,
				    (int)n) != 1 ||
		  (size_t)len != n))
		goto out;
	if (EVP_EncryptFinal_ex(ctx, raw + SEAL_NONCE_BYTES + n, &len) != 1 || len != 0)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, SEAL_TAG_BYTES, raw + SEAL_NONCE_BYTES + n) != 1)
		goto out;
	text = malloc(secret_b64_len(n + SEAL_OVERHEAD) + 1);
	if (!text)
		goto out;
	secret_b64_encode(raw, n + SEAL_OVERHEAD, text);
out:
	OPENSSL_cleanse(key, sizeof(key));
	if (raw)
		OPENSSL_cleanse(raw, n + SEAL_OVERHEAD);
	free(raw);
	EVP_CIPHER_CTX_free(ctx);
	return text;
}

/* Text that does not decode, is shorter than nonce and tag, or fails the tag gives NULL. */
char *secret_open(const char *keymaterial, const char *sealed)
{
	unsigned char key[SEAL_KEY_BYTES];
	unsigned char tag[SEAL_TAG_BYTES];
	EVP_CIPHER_CTX *ctx = NULL;
	unsigned char *raw = NULL;
	char *plain = NULL;
	size_t slen, rawcap = 0, n = 0;
	long got;
	int len;
	bool ok = false;

	if (!sealed || seal_key(keymaterial, key))
		goto out;
	slen = strlen(sealed);
	if (slen > secret_b64_len(SEAL_PLAIN_MAX + SEAL_OVERHEAD))
		goto out;
	rawcap = slen / 4 * 3 + 3;
	raw = malloc(rawcap);
	if (!raw)
		goto out;
	got = secret_b64_decode(sealed, slen, raw, rawcap);
	if (got < SEAL_OVERHEAD)
		goto out;
	n = (size_t)got - SEAL_OVERHEAD;
	memcpy(tag, raw + SEAL_NONCE_BYTES + n, SEAL_TAG_BYTES);
	plain = malloc(n + 1);
	ctx = EVP_CIPHER_CTX_new();
	if (!plain || !ctx)
		goto out;
	if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, raw) != 1)
		goto out;
	if (n && (EVP_DecryptUpdate(ctx, (unsigned char *)plain, &len, raw + SEAL_NONCE_BYTES, (int)n) != 1 ||
		  (size_t)len != n))
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, SEAL_TAG_BYTES, tag) != 1)
		goto out;
	if (EVP_DecryptFinal_ex(ctx, (unsigned char *)plain + n, &len) != 1)
		goto out;
	plain[n] = '\0';
	ok = true;
out:
	OPENSSL_cleanse(key, sizeof(key));
	if (raw)
		OPENSSL_cleanse(raw, rawcap);
	free(raw);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok && plain) {
		OPENSSL_cleanse(plain, n + 1);
		free(plain);
		plain = NULL;
	}
	return plain;
}

int secret_token_valid(const char *s)
{
	size_t n = 0;

	if (!s)
		return 0;
	for (; s[n]; n++) {
		char c = s[n];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return n == SECRET_TOKEN_LEN;
}

void secret_wipe(void *p, size_t n)
{
	if (p && n)
		OPENSSL_cleanse(p, n);
}

int secret_key_file(const char *path, char out[65], char *err, size_t errlen)
{
	unsigned char raw[32];
	char hex[66];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || RAND_bytes(raw, sizeof(raw)) != 1) {
			snprintf(err, errlen, "cannot create the key file %s: %s", path,
				 fd < 0 ? strerror(errno) : "no random bytes");
			if (fd >= 0)
				close(fd);
			return -1;
		}
		for (size_t i = 0; i < sizeof(raw); i++)
			snprintf(hex + 2 * i, 3, "%02x", raw[i]);
		hex[64] = '\n';
		n = write(fd, hex, 65);
		OPENSSL_cleanse(raw, sizeof(raw));
		if (n != 65 || fsync(fd) || close(fd)) {
			snprintf(err, errlen, "cannot write the key file %s", path);
			OPENSSL_cleanse(hex, sizeof(hex));
			return -1;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot read the key file %s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	hex[n > 0 ? n : 0] = '\0';
	if (n < 64 || strspn(hex, "0123456789abcdefABCDEF") < 64 || (n > 64 && hex[64] != '\n')) {
		snprintf(err, errlen, "the key file %s must hold 64 hexadecimal digits", path);
		OPENSSL_cleanse(hex, sizeof(hex));
		return -1;
	}
	memcpy(out, hex, 64);
	out[64] = '\0';
	OPENSSL_cleanse(hex, sizeof(hex));
	return 0;
}
