/*
 * secret: random tokens, their hashes, constant-time comparison and password hashing, all through
 * OpenSSL; it never logs or stores anything itself.
 */
#ifndef MAJLIS_UTIL_SECRET_H
#define MAJLIS_UTIL_SECRET_H

#include <stddef.h>

#define SECRET_TOKEN_LEN 43 /* base64url of 32 random bytes (256 bits), no padding */
#define SECRET_HASH_LEN	 64 /* lowercase hex SHA-256 */
#define SECRET_SHORT_LEN 8  /* first 8 hex digits of the hash: what logs may show */

/* Fills out (SECRET_TOKEN_LEN + 1 bytes) with a new token from RAND_bytes. Returns 0 or -1. Any thread. */
int secret_token_new(char out[SECRET_TOKEN_LEN + 1]);

/* Whether s has the shape of a token from secret_token_new (SECRET_TOKEN_LEN base64url characters). */
int secret_token_valid(const char *s);

/* Overwrites n bytes at p with zeros in a way the compiler keeps (OPENSSL_cleanse). Accepts NULL. */
void secret_wipe(void *p, size_t n);

/* Reads the 64 hex digits of the key file at path into out, creating the file (mode 0600, 32 random bytes)
 * when it does not exist. Returns 0, or -1 with a reason in err. */
int secret_key_file(const char *path, char out[65], char *err, size_t errlen);

/* SHA-256 of s (length n) as lowercase hex into out (SECRET_HASH_LEN + 1). Any thread. */
void secret_hash(const char *s, size_t n, char out[SECRET_HASH_LEN + 1]);

/* The first SECRET_SHORT_LEN hex digits of secret_hash(s): safe to log. */
void secret_short(const char *s, char out[SECRET_SHORT_LEN + 1]);

/* Constant-time equality of two byte strings of length n (CRYPTO_memcmp). Returns 1 when equal. */
int secret_equal(const void *a, const void *b, size_t n);

/* Constant-time equality of two NUL-terminated strings (lengths compared first). Returns 1 when equal. */
int secret_str_equal(const char *a, const char *b);

#define PASSWORD_HASH_MAX 160
/* The production floor: new hashes never use fewer iterations unless the build has test hooks. */
#define PASSWORD_ITERATIONS 600000
/* The environment variable through which a build with test hooks (MAJLIS_TEST_HOOKS) lowers the count. */
#define PASSWORD_TEST_ENV "MAJLIS_TEST_PBKDF2_ITERATIONS"

/* The iteration count for new hashes and dummy verifications (PASSWORD_ITERATIONS unless lowered). */
unsigned long password_iterations(void);

/*
 * Sets the iteration count for new hashes. A count below PASSWORD_ITERATIONS is accepted only when
 * the build defines MAJLIS_TEST_HOOKS (CMake sets it on test builds only), and never below the 1000
 * that verification accepts. Returns 0, or -1 with the count unchanged. Call before other threads start.
 */
int password_set_iterations(unsigned long iter);

/*
 * Applies PASSWORD_TEST_ENV when it is set: returns the lowered count, 0 when the variable is unset,
 * or -1 when it is set but refused (malformed, or a build without test hooks), the count unchanged.
 * Call before other threads start.
 */
long password_iterations_from_env(void);

/* PBKDF2-HMAC-SHA256 with a 16-byte random salt and password_iterations() iterations, encoded as
 * "pbkdf2-sha256$<iter>$<salt b64>$<hash b64>" into out, so that verification uses the count the hash
 * was made with. Returns 0 or -1. Slow by design (~0.3 s at the production floor). */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);

/* Checks password against an encoded hash from password_hash() in constant time.
 * Returns 1 on match, 0 on mismatch or malformed encoding. */
int password_verify(const char *password, const char *encoded);

/* Burns the same time as a real verification; used for unknown accounts so timing does not tell. */
void password_dummy_verify(const char *password);

/* Authenticated encryption (AES-256-GCM) of plain under a key derived (SHA-256) from keymaterial;
 * result is base64 text (nonce|ciphertext|tag) in a malloc'ed string the caller frees. NULL on error. */
char *secret_seal(const char *keymaterial, const char *plain, size_t n);
/* Reverses secret_seal; returns a malloc'ed NUL-terminated plaintext or NULL (wrong key, tampered). */
char *secret_open(const char *keymaterial, const char *sealed);

#endif
