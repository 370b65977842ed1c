/*
 * outbox (domain): what each due notification must say, and the outcome of sending it; see outbox.h. It
 * never sends, never logs personal data or links, and writes nothing outside outbox_settle's transaction
 * (and, in outbox_take, the give-ups and a new link made ready before its mail, each its own transaction).
 */
#include "domain/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/feeds.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_feeds.h"
#include "store/store_outbox.h"
#include "store/store_people.h"
#include "util/jsonx.h"
#include "util/log.h"
#include "util/secret.h"
#include "util/text.h"

_Static_assert(sizeof(((struct config *)0)->link_key) == OUTBOX_KEY_LEN + 1,
	       "config's link_key holds the key");

char *outbox_seal_link(const char *key, const char *token)
{
	if (!key || !key[0] || !token)
		return NULL;
	return secret_seal(key, token, strlen(token));
}

static void outbox_summary_free(struct outbox_summary *s);

void outbox_msg_free(struct outbox_msg *m)
{
	if (!m)
		return;
	free(m->to);
	free(m->to_name);
	if (m->link)
		secret_wipe(m->link, strlen(m->link));
	free(m->link);
	free(m->link_sealed);
	outbox_summary_free(&m->event);
	buf_free(&m->ics);
	memset(m, 0, sizeof(*m));
}

int64_t outbox_backoff(int64_t attempts)
{
	static const int64_t waits[] = {60, 5 * 60, 30 * 60, 2 * 3600};

	if (attempts < 1)
		attempts = 1;
	return attempts <= 4 ? waits[attempts - 1] : 6 * 3600;
}

static int64_t outbox_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v) : 0;
}

static const char *outbox_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v && json_object_is_type(v, json_type_string)
		   ? json_object_get_string(v)
		   : NULL;
}

static void outbox_summary_free(struct outbox_summary *s)
{
	if (!s)
		return;
	free(s->title);
	free(s->org_name);
	free(s->org_email);
	free(s->where);
	buf_free(&s->when);
	memset(s, 0, sizeof(*s));
}

/* Duplicate of v when it is not empty, or NULL. */
static char *outbox_dup_set(const char *v)
{
	return v && *v ? strdup(v) : NULL;
}

/* Summarises event_id in lang into out: every session, or only session_id when > 0; with ics set, also
 * renders into it the event's calendar (all its sessions, as its feed gives it, stamped now) from the same
 * query, without any access check (the message goes to someone entitled to it). DOM_NOT_FOUND when the
 * event is gone (or has no session). */
static int outbox_event_summary(struct db *db, const struct config *cfg, int64_t event_id, int64_t session_id,
				enum feed_lang lang, int64_t now, struct outbox_summary *out, struct buf *ics,
				struct dom_err *err)
{
	const struct store_feed_row *place = NULL;
	struct store_feed_row *rows = NULL;
	const char *title;
	size_t n = 0, shown = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&out->when, OUTBOX_SUMMARY_MAX);
	rc = store_feeds_event(db, event_id, FEEDS_MAX_SESSIONS, &rows, &n);
	if (rc)
		return dom_from_store(err, rc, "event");
	if (!n)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "event not found");
	title = feeds_event_title(&rows[0], lang);
	out->title = title ? strdup(title) : NULL;
	out->org_name = outbox_dup_set(rows[0].org_name);
	out->org_email = outbox_dup_set(rows[0].org_email);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct store_feed_row *row = &rows[i];
		struct feed_session fs;

		feeds_session_of(row, &fs);
		if (session_id > 0 && fs.id != session_id)
			continue;
		if (!place)
			place = row;
		if (++shown > OUTBOX_SUMMARY_SESSIONS) {
			rc = buf_puts(&out->when, "…\n");
			break;
		}
		rc = feed_time_line(&out->when, &fs, lang);
		rc = rc ? rc : buf_puts(&out->when, "\n");
	}
	if (!rc && place) {
		struct buf w;
		const char *parts[] = {place->venue_name, place->room_name, place->venue_address,
				       place->venue_city};

		buf_init(&w, 1024);
		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && !rc; i++) {
			if (parts[i] && *parts[i])
				rc = buf_printf(&w, "%s%s", w.len ? ", " : "", parts[i]);
		}
		out->where = w.len && !rc ? buf_steal(&w) : NULL;
		buf_free(&w);
	}
	if (rc || !out->title) {
		store_feed_rows_free(rows, n);
		outbox_summary_free(out);
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory summarising an event");
	}
	/* the calendar from the same rows: every session, whichever the summary shows */
	rc = ics ? feeds_render_event_rows(cfg, rows, n, lang, now, ics, err) : DOM_OK;
	store_feed_rows_free(rows, n);
	if (rc)
		outbox_summary_free(out);
	return rc;
}

