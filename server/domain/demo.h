/*
 * demo: realistic demo data for the programme (organisations, venues, events across every Moroccan
 * clock regime, participants, registrations, attendance), loaded into an empty database only.
 */
#ifndef MAJLIS_DOMAIN_DEMO_H
#define MAJLIS_DOMAIN_DEMO_H

#include "domain/domain.h"

struct db;

#define DEMO_ADMIN_EMAIL    "admin@majlis.local"
#define DEMO_ADMIN_PASSWORD "majlis-demo"

/* Loads the demo data in one transaction when the database holds no event yet; a no-op otherwise.
 * now (the caller reads the clock) is written on its change-log rows and caps the data's past.
 * Returns DOM_OK or a failure in err. */
int demo_load(struct db *db, int64_t now, struct dom_err *err);

#endif
