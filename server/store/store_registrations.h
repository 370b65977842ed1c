/*
 * store_registrations: SQL over registrations and the people and events rows registering needs;
 * it applies no rules (capacity, window, permissions live in domain/registrations.c).
 */
#ifndef MAJLIS_STORE_STORE_REGISTRATIONS_H
#define MAJLIS_STORE_STORE_REGISTRATIONS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/secret.h"

struct db;

/* What registering needs to know about an event. One per call, on the caller's stack. */
struct store_reg_event {
	int64_t id;
	int64_t org_id;
	int64_t capacity;
	bool needs_approval;
	char visibility[16]; /* public / invited / internal */
	char status[16];     /* scheduled / postponed / cancelled */
	bool has_opens;
	int64_t opens_at;
	bool has_closes;
	int64_t closes_at;
	bool has_first_start; /* false when the event has no session */
	int64_t first_start;  /* earliest session start_utc */
};

/* One registration row. On the caller's stack. */
struct store_reg {
	int64_t id;
	int64_t event_id;
	int64_t person_id;
	char status[16];
	bool has_wseq;
	int64_t waitlist_seq;
	bool has_attendance_confirmed;
	int64_t attendance_confirmed_at;
	int64_t created_at;
	int64_t updated_at;
	char lang[4]; /* the person's preferred language */
};

/* A participant to insert; strings borrowed, NULL for SQL NULL (sex and lang must be set). */
struct store_person_new {
	int64_t org_id;
	const char *name;
	const char *name_ar;
	const char *sex;
	const char *nationality;
	const char *phone;
	const char *email; /* already lowercased */
	const char *lang;
	int64_t consent_at;
};

/* Loads event id into *out (with its first session start). 0, STORE_NOT_FOUND or negative. */
int store_reg_event_get(struct db *db, int64_t id, struct store_reg_event *out);

/* The person (not erased) with this lowercased email, else with this phone (either may be NULL).
 * 0 with *id set, STORE_NOT_FOUND, or negative. */
int store_reg_person_find(struct db *db, const char *email, const char *phone, int64_t *id);
/* Inserts a person; *id gets the new id. Must run inside a transaction. */
int store_reg_person_insert(struct db *db, const struct store_person_new *p, int64_t now, int64_t *id);

/* Loads a registration by id / by (event, person) / by token hash (its link's, or the new link's that a
 * mail under way carries: pending_token_hash). 0, STORE_NOT_FOUND or negative. */
int store_reg_get(struct db *db, int64_t id, struct store_reg *out);
int store_reg_get_by_person(struct db *db, int64_t event_id, int64_t person_id, struct store_reg *out);
int store_reg_get_by_token(struct db *db, const char token_hash[SECRET_HASH_LEN + 1], struct store_reg *out);
/* The earliest pending, confirmed or waitlisted registration to event_id of a person (not erased) whose
 * e-mail is email or whose phone is phone (either may be NULL: never matches). 0, STORE_NOT_FOUND or
 * negative. */
int store_reg_get_active_by_contact(struct db *db, int64_t event_id, const char *email, const char *phone,
				    struct store_reg *out);

/* Inserts a registration (waitlist_seq NULL); *id gets its id. STORE_CONFLICT on a duplicate. */
int store_reg_insert(struct db *db, int64_t event_id, int64_t person_id, const char *status,
		     const char token_hash[SECRET_HASH_LEN + 1], int64_t now, int64_t *id);
/* Sets status, waitlist_seq (NULL unless has_wseq) and updated_at. */
int store_reg_set_status(struct db *db, int64_t id, const char *status, bool has_wseq, int64_t wseq,
			 int64_t now);
/* Makes a cancelled or declined registration active again: status, waitlist_seq (when has_wseq),
 * attendance_confirmed_at cleared. STORE_NOT_FOUND when no such row. */
int store_reg_reopen(struct db *db, int64_t id, const char *status, bool has_wseq, int64_t wseq, int64_t now);
/* Sets attendance_confirmed_at and updated_at to now. */
int store_reg_set_attendance_confirmed(struct db *db, int64_t id, int64_t now);

/* The earliest waitlisted registration (by waitlist_seq, then id) into *out: 0 or STORE_NOT_FOUND. */
int store_reg_first_waitlisted(struct db *db, int64_t event_id, struct store_reg *out);

/* Organiser listing: registrations of event_id (status NULL: all) with the person's contact data,
 * ordered by id. New JSON array in *out, total count in *total. */
int store_reg_list(struct db *db, int64_t event_id, const char *status, int64_t limit, int64_t offset,
		   struct json_object **out, int64_t *total);

/* Event fields a participant sees (id, type, titles, status) as a new JSON object in *out. */
int store_reg_event_public_json(struct db *db, int64_t event_id, struct json_object **out);
/* Sessions of event_id ordered by start, as a new JSON array in *out (no personal data). */
int store_reg_sessions_json(struct db *db, int64_t event_id, struct json_object **out);
/* The person's name (new JSON object {"name","name_ar","lang"}) for the personal-link view. */
int store_reg_person_json(struct db *db, int64_t person_id, struct json_object **out);

#endif
