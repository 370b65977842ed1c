/*
 * registrations: registering to an event (window, visibility, capacity, waitlist, approval,
 * personal link, promotion), each write one transaction with its change-log and outbox rows; it
 * never chooses HTTP statuses, never logs personal data or tokens.
 */
#include "domain/registrations.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "domain/event_access.h"
#include "domain/events.h"
#include "domain/idempotency.h"
#include "domain/outbox.h"
#include "domain/txn.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_counts.h"
#include "store/store_outbox.h"
#include "store/store_registrations.h"
#include "util/jsonx.h"
#include "util/log.h"
#include "util/secret.h"
#include "util/text.h"

#define REG_IDEM_SCOPE	    "registrations"
#define REG_NAME_MAX	    200
#define REG_EMAIL_MAX	    254
#define REG_NATIONALITY_MAX 64
#define REG_PHONE_MAX	    32 /* as typed, before text_phone_e164 */

static const char *const reg_statuses[] = {"pending",	"confirmed", "waitlisted", "declined",
					   "cancelled", "rejected",  NULL};

bool registrations_status_valid(const char *s)
{
	if (!s)
		return false;
	for (int i = 0; reg_statuses[i]; i++)
		if (!strcmp(s, reg_statuses[i]))
			return true;
	return false;
}

/* Whether a registration in status s no longer holds or waits for a seat. */
static bool reg_is_final(const char *s)
{
	return !strcmp(s, "declined") || !strcmp(s, "cancelled") || !strcmp(s, "rejected");
}

/* Writes the change-log row "registration.<what>" for reg_id on event ev's topic. */
static int reg_changelog(struct db *db, int64_t now, const struct store_reg_event *ev, int64_t reg_id,
			 const char *what, const char *status, int64_t *seq)
{
	struct json_object *payload = json_object_new_object();
	char topic[40], kind[48];
	int rc;

	snprintf(topic, sizeof(topic), "event:%lld", (long long)ev->id);
	snprintf(kind, sizeof(kind), "registration.%s", what);
	jsonx_add_int(payload, "registration_id", reg_id);
	jsonx_add_str(payload, "status", status);
	rc = db_changelog(db, topic, kind, ev->org_id, payload, now, seq);
	json_object_put(payload);
	return rc;
}

/* Queues the notification "registration.<what>" for the registration's person; with the new token,
 * the personal link goes in sealed (outbox_seal_link) until it is mailed. */
static int reg_outbox_link(struct db *db, int64_t now, const char *what, const struct store_reg *r,
			   const char *key, const char *token)
{
	struct json_object *payload = json_object_new_object();
	char kind[48], *sealed = token ? outbox_seal_link(key, token) : NULL;
	int rc;

	snprintf(kind, sizeof(kind), "registration.%s", what);
	jsonx_add_int(payload, "registration_id", r->id);
	jsonx_add_int(payload, "event_id", r->event_id);
	jsonx_add_str(payload, "lang", r->lang[0] ? r->lang : "fr");
	if (sealed)
		jsonx_add_str(payload, "link_sealed", sealed);
	rc = db_outbox(db, kind, r->person_id, "email", payload, now);
	json_object_put(payload);
	free(sealed);
	return rc;
}

static int reg_outbox(struct db *db, int64_t now, const char *what, const struct store_reg *r)
{
	return reg_outbox_link(db, now, what, r, NULL, NULL);
}

int registrations_promote_seq(struct db *db, int64_t event_id, int64_t now, int64_t *seq, struct dom_err *err)
{
	struct store_reg_event ev;
	struct store_reg r;
	int64_t confirmed = 0;
	int n = 0;
	int rc;

	rc = store_reg_event_get(db, event_id, &ev);
	if (rc)
		return dom_from_store(err, rc, "event");
	if (!strcmp(ev.status, "cancelled"))
		return 0;
	rc = store_counts_confirmed(db, event_id, &confirmed);
	if (rc)
		return dom_from_store(err, rc, "registrations");
	while (confirmed < ev.capacity) {
		rc = store_reg_first_waitlisted(db, event_id, &r);
		if (rc == STORE_NOT_FOUND)
			break;
		if (rc)
			return dom_from_store(err, rc, "registration");
		rc = store_reg_set_status(db, r.id, "confirmed", false, 0, now);
		rc = rc ? rc : reg_changelog(db, now, &ev, r.id, "promoted", "confirmed", seq);
		rc = rc ? rc : reg_outbox(db, now, "promoted", &r);
		if (rc)
			return dom_from_store(err, rc, "registration");
		confirmed++;
		n++;
	}
	return n;
}

int registrations_promote(struct db *db, int64_t event_id, int64_t now, struct dom_err *err)
{
	int64_t seq = 0;

	return registrations_promote_seq(db, event_id, now, &seq, err);
}

/* {"id","event_id","status","waitlist_position","attendance_confirmed_at","created_at","updated_at"}
 * for r; NULL on a store error (*rc set). */
static struct json_object *reg_view(struct db *db, const struct store_reg *r, int *rc)
{
	struct json_object *o;
	int64_t pos = 0;

