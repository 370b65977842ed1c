/* import_value: reads the parameters and DATE / DATE-TIME values of content lines as written and resolves
 * their TZIDs to tz database names; it must not expand recurrences or build sessions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/import_internal.h"
#include "calendar/windows_zones.h"
#include "util/civil.h"

/* Reads the parameters of content line s. 0, or -1 when it is malformed. */
int imp_params(const char *s, struct imp_params *pp)
{
	const char *p = s;

	memset(pp, 0, sizeof(*pp));
	while (*p && *p != ';' && *p != ':')
		p++;
	while (*p == ';') {
		const char *pn = ++p, *vs;
		size_t nl, vl;

		while (*p && *p != '=' && *p != ';' && *p != ':')
			p++;
		if (*p != '=')
			return -1;
		nl = (size_t)(p - pn);
		p++;
		if (*p == '"') {
			vs = ++p;
			while (*p && *p != '"')
				p++;
			if (*p != '"')
				return -1;
			vl = (size_t)(p - vs);
			p++;
		} else {
			vs = p;
			while (*p && *p != ';' && *p != ':' && *p != ',')
				p++;
			vl = (size_t)(p - vs);
		}
		while (*p == ',') { /* further values of a multi-valued parameter: skipped */
			p++;
			if (*p == '"') {
				p = strchr(p + 1, '"');
				if (!p)
					return -1;
				p++;
			} else {
				while (*p && *p != ';' && *p != ':' && *p != ',')
					p++;
			}
		}
		if (nl == 4 && !strncasecmp(pn, "TZID", 4)) {
			if (vl >= IMP_TZID_LEN)
				pp->tzid_too_long = true;
			else
				snprintf(pp->tzid, sizeof(pp->tzid), "%.*s", (int)vl, vs);
		} else if (nl == 5 && !strncasecmp(pn, "VALUE", 5)) {
			snprintf(pp->value_type, sizeof(pp->value_type), "%.*s", (int)vl, vs);
		}
	}
	if (*p != ':')
		return -1;
	pp->value = p + 1;
	return 0;
}

int imp_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parses exactly "YYYYMMDD", "YYYYMMDDTHHMMSS" or "YYYYMMDDTHHMMSSZ" (n bytes at s) naming a real date
 * and time (years IMP_YEAR_MIN..IMP_YEAR_MAX, no leap second). Sets kind (IT_DATE, IT_FLOAT, IT_UTC) and
 * naive. 0 or -1. */
