/*
 * demo_data: parses the demo data files embedded at build time (the JSON files of server/domain/demo/) into
 * struct demo_data, checking every field's type and every reference between files; it writes
 * nothing and must not know how the generator uses what it reads.
 */
#include "domain/demo_data.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "util/civil.h"
#include "util/jsonx.h"
#include "util/text.h"

/* The files, written by scripts/embed_files.cmake into demo_gen.c. */
extern const unsigned char *const demo_file_text[];
extern const size_t demo_file_len[];
extern const char *const demo_file_name[];
extern const int demo_file_count;

/* Where a parse is, for the message of a failure. One per demo_data_load, on its stack. */
struct demo_rd {
	struct demo_data *d;
	const char *file;
	int entry; /* position in the file's list, -1: none */
	char *why;
	const char *stand_in; /* NULL, or the file whose bytes are stand_in_text */
	const char *stand_in_text;
	size_t stand_in_len;
};

static int demo_rd_fail(struct demo_rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes "FILE, entry N: message" into r->why; returns -1. */
static int demo_rd_fail(struct demo_rd *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->entry >= 0)
		n = snprintf(r->why, DEMO_WHY_LEN, "%s, entry %d: ", r->file, r->entry + 1);
	else
		n = snprintf(r->why, DEMO_WHY_LEN, "%s: ", r->file);
	if (n < 0 || n >= DEMO_WHY_LEN)
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->why + n, (size_t)(DEMO_WHY_LEN - n), fmt, ap);
	va_end(ap);
	return -1;
}

const char *demo_data_file(const char *name, size_t *len)
{
	for (int i = 0; i < demo_file_count; i++) {
		if (!strcmp(demo_file_name[i], name)) {
			*len = demo_file_len[i];
			return (const char *)demo_file_text[i];
		}
	}
	*len = 0;
	return NULL;
}

/* The top-level object of file name (embedded, or the stand-in), parsed and kept in r->d (which owns
 * it). NULL with r->why set when it is missing or not a JSON object. */
static struct json_object *demo_rd_file(struct demo_rd *r, const char *name)
{
	struct json_object *o = NULL;
	struct jsonx_err je;
	const char *text;
	size_t len;

	r->file = name;
	r->entry = -1;
	if (r->stand_in && !strcmp(r->stand_in, name)) {
		text = r->stand_in_text;
		len = r->stand_in_len;
	} else {
		text = demo_data_file(name, &len);
	}
	if (!text) {
		demo_rd_fail(r, "not embedded in this build");
		return NULL;
	}
	if (text_body_problem(text, len, true)) {
		demo_rd_fail(r, "not UTF-8 text without NUL bytes");
		return NULL;
	}
	if (r->d->n_files >= DEMO_MAX_FILES) {
		demo_rd_fail(r, "too many files");
		return NULL;
	}
	if (jsonx_parse_object(text, len, &o, &je)) {
		demo_rd_fail(r, "%s", je.message);
		return NULL;
	}
	r->d->files[r->d->n_files++] = o;
	return o;
}

/* Refuses keys of o other than allowed (NULL-terminated): a misspelt key must not be ignored. */
static int demo_rd_keys(struct demo_rd *r, struct json_object *o, const char *const *allowed)
{
	struct jsonx_err je;

	if (!json_object_is_type(o, json_type_object))
		return demo_rd_fail(r, "not an object");
	if (jsonx_only_keys(o, allowed, &je))
		return demo_rd_fail(r, "%s", je.message);
	return 0;
}

/* A string field into *out (NULL when absent and not required). 0 or -1. */
static int demo_rd_str(struct demo_rd *r, struct json_object *o, const char *key, bool required,
		       const char **out)
{
	struct jsonx_err je;

	*out = NULL;
	if (jsonx_get_string(o, key, required, NULL, out, &je) < 0)
		return demo_rd_fail(r, "%s", je.message);
	return 0;
}

/* An integer field from min to max into *out (0 when absent and not required). 0 or -1. */
static int demo_rd_int(struct demo_rd *r, struct json_object *o, const char *key, bool required, int min,
		       int max, int *out)
{
	struct jsonx_err je;
	int64_t v = 0;

	if (jsonx_get_int(o, key, required, min, max, &v, &je) < 0)
		return demo_rd_fail(r, "%s", je.message);
	*out = (int)v;
	return 0;
}