	*rc = STORE_OK;
	if (!strcmp(r->status, "waitlisted") && r->has_wseq) {
		*rc = store_counts_waitlist_position(db, r->event_id, r->waitlist_seq, &pos);
		if (*rc)
			return NULL;
	}
	o = json_object_new_object();
	jsonx_add_int(o, "id", r->id);
	jsonx_add_int(o, "event_id", r->event_id);
	jsonx_add_str(o, "status", r->status);
	json_object_object_add(o, "waitlist_position", pos > 0 ? json_object_new_int64(pos) : NULL);
	json_object_object_add(o, "attendance_confirmed_at",
			       r->has_attendance_confirmed ? json_object_new_int64(r->attendance_confirmed_at)
							   : NULL);
	jsonx_add_int(o, "created_at", r->created_at);
	jsonx_add_int(o, "updated_at", r->updated_at);
	return o;
}

/* The instant t as RFC 3339 in the programme's zone, for messages. */
static void reg_format_time(int64_t t, char out[32])
{
	if (tz_format_instant(TZ_DEFAULT_ZONE, t, out) != TZ_OK)
		snprintf(out, 32, "%lld", (long long)t);
}

/* Whether p may register someone to ev; DOM_OK or a dom_code with err set. An event p may not see
 * (event_access_visible) does not exist for p; of those who see an invited or internal event, only its
 * organisers (and admins) may register participants. */
static int reg_may_register(struct db *db, const struct principal *p, const struct store_reg_event *ev,
			    struct dom_err *err)
{
	int rc = event_access_visible(db, p, ev->id, ev->org_id, ev->visibility);

	if (rc < 0)
		return dom_from_store(err, rc, "event");
	if (!rc)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "event not found");
	if (!strcmp(ev->visibility, "public") || p->role == ROLE_ADMIN || p->role == ROLE_ORGANISER)
		return DOM_OK;
	return dom_fail(err, DOM_FORBIDDEN, "registration_by_invitation",
			"this event is by invitation: only its organisers may register participants");
}

/* Whether ev takes registrations at now: DOM_OK or DOM_CONFLICT with the reason. */
static int reg_window(const struct store_reg_event *ev, int64_t now, struct dom_err *err)
{
	char when[32];
	int64_t closes;

	if (!strcmp(ev->status, "cancelled"))
		return dom_fail(err, DOM_CONFLICT, "event_cancelled", "this event is cancelled");
	if (!strcmp(ev->status, "postponed"))
		return dom_fail(err, DOM_CONFLICT, "event_postponed",
				"this event is postponed: registration reopens when it is rescheduled");
	if (ev->has_opens && now < ev->opens_at) {
		reg_format_time(ev->opens_at, when);
		return dom_fail(err, DOM_CONFLICT, "registration_not_open", "registration opens at %s", when);
	}
	if (!ev->has_closes && !ev->has_first_start)
		return DOM_OK;
	closes = ev->has_closes ? ev->closes_at : ev->first_start;
	if (now >= closes) {
		reg_format_time(closes, when);
		return dom_fail(err, DOM_CONFLICT, "registration_closed", "registration closed at %s", when);
	}
	return DOM_OK;
}

const char *const registrations_sexes[] = {"female", "male", "unspecified", NULL};
const char *const registrations_langs[] = {"fr", "ar", "en", NULL};

/* Rules on the form that need no database, the only place they are checked (the handler only parses
 * types): each field in the order of the form, then contact and consent. Text follows text_is_clean
 * (TEXT_NAME) and the phone text_is_phone; messages are util/jsonx's, as for every JSON field. */
static int reg_check_input(const struct reg_input *in, struct dom_err *err)
{
	struct jsonx_err je = {0};
	int idx;

	if (!in->name)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'name' is required");
	if (jsonx_check_str("name", in->name, JSONX_LINE, REG_NAME_MAX, &je) ||
	    (in->name_ar && jsonx_check_str("name_ar", in->name_ar, JSONX_LINE, REG_NAME_MAX, &je)) ||
	    (in->sex && jsonx_check_enum("sex", in->sex, registrations_sexes, &idx, &je)) ||
	    (in->nationality &&
	     jsonx_check_str("nationality", in->nationality, JSONX_LINE, REG_NATIONALITY_MAX, &je)) ||
	    (in->phone && jsonx_check_str("phone", in->phone, JSONX_PHONE, REG_PHONE_MAX, &je)) ||
	    (in->email && jsonx_check_str("email", in->email, JSONX_EMAIL, REG_EMAIL_MAX, &je)) ||
	    (in->lang && jsonx_check_enum("lang", in->lang, registrations_langs, &idx, &je)))
		return dom_fail(err, DOM_INVALID, je.code, "%s", je.message);
	if (!in->email && !in->phone)
		return dom_fail(err, DOM_INVALID, "contact_required",
				"give an e-mail address or a phone number");
	if (!in->has_consent || !in->consent)
		return dom_fail(
		    err, DOM_UNPROCESSABLE, "consent_required",
		    "consent to the processing of personal data is required to register ('consent': true)");
	return DOM_OK;
}

/* Inside the transaction: queues a mail with a new personal link for r ("registration.link_resent", with
 * its change-log row "registration.link_requested"), unless one is still waiting or was queued at or after
 * since: at most one link mail per REG_LINK_RESEND_GAP when anyone may ask (typing someone's address again
 * and again neither floods their inbox nor keeps replacing their link), and no second one while the first
 * waits. Returns 0 (*seq set when queued) or a negative store_rc. */
