/* tz: converts wall time in a named zone to and from UTC through libical's system-database zones; it must
 * never compile in an offset or rule, keep a zone pointer across calls, or run off the lws service thread. */
#include "calendar/tz.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/civil.h"

#define TZ_ZONE_MAX	  64 /* longest tzdb name is 32 characters */
#define TZ_SECS_PER_DAY	  86400
#define TZ_EPOCH_MIN	  (-62135596800LL)	/* 0001-01-01T00:00:00Z */
#define TZ_EPOCH_MAX	  253402300799LL	/* 9999-12-31T23:59:59Z */
#define TZ_SLACK	  (2 * TZ_SECS_PER_DAY) /* instants a little outside still have wall times inside */
#define TZ_CANDIDATES_MAX 8			/* distinct offsets tried for one wall time */
#define TZ_SCAN_STEP	  3600			/* tz_crosses_change samples hourly: no offset lasts less */
#define TZ_OFFSET_CLAMP	  (99 * 3600 + 59 * 60)

/* A broken-down wall time without zone; a stack value inside one call, any thread. */
struct tz_wall {
	int year;
	int month;
	int day;
	int hour;
	int minute;
	int second;
};

static const char *const tz_messages[] = {
    [TZ_OK] = "ok",
    [-TZ_BAD_ZONE] = "unknown time zone (expected a tz database name such as \"Africa/Casablanca\")",
    [-TZ_BAD_TIME] = "invalid local time (expected a real date and time, \"YYYY-MM-DDTHH:MM[:SS]\")",
    [-TZ_GAP] = "that local time does not exist in the time zone (the clocks jump over it)",
    [-TZ_AMBIGUOUS] = "that local time occurs twice in the time zone; give its UTC offset",
    [-TZ_BAD_OFFSET] = "the time zone never has that UTC offset at that local time",
};

/* The wall time read as if it were UTC ("naive" seconds); wall time = utc + offset. */
static int64_t tz_wall_naive(const struct tz_wall *w)
{
	return civil_days_from_date(w->year, w->month, w->day) * TZ_SECS_PER_DAY + w->hour * 3600 +
	       w->minute * 60 + w->second;
}

/* Whether a and b name the same wall time, to the second. */
static bool tz_wall_eq(const struct tz_wall *a, const struct tz_wall *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day && a->hour == b->hour &&
	       a->minute == b->minute && a->second == b->second;
}

/* Reads n decimal digits at s into *v. Returns 0, or -1 if any of them is not a digit. */
static int tz_digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Parses exactly "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" naming a real date (years 0001-9999) and a
 * time 00:00:00-23:59:59 (no leap second). Returns 0 and fills *w, or -1. */
static int tz_parse_local(const char *s, struct tz_wall *w)
{
	size_t len = strlen(s);

	if (len != 16 && len != 19)
		return -1;
	if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || (len == 19 && s[16] != ':'))
		return -1;
	if (tz_digits(s, 4, &w->year) || tz_digits(s + 5, 2, &w->month) || tz_digits(s + 8, 2, &w->day) ||
	    tz_digits(s + 11, 2, &w->hour) || tz_digits(s + 14, 2, &w->minute))
		return -1;
	w->second = 0;
	if (len == 19 && tz_digits(s + 17, 2, &w->second))
		return -1;
	if (w->year < 1 || w->month < 1 || w->month > 12 || w->day < 1 ||
	    w->day > civil_days_in_month(w->year, w->month))
		return -1;
	if (w->hour > 23 || w->minute > 59 || w->second > 59)
		return -1;
	return 0;
}

/* Whether zone is shaped like a tz database name: 1-63 characters of [A-Za-z0-9_+/-], no leading, trailing
 * or doubled '/', no "..". libical opens the file named by it, so nothing else may reach libical. Also
 * refused: "localtime" (the host's setting, not a zone) and "right/..." (leap-second clocks, which libical
 * would misread by tens of seconds). */
