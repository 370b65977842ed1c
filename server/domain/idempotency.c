/*
 * idempotency: stores and replays first answers to keyed POSTs, sealed under the key; it must not
 * log keys or bodies, and it never begins or commits a transaction itself.
 */
#include "domain/idempotency.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store_idempotency.h"
#include "util/log.h"
#include "util/secret.h"

bool idempotency_key_valid(const char *key)
{
	size_t n = 0;

	if (!key)
		return false;
	for (; key[n]; n++) {
		char c = key[n];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
		if (n >= IDEM_KEY_MAX)
			return false;
	}
	return n >= IDEM_KEY_MIN;
}

/* secret_hash(scope ":" key) into out. */
static void idem_hash(const char *scope, const char *key, char out[SECRET_HASH_LEN + 1])
{
	char buf[64 + IDEM_KEY_MAX + 2];
	int n = snprintf(buf, sizeof(buf), "%s:%s", scope, key);

	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	secret_hash(buf, (size_t)n, out);
}

int idempotency_lookup(struct db *db, const char *scope, const char *key, int64_t now,
		       enum idem_outcome *outcome, struct json_object **body, struct dom_err *err)
{
	char hash[SECRET_HASH_LEN + 1];
	char *sealed = NULL, *plain = NULL;
	int status = 0;
	int ret;
	int rc;

	*body = NULL;
	idem_hash(scope, key, hash);
	rc = store_idem_get(db, hash, now - IDEM_TTL_SECONDS, &status, &sealed);
	if (rc == STORE_NOT_FOUND) {
		ret = 0;
		goto out;
	}
	if (rc) {
		ret = dom_from_store(err, rc, "idempotency entry");
		goto out;
	}
	plain = secret_open(key, sealed);
	if (plain)
		*body = json_tokener_parse(plain);
	if (!*body) {
		log_err("a stored answer could not be opened");
		ret = dom_fail(err, DOM_INTERNAL, NULL,
			       "the stored answer for this Idempotency-Key is unreadable");
		goto out;
	}
	*outcome = status == IDEM_CREATED ? IDEM_CREATED : IDEM_OK;
	ret = 1;
out:
	free(sealed);
	free(plain);
	return ret;
}

int idempotency_save(struct db *db, const char *scope, const char *key, enum idem_outcome outcome,
		     struct json_object *body, int64_t now, struct dom_err *err)
{
	char hash[SECRET_HASH_LEN + 1];
	const char *plain = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
	char *sealed = NULL;
	int rc;

	idem_hash(scope, key, hash);
	rc = store_idem_purge(db, now - IDEM_TTL_SECONDS);
	if (rc)
		goto out;
	sealed = secret_seal(key, plain, strlen(plain));
	if (!sealed) {
		rc = STORE_ERROR;
		goto out;
	}
	rc = store_idem_put(db, hash, (int)outcome, sealed, now);
out:
	free(sealed);
	if (rc)
		return dom_from_store(err, rc, "idempotency entry");
	return 0;
}
