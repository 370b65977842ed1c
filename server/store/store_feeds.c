/*
 * store_feeds: prepared SELECTs behind the calendar feeds and the calendar_tokens rows; it must not
 * render, hash tokens, check permissions or choose a feed's window (the domain does).
 */
#include "store/store_feeds.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

/* The columns and joins every feed query shares; a session's venue is its room's, else the event's. */
#define STORE_FEEDS_SELECT                                                                                   \
	"SELECT s.id AS session_id, s.event_id AS event_id, s.title AS session_title, "                      \
	"s.starts_local AS starts_local, s.tz AS tz, s.start_utc AS start_utc, s.end_utc AS end_utc, "       \
	"s.start_offset AS start_offset, s.sequence AS session_sequence, s.updated_at AS "                   \
	"session_updated_at, "                                                                               \
	"e.type AS type, e.title_fr AS title_fr, e.title_ar AS title_ar, e.title_en AS title_en, "           \
	"e.description_fr AS description_fr, e.description_ar AS description_ar, "                           \
	"e.description_en AS description_en, e.status AS status, e.sequence AS event_sequence, "             \
	"e.updated_at AS event_updated_at, e.url AS url, e.visibility AS visibility, "                       \
	"o.name AS org_name, o.contact_email AS org_email, v.name AS venue_name, "                           \
	"v.address AS venue_address, v.city AS venue_city, v.latitude AS latitude, "                         \
	"v.longitude AS longitude, r.name AS room_name"

#define STORE_FEEDS_FROM                                                                                     \
	" FROM sessions s JOIN events e ON e.id = s.event_id JOIN organisations o ON o.id = e.org_id "       \
	"LEFT JOIN rooms r ON r.id = s.room_id LEFT JOIN venues v ON v.id = COALESCE(r.venue_id, "           \
	"e.venue_id) "

/* A cancelled event stays for a while after its cancellation (its last change when that is unknown). */
#define STORE_FEEDS_WINDOW                                                                                   \
	" s.end_utc >= :from AND (e.status <> 'cancelled' OR "                                               \
	"coalesce(e.cancelled_at, e.updated_at) >= :cancelled_since) "

#define STORE_FEEDS_ORDER " ORDER BY s.start_utc, s.id LIMIT :limit"

/* Binds the window and limit of q (a struct store_feed_query). */
static int store_feeds_bind_window(sqlite3_stmt *st, const void *ctx)
{
	const struct store_feed_query *q = ctx;

	return db_bind_args(st, DB_ARGS(DB_INT(":from", q->from_utc),
					DB_INT(":cancelled_since", q->cancelled_since),
					DB_INT(":limit", q->limit)));
}

void store_feed_row_clear(struct store_feed_row *r)
{
	if (!r)
		return;
	free(r->session_title);
	free(r->starts_local);
	free(r->tz);
	free(r->type);
	for (int i = 0; i < 3; i++) {
		free(r->title[i]);
		free(r->description[i]);
	}
	free(r->status);
	free(r->url);
	free(r->visibility);
	free(r->org_name);
	free(r->org_email);
	free(r->venue_name);
	free(r->venue_address);
	free(r->venue_city);
	free(r->room_name);
	free(r->registration_status);
	memset(r, 0, sizeof(*r));
}

/* Whether column col holds a number (a coordinate stored as text is no coordinate). */
static bool store_feeds_num(sqlite3_stmt *st, int col, double *out)
{
	int t = sqlite3_column_type(st, col);

	*out = sqlite3_column_double(st, col);
	return t == SQLITE_FLOAT || t == SQLITE_INTEGER;
}

