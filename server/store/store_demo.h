/*
 * store_demo: the read checks of the demo loader (is there an event yet, do sessions overlap, is an
 * event overbooked); it writes nothing (the loader writes through the ordinary store inserts) and must
 * not be used for anything but loading demo data.
 */
#ifndef MAJLIS_STORE_STORE_DEMO_H
#define MAJLIS_STORE_STORE_DEMO_H

#include <stdbool.h>
#include <stdint.h>

struct db;

/* Whether any event exists: *any set. STORE_OK or a negative store_rc. */
int store_demo_has_event(struct db *db, bool *any);

/* Number of pairs of overlapping sessions sharing a room or a facilitator, into *n. */
int store_demo_overlaps(struct db *db, int64_t *n);

/* Number of events whose confirmed registrations exceed their capacity, into *n. */
int store_demo_overbooked(struct db *db, int64_t *n);

#endif
