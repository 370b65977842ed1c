/*
 * feeds: chooses what each calendar feed shows and who may see it, names it by a key, and turns store rows
 * into calendar/feed structs to render; it must not cache, speak HTTP, log token values, or put personal
 * data into public or organisation feeds.
 */
#include "domain/feeds.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/events.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_feeds.h"
#include "store/store_people.h"
#include "store/store_registrations.h"
#include "util/buf.h"
#include "util/secret.h"
#include "util/text.h"

#define FEEDS_NAME_MAX 512
#define FEEDS_SEP      "\x1f" /* key separator: validated query texts never hold control characters */

static enum feed_status feeds_status(const char *s)
{
	if (s && !strcmp(s, "cancelled"))
		return FEED_STATUS_CANCELLED;
	if (s && !strcmp(s, "postponed"))
		return FEED_STATUS_TENTATIVE;
	return FEED_STATUS_CONFIRMED;
}

/* Participation of a registration: confirmed -> ACCEPTED, pending (awaiting approval) -> TENTATIVE,
 * waitlisted -> NEEDS-ACTION, declined -> DECLINED. */
static enum feed_partstat feeds_partstat(const char *s)
{
	if (s && (!strcmp(s, "confirmed") || !strcmp(s, "facilitator")))
		return FEED_PART_ACCEPTED;
	if (s && !strcmp(s, "pending"))
		return FEED_PART_TENTATIVE;
	if (s && !strcmp(s, "declined"))
		return FEED_PART_DECLINED;
	return FEED_PART_NEEDS_ACTION;
}

void feeds_session_of(const struct store_feed_row *row, struct feed_session *s)
{
	int64_t su = row->session_updated_at, eu = row->event_updated_at;

	memset(s, 0, sizeof(*s));
	s->id = row->session_id;
	s->event_id = row->event_id;
	for (int i = 0; i < FEED_N_LANGS; i++) {
		s->title[i] = row->title[i];
		s->description[i] = row->description[i];
	}
	s->session_title = row->session_title;
	s->event_type = row->type;
	s->start_utc = row->start_utc;
	s->end_utc = row->end_utc;
	s->starts_local = row->starts_local;
	s->start_offset = (int32_t)row->start_offset;
	s->tz = row->tz;
	s->status = feeds_status(row->status);
	s->sequence = row->event_sequence + row->session_sequence;
	s->last_modified = su > eu ? su : eu;
	s->venue_name = row->venue_name;
	s->room_name = row->room_name;
	s->venue_address = row->venue_address;
	s->venue_city = row->venue_city;
	s->has_geo = row->has_latitude && row->has_longitude;
	if (s->has_geo) {
		s->latitude = row->latitude;
		s->longitude = row->longitude;
	}
	s->url = row->url;
	s->org_name = row->org_name;
	s->org_email = row->org_email;
}

/* Renders the n rows (store_feeds session rows) as a calendar named name. person: the feed owner's
 * attendee template (name, email, id) whose PARTSTAT comes from each row's registration_status (a row
 * without one keeps the template's); NULL for feeds that must carry no participant data. */
static int feeds_render_rows(const struct config *cfg, const struct store_feed_row *rows, size_t n,
			     const char *name, const struct feed_attendee *person, enum feed_lang lang,
			     int64_t now, struct buf *out, struct dom_err *err)
{
	struct feed_session *sessions = calloc(n ? n : 1, sizeof(*sessions));
	struct feed_attendee *att = person ? calloc(n ? n : 1, sizeof(*att)) : NULL;
	struct feed_calendar cal;
	int rc;

	if (!sessions || (person && !att)) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "out of memory rendering a feed");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		feeds_session_of(&rows[i], &sessions[i]);
		if (person) {
			att[i] = *person;
			if (rows[i].registration_status)
				att[i].partstat = feeds_partstat(rows[i].registration_status);
			sessions[i].attendee = &att[i];
		}
	}
	memset(&cal, 0, sizeof(cal));
	cal.name = name;
	cal.lang = lang;
	cal.uid_domain = cfg->calendar_domain;
	cal.public_url = cfg->public_url;
	cal.now = now;
	cal.sessions = sessions;
	cal.n_sessions = n;
	rc = feed_render(&cal, out) ? dom_fail(err, DOM_INTERNAL, NULL, "the feed could not be rendered")
				    : DOM_OK;
out:
	free(sessions);
	free(att);
	return rc;
}

