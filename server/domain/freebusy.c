/*
 * freebusy (domain): resolves a free/busy token to its owner, turns ?from=/?to= days into a UTC range,
 * reads the busy sessions and renders them; it must not speak HTTP, log tokens, or let a name, an
 * address or any other personal data into the answer.
 */
#include "domain/freebusy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/freebusy.h"
#include "calendar/tz.h"
#include "store/db.h"
#include "store/store_feeds.h"
#include "store/store_freebusy.h"
#include "store/store_people.h"
#include "util/log.h"
#include "util/secret.h"
#include "util/text.h"

#define FREEBUSY_BODY_MAX (8 * 1024 * 1024)
#define FREEBUSY_DAY	  86400

void freebusy_answer_free(struct freebusy_answer *a)
{
	if (!a)
		return;
	buf_free(&a->body);
	memset(a, 0, sizeof(*a));
}

/* Day number (days since 1970-01-01) of a valid "YYYY-MM-DD". */
static int64_t freebusy_day_of(const char *date)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)strtol(date, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(date + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(date + 8, NULL, 10);
	return (int64_t)timegm(&tm) / FREEBUSY_DAY;
}

/* UTC instant of local midnight starting day number day in FREEBUSY_ZONE. Returns 0 or -1. */
static int freebusy_midnight(int64_t day, int64_t *utc)
{
	time_t t = (time_t)(day * FREEBUSY_DAY);
	char local[TZ_LOCAL_LEN];
	struct tm tm;
	int32_t off;

	if (!gmtime_r(&t, &tm) || !strftime(local, sizeof(local), "%Y-%m-%dT00:00:00", &tm))
		return -1;
	/* Moroccan clocks change at 02:00 or 03:00: midnight exists once; take the earlier one else */
	if (tz_local_to_utc(FREEBUSY_ZONE, local, TZ_NO_OFFSET, utc, &off) == TZ_OK)
		return 0;
	return tz_local_to_utc(FREEBUSY_ZONE, local, 0, utc, &off) == TZ_OK ? 0 : -1;
}

/* The UTC range [*from_utc, *to_utc) of the days from..to (NULL: defaults). DOM_OK or DOM_INVALID. */
static int freebusy_range(const char *from, const char *to, int64_t now, int64_t *from_utc, int64_t *to_utc,
			  struct dom_err *err)
{
	char today[TZ_LOCAL_LEN];
	int64_t first, last;
	int32_t off;

	if ((from && (strlen(from) != 10 || !text_is_date(from))) ||
	    (to && (strlen(to) != 10 || !text_is_date(to))))
		return dom_fail(err, DOM_INVALID, "invalid_query",
				"'from' and 'to' must be real dates YYYY-MM-DD");
	if (from) {
		first = freebusy_day_of(from);
	} else {
		if (tz_utc_to_local(FREEBUSY_ZONE, now, today, &off) != TZ_OK)
			return dom_fail(err, DOM_INTERNAL, NULL, "the time zone database is unusable");
		today[10] = '\0';
		first = freebusy_day_of(today);
	}
	last = to ? freebusy_day_of(to) : first + FREEBUSY_DEFAULT_DAYS;
	if (last < first)
		return dom_fail(err, DOM_INVALID, "invalid_query", "'to' must not be before 'from'");
	if (last - first + 1 > FREEBUSY_MAX_DAYS)
		return dom_fail(err, DOM_INVALID, "invalid_query", "a range covers at most %d days",
				FREEBUSY_MAX_DAYS);
	if (freebusy_midnight(first, from_utc) || freebusy_midnight(last + 1, to_utc))
		return dom_fail(err, DOM_INTERNAL, NULL, "the time zone database is unusable");
	return DOM_OK;
}

/* Whether person_id's data is there (not erased). DOM_OK, DOM_NOT_FOUND or a store failure. */
static int freebusy_person_ok(struct db *db, int64_t person_id, struct dom_err *err)
{
	struct person_row person;
	int rc = store_person_get(db, person_id, &person);

	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no such free/busy calendar");
	if (rc)
		return dom_from_store(err, rc, "free/busy calendar");
	rc = person.erased_at != 0;
	person_row_clear(&person);
	return rc ? dom_fail(err, DOM_NOT_FOUND, NULL, "no such free/busy calendar") : DOM_OK;
}

int freebusy_by_token(struct db *db, const struct config *cfg, const char *token, const char *from,
		      const char *to, int64_t now, struct freebusy_answer *out, struct dom_err *err)
{
	char hash[SECRET_HASH_LEN + 1], uid[256];
	struct store_calendar_token t;
	struct store_busy *rows = NULL;
	struct freebusy_period *periods = NULL;
	struct freebusy_calendar cal;
	int64_t from_utc = 0, to_utc = 0, stamp = 0, day_start;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&out->body, FREEBUSY_BODY_MAX);
	secret_hash(token, strlen(token), hash);
	rc = store_calendar_token_by_hash(db, hash, &t);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no such free/busy calendar");
	if (rc)
		return dom_from_store(err, rc, "free/busy calendar");
	rc = freebusy_range(from, to, now, &from_utc, &to_utc, err);
	if (rc)
		return rc;
	if (!strcmp(t.owner_kind, "organisation")) {
		rc = store_freebusy_org(db, t.owner_id, from_utc, to_utc, FREEBUSY_MAX_SESSIONS, &rows, &n);
	} else if (!strcmp(t.owner_kind, "person")) {
		rc = freebusy_person_ok(db, t.owner_id, err);
		if (rc)
			return rc;
		rc =
		    store_freebusy_person(db, t.owner_id, from_utc, to_utc, FREEBUSY_MAX_SESSIONS, &rows, &n);
	} else {
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no such free/busy calendar");
	}
	rc = rc ? rc : store_freebusy_last_change(db, &stamp);
	if (rc) {
		rc = dom_from_store(err, rc, "free/busy");
		goto out;
	}
	if (n == FREEBUSY_MAX_SESSIONS)
		log_warn("free/busy of calendar token %lld truncated at %d sessions", (long long)t.id,
			 FREEBUSY_MAX_SESSIONS);
	periods = calloc(n ? n : 1, sizeof(*periods));
	if (!periods) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		periods[i].start = rows[i].start_utc;
		periods[i].end = rows[i].end_utc;
		periods[i].type = rows[i].tentative ? FREEBUSY_TENTATIVE : FREEBUSY_BUSY;
	}
	/* an empty change log (data loaded behind the API): a stamp that only moves once a day */
	day_start = now - now % FREEBUSY_DAY;
	if (stamp <= 0)
		stamp = day_start;
	snprintf(uid, sizeof(uid), "freebusy-%lld@%s", (long long)t.id, cfg->calendar_domain);
	memset(&cal, 0, sizeof(cal));
	cal.uid = uid;
	cal.stamp = stamp;
	cal.from = from_utc;
	cal.to = to_utc;
	cal.periods = periods;
	cal.n_periods = n;
	if (freebusy_render(&cal, &out->body)) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "free/busy could not be rendered");
		goto out;
	}
	/* the default range moves at midnight: the answer may change then without any write */
	out->last_modified = stamp;
	if (from_utc <= now && from_utc > out->last_modified)
		out->last_modified = from_utc;
	rc = DOM_OK;
out:
	free(rows);
	free(periods);
	return rc;
}
