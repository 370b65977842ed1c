/*
 * demo: generates the programme's demo data (participants, registrations, attendance around the
 * organisations, venues, accounts and events read from the embedded files of domain/demo_data)
 * deterministically and writes it in one transaction through the store's ordinary inserts; it must
 * never touch a database that already holds an event.
 */
#include "domain/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "calendar/tz.h"
#include "domain/demo_data.h"
#include "store/db.h"
#include "store/store_attendance.h"
#include "store/store_auth.h"
#include "store/store_changelog.h"
#include "store/store_demo.h"
#include "store/store_events.h"
#include "store/store_orgs.h"
#include "store/store_people.h"
#include "store/store_registrations.h"
#include "store/store_sessions.h"
#include "store/store_venues.h"
#include "util/civil.h"
#include "util/log.h"
#include "util/secret.h"

#define DEMO_SEED	  0x4d616a6c69732026ULL /* "Majlis &" */
#define DEMO_DAY	  86400
#define DEMO_HOUR	  3600
#define DEMO_N_MIGRANTS	  215
#define DEMO_N_OFFICIALS  85
#define DEMO_MAX_REGS	  1200
#define DEMO_MAX_SESSIONS 128

/* ---- working state ---- */

/* splitmix64: a fixed-seed generator so that every load writes the same data. */
struct demo_rng {
	uint64_t s;
};

/* One generated participant, before and after insertion. */
struct demo_person {
	char name[96];
	char name_ar[192];
	char phone[24];
	char email[96];
	const char *sex;
	const char *nationality;
	const char *lang;
	int first_event;  /* event of the earliest registration, -1: none */
	int64_t first_at; /* created_at of that registration */
	uint32_t events;  /* bit per event index */
	int64_t id;
};

/* One planned registration. */
struct demo_reg {
	int event;
	int person;
	const char *status;
	int64_t created_at;
	int64_t id;
};

/* Everything one load needs; on the heap (big arrays too), freed by demo_load. Service thread. */
struct demo_ctx {
	struct db *db;
	struct demo_data *data;
	struct demo_rng rng;
	int64_t base;	/* creation instant of organisations, venues, accounts */
	int64_t today;	/* "today" of the data set */
	int64_t cutoff; /* sessions ending before it are past and have attendance */
	int64_t now;	/* the caller's time: written on its change-log rows */
	char hashes[DEMO_MAX_ACCOUNTS][PASSWORD_HASH_MAX];
	int64_t org_ids[DEMO_MAX_ORGS];
	int64_t venue_ids[DEMO_MAX_VENUES];
	int64_t room_ids[DEMO_MAX_ROOMS];
	int64_t fac_ids[DEMO_MAX_FACS];
	int64_t account_ids[DEMO_MAX_ACCOUNTS];
	int64_t event_ids[DEMO_MAX_EVENTS];
	int64_t reg_from[DEMO_MAX_EVENTS];
	int64_t reg_to[DEMO_MAX_EVENTS];
	int64_t session_ids[DEMO_MAX_SESSIONS];
	int session_event[DEMO_MAX_SESSIONS];
	int64_t session_start[DEMO_MAX_SESSIONS];
	int64_t session_end[DEMO_MAX_SESSIONS];
	int n_sessions;
	struct demo_person *people;
	int n_people;
	struct demo_reg *regs;
	int n_regs;
	int n_attendance;
	int cursor[2];		      /* next candidate per pool (DEMO_POOL_MIGRANTS, DEMO_POOL_OFFICIALS) */
	char what[DEMO_WHY_LEN + 32]; /* the step that failed, for the error message */
};

static uint64_t demo_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n), n > 0. */
static int demo_below(struct demo_rng *r, int n)
{
	return (int)(demo_next(r) % (uint64_t)n);
}

static bool demo_chance(struct demo_rng *r, int pct)
{
	return demo_below(r, 100) < pct;
}

/* UTC instant of midnight UTC of day count day. */
static int64_t demo_utc_day(int64_t day)
{
	return day * DEMO_DAY;
}

