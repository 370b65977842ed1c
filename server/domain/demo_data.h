/*
 * demo_data: reads the demo data files embedded at build time (the JSON files of server/domain/demo/: the
 * cast, the event catalogue, the name pools) into plain structs with every cross reference resolved; it
 * writes nothing and must not know how the generator (domain/demo.c) uses them.
 */
#ifndef MAJLIS_DOMAIN_DEMO_DATA_H
#define MAJLIS_DOMAIN_DEMO_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store_events.h"
#include "store/store_orgs.h"
#include "store/store_venues.h"

#define DEMO_MAX_FILES	  8
#define DEMO_MAX_ORGS	  32
#define DEMO_MAX_VENUES	  32
#define DEMO_MAX_ROOMS	  64
#define DEMO_MAX_FACS	  32
#define DEMO_MAX_ACCOUNTS 16
#define DEMO_MAX_EVENTS	  32 /* a participant's events are a 32-bit set */
#define DEMO_MAX_TITLES	  32 /* sessions of one event */
#define DEMO_MAX_NATS	  16
#define DEMO_MAX_NAMES	  32 /* names in one pool */
#define DEMO_HM_LEN	  6  /* "HH:MM" + NUL */
#define DEMO_WHY_LEN	  160

struct json_object;

/* An organisation: key is how the other files name it. */
struct demo_org {
	const char *key;
	struct store_org row;
};

/* A venue of organisation org (index into orgs); row.org_id is left 0 for the generator to set. */
struct demo_venue {
	const char *key;
	int org;
	struct store_venue row;
};

/* A room of venue venue (index into venues). */
struct demo_room {
	int venue;
	struct store_room row;
};

/* A trainer or official of organisation org who leads sessions; named by name in events.json. */
struct demo_facilitator {
	const char *name;
	const char *name_ar;
	const char *sex;
	const char *email;
	int org;
};

/* An account; org -1: none. Every account gets the demo password. */
struct demo_account {
	const char *email;
	const char *display_name;
	const char *role;
	int org;
};

/* Whom an event's registrations come from: the migrants, the officials, or both by turns. */
enum demo_pool { DEMO_POOL_MIGRANTS, DEMO_POOL_OFFICIALS, DEMO_POOL_MIXED };

/* One event with its series of sessions (n_sessions, every_days apart, same hours) and how many of
 * its registrations end in each status. Indexes point into the tables of struct demo_data. */
struct demo_event {
	const char *type;
	const char *title[EVENT_LANGS];	      /* fr, ar, en; NULL: none */
	const char *description[EVENT_LANGS]; /* fr, ar, en; NULL: none */
	int org;
	int partner; /* -1: none */
	int venue;
	int room;
	int facilitator;
	const char *visibility;
	int capacity;
	bool needs_approval;
	bool cancelled;
	bool checkin;	   /* the check-in account scans for it */
	int64_t first_day; /* day count (util/civil) of the first session, local */
	int n_sessions;
	int every_days;
	char start_hm[DEMO_HM_LEN];
	char end_hm[DEMO_HM_LEN];
	const char *session_titles[DEMO_MAX_TITLES]; /* n_sessions titles, or all NULL */
	enum demo_pool pool;
	int confirmed, waitlisted, pending, cancelled_regs, declined, rejected;
};

/* A name in Latin and Arabic script. */
struct demo_name {
	const char *lat;
	const char *ar;
};

/* Names and habits of one nationality. */
struct demo_nat {
	const char *code;
	int weight;	  /* share among migrants, in percent */
	int ar_pct;	  /* chance of a name in Arabic script */
	const char *lang; /* usual language */
	const char *alt;  /* other language */
	int alt_pct;
	struct demo_name male[DEMO_MAX_NAMES];
	struct demo_name female[DEMO_MAX_NAMES];
	struct demo_name last[DEMO_MAX_NAMES];
	int n_male, n_female, n_last;
};

/* Everything the files hold. The strings point into the parsed files, which it owns until
 * demo_data_free. One per demo load, on the heap (it is large); service thread. */
struct demo_data {
	struct json_object *files[DEMO_MAX_FILES];
	int n_files;
	struct demo_org orgs[DEMO_MAX_ORGS];
	int n_orgs;
	struct demo_venue venues[DEMO_MAX_VENUES];
	int n_venues;
	struct demo_room rooms[DEMO_MAX_ROOMS];
	int n_rooms;
	struct demo_facilitator facs[DEMO_MAX_FACS];
	int n_facs;
	struct demo_account accounts[DEMO_MAX_ACCOUNTS];
	int n_accounts;
	int admin;   /* index of the first admin account */
	int checkin; /* index of the first checkin account, -1: none (then no event has checkin) */
	struct demo_event events[DEMO_MAX_EVENTS];
	int n_events;
	struct demo_nat nats[DEMO_MAX_NATS]; /* migrants' nationalities: weights add up to 100 */
	int n_nats;
	struct demo_nat officials; /* the officials' names */
};

/* The bytes of embedded file name ("events.json") into *len; NULL when this build has no such file. */
const char *demo_data_file(const char *name, size_t *len);
/* Parses every embedded file into d (zeroed first); when name is not NULL, text (len bytes) stands in
 * for the embedded file of that name (a test's broken copy). Returns 0, or -1 with why (DEMO_WHY_LEN)
 * naming the file, the entry (from 1) and the problem; d is then to be freed all the same. */
int demo_data_load(struct demo_data *d, const char *name, const char *text, size_t len,
		   char why[DEMO_WHY_LEN]);
/* Releases the parsed files (every string of d with them). Accepts NULL. */
void demo_data_free(struct demo_data *d);

#endif