/* The window every listing feed uses. */
static void feeds_window(struct store_feed_query *q, int64_t now)
{
	q->from_utc = now - FEEDS_WINDOW_PAST;
	q->cancelled_since = now - FEEDS_CANCELLED_KEEP;
	q->limit = FEEDS_MAX_SESSIONS;
}

/* "Majlis — " + text. */
static void feeds_name(char *out, size_t outlen, const char *text)
{
	snprintf(out, outlen, "Majlis — %s", text && *text ? text : "?");
}

static int feeds_render_public(struct db *db, const struct config *cfg, const struct feeds_filter *f,
			       enum feed_lang lang, int64_t now, struct buf *out, struct dom_err *err)
{
	static const char *const names[FEED_N_LANGS] = {"agenda public", "الأجندة العامة", "public calendar"};
	struct store_feed_query q = {0};
	struct store_feed_row *rows = NULL;
	char name[FEEDS_NAME_MAX];
	size_t n = 0;
	int rc;

	feeds_window(&q, now);
	q.city = f->city;
	q.type = f->type;
	q.org_id = f->org_id;
	rc = store_feeds_public(db, &q, &rows, &n);
	if (rc)
		return dom_from_store(err, rc, "feed");
	feeds_name(name, sizeof(name), names[lang]);
	rc = feeds_render_rows(cfg, rows, n, name, NULL, lang, now, out, err);
	store_feed_rows_free(rows, n);
	return rc;
}

/* Writes "kind SEP lang SEP city SEP type SEP org" into key (the public feed's cache key; what snprintf
 * would write, without its cost on every revalidation). Returns the length, or -1 when it does not fit. */
static int feeds_key(char *key, size_t size, const char *kind, const char *lang, const char *city,
		     const char *type, int64_t org)
{
	const char *parts[] = {kind, lang, city, type};
	char num[24];
	size_t n = 0, l;
	int k = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		l = strlen(parts[i]);
		if (n + l + 1 >= size)
			return -1;
		memcpy(key + n, parts[i], l);
		n += l;
		key[n++] = FEEDS_SEP[0];
	}
	if (org < 0)
		return -1;
	do { /* digits of org, reversed */
		num[k++] = (char)('0' + org % 10);
		org /= 10;
	} while (org);
	if (n + (size_t)k >= size)
		return -1;
	while (k)
		key[n++] = num[--k];
	key[n] = '\0';
	return (int)n;
}

int feeds_public(const struct feeds_filter *f, enum feed_lang lang, struct feeds_ref *out,
		 struct dom_err *err)
{
	int n;

	memset(out, 0, sizeof(*out));
	if (f->type && !events_type_valid(f->type)) /* refused, not matching nothing */
		return dom_fail(err, DOM_INVALID, "invalid_query",
				"type must be one of training, workshop, concertation");
	n = feeds_key(out->key, sizeof(out->key), "public", feed_lang_name(lang), f->city ? f->city : "",
		      f->type ? f->type : "", f->org_id);
	if (n < 0)
		return dom_fail(err, DOM_INVALID, "invalid_query", "the filters are too long");
	out->kind = FEEDS_PUBLIC;
	out->filter = *f;
	out->lang = lang;
	return DOM_OK;
}

const char *feeds_event_title(const struct store_feed_row *row, enum feed_lang lang)
{
	static const int order[FEED_N_LANGS][FEED_N_LANGS] = {
	    [FEED_LANG_FR] = {FEED_LANG_FR, FEED_LANG_EN, FEED_LANG_AR},
	    [FEED_LANG_AR] = {FEED_LANG_AR, FEED_LANG_FR, FEED_LANG_EN},
	    [FEED_LANG_EN] = {FEED_LANG_EN, FEED_LANG_FR, FEED_LANG_AR},
	};

	for (int i = 0; row && i < FEED_N_LANGS; i++) {
		const char *v = row->title[order[lang][i]];

		if (v && *v)
			return v;
	}
	return NULL;
}

int feeds_render_event_rows(const struct config *cfg, const struct store_feed_row *rows, size_t n,
			    enum feed_lang lang, int64_t now, struct buf *out, struct dom_err *err)
{
	char name[FEEDS_NAME_MAX];

	feeds_name(name, sizeof(name), feeds_event_title(n ? &rows[0] : NULL, lang));
	return feeds_render_rows(cfg, rows, n, name, NULL, lang, now, out, err);
}

