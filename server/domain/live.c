/* live: who may follow which topic of the change log, whom each change concerns, and its rendering
 * (with its event's numbers); no sockets, no framing. */
#include "domain/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/event_counts.h"
#include "domain/events.h"
#include "domain/orgs.h"
#include "domain/sessions.h"
#include "store/db.h"
#include "store/store_auth.h"
#include "store/store_changelog.h"
#include "store/store_counts.h"
#include "store/store_live.h"
#include "store/store_events.h"
#include "store/store_registrations.h"
#include "util/secret.h"

_Static_assert(LIVE_TOKEN_HASH == SECRET_HASH_LEN + 1, "a participant token's hash");

bool live_allowed(const struct principal *p)
{
	return p->role != ROLE_NONE;
}

int live_head(struct db *db, int64_t *seq, struct dom_err *err)
{
	return dom_from_store(err, db_changelog_head(db, seq), "change log");
}

int live_credential_changes(struct db *db, int64_t after, int64_t *head, bool *changed, struct dom_err *err)
{
	int64_t cred = 0;
	int rc = store_live_credential_changes(db, after, head, &cred);

	*changed = !rc && cred > 0;
	return dom_from_store(err, rc, "change log");
}

int live_topic_parse(const char *s, struct live_topic *t)
{
	static const struct {
		const char *prefix;
		enum live_topic_kind kind;
	} kinds[] = {
	    {"event:", LIVE_TOPIC_EVENT}, {"org:", LIVE_TOPIC_ORG}, {"session:", LIVE_TOPIC_SESSION}};
	const char *d;
	int64_t id = 0;

	memset(t, 0, sizeof(*t));
	if (!strcmp(s, "me")) {
		t->kind = LIVE_TOPIC_ME;
		return 0;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (strncmp(s, kinds[i].prefix, n))
			continue;
		d = s + n;
		if (!*d || strlen(d) > 18 || strspn(d, "0123456789") != strlen(d) || *d == '0')
			return -1;
		for (; *d; d++)
			id = id * 10 + (*d - '0');
		t->kind = kinds[i].kind;
		t->id = id;
		return 0;
	}
	return -1;
}

void live_topic_name(const struct live_topic *t, char out[LIVE_TOPIC_NAME])
{
	static const char *const names[] = {"", "event", "org", "session", "me"};

	if (t->kind == LIVE_TOPIC_ME)
		snprintf(out, LIVE_TOPIC_NAME, "me");
	else
		snprintf(out, LIVE_TOPIC_NAME, "%s:%lld", names[t->kind], (long long)t->id);
}

/* The integer member key of o, or 0. */
static int64_t live_payload_id(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_int64(v);
}

int live_topic_allowed(struct db *db, const struct principal *p, int64_t reg_id, struct live_topic *t,
		       struct dom_err *err)
{
	struct json_object *o = NULL;
	int rc;

	if (reg_id > 0 || t->kind == LIVE_TOPIC_ME) {
		/* a participant's token follows its own registration only; an account has no "me" here */
		if (reg_id <= 0 || t->kind != LIVE_TOPIC_ME)
			return dom_fail(err, DOM_NOT_FOUND, NULL, "no such topic");
		t->id = reg_id;
		return DOM_OK;
	}
	switch (t->kind) {
	case LIVE_TOPIC_EVENT:
		rc = events_visible_id(db, p, t->id);
		if (rc < 0)
			return dom_from_store(err, rc, "event");
		return rc ? DOM_OK : dom_fail(err, DOM_NOT_FOUND, NULL, "no such topic");
	case LIVE_TOPIC_SESSION:
		rc = sessions_get(db, p, t->id, &o, err);
		if (!rc)
			t->event_id = live_payload_id(o, "event_id");
		json_object_put(o);
		if (rc == DOM_NOT_FOUND)
			return dom_fail(err, DOM_NOT_FOUND, NULL, "no such topic");
		return rc;
	case LIVE_TOPIC_ORG:
		if (p->role != ROLE_ADMIN && p->org_id != t->id)
			return dom_fail(err, DOM_NOT_FOUND, NULL, "no such topic");
		rc = orgs_get(db, t->id, &o, err);
		json_object_put(o);
		if (rc == DOM_NOT_FOUND)
			return dom_fail(err, DOM_NOT_FOUND, NULL, "no such topic");
		return rc;
	default:
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no such topic");
	}
}

