/*
 * store_orgs: SQL for the organisations table; it stores what it is given and must not validate
 * fields, check permissions or open transactions (the domain does).
 */
#ifndef MAJLIS_STORE_STORE_ORGS_H
#define MAJLIS_STORE_STORE_ORGS_H

#include <stddef.h>
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
/* One organisations row. Strings are malloc'ed (NULL for SQL NULL), freed by org_row_clear. Lives on
 * the caller's stack (store_org_get) or in an array (store_org_list) for one call; service thread. */
struct org_row {
	int64_t id;	     /* immutable id */
	char *name;	     /* display name, unique */
	char *kind;	     /* one of the organisation kinds (orgs_kinds) */
	char *city;	     /* city of its seat, or NULL */
	char *region;	     /* administrative region, or NULL */
	char *contact_name;  /* public contact, or NULL */
	char *contact_email; /* public contact address, or NULL */
	int64_t created_at;  /* creation instant, Unix seconds */
	int64_t updated_at;  /* last change instant, Unix seconds */
};

/* Frees the strings of r and zeroes it. Accepts NULL. */
void org_row_clear(struct org_row *r);
/* Clears the n rows of an array from store_org_list and frees it. Accepts NULL. */
void org_rows_free(struct org_row *rows, size_t n);

/* Organisation id into r (zeroed first; caller clears). 0, STORE_NOT_FOUND or another store_rc. */
int store_org_get(struct db *db, int64_t id, struct org_row *r);
/* 0 when organisation id exists, STORE_NOT_FOUND when not, or another store_rc. */
int store_organisation_exists(struct db *db, int64_t id);
/* A page of organisations ordered by name, filtered by city (case-insensitive) and kind when not
 * NULL: *rows a malloc'ed array of *n rows (NULL when none; caller frees with org_rows_free), *total
 * the number matching. */
int store_org_list(struct db *db, const char *city, const char *kind, int64_t limit, int64_t offset,
		   struct org_row **rows, size_t *n, int64_t *total);

#endif