int imp_parse_value(const char *s, size_t n, struct imp_time *t)
{
	int y, mo, d, h = 0, mi = 0, se = 0;

	if (n != 8 && n != 15 && n != 16)
		return -1;
	y = imp_digits(s, 4);
	mo = imp_digits(s + 4, 2);
	d = imp_digits(s + 6, 2);
	if (y < IMP_YEAR_MIN || y > IMP_YEAR_MAX || mo < 1 || mo > 12 || d < 1)
		return -1;
	if (d > civil_days_in_month(y, mo))
		return -1;
	t->kind = IT_DATE;
	if (n > 8) {
		if (s[8] != 'T')
			return -1;
		h = imp_digits(s + 9, 2);
		mi = imp_digits(s + 11, 2);
		se = imp_digits(s + 13, 2);
		if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
			return -1;
		if (n == 16 && s[15] != 'Z')
			return -1;
		t->kind = n == 16 ? IT_UTC : IT_FLOAT;
	}
	t->naive = civil_days_from_date(y, mo, d) * IMP_DAY + h * 3600 + mi * 60 + se;
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS" for a naive time. */
void imp_format(int64_t naive, char out[TZ_LOCAL_LEN])
{
	if (tz_utc_to_local("UTC", naive, out, NULL) != TZ_OK)
		snprintf(out, TZ_LOCAL_LEN, "?");
}

int import_zone_resolve(const char *tzid, char iana[IMPORT_ZONE_LEN])
{
	const char *w, *p;

	iana[0] = '\0';
	if (!tzid || !*tzid)
		return -1;
	if (tz_zone_valid(tzid)) {
		snprintf(iana, IMPORT_ZONE_LEN, "%s", tzid);
		return 0;
	}
	w = windows_zone_to_iana(tzid);
	if (w && tz_zone_valid(w)) {
		snprintf(iana, IMPORT_ZONE_LEN, "%s", w);
		return 0;
	}
	/* vendor prefixes: "/freeassociation.sourceforge.net/Tzfile/Africa/Casablanca", "/mozilla.org/.../X"
	 */
	if (tzid[0] != '/')
		return -1;
	for (p = tzid; p; p = strchr(p + 1, '/')) {
		if (p[1] && tz_zone_valid(p + 1) && strchr(p + 1, '/')) {
			snprintf(iana, IMPORT_ZONE_LEN, "%s", p + 1);
			return 0;
		}
	}
	return -1;
}

/* The VTIMEZONE of the file with this TZID, or -1. */
static int imp_vtz_find(struct imp_ctx *c, const char *tzid)
{
	for (size_t i = 0; i < c->n_vtz; i++)
		if (!strcmp(c->vtz[i].tzid, tzid))
			return (int)i;
	return -1;
}

/* Resolves the TZID parameter of a value: a tz database / Windows / vendor-prefixed name, else the
 * X-LIC-LOCATION of the file's VTIMEZONE of that TZID. Fills t->zone and t->vtz. 0 or -1 (refused). */
static int imp_zone_of(struct imp_ctx *c, struct imp_vevent *e, const char *prop, const struct imp_params *pp,
		       struct imp_time *t)
{
	int v = imp_vtz_find(c, pp->tzid);

	t->vtz = v;
	if (!import_zone_resolve(pp->tzid, t->zone))
		return 0;
	if (v >= 0 && c->vtz[v].location[0] && !import_zone_resolve(c->vtz[v].location, t->zone))
		return 0;
	imp_refuse(
	    c, e, t->line,
	    "%s names an unknown TZID \"%.80s\": neither a tz database name, a Windows zone name, nor a "
	    "VTIMEZONE of the file that maps to one",
	    prop, pp->tzid);
	return -1;
}

/* Reads one DATE / DATE-TIME (n bytes at v) of property prop with parameters pp into t. 0 or -1. */
int imp_time_value(struct imp_ctx *c, struct imp_vevent *e, const char *prop, const struct imp_params *pp,
		   const char *v, size_t n, int line, struct imp_time *t)
{
	memset(t, 0, sizeof(*t));
	t->vtz = -1;
	t->line = line;
	if (pp->tzid_too_long) {
		imp_refuse(c, e, line, "%s at line %d has a TZID longer than %d bytes", prop, line,
			   IMP_TZID_LEN - 1);
		return -1;
	}
	if (imp_parse_value(v, n, t)) {
		imp_refuse(
		    c, e, line,
		    "%s value \"%.*s\" at line %d is not a valid date or date-time (expected YYYYMMDD or "
		    "YYYYMMDDTHHMMSS[Z] naming a real date and time, years %d-%d)",
		    prop, (int)(n > 40 ? 40 : n), v, line, IMP_YEAR_MIN, IMP_YEAR_MAX);
		return -1;
	}
	if (pp->value_type[0] && !strcasecmp(pp->value_type, "DATE") && t->kind != IT_DATE) {
		imp_refuse(c, e, line, "%s at line %d says VALUE=DATE but holds a date-time", prop, line);
		return -1;
	}
	if (pp->tzid[0] && t->kind == IT_UTC) {
		imp_refuse(c, e, line, "%s at line %d is a UTC time (Z) and also names TZID \"%.80s\"", prop,
			   line, pp->tzid);
		return -1;
	}
	if (pp->tzid[0] && t->kind == IT_FLOAT) {
		if (imp_zone_of(c, e, prop, pp, t))
			return -1;
		t->kind = IT_ZONED;
	}
	return 0;
}

/* Reads a comma-separated list of times into *arr. 0 or -1. */
int imp_time_list(struct imp_ctx *c, struct imp_vevent *e, const char *prop, const struct imp_params *pp,
		  int line, struct imp_time **arr, size_t *n)
{
	const char *p = pp->value;

	if (pp->value_type[0] && strcasecmp(pp->value_type, "DATE") &&
	    strcasecmp(pp->value_type, "DATE-TIME")) {
		imp_refuse(c, e, line, "%s;VALUE=%s at line %d is not supported (only dates and date-times)",
			   prop, pp->value_type, line);
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");

		if (imp_push((void **)arr, *n, sizeof(**arr))) {
			c->oom = true;
			return -1;
		}
		if (imp_time_value(c, e, prop, pp, p, len, line, &(*arr)[*n]))
			return -1;
		(*n)++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}