/* Whether a message of kind carries the event's calendar: only when the recipient takes part, or when
 * their calendar must learn of a change (a new time, a cancellation). */
static bool outbox_wants_calendar(const char *kind)
{
	static const char *const kinds[] = {"registration.confirmed", "registration.promoted",
					    "event.changed",	      "event.cancelled",
					    "session.time_changed",   NULL};

	for (int i = 0; kinds[i]; i++) {
		if (!strcmp(kind, kinds[i]))
			return true;
	}
	return false;
}

/* The personal link of m: the sealed one from the payload; for a re-sent link (m->new_hash set to its hash)
 * the one an earlier try sealed in the row, else a new token, sealed into m->link_sealed for the next tries
 * (NULL without a key: each try then makes its own). Returns 0, or -1 (out of memory, RNG). */
static int outbox_link(const struct config *cfg, struct json_object *payload, struct outbox_msg *m)
{
	const char *sealed = outbox_str(payload, "link_sealed");
	bool resent = !strcmp(m->kind, "registration.link_resent") && m->registration_id > 0;
	char base[300], token[SECRET_TOKEN_LEN + 1], *plain = NULL;
	size_t len;

	if (sealed && cfg->link_key[0]) {
		plain = secret_open(cfg->link_key, sealed);
		if (!plain || !secret_token_valid(plain)) {
			log_warn("outbox %lld: its sealed link does not open (key changed?); %s",
				 (long long)m->id, resent ? "a new one is made" : "sent without it");
			if (plain)
				secret_wipe(plain, strlen(plain));
			free(plain);
			plain = NULL;
		}
	}
	if (!plain && resent) {
		if (secret_token_new(token))
			return -1;
		plain = strdup(token);
		secret_wipe(token, sizeof(token));
		if (!plain)
			return -1;
		m->link_sealed = outbox_seal_link(cfg->link_key, plain);
		if (!m->link_sealed && cfg->link_key[0]) {
			secret_wipe(plain, strlen(plain));
			free(plain);
			return -1;
		}
	}
	if (!plain)
		return 0;
	if (resent)
		secret_hash(plain, strlen(plain), m->new_hash);
	config_base_url(cfg, base, sizeof(base));
	len = strlen(base) + strlen(plain) + 4;
	m->link = malloc(len);
	if (m->link)
		snprintf(m->link, len, "%s/r/%s", base, plain);
	secret_wipe(plain, strlen(plain));
	free(plain);
	return m->link ? 0 : -1;
}

/* A store failure while preparing: STORE_NOT_FOUND means the message can never be delivered
 * (DOM_UNPROCESSABLE with gone as the reason); anything else is the store's error. */
static int outbox_store_rc(struct dom_err *err, int rc, const char *what, const char *gone)
{
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_UNPROCESSABLE, NULL, "%s", gone);
	return dom_from_store(err, rc, what);
}

/* Appends the change-log row kind ("notification.<...>") of m's row, inside the caller's transaction: topic
 * "outbox:<id>", the event's organisation. Returns 0 or a negative store_rc. */
