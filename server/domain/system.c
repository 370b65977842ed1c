/* system: health of the store and housekeeping of expired rows; no HTTP. */
#include "domain/system.h"

#include <json-c/json.h>

#include "calendar/tz.h"
#include "domain/login.h"
#include "domain/idempotency.h"
#include "domain/outbox.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_system.h"
#include "util/log.h"

int system_health(const struct system_state *s, struct db *db, struct system_health *h, struct dom_err *err)
{
	int rc = db_health(db);

	h->schema = db_schema_version(db);
	h->tz = s->tz_stale ? "stale" : "ok";
	if (rc == STORE_GONE)
		h->store = "gone";
	else if (rc == STORE_CORRUPT)
		h->store = "corrupt";
	else
		h->store = h->schema > 0 ? "ok" : "unreachable";
	if (rc)
		return dom_from_store(err, rc, "database");
	if (h->schema <= 0)
		return dom_fail(err, DOM_BUSY, NULL, "the database is not reachable");
	err->code = DOM_OK;
	return DOM_OK;
}

bool system_tz_check(struct system_state *s)
{
	s->tz_stale = !tz_rules_current();
	if (s->tz_stale)
		log_err(
		    "THE TIME ZONE DATABASE IS OUT OF DATE: it is older than Morocco's 2026c rules "
		    "(it does not put Africa/Casablanca at UTC+0 on 2026-10-15), so times of sessions in "
		    "Morocco from then on are one hour wrong in feeds, mails and pages. Upgrade the tzdata "
		    "package, then send majlisd SIGHUP (or wait for --tz-check)");
	return !s->tz_stale;
}

void system_wal_tick(struct system_state *s, struct db *db, int64_t now)
{
	uint64_t commits = db_commits(db);
	bool quiet = commits == s->wal.commits;
	int frames, copied, rc;
	int64_t bytes;

	s->wal.commits = commits;
	if (!quiet)
		s->wal.empty = false;
	rc = db_checkpoint(db, quiet && !s->wal.empty, &frames, &copied);
	if (!rc) {
		s->wal.empty = s->wal.empty || quiet;
		s->wal.blocked_since = 0;
		return;
	}
	if (!s->wal.blocked_since)
		s->wal.blocked_since = now;
	bytes = (int64_t)frames * (db_page_size(db) + 24);
	if ((now - s->wal.blocked_since >= SYSTEM_WAL_WARN_S || bytes > DB_WAL_LIMIT_BYTES) &&
	    (!s->wal.warned_at || now - s->wal.warned_at >= SYSTEM_WAL_WARN_S)) {
		s->wal.warned_at = now;
		log_warn("the write-ahead log holds %d page(s) (%lld MiB) not yet copied into the database, "
			 "for %lld s: another connection keeps a read transaction open (a long query, a "
			 "backup, a sqlite3 shell?) and the log cannot shrink until it ends",
			 frames - copied, (long long)(bytes >> 20), (long long)(now - s->wal.blocked_since));
	}
}

int system_housekeeping(struct db *db, int64_t now, int session_idle_s, int session_absolute_s, bool mailer,
			struct dom_err *err)
{
	struct json_object *payload;
	int64_t n = 0;
	int rc;

	rc = db_begin(db);
	rc = rc ? rc
		: store_system_purge(db, now - session_idle_s, now - session_absolute_s,
				     now - IDEM_TTL_SECONDS, now - LOGIN_WINDOW_S, now - SYSTEM_OUTBOX_KEEP_S,
				     mailer ? INT64_MIN : now - OUTBOX_MAX_AGE_S, now, &n);
	if (!rc && n > 0) {
		payload = json_object_new_object();
		json_object_object_add(payload, "deleted", json_object_new_int64(n));
		rc = db_changelog(db, "system", "system.housekeeping", 0, payload, now, NULL);
		json_object_put(payload);
	}
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "housekeeping");
	}
	return (int)(n > 0x7fffffff ? 0x7fffffff : n);
}
