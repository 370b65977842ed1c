/* store_phones: the SQL face of text_phone_e164 and the report of unreadable stored phones; it never
 * logs a phone number. */
#include "store/store_phones.h"

#include <stdio.h>
#include <string.h>

#include "store/stmt.h"
#include "util/log.h"
#include "util/text.h"

#define STORE_PHONES_SHOWN 20 /* ids listed in the report */

static void store_phones_e164(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char out[TEXT_PHONE_E164_SIZE];
	const char *s;

	(void)argc;
	s = (const char *)sqlite3_value_text(argv[0]);
	if (!s || !text_phone_e164(s, out)) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

int store_phones_register(struct db *db)
{
	int rc = sqlite3_create_function(db_handle(db), "majlis_phone_e164", 1,
					 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
					 store_phones_e164, NULL, NULL);

	if (rc != SQLITE_OK) {
		log_err("cannot register majlis_phone_e164: %s", sqlite3_errstr(rc));
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_phones_report(struct db *db)
{
	static const char sql[] = "SELECT id FROM people WHERE phone IS NOT NULL AND "
				  "majlis_phone_e164(phone) IS NOT phone ORDER BY id";
	sqlite3_stmt *st = db_stmt(db, sql);
	char ids[STORE_PHONES_SHOWN * 21 + 8];
	size_t len = 0;
	int n = 0, rc;

	if (!st)
		return STORE_ERROR;
	ids[0] = '\0';
	for (rc = db_step(st); rc == 1; rc = db_step(st)) {
		if (n++ < STORE_PHONES_SHOWN && len < sizeof(ids))
			len += (size_t)snprintf(ids + len, sizeof(ids) - len, "%s%lld", n > 1 ? ", " : "",
						(long long)db_col_int(st, 0));
	}
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	if (n > 0)
		log_warn("stored phone numbers that are no valid international number stay as typed: %d "
			 "(correct them with PATCH /api/v1/people/{id}), people ids %s%s",
			 n, ids, n > STORE_PHONES_SHOWN ? ", ..." : "");
	return STORE_OK;
}