/* An optional boolean field into *out (false when absent). 0 or -1. */
static int demo_rd_bool(struct demo_rd *r, struct json_object *o, const char *key, bool *out)
{
	struct jsonx_err je;

	*out = false;
	if (jsonx_get_bool(o, key, false, out, &je) < 0)
		return demo_rd_fail(r, "%s", je.message);
	return 0;
}

/* The array field key of o into *a with its length in *n (at most max); an absent optional field is
 * an empty list. 0 or -1. */
static int demo_rd_list(struct demo_rd *r, struct json_object *o, const char *key, bool required, int max,
			struct json_object **a, int *n)
{
	*a = NULL;
	*n = 0;
	if (!json_object_object_get_ex(o, key, a)) {
		if (required)
			return demo_rd_fail(r, "field '%s' is required", key);
		return 0;
	}
	if (!json_object_is_type(*a, json_type_array))
		return demo_rd_fail(r, "field '%s' must be an array", key);
	if (json_object_array_length(*a) > (size_t)max)
		return demo_rd_fail(r, "field '%s' has more than %d entries", key, max);
	*n = (int)json_object_array_length(*a);
	return 0;
}

/* Index of the organisation named key by the field field into *out (-1 when absent and not
 * required). 0 or -1. */
static int demo_rd_org(struct demo_rd *r, struct json_object *o, const char *field, bool required, int *out)
{
	const char *key;

	*out = -1;
	if (demo_rd_str(r, o, field, required, &key))
		return -1;
	if (!key)
		return 0;
	for (int i = 0; i < r->d->n_orgs; i++) {
		if (!strcmp(r->d->orgs[i].key, key)) {
			*out = i;
			return 0;
		}
	}
	return demo_rd_fail(r, "field '%s': no organisation '%s' in organisations.json", field, key);
}

static int demo_rd_orgs(struct demo_rd *r)
{
	static const char *const keys[] = {"key",    "name",	     "kind",	      "city",
					   "region", "contact_name", "contact_email", NULL};
	struct json_object *root = demo_rd_file(r, "organisations.json"), *list, *o;
	struct demo_org *g;
	int n;

	if (!root || demo_rd_list(r, root, "organisations", true, DEMO_MAX_ORGS, &list, &n))
		return -1;
	for (r->entry = 0; r->entry < n; r->entry++) {
		o = json_object_array_get_idx(list, (size_t)r->entry);
		g = &r->d->orgs[r->entry];
		if (demo_rd_keys(r, o, keys) || demo_rd_str(r, o, "key", true, &g->key) ||
		    demo_rd_str(r, o, "name", true, &g->row.name) ||
		    demo_rd_str(r, o, "kind", true, &g->row.kind) ||
		    demo_rd_str(r, o, "city", false, &g->row.city) ||
		    demo_rd_str(r, o, "region", false, &g->row.region) ||
		    demo_rd_str(r, o, "contact_name", false, &g->row.contact_name) ||
		    demo_rd_str(r, o, "contact_email", false, &g->row.contact_email))
			return -1;
		for (int i = 0; i < r->entry; i++)
			if (!strcmp(r->d->orgs[i].key, g->key))
				return demo_rd_fail(r, "key '%s' is taken", g->key);
		r->d->n_orgs++;
	}
	return 0;
}

/* A coordinate field into *v with *has telling whether it was given. 0 or -1. */
static int demo_rd_coord(struct demo_rd *r, struct json_object *o, const char *key, double lim, bool *has,
			 double *v)
{
	struct jsonx_err je;
	int found = jsonx_get_double(o, key, false, -lim, lim, v, &je);

	if (found < 0)
		return demo_rd_fail(r, "%s", je.message);
	*has = found == 1;
	return 0;
}

