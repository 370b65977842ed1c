/*
 * store_people: SQL for the people table and the rows that hang off a person for export and
 * erasure (their registrations' link hashes, attendance, calendar tokens); it stores what it is
 * given and must not validate, check permissions, create secrets or open transactions.
 */
#ifndef MAJLIS_STORE_STORE_PEOPLE_H
#define MAJLIS_STORE_STORE_PEOPLE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

#define STORE_PERSON_NAME	 (1u << 0)
#define STORE_PERSON_NAME_AR	 (1u << 1)
#define STORE_PERSON_SEX	 (1u << 2)
#define STORE_PERSON_NATIONALITY (1u << 3)
#define STORE_PERSON_PHONE	 (1u << 4)
#define STORE_PERSON_EMAIL	 (1u << 5)
#define STORE_PERSON_LANG	 (1u << 6)

/* Values of a person to insert, or to change (STORE_PERSON_* bits in set; a set field whose value
 * is NULL becomes NULL). Strings are borrowed; org_id 0 stores NULL. Lives on the caller's stack. */
struct store_person {
	unsigned set;
	int64_t org_id;
	const char *name;
	const char *name_ar;
	const char *sex;
	const char *nationality;
	const char *phone;
	const char *email;
	const char *lang;
	int64_t consent_at; /* 0 stores NULL */
};

/* Inserts p (set ignored); *id gets the new id. */
int store_person_insert(struct db *db, const struct store_person *p, int64_t now, int64_t *id);
/* Changes the fields named in p->set. STORE_NOT_FOUND or 0. */
int store_person_update(struct db *db, int64_t id, const struct store_person *p, int64_t now);
/* The person's organisation (0 when none) and erasure instant (0 when not erased). */
int store_person_owner(struct db *db, int64_t id, int64_t *org_id, int64_t *erased_at);
/* The person row as a new JSON object. STORE_NOT_FOUND or 0. */
int store_person_get(struct db *db, int64_t id, struct json_object **out);
/* A page of people ordered by name, of org_id when > 0 (all otherwise). */
int store_person_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
		      struct json_object **items, int64_t *total);

/* Everything held on a person as a new JSON object: "person", "registrations" (with event titles,
 * statuses and each one's "attendance"), "facilitated_sessions" and "calendar_tokens" (never the
 * hashes). STORE_NOT_FOUND or 0. */
int store_person_export(struct db *db, int64_t id, struct json_object **out);

/* Replaces the personal data of person id by "(erased)"/NULL, keeping sex, org and the row; sets
 * erased_at. STORE_NOT_FOUND when absent or already erased. */
int store_person_erase(struct db *db, int64_t id, int64_t now);
/* The ids of the person's registrations into a malloc'ed array (*ids, caller frees; NULL when none)
 * of *n entries. */
int store_person_registration_ids(struct db *db, int64_t person_id, int64_t **ids, size_t *n);
/* Sets the link hash of registration reg_id; a new link still being mailed (its pending hash) stops too. */
int store_registration_set_token_hash(struct db *db, int64_t reg_id, const char *hash, int64_t now);
/* Revokes the person's calendar tokens still valid; *n (may be NULL) gets how many. */
int store_person_revoke_calendar_tokens(struct db *db, int64_t person_id, int64_t now, int64_t *n);

#endif
