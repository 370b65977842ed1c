/*
 * store_events: prepared statements over events, event_partners and the registration rows an event
 * change reads or cancels; it must not check permissions, open transactions or render JSON.
 */
#include "store/store_events.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

#define EVENT_COLS                                                                                           \
	"id, type, title_fr, title_ar, title_en, description_fr, description_ar, description_en, "           \
	"org_id, venue_id, visibility, capacity, registration_opens_at, registration_closes_at, "            \
	"needs_approval, status, sequence, url, created_at, updated_at"

void event_row_clear(struct event_row *r)
{
	if (!r)
		return;
	for (int i = 0; i < EVENT_LANGS; i++) {
		free(r->title[i]);
		free(r->description[i]);
	}
	free(r->url);
	memset(r, 0, sizeof(*r));
}

int event_row_set(char **slot, const char *s)
{
	char *copy = NULL;

	if (s) {
		copy = strdup(s);
		if (!copy)
			return STORE_ERROR;
	}
	free(*slot);
	*slot = copy;
	return STORE_OK;
}

/* Reads a row of EVENT_COLS into a zeroed event_row. */
static int store_event_read(sqlite3_stmt *st, void *row)
{
	struct event_row *r = row;
	int rc = STORE_OK;

	r->id = db_col_int(st, 0);
	db_col_copy(st, 1, r->type, sizeof(r->type));
	for (int i = 0; i < EVENT_LANGS && !rc; i++) {
		rc = db_col_dup(st, 2 + i, &r->title[i]);
		rc = rc ? rc : db_col_dup(st, 5 + i, &r->description[i]);
	}
	rc = rc ? rc : db_col_dup(st, 17, &r->url);
	r->org_id = db_col_int(st, 8);
	r->venue_id = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	db_col_copy(st, 10, r->visibility, sizeof(r->visibility));
	r->capacity = db_col_int(st, 11);
	r->has_opens = !db_col_is_null(st, 12);
	r->opens_at = db_col_int(st, 12);
	r->has_closes = !db_col_is_null(st, 13);
	r->closes_at = db_col_int(st, 13);
	r->needs_approval = db_col_int(st, 14) != 0;
	db_col_copy(st, 15, r->status, sizeof(r->status));
	r->sequence = db_col_int(st, 16);
	r->created_at = db_col_int(st, 18);
	r->updated_at = db_col_int(st, 19);
	return rc;
}

static void store_event_clear(void *row)
{
	event_row_clear(row);
}

static const struct db_row_type store_event_row = {sizeof(struct event_row), store_event_read,
						   store_event_clear};

int store_event_load(struct db *db, int64_t id, struct event_row *r)
{
	static const char sql[] = "SELECT " EVENT_COLS " FROM events WHERE id = :id";

	return db_row_by_id(db, sql, id, &store_event_row, r);
}

/* Binds every column but id and created_at. */
static int store_event_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct event_row *r = ctx;

	return db_bind_args(
	    st,
	    DB_ARGS(DB_TEXT(":type", r->type), DB_TEXT(":title_fr", r->title[0]),
		    DB_TEXT(":title_ar", r->title[1]), DB_TEXT(":title_en", r->title[2]),
		    DB_TEXT(":desc_fr", r->description[0]), DB_TEXT(":desc_ar", r->description[1]),
		    DB_TEXT(":desc_en", r->description[2]), DB_INT(":org", r->org_id),
		    DB_OPT_INT(":venue", r->venue_id > 0, r->venue_id), DB_TEXT(":visibility", r->visibility),
		    DB_INT(":capacity", r->capacity), DB_OPT_INT(":opens", r->has_opens, r->opens_at),
		    DB_OPT_INT(":closes", r->has_closes, r->closes_at),
		    DB_INT(":approval", r->needs_approval ? 1 : 0), DB_TEXT(":status", r->status),
		    DB_INT(":sequence", r->sequence), DB_TEXT(":url", r->url),
		    DB_INT(":updated", r->updated_at)));
}