bool live_topic_matches(const struct live_topic *t, const struct live_audience *a)
{
	switch (t->kind) {
	case LIVE_TOPIC_EVENT:
		return a->event_id == t->id;
	case LIVE_TOPIC_SESSION:
		return a->session_id == t->id;
	case LIVE_TOPIC_ORG:
		if (a->has_org && a->org_id == t->id)
			return true;
		/* the events it is a partner of, as the HTTP API shows them to its members */
		for (int i = 0; a->event_id > 0 && i < a->n_partners; i++)
			if (a->partners[i] == t->id)
				return true;
		return false;
	default:
		return false;
	}
}

bool live_topic_of_event(const struct live_topic *t, int64_t event_id)
{
	return event_id > 0 && ((t->kind == LIVE_TOPIC_EVENT && t->id == event_id) ||
				(t->kind == LIVE_TOPIC_SESSION && t->event_id == event_id));
}

bool live_v1_sees(const struct principal *p, const struct live_audience *a)
{
	return p->role == ROLE_ADMIN || !a->has_org || a->org_id == p->org_id;
}

/* The numbers and partners of event_id, read once per call of live_changes: a small cache of the events
 * met. */
struct live_counts_cache {
	int n;
	int64_t ids[16];
	struct json_object *counts[16];
	int n_partners[16];
	int64_t partners[16][LIVE_PARTNERS_MAX];
};

/* The partners of event_id into a (none when they cannot be read: the owner's followers still get it). */
static void live_partners(struct db *db, int64_t event_id, struct live_audience *a)
{
	int64_t *ids = NULL;
	size_t n = 0;

	a->n_partners = 0;
	if (store_event_partners(db, event_id, &ids, &n))
		return;
	for (size_t i = 0; i < n && a->n_partners < LIVE_PARTNERS_MAX; i++)
		a->partners[a->n_partners++] = ids[i];
	free(ids);
}

static struct json_object *live_counts(struct db *db, struct live_counts_cache *cc, int64_t event_id,
				       struct live_audience *a)
{
	struct event_counts c;
	struct dom_err err;
	struct json_object *o;

	for (int i = 0; i < cc->n; i++) {
		if (cc->ids[i] == event_id) {
			a->n_partners = cc->n_partners[i];
			memcpy(a->partners, cc->partners[i], sizeof(a->partners));
			return cc->counts[i] ? json_object_get(cc->counts[i]) : NULL;
		}
	}
	/* an event deleted since its change has no numbers any more */
	o = event_counts_get(db, event_id, &c, &err) ? NULL : event_counts_json(&c);
	event_counts_free(&c);
	live_partners(db, event_id, a);
	if (cc->n < (int)(sizeof(cc->ids) / sizeof(cc->ids[0]))) {
		cc->ids[cc->n] = event_id;
		cc->n_partners[cc->n] = a->n_partners;
		memcpy(cc->partners[cc->n], a->partners, sizeof(a->partners));
		cc->counts[cc->n++] = o ? json_object_get(o) : NULL;
	}
	return o;
}

/* Whether a change of kind (payload) makes live credentials to be checked again: an account or a token
 * changed, a person erased (their personal links replaced), a new personal link sent or given up (it
 * replaces the old one, or stops working). */
static bool live_touches_credentials(const char *kind, struct json_object *payload)
{
	struct json_object *v;

	if (!strncmp(kind, "account.", 8) || !strncmp(kind, "token.", 6) || !strcmp(kind, "person.erased"))
		return true;
	if (strcmp(kind, "notification.sent") && strcmp(kind, "notification.failed"))
		return false;
	return payload && json_object_object_get_ex(payload, "kind", &v) &&
	       json_object_is_type(v, json_type_string) &&
	       !strcmp(json_object_get_string(v), "registration.link_resent");
}

static void live_change_render(struct db *db, struct live_counts_cache *cc, const struct store_live_row *r,
			       struct live_change *c)
{
	struct json_object *payload = json_tokener_parse(r->payload);
	struct json_object *v1 = json_object_new_object(), *v2 = json_object_new_object(), *counts;
	struct live_audience *a = &c->aud;

