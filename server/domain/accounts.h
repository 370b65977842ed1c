/*
 * accounts: the officials' accounts (create, list, update, the caller's own) with their rights and
 * change-log rows; it stores only password hashes and never logs a password or email.
 */
#ifndef MAJLIS_DOMAIN_ACCOUNTS_H
#define MAJLIS_DOMAIN_ACCOUNTS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"

struct db;

#define ACCOUNTS_PASSWORD_MIN	  10  /* characters */
#define ACCOUNTS_PASSWORD_MAX	  256 /* characters */
#define ACCOUNTS_DISPLAY_NAME_MAX 120 /* characters */
#define ACCOUNTS_EVENT_IDS_MAX	  200 /* events one check-in account may be given */

/* A new account as a caller asks for it. Strings belong to the caller. */
struct accounts_input {
	const char *email;
	const char *display_name;
	const char *password;
	const char *password_hash; /* optional: password_hash(password) computed off the service thread */
	enum role role;
	int64_t org_id;		  /* 0: none (admin; optional for viewer) */
	const int64_t *event_ids; /* checkin only */
	size_t n_event_ids;
};

/* Changes to an account: NULL / -1 / !set_events leave a field as it is. Strings belong to the caller. */
struct accounts_patch {
	const char *display_name;
	const char *password;
	const char *password_hash; /* optional: password_hash(password) computed off the service thread */
	int disabled;		   /* -1 unchanged, 0 enable, 1 disable */
	bool set_events;
	const int64_t *event_ids;
	size_t n_event_ids;
};

/*
 * Creates an account at now without any permission check (tests): validates the email (lowercased), display
 * name, password (ACCOUNTS_PASSWORD_MIN..MAX characters), role and organisation (required and existing for
 * organiser/checkin; none for admin). A taken email is DOM_CONFLICT "email_taken". now is the creation's time
 * (the caller reads the clock). *id (may be NULL) gets the id.
 */
int accounts_create(struct db *db, const char *email, const char *display_name, const char *password,
		    enum role role, int64_t org_id, int64_t now, int64_t *id, struct dom_err *err);

/* Whether p may create accounts at all (id 0: an admin or an organiser, else DOM_FORBIDDEN) or change
 * account id at all (DOM_NOT_FOUND for one p may not see, DOM_FORBIDDEN for another account of the
 * organiser's organisation that it may not manage), asked by the api before it reads the body (and before
 * it hashes a password). accounts_create_as and accounts_update check the same, and what the body asks
 * for, themselves. */
int accounts_writable(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);

/*
 * Creates an account on behalf of p: admin any; organiser only checkin/viewer accounts of its own
 * organisation (org_id 0 means its own) with events of its organisation. *out (new reference) gets the
 * account (never the hash); *seq the change-log sequence.
 */
int accounts_create_as(struct db *db, const struct principal *p, const struct accounts_input *in, int64_t now,
		       struct json_object **out, int64_t *seq, struct dom_err *err);

/* Accounts p may see: admin all (or of org_filter when > 0), organiser its organisation's (another
 * org_filter is DOM_FORBIDDEN). *items new reference. */
int accounts_list(struct db *db, const struct principal *p, int64_t org_filter, int64_t limit, int64_t offset,
		  struct json_object **items, int64_t *total, struct dom_err *err);

/*
 * Changes account id on behalf of p: admin any; organiser the checkin/viewer accounts of its
 * organisation; anyone logged in with an account its own display_name and password. A new password or
 * disabling ends the account's sessions. *out (new reference) gets the account; *seq the sequence.
 */
int accounts_update(struct db *db, const struct principal *p, int64_t id, const struct accounts_patch *in,
		    int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);

/* The caller's own account ({account, role, org_id, via}); *out new reference. */
int accounts_me(struct db *db, const struct principal *p, struct json_object **out, struct dom_err *err);

#endif