/* Reads a row of STORE_FEEDS_SELECT (and registration_status, when the query has it) into a zeroed row. */
static int store_feeds_read(sqlite3_stmt *st, void *row)
{
	struct store_feed_row *r = row;
	int rc;

	r->session_id = db_col_int(st, 0);
	r->event_id = db_col_int(st, 1);
	rc = db_col_dup(st, 2, &r->session_title);
	rc = rc ? rc : db_col_dup(st, 3, &r->starts_local);
	rc = rc ? rc : db_col_dup(st, 4, &r->tz);
	r->start_utc = db_col_int(st, 5);
	r->end_utc = db_col_int(st, 6);
	r->start_offset = db_col_int(st, 7);
	r->session_sequence = db_col_int(st, 8);
	r->session_updated_at = db_col_int(st, 9);
	rc = rc ? rc : db_col_dup(st, 10, &r->type);
	for (int i = 0; i < 3 && !rc; i++)
		rc = db_col_dup(st, 11 + i, &r->title[i]);
	for (int i = 0; i < 3 && !rc; i++)
		rc = db_col_dup(st, 14 + i, &r->description[i]);
	rc = rc ? rc : db_col_dup(st, 17, &r->status);
	r->event_sequence = db_col_int(st, 18);
	r->event_updated_at = db_col_int(st, 19);
	rc = rc ? rc : db_col_dup(st, 20, &r->url);
	rc = rc ? rc : db_col_dup(st, 21, &r->visibility);
	rc = rc ? rc : db_col_dup(st, 22, &r->org_name);
	rc = rc ? rc : db_col_dup(st, 23, &r->org_email);
	rc = rc ? rc : db_col_dup(st, 24, &r->venue_name);
	rc = rc ? rc : db_col_dup(st, 25, &r->venue_address);
	rc = rc ? rc : db_col_dup(st, 26, &r->venue_city);
	r->has_latitude = store_feeds_num(st, 27, &r->latitude);
	r->has_longitude = store_feeds_num(st, 28, &r->longitude);
	rc = rc ? rc : db_col_dup(st, 29, &r->room_name);
	if (!rc && sqlite3_column_count(st) > 30)
		rc = db_col_dup(st, 30, &r->registration_status);
	return rc;
}

static void store_feeds_clear(void *row)
{
	store_feed_row_clear(row);
}

static const struct db_row_type store_feeds_row = {sizeof(struct store_feed_row), store_feeds_read,
						   store_feeds_clear};

void store_feed_rows_free(struct store_feed_row *rows, size_t n)
{
	db_rows_free(&store_feeds_row, rows, n);
}

/* Reads the rows of a bound statement (NULL after a failed bind: STORE_ERROR). */
static int store_feeds_rows(sqlite3_stmt *st, struct store_feed_row **rows, size_t *n)
{
	void *a;
	int rc = db_rows(st, &store_feeds_row, &a, n);

	*rows = a;
	return rc;
}

int store_feeds_public(struct db *db, const struct store_feed_query *q, struct store_feed_row **rows,
		       size_t *n)
{
	static const char sql[] = STORE_FEEDS_SELECT STORE_FEEDS_FROM
	    "WHERE e.visibility = 'public' AND" STORE_FEEDS_WINDOW
	    "AND (:city IS NULL OR v.city = :city COLLATE NOCASE) "
	    "AND (:type IS NULL OR e.type = :type) "
	    "AND (:org IS NULL OR e.org_id = :org OR EXISTS (SELECT 1 FROM event_partners p "
	    "WHERE p.event_id = e.id AND p.org_id = :org))" STORE_FEEDS_ORDER;

	return store_feeds_rows(db_stmt_bind(db, sql, store_feeds_bind_window, q,
					     DB_ARGS(DB_TEXT(":city", q->city), DB_TEXT(":type", q->type),
						     DB_OPT_INT(":org", q->org_id > 0, q->org_id))),
				rows, n);
}

int store_feeds_org(struct db *db, int64_t org_id, const struct store_feed_query *q,
		    struct store_feed_row **rows, size_t *n)
{
	static const char sql[] = STORE_FEEDS_SELECT STORE_FEEDS_FROM
	    "WHERE (e.org_id = :org OR EXISTS (SELECT 1 FROM event_partners p "
	    "WHERE p.event_id = e.id AND p.org_id = :org)) AND" STORE_FEEDS_WINDOW STORE_FEEDS_ORDER;

	return store_feeds_rows(
	    db_stmt_bind(db, sql, store_feeds_bind_window, q, DB_ARGS(DB_INT(":org", org_id))), rows, n);
}