static bool tz_name_ok(const char *zone)
{
	size_t len, i;

	if (!zone)
		return false;
	len = strnlen(zone, TZ_ZONE_MAX);
	if (len == 0 || len >= TZ_ZONE_MAX)
		return false;
	if (zone[0] == '/' || zone[len - 1] == '/' || strstr(zone, "//") || strstr(zone, ".."))
		return false;
	if (strcmp(zone, "localtime") == 0 || strncmp(zone, "right/", 6) == 0)
		return false;
	for (i = 0; i < len; i++) {
		char c = zone[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '/' || c == '-'))
			return false;
	}
	return true;
}

/* libical's zone for a well-formed name, or NULL. The pointer is valid until tz_reload; never keep it. */
static icaltimezone *tz_zone_get(const char *zone)
{
	if (!tz_name_ok(zone))
		return NULL;
	return icaltimezone_get_builtin_timezone(zone);
}

/* Wall time of utc in z, as libical computes it. Returns 0, or -1 when the wall time falls outside years
 * 0001-9999 (or utc outside them by more than TZ_SLACK, or outside time_t). */
static int tz_wall_at(icaltimezone *z, int64_t utc, struct tz_wall *w)
{
	struct icaltimetype tt;
	time_t t;

	if (utc < TZ_EPOCH_MIN - TZ_SLACK || utc > TZ_EPOCH_MAX + TZ_SLACK)
		return -1;
	t = (time_t)utc;
	if ((int64_t)t != utc)
		return -1;
	tt = icaltime_from_timet_with_zone(t, 0, z);
	if (tt.year < 1 || tt.year > 9999)
		return -1;
	w->year = tt.year;
	w->month = tt.month;
	w->day = tt.day;
	w->hour = tt.hour;
	w->minute = tt.minute;
	w->second = tt.second;
	return 0;
}

/* UTC offset of z at utc (seconds east), derived from the same conversion tz_wall_at makes so that every
 * answer of this file agrees with itself. Returns 0, or -1 as tz_wall_at. */
static int tz_offset_at(icaltimezone *z, int64_t utc, int32_t *offset)
{
	struct tz_wall w;

	if (tz_wall_at(z, utc, &w))
		return -1;
	*offset = (int32_t)(tz_wall_naive(&w) - utc);
	return 0;
}

/* Adds off to the n candidates in c[] unless present or full. */
static void tz_candidate_add(int32_t *c, int *n, int32_t off)
{
	int i;

	for (i = 0; i < *n; i++)
		if (c[i] == off)
			return;
	if (*n < TZ_CANDIDATES_MAX)
		c[(*n)++] = off;
}

bool tz_zone_valid(const char *zone)
{
	return tz_zone_get(zone) != NULL;
}

/*
 * Validity is decided here, not by libical (whose answer for a skipped wall time is some instant): the
 * candidate offsets are those in force a day either side of the naive instant and at it, plus the offset
 * found at each candidate's instant; a candidate counts when the instant naive - offset converts back to
 * exactly the wall time. Zero matches is a gap, two a fold. utc and offset may be NULL.
 */
enum tz_rc tz_local_to_utc(const char *zone, const char *local, int32_t offset_hint, int64_t *utc,
			   int32_t *offset)
{
	static const int64_t probes[] = {-TZ_SECS_PER_DAY, 0, TZ_SECS_PER_DAY};
	int32_t cand[TZ_CANDIDATES_MAX], match[2], off;
	int64_t naive, u;
	struct tz_wall w, back;
	icaltimezone *z;
	enum tz_rc rc;
	int n = 0, nmatch = 0, pick = -1, i;

	z = tz_zone_get(zone);
	if (!z) {
		rc = TZ_BAD_ZONE;
		goto out;
	}
	if (!local || tz_parse_local(local, &w)) {
		rc = TZ_BAD_TIME;
		goto out;
	}
	naive = tz_wall_naive(&w);
	for (i = 0; i < (int)(sizeof(probes) / sizeof(probes[0])); i++)
		if (!tz_offset_at(z, naive + probes[i], &off))
			tz_candidate_add(cand, &n, off);
	/* n grows while we walk: the offset at a candidate's instant is a candidate too */
	for (i = 0; i < n; i++)
		if (!tz_offset_at(z, naive - cand[i], &off))
			tz_candidate_add(cand, &n, off);
	for (i = 0; i < n; i++) {
		u = naive - cand[i];
		if (tz_wall_at(z, u, &back))
			continue;
		if (!tz_wall_eq(&back, &w))
			continue;
		if (nmatch < 2)
			match[nmatch] = cand[i];
		nmatch++;
	}
	if (nmatch == 0) {
		rc = TZ_GAP;
		goto out;
	}
	if (offset_hint != TZ_NO_OFFSET) {
		for (i = 0; i < nmatch && i < 2; i++)
			if (match[i] == offset_hint)
				pick = i;
		rc = pick < 0 ? TZ_BAD_OFFSET : TZ_OK;
	} else if (nmatch == 1) {
		pick = 0;
		rc = TZ_OK;
	} else {
		rc = TZ_AMBIGUOUS;
	}
	if (rc != TZ_OK)
		goto out;
	if (utc)
		*utc = naive - match[pick];
	if (offset)
		*offset = match[pick];
out:
	return rc;
}