static int outbox_changelog(struct db *db, const struct outbox_msg *m, const char *kind, int64_t now,
			    int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[40];
	int rc;

	jsonx_add_int(payload, "outbox_id", m->id);
	jsonx_add_str(payload, "kind", m->kind);
	if (m->event_id > 0)
		jsonx_add_int(payload, "event_id", m->event_id);
	if (m->registration_id > 0)
		jsonx_add_int(payload, "registration_id", m->registration_id);
	snprintf(topic, sizeof(topic), "outbox:%lld", (long long)m->id);
	/* a notification about no event is seen by admins only, live too */
	rc = db_changelog(db, topic, kind, m->org_id > 0 ? m->org_id : DB_ORG_ADMINS, payload, now, seq);
	json_object_put(payload);
	return rc;
}

/* Before a message carrying a new personal link is sent: makes that link work (the registration's pending
 * link, beside its current one) and keeps it sealed in the row for the next tries, in one transaction with
 * the change-log row "notification.link_ready". DOM_OK; DOM_NOT_FOUND when the row is no longer to be sent;
 * DOM_UNPROCESSABLE when the registration is gone or its person erased since m was prepared; or
 * DOM_BUSY/DOM_INTERNAL. */
static int outbox_link_ready(struct db *db, const struct outbox_msg *m, int64_t now, struct dom_err *err)
{
	int rc = db_begin(db);

	if (rc)
		return dom_from_store(err, rc, "outbox");
	rc = store_outbox_keep_link(db, m->id, m->link_sealed);
	if (rc == STORE_NOT_FOUND) {
		db_rollback(db);
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no longer to be sent");
	}
	rc = rc ? rc : store_outbox_link_pending(db, m->registration_id, m->new_hash);
	if (rc == STORE_NOT_FOUND) {
		db_rollback(db);
		return dom_fail(err, DOM_UNPROCESSABLE, NULL,
				"the registration no longer exists or its person was erased");
	}
	rc = rc ? rc : outbox_changelog(db, m, "notification.link_ready", now, NULL);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "outbox");
	}
	return DOM_OK;
}

/* Fills m from row. DOM_OK; DOM_UNPROCESSABLE with err set when the row can never be delivered; or
 * another code. */