static int reg_send_link(struct db *db, int64_t now, const struct store_reg_event *ev,
			 const struct store_reg *r, int64_t since, int64_t *seq)
{
	int rc = store_outbox_recent(db, "registration.link_resent", r->id, since);

	if (rc)
		return rc < 0 ? rc : 0;
	rc = reg_changelog(db, now, ev, r->id, "link_requested", r->status, seq);
	return rc ? rc : reg_outbox(db, now, "link_resent", r);
}

/* The answer of a registration call begins {"registration": r's view} (res->json); DOM_OK or a dom_code. */
static int reg_answer(struct db *db, const struct store_reg *r, struct reg_result *res, struct dom_err *err)
{
	struct json_object *view;
	int rc;

	view = reg_view(db, r, &rc);
	if (!view)
		return dom_from_store(err, rc, "registration");
	res->json = json_object_new_object();
	json_object_object_add(res->json, "registration", view);
	return DOM_OK;
}

/* Inside the transaction: the answer for an already registered person (no token), the outbox row that
 * mails them their link, and its change-log row "registration.link_requested" (which also wakes the
 * notifications worker). */
static int reg_existing(struct db *db, const struct store_reg_event *ev, const struct store_reg *r,
			int64_t now, struct reg_result *res, struct dom_err *err)
{
	int rc = reg_answer(db, r, res, err);

	if (rc)
		return rc;
	jsonx_add_bool(res->json, "existing", true);
	rc = reg_send_link(db, now, ev, r, now - REG_LINK_RESEND_GAP, &res->seq);
	if (rc < 0)
		return dom_from_store(err, rc, "registration");
	res->outcome = IDEM_OK;
	return DOM_OK;
}

/* The status a new (or reopened) registration to ev gets: pending when the event needs approval, else
 * confirmed while a seat is free, else waitlisted. */
static int reg_initial_status(struct db *db, const struct store_reg_event *ev, const char **status)
{
	int64_t confirmed = 0;
	int rc;

	if (ev->needs_approval) {
		*status = "pending";
		return STORE_OK;
	}
	rc = store_counts_confirmed(db, ev->id, &confirmed);
	*status = confirmed < ev->capacity ? "confirmed" : "waitlisted";
	return rc;
}

/* Inside the transaction: a person who cancelled or declined registers again. The registration becomes
 * active as a new one would (approval, seat or the end of the waitlist) and keeps its token: the answer
 * carries none — the owner gets their link by mail — so typing someone's e-mail address reveals nothing. */
static int reg_reopen(struct db *db, const struct store_reg_event *ev, const struct store_reg *old,
		      int64_t now, struct reg_result *res, struct dom_err *err)
{
	struct store_reg r;
	const char *status;
	int rc;

	rc = reg_initial_status(db, ev, &status);
	rc = rc ? rc : reg_changelog(db, now, ev, old->id, "reopened", status, &res->seq);
	rc = rc ? rc : store_reg_reopen(db, old->id, status, !strcmp(status, "waitlisted"), res->seq, now);
	rc = rc ? rc : store_reg_get(db, old->id, &r);
	rc = rc ? rc : reg_outbox(db, now, status, &r);
	rc = rc ? rc : reg_outbox(db, now, "link_resent", &r);
	if (rc)
		return dom_from_store(err, rc, "registration");
	rc = reg_answer(db, &r, res, err);
	if (rc)
		return rc;
	jsonx_add_bool(res->json, "existing", true);
	jsonx_add_bool(res->json, "reopened", true);
	res->outcome = IDEM_OK;
	return DOM_OK;
}

/* Inside the transaction: a new registration of person_id to ev; its link is sealed under link_key. */
static int reg_insert_new(struct db *db, const char *link_key, const struct store_reg_event *ev,
			  int64_t person_id, int64_t now, struct reg_result *res, struct dom_err *err)
{
	char token[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_LEN + 1], link[SECRET_TOKEN_LEN + 8];
	const char *status;
	struct store_reg r;
	int64_t id = 0;
	int rc;

	if (secret_token_new(token))
		return dom_fail(err, DOM_INTERNAL, NULL, "could not create a token");
	secret_hash(token, strlen(token), hash);
	rc = reg_initial_status(db, ev, &status);
	if (rc)
		return dom_from_store(err, rc, "registrations");
	rc = store_reg_insert(db, ev->id, person_id, status, hash, now, &id);
	rc = rc ? rc : reg_changelog(db, now, ev, id, "created", status, &res->seq);
	/* first come, first served: the waitlist is ordered by the change-log sequence */
	if (!rc && !strcmp(status, "waitlisted"))
		rc = store_reg_set_status(db, id, status, true, res->seq, now);
	rc = rc ? rc : store_reg_get(db, id, &r);
	rc = rc ? rc : reg_outbox_link(db, now, status, &r, link_key, token);
	if (rc)
		return dom_from_store(err, rc, "registration");
	rc = reg_answer(db, &r, res, err);
	if (rc)
		return rc;
	snprintf(link, sizeof(link), "/r/%s", token);
	jsonx_add_str(res->json, "token", token);
	jsonx_add_str(res->json, "link", link);
	res->outcome = IDEM_CREATED;
	return DOM_OK;
}

