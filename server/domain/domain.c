/* domain: shared result and principal helpers; no state, no I/O. */
#include "domain/domain.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/db.h"

static const char *dom_default_id(enum dom_code code)
{
	switch (code) {
	case DOM_OK:
		return "ok";
	case DOM_INVALID:
		return "invalid_request";
	case DOM_NOT_FOUND:
		return "not_found";
	case DOM_FORBIDDEN:
		return "forbidden";
	case DOM_CONFLICT:
		return "conflict";
	case DOM_UNAUTHENTICATED:
		return "unauthenticated";
	case DOM_THROTTLED:
		return "too_many_attempts";
	case DOM_BUSY:
		return "unavailable";
	case DOM_UNPROCESSABLE:
		return "unprocessable";
	default:
		return "internal_error";
	}
}

int dom_fail(struct dom_err *e, enum dom_code code, const char *id, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	snprintf(e->id, sizeof(e->id), "%s", id ? id : dom_default_id(code));
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return code;
}

int dom_from_store(struct dom_err *e, int rc, const char *what)
{
	switch (rc) {
	case STORE_OK:
		e->code = DOM_OK;
		return DOM_OK;
	case STORE_NOT_FOUND:
		return dom_fail(e, DOM_NOT_FOUND, NULL, "%s not found", what);
	case STORE_CONFLICT:
		return dom_fail(e, DOM_CONFLICT, NULL, "%s conflicts with existing data", what);
	case STORE_BUSY:
		return dom_fail(e, DOM_BUSY, NULL, "the database is busy; nothing was changed, please retry");
	case STORE_CORRUPT:
		return dom_fail(e, DOM_BUSY, "store_corrupt",
				"the database is damaged; an administrator must restore it from a backup");
	case STORE_GONE:
		return dom_fail(e, DOM_BUSY, "store_gone",
				"the database file was removed or replaced while the server ran; nothing was "
				"saved, an administrator must restore it and restart the server");
	default:
		return dom_fail(e, DOM_INTERNAL, NULL, "internal error");
	}
}

int dom_required(struct dom_err *e, bool create, bool has, const void *v, const char *key)
{
	if (v || !(create || has))
		return DOM_OK;
	if (create)
		return dom_fail(e, DOM_INVALID, "missing_field", "field '%s' is required", key);
	return dom_fail(e, DOM_INVALID, "invalid_field", "field '%s' must not be null", key);
}

const char *const role_names[] = {"admin", "organiser", "checkin", "viewer", NULL};

enum role role_of_index(int i)
{
	return i >= 0 && i < 4 ? (enum role)(i + 1) : ROLE_NONE;
}

const char *role_name(enum role r)
{
	switch (r) {
	case ROLE_ADMIN:
		return "admin";
	case ROLE_ORGANISER:
		return "organiser";
	case ROLE_CHECKIN:
		return "checkin";
	case ROLE_VIEWER:
		return "viewer";
	default:
		return "none";
	}
}

enum role role_parse(const char *s)
{
	if (!s)
		return ROLE_NONE;
	if (!strcmp(s, "admin"))
		return ROLE_ADMIN;
	if (!strcmp(s, "organiser"))
		return ROLE_ORGANISER;
	if (!strcmp(s, "checkin"))
		return ROLE_CHECKIN;
	if (!strcmp(s, "viewer"))
		return ROLE_VIEWER;
	return ROLE_NONE;
}

bool principal_manages_org(const struct principal *p, int64_t org_id)
{
	if (p->role == ROLE_ADMIN)
		return true;
	return p->role == ROLE_ORGANISER && p->org_id > 0 && p->org_id == org_id;
}

bool principal_sees_people_of(const struct principal *p, int64_t org_id)
{
	return principal_manages_org(p, org_id);
}
