/* event_counts: an event's numbers, recounted from its rows through the store; numbers only, no
 * visibility rule and no HTTP. */
#include "domain/event_counts.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store_event_counts.h"

int event_counts_get(struct db *db, int64_t event_id, struct event_counts *out, struct dom_err *err)
{
	struct store_session_tally *s = NULL;
	struct store_event_tally t;
	int n = 0, rc;

	memset(out, 0, sizeof(*out));
	rc = store_event_tally(db, event_id, &t);
	rc = rc ? rc : store_session_tallies(db, event_id, &s, &n);
	if (rc)
		return dom_from_store(err, rc, "event");
	out->event_id = event_id;
	out->capacity = t.capacity;
	out->confirmed = t.confirmed;
	out->pending = t.pending;
	out->waitlisted = t.waitlisted;
	out->confirmed_women = t.confirmed_sex[STORE_TALLY_FEMALE];
	out->confirmed_men = t.confirmed_sex[STORE_TALLY_MALE];
	out->confirmed_unspecified = t.confirmed_sex[STORE_TALLY_UNSPECIFIED];
	if (n > 0) {
		out->sessions = calloc((size_t)n, sizeof(*out->sessions));
		if (!out->sessions) {
			free(s);
			return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
		}
	}
	for (int i = 0; i < n; i++) {
		out->sessions[i].session_id = s[i].session_id;
		out->sessions[i].present = s[i].present;
		out->sessions[i].present_women = s[i].present_sex[STORE_TALLY_FEMALE];
		out->sessions[i].present_men = s[i].present_sex[STORE_TALLY_MALE];
		out->sessions[i].present_unspecified = s[i].present_sex[STORE_TALLY_UNSPECIFIED];
	}
	out->n_sessions = n;
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

static struct json_object *event_counts_by_sex(int64_t women, int64_t men, int64_t unspecified)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "female", json_object_new_int64(women));
	json_object_object_add(o, "male", json_object_new_int64(men));
	json_object_object_add(o, "unspecified", json_object_new_int64(unspecified));
	return o;
}

struct json_object *event_counts_json(const struct event_counts *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *sessions = json_object_new_array();

	json_object_object_add(o, "capacity", json_object_new_int64(c->capacity));
	json_object_object_add(o, "confirmed", json_object_new_int64(c->confirmed));
	json_object_object_add(o, "pending", json_object_new_int64(c->pending));
	json_object_object_add(o, "waitlisted", json_object_new_int64(c->waitlisted));
	json_object_object_add(
	    o, "confirmed_by_sex",
	    event_counts_by_sex(c->confirmed_women, c->confirmed_men, c->confirmed_unspecified));
	for (int i = 0; i < c->n_sessions; i++) {
		const struct session_counts *s = &c->sessions[i];
		struct json_object *one = json_object_new_object();

		json_object_object_add(one, "id", json_object_new_int64(s->session_id));
		json_object_object_add(one, "present", json_object_new_int64(s->present));
		json_object_object_add(
		    one, "present_by_sex",
		    event_counts_by_sex(s->present_women, s->present_men, s->present_unspecified));
		json_object_array_add(sessions, one);
	}
	json_object_object_add(o, "sessions", sessions);
	return o;
}