int registrations_create(struct db *db, const char *link_key, const struct principal *p, int64_t event_id,
			 const struct reg_input *in, const char *idem_key, int64_t now,
			 struct reg_result *res, struct dom_err *err)
{
	char email[REG_EMAIL_MAX + 1], phone[TEXT_PHONE_E164_SIZE];
	struct store_person_new np;
	struct store_reg_event ev;
	struct store_reg existing;
	int64_t person_id = 0;
	bool keyed = idem_key && idem_key[0];
	int ret, rc;

	memset(res, 0, sizeof(*res));
	ret = reg_check_input(in, err);
	if (ret)
		return ret;
	email[0] = '\0';
	if (in->email) {
		snprintf(email, sizeof(email), "%s", in->email);
		text_ascii_lower(email);
	}
	/* one number however it was typed: the person is found by it and stored with it */
	if (!in->phone || !text_phone_e164(in->phone, phone))
		phone[0] = '\0';
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "registration");
	if (keyed) {
		ret = idempotency_lookup(db, REG_IDEM_SCOPE, idem_key, now, &res->outcome, &res->json, err);
		if (ret < 0)
			goto out;
		if (ret == 1) {
			db_rollback(db);
			res->replayed = true;
			return DOM_OK;
		}
	}
	rc = store_reg_event_get(db, event_id, &ev);
	if (rc) {
		ret = dom_from_store(err, rc, "event");
		goto out;
	}
	ret = reg_may_register(db, p, &ev, err);
	ret = ret ? ret : reg_window(&ev, now, err);
	if (ret)
		goto out;
	rc = store_reg_person_find(db, email[0] ? email : NULL, phone[0] ? phone : NULL, &person_id);
	if (rc == STORE_OK) {
		rc = store_reg_get_by_person(db, event_id, person_id, &existing);
		if (rc == STORE_OK) {
			if (!strcmp(existing.status, "cancelled") || !strcmp(existing.status, "declined"))
				ret = reg_reopen(db, &ev, &existing, now, res, err);
			else
				ret = reg_existing(db, &ev, &existing, now, res, err);
			goto out;
		}
	} else if (rc == STORE_NOT_FOUND) {
		np = (struct store_person_new){
		    .org_id = ev.org_id,
		    .name = in->name,
		    .name_ar = in->name_ar,
		    .sex = in->sex ? in->sex : "unspecified",
		    .nationality = in->nationality,
		    .phone = phone[0] ? phone : NULL,
		    .email = email[0] ? email : NULL,
		    .lang = in->lang ? in->lang : "fr",
		    .consent_at = now,
		};
		rc = store_reg_person_insert(db, &np, now, &person_id);
	}
	if (rc && rc != STORE_NOT_FOUND) {
		ret = dom_from_store(err, rc, "registration");
		goto out;
	}
	ret = reg_insert_new(db, link_key, &ev, person_id, now, res, err);
out:
	if (!ret && keyed)
		ret = idempotency_save(db, REG_IDEM_SCOPE, idem_key, res->outcome, res->json, now, err);
	ret = txn_finish(db, ret, "registration", &res->seq, err);
	if (ret) {
		json_object_put(res->json);
		res->json = NULL;
	}
	return ret;
}

/* The contact of in normalised as registration stores it: an e-mail address (with '@', lowercased) into
 * email, else a phone number in E.164 into phone (the other one ""). DOM_OK or DOM_INVALID with the
 * message jsonx gives for field 'contact'. */
static int reg_contact(const struct reg_lost_link_input *in, char email[REG_EMAIL_MAX + 1],
		       char phone[TEXT_PHONE_E164_SIZE], struct dom_err *err)
{
	struct jsonx_err je = {0};

	email[0] = phone[0] = '\0';
	if (!in->contact)
		return dom_fail(err, DOM_INVALID, "missing_field", "field 'contact' is required");
	if (strchr(in->contact, '@')) {
		if (jsonx_check_str("contact", in->contact, JSONX_EMAIL, REG_EMAIL_MAX, &je))
			return dom_fail(err, DOM_INVALID, je.code, "%s", je.message);
		snprintf(email, REG_EMAIL_MAX + 1, "%s", in->contact);
		text_ascii_lower(email);
		return DOM_OK;
	}
	if (jsonx_check_str("contact", in->contact, JSONX_PHONE, REG_PHONE_MAX, &je))
		return dom_fail(err, DOM_INVALID, je.code, "%s", je.message);
	if (!text_phone_e164(in->contact, phone))
		return dom_fail(err, DOM_INVALID, "invalid_field",
				"field 'contact' must be an e-mail address or a phone number");
	return DOM_OK;
}

/* Inside the transaction: queues a new link for every live registration of the contact (email or phone)
 * to any event, at most REG_LOST_LINK_MAX, each under reg_send_link's gap. 0 or a negative store_rc. */
static int reg_lost_link_any(struct db *db, const char *email, const char *phone, int64_t now, int64_t *seq)
{
	struct store_reg regs[REG_LOST_LINK_MAX];
	struct store_reg_event ev;
	size_t n = 0;
	int rc = store_reg_live_by_contact(db, email, phone, now, regs, REG_LOST_LINK_MAX, &n);

	for (size_t i = 0; !rc && i < n; i++) {
		rc = store_reg_event_get(db, regs[i].event_id, &ev);
		rc = rc ? rc : reg_send_link(db, now, &ev, &regs[i], now - REG_LINK_RESEND_GAP, seq);
	}
	return rc;
}

