"""Numbers without names (GET /api/v1/events/{id}/stats, GET /api/v1/stats): an official (viewer), an
organiser or an admin reads registered, confirmed, waitlisted, pending and present with women and men apart,
and each begun session's attendance rate, for the events they may see; the answers hold no name, contact or
id of a person or a registration; an event the caller may not see answers as one that does not exist;
check-in staff and anonymous callers are refused; bad filters are 400."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, db_digest, expect, expect_error, expect_status  # noqa: E402
from reg_fixtures import add_event, add_org, add_session, db_exec, db_one, person, register  # noqa: E402

NAMES = ("Fatima Zahra Benali", "فاطمة الزهراء", "Youssef Amrani", "يوسف العمراني", "Awa Diallo",
         "Moussa Keita", "Bachir Berrada", "بشير")
PERSONAL_KEYS = {"name", "name_ar", "email", "phone", "person_id", "registration_id", "token", "link",
                 "nationality", "people", "registrations"}


def keys_of(j):
    if isinstance(j, dict):
        for k, v in j.items():
            yield k
            yield from keys_of(v)
    elif isinstance(j, list):
        for v in j:
            yield from keys_of(v)


class T(Checks):
    def __init__(self, srv):
        self.srv = srv
        self.org_a = add_org(srv, "Association A")
        self.org_b = add_org(srv, "Association B")
        self.admin = srv.token("admin")
        self.org_a_tok = srv.token("organiser", self.org_a)
        self.org_b_tok = srv.token("organiser", self.org_b)
        self.viewer_a = srv.token("viewer", self.org_a)
        self.viewer_b = srv.token("viewer", self.org_b)
        self.checkin_a = srv.token("checkin", self.org_a)
        now = int(time.time())
        venue = db_exec(srv, "INSERT INTO venues (name, city, tz, created_at, updated_at) "
                             "VALUES ('Centre', 'Oujda', 'Africa/Casablanca', 0, 0)")
        # A's public training in Oujda: a session this morning (begun) and one next week
        self.ev = add_event(srv, self.org_a, capacity=3, session_in=None, title="Comptabilité")
        db_exec(srv, "UPDATE events SET venue_id = ? WHERE id = ?", (venue, self.ev))
        self.s2 = add_session(srv, self.ev, now + 7 * 86400)
        regs = [expect_status(register(srv, self.ev, person(name=n, name_ar=a, sex=s,
                                                           phone="+212 6 55 00 00 %02d" % i)), 201)
                for i, (n, a, s) in enumerate([(NAMES[0], NAMES[1], "female"), (NAMES[2], NAMES[3], "male"),
                                               (NAMES[4], None, None), (NAMES[5], None, "male")])]
        expect([r["registration"]["status"] for r in regs] == ["confirmed"] * 3 + ["waitlisted"], regs)
        self.regs = regs
        self.s1 = add_session(srv, self.ev, now - 3600)  # added once registered: it closes registration
        # present at the begun session: the woman and the man; the third is absent
        for r, st in ((regs[0], "present"), (regs[1], "present"), (regs[2], "absent")):
            db_exec(srv, "INSERT INTO attendance (session_id, registration_id, status, method, recorded_at) "
                         "VALUES (?, ?, ?, 'manual', ?)", (self.s1, r["registration"]["id"], st, now))
        # A's workshop needing approval: one pending woman
        self.ws = add_event(srv, self.org_a, capacity=5, needs_approval=1, title="Atelier")
        db_exec(srv, "UPDATE events SET type = 'workshop' WHERE id = ?", (self.ws,))
        expect_status(register(srv, self.ws, person(name="Awa Pending", sex="female")), 201)
        # B's internal event, which A's people may not see
        self.hidden = add_event(srv, self.org_b, capacity=5, visibility="internal", title="Interne B")
        expect_status(register(srv, self.hidden, person(name=NAMES[6], name_ar=NAMES[7], sex="male"),
                               token=self.admin), 201)

    def no_personal_data(self, j, what):
        text = json.dumps(j, ensure_ascii=False)
        for n in NAMES + ("Awa Pending", "example.org", "+2126"):
            expect(n not in text, f"{what}: '{n}' in {text[:300]}")
        leaked = PERSONAL_KEYS & set(keys_of(j))
        expect(not leaked, f"{what}: personal keys {leaked}")
        ids = {r["registration"]["id"] for r in self.regs}
        # registration ids never appear as values of an "id" key
        expect(not any(isinstance(x, dict) and x.get("id") in ids and "start_utc" not in x
                       for x in [j] + j.get("items", []) + (j["sessions"] if isinstance(j.get("sessions"), list) else [])),
               what)

    def test_event_numbers(self):
        for tok in (self.viewer_a, self.org_a_tok, self.admin, self.viewer_b, self.org_b_tok):
            j = expect_status(self.srv.get(f"/api/v1/events/{self.ev}/stats", token=tok), 200)
            self.no_personal_data(j, "event stats")
            expect(j["event_id"] == self.ev and j["capacity"] == 3 and j["type"] == "training", j)
            expect(j["registered"] == {"total": 4, "female": 1, "male": 2, "unspecified": 1}, j["registered"])
            expect(j["confirmed"] == {"total": 3, "female": 1, "male": 1, "unspecified": 1}, j["confirmed"])
            expect(j["waitlisted"] == {"total": 1, "female": 0, "male": 1, "unspecified": 0}, j["waitlisted"])
            expect(j["pending"]["total"] == 0, j)
            expect(j["present"] == {"total": 2, "female": 1, "male": 1, "unspecified": 0}, j["present"])
            s1, s2 = j["sessions"]
            expect(s1["id"] == self.s1 and s1["present"]["total"] == 2 and s1["attendance_rate"] == 0.667, s1)
            expect(s2["id"] == self.s2 and s2["present"]["total"] == 0 and s2["attendance_rate"] is None, s2)
            expect(j["sessions_begun"] == 1 and j["attendance_rate"] == 0.667, j)
        # the kept counters follow a check-in at once
        db_exec(self.srv, "UPDATE attendance SET status = 'present' WHERE session_id = ? AND registration_id = ?",
                (self.s1, self.regs[2]["registration"]["id"]))
        j = expect_status(self.srv.get(f"/api/v1/events/{self.ev}/stats", token=self.viewer_a), 200)
        expect(j["sessions"][0]["present"]["unspecified"] == 1 and j["sessions"][0]["attendance_rate"] == 1, j)
        db_exec(self.srv, "UPDATE attendance SET status = 'absent' WHERE session_id = ? AND registration_id = ?",
                (self.s1, self.regs[2]["registration"]["id"]))

    def test_who_reads_event_numbers(self):
        srv = self.srv
        expect_error(srv.get(f"/api/v1/events/{self.ev}/stats"), 401)
        expect_error(srv.get(f"/api/v1/events/{self.ev}/stats", token=self.checkin_a), 403)
        for tok in (self.viewer_a, self.org_a_tok, self.checkin_a):
            missing = expect_error(srv.get("/api/v1/events/987654/stats", token=tok), 404)
            hidden = expect_error(srv.get(f"/api/v1/events/{self.hidden}/stats", token=tok), 404)
            expect(missing["code"] == hidden["code"] and missing["message"].replace("987654", "X") ==
                   hidden["message"].replace(str(self.hidden), "X"), f"hidden answers as missing {missing} {hidden}")
        j = expect_status(srv.get(f"/api/v1/events/{self.hidden}/stats", token=self.viewer_b), 200)
        expect(j["confirmed"]["male"] == 1, j)
        self.no_personal_data(j, "B's own event")

    def test_programme(self):
        srv = self.srv
        a = expect_status(srv.get("/api/v1/stats", token=self.viewer_a), 200)
        self.no_personal_data(a, "programme")
        ids = [i["event_id"] for i in a["items"]]
        expect(self.hidden not in ids and self.ev in ids and self.ws in ids, ids)
        expect(a["events"] == a["total"] == len(ids) == 2, a)
        expect(a["registered"]["total"] == 5 and a["pending"] == {"total": 1, "female": 1, "male": 0,
                                                                  "unspecified": 0}, a)
        expect(a["present"]["total"] == 2 and a["capacity"] == 8, a)
        # the totals are the items' sums
        for k in ("registered", "confirmed", "waitlisted", "pending", "present"):
            for s in ("total", "female", "male", "unspecified"):
                expect(a[k][s] == sum(i[k][s] for i in a["items"]), f"{k}.{s}")
        # B's viewer and the admin count B's internal event too
        b = expect_status(srv.get("/api/v1/stats", token=self.viewer_b), 200)
        expect(self.hidden in [i["event_id"] for i in b["items"]] and b["events"] == 3, b)
        adm = expect_status(srv.get("/api/v1/stats", token=self.admin), 200)
        expect(adm["events"] == 3 and adm["registered"]["total"] == 6, adm)
        # filters: type, city, date range, status; paging keeps the totals
        w = expect_status(srv.get("/api/v1/stats?type=workshop", token=self.org_a_tok), 200)
        expect([i["event_id"] for i in w["items"]] == [self.ws] and w["registered"]["total"] == 1, w)
        c = expect_status(srv.get("/api/v1/stats?city=oujda", token=self.org_a_tok), 200)
        expect([i["event_id"] for i in c["items"]] == [self.ev] and c["confirmed"]["total"] == 3, c)
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 3600))
        d = expect_status(srv.get(f"/api/v1/stats?from={today}&to={today}", token=self.org_a_tok), 200)
        expect([i["event_id"] for i in d["items"]] == [self.ev], d)
        e = expect_status(srv.get("/api/v1/stats?from=2001-01-01&to=2001-12-31", token=self.org_a_tok), 200)
        expect(e["events"] == 0 and e["items"] == [] and e["attendance_rate"] is None, e)
        p = expect_status(srv.get("/api/v1/stats?limit=1", token=self.viewer_a), 200)
        expect(len(p["items"]) == 1 and p["total"] == 2 and p["registered"] == a["registered"], p)

    def test_who_reads_programme_and_bad_filters(self):
        srv = self.srv
        before = db_digest(srv.db, ("registrations", "events", "attendance", "change_log", "outbox"))
        expect_error(srv.get("/api/v1/stats"), 401)
        expect_error(srv.get("/api/v1/stats", token=self.checkin_a), 403)
        for q in ("from=2026-13-01", "to=yesterday", "type=party", "status=done", "limit=-1", "limit=x",
                  "offset=-3", "org=abc", "city=%ff", "from=2026-01-0"):
            expect_error(srv.get(f"/api/v1/stats?{q}", token=self.viewer_a), 400)
            expect_error(srv.get(f"/api/v1/stats?{q}", token=self.admin), 400)
        expect(db_digest(srv.db, ("registrations", "events", "attendance", "change_log", "outbox")) == before,
               "reads change nothing")
        expect(db_one(srv, "SELECT count(*) FROM events")[0] == 3, "three events")


if __name__ == "__main__":
    with Server() as s:
        T(s).run()