static int outbox_prepare(struct db *db, const struct config *cfg, int64_t now,
			  const struct store_outbox_due_row *row, struct outbox_msg *m, struct dom_err *err)
{
	struct json_object *payload = NULL;
	struct person_row person = {0};
	const char *channel = row->channel, *text = row->payload;
	const char *email, *name, *name_ar, *lang;
	char visibility[16];
	bool partner = false;
	int rc;

	m->id = row->id;
	m->attempts = row->attempts;
	snprintf(m->kind, sizeof(m->kind), "%s", row->kind ? row->kind : "");
	buf_init(&m->ics, 4 * 1024 * 1024);
	/* the ids first: a give-up needs them (a link mail's pending link is dropped) */
	payload = text ? json_tokener_parse(text) : NULL;
	if (payload && json_object_is_type(payload, json_type_object)) {
		m->event_id = outbox_int(payload, "event_id");
		m->session_id = outbox_int(payload, "session_id");
		m->registration_id = outbox_int(payload, "registration_id");
	}
	if (row->created_at < now - OUTBOX_MAX_AGE_S) {
		rc = dom_fail(err, DOM_UNPROCESSABLE, NULL, "not sent within %d days of the change",
			      OUTBOX_MAX_AGE_S / 86400);
		goto out;
	}
	if (!channel || strcmp(channel, "email")) {
		rc = dom_fail(err, DOM_UNPROCESSABLE, NULL, "channel '%s' is not delivered",
			      channel ? channel : "?");
		goto out;
	}
	if (!payload || !json_object_is_type(payload, json_type_object)) {
		rc = dom_fail(err, DOM_UNPROCESSABLE, NULL, "payload is not a JSON object");
		goto out;
	}
	rc = store_person_get(db, row->person_id, &person);
	if (rc) {
		rc = outbox_store_rc(err, rc, "person", "the recipient no longer exists");
		goto out;
	}
	email = person.email;
	if (person.erased_at) {
		rc = dom_fail(err, DOM_UNPROCESSABLE, NULL, "the recipient's data was erased");
		goto out;
	}
	if (!email || !text_is_email(email)) {
		rc = dom_fail(err, DOM_UNPROCESSABLE, NULL, "the recipient has no e-mail address");
		goto out;
	}
	lang = outbox_str(payload, "lang");
	if (!lang || feed_lang_parse(lang, &m->lang))
		lang = person.lang;
	if (!lang || feed_lang_parse(lang, &m->lang))
		m->lang = FEED_LANG_FR;
	name = person.name;
	name_ar = person.name_ar;
	m->to = strdup(email);
	m->to_name = strdup(m->lang == FEED_LANG_AR && name_ar && *name_ar ? name_ar : name ? name : "");
	if (!m->to || !m->to_name) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "out of memory preparing a message");
		goto out;
	}
	if (m->event_id <= 0) {
		rc = dom_fail(err, DOM_UNPROCESSABLE, NULL, "kind '%s' names no event", m->kind);
		goto out;
	}
	rc = store_feeds_event_access(db, m->event_id, 0, visibility, &m->org_id, &partner);
	if (rc) {
		rc = outbox_store_rc(err, rc, "event", "the event no longer exists");
		goto out;
	}
	rc = outbox_event_summary(db, cfg, m->event_id,
				  !strcmp(m->kind, "session.time_changed") ? m->session_id : 0, m->lang, now,
				  &m->event, outbox_wants_calendar(m->kind) ? &m->ics : NULL, err);
	if (rc == DOM_NOT_FOUND)
		rc = dom_fail(err, DOM_UNPROCESSABLE, NULL, "the event has no session left");
	if (rc)
		goto out;
	if (outbox_link(cfg, payload, m)) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "could not make the personal link");
		goto out;
	}
	rc = DOM_OK;
out:
	json_object_put(payload);
	person_row_clear(&person);
	return rc;
}

int outbox_take(struct db *db, const struct config *cfg, int64_t now, struct outbox_msg *m,
		struct dom_err *err)
{
	for (;;) {
		struct store_outbox_due_row *rows = NULL;
		struct dom_err why;
		size_t n = 0;
		int rc;

		memset(m, 0, sizeof(*m));
		rc = store_outbox_due(db, now, 1, &rows, &n);
		if (rc)
			return dom_from_store(err, rc, "outbox");
		if (!n) {
			store_outbox_due_rows_free(rows, n);
			return dom_fail(err, DOM_NOT_FOUND, NULL, "nothing is due");
		}
		rc = outbox_prepare(db, cfg, now, &rows[0], m, &why);
		store_outbox_due_rows_free(rows, n);
		if (rc == DOM_OK && m->new_hash[0]) {
			rc = outbox_link_ready(db, m, now, &why);
			if (rc == DOM_NOT_FOUND) { /* given up meanwhile (housekeeping): the next row */
				outbox_msg_free(m);
				continue;
			}
		}
		if (rc == DOM_OK)
			return DOM_OK;
		if (rc != DOM_UNPROCESSABLE) {
			outbox_msg_free(m);
			*err = why;
			return rc;
		}
		rc = outbox_settle(db, m, now, OUTBOX_REFUSED, why.message, NULL, err);
		log_notice("outbox %lld (%s) given up: %s", (long long)m->id, m->kind, why.message);
		outbox_msg_free(m);
		if (rc)
			return rc;
	}
}

