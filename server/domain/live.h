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

/* The newest sequence number: where a client that asks for no replay starts. */
int live_head(struct db *db, int64_t *seq, struct dom_err *err);

/* Whether credentials changed after seq `after` (an account or token was logged in, out, revoked or
 * updated): DOM_OK with *changed, and *head the newest sequence number looked at. Service thread. */
int live_credential_changes(struct db *db, int64_t after, int64_t *head, bool *changed, struct dom_err *err);

enum live_topic_kind { LIVE_TOPIC_NONE, LIVE_TOPIC_EVENT, LIVE_TOPIC_ORG, LIVE_TOPIC_SESSION, LIVE_TOPIC_ME };

#define LIVE_TOPICS_MAX 16 /* topics one client may follow at once */
#define LIVE_TOPIC_NAME 32 /* bytes of a topic's name, NUL included ("session:9223372036854775807") */

#define LIVE_PARTNERS_MAX 32 /* partner organisations of one event (docs/api.md: at most 32) */
#define LIVE_TOKEN_HASH	  65 /* bytes of a participant token's hash, NUL included */

/* A topic a client follows: event:{id}, org:{id}, session:{id}, or me (id: the participant's
 * registration). In the client's state; service thread. */
struct live_topic {
	enum live_topic_kind kind;
	int64_t id;
	int64_t event_id; /* a session's event (live_topic_allowed sets it), else 0 */
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
	bool credentials;	 /* an account.*, token.* change, a person erased or a new personal link sent:
				  * live credentials must be checked again */
	bool session_changed;	 /* a session.* change: the event's schedule changed */
	bool attendance;	 /* an attendance.* change (of registration_id, on session_id) */
	int64_t event_sequence;	 /* an event.* change: payload.sequence (the event's iCalendar SEQUENCE) */
	char event_status[16];	 /* and payload.status ("scheduled", "postponed", "cancelled"), else "" */
	char kind[64];		 /* the change's kind, e.g. "event.cancelled" (for a participant's me) */
	int n_partners;		 /* the event's partner organisations when the change entered the window */
	int64_t partners[LIVE_PARTNERS_MAX];
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

/* Whether a change concerning a reaches a follower of t (me is decided by live_me_after): event:{id} its
 * event's changes, session:{id} those naming the session, org:{id} those the organisation owns and those
 * of the events it is a partner of. */
bool live_topic_matches(const struct live_topic *t, const struct live_audience *a);
/* Whether who may follow t depends on event event_id (t is event:{event_id} or one of its sessions): such
 * topics are checked again with live_topic_allowed when the event changes. */
bool live_topic_of_event(const struct live_topic *t, int64_t event_id);
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

/* The registration of a participant's personal token: DOM_OK with *reg_id, *event_id and the token's
 * hash (kept to check it again, never the token), or DOM_UNAUTHENTICATED "invalid_token". */
int live_participant(struct db *db, const char *token, int64_t *reg_id, int64_t *event_id,
		     char hash[LIVE_TOKEN_HASH], struct dom_err *err);
/* Whether the token of hash still opens registration reg_id (a new link sent replaces it, erasing the
 * person drops it): DOM_OK, DOM_UNAUTHENTICATED when it no longer does, DOM_BUSY. Service thread. */
int live_participant_holds(struct db *db, const char hash[LIVE_TOKEN_HASH], int64_t reg_id,
			   struct dom_err *err);
/* A participant's own registration as live shows it: {"id","event_id","status","waitlist_position"}
 * (new reference), numbers and status only. DOM_OK, DOM_NOT_FOUND, DOM_BUSY. */
int live_me(struct db *db, int64_t reg_id, struct json_object **out, struct dom_err *err);

/* What the me followers of one event need after one registration change, read once for all of them:
 * the changed registration's status and the event's waitlist in order. A few recent changes are kept;
 * in the live window (service thread). */
struct live_me_slot {
	int64_t seq, event_id, changed_id;
	char changed_status[16]; /* "" when the changed registration is gone */
	int64_t *waitlist;	 /* registration ids, first in line first (malloc'ed) */
	int64_t *wseqs;		 /* and their waitlist_seq */
	size_t n;
};
struct live_me_cache {
	struct live_me_slot slots[4];
	int next; /* the slot to reuse next */
};
/* Releases what cache holds (not cache). */
void live_me_cache_clear(struct live_me_cache *cache);

/* The me view (live_me's) of registration reg_id after change seq concerning a (a registration change of
 * its event): computed from the change's shared state in cache (one read per change for every follower),
 * with last (the view sent before, or NULL) for what the change cannot tell. DOM_OK with *out (new
 * reference), DOM_NOT_FOUND, DOM_BUSY. Service thread. */
int live_me_after(struct db *db, struct live_me_cache *cache, int64_t seq, const struct live_audience *a,
		  int64_t reg_id, struct json_object *last, struct json_object **out, struct dom_err *err);

/* Whether change a may concern the participant of registration reg_id (of event reg_event), following
 * me: a change of its registration or of one ahead of it on the waitlist (a registration change of its
 * event), of its event (an event.* change), of the event's sessions, or its own attendance. */
bool live_me_concerns(const struct live_audience *a, int64_t reg_id, int64_t reg_event);

/* The status and sequence of event event_id, as a participant's me message carries them: DOM_OK,
 * DOM_NOT_FOUND, DOM_BUSY. Service thread. */
int live_me_event(struct db *db, int64_t event_id, char status[16], int64_t *sequence, struct dom_err *err);

/* Whether the account p was resolved from still has p's role and organisation (a token's never change):
 * DOM_OK, DOM_UNAUTHENTICATED when they changed or the account is gone, DOM_BUSY. Service thread. */
int live_rights_hold(struct db *db, const struct principal *p, struct dom_err *err);

#endif