/* Also returns TZ_BAD_TIME when utc or its wall time lies outside years 0001-9999 (not representable in
 * out). offset may be NULL. */
enum tz_rc tz_utc_to_local(const char *zone, int64_t utc, char out[TZ_LOCAL_LEN], int32_t *offset)
{
	struct tz_wall w;
	icaltimezone *z;
	int len;

	out[0] = '\0';
	z = tz_zone_get(zone);
	if (!z)
		return TZ_BAD_ZONE;
	if (tz_wall_at(z, utc, &w))
		return TZ_BAD_TIME;
	len = snprintf(out, TZ_LOCAL_LEN, "%04d-%02d-%02dT%02d:%02d:%02d", w.year, w.month, w.day, w.hour,
		       w.minute, w.second);
	if (len < 0 || len >= TZ_LOCAL_LEN) {
		out[0] = '\0';
		return TZ_BAD_TIME;
	}
	if (offset)
		*offset = (int32_t)(tz_wall_naive(&w) - utc);
	return TZ_OK;
}

/* Seconds are dropped (toward zero); offsets beyond +/-99:59 (no zone has one) are clamped to it. */
void tz_format_offset(int32_t offset, char out[TZ_OFFSET_LEN])
{
	int64_t a = offset;
	char sign = '+';

	if (a < 0) {
		sign = '-';
		a = -a;
	}
	if (a > TZ_OFFSET_CLAMP)
		a = TZ_OFFSET_CLAMP;
	snprintf(out, TZ_OFFSET_LEN, "%c%02d:%02d", sign, (int)(a / 3600), (int)(a % 3600 / 60));
}

/* Accepts "Z" or "z", and a sign followed by HH:MM or HHMM with hours 00-23 and minutes 00-59; nothing
 * may follow. "-00:00" reads as 0. *offset is left alone on -1. */
int tz_parse_offset(const char *s, int32_t *offset)
{
	int h, m, sign;
	size_t len;

	if (!s || !offset)
		return -1;
	len = strlen(s);
	if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*offset = 0;
		return 0;
	}
	if (len != 5 && len != 6)
		return -1;
	if (s[0] != '+' && s[0] != '-')
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (tz_digits(s + 1, 2, &h))
		return -1;
	if (len == 6 && s[3] != ':')
		return -1;
	if (tz_digits(s + (len == 6 ? 4 : 3), 2, &m))
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*offset = sign * (h * 3600 + m * 60);
	return 0;
}

/* Also returns TZ_BAD_TIME as tz_utc_to_local (for the UTC fallback too). When the zone's offset is not a
 * whole number of minutes (local mean time before ~1913 in some zones) RFC 3339 cannot carry it, so the
 * instant is written in UTC ("+00:00") rather than shifted. */
enum tz_rc tz_format_instant(const char *zone, int64_t utc, char out[32])
{
	char local[TZ_LOCAL_LEN], off[TZ_OFFSET_LEN];
	int32_t offset;
	enum tz_rc rc;

