/*
 * venues: rules for venues and rooms (fields, zones, coordinates, who may write) and their
 * transactions with change-log rows; it must not render HTTP.
 */
#include "domain/venues.h"

#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "store/db.h"
#include "store/store_orgs.h"
#include "store/store_venues.h"
#include "util/jsonx.h"

#define VENUE_TEXT_MAX	  200
#define VENUE_ADDRESS_MAX 500
#define VENUE_TZ_MAX	  64
#define ROOM_NAME_MAX	  100
#define ROOM_CAPACITY_MAX 100000

static const char *const venue_keys[] = {
    "name", "city", "address", "tz", "latitude", "longitude", "org_id", NULL,
};
static const char *const room_keys[] = {"name", "capacity", NULL};

static int venue_bad_json(struct dom_err *err, const struct jsonx_err *je)
{
	return dom_fail(err, DOM_INVALID, je->code, "%s", je->message);
}

/* Whether key is present in body with the value null. */
static bool venue_is_null(struct json_object *body, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(body, key, &v) && !v;
}

/* A text field: 1 to store (*out value, or NULL when null and nullable), 0 absent, -1 err filled. */
static int venue_text(struct json_object *body, const char *key, bool required, bool nullable,
		      enum jsonx_str_kind kind, size_t max, const char **out, struct dom_err *err)
{
	struct jsonx_err je;
	int r = jsonx_get_str(body, key, required, kind, max, out, &je);

	if (r < 0)
		return venue_bad_json(err, &je);
	if (r > 0 || !venue_is_null(body, key))
		return r;
	if (!nullable)
		return dom_fail(err, DOM_INVALID, "invalid_field", "field '%s' must not be null", key);
	*out = NULL;
	return 1;
}

/* A coordinate: 1 to store (*has false when null), 0 absent, -1 err filled. */
static int venue_coord(struct json_object *body, const char *key, double limit, bool *has, double *v,
		       struct dom_err *err)
{
	struct jsonx_err je;
	int r = jsonx_get_double(body, key, false, -limit, limit, v, &je);

	if (r < 0)
		return venue_bad_json(err, &je);
	*has = r > 0;
	return r > 0 || venue_is_null(body, key);
}

/* Adds the field name key to the array fields when r says the field is set. */
static void venue_note(struct json_object *fields, int r, const char *key)
{
	if (r > 0)
		json_object_array_add(fields, json_object_new_string(key));
}

/*
 * Fills v from body. *org_given tells whether org_id was present (then v->org_id holds it, 0 for
 * null). Field names set go to fields.
 */
static int venue_parse(struct json_object *body, bool create, struct store_venue *v, bool *org_given,
		       struct json_object *fields, struct dom_err *err)
{
	struct jsonx_err je;
	int r;

	memset(v, 0, sizeof(*v));
	*org_given = false;
	if (jsonx_only_keys(body, venue_keys, &je))
		return venue_bad_json(err, &je);
	r = venue_text(body, "name", create, false, JSONX_LINE, VENUE_TEXT_MAX, &v->name, err);
	if (r < 0)
		return r;
	v->set |= r > 0 ? STORE_VENUE_NAME : 0;
	venue_note(fields, r, "name");
	r = venue_text(body, "city", create, false, JSONX_LINE, VENUE_TEXT_MAX, &v->city, err);
	if (r < 0)
		return r;
	v->set |= r > 0 ? STORE_VENUE_CITY : 0;
	venue_note(fields, r, "city");
	r = venue_text(body, "address", false, true, JSONX_LINE, VENUE_ADDRESS_MAX, &v->address, err);
	if (r < 0)
		return r;
	v->set |= r > 0 ? STORE_VENUE_ADDRESS : 0;
	venue_note(fields, r, "address");
	r = venue_text(body, "tz", false, false, JSONX_LINE, VENUE_TZ_MAX, &v->tz, err);
	if (r < 0)
		return r;
	if (r > 0 && !tz_zone_valid(v->tz))
		return dom_fail(err, DOM_INVALID, "invalid_tz",
				"field 'tz' must name a zone of the tz database, e.g. Africa/Casablanca");
	v->set |= r > 0 ? STORE_VENUE_TZ : 0;
	venue_note(fields, r, "tz");
	if (create && !v->tz)
		v->tz = TZ_DEFAULT_ZONE;
	r = venue_coord(body, "latitude", 90.0, &v->has_latitude, &v->latitude, err);
	if (r < 0)
		return r;
	v->set |= r > 0 ? STORE_VENUE_LATITUDE : 0;
	venue_note(fields, r, "latitude");
	r = venue_coord(body, "longitude", 180.0, &v->has_longitude, &v->longitude, err);
	if (r < 0)
		return r;
	v->set |= r > 0 ? STORE_VENUE_LONGITUDE : 0;
	venue_note(fields, r, "longitude");
	r = jsonx_get_int(body, "org_id", false, 1, INT64_MAX, &v->org_id, &je);
	if (r < 0)
		return venue_bad_json(err, &je);
	if (r > 0 || venue_is_null(body, "org_id")) {
		*org_given = true;
		v->set |= STORE_VENUE_ORG;
		venue_note(fields, 1, "org_id");
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

/* The change-log row for venue id (kind e.g. "venue.updated") inside the open transaction. */
static int venue_log(struct db *db, int64_t venue_id, int64_t room_id, const char *kind, int64_t org_id,
		     struct json_object *fields, int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "venue:%lld", (long long)venue_id);
	json_object_object_add(payload, "id", json_object_new_int64(venue_id));
	if (room_id > 0)
		json_object_object_add(payload, "room_id", json_object_new_int64(room_id));
	json_object_object_add(payload, "fields", json_object_get(fields));
	rc = db_changelog(db, topic, kind, org_id, payload, seq);
	json_object_put(payload);
	return rc;
}

int venues_create(struct db *db, const struct principal *p, struct json_object *body, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	struct store_venue v;
	bool org_given;
	int64_t id = 0;
	int rc;

	*out = NULL;
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER) {
		rc = dom_fail(err, DOM_FORBIDDEN, NULL,
			      "only an administrator or an organiser may create venues");
		goto out;
	}
	rc = venue_parse(body, true, &v, &org_given, fields, err);
	if (rc)
		goto out;
	if (!org_given)
		v.org_id = p->role == ROLE_ORGANISER ? p->org_id : 0;
	rc = venue_org_allowed(db, p, v.org_id, err);
	if (rc)
		goto out;
	rc = db_begin(db);
	rc = rc ? rc : store_venue_insert(db, &v, now, &id);
	rc = rc ? rc : venue_log(db, id, 0, "venue.created", v.org_id, fields, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		rc = dom_from_store(err, rc, "venue");
		goto out;
	}
	rc = venues_get(db, id, out, err);
out:
	json_object_put(fields);
	return rc;
}

