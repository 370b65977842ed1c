/*
 * store_demo: the raw INSERT statements the demo loader needs (organisations, venues, rooms, people,
 * accounts, events, sessions, registrations, attendance) and two read checks; it applies no rule,
 * opens no transaction and must not be used for anything but loading demo data.
 */
#ifndef MAJLIS_STORE_STORE_DEMO_H
#define MAJLIS_STORE_STORE_DEMO_H

#include <stdbool.h>
#include <stdint.h>

struct db;

/* Every insert below runs inside the caller's open transaction on the service thread, returns
 * STORE_OK or a negative store_rc, and on success writes the new row id into *id (when id is not
 * NULL). Strings belong to the caller; a NULL string stores NULL; an id of 0 stores NULL. */

/* An organisation row. Lives on the caller's stack. */
struct store_demo_org {
	const char *name;
	const char *kind;
	const char *city;
	const char *region;
	const char *contact_name;
	const char *contact_email;
};
int store_demo_org_insert(struct db *db, const struct store_demo_org *o, int64_t now, int64_t *id);

/* A venue row. Lives on the caller's stack. */
struct store_demo_venue {
	const char *name;
	const char *city;
	const char *address;
	const char *tz;
	double latitude;
	double longitude;
	int64_t org_id;
};
int store_demo_venue_insert(struct db *db, const struct store_demo_venue *v, int64_t now, int64_t *id);

int store_demo_room_insert(struct db *db, int64_t venue_id, const char *name, int capacity, int64_t *id);

/* A person row (participant or facilitator). Lives on the caller's stack. */
struct store_demo_person {
	int64_t org_id;
	const char *name;
	const char *name_ar;
	const char *sex;
	const char *nationality;
	const char *phone;
	const char *email;
	const char *lang;
	int64_t consent_at; /* 0: NULL */
	int64_t created_at;
};
int store_demo_person_insert(struct db *db, const struct store_demo_person *p, int64_t *id);

/* An account row; password_hash is an encoded password_hash() result. Lives on the caller's stack. */
struct store_demo_account {
	const char *email;
	const char *display_name;
	const char *password_hash;
	const char *role;
	int64_t org_id;
};
int store_demo_account_insert(struct db *db, const struct store_demo_account *a, int64_t now, int64_t *id);
int store_demo_account_event_insert(struct db *db, int64_t account_id, int64_t event_id);

/* An event row. Lives on the caller's stack. */
struct store_demo_event {
	const char *type;
	const char *title_fr;
	const char *title_ar;
	const char *title_en;
	const char *description_fr;
	const char *description_ar;
	const char *description_en;
	int64_t org_id;
	int64_t venue_id;
	const char *visibility;
	int capacity;
	int64_t registration_opens_at;	/* 0: NULL (open now) */
	int64_t registration_closes_at; /* 0: NULL (until the first session) */
	bool needs_approval;
	const char *status;
	int sequence;
	const char *url;
	int64_t created_at;
	int64_t updated_at;
};
int store_demo_event_insert(struct db *db, const struct store_demo_event *e, int64_t *id);
int store_demo_partner_insert(struct db *db, int64_t event_id, int64_t org_id);

/* A session row with its derived UTC instants and offsets. Lives on the caller's stack. */
struct store_demo_session {
	int64_t event_id;
	const char *starts_local;
	const char *ends_local;
	const char *tz;
	int64_t start_utc;
	int64_t end_utc;
	int32_t start_offset;
	int32_t end_offset;
	int64_t room_id;
	int64_t facilitator_id;
	const char *title;
	int64_t created_at;
};
int store_demo_session_insert(struct db *db, const struct store_demo_session *s, int64_t *id);

/* A registration row; token_hash is secret_hash() of the personal link's token. Lives on the
 * caller's stack. */
struct store_demo_registration {
	int64_t event_id;
	int64_t person_id;
	const char *status;
	const char *token_hash;
	int64_t waitlist_seq;		 /* 0: NULL */
	int64_t attendance_confirmed_at; /* 0: NULL */
	int64_t created_at;
	int64_t updated_at;
};
int store_demo_registration_insert(struct db *db, const struct store_demo_registration *r, int64_t *id);

/* recorded_by 0 stores NULL. */
int store_demo_attendance_insert(struct db *db, int64_t session_id, int64_t registration_id,
				 const char *status, const char *method, int64_t recorded_by,
				 int64_t recorded_at);

/* Whether any event exists: *any set. STORE_OK or a negative store_rc. */
int store_demo_has_event(struct db *db, bool *any);

/* Number of pairs of overlapping sessions sharing a room or a facilitator, into *n. */
int store_demo_overlaps(struct db *db, int64_t *n);

/* Number of events whose confirmed registrations exceed their capacity, into *n. */
int store_demo_overbooked(struct db *db, int64_t *n);

#endif
