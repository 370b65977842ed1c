/*
 * store_checkin: SQL for the check-in screen — the sessions around a moment of the events a caller may
 * check in, and a session's roster (its event's registrations with names and this session's attendance);
 * it decides neither who may check in nor which day is "today" (the domain does).
 */
#ifndef MAJLIS_STORE_STORE_CHECKIN_H
#define MAJLIS_STORE_STORE_CHECKIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Whose events store_checkin_sessions lists: every event (all), those owned by org_id (0: none) and
 * those assigned to account_id in account_events (0: none). On the caller's stack. */
struct store_checkin_scope {
	bool all;
	int64_t org_id;
	int64_t account_id;
};

/* One session of store_checkin_sessions, with its event's titles and its numbers. Strings malloc'ed
 * (NULL for SQL NULL), freed by store_checkin_sessions_free; service thread. */
struct store_checkin_session_row {
	int64_t id;	      /* the session */
	int64_t event_id;     /* its event */
	char *title;	      /* the session's own title, or NULL */
	char *event_title_fr; /* the event's titles (at least one is set) */
	char *event_title_ar; /* ... */
	char *event_title_en; /* ... */
	char *event_status;   /* scheduled, postponed or cancelled */
	char *starts_local;   /* wall time "YYYY-MM-DDTHH:MM:SS" in tz */
	char *ends_local;     /* wall time in tz */
	char *tz;	      /* the zone of the wall times */
	int64_t start_utc;    /* Unix seconds */
	int64_t end_utc;      /* Unix seconds */
	char *room;	      /* the room's name, or NULL */
	char *venue;	      /* the room's venue or the event's, or NULL */
	int64_t present;      /* attendance rows marked present (the kept counter) */
	int64_t confirmed;    /* the event's confirmed registrations (the kept counter) */
};

/* Sessions of the events in scope that overlap [from_utc, to_utc), by start, into *rows (a malloc'ed
 * array of *n, NULL when none). 0 or negative. */
int store_checkin_sessions(struct db *db, const struct store_checkin_scope *scope, int64_t from_utc,
			   int64_t to_utc, struct store_checkin_session_row **rows, size_t *n);
/* Clears and frees an array of store_checkin_sessions. Accepts NULL. */
void store_checkin_sessions_free(struct store_checkin_session_row *rows, size_t n);

/* One registration of a session's roster. Strings malloc'ed (NULL for SQL NULL), freed by
 * store_checkin_roster_free; service thread. */
struct store_checkin_roster_row {
	int64_t registration_id;   /* the registration */
	char *registration_status; /* confirmed, cancelled, ... */
	char *name;		   /* the participant's name in Latin script */
	char *name_ar;		   /* in Arabic script, or NULL */
	char *status;		   /* present, absent or excused at this session; NULL: not recorded */
	char *method;		   /* qr, manual or self; NULL: not recorded */
	int64_t recorded_at;	   /* Unix seconds; 0: not recorded */
};

/* The registrations of event_id (not erased; any status) with their attendance at session_id, by name,
 * into *rows (a malloc'ed array of *n, NULL when none). 0 or negative. */
int store_checkin_roster(struct db *db, int64_t session_id, int64_t event_id,
			 struct store_checkin_roster_row **rows, size_t *n);
/* Clears and frees an array of store_checkin_roster. Accepts NULL. */
void store_checkin_roster_free(struct store_checkin_roster_row *rows, size_t n);

/* The registration reg_id's person's names into *name and *name_ar (malloc'ed, NULL for SQL NULL;
 * the caller frees). 0, STORE_NOT_FOUND or negative. */
int store_checkin_names(struct db *db, int64_t reg_id, char **name, char **name_ar);

#endif
