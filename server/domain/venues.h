/*
 * venues: places and their rooms — who may create and change them, which fields they take (a zone
 * of the system tz database, coordinates in range, unique room names); it knows no HTTP.
 */
#ifndef MAJLIS_DOMAIN_VENUES_H
#define MAJLIS_DOMAIN_VENUES_H

#include <json-c/json.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

/* Creates a venue from a body (name, city required; address, tz (default Africa/Casablanca),
 * latitude, longitude, org_id optional). Admin, or organiser for their own organisation (org_id
 * absent means theirs; only an admin may leave it null or name another). *out is the new venue
 * with its rooms. One transaction; service thread. */
int venues_create(struct db *db, const struct principal *p, struct json_object *body, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err);
/* Changes the fields present in body; the caller must manage the venue's organisation (a venue
 * without one: admin only) and, when org_id changes, the new one too. */
int venues_update(struct db *db, const struct principal *p, int64_t id, struct json_object *body, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err);
/* One venue with its rooms (public data). */
int venues_get(struct db *db, int64_t id, struct json_object **out, struct dom_err *err);
/* A page of venues (public data), filtered by city when not NULL and org_id when > 0. */
int venues_list(struct db *db, const char *city, int64_t org_id, int64_t limit, int64_t offset,
		struct json_object **items, int64_t *total, struct dom_err *err);

/* Adds a room (name, capacity > 0) to venue_id; a name the venue already has is DOM_CONFLICT.
 * Permissions as venues_update. *out is the new room. */
int venues_room_create(struct db *db, const struct principal *p, int64_t venue_id, struct json_object *body,
		       int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);
/* Changes a room's name and/or capacity. Permissions as venues_update on its venue. */
int venues_room_update(struct db *db, const struct principal *p, int64_t id, struct json_object *body,
		       int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);

#endif
