/*
 * venues: rules for venues and rooms (fields, zones, coordinates, who may write) and their
 * transactions with change-log rows; it must not render HTTP.
 */
#include "domain/venues.h"

#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "domain/txn.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_orgs.h"
#include "store/store_venues.h"
#include "util/jsonx.h"

/* Adds the field name key to the array fields. */
static void venue_note(struct json_object *fields, const char *key)
{
	json_object_array_add(fields, json_object_new_string(key));
}

/*
 * Checks in for a create or a change and fills v with the fields to store. *org_given tells whether
 * org_id was named (then v->org_id holds it, 0 for null). Field names set go to fields.
 */
static int venue_check(const struct venues_input *in, bool create, struct store_venue *v, bool *org_given,
		       struct json_object *fields, struct dom_err *err)
{
	int rc;

	memset(v, 0, sizeof(*v));
	*org_given = false;
	rc = dom_required(err, create, in->has_name, in->name, "name");
	rc = rc ? rc : dom_required(err, create, in->has_city, in->city, "city");
	if (rc)
		return rc;
	if (in->has_name) {
		v->name = in->name;
		v->set |= STORE_VENUE_NAME;
		venue_note(fields, "name");
	}
	if (in->has_city) {
		v->city = in->city;
		v->set |= STORE_VENUE_CITY;
		venue_note(fields, "city");
	}
	if (in->has_address) {
		v->address = in->address;
		v->set |= STORE_VENUE_ADDRESS;
		venue_note(fields, "address");
	}
	if (in->has_tz) {
		if (!in->tz)
			return dom_fail(err, DOM_INVALID, "invalid_field", "field 'tz' must not be null");
		if (!tz_zone_valid(in->tz))
			return dom_fail(
			    err, DOM_INVALID, "invalid_tz",
			    "field 'tz' must name a zone of the tz database, e.g. Africa/Casablanca");
		v->tz = in->tz;
		v->set |= STORE_VENUE_TZ;
		venue_note(fields, "tz");
	}
	if (create && !v->tz)
		v->tz = TZ_DEFAULT_ZONE;
	if (in->has_latitude) {
		v->has_latitude = !in->latitude_null;
		v->latitude = in->latitude;
		v->set |= STORE_VENUE_LATITUDE;
		venue_note(fields, "latitude");
	}
	if (in->has_longitude) {
		v->has_longitude = !in->longitude_null;
		v->longitude = in->longitude;
		v->set |= STORE_VENUE_LONGITUDE;
		venue_note(fields, "longitude");
	}
	if (in->has_org_id) {
		*org_given = true;
		v->org_id = in->org_id;
		v->set |= STORE_VENUE_ORG;
		venue_note(fields, "org_id");
	}
	if (!v->set)
		return dom_fail(err, DOM_INVALID, "empty_change", "the body names no field to change");
	return DOM_OK;
}

/* Whether p may give a venue to org_id (0: none): it must manage it and it must exist. */
static int venue_org_allowed(struct db *db, const struct principal *p, int64_t org_id, struct dom_err *err)
{
	int rc;

	if (!org_id) {
		if (p->role == ROLE_ADMIN)
			return DOM_OK;
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator may manage a venue without an organisation");
	}
	if (!principal_manages_org(p, org_id))
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"you may only manage venues of your own organisation");
	rc = store_organisation_exists(db, org_id);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_UNPROCESSABLE, "unknown_organisation",
				"organisation %lld does not exist", (long long)org_id);
	return rc ? dom_from_store(err, rc, "organisation") : DOM_OK;
}

/* Whether p may write venue id; *org_id gets its organisation (0 when none). */
static int venue_writable(struct db *db, const struct principal *p, int64_t id, int64_t *org_id,
			  struct dom_err *err)
{
	int rc;

	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may change venues");
	rc = store_venue_org(db, id, org_id);
	if (rc)
		return dom_from_store(err, rc, "venue");
	if (*org_id ? !principal_manages_org(p, *org_id) : p->role != ROLE_ADMIN)
		return dom_fail(
		    err, DOM_FORBIDDEN, NULL,
		    "only an administrator or an organiser of its organisation may change this venue");
	return DOM_OK;
}

int venues_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	int64_t org_id = 0;

	if (id == 0) {
		if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"only an administrator or an organiser may create venues");
		return DOM_OK;
	}
	return venue_writable(db, p, id, &org_id, err);
}