	memset(c, 0, sizeof(*c));
	c->seq = r->seq;
	a->org_id = r->has_org ? r->org_id : 0;
	a->has_org = r->has_org;
	if (!strncmp(r->topic, "event:", 6))
		a->event_id = strtoll(r->topic + 6, NULL, 10);
	a->session_id = live_payload_id(payload, "session_id");
	a->registration_id = live_payload_id(payload, "registration_id");
	a->registration = !strncmp(r->kind, "registration.", 13);
	a->event_changed = !strncmp(r->kind, "event.", 6);
	a->credentials = live_touches_credentials(r->kind, payload);
	a->session_changed = !strncmp(r->kind, "session.", 8);
	a->attendance = !strncmp(r->kind, "attendance.", 11);
	snprintf(a->kind, sizeof(a->kind), "%s", r->kind);
	if (a->event_changed) {
		struct json_object *v;

		a->event_sequence = live_payload_id(payload, "sequence");
		if (payload && json_object_object_get_ex(payload, "status", &v) &&
		    json_object_is_type(v, json_type_string))
			snprintf(a->event_status, sizeof(a->event_status), "%s", json_object_get_string(v));
	}
	if (!payload)
		payload = json_object_new_object();
	json_object_object_add(v2, "type", json_object_new_string("change"));
	for (int i = 0; i < 2; i++) {
		struct json_object *o = i ? v2 : v1;

		json_object_object_add(o, "seq", json_object_new_int64(r->seq));
		json_object_object_add(o, "topic", json_object_new_string(r->topic));
		json_object_object_add(o, "kind", json_object_new_string(r->kind));
		json_object_object_add(o, "payload", i ? json_object_get(payload) : payload);
		json_object_object_add(o, "at", json_object_new_int64(r->at));
	}
	counts = a->event_id > 0 ? live_counts(db, cc, a->event_id, a) : NULL;
	if (counts)
		json_object_object_add(v2, "counts", counts);
	c->v1 = v1;
	c->v2 = v2;
}

int live_changes(struct db *db, int64_t after, int64_t upto, int max, struct live_change *out, int *n,
		 struct dom_err *err)
{
	struct store_live_row *rows = calloc((size_t)(max > 0 ? max : 1), sizeof(*rows));
	struct live_counts_cache cc;
	int rc, got = 0;

	*n = 0;
	if (!rows)
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory");
	rc = store_live_rows(db, after, upto, max, rows, &got);
	if (rc) {
		free(rows);
		return dom_from_store(err, rc, "change log");
	}
	memset(&cc, 0, sizeof(cc));
	for (int i = 0; i < got; i++)
		live_change_render(db, &cc, &rows[i], &out[i]);
	for (int i = 0; i < cc.n; i++)
		json_object_put(cc.counts[i]);
	store_live_rows_free(rows, got);
	free(rows);
	*n = got;
	return DOM_OK;
}

void live_change_clear(struct live_change *c)
{
	if (!c)
		return;
	json_object_put(c->v1);
	json_object_put(c->v2);
	c->v1 = NULL;
	c->v2 = NULL;
}

int live_oldest(struct db *db, int64_t *seq, struct dom_err *err)
{
	return dom_from_store(err, store_live_oldest(db, seq), "change log");
}

int live_participant(struct db *db, const char *token, int64_t *reg_id, int64_t *event_id,
		     char hash[LIVE_TOKEN_HASH], struct dom_err *err)
{
	struct store_reg r;
	int rc;

	if (!token || !token[0])
		return dom_fail(err, DOM_UNAUTHENTICATED, "invalid_token", "no registration for this token");
	secret_hash(token, strlen(token), hash);
	rc = store_reg_get_by_token(db, hash, &r);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_UNAUTHENTICATED, "invalid_token", "no registration for this token");
	if (rc)
		return dom_from_store(err, rc, "registration");
	*reg_id = r.id;
	*event_id = r.event_id;
	return DOM_OK;
}

int live_participant_holds(struct db *db, const char hash[LIVE_TOKEN_HASH], int64_t reg_id,
			   struct dom_err *err)
{
	struct store_reg r;
	int rc = store_reg_get_by_token(db, hash, &r);

	if (rc == STORE_NOT_FOUND || (!rc && r.id != reg_id))
		return dom_fail(err, DOM_UNAUTHENTICATED, "invalid_token", "this personal link was replaced");
	return dom_from_store(err, rc, "registration");
}

int live_me(struct db *db, int64_t reg_id, struct json_object **out, struct dom_err *err)
{
	struct store_reg r;
	int64_t pos = 0;
	struct json_object *o;
	int rc;

	*out = NULL;
	rc = store_reg_get(db, reg_id, &r);
	if (!rc && !strcmp(r.status, "waitlisted") && r.has_wseq)
		rc = store_counts_waitlist_position(db, r.event_id, r.waitlist_seq, &pos);
	if (rc)
		return dom_from_store(err, rc, "registration");
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r.id));
	json_object_object_add(o, "event_id", json_object_new_int64(r.event_id));
	json_object_object_add(o, "status", json_object_new_string(r.status));
	json_object_object_add(o, "waitlist_position", pos > 0 ? json_object_new_int64(pos) : NULL);
	*out = o;
	return DOM_OK;
}