int registrations_lost_link(struct db *db, const struct principal *p, int64_t event_id,
			    const struct reg_lost_link_input *in, int64_t now, int64_t *seq,
			    struct dom_err *err)
{
	char email[REG_EMAIL_MAX + 1], phone[TEXT_PHONE_E164_SIZE];
	const char *e, *ph;
	struct store_reg_event ev;
	struct store_reg r;
	int ret, rc;

	*seq = 0;
	ret = reg_contact(in, email, phone, err);
	if (ret)
		return ret;
	e = email[0] ? email : NULL;
	ph = phone[0] ? phone : NULL;
	/* one transaction whether or not the contact is known: the same work, the same answer */
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "registration");
	if (!event_id) {
		rc = reg_lost_link_any(db, e, ph, now, seq);
		goto done;
	}
	rc = store_reg_event_get(db, event_id, &ev);
	if (rc) {
		ret = dom_from_store(err, rc, "event");
		goto out;
	}
	rc = event_access_visible(db, p, ev.id, ev.org_id, ev.visibility);
	if (rc <= 0) {
		ret = rc < 0 ? dom_from_store(err, rc, "event")
			     : dom_fail(err, DOM_NOT_FOUND, NULL, "event not found");
		goto out;
	}
	rc = store_reg_get_active_by_contact(db, event_id, e, ph, &r);
	if (rc == STORE_OK)
		rc = reg_send_link(db, now, &ev, &r, now - REG_LINK_RESEND_GAP, seq);
done:
	if (rc && rc != STORE_NOT_FOUND)
		ret = dom_from_store(err, rc, "registration");
out:
	return txn_finish(db, ret, "registration", seq, err);
}

/* Adds key: v when v is not 0, else null (an id that a NULL column leaves 0). */
static void reg_add_id(struct json_object *o, const char *key, int64_t v)
{
	if (v)
		jsonx_add_int(o, key, v);
	else
		jsonx_add_str(o, key, NULL);
}

/* Adds key: the wall time local with the UTC offset off (RFC 3339), when local is set. */
static void reg_add_instant(struct json_object *o, const char *key, const char *local, int64_t off)
{
	char z[TZ_OFFSET_LEN], at[48];

	if (!local)
		return;
	tz_format_offset((int32_t)off, z);
	snprintf(at, sizeof(at), "%s%s", local, z);
	jsonx_add_str(o, key, at);
}

/* The personal-link page's session object from s (with "starts_at"/"ends_at" in RFC 3339 with the
 * session's offsets). New reference. */
static struct json_object *reg_session_render(const struct store_reg_session *s)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", s->id);
	jsonx_add_str(o, "title", s->title);
	jsonx_add_str(o, "starts_local", s->starts_local);
	jsonx_add_str(o, "ends_local", s->ends_local);
	jsonx_add_str(o, "tz", s->tz);
	jsonx_add_int(o, "start_utc", s->start_utc);
	jsonx_add_int(o, "end_utc", s->end_utc);
	jsonx_add_int(o, "start_offset", s->start_offset);
	jsonx_add_int(o, "end_offset", s->end_offset);
	reg_add_id(o, "room_id", s->room_id);
	jsonx_add_str(o, "room_name", s->room_name);
	reg_add_id(o, "venue_id", s->venue_id);
	jsonx_add_str(o, "venue_name", s->venue_name);
	jsonx_add_str(o, "venue_city", s->venue_city);
	reg_add_instant(o, "starts_at", s->starts_local, s->start_offset);
	reg_add_instant(o, "ends_at", s->ends_local, s->end_offset);
	return o;
}

/* The personal-link page's event object from v, its "title" in lang (else French, English, Arabic). */
static struct json_object *reg_link_event_render(const struct store_reg_link_view *v, const char *lang)
{
	struct json_object *o = json_object_new_object();
	const char *title = !strcmp(lang, "ar")	  ? v->title_ar
			    : !strcmp(lang, "en") ? v->title_en
			    : !strcmp(lang, "fr") ? v->title_fr
						  : NULL;

	jsonx_add_int(o, "id", v->event_id);
	jsonx_add_str(o, "type", v->event_type);
	jsonx_add_str(o, "title_fr", v->title_fr);
	jsonx_add_str(o, "title_ar", v->title_ar);
	jsonx_add_str(o, "title_en", v->title_en);
	jsonx_add_str(o, "status", v->event_status);
	jsonx_add_int(o, "org_id", v->org_id);
	title = title ? title : v->title_fr ? v->title_fr : v->title_en ? v->title_en : v->title_ar;
	jsonx_add_str(o, "title", title);
	return o;
}

/* The personal-link view of r: registration fields, event, sessions, attendance, person name. */
static int reg_link_view(struct db *db, const struct store_reg *r, struct json_object **out,
			 struct dom_err *err)
{
	struct store_reg_link_view v;
	struct json_object *o, *arr, *a, *person;
	const char *lang = r->lang[0] ? r->lang : "fr";
	int rc;