int store_event_insert(struct db *db, struct event_row *r)
{
	static const char sql[] =
	    "INSERT INTO events (type, title_fr, title_ar, title_en, description_fr, description_ar, "
	    "description_en, org_id, venue_id, visibility, capacity, registration_opens_at, "
	    "registration_closes_at, needs_approval, status, sequence, url, created_at, updated_at) "
	    "VALUES (:type, :title_fr, :title_ar, :title_en, :desc_fr, :desc_ar, :desc_en, :org, :venue, "
	    ":visibility, :capacity, :opens, :closes, :approval, :status, :sequence, :url, :created, "
	    ":updated)";

	return db_exec_insert(
	    db_stmt_bind(db, sql, store_event_bind, r, DB_ARGS(DB_INT(":created", r->created_at))), &r->id);
}

int store_event_update(struct db *db, const struct event_row *r)
{
	static const char sql[] =
	    "UPDATE events SET type = :type, title_fr = :title_fr, title_ar = :title_ar, "
	    "title_en = :title_en, description_fr = :desc_fr, description_ar = :desc_ar, "
	    "description_en = :desc_en, org_id = :org, venue_id = :venue, visibility = :visibility, "
	    "capacity = :capacity, registration_opens_at = :opens, registration_closes_at = :closes, "
	    "needs_approval = :approval, status = :status, sequence = :sequence, url = :url, "
	    "updated_at = :updated WHERE id = :id";

	return db_exec_update(db_stmt_bind(db, sql, store_event_bind, r, DB_ARGS(DB_INT(":id", r->id))));
}

int store_event_bump(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] =
	    "UPDATE events SET sequence = sequence + 1, updated_at = :now WHERE id = :id";
	return db_run_update(db, sql, DB_ARGS(DB_INT(":id", id), DB_INT(":now", now)));
}

int store_event_partners(struct db *db, int64_t id, int64_t **ids, size_t *n)
{
	static const char sql[] = "SELECT org_id FROM event_partners WHERE event_id = :id ORDER BY org_id";
	void *a;
	int rc = db_rows(db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id))), &db_id_row, &a, n);

	*ids = a;
	return rc;
}

int store_event_partners_set(struct db *db, int64_t id, const int64_t *ids, size_t n)
{
	static const char del[] = "DELETE FROM event_partners WHERE event_id = :id";
	static const char ins[] =
	    "INSERT OR IGNORE INTO event_partners (event_id, org_id) VALUES (:id, :org)";
	int rc = db_run(db, del, DB_ARGS(DB_INT(":id", id)));

	for (size_t i = 0; i < n && !rc; i++)
		rc = db_run(db, ins, DB_ARGS(DB_INT(":id", id), DB_INT(":org", ids[i])));
	return rc;
}

int store_event_is_partner(struct db *db, int64_t event_id, int64_t org_id)
{
	static const char sql[] = "SELECT 1 FROM event_partners WHERE event_id = :event AND org_id = :org";

	return db_found(
	    db_one_int(db, sql, DB_ARGS(DB_INT(":event", event_id), DB_INT(":org", org_id)), NULL));
}

int store_org_exists(struct db *db, int64_t org_id)
{
	static const char sql[] = "SELECT 1 FROM organisations WHERE id = :id";

	return db_found(db_int_by_id(db, sql, org_id, NULL));
}

int store_venue_tz(struct db *db, int64_t venue_id, char tz[EVENT_ZONE_LEN])
{
	static const char sql[] = "SELECT tz FROM venues WHERE id = :id";

	return db_one_text(db, sql, DB_ARGS(DB_INT(":id", venue_id)), tz, EVENT_ZONE_LEN);
}

