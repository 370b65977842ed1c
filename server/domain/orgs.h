/*
 * orgs: the organisations of the programme — who may create and change them and which rules their
 * fields follow; it reads no JSON body and no clock, and knows no HTTP.
 */
#ifndef MAJLIS_DOMAIN_ORGS_H
#define MAJLIS_DOMAIN_ORGS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

#define ORGS_TEXT_MAX  200 /* bytes of a name, city, region or contact name */
#define ORGS_EMAIL_MAX 254

/* The kinds of organisation, NULL-terminated: central_government, local_government, ngo,
 * international_organisation, private_sector, training_centre. */
extern const char *const orgs_kinds[];

/* An organisation's fields as the api read them from a request body (types and shapes checked,
 * strings borrowed from the body). has_<field> says the body named the field; a named optional field
 * whose value is NULL was null (cleared). Lives on the caller's stack for one call. */
struct orgs_input {
	bool has_name, has_kind, has_city, has_region, has_contact_name, has_contact_email;
	const char *name;
	const char *kind; /* one of orgs_kinds when set */
	const char *city;
	const char *region;
	const char *contact_name;
	const char *contact_email;
};

/* Whether kind is one of orgs_kinds. */
bool orgs_kind_valid(const char *kind);

/* Whether p may create an organisation (id 0: admin only) or change organisation id (it must exist:
 * DOM_NOT_FOUND; admin or organiser of id, else DOM_FORBIDDEN), asked by the api before it reads the
 * body. orgs_create and orgs_update check the same themselves. */
int orgs_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* Creates an organisation from in (name and kind required, neither null), at now. Admin only
 * (DOM_FORBIDDEN otherwise); a duplicate name is DOM_CONFLICT. On DOM_OK *out is the new row (new
 * reference, caller puts) and *seq the change-log sequence. One transaction; service thread. */
int orgs_create(struct db *db, const struct principal *p, const struct orgs_input *in, int64_t now,
		struct json_object **out, int64_t *seq, struct dom_err *err);
/* Changes the fields in has_* (optional ones cleared by NULL; name and kind never NULL), at now.
 * Admin or organiser of id; a body naming no field is DOM_INVALID (empty_change). */
int orgs_update(struct db *db, const struct principal *p, int64_t id, const struct orgs_input *in,
		int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);
/* One organisation (public data, anyone may read it). *out a new reference. */
int orgs_get(struct db *db, int64_t id, struct json_object **out, struct dom_err *err);
/* A page of the public directory, filtered by city and kind when not NULL (an unknown kind is
 * DOM_INVALID). *items a new JSON array, *total how many match. */
int orgs_list(struct db *db, const char *city, const char *kind, int64_t limit, int64_t offset,
	      struct json_object **items, int64_t *total, struct dom_err *err);

#endif