	*out = NULL;
	o = reg_view(db, r, &rc);
	rc = o ? store_reg_link_view(db, r->id, r->event_id, r->person_id, &v) : rc;
	if (rc) {
		json_object_put(o);
		return dom_from_store(err, rc, "registration");
	}
	json_object_object_add(o, "event", reg_link_event_render(&v, lang));
	arr = json_object_new_array();
	for (size_t i = 0; i < v.n_sessions; i++)
		json_object_array_add(arr, reg_session_render(&v.sessions[i]));
	json_object_object_add(o, "sessions", arr);
	arr = json_object_new_array();
	for (size_t i = 0; i < v.n_attendance; i++) {
		a = json_object_new_object();
		jsonx_add_int(a, "session_id", v.attendance[i].session_id);
		jsonx_add_str(a, "status", v.attendance[i].status);
		jsonx_add_str(a, "method", v.attendance[i].method);
		jsonx_add_int(a, "recorded_at", v.attendance[i].recorded_at);
		json_object_array_add(arr, a);
	}
	json_object_object_add(o, "attendance", arr);
	person = json_object_new_object();
	jsonx_add_str(person, "name", v.name);
	jsonx_add_str(person, "name_ar", v.name_ar);
	jsonx_add_str(person, "lang", v.lang);
	json_object_object_add(o, "person", person);
	store_reg_link_view_clear(&v);
	*out = o;
	return DOM_OK;
}

/* Looks up the registration of a personal-link token: 0, or DOM_NOT_FOUND/other with err set. */
static int reg_by_token(struct db *db, const char *token, struct store_reg *r, struct dom_err *err)
{
	char hash[SECRET_HASH_LEN + 1];
	int rc;

	if (!token || !token[0])
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no registration for this link");
	secret_hash(token, strlen(token), hash);
	rc = store_reg_get_by_token(db, hash, r);
	if (rc == STORE_NOT_FOUND)
		return dom_fail(err, DOM_NOT_FOUND, NULL, "no registration for this link");
	if (rc)
		return dom_from_store(err, rc, "registration");
	return DOM_OK;
}

int registrations_by_token(struct db *db, const char *token, int64_t now, struct json_object **out,
			   struct dom_err *err)
{
	struct store_reg r;
	int ret;

	(void)now;
	*out = NULL;
	ret = reg_by_token(db, token, &r, err);
	return ret ? ret : reg_link_view(db, &r, out, err);
}

int registrations_calendar(struct db *db, const char *token, bool has_lang, enum feed_lang lang,
			   struct feeds_ref *out, struct dom_err *err)
{
	struct store_reg r;
	int ret = reg_by_token(db, token, &r, err);

	if (ret)
		return ret;
	if (!has_lang && feed_lang_parse(r.lang, &lang))
		lang = FEED_LANG_FR;
	feeds_registration(r.id, lang, out);
	return DOM_OK;
}

/*
 * Inside the transaction: moves r to the final status target ("declined", "cancelled",
 * "rejected") announcing it as what, and promotes from the waitlist when it held a seat. Already in
 * target: nothing changes. In another final status: DOM_CONFLICT.
 */
static int reg_close(struct db *db, const struct store_reg_event *ev, struct store_reg *r, const char *target,
		     int64_t now, int64_t *seq, struct dom_err *err)
{
	bool held_seat = !strcmp(r->status, "confirmed");
	int ret, rc;

	if (!strcmp(r->status, target))
		return DOM_OK;
	if (reg_is_final(r->status))
		return dom_fail(err, DOM_CONFLICT, "invalid_transition", "this registration is already %s",
				r->status);
	rc = store_reg_set_status(db, r->id, target, false, 0, now);
	rc = rc ? rc : reg_changelog(db, now, ev, r->id, target, target, seq);
	rc = rc ? rc : reg_outbox(db, now, target, r);
	if (rc)
		return dom_from_store(err, rc, "registration");
	if (held_seat) {
		ret = registrations_promote_seq(db, ev->id, now, seq, err);
		if (ret < 0)
			return ret;
	}
	return DOM_OK;
}

/* Ends the transaction of an action on registration *r, whose steps concluded ret (txn_finish); once
 * committed, reloads it and renders it (link view or plain) into *out. */
static int reg_finish(struct db *db, int ret, const struct store_reg *r, bool link_view,
		      struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct store_reg cur;
	int rc;

	ret = txn_finish(db, ret, "registration", seq, err);
	if (ret)
		return ret;
	rc = store_reg_get(db, r->id, &cur);
	if (rc)
		return dom_from_store(err, rc, "registration");
	if (link_view)
		return reg_link_view(db, &cur, out, err);
	*out = reg_view(db, &cur, &rc);
	return *out ? DOM_OK : dom_from_store(err, rc, "registration");
}

int registrations_self(struct db *db, const char *token, enum reg_self_action action, int64_t now,
		       struct json_object **out, int64_t *seq, struct dom_err *err)
{
	struct store_reg_event ev;
	struct store_reg r;
	int ret, rc;

