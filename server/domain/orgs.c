/*
 * orgs: rules for organisations (fields, who may write) and their transactions with change-log rows;
 * it must not render HTTP or put anything but ids and field names in the change log.
 */
#include "domain/orgs.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/store_orgs.h"
#include "util/jsonx.h"

#define ORG_TEXT_MAX  200
#define ORG_EMAIL_MAX 254

static const char *const org_kinds[] = {
    "central_government", "local_government", "ngo", "international_organisation",
    "private_sector",	  "training_centre",  NULL,
};

static const char *const org_keys[] = {
    "name", "kind", "city", "region", "contact_name", "contact_email", NULL,
};

bool org_kind_valid(const char *kind)
{
	int i;

	for (i = 0; kind && org_kinds[i]; i++) {
		if (!strcmp(kind, org_kinds[i]))
			return true;
	}
	return false;
}

static int org_bad_json(struct dom_err *err, const struct jsonx_err *je)
{
	return dom_fail(err, DOM_INVALID, je->code, "%s", je->message);
}

/*
 * A text field for a create (required as given) or a change (present: set, null clears when
 * nullable). Returns 1 when the field is to be stored (*out the value or NULL), 0 when absent,
 * -1 with err filled.
 */
static int org_field(struct json_object *body, const char *key, bool required, bool nullable,
		     enum jsonx_str_kind kind, size_t max, const char **out, struct dom_err *err)
{
	struct jsonx_err je;
	int r = jsonx_get_str(body, key, required, kind, max, out, &je);

	if (r < 0)
		return org_bad_json(err, &je);
	if (r > 0 || !json_object_object_get_ex(body, key, NULL))
		return r;
	if (!nullable)
		return dom_fail(err, DOM_INVALID, "invalid_field", "field '%s' must not be null", key);
	*out = NULL;
	return 1;
}

/* Fills o from body; create requires name and kind. Adds the names of the fields set to fields. */
static int org_parse(struct json_object *body, bool create, struct store_org *o, struct json_object *fields,
		     struct dom_err *err)
{
	static const struct {
		const char *key;
		unsigned bit;
		enum jsonx_str_kind kind;
		size_t max;
		size_t off;
	} spec[] = {
	    {"name", STORE_ORG_NAME, JSONX_LINE, ORG_TEXT_MAX, offsetof(struct store_org, name)},
	    {"city", STORE_ORG_CITY, JSONX_LINE, ORG_TEXT_MAX, offsetof(struct store_org, city)},
	    {"region", STORE_ORG_REGION, JSONX_LINE, ORG_TEXT_MAX, offsetof(struct store_org, region)},
	    {"contact_name", STORE_ORG_CONTACT_NAME, JSONX_LINE, ORG_TEXT_MAX,
	     offsetof(struct store_org, contact_name)},
	    {"contact_email", STORE_ORG_CONTACT_EMAIL, JSONX_EMAIL, ORG_EMAIL_MAX,
	     offsetof(struct store_org, contact_email)},
	};
	struct jsonx_err je;
	size_t i;
	int r, k;

	memset(o, 0, sizeof(*o));
	if (jsonx_only_keys(body, org_keys, &je))
		return org_bad_json(err, &je);
	for (i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		bool is_name = spec[i].bit == STORE_ORG_NAME;
		const char **slot = (const char **)((char *)o + spec[i].off);

		r = org_field(body, spec[i].key, create && is_name, !is_name, spec[i].kind, spec[i].max, slot,
			      err);
		if (r < 0)
			return r;
		if (r > 0) {
			o->set |= spec[i].bit;
			json_object_array_add(fields, json_object_new_string(spec[i].key));
		}
	}
	r = jsonx_get_enum(body, "kind", create, org_kinds, &k, &je);
	if (r < 0)
		return org_bad_json(err, &je);
	if (r == 0 && json_object_object_get_ex(body, "kind", NULL))
		return dom_fail(err, DOM_INVALID, "invalid_field", "field 'kind' must not be null");
	if (r > 0) {
		o->kind = org_kinds[k];
		o->set |= STORE_ORG_KIND;
		json_object_array_add(fields, json_object_new_string("kind"));
	}
	if (!o->set)
		return dom_fail(err, DOM_INVALID, "empty_change", "the body names no field to change");
	return DOM_OK;
}