static int feeds_render_event(struct db *db, const struct config *cfg, int64_t event_id, enum feed_lang lang,
			      int64_t now, struct buf *out, struct dom_err *err)
{
	struct store_feed_row *rows = NULL;
	size_t n = 0;
	int rc;

	rc = store_feeds_event(db, event_id, FEEDS_MAX_SESSIONS, &rows, &n);
	if (rc)
		return dom_from_store(err, rc, "event");
	rc = feeds_render_event_rows(cfg, rows, n, lang, now, out, err);
	store_feed_rows_free(rows, n);
	return rc;
}

int feeds_event(struct db *db, const struct principal *p, int64_t event_id, enum feed_lang lang,
		struct feeds_ref *out, struct dom_err *err)
{
	char visibility[16];
	int64_t owner = 0;
	bool partner = false;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_feeds_event_access(db, event_id, p->role == ROLE_ORGANISER ? p->org_id : 0, visibility,
				      &owner, &partner);
	if (rc)
		return dom_from_store(err, rc, "event");
	if (strcmp(visibility, "public") && !principal_manages_org(p, owner) &&
	    !(p->role == ROLE_ORGANISER && partner))
		return dom_fail(err, DOM_NOT_FOUND, NULL, "event not found");
	snprintf(out->key, sizeof(out->key), "event" FEEDS_SEP "%lld" FEEDS_SEP "%s", (long long)event_id,
		 feed_lang_name(lang));
	out->kind = FEEDS_EVENT;
	out->id = event_id;
	out->lang = lang;
	return DOM_OK;
}

static int feeds_render_org(struct db *db, const struct config *cfg, int64_t org_id, enum feed_lang lang,
			    int64_t now, struct buf *out, struct dom_err *err)
{
	struct store_feed_query q = {0};
	struct store_feed_row *rows = NULL;
	char org[256], name[FEEDS_NAME_MAX];
	size_t n = 0;
	int rc;

	rc = store_feeds_org_name(db, org_id, org, sizeof(org));
	if (rc)
		return dom_from_store(err, rc, "organisation");
	feeds_window(&q, now);
	rc = store_feeds_org(db, org_id, &q, &rows, &n);
	if (rc)
		return dom_from_store(err, rc, "feed");
	feeds_name(name, sizeof(name), org);
	rc = feeds_render_rows(cfg, rows, n, name, NULL, lang, now, out, err);
	store_feed_rows_free(rows, n);
	return rc;
}

static int feeds_render_person(struct db *db, const struct config *cfg, int64_t person_id,
			       enum feed_lang lang, int64_t now, struct buf *out, struct dom_err *err)
{
	static const char *const names[FEED_N_LANGS] = {"mon agenda", "أجندتي", "my calendar"};
	struct store_feed_query q = {0};
	struct store_feed_row *rows = NULL;
	struct person_row person;
	struct feed_attendee a;
	const char *cn;
	char name[FEEDS_NAME_MAX];
	size_t n = 0;
	int rc;

	rc = store_person_get(db, person_id, &person);
	if (rc)
		return dom_from_store(err, rc, "person");
	feeds_window(&q, now);
	rc = store_feeds_person(db, person_id, &q, &rows, &n);
	if (rc) {
		rc = dom_from_store(err, rc, "feed");
		goto out;
	}
	memset(&a, 0, sizeof(a));
	cn = lang == FEED_LANG_AR ? person.name_ar : NULL;
	a.name = cn && *cn ? cn : person.name;
	a.email = person.email;
	a.person_id = person_id;
	feeds_name(name, sizeof(name), names[lang]);
	rc = feeds_render_rows(cfg, rows, n, name, &a, lang, now, out, err);
out:
	store_feed_rows_free(rows, n);
	person_row_clear(&person);
	return rc;
}

void feeds_registration(int64_t reg_id, enum feed_lang lang, struct feeds_ref *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->key, sizeof(out->key), "registration" FEEDS_SEP "%lld" FEEDS_SEP "%s",
		 (long long)reg_id, feed_lang_name(lang));
	out->kind = FEEDS_REGISTRATION;
	out->id = reg_id;
	out->lang = lang;
}

/* One registration's calendar: its event's sessions, its person as ATTENDEE with the registration's status
 * (a registration that holds no place any more: DECLINED). An erased person is DOM_NOT_FOUND. */