/* Lowercase ASCII of a Latin name for an e-mail local part: accents folded, other marks dropped. */
static void demo_ascii(const char *in, char *out, size_t n)
{
	static const char from[] = "àâäáçèéêëîïíôöóùûüúñÀÂÄÇÈÉÊËÎÏÔÖÙÛÜ";
	static const char to[] = "aaaaceeeeiiiooouuuunaaaceeeeiioouuu";
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;

	while (*p && o + 1 < n) {
		if (*p < 0x80) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				out[o++] = (char)*p;
			else if (*p >= 'A' && *p <= 'Z')
				out[o++] = (char)(*p - 'A' + 'a');
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0 && p[1]) {
			/* two-byte sequence: look it up among the accented letters (all two bytes) */
			for (size_t i = 0; i + 1 < sizeof(from) - 1; i += 2) {
				if ((unsigned char)from[i] == p[0] && (unsigned char)from[i + 1] == p[1]) {
					out[o++] = to[i / 2];
					break;
				}
			}
			p += 2;
			continue;
		}
		p++;
	}
	out[o] = '\0';
}

/* ---- fixed rows ---- */

static int demo_insert_cast(struct demo_ctx *c)
{
	const struct demo_data *d = c->data;
	struct store_venue v;
	struct store_person p;
	int rc = 0;

	for (int i = 0; i < d->n_orgs && !rc; i++)
		rc = store_org_insert(c->db, &d->orgs[i].row, c->base, &c->org_ids[i]);
	for (int i = 0; i < d->n_venues && !rc; i++) {
		v = d->venues[i].row;
		v.org_id = c->org_ids[d->venues[i].org];
		rc = store_venue_insert(c->db, &v, c->base, &c->venue_ids[i]);
	}
	for (int i = 0; i < d->n_rooms && !rc; i++)
		rc = store_room_insert(c->db, c->venue_ids[d->rooms[i].venue], &d->rooms[i].row,
				       &c->room_ids[i]);
	for (int i = 0; i < d->n_facs && !rc; i++) {
		memset(&p, 0, sizeof(p));
		p.org_id = c->org_ids[d->facs[i].org];
		p.name = d->facs[i].name;
		p.name_ar = d->facs[i].name_ar;
		p.sex = d->facs[i].sex;
		p.nationality = "MA";
		p.email = d->facs[i].email;
		p.lang = "fr";
		p.consent_at = c->base;
		rc = store_person_insert(c->db, &p, c->base, &c->fac_ids[i]);
	}
	for (int i = 0; i < d->n_accounts && !rc; i++) {
		const struct demo_account *a = &d->accounts[i];

		rc = store_auth_account_insert(c->db, a->email, a->display_name, c->hashes[i], a->role,
					       a->org >= 0 ? c->org_ids[a->org] : 0, c->base,
					       &c->account_ids[i]);
	}
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo organisations, venues or accounts");
	return rc;
}

/* Converts a wall time of zone; a failure is a bug in the data files (or a broken tz database). */
static int demo_local(struct demo_ctx *c, const char *zone, const char *local, int64_t *utc, int32_t *offset)
{
	enum tz_rc trc = tz_local_to_utc(zone, local, TZ_NO_OFFSET, utc, offset);

	if (trc != TZ_OK) {
		snprintf(c->what, sizeof(c->what), "demo session time %s %s", zone, local);
		return STORE_ERROR;
	}
	return STORE_OK;
}