static int demo_rd_rooms(struct demo_rd *r, struct json_object *venue, int v)
{
	static const char *const keys[] = {"name", "capacity", NULL};
	struct json_object *list, *o;
	struct demo_room *m;
	int n, cap;

	if (demo_rd_list(r, venue, "rooms", false, DEMO_MAX_ROOMS, &list, &n))
		return -1;
	for (int i = 0; i < n; i++) {
		if (r->d->n_rooms >= DEMO_MAX_ROOMS)
			return demo_rd_fail(r, "more than %d rooms in all", DEMO_MAX_ROOMS);
		o = json_object_array_get_idx(list, (size_t)i);
		m = &r->d->rooms[r->d->n_rooms];
		m->venue = v;
		if (demo_rd_keys(r, o, keys) || demo_rd_str(r, o, "name", true, &m->row.name) ||
		    demo_rd_int(r, o, "capacity", true, 1, 100000, &cap))
			return -1;
		m->row.capacity = cap;
		r->d->n_rooms++;
	}
	return 0;
}

static int demo_rd_venues(struct demo_rd *r)
{
	static const char *const keys[] = {"key", "org",      "name",	   "city",  "address",
					   "tz",  "latitude", "longitude", "rooms", NULL};
	struct json_object *root = demo_rd_file(r, "venues.json"), *list, *o;
	struct demo_venue *v;
	int n;

	if (!root || demo_rd_list(r, root, "venues", true, DEMO_MAX_VENUES, &list, &n))
		return -1;
	for (r->entry = 0; r->entry < n; r->entry++) {
		o = json_object_array_get_idx(list, (size_t)r->entry);
		v = &r->d->venues[r->entry];
		if (demo_rd_keys(r, o, keys) || demo_rd_str(r, o, "key", true, &v->key) ||
		    demo_rd_org(r, o, "org", true, &v->org) ||
		    demo_rd_str(r, o, "name", true, &v->row.name) ||
		    demo_rd_str(r, o, "city", false, &v->row.city) ||
		    demo_rd_str(r, o, "address", false, &v->row.address) ||
		    demo_rd_str(r, o, "tz", true, &v->row.tz) ||
		    demo_rd_coord(r, o, "latitude", 90, &v->row.has_latitude, &v->row.latitude) ||
		    demo_rd_coord(r, o, "longitude", 180, &v->row.has_longitude, &v->row.longitude) ||
		    demo_rd_rooms(r, o, r->entry))
			return -1;
		for (int i = 0; i < r->entry; i++)
			if (!strcmp(r->d->venues[i].key, v->key))
				return demo_rd_fail(r, "key '%s' is taken", v->key);
		r->d->n_venues++;
	}
	return 0;
}

static int demo_rd_facs(struct demo_rd *r)
{
	static const char *const keys[] = {"name", "name_ar", "sex", "org", "email", NULL};
	struct json_object *root = demo_rd_file(r, "facilitators.json"), *list, *o;
	struct demo_facilitator *f;
	int n;

	if (!root || demo_rd_list(r, root, "facilitators", true, DEMO_MAX_FACS, &list, &n))
		return -1;
	for (r->entry = 0; r->entry < n; r->entry++) {
		o = json_object_array_get_idx(list, (size_t)r->entry);
		f = &r->d->facs[r->entry];
		if (demo_rd_keys(r, o, keys) || demo_rd_str(r, o, "name", true, &f->name) ||
		    demo_rd_str(r, o, "name_ar", false, &f->name_ar) ||
		    demo_rd_str(r, o, "sex", true, &f->sex) || demo_rd_org(r, o, "org", true, &f->org) ||
		    demo_rd_str(r, o, "email", false, &f->email))
			return -1;
		for (int i = 0; i < r->entry; i++)
			if (!strcmp(r->d->facs[i].name, f->name))
				return demo_rd_fail(r, "name '%s' is taken", f->name);
		r->d->n_facs++;
	}
	return 0;
}

static int demo_rd_accounts(struct demo_rd *r)
{
	static const char *const keys[] = {"email", "display_name", "role", "org", NULL};
	struct json_object *root = demo_rd_file(r, "accounts.json"), *list, *o;
	struct demo_account *a;
	int n;

	if (!root || demo_rd_list(r, root, "accounts", true, DEMO_MAX_ACCOUNTS, &list, &n))
		return -1;
	r->d->admin = -1;
	r->d->checkin = -1;
	for (r->entry = 0; r->entry < n; r->entry++) {
		o = json_object_array_get_idx(list, (size_t)r->entry);
		a = &r->d->accounts[r->entry];
		if (demo_rd_keys(r, o, keys) || demo_rd_str(r, o, "email", true, &a->email) ||
		    demo_rd_str(r, o, "display_name", true, &a->display_name) ||
		    demo_rd_str(r, o, "role", true, &a->role) || demo_rd_org(r, o, "org", false, &a->org))
			return -1;
		if (r->d->admin < 0 && !strcmp(a->role, "admin"))
			r->d->admin = r->entry;
		if (r->d->checkin < 0 && !strcmp(a->role, "checkin"))
			r->d->checkin = r->entry;
		r->d->n_accounts++;
	}
	r->entry = -1;
	if (r->d->admin < 0)
		return demo_rd_fail(r, "no account has the role 'admin'");
	return 0;
}

