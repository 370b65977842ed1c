/*
 * store_demo: raw INSERTs and read checks for the demo loader; it opens no transaction, applies no
 * rule and is used by nothing but domain/demo.c.
 */
#include "store/store_demo.h"

#include "store/db.h"

/* Steps an INSERT and reports the new row id into *id (may be NULL). */
static int store_demo_exec_id(sqlite3_stmt *st, int rc, int64_t *id)
{
	if (rc) {
		sqlite3_reset(st);
		return rc;
	}
	rc = db_exec_insert(st, id);
	return rc;
}

int store_demo_org_insert(struct db *db, const struct store_demo_org *o, int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO organisations (name, kind, city, region, contact_name, contact_email, created_at, "
	    "updated_at) VALUES (:name, :kind, :city, :region, :cname, :cemail, :now, :now)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_text(st, ":name", o->name);
	rc = rc ? rc : db_bind_text(st, ":kind", o->kind);
	rc = rc ? rc : db_bind_text(st, ":city", o->city);
	rc = rc ? rc : db_bind_text(st, ":region", o->region);
	rc = rc ? rc : db_bind_text(st, ":cname", o->contact_name);
	rc = rc ? rc : db_bind_text(st, ":cemail", o->contact_email);
	rc = rc ? rc : db_bind_int(st, ":now", now);
	return store_demo_exec_id(st, rc, id);
}

int store_demo_venue_insert(struct db *db, const struct store_demo_venue *v, int64_t now, int64_t *id)
{
	static const char sql[] = "INSERT INTO venues (name, city, address, tz, latitude, longitude, org_id, "
				  "created_at, updated_at) "
				  "VALUES (:name, :city, :address, :tz, :lat, :lon, :org, :now, :now)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_text(st, ":name", v->name);
	rc = rc ? rc : db_bind_text(st, ":city", v->city);
	rc = rc ? rc : db_bind_text(st, ":address", v->address);
	rc = rc ? rc : db_bind_text(st, ":tz", v->tz);
	rc = rc ? rc : db_bind_double(st, ":lat", v->latitude);
	rc = rc ? rc : db_bind_double(st, ":lon", v->longitude);
	rc = rc ? rc : db_bind_opt_int(st, ":org", v->org_id > 0, v->org_id);
	rc = rc ? rc : db_bind_int(st, ":now", now);
	return store_demo_exec_id(st, rc, id);
}

int store_demo_room_insert(struct db *db, int64_t venue_id, const char *name, int capacity, int64_t *id)
{
	static const char sql[] = "INSERT INTO rooms (venue_id, name, capacity) VALUES (:venue, :name, :cap)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_int(st, ":venue", venue_id);
	rc = rc ? rc : db_bind_text(st, ":name", name);
	rc = rc ? rc : db_bind_int(st, ":cap", capacity);
	return store_demo_exec_id(st, rc, id);
}

int store_demo_person_insert(struct db *db, const struct store_demo_person *p, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO people (org_id, name, name_ar, sex, nationality, phone, email, lang, consent_at, "
	    "created_at, updated_at) VALUES (:org, :name, :name_ar, :sex, :nat, :phone, :email, :lang, "
	    ":consent, :created, :created)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_opt_int(st, ":org", p->org_id > 0, p->org_id);
	rc = rc ? rc : db_bind_text(st, ":name", p->name);
	rc = rc ? rc : db_bind_text(st, ":name_ar", p->name_ar);
	rc = rc ? rc : db_bind_text(st, ":sex", p->sex);
	rc = rc ? rc : db_bind_text(st, ":nat", p->nationality);
	rc = rc ? rc : db_bind_text(st, ":phone", p->phone);
	rc = rc ? rc : db_bind_text(st, ":email", p->email);
	rc = rc ? rc : db_bind_text(st, ":lang", p->lang);
	rc = rc ? rc : db_bind_opt_int(st, ":consent", p->consent_at > 0, p->consent_at);
	rc = rc ? rc : db_bind_int(st, ":created", p->created_at);
	return store_demo_exec_id(st, rc, id);
}

int store_demo_account_insert(struct db *db, const struct store_demo_account *a, int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO accounts (email, display_name, password_hash, role, org_id, created_at, updated_at) "
	    "VALUES (:email, :display, :hash, :role, :org, :now, :now)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_text(st, ":email", a->email);
	rc = rc ? rc : db_bind_text(st, ":display", a->display_name);
	rc = rc ? rc : db_bind_text(st, ":hash", a->password_hash);
	rc = rc ? rc : db_bind_text(st, ":role", a->role);
	rc = rc ? rc : db_bind_opt_int(st, ":org", a->org_id > 0, a->org_id);
	rc = rc ? rc : db_bind_int(st, ":now", now);
	return store_demo_exec_id(st, rc, id);
}

int store_demo_account_event_insert(struct db *db, int64_t account_id, int64_t event_id)
{
	static const char sql[] =
	    "INSERT INTO account_events (account_id, event_id) VALUES (:account, :event)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_int(st, ":account", account_id);
	rc = rc ? rc : db_bind_int(st, ":event", event_id);
	return store_demo_exec_id(st, rc, NULL);
}

int store_demo_event_insert(struct db *db, const struct store_demo_event *e, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO events (type, title_fr, title_ar, title_en, description_fr, description_ar, "
	    "description_en, org_id, venue_id, visibility, capacity, registration_opens_at, "
	    "registration_closes_at, needs_approval, status, sequence, url, created_at, updated_at) "
	    "VALUES (:type, :tfr, :tar, :ten, :dfr, :dar, :den, :org, :venue, :vis, :cap, :opens, :closes, "
	    ":approval, :status, :seq, :url, :created, :updated)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_text(st, ":type", e->type);
	rc = rc ? rc : db_bind_text(st, ":tfr", e->title_fr);
	rc = rc ? rc : db_bind_text(st, ":tar", e->title_ar);
	rc = rc ? rc : db_bind_text(st, ":ten", e->title_en);
	rc = rc ? rc : db_bind_text(st, ":dfr", e->description_fr);
	rc = rc ? rc : db_bind_text(st, ":dar", e->description_ar);
	rc = rc ? rc : db_bind_text(st, ":den", e->description_en);
	rc = rc ? rc : db_bind_int(st, ":org", e->org_id);
	rc = rc ? rc : db_bind_opt_int(st, ":venue", e->venue_id > 0, e->venue_id);
	rc = rc ? rc : db_bind_text(st, ":vis", e->visibility);
	rc = rc ? rc : db_bind_int(st, ":cap", e->capacity);
	rc = rc ? rc : db_bind_opt_int(st, ":opens", e->registration_opens_at > 0, e->registration_opens_at);
	rc = rc ? rc
		: db_bind_opt_int(st, ":closes", e->registration_closes_at > 0, e->registration_closes_at);
	rc = rc ? rc : db_bind_int(st, ":approval", e->needs_approval ? 1 : 0);
	rc = rc ? rc : db_bind_text(st, ":status", e->status);
	rc = rc ? rc : db_bind_int(st, ":seq", e->sequence);
	rc = rc ? rc : db_bind_text(st, ":url", e->url);
	rc = rc ? rc : db_bind_int(st, ":created", e->created_at);
	rc = rc ? rc : db_bind_int(st, ":updated", e->updated_at);
	return store_demo_exec_id(st, rc, id);
}

int store_demo_partner_insert(struct db *db, int64_t event_id, int64_t org_id)
{
	static const char sql[] = "INSERT INTO event_partners (event_id, org_id) VALUES (:event, :org)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_int(st, ":event", event_id);
	rc = rc ? rc : db_bind_int(st, ":org", org_id);
	return store_demo_exec_id(st, rc, NULL);
}

int store_demo_session_insert(struct db *db, const struct store_demo_session *s, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, "
	    "end_offset, room_id, facilitator_id, title, created_at, updated_at) VALUES (:event, :sl, :el, "
	    ":tz, :su, :eu, :so, :eo, :room, :fac, :title, :created, :created)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_int(st, ":event", s->event_id);
	rc = rc ? rc : db_bind_text(st, ":sl", s->starts_local);
	rc = rc ? rc : db_bind_text(st, ":el", s->ends_local);
	rc = rc ? rc : db_bind_text(st, ":tz", s->tz);
	rc = rc ? rc : db_bind_int(st, ":su", s->start_utc);
	rc = rc ? rc : db_bind_int(st, ":eu", s->end_utc);
	rc = rc ? rc : db_bind_int(st, ":so", s->start_offset);
	rc = rc ? rc : db_bind_int(st, ":eo", s->end_offset);
	rc = rc ? rc : db_bind_opt_int(st, ":room", s->room_id > 0, s->room_id);
	rc = rc ? rc : db_bind_opt_int(st, ":fac", s->facilitator_id > 0, s->facilitator_id);
	rc = rc ? rc : db_bind_text(st, ":title", s->title);
	rc = rc ? rc : db_bind_int(st, ":created", s->created_at);
	return store_demo_exec_id(st, rc, id);
}

int store_demo_registration_insert(struct db *db, const struct store_demo_registration *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO registrations (event_id, person_id, status, token_hash, waitlist_seq, "
	    "attendance_confirmed_at, created_at, updated_at) VALUES (:event, :person, :status, :hash, "
	    ":wseq, :confirmed, :created, :updated)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_int(st, ":event", r->event_id);
	rc = rc ? rc : db_bind_int(st, ":person", r->person_id);
	rc = rc ? rc : db_bind_text(st, ":status", r->status);
	rc = rc ? rc : db_bind_text(st, ":hash", r->token_hash);
	rc = rc ? rc : db_bind_opt_int(st, ":wseq", r->waitlist_seq > 0, r->waitlist_seq);
	rc = rc ? rc
		: db_bind_opt_int(st, ":confirmed", r->attendance_confirmed_at > 0,
				  r->attendance_confirmed_at);
	rc = rc ? rc : db_bind_int(st, ":created", r->created_at);
	rc = rc ? rc : db_bind_int(st, ":updated", r->updated_at);
	return store_demo_exec_id(st, rc, id);
}

int store_demo_attendance_insert(struct db *db, int64_t session_id, int64_t registration_id,
				 const char *status, const char *method, int64_t recorded_by,
				 int64_t recorded_at)
{
	static const char sql[] =
	    "INSERT INTO attendance (session_id, registration_id, status, method, recorded_by, recorded_at) "
	    "VALUES (:session, :reg, :status, :method, :by, :at)";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_bind_int(st, ":session", session_id);
	rc = rc ? rc : db_bind_int(st, ":reg", registration_id);
	rc = rc ? rc : db_bind_text(st, ":status", status);
	rc = rc ? rc : db_bind_text(st, ":method", method);
	rc = rc ? rc : db_bind_opt_int(st, ":by", recorded_by > 0, recorded_by);
	rc = rc ? rc : db_bind_int(st, ":at", recorded_at);
	return store_demo_exec_id(st, rc, NULL);
}

/* Runs a one-row, one-integer query into *n. */
static int store_demo_count(sqlite3_stmt *st, int64_t *n)
{
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = db_step(st);
	if (rc == 1)
		*n = db_col_int(st, 0);
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	return rc == 1 ? STORE_OK : STORE_ERROR;
}

int store_demo_has_event(struct db *db, bool *any)
{
	int64_t n = 0;
	int rc = store_demo_count(db_stmt(db, "SELECT EXISTS (SELECT 1 FROM events)"), &n);

	*any = n != 0;
	return rc;
}

int store_demo_overlaps(struct db *db, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM sessions a JOIN sessions b ON a.id < b.id "
				  "AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc "
				  "WHERE a.room_id = b.room_id OR a.facilitator_id = b.facilitator_id";

	return store_demo_count(db_stmt(db, sql), n);
}

int store_demo_overbooked(struct db *db, int64_t *n)
{
	static const char sql[] =
	    "SELECT count(*) FROM events e WHERE e.capacity < "
	    "(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'confirmed')";

	return store_demo_count(db_stmt(db, sql), n);
}