static int demo_insert_sessions(struct demo_ctx *c, int e, int64_t created_at)
{
	const struct demo_event *d = &c->data->events[e];
	const char *zone = c->data->venues[d->venue].row.tz;
	struct session_row s;
	struct civil_date day;
	int rc = 0;

	for (int k = 0; k < d->n_sessions && !rc; k++) {
		if (c->n_sessions >= DEMO_MAX_SESSIONS) {
			snprintf(c->what, sizeof(c->what), "demo sessions table");
			return STORE_ERROR;
		}
		memset(&s, 0, sizeof(s));
		day = civil_date_from_days(d->first_day + (int64_t)k * d->every_days);
		snprintf(s.starts_local, sizeof(s.starts_local), "%04d-%02d-%02dT%s:00", (int)day.year,
			 day.month, day.day, d->start_hm);
		snprintf(s.ends_local, sizeof(s.ends_local), "%04d-%02d-%02dT%s:00", (int)day.year, day.month,
			 day.day, d->end_hm);
		rc = demo_local(c, zone, s.starts_local, &s.start_utc, &s.start_offset);
		rc = rc ? rc : demo_local(c, zone, s.ends_local, &s.end_utc, &s.end_offset);
		if (rc)
			return rc;
		if (d->session_titles[k]) {
			s.has_title = true;
			snprintf(s.title, sizeof(s.title), "%s", d->session_titles[k]);
		} else if (d->n_sessions > 1) {
			s.has_title = true;
			snprintf(s.title, sizeof(s.title), "%s %d",
				 !strcmp(d->type, "training") ? "Séance" : "Jour", k + 1);
		}
		s.event_id = c->event_ids[e];
		snprintf(s.tz, sizeof(s.tz), "%s", zone);
		s.room_id = c->room_ids[d->room];
		s.facilitator_id = c->fac_ids[d->facilitator];
		s.created_at = created_at;
		s.updated_at = created_at;
		rc = store_session_insert(c->db, &s);
		if (rc) {
			snprintf(c->what, sizeof(c->what), "demo session %s", s.starts_local);
			return rc;
		}
		c->session_ids[c->n_sessions] = s.id;
		c->session_event[c->n_sessions] = e;
		c->session_start[c->n_sessions] = s.start_utc;
		c->session_end[c->n_sessions] = s.end_utc;
		c->n_sessions++;
	}
	return rc;
}

/* Copies the texts of an event into r (which owns copies of them). 0 or STORE_ERROR. */
static int demo_event_row(const struct demo_event *d, struct event_row *r)
{
	int rc = 0;

	snprintf(r->type, sizeof(r->type), "%s", d->type);
	snprintf(r->visibility, sizeof(r->visibility), "%s", d->visibility);
	snprintf(r->status, sizeof(r->status), "%s", d->cancelled ? "cancelled" : "scheduled");
	for (int i = 0; i < EVENT_LANGS && !rc; i++) {
		rc = event_row_set(&r->title[i], d->title[i]);
		rc = rc ? rc : event_row_set(&r->description[i], d->description[i]);
	}
	return rc;
}

