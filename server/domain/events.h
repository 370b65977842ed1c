/*
 * events: the rules of trainings, workshops and concertations — who may create, see, change and cancel
 * them, what a change bumps (SEQUENCE) and whom it notifies, and what the counts reveal to whom; it
 * never parses HTTP or builds SQL.
 */
#ifndef MAJLIS_DOMAIN_EVENTS_H
#define MAJLIS_DOMAIN_EVENTS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"
#include "store/store_events.h"

struct db;

#define EVENT_PARTNERS_MAX    32
#define EVENT_TITLE_MAX	      300 /* code points */
#define EVENT_DESCRIPTION_MAX 10000

/* The event types, NULL-terminated: the one list that the api's parsers, filters and feeds accept. */
extern const char *const events_types[];
/* Whether type is one of events_types (a NULL type is not). */
bool events_type_valid(const char *type);

/* What a client asked to set. Strings point into the caller's parsed body (valid for the call). A
 * has_* flag false leaves the field alone (create: default); for nullable fields a NULL string or
 * a *_null flag clears it. Lives on the handler's stack. */
struct event_input {
	const char *type; /* NULL: unchanged */
	bool has_title[EVENT_LANGS];
	const char *title[EVENT_LANGS]; /* fr, ar, en */
	bool has_description[EVENT_LANGS];
	const char *description[EVENT_LANGS];
	bool has_org;
	int64_t org_id;
	bool has_partners;
	int n_partners;
	int64_t partners[EVENT_PARTNERS_MAX];
	bool has_venue;
	int64_t venue_id;	/* 0: none */
	const char *visibility; /* NULL: unchanged */
	bool has_capacity;
	int64_t capacity;
	bool has_opens;
	bool opens_null;
	int64_t opens_at;
	bool has_closes;
	bool closes_null;
	int64_t closes_at;
	bool has_needs_approval;
	bool needs_approval;
	bool has_url;
	const char *url;    /* NULL: clear */
	const char *status; /* NULL: unchanged */
};

/* List filters from the query string; NULL/0 do not filter. */
struct event_query {
	const char *city;
	const char *type;
	const char *status;
	const char *from;
	const char *to;
	int64_t org;
};

/* Each write is ONE transaction with its change-log row ("event:<id>") and the outbox rows it implies;
 * on success *out (may be NULL) gets the rendered event (caller puts) and *seq the last change-log
 * sequence. Returns 0 or a dom_code with err filled and nothing written. */
int events_create(struct db *db, const struct principal *p, const struct event_input *in, int64_t now,
		  struct json_object **out, int64_t *seq, struct dom_err *err);
/* A status of "cancelled" cancels as events_cancel does. Raising the capacity promotes waitlisted
 * registrations in arrival order. */
int events_update(struct db *db, const struct principal *p, int64_t id, const struct event_input *in,
		  int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);
/* Whether p may create an event (id 0: an admin or an organiser, else DOM_FORBIDDEN) or change or cancel
 * event id (DOM_NOT_FOUND when it does not exist or p may not see it, DOM_FORBIDDEN when p sees it but
 * does not manage its organisation), asked by the api before it reads the body. events_create,
 * events_update and events_cancel check the same themselves. */
int events_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* Status cancelled; every live registration cancelled with an "event.cancelled" outbox row. */
int events_cancel(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		  int64_t *seq, struct dom_err *err);

/* The event with its sessions, partners and counts (by sex only for those allowed); 404 when not
 * visible to p. */
int events_get(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
	       struct dom_err *err);
/* A page of the events p may see; *items a new array (caller puts). */
int events_list(struct db *db, const struct principal *p, const struct event_query *q, int64_t limit,
		int64_t offset, struct json_object **items, int64_t *total, struct dom_err *err);

/* Whether p may see event event_id: 1, 0 when it does not exist or p may not see it (one answer, so
 * that callers answer both alike), or negative store_rc. For every module that refers to an event. */
int events_visible_id(struct db *db, const struct principal *p, int64_t event_id);

#endif
