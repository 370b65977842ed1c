/*
 * freebusy: merges busy periods and renders a VFREEBUSY (RFC 5545) from plain C structs with libical;
 * it reads no database, knows no domain type and never names a person (no ORGANIZER, no ATTENDEE).
 */
#ifndef MAJLIS_CALENDAR_FREEBUSY_H
#define MAJLIS_CALENDAR_FREEBUSY_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* FBTYPE of a period. BUSY outranks BUSY-TENTATIVE where they overlap. */
enum freebusy_type { FREEBUSY_TENTATIVE = 1, FREEBUSY_BUSY = 2 };

/* One busy interval [start, end) in seconds since the epoch (UTC). Plain value; any owner. */
struct freebusy_period {
	int64_t start;
	int64_t end;
	enum freebusy_type type;
};

/* A whole free/busy answer. Lives on the caller's stack for one freebusy_render call. */
struct freebusy_calendar {
	const char *uid;  /* UID of the VFREEBUSY (stable for its owner), e.g. "freebusy-7@domain" */
	int64_t stamp;	  /* DTSTAMP: when the information was last revised */
	int64_t from, to; /* DTSTART / DTEND of the range covered, UTC, from < to */
	const struct freebusy_period *periods; /* any order, overlapping allowed (merged when rendered) */
	size_t n_periods;
};

/*
 * Merges the n periods of in, clipped to [from, to), into *out ordered by start: overlapping or
 * touching periods of the same type become one, and where BUSY overlaps BUSY-TENTATIVE the overlap is
 * BUSY (the tentative period is cut around it). Periods with end <= start, or outside the range, are
 * dropped. *out is malloc'ed (the caller frees it; NULL when *n_out is 0). Returns 0, or -1 when memory
 * is short (*out NULL). Any thread.
 */
int freebusy_merge(const struct freebusy_period *in, size_t n, int64_t from, int64_t to,
		   struct freebusy_period **out, size_t *n_out);

/*
 * Renders cal as a VCALENDAR (PRODID, VERSION) holding one VFREEBUSY (UID, DTSTAMP, DTSTART, DTEND and
 * one FREEBUSY;FBTYPE=BUSY|BUSY-TENTATIVE per merged period, in UTC) appended to out; cal->periods
 * are merged first (see freebusy_merge) and left unchanged. Returns 0, or -1 when libical or memory fails or
 * out reaches its maximum. Only the lws service thread (or a test's main thread): libical keeps per-thread
 * state.
 */
int freebusy_render(const struct freebusy_calendar *cal, struct buf *out);

#endif