	out[0] = '\0';
	rc = tz_utc_to_local(zone, utc, local, &offset);
	if (rc != TZ_OK)
		return rc;
	if (offset % 60 != 0) {
		rc = tz_utc_to_local("UTC", utc, local, &offset);
		if (rc != TZ_OK)
			return rc;
	}
	tz_format_offset(offset, off);
	snprintf(out, 32, "%s%s", local, off);
	return TZ_OK;
}

/* Samples every TZ_SCAN_STEP seconds from from_utc and at to_utc itself (a change exactly at to_utc
 * counts). False for an unknown zone or an empty range (to_utc <= from_utc); the range is clipped to years
 * 0001-9999. Cost grows with the range: 8,760 samples a year. */
bool tz_crosses_change(const char *zone, int64_t from_utc, int64_t to_utc)
{
	int32_t first, off;
	icaltimezone *z;
	int64_t t;

	z = tz_zone_get(zone);
	if (!z)
		return false;
	if (from_utc < TZ_EPOCH_MIN)
		from_utc = TZ_EPOCH_MIN;
	if (to_utc > TZ_EPOCH_MAX)
		to_utc = TZ_EPOCH_MAX;
	if (to_utc <= from_utc)
		return false;
	if (tz_offset_at(z, from_utc, &first))
		return false;
	for (t = from_utc + TZ_SCAN_STEP; t < to_utc; t += TZ_SCAN_STEP)
		if (!tz_offset_at(z, t, &off) && off != first)
			return true;
	return !tz_offset_at(z, to_utc, &off) && off != first;
}

/* Any icaltimetype elsewhere that points at a builtin zone dangles after this; no caller may hold one
 * across it. */
/* Held shared by a reader on another thread, exclusively by tz_reload. */
static pthread_rwlock_t tz_cache_lock = PTHREAD_RWLOCK_INITIALIZER;

void tz_reload(void)
{
	pthread_rwlock_wrlock(&tz_cache_lock);
	icaltimezone_free_builtin_timezones();
	pthread_rwlock_unlock(&tz_cache_lock);
}

static void tz_file_id_of(const char *dir, const char *name, struct tz_file_id *out)
{
	char path[1024];
	struct stat st;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st))
		return;
	out->dev = (uint64_t)st.st_dev;
	out->ino = (uint64_t)st.st_ino;
	out->size = (int64_t)st.st_size;
	out->mtime_s = (int64_t)st.st_mtim.tv_sec;
	out->mtime_ns = st.st_mtim.tv_nsec;
	out->present = true;
}

bool tz_db_changed(struct tz_db_seen *seen)
{
	static const char *const files[] = {"tzdata.zi", TZ_DEFAULT_ZONE};
	const char *dir = icaltzutil_get_zone_directory();
	bool changed = false;

	for (size_t i = 0; i < 2; i++) {
		struct tz_file_id now;

		tz_file_id_of(dir ? dir : "/usr/share/zoneinfo", files[i], &now);
		changed = changed || now.present != seen->file[i].present || now.dev != seen->file[i].dev ||
			  now.ino != seen->file[i].ino || now.size != seen->file[i].size ||
			  now.mtime_s != seen->file[i].mtime_s || now.mtime_ns != seen->file[i].mtime_ns;
		seen->file[i] = now;
	}
	if (!seen->known) {
		seen->known = true;
		return false;
	}
	return changed;
}

void tz_read_begin(void)
{
	pthread_rwlock_rdlock(&tz_cache_lock);
}

void tz_read_end(void)
{
	pthread_rwlock_unlock(&tz_cache_lock);
}

/* Returns a static string; any thread may call it. */
const char *tz_strerror(enum tz_rc rc)
{
	if (rc > TZ_OK || rc < TZ_BAD_OFFSET)
		return "unknown time zone error";
	return tz_messages[-rc];
}

bool tz_rules_current(void)
{
	int64_t utc;
	int32_t offset = TZ_NO_OFFSET;

	return tz_local_to_utc(TZ_DEFAULT_ZONE, "2026-10-15T12:00", TZ_NO_OFFSET, &utc, &offset) == TZ_OK &&
	       offset == 0;
}
