/* freebusy: merges busy periods with a sweep over their boundaries and builds a VFREEBUSY with libical;
 * it must not read the database, choose whose time is busy, or put any name or address in the text. */
#include "calendar/freebusy.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define FREEBUSY_PRODID "-//Majlis//Majlis " MAJLIS_VERSION "//FR"

/* One boundary of a clipped period: +1 at its start, -1 at its end. */
struct freebusy_edge {
	int64_t t;
	int delta;
	enum freebusy_type type;
};

static int freebusy_edge_cmp(const void *a, const void *b)
{
	const struct freebusy_edge *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

int freebusy_merge(const struct freebusy_period *in, size_t n, int64_t from, int64_t to,
		   struct freebusy_period **out, size_t *n_out)
{
	struct freebusy_edge *edges = NULL;
	struct freebusy_period *res = NULL;
	size_t ne = 0, nr = 0;
	long busy = 0, tentative = 0;
	int state = 0, rc = -1;
	int64_t since = 0;

	*out = NULL;
	*n_out = 0;
	if (!n || from >= to)
		return 0;
	edges = malloc(2 * n * sizeof(*edges));
	res = malloc(2 * n * sizeof(*res)); /* a sweep yields at most one period per boundary */
	if (!edges || !res)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int64_t s = in[i].start < from ? from : in[i].start;
		int64_t e = in[i].end > to ? to : in[i].end;
		enum freebusy_type type =
		    in[i].type == FREEBUSY_TENTATIVE ? FREEBUSY_TENTATIVE : FREEBUSY_BUSY;

		if (e <= s)
			continue;
		edges[ne++] = (struct freebusy_edge){s, 1, type};
		edges[ne++] = (struct freebusy_edge){e, -1, type};
	}
	qsort(edges, ne, sizeof(*edges), freebusy_edge_cmp);
	for (size_t i = 0; i < ne;) {
		int64_t t = edges[i].t;
		int now;

		/* every boundary at t first, so that touching periods join */
		for (; i < ne && edges[i].t == t; i++) {
			if (edges[i].type == FREEBUSY_BUSY)
				busy += edges[i].delta;
			else
				tentative += edges[i].delta;
		}
		now = busy > 0 ? FREEBUSY_BUSY : tentative > 0 ? FREEBUSY_TENTATIVE : 0;
		if (now == state)
			continue;
		if (state)
			res[nr++] = (struct freebusy_period){since, t, (enum freebusy_type)state};
		state = now;
		since = t;
	}
	if (nr) {
		*out = res;
		*n_out = nr;
		res = NULL;
	}
	rc = 0;
out:
	free(edges);
	free(res);
	return rc;
}

static struct icaltimetype freebusy_utc(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* Adds FREEBUSY;FBTYPE=...:start/end to fb. Returns 0 or -1. */
static int freebusy_add_period(icalcomponent *fb, const struct freebusy_period *p)
{
	struct icalperiodtype period;
	icalproperty *prop;
	icalparameter *param;

	memset(&period, 0, sizeof(period));
	period.start = freebusy_utc(p->start);
	period.end = freebusy_utc(p->end);
	period.duration = icaldurationtype_null_duration();
	prop = icalproperty_new_freebusy(period);
	if (!prop)
		return -1;
	param = icalparameter_new_fbtype(p->type == FREEBUSY_TENTATIVE ? ICAL_FBTYPE_BUSYTENTATIVE
								       : ICAL_FBTYPE_BUSY);
	if (!param) {
		icalproperty_free(prop);
		return -1;
	}
	icalproperty_add_parameter(prop, param);
	icalcomponent_add_property(fb, prop);
	return 0;
}

int freebusy_render(const struct freebusy_calendar *fc, struct buf *out)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent *fb = icalcomponent_new_vfreebusy();
	struct freebusy_period *merged = NULL;
	size_t n = 0;
	char *text = NULL;
	int rc = -1;

	if (!cal || !fb || fc->from >= fc->to)
		goto out;
	if (freebusy_merge(fc->periods, fc->n_periods, fc->from, fc->to, &merged, &n))
		goto out;
	icalcomponent_add_property(cal, icalproperty_new_prodid(FREEBUSY_PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(fb, icalproperty_new_uid(fc->uid ? fc->uid : "freebusy@majlis"));
	icalcomponent_add_property(fb, icalproperty_new_dtstamp(freebusy_utc(fc->stamp)));
	icalcomponent_add_property(fb, icalproperty_new_dtstart(freebusy_utc(fc->from)));
	icalcomponent_add_property(fb, icalproperty_new_dtend(freebusy_utc(fc->to)));
	for (size_t i = 0; i < n; i++)
		if (freebusy_add_period(fb, &merged[i]))
			goto out;
	icalcomponent_add_component(cal, fb);
	fb = NULL;
	text = icalcomponent_as_ical_string_r(cal);
	if (!text)
		goto out;
	rc = buf_append(out, text, strlen(text));
out:
	if (rc)
		log_err("rendering free/busy failed");
	if (text)
		icalmemory_free_buffer(text);
	if (fb)
		icalcomponent_free(fb);
	if (cal)
		icalcomponent_free(cal);
	free(merged);
	return rc;
}
