/*
 * store_venues: SQL for the venues and rooms tables; it stores what it is given and must not
 * validate fields, check permissions or open transactions (the domain does).
 */
#ifndef MAJLIS_STORE_STORE_VENUES_H
#define MAJLIS_STORE_STORE_VENUES_H

#include <stdbool.h>
#include <stddef.h>
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

/* One rooms row. name is malloc'ed, freed by room_row_clear. Lives on the caller's stack
 * (store_room_get) or in a venue_row's rooms for one call; service thread. */
struct room_row {
	int64_t id;	  /* immutable id */
	int64_t venue_id; /* the venue it belongs to */
	char *name;	  /* display name, unique within its venue */
	int64_t capacity; /* seats, > 0 */
};

/* One venues row. Strings are malloc'ed (NULL for SQL NULL) and rooms owned, all freed by
 * venue_row_clear. Lives on the caller's stack (store_venue_get) or in an array (store_venue_list)
 * for one call; service thread. */
struct venue_row {
	int64_t id;		/* immutable id */
	char *name;		/* display name */
	char *city;		/* city (filterable) */
	char *address;		/* street address, or NULL */
	char *tz;		/* zone of the sessions held here */
	bool has_latitude;	/* latitude is known (not NULL) */
	double latitude;	/* GEO latitude when has_latitude */
	bool has_longitude;	/* longitude is known (not NULL) */
	double longitude;	/* GEO longitude when has_longitude */
	int64_t org_id;		/* the organisation that manages it; 0: none (NULL) */
	int64_t created_at;	/* creation instant, Unix seconds */
	int64_t updated_at;	/* last change instant, Unix seconds */
	struct room_row *rooms; /* store_venue_get: its rooms ordered by name (malloc'ed); NULL in a list */
	size_t n_rooms;		/* entries of rooms */
};

/* Frees what r owns and zeroes it. Accept NULL. */
void room_row_clear(struct room_row *r);
void venue_row_clear(struct venue_row *r);
/* Clears the n rows of an array from store_venue_list and frees it. Accepts NULL. */
void venue_rows_free(struct venue_row *rows, size_t n);

/* Inserts v (set ignored); *id gets the new id. */
int store_venue_insert(struct db *db, const struct store_venue *v, int64_t now, int64_t *id);
/* Changes the fields named in v->set. STORE_NOT_FOUND or 0. */
int store_venue_update(struct db *db, int64_t id, const struct store_venue *v, int64_t now);
/* The venue's owning organisation into *org_id (0 when none). STORE_NOT_FOUND or 0. */
int store_venue_org(struct db *db, int64_t id, int64_t *org_id);
/* Venue id with its rooms (ordered by name) into r (zeroed first; caller clears). STORE_NOT_FOUND or 0. */
int store_venue_get(struct db *db, int64_t id, struct venue_row *r);
/* A page of venues ordered by city and name, filtered by city (case-insensitive) when not NULL and
 * by org_id when > 0, without their rooms: *rows a malloc'ed array of *n rows (NULL when none; caller
 * frees with venue_rows_free), *total the number matching. */
int store_venue_list(struct db *db, const char *city, int64_t org_id, int64_t limit, int64_t offset,
		     struct venue_row **rows, size_t *n, int64_t *total);

/* Inserts a room of venue_id; STORE_CONFLICT when the venue already has a room of that name. */
int store_room_insert(struct db *db, int64_t venue_id, const struct store_room *r, int64_t *id);
/* Changes the fields of r->set; STORE_NOT_FOUND, STORE_CONFLICT (duplicate name) or 0. */
int store_room_update(struct db *db, int64_t id, const struct store_room *r);
/* The venue a room belongs to. STORE_NOT_FOUND or 0. */
int store_room_venue(struct db *db, int64_t id, int64_t *venue_id);
/* Room id into r (zeroed first; caller clears). STORE_NOT_FOUND or 0. */
int store_room_get(struct db *db, int64_t id, struct room_row *r);

#endif
