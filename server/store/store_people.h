/*
 * store_people: SQL for the people table and the rows that hang off a person for export and
 * erasure (their registrations' link hashes, attendance, calendar tokens); it stores what it is
 * given and must not validate, check permissions, create secrets or open transactions.
 */
#ifndef MAJLIS_STORE_STORE_PEOPLE_H
#define MAJLIS_STORE_STORE_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

#define STORE_PERSON_NAME	 (1u << 0)
#define STORE_PERSON_NAME_AR	 (1u << 1)
#define STORE_PERSON_SEX	 (1u << 2)
#define STORE_PERSON_NATIONALITY (1u << 3)
#define STORE_PERSON_PHONE	 (1u << 4)
#define STORE_PERSON_EMAIL	 (1u << 5)
#define STORE_PERSON_LANG	 (1u << 6)

/* Values of a person to insert, or to change (STORE_PERSON_* bits in set; a set field whose value
 * is NULL becomes NULL). Strings are borrowed; org_id 0 stores NULL. Lives on the caller's stack. */
struct store_person {
	unsigned set;
	int64_t org_id;
	const char *name;
	const char *name_ar;
	const char *sex;
	const char *nationality;
	const char *phone;
	const char *email;
	const char *lang;
	int64_t consent_at; /* 0 stores NULL */
};

/* Inserts p (set ignored); *id gets the new id. */
int store_person_insert(struct db *db, const struct store_person *p, int64_t now, int64_t *id);
/* Changes the fields named in p->set. STORE_NOT_FOUND or 0. */
int store_person_update(struct db *db, int64_t id, const struct store_person *p, int64_t now);
/* The person's organisation (0 when none) and erasure instant (0 when not erased). */
int store_person_owner(struct db *db, int64_t id, int64_t *org_id, int64_t *erased_at);
/* One people row. Strings are malloc'ed (NULL for SQL NULL), freed by person_row_clear. Lives on the
 * caller's stack (store_person_get, struct person_export) or in an array (store_person_list) for one
 * call; service thread. */
struct person_row {
	int64_t id;	    /* immutable id */
	int64_t org_id;	    /* organisation that recorded the person; 0: none (NULL) */
	char *name;	    /* name in Latin script ("(erased)" once erased) */
	char *name_ar;	    /* name in Arabic script, or NULL */
	char *sex;	    /* "female", "male" or "unspecified" */
	char *nationality;  /* ISO 3166-1 alpha-2 or free text, or NULL */
	char *phone;	    /* as given, or NULL */
	char *email;	    /* lowercased, or NULL */
	char *lang;	    /* preferred language: "fr", "ar" or "en" */
	bool has_consent;   /* consent_at is set (not NULL) */
	int64_t consent_at; /* when consent to data processing was given, when has_consent */
	bool erased;	    /* erased_at is set (not NULL) */
	int64_t erased_at;  /* when the personal data was erased, when erased */
	int64_t created_at; /* creation instant, Unix seconds */
	int64_t updated_at; /* last change instant, Unix seconds */
};

/* Frees the strings of r and zeroes it. Accepts NULL. */
void person_row_clear(struct person_row *r);
/* Clears the n rows of an array from store_person_list and frees it. Accepts NULL. */
void person_rows_free(struct person_row *rows, size_t n);

/* Person id into r (zeroed first; caller clears). STORE_NOT_FOUND or 0. */
int store_person_get(struct db *db, int64_t id, struct person_row *r);
/* A page of people ordered by name, of org_id when > 0 (all otherwise), and when q is not NULL those whose
 * name or Arabic name folded (text_fold, SQL majlis_fold) contains q, or whose e-mail contains it (q must be
 * folded already): *rows a malloc'ed array of *n rows (NULL when none; caller frees with person_rows_free),
 * *total the number matching. */
int store_person_list(struct db *db, int64_t org_id, const char *q, int64_t limit, int64_t offset,
		      struct person_row **rows, size_t *n, int64_t *total);

/* Registers the SQL function majlis_fold(text) (util/text.h's text_fold; NULL stays NULL) on db's
 * connection, which the people search needs. 0 or STORE_ERROR. */
int store_people_register(struct db *db);

