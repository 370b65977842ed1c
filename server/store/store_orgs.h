/*
 * store_orgs: SQL for the organisations table; it stores what it is given and must not validate
 * fields, check permissions or open transactions (the domain does).
 */
#ifndef MAJLIS_STORE_STORE_ORGS_H
#define MAJLIS_STORE_STORE_ORGS_H

#include <json-c/json.h>
#include <stdint.h>

struct db;

#define STORE_ORG_NAME		(1u << 0)
#define STORE_ORG_KIND		(1u << 1)
#define STORE_ORG_CITY		(1u << 2)
#define STORE_ORG_REGION	(1u << 3)
#define STORE_ORG_CONTACT_NAME	(1u << 4)
#define STORE_ORG_CONTACT_EMAIL (1u << 5)

/* Values of an organisation to insert, or to change (only the STORE_ORG_* bits in set; a set field
 * whose value is NULL becomes NULL). Strings are borrowed. Lives on the caller's stack. */
struct store_org {
	unsigned set;
	const char *name;
	const char *kind;
	const char *city;
	const char *region;
	const char *contact_name;
	const char *contact_email;
};

/* Inserts o (every field; set is ignored). *id gets the new id. STORE_CONFLICT on a duplicate name. */
int store_org_insert(struct db *db, const struct store_org *o, int64_t now, int64_t *id);
/* Changes the fields named in o->set. STORE_NOT_FOUND, STORE_CONFLICT (duplicate name) or 0. */
int store_org_update(struct db *db, int64_t id, const struct store_org *o, int64_t now);
/* The row as a new JSON object (caller puts) or STORE_NOT_FOUND. */
int store_org_get(struct db *db, int64_t id, struct json_object **out);
/* 0 when organisation id exists, STORE_NOT_FOUND when not, or another store_rc. */
int store_organisation_exists(struct db *db, int64_t id);
/* A page of organisations ordered by name, filtered by city (case-insensitive) and kind when not
 * NULL: *items a new JSON array (caller puts), *total the number matching. */
int store_org_list(struct db *db, const char *city, const char *kind, int64_t limit, int64_t offset,
		   struct json_object **items, int64_t *total);

#endif