/* The texts of field key ({"fr", "ar", "en"}, each optional) into out[EVENT_LANGS]. 0 or -1. */
static int demo_rd_langs(struct demo_rd *r, struct json_object *o, const char *key, bool required,
			 const char *out[EVENT_LANGS])
{
	static const char *const langs[] = {"fr", "ar", "en", NULL};
	struct json_object *t;

	if (!json_object_object_get_ex(o, key, &t)) {
		if (required)
			return demo_rd_fail(r, "field '%s' is required", key);
		return 0;
	}
	if (demo_rd_keys(r, t, langs))
		return -1;
	for (int i = 0; i < EVENT_LANGS; i++)
		if (demo_rd_str(r, t, langs[i], false, &out[i]))
			return -1;
	return 0;
}

/* Checks "HH:MM" and copies it into out. 0 or -1. */
static int demo_rd_hm(struct demo_rd *r, struct json_object *o, const char *key, char out[DEMO_HM_LEN])
{
	char probe[32];
	const char *s;

	if (demo_rd_str(r, o, key, true, &s))
		return -1;
	snprintf(probe, sizeof(probe), "2000-01-01T%s", s);
	if (strlen(s) != DEMO_HM_LEN - 1 || !text_is_local_datetime(probe))
		return demo_rd_fail(r, "field '%s' must be a time HH:MM", key);
	memcpy(out, s, DEMO_HM_LEN);
	return 0;
}

/* The event's venue, room (by name, in that venue) and facilitator (by name). 0 or -1. */
static int demo_rd_event_place(struct demo_rd *r, struct json_object *o, struct demo_event *e)
{
	const char *venue, *room, *fac;

	if (demo_rd_str(r, o, "venue", true, &venue) || demo_rd_str(r, o, "room", true, &room) ||
	    demo_rd_str(r, o, "facilitator", true, &fac))
		return -1;
	e->venue = e->room = e->facilitator = -1;
	for (int i = 0; i < r->d->n_venues && e->venue < 0; i++)
		if (!strcmp(r->d->venues[i].key, venue))
			e->venue = i;
	if (e->venue < 0)
		return demo_rd_fail(r, "no venue '%s' in venues.json", venue);
	for (int i = 0; i < r->d->n_rooms && e->room < 0; i++)
		if (r->d->rooms[i].venue == e->venue && !strcmp(r->d->rooms[i].row.name, room))
			e->room = i;
	if (e->room < 0)
		return demo_rd_fail(r, "venue '%s' has no room '%s'", venue, room);
	for (int i = 0; i < r->d->n_facs && e->facilitator < 0; i++)
		if (!strcmp(r->d->facs[i].name, fac))
			e->facilitator = i;
	if (e->facilitator < 0)
		return demo_rd_fail(r, "no facilitator '%s' in facilitators.json", fac);
	return 0;
}

