/*
 * attendance: who was present at which session — recorded by organisers and check-in staff (QR
 * ticket or by hand) or by the participant through the personal link on the session's day; it
 * never chooses HTTP statuses and never logs tickets or names.
 */
#ifndef MAJLIS_DOMAIN_ATTENDANCE_H
#define MAJLIS_DOMAIN_ATTENDANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;
struct json_object;

/* A presence to record; strings borrowed from the request. Lives on the handler's stack. */
struct att_input {
	int64_t registration_id; /* 0 when ticket is used */
	const char *ticket;	 /* the QR token (the personal link's secret), or NULL */
	const char *status;	 /* present / absent / excused */
	const char *method;	 /* qr / manual */
};

/* Whether p may record and see attendance of event_id (owned by org_id): admin, organiser of the
 * org, or check-in staff assigned to the event (account_events) or holding a check-in token of the
 * org. Returns DOM_OK or a dom_code with err set. */
int attendance_may_check_in(struct db *db, const struct principal *p, int64_t event_id, int64_t org_id,
			    struct dom_err *err);

/* Whether p may record attendance at session_id (attendance_may_check_in of its event; DOM_NOT_FOUND
 * when the session does not exist), asked by the api before it reads the body. attendance_record checks
 * the same itself. */
int attendance_writable(struct db *db, const struct principal *p, int64_t session_id, struct dom_err *err);

/*
 * Records in for session_id. Idempotent: the same status again changes nothing (*created false,
 * *seq 0); another status replaces status, method, recorded_by and recorded_at. Only confirmed
 * registrations of the session's event count (DOM_UNPROCESSABLE otherwise). *out: the row (new
 * ref). Service thread.
 */
int attendance_record(struct db *db, const struct principal *p, int64_t session_id,
		      const struct att_input *in, int64_t now, struct json_object **out, bool *created,
		      int64_t *seq, struct dom_err *err);

/* The participant holding token says they are present at session_id (method "self"); only on the
 * session's local day(s), and never over a record made by staff. */
int attendance_self_present(struct db *db, const char *token, int64_t session_id, int64_t now,
			    struct json_object **out, bool *created, int64_t *seq, struct dom_err *err);

/* Whether now falls on the local day(s) of a session held from starts_local to ends_local (wall times
 * "YYYY-MM-DDTHH:MM:SS") in zone tz. */
bool attendance_on_day(const char *tz, const char *starts_local, const char *ends_local, int64_t now);

/*
 * The door's check-in: the person holding in->ticket (method qr) or registration in->registration_id
 * (method manual; in->status and in->method are ignored) is present at session_id now. Answers, like
 * attendance_record, the rights first; then ticket_not_found (DOM_NOT_FOUND), ticket_other_event,
 * registration_not_found, outside_session_day (DOM_CONFLICT: now is not the session's local day),
 * registration_not_confirmed. On success *out (new ref) is {"result": "checked_in" | "already_present",
 * "attendance": row, "registration": {id, status, name, name_ar}}; already_present when the stored row
 * said present already (nothing written, *seq 0; its recorded_at tells since when). On a refusal about a
 * registration of this event, *who (new ref, else NULL) is that registration object, so that the door
 * sees whose ticket it is. Service thread.
 */
int attendance_check_in(struct db *db, const struct principal *p, int64_t session_id,
			const struct att_input *in, int64_t now, struct json_object **out,
			struct json_object **who, bool *created, int64_t *seq, struct dom_err *err);

/* Attendance of session_id with participants' names: *items new JSON array, *total its length. */
int attendance_list(struct db *db, const struct principal *p, int64_t session_id, struct json_object **items,
		    int64_t *total, struct dom_err *err);

#endif