int venues_update(struct db *db, const struct principal *p, int64_t id, struct json_object *body, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	struct store_venue v;
	int64_t org_id = 0;
	bool org_given;
	int rc;

	*out = NULL;
	rc = venue_writable(db, p, id, &org_id, err);
	if (rc)
		goto out;
	rc = venue_parse(body, false, &v, &org_given, fields, err);
	if (rc)
		goto out;
	if (org_given && v.org_id != org_id) {
		rc = venue_org_allowed(db, p, v.org_id, err);
		if (rc)
			goto out;
	}
	rc = db_begin(db);
	rc = rc ? rc : store_venue_update(db, id, &v, now);
	rc = rc ? rc : venue_log(db, id, 0, "venue.updated", org_given ? v.org_id : org_id, fields, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		rc = dom_from_store(err, rc, "venue");
		goto out;
	}
	rc = venues_get(db, id, out, err);
out:
	json_object_put(fields);
	return rc;
}

int venues_get(struct db *db, int64_t id, struct json_object **out, struct dom_err *err)
{
	int rc = store_venue_get(db, id, out);

	return rc ? dom_from_store(err, rc, "venue") : DOM_OK;
}

int venues_list(struct db *db, const char *city, int64_t org_id, int64_t limit, int64_t offset,
		struct json_object **items, int64_t *total, struct dom_err *err)
{
	int rc = store_venue_list(db, city, org_id, limit, offset, items, total);

	return rc ? dom_from_store(err, rc, "venue") : DOM_OK;
}

/* Fills r from body; create requires both fields. */
static int room_parse(struct json_object *body, bool create, struct store_room *r, struct json_object *fields,
		      struct dom_err *err)
{
	struct jsonx_err je;
	int got;

	memset(r, 0, sizeof(*r));
	if (jsonx_only_keys(body, room_keys, &je))
		return venue_bad_json(err, &je);
	got = venue_text(body, "name", create, false, JSONX_LINE, ROOM_NAME_MAX, &r->name, err);
	if (got < 0)
		return got;
	r->set |= got > 0 ? STORE_ROOM_NAME : 0;
	venue_note(fields, got, "name");
	got = jsonx_get_int(body, "capacity", create, 1, ROOM_CAPACITY_MAX, &r->capacity, &je);
	if (got < 0)
		return venue_bad_json(err, &je);
	if (!got && venue_is_null(body, "capacity"))
		return dom_fail(err, DOM_INVALID, "invalid_field", "field 'capacity' must not be null");
	r->set |= got > 0 ? STORE_ROOM_CAPACITY : 0;
	venue_note(fields, got, "capacity");
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

int venues_room_create(struct db *db, const struct principal *p, int64_t venue_id, struct json_object *body,
		       int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	struct store_room r;
	int64_t org_id = 0, id = 0;
	int rc;

	(void)now; /* rooms keep no times */
	*out = NULL;
	rc = venue_writable(db, p, venue_id, &org_id, err);
	if (rc)
		goto out;
	rc = room_parse(body, true, &r, fields, err);
	if (rc)
		goto out;
	rc = db_begin(db);
	rc = rc ? rc : store_room_insert(db, venue_id, &r, &id);
	rc = rc ? rc : venue_log(db, venue_id, id, "room.created", org_id, fields, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		rc = room_store_fail(err, rc);
		goto out;
	}
	rc = store_room_get(db, id, out);
	rc = rc ? dom_from_store(err, rc, "room") : DOM_OK;
out:
	json_object_put(fields);
	return rc;
}

int venues_room_update(struct db *db, const struct principal *p, int64_t id, struct json_object *body,
		       int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	struct store_room r;
	int64_t org_id = 0, venue_id = 0;
	int rc;

	(void)now; /* rooms keep no times */
	*out = NULL;
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER) {
		rc = dom_fail(err, DOM_FORBIDDEN, NULL,
			      "only an administrator or an organiser may change rooms");
		goto out;
	}
	rc = store_room_venue(db, id, &venue_id);
	if (rc) {
		rc = dom_from_store(err, rc, "room");
		goto out;
	}
	rc = venue_writable(db, p, venue_id, &org_id, err);
	if (rc)
		goto out;
	rc = room_parse(body, false, &r, fields, err);
	if (rc)
		goto out;
	rc = db_begin(db);
	rc = rc ? rc : store_room_update(db, id, &r);
	rc = rc ? rc : venue_log(db, venue_id, id, "room.updated", org_id, fields, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		rc = room_store_fail(err, rc);
		goto out;
	}
	rc = store_room_get(db, id, out);
	rc = rc ? dom_from_store(err, rc, "room") : DOM_OK;
out:
	json_object_put(fields);
	return rc;
}