/* The filter shared by the list and its count; every bind is named so both statements bind alike. */
#define EVENT_LIST_WHERE                                                                                     \
	" WHERE (:all = 1 OR e.visibility = 'public' OR (:vorg IS NOT NULL AND (e.org_id = :vorg OR "        \
	"EXISTS (SELECT 1 FROM event_partners vp WHERE vp.event_id = e.id AND vp.org_id = :vorg)))) "        \
	"AND (:type IS NULL OR e.type = :type) "                                                             \
	"AND (:status IS NULL OR e.status = :status) "                                                       \
	"AND (:org IS NULL OR e.org_id = :org OR EXISTS (SELECT 1 FROM event_partners op "                   \
	"WHERE op.event_id = e.id AND op.org_id = :org)) "                                                   \
	"AND (:city IS NULL OR EXISTS (SELECT 1 FROM venues v WHERE v.id = e.venue_id AND "                  \
	"v.city = :city COLLATE NOCASE) OR EXISTS (SELECT 1 FROM sessions cs JOIN rooms r ON "               \
	"r.id = cs.room_id JOIN venues cv ON cv.id = r.venue_id WHERE cs.event_id = e.id AND "               \
	"cv.city = :city COLLATE NOCASE)) "                                                                  \
	"AND ((:from IS NULL AND :to IS NULL) OR EXISTS (SELECT 1 FROM sessions ds WHERE "                   \
	"ds.event_id = e.id AND (:from IS NULL OR substr(ds.starts_local, 1, 10) >= :from) AND "             \
	"(:to IS NULL OR substr(ds.starts_local, 1, 10) <= :to)))"

static int store_events_filter_bind(sqlite3_stmt *st, const void *ctx)
{
	const struct event_filter *f = ctx;

	return db_bind_args(st, DB_ARGS(DB_INT(":all", f->see_all ? 1 : 0),
					DB_OPT_INT(":vorg", f->viewer_org > 0, f->viewer_org),
					DB_TEXT(":type", f->type), DB_TEXT(":status", f->status),
					DB_OPT_INT(":org", f->org > 0, f->org), DB_TEXT(":city", f->city),
					DB_TEXT(":from", f->from), DB_TEXT(":to", f->to)));
}

int store_events_list(struct db *db, const struct event_filter *f, int64_t limit, int64_t offset,
		      int64_t **ids, size_t *n, int64_t *total)
{
	static const char count_sql[] = "SELECT count(*) FROM events e" EVENT_LIST_WHERE;
	static const char list_sql[] =
	    "SELECT e.id FROM events e" EVENT_LIST_WHERE
	    " ORDER BY (SELECT min(fs.start_utc) FROM sessions fs WHERE fs.event_id = e.id) IS NULL, "
	    "(SELECT min(fs.start_utc) FROM sessions fs WHERE fs.event_id = e.id), e.id "
	    "LIMIT :limit OFFSET :offset";
	void *a;
	int rc = db_page_rows(db, count_sql, list_sql, store_events_filter_bind, f, limit, offset, &db_id_row,
			      &a, n, total);

	*ids = a;
	return rc;
}

/* One row of store_events_counts: (what, status index, sex index, n), the indexes those of enum
 * store_count_status and enum store_count_sex (the SQL's CASE expressions follow their order). */
static int store_events_counts_add(sqlite3_stmt *st, void *ctx)
{
	struct store_programme_counts *c = ctx;
	const char *what = db_col_text(st, 0);
	int64_t status = db_col_int(st, 1), sex = db_col_int(st, 2), n = db_col_int(st, 3);

	if (!what || status < 0 || status >= STORE_CNT_N || sex < 0 || sex >= STORE_SEX_N)
		return STORE_ERROR;
	if (!strcmp(what, "reg")) {
		c->n[status] += n;
		c->by_sex[status][sex] += n;
	} else if (!strcmp(what, "present")) {
		c->present[sex] += n;
	} else if (!strcmp(what, "events")) {
		c->events = n;
	} else if (!strcmp(what, "capacity")) {
		c->capacity = n;
	} else if (!strcmp(what, "sessions")) {
		c->sessions = n;
	} else if (!strcmp(what, "started")) {
		c->started_sessions = n;
	} else if (!strcmp(what, "expected")) {
		c->expected = n;
	}
	return STORE_OK;
}

