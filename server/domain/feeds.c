/*
 * feeds: chooses what each calendar feed shows, turns store rows into calendar/feed structs, caches the
 * rendered bytes per (feed, filters or owner, language) against the change-log position, and manages the
 * secret calendar tokens; it must not speak HTTP, log token values, or put personal data into public or
 * organisation feeds.
 */
#include "domain/feeds.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/events.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_feeds.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/memfile.h"
#include "util/text.h"

#define FEEDS_KEY_MAX  400
#define FEEDS_BODY_MAX (32 * 1024 * 1024)
#define FEEDS_NAME_MAX 512
#define FEEDS_SEP      "\x1f" /* key separator: validated query texts never hold control characters */
#define FEEDS_HEADROOM 32     /* >= LWS_PRE (16 in lws 4.1): bytes in front of a feed's text */

struct feed_blob {
	int refs; /* the cache's reference plus one per response being written */
	int64_t last_modified;
	char etag[FEEDS_ETAG_LEN];
	char content_hash[SECRET_HASH_LEN + 1]; /* hash of the body without DTSTAMP lines */
	size_t len;
	/* FEEDS_HEADROOM zero bytes, the len bytes of the feed, a NUL: sealed, so that the transport may send
	 * them with sendfile(), or hand them to a library wanting headroom, without copying them */
	struct memfile file;
};

/* One cached feed. Lives in the cache; service thread only. */
struct feeds_entry {
	char key[FEEDS_KEY_MAX];
	int64_t seq;		/* change-log position the rendering saw (read before rendering) */
	int64_t rendered_at;	/* last time it was rendered or found unchanged */
	uint64_t used;		/* LRU clock */
	struct feed_blob *blob; /* NULL: free slot */
};

struct feed_cache {
	struct feeds_entry entries[FEEDS_CACHE_MAX];
	uint64_t clock;
	int64_t seq;	/* change-log position read in this service pass, valid while seq_known */
	bool seq_known; /* cleared at each pass and by each commit of this process (feeds_changed) */
	bool passes;	/* feeds_pass_begin was called: without passes (tests, tools) seq is never kept */
};

/* The one cache of the process; static so that its entries stay reachable until dropped. */
static struct feed_cache feeds_the_cache;

/* A renderer: writes the iCalendar text of one feed into out. Returns DOM_OK or a dom_code (err set). */
typedef int (*feeds_render_fn)(struct db *db, const struct config *cfg, const void *ctx, enum feed_lang lang,
			       int64_t now, struct buf *out, struct dom_err *err);

struct feed_cache *feeds_cache(void)
{
	return &feeds_the_cache;
}

void feeds_blob_release(void *blob)
{
	struct feed_blob *b = blob;

	if (!b)
		return;
	if (--b->refs <= 0) {
		memfile_free(&b->file);
		free(b);
	}
}

static void feeds_entry_drop(struct feeds_entry *e)
{
	feeds_blob_release(e->blob);
	memset(e, 0, sizeof(*e));
}

void feeds_pass_begin(void)
{
	feeds_the_cache.seq_known = false;
	feeds_the_cache.passes = true;
}

void feeds_changed(int64_t seq)
{
	(void)seq;
	feeds_the_cache.seq_known = false;
}

/* The change-log position: read once per service pass (a pass handles many requests under load). */
static int feeds_seq(struct feed_cache *c, struct db *db, int64_t *seq)
{
	int rc;

	if (c->seq_known) {
		*seq = c->seq;
		return STORE_OK;
	}
	rc = db_changelog_head(db, seq);
	if (rc)
		return rc;
	c->seq = *seq;
	c->seq_known = c->passes;
	return STORE_OK;
}

void feeds_invalidate_all(void)
{
	for (size_t i = 0; i < FEEDS_CACHE_MAX; i++)
		feeds_entry_drop(&feeds_the_cache.entries[i]);
}

/* SHA-256 hex of text without its DTSTAMP lines (the generation time): equal hashes mean equal feeds. */
static void feeds_content_hash(const char *text, size_t len, char out[SECRET_HASH_LEN + 1])
{
	char *copy = malloc(len + 1);
	size_t o = 0;

	if (!copy) {
		secret_hash(text, len, out);
		return;
	}
	for (const char *p = text, *end = text + len; p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = e ? (size_t)(e - p) + 1 : (size_t)(end - p);

		if (n < 8 || memcmp(p, "DTSTAMP:", 8)) {
			memcpy(copy + o, p, n);
			o += n;
		}
		p += n;
	}
	secret_hash(copy, o, out);
	free(copy);
}

