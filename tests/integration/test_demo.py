"""test_demo: checks that majlisd --demo loads realistic, consistent demo data exactly once (read back with
sqlite3, session offsets compared with python's zoneinfo over the same system tz database); it must not
write to the database it inspects."""

import base64
import datetime
import hashlib
import os
import re
import sqlite3
import sys
import time
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_status  # noqa: E402

CASA = zoneinfo.ZoneInfo("Africa/Casablanca")
CITIES = {"Rabat", "Casablanca", "Tanger", "Oujda", "Fès", "Marrakech", "Agadir"}
ARABIC = re.compile("[\u0600-\u06ff]")
TABLES = ["organisations", "venues", "rooms", "people", "accounts", "account_events", "events",
          "event_partners", "sessions", "registrations", "attendance", "change_log"]


def utc(y, m, d):
    return int(datetime.datetime(y, m, d, tzinfo=datetime.timezone.utc).timestamp())


RAMADAN_FROM, RAMADAN_TO = utc(2026, 2, 15), utc(2026, 3, 22)
PERMANENT_FROM = utc(2026, 9, 20)


def b64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


class T(Checks):
    def __init__(self, srv, load_seconds):
        self.srv = srv
        self.load_seconds = load_seconds

    def db(self):
        con = sqlite3.connect(f"file:{self.srv.db}?mode=ro", uri=True)
        return con

    def q(self, sql, *args):
        con = self.db()
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def one(self, sql, *args):
        return self.q(sql, *args)[0][0]

    def counts(self):
        return {t: self.one(f"SELECT count(*) FROM {t}") for t in TABLES}

    def test_health(self):
        body = expect_status(self.srv.get("/healthz"), 200)
        expect(body["status"] == "ok", "healthz ok", body)

    def test_load_is_fast(self):
        # the whole start including demo_load: ~2 s here (six PBKDF2 hashes dominate), several times more
        # under ASan, whose interceptors slow OpenSSL; 20 s only catches a pathological regression
        expect(self.load_seconds < 20, f"start with demo data took {self.load_seconds:.1f} s")

    def test_cities_and_organisations(self):
        venues = {r[0] for r in self.q("SELECT DISTINCT city FROM venues")}
        orgs = {r[0] for r in self.q("SELECT DISTINCT city FROM organisations")}
        expect(CITIES <= venues, f"venue cities {venues}")
        expect(CITIES <= orgs, f"organisation cities {orgs}")
        kinds = {r[0] for r in self.q("SELECT DISTINCT kind FROM organisations")}
        expect({"central_government", "local_government", "ngo", "international_organisation",
                "training_centre"} <= kinds, f"kinds {kinds}")
        names = [r[0] for r in self.q("SELECT name FROM organisations")]
        for needle in ("ANAPEC", "OFPPT", "Conseil régional de l'Oriental", "Commune d'Oujda", "Ministère"):
            expect(any(needle in n for n in names), f"organisation {needle}")
        expect(self.one("SELECT count(*) FROM venues WHERE tz != 'Africa/Casablanca' "
                        "OR latitude IS NULL OR longitude IS NULL") == 0, "venue tz and coordinates")
        expect(self.one("SELECT count(*) FROM venues v WHERE NOT EXISTS "
                        "(SELECT 1 FROM rooms r WHERE r.venue_id = v.id)") == 0, "every venue has rooms")

    def test_events(self):
        expect(self.one("SELECT count(*) FROM events") >= 12, "at least 12 events")
        types = {r[0] for r in self.q("SELECT DISTINCT type FROM events")}
        expect(types == {"training", "workshop", "concertation"}, f"types {types}")
        vis = {r[0] for r in self.q("SELECT DISTINCT visibility FROM events")}
        expect(vis == {"public", "invited", "internal"}, f"visibilities {vis}")
        expect(self.one("SELECT count(*) FROM events WHERE visibility = 'public'")
               > self.one("SELECT count(*) FROM events WHERE visibility != 'public'"), "mostly public")
        ar = [r[0] for r in self.q("SELECT title_ar FROM events WHERE title_ar IS NOT NULL")]
        expect(len(ar) >= 5 and all(ARABIC.search(t) for t in ar), "Arabic titles in Arabic script")
        expect(self.one("SELECT count(*) FROM events WHERE title_en IS NOT NULL") >= 5, "English titles")
        expect(self.one("SELECT count(*) FROM events WHERE status = 'cancelled'") == 1, "one cancelled event")
        multi = self.one("SELECT count(*) FROM (SELECT event_id FROM sessions GROUP BY event_id "
                         "HAVING count(*) BETWEEN 6 AND 10)")
        expect(multi >= 4, "multi-session courses")
        expect(self.one("SELECT count(*) FROM events e WHERE NOT EXISTS "
                        "(SELECT 1 FROM sessions s WHERE s.event_id = e.id)") == 0, "every event has sessions")

    def test_people(self):
        expect(self.one("SELECT count(*) FROM people") >= 280, "at least 280 people")
        sexes = {r[0] for r in self.q("SELECT DISTINCT sex FROM people")}
        expect({"female", "male"} <= sexes, f"sexes {sexes}")
        ar = [r[0] for r in self.q("SELECT name_ar FROM people WHERE name_ar IS NOT NULL")]
        expect(len(ar) >= 200 and all(ARABIC.search(n) for n in ar), "names in Arabic script")
        nats = {r[0] for r in self.q("SELECT DISTINCT nationality FROM people")}
        expect({"SN", "CI", "GN", "ML", "CM", "NG", "CD", "SY", "YE", "MA"} <= nats, f"nationalities {nats}")
        langs = {r[0] for r in self.q("SELECT DISTINCT lang FROM people")}
        expect(langs == {"fr", "ar", "en"}, f"languages {langs}")
        expect(self.one("SELECT count(*) FROM people WHERE consent_at IS NULL") == 0, "consent recorded")
        expect(self.one("SELECT count(*) FROM people WHERE phone IS NULL AND email IS NULL") == 0,
               "a way to reach everyone")
        for (phone,) in self.q("SELECT phone FROM people WHERE phone IS NOT NULL"):
            expect(re.fullmatch(r"\+212[67]\d{8}", phone), f"phone format {phone}")
        for (email,) in self.q("SELECT email FROM people WHERE email IS NOT NULL"):
            expect(re.fullmatch(r"[a-z0-9.\-]+@([a-z0-9\-]+\.)*example\.(org|com)", email),
                   f"reserved e-mail domain {email}")
        expect(self.one("SELECT count(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM registrations r "
                        "WHERE r.person_id = p.id) AND NOT EXISTS (SELECT 1 FROM sessions s "
                        "WHERE s.facilitator_id = p.id)") == 0, "everyone registered or facilitating")

    def test_texts_pass_the_input_rules(self):
        """The demo writes straight to the store: its texts must still be what the API would accept."""
        hidden = re.compile("[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
                            "\x00-\x1f\x7f-\x9f]")
        cols = {"organisations": ("name", "city", "region", "contact_name"), "venues": ("name", "city", "address"),
                "rooms": ("name",), "people": ("name", "name_ar", "nationality"), "accounts": ("display_name",),
                "events": ("title_fr", "title_ar", "title_en"), "sessions": ("title",)}
        for table, names in cols.items():
            for col in names:
                for (v,) in self.q(f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL"):
                    expect(not hidden.search(v), f"{table}.{col} {v!r}")

    def test_accounts(self):
        rows = self.q("SELECT email, role, org_id, password_hash FROM accounts")
        expect(len(rows) <= 6, "few accounts")
        roles = {r[1] for r in rows}
        expect(roles == {"admin", "organiser", "viewer", "checkin"}, f"roles {roles}")
        admin = [r for r in rows if r[0] == "admin@majlis.local"]
        expect(admin and admin[0][1] == "admin", "admin account")
        expect(sum(1 for r in rows if r[1] == "organiser") >= 2, "organisers")
        # every account's password is the demo password (verified with python's PBKDF2)
        for email, _, _, enc in rows:
            scheme, iters, salt, dk = enc.split("$")
            expect(scheme == "pbkdf2-sha256" and int(iters) == 600000, f"hash scheme of {email}")
            got = hashlib.pbkdf2_hmac("sha256", b"majlis-demo", b64url(salt), int(iters), len(b64url(dk)))
            expect(got == b64url(dk), f"demo password of {email}")
        expect(len({r[3].split("$")[2] for r in rows}) == len(rows), "distinct salts")
        expect(self.one("SELECT count(*) FROM account_events ae JOIN accounts a ON a.id = ae.account_id "
                        "WHERE a.role = 'checkin'") >= 1, "check-in account has events")

    def test_session_offsets_match_zoneinfo(self):
        rows = self.q("SELECT id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, end_offset "
                      "FROM sessions")
        for sid, sl, el, tz, su, eu, so, eo in rows:
            expect(tz == "Africa/Casablanca", f"session {sid} zone")
            for local, u, off in ((sl, su, so), (el, eu, eo)):
                dt = datetime.datetime.fromisoformat(local).replace(tzinfo=CASA)
                expect(int(dt.utcoffset().total_seconds()) == off, f"session {sid} offset {local} {off}")
                expect(int(dt.timestamp()) == u, f"session {sid} instant {local} {u}")
            expect(eu > su, f"session {sid} ends after it starts")

    def test_every_clock_regime(self):
        ramadan = self.q("SELECT DISTINCT start_offset FROM sessions WHERE start_utc >= ? AND start_utc < ?",
                         RAMADAN_FROM, RAMADAN_TO)
        summer = self.q("SELECT DISTINCT start_offset FROM sessions WHERE start_utc >= ? AND start_utc < ?",
                        RAMADAN_TO, PERMANENT_FROM)
        permanent = self.q("SELECT DISTINCT start_offset FROM sessions WHERE start_utc >= ?", PERMANENT_FROM)
        expect(ramadan == [(0,)], f"Ramadan 2026 sessions at UTC+0: {ramadan}")
        expect(summer == [(3600,)], f"sessions between Ramadan and 20 Sep 2026 at UTC+1: {summer}")
        expect(permanent == [(0,)], f"sessions after 20 Sep 2026 at UTC+0: {permanent}")
        upcoming = self.one("SELECT count(*) FROM sessions WHERE start_utc >= ? AND start_utc < ?",
                            utc(2026, 12, 1), utc(2027, 4, 1))
        expect(upcoming >= 10, "upcoming sessions December 2026 - March 2027")
        # one course keeps its wall time across a change of regime while its UTC instants move
        crossing = self.one("SELECT count(*) FROM (SELECT event_id FROM sessions GROUP BY event_id "
                            "HAVING count(DISTINCT start_offset) > 1 AND count(DISTINCT substr(starts_local, 12)) = 1)")
        expect(crossing >= 1, "a course crossing a change of regime")

    def test_attendance(self):
        now = int(time.time())
        expect(self.one("SELECT count(*) FROM attendance") > 100, "attendance recorded")
        expect(self.one("SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id "
                        "WHERE s.end_utc > ?", now) == 0, "attendance for past sessions only")
        statuses = {r[0] for r in self.q("SELECT DISTINCT status FROM attendance")}
        expect(statuses == {"present", "absent", "excused"}, f"attendance statuses {statuses}")
        methods = {r[0] for r in self.q("SELECT DISTINCT method FROM attendance")}
        expect(methods == {"manual", "qr"}, f"methods {methods}")
        expect(self.one("SELECT count(*) FROM attendance a LEFT JOIN accounts c ON c.id = a.recorded_by "
                        "WHERE c.id IS NULL") == 0, "recorded by an account")
        expect(self.one("SELECT count(*) FROM attendance a JOIN registrations r ON r.id = a.registration_id "
                        "JOIN sessions s ON s.id = a.session_id WHERE r.event_id != s.event_id "
                        "OR r.status != 'confirmed'") == 0, "attendance of confirmed registrations of the event")
        for regime in ((RAMADAN_FROM, RAMADAN_TO), (RAMADAN_TO, PERMANENT_FROM), (PERMANENT_FROM, now)):
            expect(self.one("SELECT count(*) FROM attendance a JOIN sessions s ON s.id = a.session_id "
                            "WHERE s.start_utc >= ? AND s.start_utc < ?", *regime) > 0,
                   f"attendance in regime {regime}")

    def test_registrations(self):
        over = self.q("SELECT e.id, e.capacity, (SELECT count(*) FROM registrations r WHERE r.event_id = e.id "
                      "AND r.status = 'confirmed') c FROM events e WHERE c > e.capacity")
        expect(not over, f"confirmed <= capacity: {over}")
        full = self.q("SELECT e.id FROM events e WHERE e.capacity = (SELECT count(*) FROM registrations r "
                      "WHERE r.event_id = e.id AND r.status = 'confirmed') AND EXISTS (SELECT 1 FROM "
                      "registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')")
        expect(len(full) >= 1, "a full event with a waitlist")
        seqs = [r[0] for r in self.q("SELECT waitlist_seq FROM registrations WHERE event_id = ? "
                                     "AND status = 'waitlisted' ORDER BY created_at", full[0][0])]
        expect(all(s is not None for s in seqs) and seqs == sorted(seqs) and len(set(seqs)) == len(seqs),
               f"waitlist in arrival order {seqs}")
        expect(self.one("SELECT count(*) FROM registrations WHERE status != 'waitlisted' "
                        "AND waitlist_seq IS NOT NULL") == 0, "waitlist_seq only on the waitlist")
        expect(self.one("SELECT count(*) FROM events e WHERE needs_approval = 1 AND EXISTS (SELECT 1 FROM "
                        "registrations r WHERE r.event_id = e.id AND r.status = 'pending')") >= 1,
               "pending registrations of an event needing approval")
        expect(self.one("SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id "
                        "WHERE r.status = 'pending' AND e.needs_approval = 0") == 0, "pending only with approval")
        statuses = {r[0] for r in self.q("SELECT DISTINCT status FROM registrations")}
        expect({"confirmed", "waitlisted", "pending", "cancelled", "declined"} <= statuses, f"statuses {statuses}")
        expect(self.one("SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id "
                        "WHERE e.status = 'cancelled' AND r.status != 'cancelled'") == 0,
               "registrations of the cancelled event are cancelled")
        hashes = [r[0] for r in self.q("SELECT token_hash FROM registrations")]
        expect(all(re.fullmatch("[0-9a-f]{64}", h) for h in hashes), "token hashes")
        expect(self.one("SELECT count(*) FROM registrations") >= 300, "registrations")

    def test_no_double_booking(self):
        rows = self.q("SELECT a.id, b.id FROM sessions a JOIN sessions b ON a.id < b.id "
                      "AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc "
                      "WHERE a.room_id = b.room_id OR a.facilitator_id = b.facilitator_id")
        expect(not rows, f"overlapping sessions {rows}")
        expect(self.one("SELECT count(*) FROM sessions WHERE room_id IS NULL OR facilitator_id IS NULL") == 0,
               "rooms and facilitators named")

    def test_integrity_and_changelog(self):
        expect(self.one("PRAGMA integrity_check") == "ok", "integrity_check")
        expect(not self.q("PRAGMA foreign_key_check"), "foreign keys")
        expect(self.one("SELECT count(*) FROM change_log WHERE topic = 'system' AND kind = 'demo.loaded'") == 1,
               "one demo.loaded row")

    def test_log_has_no_personal_data(self):
        log = self.srv.log_text()
        for email, phone in self.q("SELECT email, phone FROM people"):
            expect(not email or email not in log, "no e-mail in the log")
            expect(not phone or phone not in log, "no phone in the log")
        for (payload,) in self.q("SELECT payload FROM change_log"):
            expect("@" not in payload and "+212" not in payload, "no personal data in the change log")

    def test_zz_second_start_is_a_noop(self):
        before = self.counts()
        self.srv.stop()
        self.srv.start()
        expect_status(self.srv.get("/healthz"), 200)
        after = self.counts()
        expect(before == after, f"second start changed counts: {before} -> {after}")
        expect(self.one("PRAGMA integrity_check") == "ok", "integrity after restart")
        self.test_log_has_no_personal_data()


def main():
    t0 = time.time()
    with Server(demo=True, real_pbkdf2=True) as srv:  # the demo accounts as a real run hashes them
        T(srv, time.time() - t0).run()


if __name__ == "__main__":
    main()
