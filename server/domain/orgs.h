/*
 * orgs: the organisations of the programme — who may create and change them, which fields they take
 * and how they are checked; it renders nothing and knows no HTTP.
 */
#ifndef MAJLIS_DOMAIN_ORGS_H
#define MAJLIS_DOMAIN_ORGS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

/* Whether kind is one of central_government, local_government, ngo, international_organisation,
 * private_sector, training_centre. */
bool org_kind_valid(const char *kind);

/* Creates an organisation from a request body (name, kind required; city, region, contact_name,
 * contact_email optional; any other key refused). Admin only (DOM_FORBIDDEN otherwise); a duplicate
 * name is DOM_CONFLICT. On DOM_OK *out is the new row (new reference, caller puts) and *seq the
 * change-log sequence. One transaction; service thread. */
int org_create(struct db *db, const struct principal *p, struct json_object *body, struct json_object **out,
	       int64_t *seq, struct dom_err *err);
/* Changes the fields present in body (optional ones cleared by null). Admin or organiser of id. */
int org_update(struct db *db, const struct principal *p, int64_t id, struct json_object *body,
	       struct json_object **out, int64_t *seq, struct dom_err *err);
/* One organisation (public data, anyone may read it). *out a new reference. */
int org_get(struct db *db, int64_t id, struct json_object **out, struct dom_err *err);
/* A page of the public directory, filtered by city and kind when not NULL (an unknown kind is
 * DOM_INVALID). *items a new JSON array, *total how many match. */
int org_list(struct db *db, const char *city, const char *kind, int64_t limit, int64_t offset,
	     struct json_object **items, int64_t *total, struct dom_err *err);

#endif