int outbox_settle(struct db *db, const struct outbox_msg *m, int64_t now, enum outbox_outcome outcome,
		  const char *error, int64_t *seq, struct dom_err *err)
{
	char reason[300];
	const char *kind;
	int rc;

	if (outcome == OUTBOX_RETRY && m->attempts + 1 >= OUTBOX_MAX_ATTEMPTS) {
		snprintf(reason, sizeof(reason), "given up after %d attempts: %s", OUTBOX_MAX_ATTEMPTS,
			 error ? error : "?");
		outcome = OUTBOX_REFUSED;
		error = reason;
	}
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "outbox");
	switch (outcome) {
	case OUTBOX_SENT:
		kind = "notification.sent";
		rc = store_outbox_finish(db, m->id, now, NULL);
		/* the new link replaces the old one, unless it was dropped meanwhile (the person erased) */
		if (!rc && m->new_hash[0] && m->registration_id > 0) {
			rc = store_outbox_link_promote(db, m->registration_id, m->new_hash);
			rc = rc == STORE_NOT_FOUND ? STORE_OK : rc;
		}
		break;
	case OUTBOX_RETRY:
		kind = "notification.retry";
		rc =
		    store_outbox_retry(db, m->id, now + outbox_backoff(m->attempts + 1), error ? error : "?");
		break;
	default:
		kind = "notification.failed";
		rc = store_outbox_finish(db, m->id, now, error ? error : "?");
		/* a link mail given up: its new link never works (any an earlier try left, when given up
		 * before it was prepared again), the old one goes on */
		if (!rc && !strcmp(m->kind, "registration.link_resent") && m->registration_id > 0) {
			rc = store_outbox_link_drop(db, m->registration_id,
						    m->new_hash[0] ? m->new_hash : NULL);
			rc = rc == STORE_NOT_FOUND ? STORE_OK : rc;
		}
		break;
	}
	rc = rc ? rc : outbox_changelog(db, m, kind, now, seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "outbox");
	}
	return DOM_OK;
}

int outbox_next_due(struct db *db, int64_t *when, struct dom_err *err)
{
	int rc = store_outbox_next_due(db, when);

	return rc ? dom_from_store(err, rc, "outbox") : DOM_OK;
}

/* The organisation owning event_id into *org_id when p may see its notifications. */
static int outbox_event_org(struct db *db, const struct principal *p, int64_t event_id, int64_t *org_id,
			    struct dom_err *err)
{
	char visibility[16];
	bool partner = false;
	int rc;

	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only administrators and organisers see notifications");
	rc = store_feeds_event_access(db, event_id, p->org_id, visibility, org_id, &partner);
	if (rc)
		return dom_from_store(err, rc, "event");
	if (principal_sees_people_of(p, *org_id))
		return DOM_OK;
	/* an event p may not see answers as one that does not exist */
	if (strcmp(visibility, "public") && !partner)
		return dom_from_store(err, STORE_NOT_FOUND, "event");
	return dom_fail(
	    err, DOM_FORBIDDEN, NULL,
	    "only administrators and organisers of the event's organisation see its notifications");
}

/* Adds key: v when has, else null. */
static void outbox_add_opt(struct json_object *o, const char *key, bool has, int64_t v)
{
	if (has)
		jsonx_add_int(o, key, v);
	else
		jsonx_add_str(o, key, NULL);
}

/* The API's notification object from r: id, kind, registration_id, person_id, person_name, status,
 * attempts, last_error, created_at, next_attempt_at, sent_at, failed_at (null when unset). New reference. */
static struct json_object *outbox_render(const struct store_outbox_row *r)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", r->id);
	jsonx_add_str(o, "kind", r->kind);
	outbox_add_opt(o, "registration_id", r->has_registration_id, r->registration_id);
	outbox_add_opt(o, "person_id", r->person_id != 0, r->person_id);
	jsonx_add_str(o, "person_name", r->person_name);
	jsonx_add_str(o, "status", r->status);
	jsonx_add_int(o, "attempts", r->attempts);
	jsonx_add_str(o, "last_error", r->last_error);
	jsonx_add_int(o, "created_at", r->created_at);
	outbox_add_opt(o, "next_attempt_at", r->has_next_attempt_at, r->next_attempt_at);
	outbox_add_opt(o, "sent_at", r->has_sent_at, r->sent_at);
	outbox_add_opt(o, "failed_at", r->has_failed_at, r->failed_at);
	return o;
}