/* Whether p may change room id; *venue_id and *org_id get its venue and that venue's organisation. */
static int room_writable(struct db *db, const struct principal *p, int64_t id, int64_t *venue_id,
			 int64_t *org_id, struct dom_err *err)
{
	int rc;

	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may change rooms");
	rc = store_room_venue(db, id, venue_id);
	if (rc)
		return dom_from_store(err, rc, "room");
	return venue_writable(db, p, *venue_id, org_id, err);
}

int venues_room_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	int64_t venue_id = 0, org_id = 0;

	return room_writable(db, p, id, &venue_id, &org_id, err);
}

/* The change-log row for venue id (kind e.g. "venue.updated") inside the open transaction. */
static int venue_log(struct db *db, int64_t now, int64_t venue_id, int64_t room_id, const char *kind,
		     int64_t org_id, struct json_object *fields, int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "venue:%lld", (long long)venue_id);
	json_object_object_add(payload, "id", json_object_new_int64(venue_id));
	if (room_id > 0)
		json_object_object_add(payload, "room_id", json_object_new_int64(room_id));
	json_object_object_add(payload, "fields", json_object_get(fields));
	rc = db_changelog(db, topic, kind, org_id, payload, now, seq);
	json_object_put(payload);
	return rc;
}

/*
 * Creates a venue (create) or changes venue id from in, at now: permissions, fields, the organisation it
 * is given, then one transaction with its change-log row; *out the venue as stored.
 */
static int venue_write(struct db *db, const struct principal *p, bool create, int64_t id,
		       const struct venues_input *in, int64_t now, struct json_object **out, int64_t *seq,
		       struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	bool org_given;
	struct store_venue v;
	int64_t org_id = 0;
	int rc;

	*out = NULL;
	rc = create ? venues_writable(db, p, 0, err) : venue_writable(db, p, id, &org_id, err);
	rc = rc ? rc : venue_check(in, create, &v, &org_given, fields, err);
	if (rc)
		goto out;
	if (create && !org_given)
		v.org_id = p->role == ROLE_ORGANISER ? p->org_id : 0;
	if (create || (org_given && v.org_id != org_id)) {
		rc = venue_org_allowed(db, p, v.org_id, err);
		if (rc)
			goto out;
	}
	if (create || org_given)
		org_id = v.org_id;
	rc = db_begin(db);
	rc = rc ? rc : create ? store_venue_insert(db, &v, now, &id) : store_venue_update(db, id, &v, now);
	rc = rc ? rc
		: venue_log(db, now, id, 0, create ? "venue.created" : "venue.updated", org_id, fields, seq);
	rc = txn_finish(db, rc ? dom_from_store(err, rc, "venue") : DOM_OK, "venue", seq, err);
	rc = rc ? rc : venues_get(db, id, out, err);
out:
	json_object_put(fields);
	return rc;
}

int venues_create(struct db *db, const struct principal *p, const struct venues_input *in, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err)
{
	return venue_write(db, p, true, 0, in, now, out, seq, err);
}

int venues_update(struct db *db, const struct principal *p, int64_t id, const struct venues_input *in,
		  int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	return venue_write(db, p, false, id, in, now, out, seq, err);
}

/* The room as the API shows it. New reference. */
static struct json_object *room_render(const struct room_row *r)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", r->id);
	jsonx_add_int(o, "venue_id", r->venue_id);
	jsonx_add_str(o, "name", r->name);
	jsonx_add_int(o, "capacity", r->capacity);
	return o;
}

/* The venue as the API shows it, with "rooms" when with_rooms. New reference. */
static struct json_object *venue_render(const struct venue_row *r, bool with_rooms)
{
	struct json_object *o = json_object_new_object(), *rooms;

	jsonx_add_int(o, "id", r->id);
	jsonx_add_str(o, "name", r->name);
	jsonx_add_str(o, "city", r->city);
	jsonx_add_str(o, "address", r->address);
	jsonx_add_str(o, "tz", r->tz);
	json_object_object_add(o, "latitude", r->has_latitude ? json_object_new_double(r->latitude) : NULL);
	json_object_object_add(o, "longitude",
			       r->has_longitude ? json_object_new_double(r->longitude) : NULL);
	if (r->org_id > 0)
		jsonx_add_int(o, "org_id", r->org_id);
	else
		jsonx_add_str(o, "org_id", NULL);
	jsonx_add_int(o, "created_at", r->created_at);
	jsonx_add_int(o, "updated_at", r->updated_at);
	if (with_rooms) {
		rooms = json_object_new_array();
		for (size_t i = 0; i < r->n_rooms; i++)
			json_object_array_add(rooms, room_render(&r->rooms[i]));
		json_object_object_add(o, "rooms", rooms);
	}
	return o;
}