static int demo_insert_events(struct demo_ctx *c)
{
	const struct demo_data *dd = c->data;
	int64_t checkin_ids[DEMO_MAX_EVENTS];
	size_t n_checkin = 0;
	struct event_row ev;
	int64_t first_local, created, partner;
	int rc = 0;

	for (int e = 0; e < dd->n_events && !rc; e++) {
		const struct demo_event *d = &dd->events[e];

		/* registration window: from 50 days before the first session to 2 days before it, never
		 * after "today" */
		first_local = demo_utc_day(d->first_day);
		c->reg_to[e] = first_local - 2 * DEMO_DAY;
		if (c->reg_to[e] > c->today - 6 * DEMO_HOUR)
			c->reg_to[e] = c->today - 6 * DEMO_HOUR;
		c->reg_from[e] = first_local - 50 * DEMO_DAY;
		if (c->reg_from[e] > c->reg_to[e] - 20 * DEMO_DAY)
			c->reg_from[e] = c->reg_to[e] - 20 * DEMO_DAY;
		created = c->reg_from[e] - 7 * DEMO_DAY;

		memset(&ev, 0, sizeof(ev));
		rc = demo_event_row(d, &ev);
		ev.org_id = c->org_ids[d->org];
		ev.venue_id = c->venue_ids[d->venue];
		ev.capacity = d->capacity;
		ev.has_opens = first_local > c->today;
		if (ev.has_opens)
			ev.opens_at = c->reg_from[e] - DEMO_DAY;
		ev.has_closes = d->needs_approval;
		if (ev.has_closes)
			ev.closes_at = first_local - 7 * DEMO_DAY;
		ev.needs_approval = d->needs_approval;
		ev.sequence = d->cancelled ? 1 : 0;
		ev.created_at = created;
		ev.updated_at = d->cancelled ? c->today - 5 * DEMO_DAY : created;
		rc = rc ? rc : store_event_insert(c->db, &ev);
		c->event_ids[e] = ev.id;
		event_row_clear(&ev);
		partner = d->partner >= 0 ? c->org_ids[d->partner] : 0;
		if (!rc && partner)
			rc = store_event_partners_set(c->db, c->event_ids[e], &partner, 1);
		if (!rc && d->checkin)
			checkin_ids[n_checkin++] = c->event_ids[e];
		if (rc) {
			snprintf(c->what, sizeof(c->what), "demo event %d", e);
			return rc;
		}
		rc = demo_insert_sessions(c, e, created);
	}
	if (!rc && n_checkin) {
		rc =
		    store_auth_account_events_set(c->db, c->account_ids[dd->checkin], checkin_ids, n_checkin);
		if (rc)
			snprintf(c->what, sizeof(c->what), "demo check-in events");
	}
	return rc;
}

/* ---- participants ---- */

static const struct demo_nat *demo_pick_nat(struct demo_ctx *c)
{
	int x = demo_below(&c->rng, 100);

	for (int i = 0; i < c->data->n_nats; i++) {
		if (x < c->data->nats[i].weight)
			return &c->data->nats[i];
		x -= c->data->nats[i].weight;
	}
	return &c->data->nats[0];
}

/* Fills one person from nationality n; official: a Moroccan public or NGO agent. */
static void demo_make_person(struct demo_ctx *c, struct demo_person *p, const struct demo_nat *n,
			     bool official, int index)
{
	struct demo_rng *r = &c->rng;
	const struct demo_name *first, *last;
	char a1[32], a2[32];
	int sx = demo_below(r, 100);

	if (official)
		p->sex = sx < 50 ? "female" : "male";
	else
		p->sex = sx < 2 ? "unspecified" : sx < 40 ? "female" : "male";
	if (!strcmp(p->sex, "female") || (!strcmp(p->sex, "unspecified") && sx == 0))
		first = &n->female[demo_below(r, n->n_female)];
	else
		first = &n->male[demo_below(r, n->n_male)];
	last = &n->last[demo_below(r, n->n_last)];
	snprintf(p->name, sizeof(p->name), "%s %s", first->lat, last->lat);
	if (demo_chance(r, n->ar_pct))
		snprintf(p->name_ar, sizeof(p->name_ar), "%s %s", first->ar, last->ar);
	p->nationality = n->code;
	p->lang = demo_chance(r, n->alt_pct) ? n->alt : n->lang;
	if (demo_chance(r, official ? 60 : 95))
		snprintf(p->phone, sizeof(p->phone), "+212%d%02d%02d%02d%02d", demo_chance(r, 80) ? 6 : 7,
			 demo_below(r, 100), demo_below(r, 100), demo_below(r, 100), demo_below(r, 100));
	if (!p->phone[0] || demo_chance(r, official ? 85 : 35)) {
		demo_ascii(first->lat, a1, sizeof(a1));
		demo_ascii(last->lat, a2, sizeof(a2));
		snprintf(p->email, sizeof(p->email), "%s.%s%u@%s", a1, a2, 10u + (unsigned)index % 90u,
			 demo_chance(r, 50) ? "example.org" : "example.com");
	}
	p->first_event = -1;
}