	*out = NULL;
	*seq = 0;
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "registration");
	ret = reg_by_token(db, token, &r, err);
	if (ret)
		goto out;
	rc = store_reg_event_get(db, r.event_id, &ev);
	if (rc) {
		ret = dom_from_store(err, rc, "event");
		goto out;
	}
	switch (action) {
	case REG_SELF_CONFIRM:
		if (strcmp(r.status, "confirmed")) {
			ret =
			    dom_fail(err, DOM_CONFLICT, "registration_not_confirmed",
				     "only a confirmed registration can confirm attendance (this one is %s)",
				     r.status);
			goto out;
		}
		if (r.has_attendance_confirmed)
			break;
		rc = store_reg_set_attendance_confirmed(db, r.id, now);
		rc = rc ? rc : reg_changelog(db, now, &ev, r.id, "attendance_confirmed", r.status, seq);
		if (rc) {
			ret = dom_from_store(err, rc, "registration");
			goto out;
		}
		break;
	case REG_SELF_DECLINE:
		ret = reg_close(db, &ev, &r, "declined", now, seq, err);
		break;
	case REG_SELF_CANCEL:
		ret = reg_close(db, &ev, &r, "cancelled", now, seq, err);
		break;
	}
out:
	return reg_finish(db, ret, &r, true, out, seq, err);
}

/* The organisers' list entry from r: the registration and its person's contact data. New reference. */
static struct json_object *reg_list_render(const struct store_reg_row *r)
{
	struct json_object *o = json_object_new_object();

	jsonx_add_int(o, "id", r->id);
	jsonx_add_int(o, "event_id", r->event_id);
	jsonx_add_str(o, "status", r->status);
	if (r->has_waitlist_position)
		jsonx_add_int(o, "waitlist_position", r->waitlist_position);
	else
		jsonx_add_str(o, "waitlist_position", NULL);
	if (r->has_attendance_confirmed)
		jsonx_add_int(o, "attendance_confirmed_at", r->attendance_confirmed_at);
	else
		jsonx_add_str(o, "attendance_confirmed_at", NULL);
	jsonx_add_int(o, "created_at", r->created_at);
	jsonx_add_int(o, "updated_at", r->updated_at);
	jsonx_add_int(o, "person_id", r->person_id);
	jsonx_add_str(o, "name", r->name);
	jsonx_add_str(o, "name_ar", r->name_ar);
	jsonx_add_str(o, "sex", r->sex);
	jsonx_add_str(o, "nationality", r->nationality);
	jsonx_add_str(o, "email", r->email);
	jsonx_add_str(o, "phone", r->phone);
	jsonx_add_str(o, "lang", r->lang);
	return o;
}

int registrations_list(struct db *db, const struct principal *p, int64_t event_id, const char *status,
		       int64_t limit, int64_t offset, struct json_object **items, int64_t *total,
		       struct dom_err *err)
{
	struct store_reg_row *rows = NULL;
	struct store_reg_event ev;
	size_t n = 0;
	int rc;

	*items = NULL;
	*total = 0;
	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (status && !registrations_status_valid(status))
		return dom_fail(
		    err, DOM_INVALID, "invalid_query",
		    "status must be pending, confirmed, waitlisted, declined, cancelled or rejected");
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only administrators and organisers see registrations");
	rc = store_reg_event_get(db, event_id, &ev);
	if (rc)
		return dom_from_store(err, rc, "event");
	if (!principal_sees_people_of(p, ev.org_id)) {
		/* an event p may not see answers as one that does not exist */
		rc = events_visible_id(db, p, event_id);
		if (rc <= 0)
			return dom_from_store(err, rc ? rc : STORE_NOT_FOUND, "event");
		return dom_fail(
		    err, DOM_FORBIDDEN, NULL,
		    "only administrators and organisers of the event's organisation see its registrations");
	}
	rc = store_reg_list(db, event_id, status, limit, offset, &rows, &n, total);
	if (rc)
		return dom_from_store(err, rc, "registrations");
	*items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*items, reg_list_render(&rows[i]));
	store_reg_rows_free(rows, n);
	return DOM_OK;
}

/* Inside the transaction: approves pending r (confirmed if a seat is free, else waitlisted). */
static int reg_approve(struct db *db, const struct store_reg_event *ev, struct store_reg *r, int64_t now,
		       int64_t *seq, struct dom_err *err)
{
	int64_t confirmed = 0;
	int rc;

	if (strcmp(r->status, "pending"))
		return dom_fail(err, DOM_CONFLICT, "invalid_transition",
				"only a pending registration can be approved (this one is %s)", r->status);
	if (!strcmp(ev->status, "cancelled"))
		return dom_fail(err, DOM_CONFLICT, "event_cancelled", "this event is cancelled");
	rc = store_counts_confirmed(db, ev->id, &confirmed);
	if (rc)
		return dom_from_store(err, rc, "registrations");
	if (confirmed < ev->capacity) {
		rc = store_reg_set_status(db, r->id, "confirmed", false, 0, now);
		rc = rc ? rc : reg_changelog(db, now, ev, r->id, "approved", "confirmed", seq);
		rc = rc ? rc : reg_outbox(db, now, "confirmed", r);
	} else {
		rc = reg_changelog(db, now, ev, r->id, "approved", "waitlisted", seq);
		rc = rc ? rc : store_reg_set_status(db, r->id, "waitlisted", true, *seq, now);
		rc = rc ? rc : reg_outbox(db, now, "waitlisted", r);
	}
	return rc ? dom_from_store(err, rc, "registration") : DOM_OK;
}