int venues_get(struct db *db, int64_t id, struct json_object **out, struct dom_err *err)
{
	struct venue_row r;
	int rc = store_venue_get(db, id, &r);

	*out = NULL;
	if (rc)
		return dom_from_store(err, rc, "venue");
	*out = venue_render(&r, true);
	venue_row_clear(&r);
	return DOM_OK;
}

int venues_list(struct db *db, const char *city, int64_t org_id, int64_t limit, int64_t offset,
		struct json_object **items, int64_t *total, struct dom_err *err)
{
	struct venue_row *rows = NULL;
	size_t n = 0;
	int rc = store_venue_list(db, city, org_id, limit, offset, &rows, &n, total);

	*items = NULL;
	if (rc)
		return dom_from_store(err, rc, "venue");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, venue_render(&rows[i], false));
	venue_rows_free(rows, n);
	return DOM_OK;
}

/* Checks in for a create (both fields required) or a change and fills r; names set go to fields. */
static int room_check(const struct venues_room_input *in, bool create, struct store_room *r,
		      struct json_object *fields, struct dom_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = dom_required(err, create, in->has_name, in->name, "name");
	if (rc)
		return rc;
	if (in->has_name) {
		r->name = in->name;
		r->set |= STORE_ROOM_NAME;
		venue_note(fields, "name");
	}
	rc = dom_required(err, create, in->has_capacity, in->capacity > 0 ? "" : NULL, "capacity");
	if (rc)
		return rc;
	if (in->has_capacity) {
		r->capacity = in->capacity;
		r->set |= STORE_ROOM_CAPACITY;
		venue_note(fields, "capacity");
	}
	if (!r->set)
		return dom_fail(err, DOM_INVALID, "empty_change", "the body names no field to change");
	return DOM_OK;
}

/* Maps a room write failure: a duplicate name is its own conflict. */
static int room_store_fail(struct dom_err *err, int rc)
{
	if (rc == STORE_CONFLICT)
		return dom_fail(err, DOM_CONFLICT, "duplicate_room",
				"this venue already has a room of that name");
	return dom_from_store(err, rc, "room");
}

/*
 * Adds a room to venue_id (create) or changes room id from in: permissions, fields, then one transaction
 * with its change-log row on the venue's topic; *out the room as stored.
 */
static int room_write(struct db *db, const struct principal *p, bool create, int64_t venue_id, int64_t id,
		      const struct venues_room_input *in, int64_t now, struct json_object **out, int64_t *seq,
		      struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	struct room_row room;
	struct store_room r;
	int64_t org_id = 0;
	int rc;

	*out = NULL;
	rc = create ? venue_writable(db, p, venue_id, &org_id, err)
		    : room_writable(db, p, id, &venue_id, &org_id, err);
	rc = rc ? rc : room_check(in, create, &r, fields, err);
	if (rc)
		goto out;
	rc = db_begin(db);
	rc = rc ? rc : create ? store_room_insert(db, venue_id, &r, &id) : store_room_update(db, id, &r);
	rc = rc ? rc
		: venue_log(db, now, venue_id, id, create ? "room.created" : "room.updated", org_id, fields,
			    seq);
	rc = txn_finish(db, rc ? room_store_fail(err, rc) : DOM_OK, "room", seq, err);
	if (rc)
		goto out;
	rc = store_room_get(db, id, &room);
	if (rc) {
		rc = dom_from_store(err, rc, "room");
		goto out;
	}
	*out = room_render(&room);
	room_row_clear(&room);
out:
	json_object_put(fields);
	return rc;
}

int venues_room_create(struct db *db, const struct principal *p, int64_t venue_id,
		       const struct venues_room_input *in, int64_t now, struct json_object **out,
		       int64_t *seq, struct dom_err *err)
{
	return room_write(db, p, true, venue_id, 0, in, now, out, seq, err);
}

int venues_room_update(struct db *db, const struct principal *p, int64_t id,
		       const struct venues_room_input *in, int64_t now, struct json_object **out,
		       int64_t *seq, struct dom_err *err)
{
	return room_write(db, p, false, 0, id, in, now, out, seq, err);
}