static void demo_make_people(struct demo_ctx *c)
{
	for (int i = 0; i < DEMO_N_MIGRANTS; i++)
		demo_make_person(c, &c->people[i], demo_pick_nat(c), false, i);
	for (int i = 0; i < DEMO_N_OFFICIALS; i++)
		demo_make_person(c, &c->people[DEMO_N_MIGRANTS + i], &c->data->officials, true,
				 DEMO_N_MIGRANTS + i);
	c->n_people = DEMO_N_MIGRANTS + DEMO_N_OFFICIALS;
}

/* The next person of pool (DEMO_POOL_MIGRANTS or DEMO_POOL_OFFICIALS) not yet registered to event e;
 * -1 if none. */
static int demo_next_person(struct demo_ctx *c, int pool, int e)
{
	int lo = pool == DEMO_POOL_MIGRANTS ? 0 : DEMO_N_MIGRANTS;
	int n = pool == DEMO_POOL_MIGRANTS ? DEMO_N_MIGRANTS : DEMO_N_OFFICIALS;

	for (int k = 0; k < n; k++) {
		int i = lo + (c->cursor[pool] + k) % n;

		if (!(c->people[i].events & (1u << e))) {
			c->cursor[pool] = (c->cursor[pool] + k + 1) % n;
			return i;
		}
	}
	return -1;
}

static int demo_plan_reg(struct demo_ctx *c, int e, int person, const char *status, int64_t at)
{
	struct demo_reg *g;

	if (person < 0 || c->n_regs >= DEMO_MAX_REGS) {
		snprintf(c->what, sizeof(c->what), "demo registrations plan");
		return STORE_ERROR;
	}
	g = &c->regs[c->n_regs++];
	g->event = e;
	g->person = person;
	g->status = status;
	g->created_at = at;
	c->people[person].events |= 1u << e;
	if (c->people[person].first_event < 0 || at < c->people[person].first_at) {
		c->people[person].first_event = e;
		c->people[person].first_at = at;
	}
	return STORE_OK;
}

/* Index of the cancelled event (the information day), where unregistered people are added. */
static int demo_cancelled_event(const struct demo_data *d)
{
	for (int e = 0; e < d->n_events; e++)
		if (d->events[e].cancelled)
			return e;
	return 0;
}

/* Plans every event's registrations: shuffled settled statuses, then pending, then the waitlist. */
static int demo_plan_regs(struct demo_ctx *c)
{
	const char *order[DEMO_MAX_REGS];
	int n, settled, rc = 0;
	int64_t span, at;

	for (int e = 0; e < c->data->n_events && !rc; e++) {
		const struct demo_event *d = &c->data->events[e];

		if (d->confirmed + d->cancelled_regs + d->declined + d->rejected + d->pending +
			d->waitlisted >
		    DEMO_MAX_REGS) {
			snprintf(c->what, sizeof(c->what), "demo registrations plan");
			return STORE_ERROR;
		}
		n = 0;
		for (int k = 0; k < d->confirmed; k++)
			order[n++] = "confirmed";
		for (int k = 0; k < d->cancelled_regs; k++)
			order[n++] = "cancelled";
		for (int k = 0; k < d->declined; k++)
			order[n++] = "declined";
		for (int k = 0; k < d->rejected; k++)
			order[n++] = "rejected";
		settled = n;
		for (int k = 0; k < d->pending; k++)
			order[n++] = "pending";
		for (int k = 0; k < d->waitlisted; k++)
			order[n++] = "waitlisted";
		for (int k = settled - 1; k > 0; k--) {
			int j = demo_below(&c->rng, k + 1);
			const char *t = order[k];

			order[k] = order[j];
			order[j] = t;
		}
		span = c->reg_to[e] - c->reg_from[e];
		for (int k = 0; k < n && !rc; k++) {
			int pool = d->pool == DEMO_POOL_MIXED
				       ? (k % 2 ? DEMO_POOL_OFFICIALS : DEMO_POOL_MIGRANTS)
				       : (int)d->pool;

			at = c->reg_from[e] + span * k / n +
			     demo_below(&c->rng, (int)(span / n > 1 ? span / n : 1));
			rc = demo_plan_reg(c, e, demo_next_person(c, pool, e), order[k], at);
		}
	}
	/* anyone not yet registered had signed up for the information day that was later cancelled */
	for (int i = 0; i < c->n_people && !rc; i++) {
		int e = demo_cancelled_event(c->data);

		if (c->people[i].first_event >= 0)
			continue;
		at = c->reg_from[e] + demo_below(&c->rng, (int)(c->reg_to[e] - c->reg_from[e]));
		rc = demo_plan_reg(c, e, i, "cancelled", at);
	}
	return rc;
}

