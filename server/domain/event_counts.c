/*
 * event_counts: an event's numbers from the store's counters (store/store_counts.h) and their JSON for
 * live frames and the API; it checks no permission and never counts registrations or attendance rows.
 */
#include "domain/event_counts.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store_counts.h"
#include "util/jsonx.h"

int event_counts_get(struct db *db, int64_t event_id, struct event_counts *out, struct dom_err *err)
{
	struct store_session_counts *s = NULL;
	struct store_reg_counts c;
	int n = 0, rc;

	memset(out, 0, sizeof(*out));
	rc = store_counts_event(db, event_id, &c);
	rc = rc ? rc : store_counts_sessions(db, event_id, &s, &n);
	if (rc)
		return dom_from_store(err, rc, "event");
	out->sessions = n ? calloc((size_t)n, sizeof(*out->sessions)) : NULL;
	if (n && !out->sessions) {
		free(s);
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
	}
	out->event_id = event_id;
	out->capacity = c.capacity;
	out->confirmed = c.n[STORE_CNT_CONFIRMED];
	out->pending = c.n[STORE_CNT_PENDING];
	out->waitlisted = c.n[STORE_CNT_WAITLISTED];
	out->confirmed_women = c.by_sex[STORE_CNT_CONFIRMED][STORE_SEX_FEMALE];
	out->confirmed_men = c.by_sex[STORE_CNT_CONFIRMED][STORE_SEX_MALE];
	out->confirmed_unspecified = c.by_sex[STORE_CNT_CONFIRMED][STORE_SEX_UNSPECIFIED];
	out->n_sessions = n;
	for (int i = 0; i < n; i++) {
		struct session_counts *o = &out->sessions[i];

		o->session_id = s[i].session_id;
		o->present_women = s[i].present[STORE_SEX_FEMALE];
		o->present_men = s[i].present[STORE_SEX_MALE];
		o->present_unspecified = s[i].present[STORE_SEX_UNSPECIFIED];
		o->present = o->present_women + o->present_men + o->present_unspecified;
	}
	free(s);
	return DOM_OK;
}

void event_counts_free(struct event_counts *c)
{
	if (!c)
		return;
	free(c->sessions);
	c->sessions = NULL;
	c->n_sessions = 0;
}

/* {"female","male","unspecified"} as a new object. */
static struct json_object *event_counts_by_sex(int64_t female, int64_t male, int64_t unspecified)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "female", female);
	jsonx_add_int(o, "male", male);
	jsonx_add_int(o, "unspecified", unspecified);
	return o;
}

struct json_object *event_counts_json(const struct event_counts *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();

	jsonx_add_int(o, "capacity", c->capacity);
	jsonx_add_int(o, "confirmed", c->confirmed);
	jsonx_add_int(o, "pending", c->pending);
	jsonx_add_int(o, "waitlisted", c->waitlisted);
	json_object_object_add(
	    o, "confirmed_by_sex",
	    event_counts_by_sex(c->confirmed_women, c->confirmed_men, c->confirmed_unspecified));
	for (int i = 0; i < c->n_sessions; i++) {
		const struct session_counts *s = &c->sessions[i];
		struct json_object *one = json_object_new_object();

		jsonx_add_int(one, "id", s->session_id);
		jsonx_add_int(one, "present", s->present);
		json_object_object_add(
		    one, "present_by_sex",
		    event_counts_by_sex(s->present_women, s->present_men, s->present_unspecified));
		json_object_array_add(arr, one);
	}
	json_object_object_add(o, "sessions", arr);
	return o;
}