#define STORE_EVENTS_SEX_INDEX "CASE c.sex WHEN 'female' THEN 0 WHEN 'male' THEN 1 ELSE 2 END"

int store_events_counts(struct db *db, const struct event_filter *f, int64_t now,
			struct store_programme_counts *out)
{
	static const char sql[] =
	    "WITH m AS (SELECT e.id, e.capacity FROM events e" EVENT_LIST_WHERE "), "
	    "ms AS (SELECT s.id, s.event_id, s.start_utc FROM sessions s JOIN m ON m.id = s.event_id) "
	    "SELECT 'reg', CASE c.status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 "
	    "END, " STORE_EVENTS_SEX_INDEX
	    ", sum(c.n) FROM registration_counts c JOIN m ON m.id = c.event_id "
	    "WHERE c.status IN ('confirmed', 'waitlisted', 'pending') GROUP BY 2, 3 "
	    "UNION ALL SELECT 'present', 0, " STORE_EVENTS_SEX_INDEX ", sum(c.n) FROM presence_counts c "
	    "JOIN ms ON ms.id = c.session_id GROUP BY 3 "
	    "UNION ALL SELECT 'events', 0, 0, count(*) FROM m "
	    "UNION ALL SELECT 'capacity', 0, 0, coalesce(sum(capacity), 0) FROM m "
	    "UNION ALL SELECT 'sessions', 0, 0, count(*) FROM ms "
	    "UNION ALL SELECT 'started', 0, 0, count(*) FROM ms WHERE ms.start_utc <= :now "
	    "UNION ALL SELECT 'expected', 0, 0, coalesce(sum(c.n), 0) FROM ms JOIN registration_counts c "
	    "ON c.event_id = ms.event_id AND c.status = 'confirmed' WHERE ms.start_utc <= :now";

	memset(out, 0, sizeof(*out));
	return db_each(db_stmt_bind(db, sql, store_events_filter_bind, f, DB_ARGS(DB_INT(":now", now))),
		       store_events_counts_add, out);
}

static int store_registrant_read(sqlite3_stmt *st, void *row)
{
	struct event_registrant *r = row;

	r->registration_id = db_col_int(st, 0);
	r->person_id = db_col_int(st, 1);
	return STORE_OK;
}

static const struct db_row_type store_registrant_row = {sizeof(struct event_registrant),
							store_registrant_read, NULL};

int store_event_registrants(struct db *db, int64_t id, struct event_registrant **out, size_t *n)
{
	static const char sql[] = "SELECT id, person_id FROM registrations WHERE event_id = :id AND "
				  "status IN ('pending', 'confirmed', 'waitlisted') ORDER BY id";
	void *a;
	int rc = db_rows(db_stmt_args(db, sql, DB_ARGS(DB_INT(":id", id))), &store_registrant_row, &a, n);

	*out = a;
	return rc;
}

int store_event_cancel_registrations(struct db *db, int64_t id, int64_t now)
{
	static const char mark[] = "UPDATE events SET cancelled_at = :now WHERE id = :id";
	static const char sql[] = "UPDATE registrations SET status = 'cancelled', waitlist_seq = NULL, "
				  "cancelled_by_event = 1, updated_at = :now WHERE event_id = :id AND "
				  "status IN ('pending', 'confirmed', 'waitlisted')";
	int rc = db_run(db, mark, DB_ARGS(DB_INT(":id", id), DB_INT(":now", now)));

	rc = rc ? rc : db_run(db, sql, DB_ARGS(DB_INT(":id", id), DB_INT(":now", now)));
	return rc ? rc : db_changes(db);
}