int outbox_list(struct db *db, const struct principal *p, int64_t event_id, const char *status, int64_t limit,
		int64_t offset, struct json_object **items, int64_t *total, struct dom_err *err)
{
	struct store_outbox_row *rows = NULL;
	int64_t org_id = 0;
	size_t n = 0;
	int rc;

	*items = NULL;
	*total = 0;
	if (status && strcmp(status, "pending") && strcmp(status, "sent") && strcmp(status, "failed"))
		return dom_fail(err, DOM_INVALID, "invalid_query", "status must be pending, sent or failed");
	rc = outbox_event_org(db, p, event_id, &org_id, err);
	if (rc)
		return rc;
	rc = store_outbox_list(db, event_id, status, limit, offset, &rows, &n, total);
	if (rc)
		return dom_from_store(err, rc, "notifications");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, outbox_render(&rows[i]));
	store_outbox_rows_free(rows, n);
	return DOM_OK;
}

/* Whether p may have notification id sent again: DOM_OK with *event_id and *org_id (its event and that
 * event's organisation), else the refusal. */
static int outbox_resend_rights(struct db *db, const struct principal *p, int64_t id, int64_t *event_id,
				int64_t *org_id, struct dom_err *err)
{
	int rc;

	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER) /* before any lookup: for every id alike */
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only administrators and organisers see notifications");
	rc = store_outbox_event_of(db, id, event_id);
	if (rc == STORE_NOT_FOUND || (!rc && *event_id <= 0))
		return dom_fail(err, DOM_NOT_FOUND, NULL, "notification not found");
	if (rc)
		return dom_from_store(err, rc, "notification");
	rc = outbox_event_org(db, p, *event_id, org_id, err);
	/* a notification is seen only by who manages its event: to anyone else it does not exist */
	if (rc == DOM_NOT_FOUND ||
	    (rc == DOM_FORBIDDEN && (p->role == ROLE_ADMIN || p->role == ROLE_ORGANISER)))
		return dom_fail(err, DOM_NOT_FOUND, NULL, "notification not found");
	return rc;
}

int outbox_resendable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err)
{
	int64_t event_id = 0, org_id = 0;

	return outbox_resend_rights(db, p, id, &event_id, &org_id, err);
}

int outbox_resend(struct db *db, const struct principal *p, int64_t id, int64_t now, struct json_object **out,
		  int64_t *seq, struct dom_err *err)
{
	struct store_outbox_row row;
	struct json_object *payload;
	int64_t event_id = 0, org_id = 0, new_id = 0;
	char topic[40];
	int rc;

	*out = NULL;
	rc = outbox_resend_rights(db, p, id, &event_id, &org_id, err);
	if (rc)
		return rc;
	rc = db_begin(db);
	rc = rc ? rc : store_outbox_copy(db, id, now, &new_id);
	if (!rc) {
		payload = json_object_new_object();
		jsonx_add_int(payload, "outbox_id", new_id);
		jsonx_add_int(payload, "copy_of", id);
		jsonx_add_int(payload, "event_id", event_id);
		snprintf(topic, sizeof(topic), "outbox:%lld", (long long)new_id);
		rc = db_changelog(db, topic, "notification.requeued", org_id, payload, now, seq);
		json_object_put(payload);
	}
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "notification");
	}
	rc = store_outbox_get(db, new_id, &row);
	if (rc)
		return dom_from_store(err, rc, "notification");
	*out = outbox_render(&row);
	store_outbox_row_clear(&row);
	return DOM_OK;
}
