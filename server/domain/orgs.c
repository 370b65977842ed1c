/*
 * orgs: rules for organisations (fields, who may write) and their transactions with change-log rows;
 * it must not render HTTP or put anything but ids and field names in the change log.
 */
#include "domain/orgs.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "domain/txn.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_orgs.h"
#include "util/jsonx.h"

const char *const orgs_kinds[] = {
    "central_government", "local_government", "ngo", "international_organisation",
    "private_sector",	  "training_centre",  NULL,
};

bool orgs_kind_valid(const char *kind)
{
	int i;

	for (i = 0; kind && orgs_kinds[i]; i++) {
		if (!strcmp(kind, orgs_kinds[i]))
			return true;
	}
	return false;
}

/*
 * Checks in for a create (name and kind required) or a change (name and kind not null) and fills o
 * with the fields to store. Adds the names of the fields set to fields. DOM_OK or DOM_INVALID.
 */
static int orgs_check(const struct orgs_input *in, bool create, struct store_org *o,
		      struct json_object *fields, struct dom_err *err)
{
	const struct {
		const char *key;
		unsigned bit;
		bool has;
		const char *v;
		const char **slot;
	} spec[] = {
	    {"name", STORE_ORG_NAME, in->has_name, in->name, &o->name},
	    {"city", STORE_ORG_CITY, in->has_city, in->city, &o->city},
	    {"region", STORE_ORG_REGION, in->has_region, in->region, &o->region},
	    {"contact_name", STORE_ORG_CONTACT_NAME, in->has_contact_name, in->contact_name,
	     &o->contact_name},
	    {"contact_email", STORE_ORG_CONTACT_EMAIL, in->has_contact_email, in->contact_email,
	     &o->contact_email},
	    {"kind", STORE_ORG_KIND, in->has_kind, in->kind, &o->kind},
	};
	size_t i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		bool required = spec[i].bit == STORE_ORG_NAME || spec[i].bit == STORE_ORG_KIND;
		int rc = required ? dom_required(err, create, spec[i].has, spec[i].v, spec[i].key) : DOM_OK;

		if (rc)
			return rc;
		if (spec[i].has) {
			*spec[i].slot = spec[i].v;
			o->set |= spec[i].bit;
			json_object_array_add(fields, json_object_new_string(spec[i].key));
		}
	}
	if (!o->set)
		return dom_fail(err, DOM_INVALID, "empty_change", "the body names no field to change");
	return DOM_OK;
}

int orgs_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	int rc;

	if (id == 0) {
		if (p->role != ROLE_ADMIN)
			return dom_fail(err, DOM_FORBIDDEN, NULL,
					"only an administrator may create organisations");
		return DOM_OK;
	}
	rc = store_organisation_exists(db, id);
	if (rc)
		return dom_from_store(err, rc, "organisation");
	if (!principal_manages_org(p, id))
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser of this organisation may change it");
	return DOM_OK;
}

/* Writes the change-log row for organisation id inside the open transaction. */
static int orgs_log(struct db *db, int64_t now, int64_t id, const char *kind, struct json_object *fields,
		    int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "organisation:%lld", (long long)id);
	json_object_object_add(payload, "id", json_object_new_int64(id));
	json_object_object_add(payload, "fields", json_object_get(fields));
	rc = db_changelog(db, topic, kind, id, payload, now, seq);
	json_object_put(payload);
	return rc;
}

/* Maps an organisation write failure: a duplicate name is its own conflict. */
static int orgs_store_fail(struct dom_err *err, int rc)
{
	if (rc == STORE_CONFLICT)
		return dom_fail(err, DOM_CONFLICT, "duplicate_name",
				"an organisation with that name already exists");
	return dom_from_store(err, rc, "organisation");
}

/* Creates an organisation (create) or changes organisation id from in, at now: permissions, fields, then
 * one transaction with its change-log row; *out the organisation as stored. */
static int orgs_write(struct db *db, const struct principal *p, bool create, int64_t id,
		      const struct orgs_input *in, int64_t now, struct json_object **out, int64_t *seq,
		      struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	struct store_org o;
	int rc;

	*out = NULL;
	rc = orgs_writable(db, p, id, err);
	rc = rc ? rc : orgs_check(in, create, &o, fields, err);
	if (rc)
		goto out;
	rc = db_begin(db);
	rc = rc ? rc : create ? store_org_insert(db, &o, now, &id) : store_org_update(db, id, &o, now);
	rc =
	    rc ? rc
	       : orgs_log(db, now, id, create ? "organisation.created" : "organisation.updated", fields, seq);
	rc = txn_finish(db, rc ? orgs_store_fail(err, rc) : DOM_OK, "organisation", seq, err);
	rc = rc ? rc : orgs_get(db, id, out, err);
out:
	json_object_put(fields);
	return rc;
}

int orgs_create(struct db *db, const struct principal *p, const struct orgs_input *in, int64_t now,
		struct json_object **out, int64_t *seq, struct dom_err *err)
{
	return orgs_write(db, p, true, 0, in, now, out, seq, err);
}

int orgs_update(struct db *db, const struct principal *p, int64_t id, const struct orgs_input *in,
		int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err)
{
	return orgs_write(db, p, false, id, in, now, out, seq, err);
}

/* The organisation as the API shows it. New reference. */
static struct json_object *orgs_render(const struct org_row *r)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", r->id);
	jsonx_add_str(o, "name", r->name);
	jsonx_add_str(o, "kind", r->kind);
	jsonx_add_str(o, "city", r->city);
	jsonx_add_str(o, "region", r->region);
	jsonx_add_str(o, "contact_name", r->contact_name);
	jsonx_add_str(o, "contact_email", r->contact_email);
	jsonx_add_int(o, "created_at", r->created_at);
	jsonx_add_int(o, "updated_at", r->updated_at);
	return o;
}

int orgs_get(struct db *db, int64_t id, struct json_object **out, struct dom_err *err)
{
	struct org_row r;
	int rc = store_org_get(db, id, &r);

	*out = NULL;
	if (rc)
		return dom_from_store(err, rc, "organisation");
	*out = orgs_render(&r);
	org_row_clear(&r);
	return DOM_OK;
}

int orgs_list(struct db *db, const char *city, const char *kind, int64_t limit, int64_t offset,
	      struct json_object **items, int64_t *total, struct dom_err *err)
{
	struct org_row *rows = NULL;
	size_t n = 0;
	int rc;

	*items = NULL;
	if (kind && !orgs_kind_valid(kind))
		return dom_fail(err, DOM_INVALID, "invalid_query",
				"query parameter 'kind' must be one of: central_government, "
				"local_government, ngo, international_organisation, private_sector, "
				"training_centre");
	rc = store_org_list(db, city, kind, limit, offset, &rows, &n, total);
	if (rc)
		return dom_from_store(err, rc, "organisation");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, orgs_render(&rows[i]));
	org_rows_free(rows, n);
	return DOM_OK;
}
