/*
 * store_registrations: SQL over registrations and the people and events rows registering needs;
 * it applies no rules (capacity, window, permissions live in domain/registrations.c).
 */
#ifndef MAJLIS_STORE_STORE_REGISTRATIONS_H
#define MAJLIS_STORE_STORE_REGISTRATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/secret.h"

struct db;

/* What registering needs to know about an event. One per call, on the caller's stack. */
struct store_reg_event {
	int64_t id;
	int64_t org_id;
	int64_t capacity;
	bool needs_approval;
	char visibility[16]; /* public / invited / internal */
	char status[16];     /* scheduled / postponed / cancelled */
	bool has_opens;
	int64_t opens_at;
	bool has_closes;
	int64_t closes_at;
	bool has_first_start; /* false when the event has no session */
	int64_t first_start;  /* earliest session start_utc */
};

/* One registration row. On the caller's stack. */
struct store_reg {
	int64_t id;
	int64_t event_id;
	int64_t person_id;
	char status[16];
	bool has_wseq;
	int64_t waitlist_seq;
	bool has_attendance_confirmed;
	int64_t attendance_confirmed_at;
	int64_t created_at;
	int64_t updated_at;
	char lang[4]; /* the person's preferred language */
};

/* A participant to insert; strings borrowed, NULL for SQL NULL (sex and lang must be set). */
struct store_person_new {
	int64_t org_id;
	const char *name;
	const char *name_ar;
	const char *sex;
	const char *nationality;
	const char *phone;
	const char *email; /* already lowercased */
	const char *lang;
	int64_t consent_at;
};

/* Loads event id into *out (with its first session start). 0, STORE_NOT_FOUND or negative. */
int store_reg_event_get(struct db *db, int64_t id, struct store_reg_event *out);

/* The person (not erased) with this lowercased email, else with this phone (either may be NULL).
 * 0 with *id set, STORE_NOT_FOUND, or negative. */
int store_reg_person_find(struct db *db, const char *email, const char *phone, int64_t *id);
/* Inserts a person; *id gets the new id. Must run inside a transaction. */
int store_reg_person_insert(struct db *db, const struct store_person_new *p, int64_t now, int64_t *id);

/* Loads a registration by id / by (event, person) / by token hash (its link's, or the new link's that a
 * mail under way carries: pending_token_hash). 0, STORE_NOT_FOUND or negative. */
int store_reg_get(struct db *db, int64_t id, struct store_reg *out);
int store_reg_get_by_person(struct db *db, int64_t event_id, int64_t person_id, struct store_reg *out);
int store_reg_get_by_token(struct db *db, const char token_hash[SECRET_HASH_LEN + 1], struct store_reg *out);
/* The earliest pending, confirmed or waitlisted registration to event_id of a person (not erased) whose
 * e-mail is email or whose phone is phone (either may be NULL: never matches). 0, STORE_NOT_FOUND or
 * negative. */
int store_reg_get_active_by_contact(struct db *db, int64_t event_id, const char *email, const char *phone,
				    struct store_reg *out);

/* The live registrations of a person (not erased) whose e-mail is email or whose phone is phone (either may
 * be NULL: never matches), to any event: pending, confirmed or waitlisted, to an event neither cancelled
 * nor over at now (a session still to end, or none yet), the newest first, at most max of them into out
 * (the caller's array), their count in *n. 0 (also for none) or negative. */
int store_reg_live_by_contact(struct db *db, const char *email, const char *phone, int64_t now,
			      struct store_reg *out, size_t max, size_t *n);

/* Inserts a registration (waitlist_seq NULL); *id gets its id. STORE_CONFLICT on a duplicate. */
int store_reg_insert(struct db *db, int64_t event_id, int64_t person_id, const char *status,
		     const char token_hash[SECRET_HASH_LEN + 1], int64_t now, int64_t *id);
/* Sets status, waitlist_seq (NULL unless has_wseq) and updated_at. */
int store_reg_set_status(struct db *db, int64_t id, const char *status, bool has_wseq, int64_t wseq,
			 int64_t now);
/* Makes a cancelled or declined registration active again: status, waitlist_seq (when has_wseq),
 * attendance_confirmed_at cleared. STORE_NOT_FOUND when no such row. */
int store_reg_reopen(struct db *db, int64_t id, const char *status, bool has_wseq, int64_t wseq, int64_t now);
/* Sets attendance_confirmed_at and updated_at to now. */
int store_reg_set_attendance_confirmed(struct db *db, int64_t id, int64_t now);

/* The earliest waitlisted registration (by waitlist_seq, then id) into *out: 0 or STORE_NOT_FOUND. */
int store_reg_first_waitlisted(struct db *db, int64_t event_id, struct store_reg *out);

/* Inside a transaction: adds one seat to event_id's capacity (updated_at now). 0, STORE_NOT_FOUND or
 * negative. */