/* The first day, the number of sessions, their spacing, hours and titles. 0 or -1. */
static int demo_rd_event_series(struct demo_rd *r, struct json_object *o, struct demo_event *e)
{
	struct json_object *titles;
	const char *day;
	int y, m, dd, n;
	struct jsonx_err je;

	if (jsonx_get_str(o, "first_day", true, JSONX_DATE, 10, &day, &je) < 0)
		return demo_rd_fail(r, "%s", je.message);
	if (sscanf(day, "%4d-%2d-%2d", &y, &m, &dd) != 3)
		return demo_rd_fail(r, "field 'first_day' must be a date YYYY-MM-DD");
	e->first_day = civil_days_from_date(y, m, dd);
	if (demo_rd_int(r, o, "sessions", true, 1, DEMO_MAX_TITLES, &e->n_sessions) ||
	    demo_rd_int(r, o, "every_days", true, 1, 366, &e->every_days) ||
	    demo_rd_hm(r, o, "start", e->start_hm) || demo_rd_hm(r, o, "end", e->end_hm) ||
	    demo_rd_list(r, o, "session_titles", false, DEMO_MAX_TITLES, &titles, &n))
		return -1;
	if (titles && n != e->n_sessions)
		return demo_rd_fail(r, "%d session titles for %d sessions", n, e->n_sessions);
	for (int k = 0; k < n; k++) {
		struct json_object *t = json_object_array_get_idx(titles, (size_t)k);

		if (!json_object_is_type(t, json_type_string))
			return demo_rd_fail(r, "session title %d is not a string", k + 1);
		e->session_titles[k] = json_object_get_string(t);
	}
	return 0;
}

/* How many registrations end in each status. 0 or -1. */
static int demo_rd_event_regs(struct demo_rd *r, struct json_object *o, struct demo_event *e)
{
	static const char *const keys[] = {"confirmed", "waitlisted", "pending", "cancelled",
					   "declined",	"rejected",   NULL};
	static const char *const pools[] = {"migrants", "officials", "mixed", NULL};
	struct json_object *regs;
	struct jsonx_err je;
	int pool;

	if (jsonx_get_enum(o, "participants", true, pools, &pool, &je) < 0)
		return demo_rd_fail(r, "%s", je.message);
	e->pool = (enum demo_pool)pool;
	if (!json_object_object_get_ex(o, "registrations", &regs))
		return demo_rd_fail(r, "field 'registrations' is required");
	if (demo_rd_keys(r, regs, keys) || demo_rd_int(r, regs, "confirmed", false, 0, 999, &e->confirmed) ||
	    demo_rd_int(r, regs, "waitlisted", false, 0, 999, &e->waitlisted) ||
	    demo_rd_int(r, regs, "pending", false, 0, 999, &e->pending) ||
	    demo_rd_int(r, regs, "cancelled", false, 0, 999, &e->cancelled_regs) ||
	    demo_rd_int(r, regs, "declined", false, 0, 999, &e->declined) ||
	    demo_rd_int(r, regs, "rejected", false, 0, 999, &e->rejected))
		return -1;
	return 0;
}

static int demo_rd_events(struct demo_rd *r)
{
	static const char *const keys[] = {
	    "type",	      "title",	   "description",    "org",	     "partner",
	    "venue",	      "room",	   "facilitator",    "visibility",   "capacity",
	    "needs_approval", "cancelled", "first_day",	     "sessions",     "every_days",
	    "start",	      "end",	   "session_titles", "participants", "registrations",
	    "checkin",	      NULL};
	struct json_object *root = demo_rd_file(r, "events.json"), *list, *o;
	struct demo_event *e;
	int n;

	if (!root || demo_rd_list(r, root, "events", true, DEMO_MAX_EVENTS, &list, &n))
		return -1;
	for (r->entry = 0; r->entry < n; r->entry++) {
		o = json_object_array_get_idx(list, (size_t)r->entry);
		e = &r->d->events[r->entry];
		if (demo_rd_keys(r, o, keys) || demo_rd_str(r, o, "type", true, &e->type) ||
		    demo_rd_langs(r, o, "title", true, e->title) ||
		    demo_rd_langs(r, o, "description", false, e->description) ||
		    demo_rd_org(r, o, "org", true, &e->org) ||
		    demo_rd_org(r, o, "partner", false, &e->partner) || demo_rd_event_place(r, o, e) ||
		    demo_rd_str(r, o, "visibility", true, &e->visibility) ||
		    demo_rd_int(r, o, "capacity", true, 1, 100000, &e->capacity) ||
		    demo_rd_bool(r, o, "needs_approval", &e->needs_approval) ||
		    demo_rd_bool(r, o, "cancelled", &e->cancelled) ||
		    demo_rd_bool(r, o, "checkin", &e->checkin) || demo_rd_event_series(r, o, e) ||
		    demo_rd_event_regs(r, o, e))
			return -1;
		if (!e->title[0])
			return demo_rd_fail(r, "field 'title' has no 'fr'");
		if (e->checkin && r->d->checkin < 0)
			return demo_rd_fail(r, "'checkin' but no account has the role 'checkin'");
		r->d->n_events++;
	}
	return 0;
}

