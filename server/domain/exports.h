/*
 * exports: an event's registrations and attendance as CSV files for its organisers (UTF-8 with a BOM, RFC
 * 4180, formulas neutralised, headers and values in the caller's language); it decides who may export, and
 * never chooses HTTP statuses or headers.
 */
#ifndef MAJLIS_DOMAIN_EXPORTS_H
#define MAJLIS_DOMAIN_EXPORTS_H

#include <stdint.h>

#include "domain/domain.h"
#include "util/buf.h"

struct db;

/* The languages of an export's headers and words, NULL-terminated: fr, ar, en. */
extern const char *const exports_langs[];

enum exports_kind {
	EXPORTS_REGISTRATIONS, /* one line per registration of the event, any status */
	EXPORTS_ATTENDANCE,    /* one line per session x registration confirmed or recorded there */
};

/*
 * Appends the CSV file of kind for event_id to out (empty on entry), in lang (one of exports_langs), when
 * p may see its participants: an admin or an organiser of the event's organisation. DOM_UNAUTHENTICATED
 * anonymous, DOM_FORBIDDEN other roles and an organiser of another organisation for an event it may see,
 * DOM_NOT_FOUND an event that does not exist or p may not see; DOM_INTERNAL when out is full. Service thread.
 */
int exports_event_csv(struct db *db, const struct principal *p, int64_t event_id, enum exports_kind kind,
		      const char *lang, struct buf *out, struct dom_err *err);

#endif