int store_feeds_person(struct db *db, int64_t person_id, const struct store_feed_query *q,
		       struct store_feed_row **rows, size_t *n)
{
	/* the sessions they are registered for (with their status), those of a cancelled event whose
	 * cancellation cancelled their registration (it was live until then: their calendar must learn of
	 * the cancellation), and the sessions they lead (registration_status 'facilitator'); a session they
	 * both lead and attend appears once */
	static const char sql[] = STORE_FEEDS_SELECT
	    ", g.status AS registration_status" STORE_FEEDS_FROM "JOIN registrations g ON g.event_id = e.id "
	    "WHERE g.person_id = :person AND (g.status IN ('pending', 'confirmed', 'waitlisted', 'declined') "
	    "OR (g.status = 'cancelled' AND g.cancelled_by_event = 1 AND e.status = 'cancelled')) "
	    "AND (s.facilitator_id IS NULL OR s.facilitator_id <> :person) AND" STORE_FEEDS_WINDOW
	    "UNION ALL " STORE_FEEDS_SELECT ", 'facilitator' AS registration_status" STORE_FEEDS_FROM
	    "WHERE s.facilitator_id = :person AND" STORE_FEEDS_WINDOW
	    "ORDER BY start_utc, session_id LIMIT :limit";

	return store_feeds_rows(
	    db_stmt_bind(db, sql, store_feeds_bind_window, q, DB_ARGS(DB_INT(":person", person_id))), rows,
	    n);
}

int store_feeds_event(struct db *db, int64_t event_id, int64_t limit, struct store_feed_row **rows, size_t *n)
{
	static const char sql[] = STORE_FEEDS_SELECT STORE_FEEDS_FROM "WHERE e.id = :event" STORE_FEEDS_ORDER;

	return store_feeds_rows(
	    db_stmt_args(db, sql, DB_ARGS(DB_INT(":event", event_id), DB_INT(":limit", limit))), rows, n);
}

/* Where store_feeds_event_access puts what it read. */
struct store_feeds_access_out {
	char *visibility; /* 16 bytes */
	int64_t *owner_org;
	bool *partner;
};

static int store_feeds_access_read(sqlite3_stmt *st, void *ctx)
{
	const struct store_feeds_access_out *o = ctx;

	db_col_copy(st, 0, o->visibility, 16);
	*o->owner_org = db_col_int(st, 1);
	*o->partner = db_col_int(st, 2) != 0;
	return STORE_OK;
}

int store_feeds_event_access(struct db *db, int64_t event_id, int64_t org_id, char visibility[16],
			     int64_t *owner_org, bool *partner)
{
	static const char sql[] =
	    "SELECT e.visibility, e.org_id, EXISTS (SELECT 1 FROM event_partners p "
	    "WHERE p.event_id = e.id AND p.org_id = :org) FROM events e WHERE e.id = :id";
	struct store_feeds_access_out o = {visibility, owner_org, partner};

	return db_one(db, sql, DB_ARGS(DB_INT(":id", event_id), DB_INT(":org", org_id)),
		      store_feeds_access_read, &o);
}

int store_feeds_org_name(struct db *db, int64_t org_id, char *name, size_t namelen)
{
	return db_one_text(db, "SELECT name FROM organisations WHERE id = :id",
			   DB_ARGS(DB_INT(":id", org_id)), name, namelen);
}

int store_calendar_token_insert(struct db *db, const char *token_hash, const char *owner_kind,
				int64_t owner_id, const char *label, int64_t created_by, int64_t now,
				int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO calendar_tokens (token_hash, owner_kind, owner_id, label, created_by, created_at) "
	    "VALUES (:hash, :kind, :owner, :label, :by, :now)";
	return db_run_insert(db, sql,
			     DB_ARGS(DB_TEXT(":hash", token_hash), DB_TEXT(":kind", owner_kind),
				     DB_INT(":owner", owner_id), DB_TEXT(":label", label),
				     DB_OPT_INT(":by", created_by > 0, created_by), DB_INT(":now", now)),
			     id);
}

/* The token columns plus the answerable organisation; the WHERE clause is appended by callers. */
#define STORE_TOKEN_SELECT                                                                                   \
	"SELECT t.id, t.owner_kind, t.owner_id, t.revoked_at, CASE t.owner_kind "                            \
	"WHEN 'organisation' THEN t.owner_id WHEN 'person' THEN (SELECT p.org_id FROM people p "             \
	"WHERE p.id = t.owner_id) END FROM calendar_tokens t "

