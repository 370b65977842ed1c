/*
 * domain: the vocabulary every domain service shares (results with a client-fit reason, the acting
 * principal and its roles); it holds no state and does no I/O.
 */
#ifndef MAJLIS_DOMAIN_DOMAIN_H
#define MAJLIS_DOMAIN_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

/* What a domain call concluded; the api layer maps each to an HTTP status (api/errors.c). */
enum dom_code {
	DOM_OK = 0,
	DOM_INVALID = -1,   /* input breaks a rule (400/422 by code) */
	DOM_NOT_FOUND = -2, /* no such thing, or not visible to this principal */
	DOM_FORBIDDEN = -3, /* visible but not allowed */
	DOM_CONFLICT = -4,  /* clashes with stored state (double booking, duplicate, window closed) */
	DOM_UNAUTHENTICATED = -5,
	DOM_THROTTLED = -6,    /* too many attempts */
	DOM_BUSY = -7,	       /* database busy/full/IO error: nothing was written, retry later */
	DOM_INTERNAL = -8,     /* a bug */
	DOM_UNPROCESSABLE = -9 /* well-formed but cannot be carried out (e.g. a wall time in a DST gap) */
};

/* A result with a stable machine code ("room_conflict") and an English message for the client.
 * One per call, on the caller's stack. */
struct dom_err {
	enum dom_code code;
	char id[48];
	char message[256];
};

/* Sets e and returns e->code. id may be NULL (then the generic one for code is used). */
int dom_fail(struct dom_err *e, enum dom_code code, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Maps a store_rc (STORE_NOT_FOUND, STORE_CONFLICT, STORE_BUSY, STORE_ERROR; STORE_CORRUPT and STORE_GONE are
 * DOM_BUSY with ids store_corrupt and store_gone) to a dom_err. */
int dom_from_store(struct dom_err *e, int store_rc, const char *what);
/* A field that a create must give and a change may not set to null (has: the body named it; v: its value,
 * NULL for null or absent): DOM_OK, or DOM_INVALID with "missing_field" or "invalid_field" for key. */
int dom_required(struct dom_err *e, bool create, bool has, const void *v, const char *key);

enum role { ROLE_NONE = 0, ROLE_ADMIN, ROLE_ORGANISER, ROLE_CHECKIN, ROLE_VIEWER };

/* Who is acting. Built per request by auth from a session cookie or a bearer token; lives on the
 * handler's stack. org_id is 0 for admin and for anonymous callers. */
struct principal {
	enum role role;
	int64_t account_id; /* 0 for a bearer token */
	int64_t token_id;   /* 0 for a cookie session */
	int64_t org_id;
	bool via_cookie; /* writes then need the CSRF check */
};

const char *role_name(enum role r);
/* The names of the roles, in enum order from ROLE_ADMIN, NULL-terminated: the list a body's "role" is
 * one of (jsonx_get_enum's index i is the role i + 1, role_of_index). */
extern const char *const role_names[];
enum role role_of_index(int i);
/* Parses "admin"/"organiser"/"checkin"/"viewer"; ROLE_NONE when unknown. */
enum role role_parse(const char *s);

/* Whether p may manage (write) things owned by organisation org_id: admin, or organiser of it. */
bool principal_manages_org(const struct principal *p, int64_t org_id);
/* Whether p may see personal data of organisation org_id's participants: admin or organiser of it
 * (check-in staff see them per event, through auth_checkin_allowed). Viewers never do. */
bool principal_sees_people_of(const struct principal *p, int64_t org_id);

#endif
