/*
 * store_venues: SQL for the venues and rooms tables; it stores what it is given and must not
 * validate fields, check permissions or open transactions (the domain does).
 */
#ifndef MAJLIS_STORE_STORE_VENUES_H
#define MAJLIS_STORE_STORE_VENUES_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

#define STORE_VENUE_NAME      (1u << 0)
#define STORE_VENUE_CITY      (1u << 1)
#define STORE_VENUE_ADDRESS   (1u << 2)
#define STORE_VENUE_TZ	      (1u << 3)
#define STORE_VENUE_LATITUDE  (1u << 4)
#define STORE_VENUE_LONGITUDE (1u << 5)
#define STORE_VENUE_ORG	      (1u << 6)

/* Values of a venue to insert, or to change (only the STORE_VENUE_* bits in set). Strings are
 * borrowed; a NULL string, has_* false or org_id 0 stores NULL. Lives on the caller's stack. */
struct store_venue {
	unsigned set;
	const char *name;
	const char *city;
	const char *address;
	const char *tz;
	bool has_latitude;
	double latitude;
	bool has_longitude;
	double longitude;
	int64_t org_id;
};

#define STORE_ROOM_NAME	    (1u << 0)
#define STORE_ROOM_CAPACITY (1u << 1)

/* Values of a room to insert or change (STORE_ROOM_* bits in set). Lives on the caller's stack. */
struct store_room {
	unsigned set;
	const char *name;
	int64_t capacity;
};

/* Inserts v (set ignored); *id gets the new id. */
int store_venue_insert(struct db *db, const struct store_venue *v, int64_t now, int64_t *id);
/* Changes the fields named in v->set. STORE_NOT_FOUND or 0. */
int store_venue_update(struct db *db, int64_t id, const struct store_venue *v, int64_t now);
/* The venue's owning organisation into *org_id (0 when none). STORE_NOT_FOUND or 0. */
int store_venue_org(struct db *db, int64_t id, int64_t *org_id);
/* The venue row with its rooms ("rooms": array ordered by name) as a new JSON object. */
int store_venue_get(struct db *db, int64_t id, struct json_object **out);
/* A page of venues ordered by city and name, filtered by city (case-insensitive) when not NULL and
 * by org_id when > 0. *items a new JSON array, *total the number matching. */
int store_venue_list(struct db *db, const char *city, int64_t org_id, int64_t limit, int64_t offset,
		     struct json_object **items, int64_t *total);

/* Inserts a room of venue_id; STORE_CONFLICT when the venue already has a room of that name. */
int store_room_insert(struct db *db, int64_t venue_id, const struct store_room *r, int64_t *id);
/* Changes the fields of r->set; STORE_NOT_FOUND, STORE_CONFLICT (duplicate name) or 0. */
int store_room_update(struct db *db, int64_t id, const struct store_room *r);
/* The venue a room belongs to. STORE_NOT_FOUND or 0. */
int store_room_venue(struct db *db, int64_t id, int64_t *venue_id);
/* The room row as a new JSON object. STORE_NOT_FOUND or 0. */
int store_room_get(struct db *db, int64_t id, struct json_object **out);

#endif
