/*
 * tz: local wall time <-> UTC through the system tz database as libical reads it (never rules compiled
 * in); plain C types only so that callers need no libical. The lws service thread calls it freely; other
 * threads (the request worker, the notifications worker) may, between tz_read_begin and tz_read_end
 * (libical guards its zone cache with its own locks, but tz_reload frees that cache: it waits for such
 * readers). tz_reload runs on the service thread.
 */
#ifndef MAJLIS_CALENDAR_TZ_H
#define MAJLIS_CALENDAR_TZ_H

#include <stdbool.h>
#include <stdint.h>

#define TZ_DEFAULT_ZONE "Africa/Casablanca"
#define TZ_LOCAL_LEN	20 /* "YYYY-MM-DDTHH:MM:SS" + NUL */
#define TZ_OFFSET_LEN	7  /* "+01:00" + NUL */
#define TZ_NO_OFFSET	INT32_MIN

enum tz_rc {
	TZ_OK = 0,
	TZ_BAD_ZONE = -1,  /* unknown zone name */
	TZ_BAD_TIME = -2,  /* not "YYYY-MM-DDTHH:MM[:SS]" or not a real date/time */
	TZ_GAP = -3,	   /* that wall time does not exist in the zone (clocks jumped over it) */
	TZ_AMBIGUOUS = -4, /* occurs twice and no (matching) offset was given */
	TZ_BAD_OFFSET = -5 /* an offset was given that the zone never has at that wall time */
};

/* True when zone names a zone of the system database (e.g. "Africa/Casablanca"). */
bool tz_zone_valid(const char *zone);

/* Converts wall time local ("YYYY-MM-DDTHH:MM" or with ":SS") in zone to seconds since the epoch.
 * offset_hint is TZ_NO_OFFSET or the UTC offset in seconds the caller means (to pick one of two
 * occurrences). On TZ_OK *utc and *offset (seconds east of UTC) are set. */
enum tz_rc tz_local_to_utc(const char *zone, const char *local, int32_t offset_hint, int64_t *utc,
			   int32_t *offset);

/* Wall time of utc in zone as "YYYY-MM-DDTHH:MM:SS" plus its offset. Returns TZ_OK or TZ_BAD_ZONE. */
enum tz_rc tz_utc_to_local(const char *zone, int64_t utc, char out[TZ_LOCAL_LEN], int32_t *offset);

/* "+01:00" / "+00:00" / "-03:30" for an offset in seconds. */
void tz_format_offset(int32_t offset, char out[TZ_OFFSET_LEN]);

/* Parses "+01:00", "+0100", "Z" into seconds. Returns 0 or -1. */
int tz_parse_offset(const char *s, int32_t *offset);

/* RFC 3339 instant "2026-10-15T10:00:00+00:00" for utc as seen in zone. Returns TZ_OK or TZ_BAD_ZONE. */
enum tz_rc tz_format_instant(const char *zone, int64_t utc, char out[32]);

/* Whether the zone's UTC offset differs anywhere in [from_utc, to_utc] from the one at from_utc
 * (a session or series that crosses a change of rules). */
bool tz_crosses_change(const char *zone, int64_t from_utc, int64_t to_utc);

/* Drops libical's cached zones so the next call re-reads the system database (tzdata upgrade). Waits
 * for a reader on another thread to finish. Service thread. */
void tz_reload(void);
/* One zone file's identity, as tz_db_changed compares it. */
struct tz_file_id {
	uint64_t dev;
	uint64_t ino;
	int64_t size;
	int64_t mtime_s;
	long mtime_ns;
	bool present;
};

/* What one watcher of the tz database saw at its previous look: the caller's, one per watcher (each
 * server instance its own), zeroed before the first look, touched by the watcher's thread only. */
struct tz_db_seen {
	struct tz_file_id file[2]; /* tzdata.zi, TZ_DEFAULT_ZONE's file */
	bool known;		   /* a first look was taken */
};

/* Whether the system tz database changed on disk since seen's previous look, as a tzdata upgrade does
 * (it replaces the files): compares device, inode, size and modification time of the zone directory's
 * tzdata.zi and of TZ_DEFAULT_ZONE's file, and records them in seen. The first look only takes note and
 * answers false. The watcher's thread. */
bool tz_db_changed(struct tz_db_seen *seen);
/* Whether the system tz database has Morocco's rules of tzdata 2026c or later: Africa/Casablanca is at UTC+0
 * at noon on 15 October 2026 (older data says UTC+1 there, and every later time in Morocco is an hour off).
 * Service thread. */
bool tz_rules_current(void);
/* Bracket the use of zones (this module, or libical zones) on a thread other than the service thread. */
void tz_read_begin(void);
void tz_read_end(void);

/* A message for an rc, fit for an API client (English), e.g. for TZ_GAP "... does not exist in ...". */
const char *tz_strerror(enum tz_rc rc);

#endif