static struct feed_blob *feeds_blob_new(const struct buf *b)
{
	struct feed_blob *blob = calloc(1, sizeof(*blob));
	const char *data = b->data ? b->data : "";
	char hash[SECRET_HASH_LEN + 1];

	if (!blob)
		return NULL;
	if (memfile_create(&blob->file, "majlis-feed", FEEDS_HEADROOM, data, b->len)) {
		log_err("cannot keep a rendered feed: %s", strerror(errno));
		free(blob);
		return NULL;
	}
	blob->refs = 1;
	blob->len = b->len;
	secret_hash(data, blob->len, hash);
	snprintf(blob->etag, sizeof(blob->etag), "\"%.32s\"", hash);
	feeds_content_hash(data, blob->len, blob->content_hash);
	return blob;
}

/* The entry for key, or NULL. */
static struct feeds_entry *feeds_find(struct feed_cache *c, const char *key)
{
	for (size_t i = 0; i < FEEDS_CACHE_MAX; i++)
		if (c->entries[i].blob && !strcmp(c->entries[i].key, key))
			return &c->entries[i];
	return NULL;
}

/* A free slot, or the least recently used one emptied. */
static struct feeds_entry *feeds_slot(struct feed_cache *c)
{
	struct feeds_entry *victim = &c->entries[0];

	for (size_t i = 0; i < FEEDS_CACHE_MAX; i++) {
		struct feeds_entry *e = &c->entries[i];

		if (!e->blob)
			return e;
		if (e->used < victim->used)
			victim = e;
	}
	feeds_entry_drop(victim);
	return victim;
}

/*
 * The cached feed for key, rendered again by render(ctx) when the change log moved past the cached
 * rendering or it is older than FEEDS_MAX_AGE. A rendering whose content (DTSTAMP aside) equals the
 * cached one keeps the cached bytes, so validators only change with the content. On DOM_OK *out holds
 * a new reference.
 */
static int feeds_get(struct feed_cache *c, struct db *db, const struct config *cfg, const char *key,
		     feeds_render_fn render, const void *ctx, enum feed_lang lang, int64_t now,
		     struct feed_view *out, struct dom_err *err)
{
	struct feeds_entry *e;
	struct feed_blob *blob = NULL;
	struct buf b;
	int64_t seq = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&b, FEEDS_BODY_MAX);
	/* read the position before rendering: a change committed meanwhile makes the next request render */
	rc = feeds_seq(c, db, &seq);
	if (rc) {
		rc = dom_from_store(err, rc, "change log");
		goto out;
	}
	e = feeds_find(c, key);
	if (e && e->seq == seq && now >= e->rendered_at && now - e->rendered_at < FEEDS_MAX_AGE)
		goto hit;
	rc = render(db, cfg, ctx, lang, now, &b, err);
	if (rc)
		goto out;
	blob = feeds_blob_new(&b);
	if (!blob) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "out of memory rendering a feed");
		goto out;
	}
	if (e && !strcmp(e->blob->content_hash, blob->content_hash)) {
		feeds_blob_release(blob);
		blob = NULL;
	} else {
		blob->last_modified = now;
		if (e && e->blob->last_modified >= now)
			blob->last_modified = e->blob->last_modified + 1;
		if (!e) {
			e = feeds_slot(c);
			snprintf(e->key, sizeof(e->key), "%s", key);
		} else {
			feeds_blob_release(e->blob);
		}
		e->blob = blob;
		blob = NULL;
	}
	e->seq = seq;
	e->rendered_at = now;
hit:
	e->used = ++c->clock;
	e->blob->refs++;
	out->blob = e->blob;
	out->data = e->blob->file.map + FEEDS_HEADROOM;
	out->len = e->blob->len;
	out->etag = e->blob->etag;
	out->last_modified = e->blob->last_modified;
	out->headroom = FEEDS_HEADROOM;
	out->fd = e->blob->file.fd;
	rc = DOM_OK;
out:
	buf_free(&b);
	return rc;
}

