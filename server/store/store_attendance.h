/*
 * store_attendance: SQL over attendance rows and the session and check-in facts recording them
 * needs; it applies no rules (who may record, which registrations count live in the domain).
 */
#ifndef MAJLIS_STORE_STORE_ATTENDANCE_H
#define MAJLIS_STORE_STORE_ATTENDANCE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* A session with its event's organisation. On the caller's stack. */
struct store_att_session {
	int64_t id;
	int64_t event_id;
	int64_t org_id;
	char tz[64];
	char starts_local[20];
	char ends_local[20];
	int64_t start_utc;
	int64_t end_utc;
};

/* One attendance row. On the caller's stack. */
struct store_att {
	int64_t session_id;
	int64_t registration_id;
	char status[16];
	char method[16];
	bool has_recorded_by;
	int64_t recorded_by;
	int64_t recorded_at;
};

/* 0 with *out filled, STORE_NOT_FOUND, or negative. */
int store_att_session_get(struct db *db, int64_t session_id, struct store_att_session *out);

/* 0 with *out filled, STORE_NOT_FOUND, or negative. */
int store_att_get(struct db *db, int64_t session_id, int64_t registration_id, struct store_att *out);
/* Inserts or replaces the row (session_id, registration_id). Inside the caller's transaction. */
int store_att_upsert(struct db *db, const struct store_att *a);

/* One attendance row of a session's list, with the participant's name and registration status. Strings
 * are malloc'ed (NULL for SQL NULL), freed by store_att_rows_free. Lives in an array from store_att_list
 * for one call; service thread. */
struct store_att_row {
	int64_t session_id;	   /* the session */
	int64_t registration_id;   /* the registration recorded */
	char *status;		   /* "present", "absent" or "excused" */
	char *method;		   /* "qr", "manual" or "self" */
	int64_t recorded_by;	   /* the account that recorded it; 0: none (NULL, self-confirmed) */
	int64_t recorded_at;	   /* when it was recorded, Unix seconds */
	char *registration_status; /* the registration's status */
	char *name;		   /* the participant's name in Latin script */
	char *name_ar;		   /* in Arabic script, or NULL */
};

/* Clears the n rows of an array from store_att_list and frees it. Accepts NULL. */
void store_att_rows_free(struct store_att_row *rows, size_t n);
/* Attendance of a session ordered by registration into *rows, a malloc'ed array of *n rows (NULL when
 * none; caller frees with store_att_rows_free). 0 or negative. */
int store_att_list(struct db *db, int64_t session_id, struct store_att_row **rows, size_t *n);

/* One line of an event's attendance sheet: a session and a registration that is confirmed or has an
 * attendance row there, with the participant's contact data. Strings malloc'ed (NULL for SQL NULL), freed by
 * store_att_sheet_free. Lives in an array from store_att_sheet for one call; service thread. */
struct store_att_sheet_row {
	int64_t session_id;	   /* the session */
	char *starts_local;	   /* its wall-time start "YYYY-MM-DDTHH:MM:SS" */
	char *session_title;	   /* its title, or NULL */
	int64_t registration_id;   /* the registration */
	char *registration_status; /* its status */
	char *name;		   /* the participant's name in Latin script */
	char *name_ar;		   /* in Arabic script, or NULL */
	char *sex;		   /* female, male or unspecified */
	char *email;		   /* or NULL */
	char *phone;		   /* E.164, or NULL */
	char *status;		   /* "present", "absent", "excused", or NULL: nothing recorded */
	int64_t recorded_at;	   /* when it was recorded, Unix seconds (0: nothing recorded) */
};

/* Clears the n rows of an array from store_att_sheet and frees it. Accepts NULL. */
void store_att_sheet_free(struct store_att_sheet_row *rows, size_t n);
/* The attendance sheet of event_id: for each session (by start) each registration (by name, then id) that
 * is confirmed or has an attendance row at it, into *rows, a malloc'ed array of *n (NULL when none; caller
 * frees with store_att_sheet_free). 0 or negative. */
int store_att_sheet(struct db *db, int64_t event_id, struct store_att_sheet_row **rows, size_t *n);

#endif
