/*
 * live: what a live client (WebSocket) may follow of the change log — topics and who may subscribe to
 * them (the HTTP API's visibility rules), whom each change concerns, and its rendering (the change with
 * its event's numbers, or a participant's own registration); payloads never hold personal data. No
 * socket and no framing here.
 */
#ifndef MAJLIS_DOMAIN_LIVE_H
#define MAJLIS_DOMAIN_LIVE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

/* Whether p may open a live feed at all (any authenticated role). */
bool live_allowed(const struct principal *p);

/* The first change after `after` visible to p: DOM_OK with *row (new reference) and *seq, or
 * DOM_NOT_FOUND when the client is up to date. Service thread. */
int live_next(struct db *db, const struct principal *p, int64_t after, struct json_object **row, int64_t *seq,
	      struct dom_err *err);

/* The newest sequence number: where a client that asks for no replay starts. */
int live_head(struct db *db, int64_t *seq, struct dom_err *err);

/* Whether credentials changed after seq `after` (an account or token was logged in, out, revoked or
 * updated): DOM_OK with *changed, and *head the newest sequence number looked at. Service thread. */
int live_credential_changes(struct db *db, int64_t after, int64_t *head, bool *changed, struct dom_err *err);

enum live_topic_kind { LIVE_TOPIC_NONE, LIVE_TOPIC_EVENT, LIVE_TOPIC_ORG, LIVE_TOPIC_SESSION, LIVE_TOPIC_ME };

#define LIVE_TOPICS_MAX 16 /* topics one client may follow at once */
#define LIVE_TOPIC_NAME 32 /* bytes of a topic's name, NUL included ("session:9223372036854775807") */

/* A topic a client follows: event:{id}, org:{id}, session:{id}, or me (id: the participant's
 * registration). In the client's state; service thread. */
struct live_topic {
	enum live_topic_kind kind;
	int64_t id;
};

/* Whom a change concerns, decided once when it is read from the change log. Inside a rendered change. */
struct live_audience {
	int64_t org_id;		 /* the row's organisation (0 when none) */
	bool has_org;		 /* org_id is not NULL: a system-wide change otherwise */
	int64_t event_id;	 /* topic event:{id}, else 0 */
	int64_t session_id;	 /* payload.session_id, else 0 */
	int64_t registration_id; /* payload.registration_id, else 0 */
	bool registration;	 /* a registration.* change: waitlist positions of its event may move */
	bool event_changed;	 /* an event.* change: who may see the event may have changed */
	bool credentials;	 /* an account.* or token.* change: live credentials must be checked again */
};

/* One change as live clients get it. v2 {"type":"change","seq","topic","kind","payload","at"} plus
 * "counts" (event_counts_json) for a change of an event; v1 the same without type and counts. Both new
 * references owned by the struct: live_change_clear. */
struct live_change {
	int64_t seq;
	struct live_audience aud;
	struct json_object *v1, *v2;
};

/* Parses a topic name ("event:7", "org:3", "session:12", "me"): 0, or -1 when malformed. */
int live_topic_parse(const char *s, struct live_topic *t);
/* The name of t into out (LIVE_TOPIC_NAME bytes). */
void live_topic_name(const struct live_topic *t, char out[LIVE_TOPIC_NAME]);

/* Whether p (or, when reg_id > 0, the participant of registration reg_id, who may follow only me) may
 * follow t: DOM_OK (a me topic gets reg_id as id), DOM_NOT_FOUND when t does not exist or may not be seen
 * (one answer for both, as in the HTTP API), DOM_BUSY. Service thread. */
int live_topic_allowed(struct db *db, const struct principal *p, int64_t reg_id, struct live_topic *t,
		       struct dom_err *err);

/* Whether a change concerning a reaches a follower of t (me is decided by live_me). */
bool live_topic_matches(const struct live_topic *t, const struct live_audience *a);
/* Whether a v1 client (majlis-live) opened by p gets a change concerning a: an admin every change, anyone
 * else those of its organisation and the system-wide ones. */
bool live_v1_sees(const struct principal *p, const struct live_audience *a);

/* Reads at most max changes after `after` and not after `upto` (0: no bound) into out[] (caller's array
 * of max), rendered once each, with the current numbers of their event (read once per event per call):
 * DOM_OK with *n, or DOM_BUSY. Service thread. */
int live_changes(struct db *db, int64_t after, int64_t upto, int max, struct live_change *out, int *n,
		 struct dom_err *err);
/* Releases what c holds. */
void live_change_clear(struct live_change *c);

/* The oldest sequence number the change log still holds (0: empty): a client that needs older changes
 * must resync. */
int live_oldest(struct db *db, int64_t *seq, struct dom_err *err);

/* The registration of a participant's personal token: DOM_OK with *reg_id and *event_id, or
 * DOM_UNAUTHENTICATED "invalid_token". */
int live_participant(struct db *db, const char *token, int64_t *reg_id, int64_t *event_id,
		     struct dom_err *err);
/* A participant's own registration as live shows it: {"id","event_id","status","waitlist_position"}
 * (new reference), numbers and status only. DOM_OK, DOM_NOT_FOUND, DOM_BUSY. */
int live_me(struct db *db, int64_t reg_id, struct json_object **out, struct dom_err *err);

/* Whether the account p was resolved from still has p's role and organisation (a token's never change):
 * DOM_OK, DOM_UNAUTHENTICATED when they changed or the account is gone, DOM_BUSY. Service thread. */
int live_rights_hold(struct db *db, const struct principal *p, struct dom_err *err);

#endif