/* Text of key in row, NULL when absent or null. */
static const char *feeds_str(struct json_object *row, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(row, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

static int64_t feeds_int(struct json_object *row, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(row, key, &v) || !v)
		return 0;
	return json_object_get_int64(v);
}

/* Whether key in row holds a number (GEO needs both coordinates). */
static bool feeds_num(struct json_object *row, const char *key, double *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(row, key, &v) || !v ||
	    !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

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

/* Fills s from a store row (strings borrowed from row). */
static void feeds_session_of(struct json_object *row, struct feed_session *s)
{
	static const char *const titles[FEED_N_LANGS] = {"title_fr", "title_ar", "title_en"};
	static const char *const descs[FEED_N_LANGS] = {"description_fr", "description_ar", "description_en"};
	int64_t su = feeds_int(row, "session_updated_at"), eu = feeds_int(row, "event_updated_at");

	memset(s, 0, sizeof(*s));
	s->id = feeds_int(row, "session_id");
	s->event_id = feeds_int(row, "event_id");
	for (int i = 0; i < FEED_N_LANGS; i++) {
		s->title[i] = feeds_str(row, titles[i]);
		s->description[i] = feeds_str(row, descs[i]);
	}
	s->session_title = feeds_str(row, "session_title");
	s->event_type = feeds_str(row, "type");
	s->start_utc = feeds_int(row, "start_utc");
	s->end_utc = feeds_int(row, "end_utc");
	s->starts_local = feeds_str(row, "starts_local");
	s->start_offset = (int32_t)feeds_int(row, "start_offset");
	s->tz = feeds_str(row, "tz");
	s->status = feeds_status(feeds_str(row, "status"));
	s->sequence = feeds_int(row, "event_sequence") + feeds_int(row, "session_sequence");
	s->last_modified = su > eu ? su : eu;
	s->venue_name = feeds_str(row, "venue_name");
	s->room_name = feeds_str(row, "room_name");
	s->venue_address = feeds_str(row, "venue_address");
	s->venue_city = feeds_str(row, "venue_city");
	s->has_geo = feeds_num(row, "latitude", &s->latitude) && feeds_num(row, "longitude", &s->longitude);
	s->url = feeds_str(row, "url");
	s->org_name = feeds_str(row, "org_name");
	s->org_email = feeds_str(row, "org_email");
}

/* Renders rows (store_feeds session rows) as a calendar named name. person: the feed owner's attendee
 * template (name, email, id) whose PARTSTAT comes from each row's registration_status; NULL for feeds
 * that must carry no participant data. */
static int feeds_render_rows(const struct config *cfg, struct json_object *rows, const char *name,
			     const struct feed_attendee *person, enum feed_lang lang, int64_t now,
			     struct buf *out, struct dom_err *err)
{
	size_t n = rows ? json_object_array_length(rows) : 0;
	struct feed_session *sessions = calloc(n ? n : 1, sizeof(*sessions));
	struct feed_attendee *att = person ? calloc(n ? n : 1, sizeof(*att)) : NULL;
	struct feed_calendar cal;
	int rc;

	if (!sessions || (person && !att)) {
		rc = dom_fail(err, DOM_INTERNAL, NULL, "out of memory rendering a feed");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *row = json_object_array_get_idx(rows, i);

		feeds_session_of(row, &sessions[i]);
		if (person) {
			att[i] = *person;
			att[i].partstat = feeds_partstat(feeds_str(row, "registration_status"));
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

static int feeds_render_public(struct db *db, const struct config *cfg, const void *ctx, enum feed_lang lang,
			       int64_t now, struct buf *out, struct dom_err *err)
{
	static const char *const names[FEED_N_LANGS] = {"agenda public", "الأجندة العامة", "public calendar"};
	const struct feeds_filter *f = ctx;
	struct store_feed_query q = {0};
	struct json_object *rows = NULL;
	char name[FEEDS_NAME_MAX];
	int rc;

	feeds_window(&q, now);
	q.city = f->city;
	q.type = f->type;
	q.org_id = f->org_id;
	rc = store_feeds_public(db, &q, &rows);
	if (rc)
		return dom_from_store(err, rc, "feed");
	feeds_name(name, sizeof(name), names[lang]);
	rc = feeds_render_rows(cfg, rows, name, NULL, lang, now, out, err);
	json_object_put(rows);
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

int feeds_public(struct feed_cache *c, struct db *db, const struct config *cfg, const struct feeds_filter *f,
		 enum feed_lang lang, int64_t now, struct feed_view *out, struct dom_err *err)
{
	char key[FEEDS_KEY_MAX];
	int n;

	memset(out, 0, sizeof(*out));
	if (f->type && !events_type_valid(f->type)) /* refused, not matching nothing */
		return dom_fail(err, DOM_INVALID, "invalid_query",
				"type must be one of training, workshop, concertation");
	n = feeds_key(key, sizeof(key), "public", feed_lang_name(lang), f->city ? f->city : "",
		      f->type ? f->type : "", f->org_id);
	if (n < 0)
		return dom_fail(err, DOM_INVALID, "invalid_query", "the filters are too long");
	return feeds_get(c, db, cfg, key, feeds_render_public, f, lang, now, out, err);
}

/* An event's title in lang, else in the others (the order of feed_fallback), from one of its session rows;
 * NULL when it has none. */
static const char *feeds_event_title(struct json_object *row, enum feed_lang lang)
{
	static const char *const keys[FEED_N_LANGS][FEED_N_LANGS] = {
	    [FEED_LANG_FR] = {"title_fr", "title_en", "title_ar"},
	    [FEED_LANG_AR] = {"title_ar", "title_fr", "title_en"},
	    [FEED_LANG_EN] = {"title_en", "title_fr", "title_ar"},
	};

	for (int i = 0; row && i < FEED_N_LANGS; i++) {
		const char *v = feeds_str(row, keys[lang][i]);

		if (v && *v)
			return v;
	}
	return NULL;
}

/* The calendar of one event from its session rows, named after it. */
static int feeds_render_event_rows(const struct config *cfg, struct json_object *rows, enum feed_lang lang,
				   int64_t now, struct buf *out, struct dom_err *err)
{
	struct json_object *first =
	    json_object_array_length(rows) ? json_object_array_get_idx(rows, 0) : NULL;
	char name[FEEDS_NAME_MAX];

	feeds_name(name, sizeof(name), feeds_event_title(first, lang));
	return feeds_render_rows(cfg, rows, name, NULL, lang, now, out, err);
}

static int feeds_render_event(struct db *db, const struct config *cfg, const void *ctx, enum feed_lang lang,
			      int64_t now, struct buf *out, struct dom_err *err)
{
	const int64_t *event_id = ctx;
	struct json_object *rows = NULL;
	int rc;

	rc = store_feeds_event(db, *event_id, FEEDS_MAX_SESSIONS, &rows);
	if (rc)
		return dom_from_store(err, rc, "event");
	rc = feeds_render_event_rows(cfg, rows, lang, now, out, err);
	json_object_put(rows);
	return rc;
}

void feeds_summary_free(struct feeds_summary *s)
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

/* Duplicate of the first of keys (in order) that row holds non-empty, or NULL. */
static char *feeds_first_dup(struct json_object *row, const char *const *keys, size_t n)
{
	for (size_t i = 0; row && i < n; i++) {
		const char *v = feeds_str(row, keys[i]);

		if (v && *v)
			return strdup(v);
	}
	return NULL;
}

int feeds_event_summary(struct db *db, const struct config *cfg, int64_t event_id, int64_t session_id,
			enum feed_lang lang, int64_t now, struct feeds_summary *out, struct buf *ics,
			struct dom_err *err)
{
	static const char *const org_keys[] = {"org_name"}, *const mail_keys[] = {"org_email"};
	const char *title;
	struct json_object *rows = NULL, *first, *place = NULL;
	size_t n, shown = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&out->when, FEEDS_SUMMARY_MAX);
	rc = store_feeds_event(db, event_id, FEEDS_MAX_SESSIONS, &rows);
	if (rc)
		return dom_from_store(err, rc, "event");
	n = json_object_array_length(rows);
	if (!n) {
		json_object_put(rows);
		return dom_fail(err, DOM_NOT_FOUND, NULL, "event not found");
	}
	first = json_object_array_get_idx(rows, 0);
	title = feeds_event_title(first, lang);
	out->title = title ? strdup(title) : NULL;
	out->org_name = feeds_first_dup(first, org_keys, 1);
	out->org_email = feeds_first_dup(first, mail_keys, 1);
	for (size_t i = 0; i < n && !rc; i++) {
		struct json_object *row = json_object_array_get_idx(rows, i);
		struct feed_session fs;

		feeds_session_of(row, &fs);
		if (session_id > 0 && fs.id != session_id)
			continue;
		if (!place)
			place = row;
		if (++shown > FEEDS_SUMMARY_SESSIONS) {
			rc = buf_puts(&out->when, "…\n");
			break;
		}
		rc = feed_time_line(&out->when, &fs, lang);
		rc = rc ? rc : buf_puts(&out->when, "\n");
	}
	if (!rc && place) {
		struct buf w;
		const char *parts[] = {feeds_str(place, "venue_name"), feeds_str(place, "room_name"),
				       feeds_str(place, "venue_address"), feeds_str(place, "venue_city")};

		buf_init(&w, 1024);
		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && !rc; i++) {
			if (parts[i] && *parts[i])
				rc = buf_printf(&w, "%s%s", w.len ? ", " : "", parts[i]);
		}
		out->where = w.len && !rc ? buf_steal(&w) : NULL;
		buf_free(&w);
	}
	if (rc || !out->title) {
		json_object_put(rows);
		feeds_summary_free(out);
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory summarising an event");
	}
	/* the calendar from the same rows: every session, whichever the summary shows */
	rc = ics ? feeds_render_event_rows(cfg, rows, lang, now, ics, err) : DOM_OK;
	json_object_put(rows);
	if (rc)
		feeds_summary_free(out);
	return rc;
}

int feeds_event(struct feed_cache *c, struct db *db, const struct config *cfg, const struct principal *p,
		int64_t event_id, enum feed_lang lang, int64_t now, struct feed_view *out,
		struct dom_err *err)
{
	char visibility[16], key[FEEDS_KEY_MAX];
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
	snprintf(key, sizeof(key), "event" FEEDS_SEP "%lld" FEEDS_SEP "%s", (long long)event_id,
		 feed_lang_name(lang));
	return feeds_get(c, db, cfg, key, feeds_render_event, &event_id, lang, now, out, err);
}

static int feeds_render_org(struct db *db, const struct config *cfg, const void *ctx, enum feed_lang lang,
			    int64_t now, struct buf *out, struct dom_err *err)
{
	const int64_t *org_id = ctx;
	struct store_feed_query q = {0};
	struct json_object *rows = NULL;
	char org[256], name[FEEDS_NAME_MAX];
	int rc;

	rc = store_feeds_org_name(db, *org_id, org, sizeof(org));
	if (rc)
		return dom_from_store(err, rc, "organisation");
	feeds_window(&q, now);
	rc = store_feeds_org(db, *org_id, &q, &rows);
	if (rc)
		return dom_from_store(err, rc, "feed");
	feeds_name(name, sizeof(name), org);
	rc = feeds_render_rows(cfg, rows, name, NULL, lang, now, out, err);
	json_object_put(rows);
	return rc;
}

static int feeds_render_person(struct db *db, const struct config *cfg, const void *ctx, enum feed_lang lang,
			       int64_t now, struct buf *out, struct dom_err *err)
{
	static const char *const names[FEED_N_LANGS] = {"mon agenda", "أجندتي", "my calendar"};
	const int64_t *person_id = ctx;
	struct store_feed_query q = {0};
	struct json_object *rows = NULL, *person = NULL;
	struct feed_attendee a;
	const char *cn;
	char name[FEEDS_NAME_MAX];
	int rc;

	rc = store_feeds_person_row(db, *person_id, &person);
	if (rc)
		return dom_from_store(err, rc, "person");
	feeds_window(&q, now);
	rc = store_feeds_person(db, *person_id, &q, &rows);
	if (rc) {
		rc = dom_from_store(err, rc, "feed");
		goto out;
	}
	memset(&a, 0, sizeof(a));
	cn = lang == FEED_LANG_AR ? feeds_str(person, "name_ar") : NULL;
	a.name = cn && *cn ? cn : feeds_str(person, "name");
	a.email = feeds_str(person, "email");
	a.person_id = *person_id;
	feeds_name(name, sizeof(name), names[lang]);
	rc = feeds_render_rows(cfg, rows, name, &a, lang, now, out, err);
out:
	json_object_put(rows);
	json_object_put(person);
	return rc;
}

int feeds_by_token(struct feed_cache *c, struct db *db, const struct config *cfg, const char *token,
		   bool has_lang, enum feed_lang lang, int64_t now, struct feed_view *out,
		   struct dom_err *err)
{
	char hash[SECRET_HASH_LEN + 1], key[FEEDS_KEY_MAX];
	struct store_calendar_token t;
	struct json_object *person = NULL;
	feeds_render_fn render;
	int rc;

	memset(out, 0, sizeof(*out));
	secret_hash(token, strlen(token), hash);
	rc = store_calendar_token_by_hash(db, hash, &t);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no such calendar feed");
	if (rc)
		return dom_from_store(err, rc, "calendar feed");
	if (!strcmp(t.owner_kind, "organisation")) {
		render = feeds_render_org;
	} else if (!strcmp(t.owner_kind, "person")) {
		rc = store_feeds_person_row(db, t.owner_id, &person);
		if (rc == STORE_NOT_FOUND || (!rc && feeds_int(person, "erased_at")))
			rc = dom_fail(err, DOM_NOT_FOUND, NULL, "no such calendar feed");
		else if (rc)
			rc = dom_from_store(err, rc, "calendar feed");
		else if (!has_lang && feed_lang_parse(feeds_str(person, "lang"), &lang))
			lang = FEED_LANG_FR;
		json_object_put(person);
		if (rc)
			return rc;
		render = feeds_render_person;
	} else {
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no such calendar feed");
	}
	snprintf(key, sizeof(key), "%s" FEEDS_SEP "%lld" FEEDS_SEP "%s", t.owner_kind, (long long)t.owner_id,
		 feed_lang_name(lang));
	return feeds_get(c, db, cfg, key, render, &t.owner_id, lang, now, out, err);
}

const char *const feeds_token_owner_kinds[] = {"organisation", "person", NULL};

/* Writes the change-log row of token id (ids only) inside the open transaction. */
static int feeds_token_log(struct db *db, int64_t now, const struct store_calendar_token *t, const char *kind,
			   int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[48];
	int rc;

	snprintf(topic, sizeof(topic), "calendar_token:%lld", (long long)t->id);
	json_object_object_add(payload, "id", json_object_new_int64(t->id));
	json_object_object_add(payload, "owner_kind", json_object_new_string(t->owner_kind));
	json_object_object_add(payload, "owner_id", json_object_new_int64(t->owner_id));
	/* the token of a person without organisation is seen by admins only, live too */
	rc = db_changelog(db, topic, kind, t->org_id > 0 ? t->org_id : DB_ORG_ADMINS, payload, now, seq);
	json_object_put(payload);
	return rc;
}

int feeds_token_create(struct db *db, const struct principal *p, const struct feeds_token_input *in,
		       int64_t now, char token[SECRET_TOKEN_LEN + 1], struct json_object **out, int64_t *seq,
		       struct dom_err *err)
{
	struct store_calendar_token t;
	struct json_object *person = NULL;
	char hash[SECRET_HASH_LEN + 1], org[8];
	const char *label = in->label;
	int kind, rc;

	*out = NULL;
	token[0] = '\0';
	memset(&t, 0, sizeof(t));
	if (!in->owner_kind)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'owner_kind' is required");
	for (kind = 0; feeds_token_owner_kinds[kind]; kind++)
		if (!strcmp(in->owner_kind, feeds_token_owner_kinds[kind]))
			break;
	if (!feeds_token_owner_kinds[kind])
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'owner_kind' must be one of: organisation, person");
	if (!in->has_owner_id)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'owner_id' is required");
	t.owner_id = in->owner_id;
	snprintf(t.owner_kind, sizeof(t.owner_kind), "%s", feeds_token_owner_kinds[kind]);
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may create feed tokens");
	if (kind == 0) {
		rc = store_feeds_org_name(db, t.owner_id, org, sizeof(org));
		if (rc)
			return dom_from_store(err, rc, "organisation");
		t.org_id = t.owner_id;
	} else {
		rc = store_feeds_person_row(db, t.owner_id, &person);
		if (rc)
			return dom_from_store(err, rc, "person");
		t.org_id = feeds_int(person, "org_id");
		rc = feeds_int(person, "erased_at") != 0;
		json_object_put(person);
		if (rc)
			return dom_fail(err, DOM_UNPROCESSABLE, "person_erased",
					"this person's data was erased; no feed can be made for them");
	}
	if (!principal_manages_org(p, t.org_id)) {
		/* people of other organisations are not visible to the caller: do not confirm they exist */
		if (kind == 1)
			return dom_fail(err, DOM_NOT_FOUND, NULL, "person not found");
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser of this organisation may do this");
	}
	if (secret_token_new(token))
		return dom_fail(err, DOM_INTERNAL, NULL, "no randomness available");
	secret_hash(token, strlen(token), hash);
	rc = db_begin(db);
	rc = rc ? rc
		: store_calendar_token_insert(db, hash, t.owner_kind, t.owner_id, label, p->account_id, now,
					      &t.id);
	rc = rc ? rc : feeds_token_log(db, now, &t, "calendar_token.created", seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		memset(token, 0, SECRET_TOKEN_LEN + 1);
		return dom_from_store(err, rc, "calendar token");
	}
	rc = store_calendar_token_json(db, t.id, out);
	if (rc) {
		memset(token, 0, SECRET_TOKEN_LEN + 1);
		return dom_from_store(err, rc, "calendar token");
	}
	return DOM_OK;
}

int feeds_token_list(struct db *db, const struct principal *p, int64_t limit, int64_t offset,
		     struct json_object **items, int64_t *total, struct dom_err *err)
{
	int rc;

	*items = NULL;
	*total = 0;
	if (p->role != ROLE_ADMIN && !(p->role == ROLE_ORGANISER && p->org_id > 0))
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may list feed tokens");
	rc =
	    store_calendar_token_list(db, p->role == ROLE_ADMIN ? 0 : p->org_id, limit, offset, items, total);
	return rc ? dom_from_store(err, rc, "calendar tokens") : DOM_OK;
}

/* Loads valid token id into *t when p answers for it (an admin, or an organiser of its organisation); verb
 * ("rotate", "revoke") for the refusal of other roles. DOM_NOT_FOUND for a revoked or another's token. */
static int feeds_token_mine(struct db *db, const struct principal *p, int64_t id, const char *verb,
			    struct store_calendar_token *t, struct dom_err *err)
{
	int rc;

	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only an administrator or an organiser may %s feed tokens", verb);
	rc = store_calendar_token_get(db, id, t);
	if (rc)
		return dom_from_store(err, rc, "calendar token");
	if (t->revoked || !principal_manages_org(p, t->org_id))
		return dom_fail(err, DOM_NOT_FOUND, NULL, "calendar token not found");
	return DOM_OK;
}

int feeds_token_rotate(struct db *db, const struct principal *p, int64_t id, int64_t now,
		       char token[SECRET_TOKEN_LEN + 1], struct json_object **out, int64_t *seq,
		       struct dom_err *err)
{
	struct store_calendar_token t;
	struct json_object *old = NULL, *v;
	char hash[SECRET_HASH_LEN + 1];
	const char *label = NULL;
	int64_t new_id = 0;
	int rc;

	*out = NULL;
	token[0] = '\0';
	rc = feeds_token_mine(db, p, id, "rotate", &t, err);
	if (rc)
		return rc;
	rc = store_calendar_token_json(db, id, &old);
	if (rc)
		return dom_from_store(err, rc, "calendar token");
	if (json_object_object_get_ex(old, "label", &v) && v)
		label = json_object_get_string(v);
	if (secret_token_new(token)) {
		json_object_put(old);
		return dom_fail(err, DOM_INTERNAL, NULL, "no randomness available");
	}
	secret_hash(token, strlen(token), hash);
	/* one transaction: the old URL stops and the new one starts together */
	rc = db_begin(db);
	rc = rc ? rc : store_calendar_token_revoke(db, id, now);
	rc = rc ? rc : feeds_token_log(db, now, &t, "calendar_token.revoked", NULL);
	rc = rc ? rc
		: store_calendar_token_insert(db, hash, t.owner_kind, t.owner_id, label, p->account_id, now,
					      &new_id);
	json_object_put(old);
	t.id = new_id;
	rc = rc ? rc : feeds_token_log(db, now, &t, "calendar_token.created", seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		memset(token, 0, SECRET_TOKEN_LEN + 1);
		return dom_from_store(err, rc, "calendar token");
	}
	rc = store_calendar_token_json(db, new_id, out);
	if (rc) {
		memset(token, 0, SECRET_TOKEN_LEN + 1);
		return dom_from_store(err, rc, "calendar token");
	}
	return DOM_OK;
}

int feeds_token_revoke(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
		       struct dom_err *err)
{
	struct store_calendar_token t;
	int rc;

	rc = feeds_token_mine(db, p, id, "revoke", &t, err);
	if (rc)
		return rc;
	rc = db_begin(db);
	rc = rc ? rc : store_calendar_token_revoke(db, id, now);
	rc = rc ? rc : feeds_token_log(db, now, &t, "calendar_token.revoked", seq);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return dom_from_store(err, rc, "calendar token");
	}
	return DOM_OK;
}