/* Reads a row of STORE_TOKEN_SELECT into a zeroed store_calendar_token. */
static int store_calendar_token_read(sqlite3_stmt *st, void *row)
{
	struct store_calendar_token *t = row;

	t->id = db_col_int(st, 0);
	db_col_copy(st, 1, t->owner_kind, sizeof(t->owner_kind));
	t->owner_id = db_col_int(st, 2);
	t->revoked = !db_col_is_null(st, 3);
	t->org_id = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	return STORE_OK;
}

static const struct db_row_type store_calendar_token_row = {sizeof(struct store_calendar_token),
							    store_calendar_token_read, NULL};

int store_calendar_token_by_hash(struct db *db, const char *token_hash, struct store_calendar_token *out)
{
	static const char sql[] = STORE_TOKEN_SELECT "WHERE t.token_hash = :hash AND t.revoked_at IS NULL";

	return db_row_one(db_stmt_args(db, sql, DB_ARGS(DB_TEXT(":hash", token_hash))),
			  &store_calendar_token_row, out);
}

int store_calendar_token_get(struct db *db, int64_t id, struct store_calendar_token *out)
{
	static const char sql[] = STORE_TOKEN_SELECT "WHERE t.id = :id";

	return db_row_by_id(db, sql, id, &store_calendar_token_row, out);
}

void calendar_token_row_clear(struct calendar_token_row *r)
{
	if (!r)
		return;
	free(r->owner_kind);
	free(r->label);
	memset(r, 0, sizeof(*r));
}

/* Reads a row of STORE_TOKEN_COLS into a zeroed calendar_token_row. */
static int store_token_read(sqlite3_stmt *st, void *row)
{
	struct calendar_token_row *r = row;
	int rc;

	r->id = db_col_int(st, 0);
	rc = db_col_dup(st, 1, &r->owner_kind);
	r->owner_id = db_col_int(st, 2);
	rc = rc ? rc : db_col_dup(st, 3, &r->label);
	r->created_by = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	r->created_at = db_col_int(st, 5);
	r->revoked = !db_col_is_null(st, 6);
	r->revoked_at = db_col_int(st, 6);
	return rc;
}

static void store_token_clear(void *row)
{
	calendar_token_row_clear(row);
}

static const struct db_row_type store_token_row = {sizeof(struct calendar_token_row), store_token_read,
						   store_token_clear};

void calendar_token_rows_free(struct calendar_token_row *rows, size_t n)
{
	db_rows_free(&store_token_row, rows, n);
}

/* The columns of a calendar_token_row. */
#define STORE_TOKEN_COLS "t.id, t.owner_kind, t.owner_id, t.label, t.created_by, t.created_at, t.revoked_at"

int store_calendar_token_load(struct db *db, int64_t id, struct calendar_token_row *r)
{
	static const char sql[] = "SELECT " STORE_TOKEN_COLS " FROM calendar_tokens t WHERE t.id = :id";

	return db_row_by_id(db, sql, id, &store_token_row, r);
}

/* Valid tokens :org answers for (all when :org is NULL). */
#define STORE_TOKEN_SCOPE                                                                                    \
	" FROM calendar_tokens t WHERE t.revoked_at IS NULL AND (:org IS NULL "                              \
	"OR (t.owner_kind = 'organisation' AND t.owner_id = :org) "                                          \
	"OR (t.owner_kind = 'person' AND EXISTS (SELECT 1 FROM people p WHERE p.id = t.owner_id "            \
	"AND p.org_id = :org)))"

static int store_token_filter_bind(sqlite3_stmt *st, const void *ctx)
{
	const int64_t *org_id = ctx;

	return db_bind_args(st, DB_ARGS(DB_OPT_INT(":org", *org_id > 0, *org_id)));
}

int store_calendar_token_list(struct db *db, int64_t org_id, int64_t limit, int64_t offset,
			      struct calendar_token_row **rows, size_t *n, int64_t *total)
{
	static const char count_sql[] = "SELECT count(*)" STORE_TOKEN_SCOPE;
	static const char sql[] =
	    "SELECT " STORE_TOKEN_COLS STORE_TOKEN_SCOPE " ORDER BY t.id LIMIT :limit OFFSET :offset";
	void *a;
	int rc = db_page_rows(db, count_sql, sql, store_token_filter_bind, &org_id, limit, offset,
			      &store_token_row, &a, n, total);

	*rows = a;
	return rc;
}

int store_calendar_token_revoke(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] =
	    "UPDATE calendar_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":now", now), DB_INT(":id", id)));
}
