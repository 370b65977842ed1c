/*
 * registrations: the rules of registering to an event (window, capacity, waitlist, approval,
 * personal link) as transactions over the store, and the registration's JSON view (reg_view); it never
 * chooses HTTP statuses.
 */
#ifndef MAJLIS_DOMAIN_REGISTRATIONS_H
#define MAJLIS_DOMAIN_REGISTRATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"
#include "domain/feeds.h"
#include "domain/idempotency.h"

/* Registering again with the same address mails the personal link at most once per this many seconds. */
#define REG_LINK_RESEND_GAP (15 * 60)

struct db;
struct json_object;

/*
 * Inside the caller's open transaction: while the event has free seats (capacity minus confirmed)
 * and someone is waitlisted, promotes the earliest waitlisted (ORDER BY waitlist_seq) to confirmed,
 * one per free seat, writing for each a change-log row ("registration.promoted") and an outbox row.
 * Call it after anything that frees a seat or raises capacity, before db_commit. Does not begin,
 * commit or roll back. Returns the number promoted (>= 0), or a negative dom_code with err set (the
 * caller then rolls back). *last_seq is not reported: callers needing a seq for app_changed use the
 * one from their own change-log row or registrations_promote_seq().
 */
int registrations_promote(struct db *db, int64_t event_id, int64_t now, struct dom_err *err);

/* Like registrations_promote, also reporting the highest change-log seq written in *seq (unchanged
 * when nobody was promoted). */
int registrations_promote_seq(struct db *db, int64_t event_id, int64_t now, int64_t *seq,
			      struct dom_err *err);

/* A participant's answers on the registration form; strings borrowed from the request, validated
 * by registrations_create. Lives on the handler's stack. */
struct reg_input {
	const char *name;
	const char *name_ar;	 /* may be NULL */
	const char *sex;	 /* may be NULL: "unspecified" */
	const char *nationality; /* may be NULL */
	const char *phone;	 /* may be NULL when email is set */
	const char *email;	 /* may be NULL when phone is set */
	const char *lang;	 /* may be NULL: "fr" */
	bool consent;
	bool has_consent;
};

/* What registrations_create concluded. Lives on the caller's stack; json is owned (put it). */
struct reg_result {
	enum idem_outcome outcome; /* IDEM_CREATED: new registration; IDEM_OK: an existing one */
	bool replayed;		   /* the stored first answer to this Idempotency-Key */
	struct json_object *json;  /* {"registration":{...}[,"token","link"]} new ref */
	int64_t seq;		   /* change-log seq to announce (0: none) */
};

/*
 * Registers in for event_id on behalf of p (anonymous allowed for public events). idem_key (NULL
 * or "" for none) is an Idempotency-Key already checked with idempotency_key_valid: a retry gets the
 * stored first answer (res->replayed). A person already registered gets their registration without
 * token, and an outbox row "registration.link_resent". A new registration's personal link waits in its
 * outbox row sealed under link_key (the configuration's link_key; NULL or "": the message carries no link).
 * Service thread. Returns DOM_OK or a negative dom_code with err set; on error nothing is written.
 */
int registrations_create(struct db *db, const char *link_key, const struct principal *p, int64_t event_id,
			 const struct reg_input *in, const char *idem_key, int64_t now,
			 struct reg_result *res, struct dom_err *err);

/* A participant's request for their personal link again: the contact as typed (an e-mail address, or else a
 * phone number); borrowed from the request, checked by registrations_lost_link. Lives on the handler's
 * stack. */
struct reg_lost_link_input {
	const char *contact; /* NULL: missing */
};

/* A lost-link request without an event (a broken personal link names none) queues at most this many links. */
#define REG_LOST_LINK_MAX 20

/*
 * Someone who lost their personal link to event_id gives their contact: when it is the e-mail address or
 * phone number (normalised as registration does) of a person with a pending, confirmed or waitlisted
 * registration there, a mail with a new link is queued as for registering again (change-log row
 * "registration.link_requested", outbox row "registration.link_resent"), at most once per
 * REG_LINK_RESEND_GAP; otherwise nothing is written. event_id 0 (a broken link names no event): the same
 * for every live registration of the contact (store_reg_live_by_contact: to an event neither cancelled nor
 * over), the newest REG_LOST_LINK_MAX, whoever p is. DOM_OK alike in every such case, so that the answer
 * says nothing of the contact (*seq: a change to announce, 0 for none; the caller must not tell it). An
 * event p may not see is DOM_NOT_FOUND, a malformed contact DOM_INVALID. Service thread.
 */