/* One attendance row of an exported registration, with its session's title and times. Strings
 * malloc'ed (NULL for SQL NULL); owned by its struct person_registration_row. */
struct person_attendance_row {
	int64_t session_id;  /* the session */
	char *session_title; /* its optional title, or NULL */
	char *starts_local;  /* its wall start "YYYY-MM-DDTHH:MM:SS" in tz */
	char *ends_local;    /* its wall end, in tz */
	char *tz;	     /* zone of the wall times */
	char *status;	     /* "present", "absent" or "excused" */
	char *method;	     /* "qr", "manual" or "self" */
	int64_t recorded_at; /* when it was recorded, Unix seconds */
};

/* One registration of an exported person, with its event's type, titles and status, and its
 * attendance ordered by session start. Strings malloc'ed (NULL for SQL NULL); owned by its struct
 * person_export. */
struct person_registration_row {
	int64_t id;				  /* registration id */
	int64_t event_id;			  /* the event */
	char *event_type;			  /* the event's type */
	char *event_title[3];			  /* the event's titles: fr, ar, en (NULL when absent) */
	char *event_status;			  /* the event's status */
	char *status;				  /* the registration's status */
	bool has_attendance_confirmed;		  /* attendance_confirmed_at is set (not NULL) */
	int64_t attendance_confirmed_at;	  /* when the participant confirmed they will come */
	int64_t created_at;			  /* creation instant, Unix seconds */
	int64_t updated_at;			  /* last change instant, Unix seconds */
	struct person_attendance_row *attendance; /* malloc'ed, NULL when none */
	size_t n_attendance;			  /* entries of attendance */
};

/* One session an exported person leads. Strings malloc'ed (NULL for SQL NULL); owned by its struct
 * person_export. */
struct person_session_row {
	int64_t id;	    /* session id */
	int64_t event_id;   /* its event */
	char *title;	    /* its optional title, or NULL */
	char *starts_local; /* wall start "YYYY-MM-DDTHH:MM:SS" in tz */
	char *ends_local;   /* wall end, in tz */
	char *tz;	    /* zone of the wall times */
};

/* One calendar token of an exported person (never its hash). label malloc'ed or NULL; owned by its
 * struct person_export. */
struct person_token_row {
	int64_t id;	    /* token id */
	char *label;	    /* its label, or NULL */
	int64_t created_at; /* creation instant, Unix seconds */
	bool revoked;	    /* revoked_at is set (not NULL) */
	int64_t revoked_at; /* when it was revoked, when revoked */
};

/* Everything held on a person: the row, their registrations (by id, each with its attendance), the
 * sessions they lead (by start) and their calendar tokens (by id). Arrays malloc'ed (NULL when empty),
 * all freed by person_export_clear. Lives on the caller's stack for one call; service thread. */
struct person_export {
	struct person_row person;
	struct person_registration_row *regs;
	size_t n_regs;
	struct person_session_row *facilitated;
	size_t n_facilitated;
	struct person_token_row *tokens;
	size_t n_tokens;
};

/* Frees what x owns and zeroes it. Accepts NULL. */
void person_export_clear(struct person_export *x);
/* Everything held on person id into x (zeroed first; caller clears). STORE_NOT_FOUND or 0. */
int store_person_export(struct db *db, int64_t id, struct person_export *x);

/* Replaces the personal data of person id by "(erased)"/NULL, keeping sex, org and the row; sets
 * erased_at. STORE_NOT_FOUND when absent or already erased. */
int store_person_erase(struct db *db, int64_t id, int64_t now);
/* The ids of the person's registrations into a malloc'ed array (*ids, caller frees; NULL when none)
 * of *n entries. */
int store_person_registration_ids(struct db *db, int64_t person_id, int64_t **ids, size_t *n);
/* Sets the link hash of registration reg_id; a new link still being mailed (its pending hash) stops too. */
int store_registration_set_token_hash(struct db *db, int64_t reg_id, const char *hash, int64_t now);
/* Revokes the person's calendar tokens still valid; *n (may be NULL) gets how many. */
int store_person_revoke_calendar_tokens(struct db *db, int64_t person_id, int64_t now, int64_t *n);

#endif