int store_reg_event_seat_add(struct db *db, int64_t event_id, int64_t now);
/* Whether registration reg_id of event_id got its seat from the waitlist: the newest of its change-log
 * rows that can seat it ("registration.created", ".reopened", ".approved", ".promoted" on topic
 * "event:<event_id>") is a promotion. 1 yes, 0 no (none at all: no), or negative. */
int store_reg_seated_by_promotion(struct db *db, int64_t event_id, int64_t reg_id);

/* One registration of the organisers' list with its person's contact data. Malloc'ed strings, freed by
 * store_reg_rows_free. The caller's thread. */
struct store_reg_row {
	int64_t id;			 /* immutable id */
	int64_t event_id;		 /* the event */
	char *status;			 /* pending, confirmed, waitlisted, declined, cancelled or rejected */
	bool has_waitlist_position;	 /* waitlisted: waitlist_position is set */
	int64_t waitlist_position;	 /* 1-based place on the waitlist */
	bool has_attendance_confirmed;	 /* the participant confirmed they will come */
	int64_t attendance_confirmed_at; /* when, Unix seconds, when has_attendance_confirmed */
	int64_t created_at;		 /* creation instant, Unix seconds */
	int64_t updated_at;		 /* last change instant, Unix seconds */
	int64_t person_id;		 /* the participant */
	char *name;			 /* name in Latin script */
	char *name_ar;			 /* name in Arabic script, or NULL */
	char *sex;			 /* female, male or unspecified */
	char *nationality;		 /* or NULL */
	char *email;			 /* lowercased, or NULL */
	char *phone;			 /* E.164, or NULL */
	char *lang;			 /* preferred language: fr, ar or en */
};

/* Clears the n rows of an array from store_reg_list and frees it. Accepts NULL. */
void store_reg_rows_free(struct store_reg_row *rows, size_t n);
/* Organiser listing: registrations of event_id (status NULL: all) with the person's contact data,
 * ordered by id: *rows a malloc'ed array of *n (NULL when none; caller frees with store_reg_rows_free),
 * *total the count of the filter. */
int store_reg_list(struct db *db, int64_t event_id, const char *status, int64_t limit, int64_t offset,
		   struct store_reg_row **rows, size_t *n, int64_t *total);

/* One session of the personal-link page (no personal data). */
struct store_reg_session {
	int64_t id;	      /* immutable id */
	char *title;	      /* or NULL */
	char *starts_local;   /* wall time "YYYY-MM-DDTHH:MM:SS" in tz */
	char *ends_local;     /* wall time "YYYY-MM-DDTHH:MM:SS" in tz */
	char *tz;	      /* zone name of the wall times */
	int64_t start_utc;    /* start instant, Unix seconds */
	int64_t end_utc;      /* end instant, Unix seconds */
	int64_t start_offset; /* UTC offset (s) at the start */
	int64_t end_offset;   /* UTC offset (s) at the end */
	int64_t room_id;      /* its room, 0 when none */
	char *room_name;      /* or NULL */
	int64_t venue_id;     /* the room's venue, 0 when no room */
	char *venue_name;     /* or NULL */
	char *venue_city;     /* or NULL */
};

/* The registration's attendance at one session. */
struct store_reg_attendance {
	int64_t session_id;  /* the session */
	char *status;	     /* present, absent or excused */
	char *method;	     /* qr, manual or self */
	int64_t recorded_at; /* when, Unix seconds */
};

/* What the personal-link page shows besides the registration: its event, person, sessions and
 * attendance. Loaded by store_reg_link_view, freed by store_reg_link_view_clear; the caller's stack. */
struct store_reg_link_view {
	int64_t event_id;			 /* the event */
	char *event_type;			 /* training, workshop or concertation */
	char *title_fr, *title_ar, *title_en;	 /* the event's titles, each or NULL (one is set) */
	char *event_status;			 /* scheduled, postponed or cancelled */
	int64_t org_id;				 /* the owning organisation */
	char *name;				 /* the person's name in Latin script */
	char *name_ar;				 /* in Arabic script, or NULL */
	char *lang;				 /* the person's language */
	struct store_reg_session *sessions;	 /* the event's sessions by start (malloc'ed) */
	size_t n_sessions;			 /* entries in sessions */
	struct store_reg_attendance *attendance; /* by session id (malloc'ed) */
	size_t n_attendance;			 /* entries in attendance */
};

/* Loads the view of registration registration_id of person_id at event_id into v (zeroed first; the
 * caller clears it after 0). 0, STORE_NOT_FOUND (event or person absent) or another store_rc. */
int store_reg_link_view(struct db *db, int64_t registration_id, int64_t event_id, int64_t person_id,
			struct store_reg_link_view *v);
/* Frees what v owns and zeroes it. Accepts NULL. */
void store_reg_link_view_clear(struct store_reg_link_view *v);

#endif