static int feeds_render_registration(struct db *db, const struct config *cfg, int64_t reg_id,
				     enum feed_lang lang, int64_t now, struct buf *out, struct dom_err *err)
{
	struct store_feed_row *rows = NULL;
	struct person_row person;
	struct feed_attendee a;
	struct store_reg r;
	char name[FEEDS_NAME_MAX];
	const char *cn;
	size_t n = 0;
	int rc;

	rc = store_reg_get(db, reg_id, &r);
	if (rc)
		return dom_from_store(err, rc, "registration");
	rc = store_person_get(db, r.person_id, &person);
	if (rc)
		return dom_from_store(err, rc, "registration");
	if (person.erased_at) {
		rc = dom_fail(err, DOM_NOT_FOUND, NULL, "no registration for this link");
		goto out;
	}
	rc = store_feeds_event(db, r.event_id, FEEDS_MAX_SESSIONS, &rows, &n);
	if (rc) {
		rc = dom_from_store(err, rc, "event");
		goto out;
	}
	memset(&a, 0, sizeof(a));
	cn = lang == FEED_LANG_AR ? person.name_ar : NULL;
	a.name = cn && *cn ? cn : person.name;
	a.email = person.email;
	a.person_id = r.person_id;
	a.partstat = !strcmp(r.status, "cancelled") || !strcmp(r.status, "rejected")
			 ? FEED_PART_DECLINED
			 : feeds_partstat(r.status);
	feeds_name(name, sizeof(name), feeds_event_title(n ? &rows[0] : NULL, lang));
	rc = feeds_render_rows(cfg, rows, n, name, &a, lang, now, out, err);
out:
	store_feed_rows_free(rows, n);
	person_row_clear(&person);
	return rc;
}

int feeds_by_token(struct db *db, const char *token, bool has_lang, enum feed_lang lang,
		   struct feeds_ref *out, struct dom_err *err)
{
	char hash[SECRET_HASH_LEN + 1];
	struct store_calendar_token t;
	struct person_row person;
	enum feeds_kind kind;
	int rc;

	memset(out, 0, sizeof(*out));
	secret_hash(token, strlen(token), hash);
	rc = store_calendar_token_by_hash(db, hash, &t);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no such calendar feed");
	if (rc)
		return dom_from_store(err, rc, "calendar feed");
	if (!strcmp(t.owner_kind, "organisation")) {
		kind = FEEDS_ORG;
	} else if (!strcmp(t.owner_kind, "person")) {
		rc = store_person_get(db, t.owner_id, &person);
		if (rc == STORE_NOT_FOUND || (!rc && person.erased_at))
			rc = dom_fail(err, DOM_NOT_FOUND, NULL, "no such calendar feed");
		else if (rc)
			rc = dom_from_store(err, rc, "calendar feed");
		else if (!has_lang && feed_lang_parse(person.lang, &lang))
			lang = FEED_LANG_FR;
		person_row_clear(&person);
		if (rc)
			return rc;
		kind = FEEDS_PERSON;
	} else {
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no such calendar feed");
	}
	snprintf(out->key, sizeof(out->key), "%s" FEEDS_SEP "%lld" FEEDS_SEP "%s", t.owner_kind,
		 (long long)t.owner_id, feed_lang_name(lang));
	out->kind = kind;
	out->id = t.owner_id;
	out->lang = lang;
	return DOM_OK;
}

int feeds_render(struct db *db, const struct config *cfg, const struct feeds_ref *ref, int64_t now,
		 struct buf *out, struct dom_err *err)
{
	switch (ref->kind) {
	case FEEDS_PUBLIC:
		return feeds_render_public(db, cfg, &ref->filter, ref->lang, now, out, err);
	case FEEDS_EVENT:
		return feeds_render_event(db, cfg, ref->id, ref->lang, now, out, err);
	case FEEDS_ORG:
		return feeds_render_org(db, cfg, ref->id, ref->lang, now, out, err);
	case FEEDS_PERSON:
		return feeds_render_person(db, cfg, ref->id, ref->lang, now, out, err);
	case FEEDS_REGISTRATION:
		return feeds_render_registration(db, cfg, ref->id, ref->lang, now, out, err);
	}
	return dom_fail(err, DOM_INTERNAL, NULL, "no such feed kind");
}

int feeds_position(struct db *db, int64_t *seq, struct dom_err *err)
{
	int rc = db_changelog_head(db, seq);

	return rc ? dom_from_store(err, rc, "change log") : DOM_OK;
}
