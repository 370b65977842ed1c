/* import_vtimezone: the VTIMEZONEs of an .ics file (TZID, X-LIC-LOCATION, libical's reading of their rules)
 * and their check against the tz database; the tz database stays the one source of offsets. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/import_internal.h"

void imp_collect_vtz(struct imp_ctx *c)
{
	char name[IMP_NAME_LEN];
	size_t cap = 0;

	for (size_t i = 0; i < c->n_comps; i++) {
		struct imp_vtz *v;

		if (strcmp(c->comps[i].name, "VTIMEZONE"))
			continue;
		if (imp_grow((void **)&c->vtz, &cap, c->n_vtz, sizeof(*c->vtz))) {
			c->oom = true;
			return;
		}
		v = &c->vtz[c->n_vtz++];
		memset(v, 0, sizeof(*v));
		v->comp = i;
		for (size_t k = c->comps[i].first + 1; k < c->comps[i].last; k++) {
			const char *val;

			if (c->lines[k].depth != 2 || c->lines[k].bad)
				continue;
			imp_line_name(c->lines[k].text, name);
			val = strchr(c->lines[k].text, ':') + 1;
			if (!strcmp(name, "TZID"))
				snprintf(v->tzid, sizeof(v->tzid), "%s", val);
			else if (!strcmp(name, "X-LIC-LOCATION"))
				snprintf(v->location, sizeof(v->location), "%s", val);
		}
	}
}

/* libical's reading of VTIMEZONE v, built once; NULL when libical cannot read it. */
static icaltimezone *imp_vtz_zone(struct imp_ctx *c, struct imp_vtz *v)
{
	icalcomponent *comp;
	char *text;

	if (v->tried)
		return v->z;
	v->tried = true;
	text = imp_join(c, c->comps[v->comp].first, c->comps[v->comp].last);
	if (!text)
		return NULL;
	comp = icalparser_parse_string(text);
	free(text);
	if (!comp)
		return NULL;
	if (icalcomponent_isa(comp) != ICAL_VTIMEZONE_COMPONENT) {
		icalcomponent_free(comp);
		return NULL;
	}
	v->z = icaltimezone_new();
	if (!v->z || !icaltimezone_set_component(v->z, comp)) {
		if (v->z)
			icaltimezone_free(v->z, 1);
		else
			icalcomponent_free(comp);
		v->z = NULL;
	}
	return v->z;
}

/* Compares the file's VTIMEZONE v with the tz database at wall time naive whose tz offset is off.
 * 0 when they agree, -1 (e refused) when they differ or the VTIMEZONE cannot be read. */
int imp_vtz_check(struct imp_ctx *c, struct imp_vevent *e, int v, const char *zone, int64_t naive,
		  int32_t off, int line)
{
	char local[TZ_LOCAL_LEN], a[TZ_OFFSET_LEN], b[TZ_OFFSET_LEN];
	struct icaltimetype tt = icaltime_null_time();
	struct imp_vtz *vz;
	icaltimezone *z;
	int is_dst = 0, voff;

	if (v < 0)
		return 0;
	vz = &c->vtz[v];
	z = imp_vtz_zone(c, vz);
	if (!z) {
		imp_refuse(c, e, c->lines[c->comps[vz->comp].first].line,
			   "the VTIMEZONE \"%.80s\" at line %d cannot be read", vz->tzid,
			   c->lines[c->comps[vz->comp].first].line);
		return -1;
	}
	imp_format(naive, local);
	tt.year = imp_digits(local, 4);
	tt.month = imp_digits(local + 5, 2);
	tt.day = imp_digits(local + 8, 2);
	tt.hour = imp_digits(local + 11, 2);
	tt.minute = imp_digits(local + 14, 2);
	tt.second = imp_digits(local + 17, 2);
	tt.is_date = 0;
	voff = icaltimezone_get_utc_offset(z, &tt, &is_dst);
	if (voff == off)
		return 0;
	tz_format_offset(voff, a);
	tz_format_offset(off, b);
	imp_refuse(
	    c, e, line,
	    "the VTIMEZONE \"%.80s\" (line %d) puts %.16s at UTC%s but the tz database has %s at UTC%s then: "
	    "the file's zone rules are out of date or wrong",
	    vz->tzid, c->lines[c->comps[vz->comp].first].line, local, a, zone, b);
	return -1;
}
