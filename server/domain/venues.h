/*
 * venues: places and their rooms — who may create and change them, which rules their fields follow (a
 * zone of the system tz database, unique room names); it reads no JSON body and no clock, and knows no HTTP.
 */
#ifndef MAJLIS_DOMAIN_VENUES_H
#define MAJLIS_DOMAIN_VENUES_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

#define VENUES_TEXT_MAX	     200 /* characters of a venue's name or city */
#define VENUES_ADDRESS_MAX   500
#define VENUES_TZ_MAX	     64
#define VENUES_ROOM_NAME_MAX 100
#define VENUES_CAPACITY_MAX  100000

/* A venue's fields as the api read them from a request body (types, shapes and ranges checked:
 * latitude within ±90, longitude within ±180; strings borrowed from the body). has_<field> says the
 * body named the field; a named text whose value is NULL, a coordinate with <field>_null, or org_id 0
 * was JSON null. Lives on the caller's stack for one call. */
struct venues_input {
	bool has_name, has_city, has_address, has_tz, has_latitude, has_longitude, has_org_id;
	const char *name;
	const char *city;
	const char *address;
	const char *tz;
	bool latitude_null, longitude_null;
	double latitude, longitude;
	int64_t org_id;
};

/* A room's fields as the api read them (capacity 1..VENUES_CAPACITY_MAX, 0 when null). */
struct venues_room_input {
	bool has_name, has_capacity;
	const char *name;
	int64_t capacity;
};

/* Whether p may create a venue (id 0: admin or organiser) or change venue id (it must exist:
 * DOM_NOT_FOUND; admin, or organiser of its organisation, else DOM_FORBIDDEN), asked by the api before it
 * reads the body; adding a room to venue id asks the same. venues_create, venues_update and
 * venues_room_create check the same themselves. */
int venues_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* The same for room id (DOM_NOT_FOUND when it does not exist), as venues_room_update checks it. */
int venues_room_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* Creates a venue from in at now (name, city required; address, tz (default Africa/Casablanca, a zone
 * of the tz database, never null), latitude, longitude, org_id optional). Admin, or organiser for their
 * own organisation (org_id absent means theirs; only an admin may leave it null or name another). *out
 * is the new venue with its rooms. One transaction; service thread. */
int venues_create(struct db *db, const struct principal *p, const struct venues_input *in, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err);
/* Changes the fields named in in at now; the caller must manage the venue's organisation (a venue
 * without one: admin only) and, when org_id changes, the new one too. */
int venues_update(struct db *db, const struct principal *p, int64_t id, const struct venues_input *in,
		  int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);
/* One venue with its rooms (public data). */
int venues_get(struct db *db, int64_t id, struct json_object **out, struct dom_err *err);
/* A page of venues (public data), filtered by city when not NULL and org_id when > 0. */
int venues_list(struct db *db, const char *city, int64_t org_id, int64_t limit, int64_t offset,
		struct json_object **items, int64_t *total, struct dom_err *err);

/* Adds a room (name, capacity > 0 required) to venue_id; a name the venue already has is
 * DOM_CONFLICT. Permissions as venues_update. *out is the new room. Rooms keep no times: now is unused. */
int venues_room_create(struct db *db, const struct principal *p, int64_t venue_id,
		       const struct venues_room_input *in, int64_t now, struct json_object **out,
		       int64_t *seq, struct dom_err *err);
/* Changes a room's name and/or capacity. Permissions as venues_update on its venue. */
int venues_room_update(struct db *db, const struct principal *p, int64_t id,
		       const struct venues_room_input *in, int64_t now, struct json_object **out,
		       int64_t *seq, struct dom_err *err);

#endif