/* A list of [latin, arabic] names into out[DEMO_MAX_NAMES] and *n (at least one). 0 or -1. */
static int demo_rd_names(struct demo_rd *r, struct json_object *o, const char *key, struct demo_name *out,
			 int *n)
{
	struct json_object *list, *p, *lat, *ar;

	if (demo_rd_list(r, o, key, true, DEMO_MAX_NAMES, &list, n))
		return -1;
	if (*n == 0)
		return demo_rd_fail(r, "field '%s' is empty", key);
	for (int i = 0; i < *n; i++) {
		p = json_object_array_get_idx(list, (size_t)i);
		lat = json_object_array_get_idx(p, 0);
		ar = json_object_array_get_idx(p, 1);
		if (!json_object_is_type(p, json_type_array) || json_object_array_length(p) != 2 ||
		    !json_object_is_type(lat, json_type_string) || !json_object_is_type(ar, json_type_string))
			return demo_rd_fail(r, "%s name %d is not [\"Latin\", \"Arabic\"]", key, i + 1);
		out[i].lat = json_object_get_string(lat);
		out[i].ar = json_object_get_string(ar);
	}
	return 0;
}

static int demo_rd_nat(struct demo_rd *r, struct json_object *o, struct demo_nat *t)
{
	static const char *const keys[] = {
	    "code", "weight", "arabic_script_pct", "lang", "other_lang", "other_lang_pct", "male", "female",
	    "last", NULL};

	if (demo_rd_keys(r, o, keys) || demo_rd_str(r, o, "code", true, &t->code) ||
	    demo_rd_int(r, o, "weight", true, 0, 100, &t->weight) ||
	    demo_rd_int(r, o, "arabic_script_pct", true, 0, 100, &t->ar_pct) ||
	    demo_rd_str(r, o, "lang", true, &t->lang) || demo_rd_str(r, o, "other_lang", true, &t->alt) ||
	    demo_rd_int(r, o, "other_lang_pct", true, 0, 100, &t->alt_pct) ||
	    demo_rd_names(r, o, "male", t->male, &t->n_male) ||
	    demo_rd_names(r, o, "female", t->female, &t->n_female) ||
	    demo_rd_names(r, o, "last", t->last, &t->n_last))
		return -1;
	return 0;
}

static int demo_rd_nats(struct demo_rd *r)
{
	static const char *const keys[] = {"nationalities", "officials", NULL};
	struct json_object *root = demo_rd_file(r, "names.json"), *list, *o;
	int n, weights = 0;

	if (!root || demo_rd_keys(r, root, keys) ||
	    demo_rd_list(r, root, "nationalities", true, DEMO_MAX_NATS, &list, &n))
		return -1;
	for (r->entry = 0; r->entry < n; r->entry++) {
		if (demo_rd_nat(r, json_object_array_get_idx(list, (size_t)r->entry), &r->d->nats[r->entry]))
			return -1;
		weights += r->d->nats[r->entry].weight;
		r->d->n_nats++;
	}
	r->entry = -1;
	if (weights != 100)
		return demo_rd_fail(r, "the nationalities' weights add up to %d, not 100", weights);
	if (!json_object_object_get_ex(root, "officials", &o))
		return demo_rd_fail(r, "field 'officials' is required");
	return demo_rd_nat(r, o, &r->d->officials);
}

int demo_data_load(struct demo_data *d, const char *name, const char *text, size_t len,
		   char why[DEMO_WHY_LEN])
{
	struct demo_rd r = {.d = d,
			    .file = "",
			    .entry = -1,
			    .why = why,
			    .stand_in = name,
			    .stand_in_text = text,
			    .stand_in_len = len};

	memset(d, 0, sizeof(*d));
	why[0] = '\0';
	if (demo_rd_orgs(&r) || demo_rd_venues(&r) || demo_rd_facs(&r) || demo_rd_accounts(&r) ||
	    demo_rd_events(&r) || demo_rd_nats(&r))
		return -1;
	return 0;
}

void demo_data_free(struct demo_data *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n_files; i++)
		json_object_put(d->files[i]);
	d->n_files = 0;
}
