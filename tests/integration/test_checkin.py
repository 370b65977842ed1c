"""The door's check-in API: today's sessions of the events a caller may check in (a check-in account sees
only the events assigned to it, a viewer none), a session's roster with names in both scripts, and the scan
itself — present once, "already present" with the first time on a second scan, and a refusal naming whose
ticket it is for a cancelled registration; another event's ticket, an unknown ticket and the wrong day are
refused; bad bodies answer 400 with a JSON error and nothing stored changes."""

import os
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, db_digest, db_rows, expect, expect_error, expect_status  # noqa: E402

TABLES = ("registrations", "attendance", "change_log", "outbox", "presence_counts")
HOME = ZoneInfo("Africa/Casablanca")


def wall(dt):
    return dt.strftime("%Y-%m-%dT%H:%M")


class T(Checks):
    def setup(self, srv):
        """Organisation A's event with a session now and one in two days, and organisation B's event with
        a session now; three registrations to A's event (one cancelled) and one to B's."""
        admin = srv.token("admin")
        self.admin = admin
        orgs = []
        for name in ("Org Porte A", "Org Porte B"):
            orgs.append(expect_status(srv.post("/api/v1/organisations", token=admin,
                                               body={"name": name, "kind": "ngo", "city": "Rabat"}), 201)["id"])
        now = datetime.now(HOME).replace(second=0, microsecond=0)
        later = now + timedelta(days=2)
        ids = {}
        for key, org in (("a", orgs[0]), ("b", orgs[1])):
            ev = expect_status(srv.post("/api/v1/events", token=admin, body={
                "type": "training", "title_fr": f"Couture {key}", "title_ar": f"خياطة {key}", "org_id": org,
                "capacity": 10, "visibility": "public",
                "registration_closes_at": (now + timedelta(hours=3)).isoformat(timespec="seconds")}), 201)
            ids[key] = ev["id"]
            ids[key + "_now"] = expect_status(srv.post(f"/api/v1/events/{ev['id']}/sessions", token=admin, body={
                "starts_local": wall(now - timedelta(minutes=30)), "ends_local": wall(now + timedelta(hours=2))}),
                201)["id"]
        ids["a_later"] = expect_status(srv.post(f"/api/v1/events/{ids['a']}/sessions", token=admin, body={
            "starts_local": wall(later), "ends_local": wall(later + timedelta(hours=2))}), 201)["id"]
        self.tokens = {}
        for key, ev, name, name_ar in (("amina", ids["a"], "Amina Benali", "أمينة بنعلي"),
                                       ("youssef", ids["a"], "Youssef Idrissi", "يوسف الإدريسي"),
                                       ("karim", ids["a"], "Karim Cancel", None),
                                       ("other", ids["b"], "Other Event", None)):
            body = {"name": name, "email": f"{key}@example.org", "lang": "fr", "consent": True}
            if name_ar:
                body["name_ar"] = name_ar
            r = expect_status(srv.post(f"/api/v1/events/{ev}/registrations", body), 201)
            self.tokens[key] = r["token"]
        expect_status(srv.post(f"/api/v1/r/{self.tokens['karim']}/cancel"), 200)
        self.ids = ids
        self.orgs = orgs
        return ids

    def test_sessions_of_today_in_scope(self):
        with Server() as srv:
            ids = self.setup(srv)
            door_a = srv.token("checkin", self.orgs[0])
            got = expect_status(srv.get("/api/v1/checkin/sessions", token=door_a), 200)
            expect([s["id"] for s in got["items"]] == [ids["a_now"]], "A's door sees A's session of today only", got)
            s = got["items"][0]
            expect(s["event_title_ar"] == "خياطة a" and s["confirmed"] == 2 and s["present"] == 0, "titles, counts", s)
            got = expect_status(srv.get("/api/v1/checkin/sessions", token=self.admin), 200)
            expect(sorted(x["id"] for x in got["items"]) == sorted([ids["a_now"], ids["b_now"]]), "admin: all", got)
            org_b = srv.token("organiser", self.orgs[1])
            got = expect_status(srv.get("/api/v1/checkin/sessions", token=org_b), 200)
            expect([x["id"] for x in got["items"]] == [ids["b_now"]], "organiser B: B's only", got)
            expect_error(srv.get("/api/v1/checkin/sessions", token=srv.token("viewer")), 403, "forbidden")
            expect_error(srv.get("/api/v1/checkin/sessions"), 401)
            # a check-in account sees only the events assigned to it
            acc = expect_status(srv.post("/api/v1/accounts", token=self.admin, body={
                "email": "porte@example.org", "display_name": "Porte", "password": "une phrase longue",
                "role": "checkin", "org_id": self.orgs[0], "event_ids": [ids["b"]]}), 201)
            expect(acc["role"] == "checkin", "account", acc)
            login = srv.post("/api/v1/auth/login", {"email": "porte@example.org", "password": "une phrase longue"})
            expect_status(login, 200)
            cookie = login.headers["set-cookie"].split(";")[0]
            got = expect_status(srv.get("/api/v1/checkin/sessions", headers={"Cookie": cookie}), 200)
            expect([x["id"] for x in got["items"]] == [ids["b_now"]], "assigned event only", got)

    def test_scan(self):
        with Server() as srv:
            ids = self.setup(srv)
            door = srv.token("checkin", self.orgs[0])
            viewer = srv.token("viewer")  # (a new token is a change of its own)
            path = f"/api/v1/sessions/{ids['a_now']}/checkin"
            first = expect_status(srv.post(path, {"ticket": self.tokens["amina"]}, token=door), 201)
            expect(first["result"] == "checked_in" and first["registration"]["name_ar"] == "أمينة بنعلي"
                   and first["attendance"]["method"] == "qr" and first["attendance"]["status"] == "present",
                   "checked in with her name", first)
            before = db_digest(srv.db, TABLES)
            again = expect_status(srv.post(path, {"ticket": self.tokens["amina"]}, token=door), 200)
            expect(again["result"] == "already_present"
                   and again["attendance"]["recorded_at"] == first["attendance"]["recorded_at"],
                   "a second scan says since when", again)
            expect(db_digest(srv.db, TABLES) == before, "a second scan writes nothing")
            # refusals, each writing nothing
            r = srv.post(path, {"ticket": self.tokens["karim"]}, token=door)
            expect_error(r, 422, "registration_not_confirmed")
            expect(r.json["registration"]["name"] == "Karim Cancel" and r.json["registration"]["status"] == "cancelled",
                   "the refusal names whose ticket it is", r)
            r = srv.post(path, {"ticket": self.tokens["other"]}, token=door)
            expect_error(r, 422, "ticket_other_event")
            expect("registration" not in r.json, "another event's registration is not shown", r)
            expect_error(srv.post(path, {"ticket": "A" * 43}, token=door), 404, "ticket_not_found")
            r = srv.post(f"/api/v1/sessions/{ids['a_later']}/checkin", {"ticket": self.tokens["youssef"]}, token=door)
            expect_error(r, 409, "outside_session_day")
            expect(r.json["registration"]["name"] == "Youssef Idrissi", "wrong day names the person", r)
            for body, code in (({"ticket": self.tokens["youssef"], "registration_id": 1}, "invalid_field"),
                               ({}, "invalid_field"), ({"ticket": 5}, "invalid_field"),
                               ({"ticket": self.tokens["youssef"], "status": "absent"}, "unknown_field"),
                               ({"registration_id": "x"}, "invalid_field")):
                expect_error(srv.post(path, body, token=door), 400, code)
            expect_error(srv.request("POST", path, raw=b'{"ticket": ', token=door,
                                     headers={"Content-Type": "application/json"}), 400)
            expect_error(srv.post(f"/api/v1/sessions/{ids['b_now']}/checkin", {"ticket": self.tokens["other"]},
                                  token=door), 403)
            expect_error(srv.post("/api/v1/sessions/999999/checkin", {"ticket": self.tokens["other"]}, token=door), 404)
            expect_error(srv.post(path, {"ticket": self.tokens["youssef"]}, token=viewer), 403)
            expect_error(srv.post(path, {"ticket": self.tokens["youssef"]}), 401)
            expect(db_digest(srv.db, TABLES) == before, "no refusal wrote anything")
            # found by name: manual, and an absent mark becomes present
            youssef = db_rows(srv.db, "SELECT r.id FROM registrations r JOIN people p ON p.id = r.person_id "
                              "WHERE p.name = 'Youssef Idrissi'")[0][0]
            expect_status(srv.post(f"/api/v1/sessions/{ids['a_now']}/attendance",
                                   {"registration_id": youssef, "status": "absent"}, token=door), 201)
            r = expect_status(srv.post(path, {"registration_id": youssef}, token=door), 200)
            expect(r["result"] == "checked_in" and r["attendance"]["method"] == "manual", "absent -> present", r)
            got = expect_status(srv.get("/api/v1/checkin/sessions", token=door), 200)["items"][0]
            expect(got["present"] == 2, "the count rose", got)

    def test_roster(self):
        with Server() as srv:
            ids = self.setup(srv)
            door = srv.token("checkin", self.orgs[0])
            expect_status(srv.post(f"/api/v1/sessions/{ids['a_now']}/checkin", {"ticket": self.tokens["amina"]},
                                   token=door), 201)
            r = srv.get(f"/api/v1/sessions/{ids['a_now']}/roster", token=door)
            expect_status(r, 200)
            expect(r.headers.get("cache-control") == "no-store", "no-store", r)
            items = {i["name"]: i for i in r.json["items"]}
            expect(sorted(items) == ["Amina Benali", "Karim Cancel", "Youssef Idrissi"], "the event's people", r)
            expect(items["Amina Benali"]["status"] == "present" and items["Amina Benali"]["recorded_at"]
                   and items["Amina Benali"]["name_ar"] == "أمينة بنعلي", "Amina present", items)
            expect(items["Youssef Idrissi"]["status"] is None and items["Youssef Idrissi"]["recorded_at"] is None,
                   "nothing recorded yet", items)
            expect(items["Karim Cancel"]["registration_status"] == "cancelled", "cancelled shown as such", items)
            expect_error(srv.get(f"/api/v1/sessions/{ids['b_now']}/roster", token=door), 403)
            expect_error(srv.get(f"/api/v1/sessions/{ids['a_now']}/roster", token=srv.token("viewer")), 403)
            expect_error(srv.get(f"/api/v1/sessions/{ids['a_now']}/roster"), 401)
            expect_error(srv.get("/api/v1/sessions/999999/roster", token=door), 404)
            # a session of an event the caller may not see answers as one that does not exist
            hidden = expect_status(srv.post("/api/v1/events", token=self.admin, body={
                "type": "training", "title_fr": "Interne B", "org_id": self.orgs[1], "capacity": 5,
                "visibility": "internal"}), 201)["id"]
            now = datetime.now(HOME)
            hs = expect_status(srv.post(f"/api/v1/events/{hidden}/sessions", token=self.admin, body={
                "starts_local": wall(now), "ends_local": wall(now + timedelta(hours=1))}), 201)["id"]
            for method, tail, body in (("GET", "roster", None), ("POST", "checkin", {"ticket": self.tokens["amina"]})):
                seen = srv.request(method, f"/api/v1/sessions/{hs}/{tail}", body=body, token=door)
                missing = srv.request(method, f"/api/v1/sessions/999999/{tail}", body=body, token=door)
                expect(seen.status == missing.status == 404 and seen.body == missing.body,
                       f"{tail}: a hidden session looks missing", (seen, missing))


if __name__ == "__main__":
    T().run()