int registrations_lost_link(struct db *db, const struct principal *p, int64_t event_id,
			    const struct reg_lost_link_input *in, int64_t now, int64_t *seq,
			    struct dom_err *err);

/* The personal-link view of the registration whose token is token: new JSON object in *out. */
int registrations_by_token(struct db *db, const char *token, int64_t now, struct json_object **out,
			   struct dom_err *err);

/* The calendar of the registration whose personal link is token (feeds_registration), to render through
 * the feed cache: in lang when has_lang, else in the participant's language. A token the personal page
 * does not know is DOM_NOT_FOUND, as there. */
int registrations_calendar(struct db *db, const char *token, bool has_lang, enum feed_lang lang,
			   struct feeds_ref *out, struct dom_err *err);

enum reg_self_action { REG_SELF_CONFIRM, REG_SELF_DECLINE, REG_SELF_CANCEL };
/* A participant acting through the personal link. *out: the updated view (new ref); *seq: change
 * to announce (0: none). */
int registrations_self(struct db *db, const char *token, enum reg_self_action action, int64_t now,
		       struct json_object **out, int64_t *seq, struct dom_err *err);

/* Organiser listing of an event's registrations with person contact data; status may be NULL.
 * *items: new JSON array (caller puts), *total: count matching the filter. */
int registrations_list(struct db *db, const struct principal *p, int64_t event_id, const char *status,
		       int64_t limit, int64_t offset, struct json_object **items, int64_t *total,
		       struct dom_err *err);

/* The words a registration form's sex and lang take, NULL-terminated (checked by registrations_create). */
extern const char *const registrations_sexes[];
extern const char *const registrations_langs[];

/* Whether s names a registration status. */
bool registrations_status_valid(const char *s);

/* REG_ORG_SEND_LINK mails the participant a new personal link (it replaces the old one, and the QR ticket,
 * once the mail is accepted); the status does not change. */
enum reg_org_action { REG_ORG_APPROVE, REG_ORG_REJECT, REG_ORG_CANCEL, REG_ORG_SEND_LINK };
/* Whether p may act on registration reg_id as its organiser: an admin or an organiser (else
 * DOM_FORBIDDEN) of the event's organisation (a registration of another one, or none, is DOM_NOT_FOUND),
 * asked by the api before it reads the body. registrations_org_action checks the same itself. */
int registrations_org_writable(struct db *db, const struct principal *p, int64_t reg_id, struct dom_err *err);
/* An organiser (or admin) acting on registration reg_id. *out: updated registration (new ref). */
int registrations_org_action(struct db *db, const struct principal *p, int64_t reg_id,
			     enum reg_org_action action, int64_t now, struct json_object **out, int64_t *seq,
			     struct dom_err *err);

/* An organiser's manual promotion, parsed from the body by the api. Lives on the handler's stack. */
struct reg_promote_input {
	bool raise_capacity; /* no seat free: add one to the event's capacity for this person */
};

/*
 * An organiser (or admin) gives waitlisted registration reg_id a seat, out of arrival order, in one
 * transaction with its change-log row "registration.promoted" and the participant's outbox row
 * "registration.promoted" (as an automatic promotion). Only while a seat is free (capacity minus confirmed),
 * else DOM_CONFLICT "no_seat_free" unless in->raise_capacity, which first adds one seat (never when one is
 * free). A registration already seated by a promotion (this one or an automatic one) is DOM_OK with nothing
 * written; any other status is DOM_CONFLICT "not_waitlisted". Rights as registrations_org_writable. *out:
 * the registration's view (new ref); *seq: the change to announce (0: none). Service thread.
 */
int registrations_org_promote(struct db *db, const struct principal *p, int64_t reg_id,
			      const struct reg_promote_input *in, int64_t now, struct json_object **out,
			      int64_t *seq, struct dom_err *err);

#endif