void live_me_cache_clear(struct live_me_cache *cache)
{
	for (size_t i = 0; i < sizeof(cache->slots) / sizeof(cache->slots[0]); i++) {
		free(cache->slots[i].waitlist);
		free(cache->slots[i].wseqs);
	}
	memset(cache, 0, sizeof(*cache));
}

/* The shared state of change seq of event_id (changed: its registration), read on first use. */
static int live_me_slot(struct db *db, struct live_me_cache *cache, int64_t seq, int64_t event_id,
			int64_t changed, struct live_me_slot **out)
{
	struct live_me_slot *s;
	struct store_reg r;
	int rc;

	for (size_t i = 0; i < sizeof(cache->slots) / sizeof(cache->slots[0]); i++) {
		if (cache->slots[i].seq == seq && cache->slots[i].event_id == event_id) {
			*out = &cache->slots[i];
			return STORE_OK;
		}
	}
	s = &cache->slots[cache->next];
	free(s->waitlist);
	free(s->wseqs);
	memset(s, 0, sizeof(*s));
	rc = changed > 0 ? store_reg_get(db, changed, &r) : STORE_NOT_FOUND;
	if (!rc)
		snprintf(s->changed_status, sizeof(s->changed_status), "%s", r.status);
	else if (rc != STORE_NOT_FOUND)
		return rc;
	rc = store_live_waitlist(db, event_id, &s->waitlist, &s->wseqs, &s->n);
	if (rc)
		return rc;
	s->seq = seq;
	s->event_id = event_id;
	s->changed_id = changed;
	cache->next = (cache->next + 1) % (int)(sizeof(cache->slots) / sizeof(cache->slots[0]));
	*out = s;
	return STORE_OK;
}

int live_me_after(struct db *db, struct live_me_cache *cache, int64_t seq, const struct live_audience *a,
		  int64_t reg_id, struct json_object *last, struct json_object **out, struct dom_err *err)
{
	struct live_me_slot *s;
	struct json_object *v;
	const char *status = NULL;
	int64_t pos = 0;
	int rc;

	*out = NULL;
	rc = live_me_slot(db, cache, seq, a->event_id, a->registration_id, &s);
	if (rc)
		return dom_from_store(err, rc, "registration");
	for (size_t i = 0; i < s->n && !pos; i++) {
		if (s->waitlist[i] != reg_id)
			continue;
		status = "waitlisted";
		pos = 0;
		for (size_t k = 0; k < s->n; k++)
			pos += s->wseqs[k] <= s->wseqs[i];
	}
	if (!status && reg_id == s->changed_id && s->changed_status[0])
		status = s->changed_status;
	/* not the changed one, not waiting: its status is the one sent before, unless that was waitlisted */
	if (!status && last && json_object_object_get_ex(last, "status", &v) &&
	    json_object_is_type(v, json_type_string) && strcmp(json_object_get_string(v), "waitlisted"))
		status = json_object_get_string(v);
	if (!status)
		return live_me(db, reg_id, out, err); /* what the change cannot tell: read it */
	*out = json_object_new_object();
	json_object_object_add(*out, "id", json_object_new_int64(reg_id));
	json_object_object_add(*out, "event_id", json_object_new_int64(a->event_id));
	json_object_object_add(*out, "status", json_object_new_string(status));
	json_object_object_add(*out, "waitlist_position", pos > 0 ? json_object_new_int64(pos) : NULL);
	return DOM_OK;
}

bool live_me_concerns(const struct live_audience *a, int64_t reg_id, int64_t reg_event)
{
	if (a->event_id <= 0 || a->event_id != reg_event)
		return false;
	if (a->attendance)
		return a->registration_id == reg_id;
	return a->registration || a->event_changed || a->session_changed;
}

int live_me_event(struct db *db, int64_t event_id, char status[16], int64_t *sequence, struct dom_err *err)
{
	return dom_from_store(err, store_live_event_state(db, event_id, status, sequence), "event");
}

int live_rights_hold(struct db *db, const struct principal *p, struct dom_err *err)
{
	struct store_auth_account a;
	int rc;

	if (p->account_id <= 0)
		return DOM_OK; /* a token's role and organisation never change */
	rc = store_auth_account_by_id(db, p->account_id, &a);
	memset(a.password_hash, 0, sizeof(a.password_hash));
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "the account is gone");
	if (rc)
		return dom_from_store(err, rc, "account");
	if (role_parse(a.role) != p->role || a.org_id != p->org_id)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL,
				"the account's rights changed; connect again");
	return DOM_OK;
}
