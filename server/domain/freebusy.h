/*
 * freebusy (domain): whose time a free/busy token shows and which sessions make it busy, over which
 * range of days; it renders through calendar/freebusy and knows no HTTP. The answer never names anyone.
 */
#ifndef MAJLIS_DOMAIN_FREEBUSY_H
#define MAJLIS_DOMAIN_FREEBUSY_H

#include <stdint.h>

#include "config.h"
#include "domain/domain.h"
#include "util/buf.h"

struct db;

#define FREEBUSY_DEFAULT_DAYS 60    /* without ?to=: from + 60 days */
#define FREEBUSY_MAX_DAYS     366   /* a range covers at most this many days (both ends included) */
#define FREEBUSY_MAX_SESSIONS 20000 /* sessions read per answer (earliest first) */
#define FREEBUSY_ZONE	      "Africa/Casablanca" /* the zone whose days ?from= and ?to= name */

/* One rendered free/busy answer. Lives on the handler's stack; freebusy_answer_free releases it. */
struct freebusy_answer {
	struct buf body;       /* the iCalendar text */
	int64_t last_modified; /* when these bytes last changed (the api's Last-Modified) */
};

/*
 * The free/busy time of the owner of calendar token: an organisation (sessions of the events it owns
 * or is a partner of, not cancelled) or a person (sessions of events they hold a pending, confirmed or
 * waitlisted registration for, and sessions they facilitate). from / to are "YYYY-MM-DD" days in
 * FREEBUSY_ZONE, both included, or NULL: from defaults to today, to to from + FREEBUSY_DEFAULT_DAYS.
 * DOM_INVALID "invalid_query" for a malformed day, to before from, or more than FREEBUSY_MAX_DAYS days;
 * DOM_NOT_FOUND for an unknown or revoked token, another kind of owner, or an erased person. On DOM_OK
 * out holds the answer (freebusy_answer_free it; also safe after a failure). Service thread.
 */
int freebusy_by_token(struct db *db, const struct config *cfg, const char *token, const char *from,
		      const char *to, int64_t now, struct freebusy_answer *out, struct dom_err *err);

/* Frees the body; accepts an answer that was zeroed or already freed. */
void freebusy_answer_free(struct freebusy_answer *a);

#endif