/* Writes the change-log row for organisation id inside the open transaction. */
static int org_log(struct db *db, int64_t id, const char *kind, struct json_object *fields, int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "organisation:%lld", (long long)id);
	json_object_object_add(payload, "id", json_object_new_int64(id));
	json_object_object_add(payload, "fields", json_object_get(fields));
	rc = db_changelog(db, topic, kind, id, payload, seq);
	json_object_put(payload);
	return rc;
}

int org_create(struct db *db, const struct principal *p, struct json_object *body, struct json_object **out,
	       int64_t *seq, struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	struct store_org o;
	int64_t id = 0;
	int rc;

	*out = NULL;
	if (p->role != ROLE_ADMIN) {
		rc = dom_fail(err, DOM_FORBIDDEN, NULL, "only an administrator may create organisations");
		goto out;
	}
	rc = org_parse(body, true, &o, fields, err);
	if (rc)
		goto out;
	rc = db_begin(db);
	rc = rc ? rc : store_org_insert(db, &o, (int64_t)time(NULL), &id);
	rc = rc ? rc : org_log(db, id, "organisation.created", fields, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		if (rc == STORE_CONFLICT)
			rc = dom_fail(err, DOM_CONFLICT, "duplicate_name",
				      "an organisation with that name already exists");
		else
			rc = dom_from_store(err, rc, "organisation");
		goto out;
	}
	rc = org_get(db, id, out, err);
out:
	json_object_put(fields);
	return rc;
}

int org_update(struct db *db, const struct principal *p, int64_t id, struct json_object *body,
	       struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct json_object *fields = json_object_new_array();
	struct store_org o;
	int rc;

	*out = NULL;
	rc = store_organisation_exists(db, id);
	if (rc) {
		rc = dom_from_store(err, rc, "organisation");
		goto out;
	}
	if (!principal_manages_org(p, id)) {
		rc = dom_fail(err, DOM_FORBIDDEN, NULL,
			      "only an administrator or an organiser of this organisation may change it");
		goto out;
	}
	rc = org_parse(body, false, &o, fields, err);
	if (rc)
		goto out;
	rc = db_begin(db);
	rc = rc ? rc : store_org_update(db, id, &o, (int64_t)time(NULL));
	rc = rc ? rc : org_log(db, id, "organisation.updated", fields, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		if (rc == STORE_CONFLICT)
			rc = dom_fail(err, DOM_CONFLICT, "duplicate_name",
				      "an organisation with that name already exists");
		else
			rc = dom_from_store(err, rc, "organisation");
		goto out;
	}
	rc = org_get(db, id, out, err);
out:
	json_object_put(fields);
	return rc;
}

int org_get(struct db *db, int64_t id, struct json_object **out, struct dom_err *err)
{
	int rc = store_org_get(db, id, out);

	return rc ? dom_from_store(err, rc, "organisation") : DOM_OK;
}

int org_list(struct db *db, const char *city, const char *kind, int64_t limit, int64_t offset,
	     struct json_object **items, int64_t *total, struct dom_err *err)
{
	int rc;

	*items = NULL;
	if (kind && !org_kind_valid(kind))
		return dom_fail(err, DOM_INVALID, "invalid_query",
				"query parameter 'kind' must be one of: central_government, "
				"local_government, ngo, international_organisation, private_sector, "
				"training_centre");
	rc = store_org_list(db, city, kind, limit, offset, items, total);
	return rc ? dom_from_store(err, rc, "organisation") : DOM_OK;
}