/* Loads registration reg_id and its event into *r and *ev (each may be NULL) when p may act on it as
 * its organiser: DOM_OK, else the refusal of registrations_org_writable. */
static int reg_org_load(struct db *db, const struct principal *p, int64_t reg_id, struct store_reg *r,
			struct store_reg_event *ev, struct dom_err *err)
{
	struct store_reg_event ev_own;
	struct store_reg r_own;
	int rc;

	r = r ? r : &r_own;
	ev = ev ? ev : &ev_own;
	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only administrators and organisers may act on registrations");
	rc = store_reg_get(db, reg_id, r);
	rc = rc ? rc : store_reg_event_get(db, r->event_id, ev);
	if (rc)
		return dom_from_store(err, rc, "registration");
	/* another organisation's registration: do not even confirm it exists */
	if (!principal_manages_org(p, ev->org_id))
		return dom_fail(err, DOM_NOT_FOUND, NULL, "registration not found");
	return DOM_OK;
}

int registrations_org_writable(struct db *db, const struct principal *p, int64_t reg_id, struct dom_err *err)
{
	return reg_org_load(db, p, reg_id, NULL, NULL, err);
}

int registrations_org_action(struct db *db, const struct principal *p, int64_t reg_id,
			     enum reg_org_action action, int64_t now, struct json_object **out, int64_t *seq,
			     struct dom_err *err)
{
	struct store_reg_event ev;
	struct store_reg r;
	int ret, rc;

	*out = NULL;
	*seq = 0;
	memset(&r, 0, sizeof(r));
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "registration");
	ret = reg_org_load(db, p, reg_id, &r, &ev, err);
	if (ret)
		goto out;
	switch (action) {
	case REG_ORG_APPROVE:
		ret = reg_approve(db, &ev, &r, now, seq, err);
		break;
	case REG_ORG_REJECT:
		ret = reg_close(db, &ev, &r, "rejected", now, seq, err);
		break;
	case REG_ORG_SEND_LINK:
		/* the organiser decides: only a link mail still waiting is not doubled */
		rc = reg_send_link(db, now, &ev, &r, INT64_MAX, seq);
		ret = rc < 0 ? dom_from_store(err, rc, "registration") : DOM_OK;
		break;
	case REG_ORG_CANCEL:
	default:
		ret = reg_close(db, &ev, &r, "cancelled", now, seq, err);
		break;
	}
out:
	return reg_finish(db, ret, &r, false, out, seq, err);
}

/* Inside the transaction: promotes waitlisted r of ev by hand (registrations_org_promote). */
static int reg_promote_by_hand(struct db *db, const struct store_reg_event *ev, const struct store_reg *r,
			       const struct reg_promote_input *in, int64_t now, int64_t *seq,
			       struct dom_err *err)
{
	int64_t confirmed = 0;
	int rc;

	if (!strcmp(r->status, "confirmed")) {
		rc = store_reg_seated_by_promotion(db, ev->id, r->id);
		if (rc < 0)
			return dom_from_store(err, rc, "registration");
		if (rc)
			return DOM_OK; /* promoted already: the same answer, nothing written */
	}
	if (strcmp(r->status, "waitlisted"))
		return dom_fail(err, DOM_CONFLICT, "not_waitlisted",
				"only a waitlisted registration can be promoted (this one is %s)", r->status);
	if (!strcmp(ev->status, "cancelled"))
		return dom_fail(err, DOM_CONFLICT, "event_cancelled", "this event is cancelled");
	rc = store_counts_confirmed(db, ev->id, &confirmed);
	if (rc)
		return dom_from_store(err, rc, "registrations");
	if (confirmed >= ev->capacity) {
		if (!in->raise_capacity)
			return dom_fail(
			    err, DOM_CONFLICT, "no_seat_free",
			    "no seat is free (%lld confirmed for a capacity of %lld): raise the "
			    "capacity to promote this person ('raise_capacity': true adds one seat)",
			    (long long)confirmed, (long long)ev->capacity);
		rc = store_reg_event_seat_add(db, ev->id, now);
		if (rc)
			return dom_from_store(err, rc, "event");
	}
	rc = store_reg_set_status(db, r->id, "confirmed", false, 0, now);
	rc = rc ? rc : reg_changelog(db, now, ev, r->id, "promoted", "confirmed", seq);
	rc = rc ? rc : reg_outbox(db, now, "promoted", r);
	return rc ? dom_from_store(err, rc, "registration") : DOM_OK;
}

int registrations_org_promote(struct db *db, const struct principal *p, int64_t reg_id,
			      const struct reg_promote_input *in, int64_t now, struct json_object **out,
			      int64_t *seq, struct dom_err *err)
{
	struct store_reg_event ev;
	struct store_reg r;
	int ret, rc;

	*out = NULL;
	*seq = 0;
	memset(&r, 0, sizeof(r));
	rc = db_begin(db);
	if (rc)
		return dom_from_store(err, rc, "registration");
	ret = reg_org_load(db, p, reg_id, &r, &ev, err);
	if (!ret)
		ret = reg_promote_by_hand(db, &ev, &r, in, now, seq, err);
	return reg_finish(db, ret, &r, false, out, seq, err);
}