/* Writes every participant, each created (with consent) at their first registration; the plan gives
 * everyone one. */
static int demo_insert_people(struct demo_ctx *c)
{
	struct store_person s;
	int64_t created;
	int rc = 0;

	for (int i = 0; i < c->n_people && !rc; i++) {
		struct demo_person *p = &c->people[i];

		memset(&s, 0, sizeof(s));
		s.org_id = c->org_ids[p->first_event >= 0 ? c->data->events[p->first_event].org : 0];
		s.name = p->name;
		s.name_ar = p->name_ar[0] ? p->name_ar : NULL;
		s.sex = p->sex;
		s.nationality = p->nationality;
		s.phone = p->phone[0] ? p->phone : NULL;
		s.email = p->email[0] ? p->email : NULL;
		s.lang = p->lang;
		created = p->first_event >= 0 ? p->first_at : c->base;
		s.consent_at = created;
		rc = store_person_insert(c->db, &s, created, &p->id);
	}
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo participants");
	return rc;
}

static int64_t demo_min(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/*
 * Writes one registration as the registration service leaves it: inserted at created_at, its
 * attendance confirmed at confirmed_at (0: not), then its status set at updated_at with its waitlist
 * seq (0: none) when either makes a difference.
 */
static int demo_write_reg(struct demo_ctx *c, struct demo_reg *g, const char *hash, int64_t wseq,
			  int64_t confirmed_at, int64_t updated_at)
{
	int rc = store_reg_insert(c->db, c->event_ids[g->event], c->people[g->person].id, g->status, hash,
				  g->created_at, &g->id);

	if (!rc && confirmed_at)
		rc = store_reg_set_attendance_confirmed(c->db, g->id, confirmed_at);
	if (!rc && (wseq || updated_at != (confirmed_at ? confirmed_at : g->created_at)))
		rc = store_reg_set_status(c->db, g->id, g->status, wseq > 0, wseq, updated_at);
	return rc;
}

static int demo_insert_regs(struct demo_ctx *c)
{
	struct json_object *payload;
	char token[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_LEN + 1], topic[32];
	int64_t seq, confirmed_at, updated_at;
	int rc = 0;

	for (int i = 0; i < c->n_regs && !rc; i++) {
		struct demo_reg *g = &c->regs[i];
		const struct demo_event *d = &c->data->events[g->event];

		if (secret_token_new(token)) {
			snprintf(c->what, sizeof(c->what), "demo registration token");
			return STORE_ERROR;
		}
		secret_hash(token, strlen(token), hash);
		seq = 0;
		confirmed_at = 0;
		updated_at = g->created_at;
		if (!strcmp(g->status, "waitlisted")) {
			/* arrival order on the waitlist is a change-log seq, as the registration service
			 * writes it */
			payload = json_object_new_object();
			json_object_object_add(payload, "event_id",
					       json_object_new_int64(c->event_ids[g->event]));
			snprintf(topic, sizeof(topic), "event:%lld", (long long)c->event_ids[g->event]);
			rc = db_changelog(c->db, topic, "registration.waitlisted", c->org_ids[d->org],
					  payload, c->now, &seq);
			json_object_put(payload);
		} else if (!strcmp(g->status, "confirmed")) {
			if (d->needs_approval)
				updated_at = demo_min(g->created_at + 2 * DEMO_DAY, c->today);
			if (demo_chance(&c->rng, 40))
				confirmed_at = demo_min(g->created_at + DEMO_DAY, c->today);
			if (confirmed_at > updated_at)
				updated_at = confirmed_at;
		} else if (d->cancelled) {
			updated_at = c->today - 5 * DEMO_DAY;
		} else if (strcmp(g->status, "pending")) {
			updated_at =
			    demo_min(g->created_at + (1 + demo_below(&c->rng, 10)) * DEMO_DAY, c->today);
		}
		rc = rc ? rc : demo_write_reg(c, g, hash, seq, confirmed_at, updated_at);
	}
	explicit_bzero(token, sizeof(token));
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo registrations");
	return rc;
}

/* Who recorded a scan or a manual mark for event e: the check-in account for a scan at an event it
 * serves, else the organiser of the event's organisation, else the administrator. */
static int64_t demo_recorder(struct demo_ctx *c, int e, bool qr)
{
	const struct demo_data *d = c->data;
	int org = d->events[e].org;

	if (qr && d->events[e].checkin)
		return c->account_ids[d->checkin];
	for (int a = 0; a < d->n_accounts; a++)
		if (!strcmp(d->accounts[a].role, "organiser") && d->accounts[a].org == org)
			return c->account_ids[a];
	return c->account_ids[d->admin];
}

static int demo_insert_attendance(struct demo_ctx *c)
{
	const char *status, *method;
	struct store_att a;
	int64_t at;
	int rc = 0;

	for (int k = 0; k < c->n_sessions && !rc; k++) {
		int e = c->session_event[k];

		if (c->session_end[k] >= c->cutoff || c->data->events[e].cancelled)
			continue;
		for (int i = 0; i < c->n_regs && !rc; i++) {
			int x = demo_below(&c->rng, 100);

			if (c->regs[i].event != e || strcmp(c->regs[i].status, "confirmed"))
				continue;
			status = x < 84 ? "present" : x < 94 ? "absent" : "excused";
			method = "manual";
			at = c->session_end[k] + 15 * 60;
			if (x < 84) {
				method = demo_chance(&c->rng, 60) ? "qr" : "manual";
				at = c->session_start[k] - 10 * 60 + demo_below(&c->rng, 40 * 60);
			} else if (x >= 94) {
				at = c->session_start[k] - (2 + demo_below(&c->rng, 40)) * DEMO_HOUR;
			}
			memset(&a, 0, sizeof(a));
			a.session_id = c->session_ids[k];
			a.registration_id = c->regs[i].id;
			snprintf(a.status, sizeof(a.status), "%s", status);
			snprintf(a.method, sizeof(a.method), "%s", method);
			a.recorded_by = demo_recorder(c, e, !strcmp(method, "qr"));
			a.has_recorded_by = a.recorded_by > 0;
			a.recorded_at = at;
			rc = store_att_upsert(c->db, &a);
			c->n_attendance++;
		}
	}
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo attendance");
	return rc;
}

/* Double-checks the invariants the rest of Majlis relies on before committing. */
static int demo_verify(struct demo_ctx *c)
{
	int64_t overlaps = -1, overbooked = -1;
	int rc = store_demo_overlaps(c->db, &overlaps);

	rc = rc ? rc : store_demo_overbooked(c->db, &overbooked);
	if (!rc && (overlaps || overbooked)) {
		snprintf(c->what, sizeof(c->what), "demo data (%lld overlaps, %lld overbooked events)",
			 (long long)overlaps, (long long)overbooked);
		rc = STORE_ERROR;
	}
	return rc;
}

static int demo_changelog(struct demo_ctx *c)
{
	struct json_object *o = json_object_new_object();
	int rc;

	json_object_object_add(o, "organisations", json_object_new_int(c->data->n_orgs));
	json_object_object_add(o, "venues", json_object_new_int(c->data->n_venues));
	json_object_object_add(o, "events", json_object_new_int(c->data->n_events));
	json_object_object_add(o, "sessions", json_object_new_int(c->n_sessions));
	json_object_object_add(o, "people", json_object_new_int(c->n_people + c->data->n_facs));
	json_object_object_add(o, "registrations", json_object_new_int(c->n_regs));
	json_object_object_add(o, "attendance", json_object_new_int(c->n_attendance));
	rc = db_changelog(c->db, "system", "demo.loaded", 0, o, c->now, NULL);
	json_object_put(o);
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo change-log row");
	return rc;
}

/* Reads the data files and hashes the accounts' password: the slow part, before the write lock. */
static int demo_prepare(struct demo_ctx *c)
{
	char why[DEMO_WHY_LEN];

	if (demo_data_load(c->data, NULL, NULL, 0, why)) {
		snprintf(c->what, sizeof(c->what), "demo data files (%s)", why);
		return STORE_ERROR;
	}
	for (int i = 0; i < c->data->n_accounts; i++) {
		if (password_hash(DEMO_ADMIN_PASSWORD, c->hashes[i])) {
			snprintf(c->what, sizeof(c->what), "demo password hash");
			return STORE_ERROR;
		}
	}
	c->people = calloc(DEMO_N_MIGRANTS + DEMO_N_OFFICIALS, sizeof(*c->people));
	c->regs = calloc(DEMO_MAX_REGS, sizeof(*c->regs));
	if (!c->people || !c->regs) {
		snprintf(c->what, sizeof(c->what), "demo data (out of memory)");
		return STORE_ERROR;
	}
	return STORE_OK;
}

int demo_load(struct db *db, int64_t now, struct dom_err *err)
{
	struct demo_ctx *c = calloc(1, sizeof(*c));
	bool any = true;
	int rc;

	err->code = DOM_OK;
	if (c)
		c->data = calloc(1, sizeof(*c->data));
	if (!c || !c->data) {
		free(c);
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory loading demo data");
	}
	c->db = db;
	rc = store_demo_has_event(db, &any);
	if (rc || any)
		goto out;
	rc = demo_prepare(c);
	if (rc)
		goto out;
	c->rng.s = DEMO_SEED;
	c->base = demo_utc_day(civil_days_from_date(2025, 12, 1)) + 9 * DEMO_HOUR;
	c->today = demo_utc_day(civil_days_from_date(2026, 11, 27)) + 8 * DEMO_HOUR;
	c->now = now;
	c->cutoff = demo_min(now, c->today);

	rc = db_begin(db);
	if (rc)
		goto out;
	rc = store_demo_has_event(db, &any);
	if (rc || any)
		goto out;
	rc = demo_insert_cast(c);
	rc = rc ? rc : demo_insert_events(c);
	if (!rc)
		demo_make_people(c);
	rc = rc ? rc : demo_plan_regs(c);
	rc = rc ? rc : demo_insert_people(c);
	rc = rc ? rc : demo_insert_regs(c);
	rc = rc ? rc : demo_insert_attendance(c);
	rc = rc ? rc : demo_verify(c);
	rc = rc ? rc : demo_changelog(c);
	rc = rc ? rc : db_commit(db);
	if (!rc)
		log_notice("demo data loaded: %d events, %d sessions, %d people, %d registrations, %d "
			   "attendance rows",
			   c->data->n_events, c->n_sessions, c->n_people + c->data->n_facs, c->n_regs,
			   c->n_attendance);
out:
	if (rc) {
		db_rollback(db);
		log_err("demo data not loaded: %s failed (%d)", c->what[0] ? c->what : "database", rc);
		dom_from_store(err, rc, c->what[0] ? c->what : "demo data");
		if (rc == STORE_ERROR)
			dom_fail(err, DOM_INTERNAL, "demo_failed", "loading %s failed",
				 c->what[0] ? c->what : "demo data");
	} else if (any) {
		db_rollback(db);
		log_info("demo data skipped: the database already holds events");
	}
	explicit_bzero(c->hashes, sizeof(c->hashes));
	demo_data_free(c->data);
	free(c->data);
	free(c->people);
	free(c->regs);
	free(c);
	return err->code;
}
