"""Integration tests of the catalogue: organisations, venues with rooms, people (with cross-organisation
isolation, export and erasure) and bad input on every write endpoint, against a real majlisd."""

import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, db_rows, db_write, expect, expect_error, expect_status  # noqa: E402

SRV = None


def q(sql, *args):
    """Rows of a query on the server's database (a separate connection; WAL lets it read)."""
    return db_rows(SRV.db, sql, args)


def x(sql, *args):
    """Runs a write on the server's database (test fixtures the API does not offer yet)."""
    return db_write(SRV.db, sql, args)


def changes():
    return q("SELECT count(*) FROM change_log")[0][0]


class T(Checks):
    def __init__(self):
        self.admin = SRV.token("admin")
        self.n = 0

    def uniq(self, base):
        self.n += 1
        return f"{base} {self.n} {time.time_ns()}"

    def org(self, **kw):
        body = {"name": self.uniq("Org"), "kind": "ngo", "city": "Rabat"}
        body.update(kw)
        r = SRV.post("/api/v1/organisations", body, token=self.admin)
        return expect_status(r, 201)

    def organiser(self, org_id):
        return SRV.token("organiser", org_id)

    def person(self, token, **kw):
        body = {"name": "Aminata Diallo", "sex": "female", "consent": True}
        body.update(kw)
        return expect_status(SRV.post("/api/v1/people", body, token=token), 201)

    # --- organisations -------------------------------------------------------------------------

    def test_org_create_get_patch(self):
        before = changes()
        o = self.org(kind="training_centre", region="Rabat-Salé-Kénitra", contact_name="Nadia",
                     contact_email="contact@example.ma")
        expect(o["id"] > 0 and o["kind"] == "training_centre" and o["contact_email"] == "contact@example.ma", "", o)
        expect(changes() == before + 1, "one change-log row")
        log = q("SELECT topic, kind, org_id, payload FROM change_log ORDER BY seq DESC LIMIT 1")[0]
        expect(log[0] == f"organisation:{o['id']}" and log[1] == "organisation.created" and log[2] == o["id"], str(log))
        expect("Nadia" not in log[3] and "contact@" not in log[3], "no personal values in change log")
        g = expect_status(SRV.get(f"/api/v1/organisations/{o['id']}"), 200)  # anonymous may read
        expect(g["name"] == o["name"])
        p = expect_status(SRV.patch(f"/api/v1/organisations/{o['id']}", {"city": "Salé", "region": None},
                                    token=self.admin), 200)
        expect(p["city"] == "Salé" and p["region"] is None and p["kind"] == "training_centre", "", p)
        # the organiser of it may change it, one of another organisation may not
        tok = self.organiser(o["id"])
        expect_status(SRV.patch(f"/api/v1/organisations/{o['id']}", {"contact_name": "Yassine"}, token=tok), 200)
        other = self.org()
        expect_error(SRV.patch(f"/api/v1/organisations/{other['id']}", {"city": "Fès"}, token=tok), 403)
        expect(q("SELECT city FROM organisations WHERE id = ?", other["id"])[0][0] == "Rabat")
        expect_error(SRV.patch("/api/v1/organisations/999999", {"city": "Fès"}, token=self.admin), 404)
        expect_error(SRV.get("/api/v1/organisations/999999"), 404)

    def test_org_permissions_and_duplicates(self):
        o = self.org()
        body = {"name": self.uniq("X"), "kind": "ngo"}
        expect_error(SRV.post("/api/v1/organisations", body), 401)
        expect_error(SRV.post("/api/v1/organisations", body, token=self.organiser(o["id"])), 403)
        expect_error(SRV.post("/api/v1/organisations", body, token=SRV.token("viewer")), 403)
        expect_error(SRV.post("/api/v1/organisations", {"name": o["name"], "kind": "ngo"}, token=self.admin),
                     409, "duplicate_name")
        other = self.org()
        expect_error(SRV.patch(f"/api/v1/organisations/{other['id']}", {"name": o["name"]}, token=self.admin), 409)
        expect(q("SELECT count(*) FROM organisations WHERE name = ?", o["name"])[0][0] == 1)

    def test_org_list_filter_paginate(self):
        city = self.uniq("Oujda")
        ids = [self.org(city=city, kind="ngo" if i % 2 else "local_government")["id"] for i in range(5)]
        r = expect_status(SRV.get(f"/api/v1/organisations?city={city.replace(' ', '%20')}"), 200)
        expect(r["total"] == 5 and len(r["items"]) == 5 and r["limit"] == 50 and r["offset"] == 0, "", r)
        expect(sorted(i["id"] for i in r["items"]) == sorted(ids))
        # case-insensitive city match
        r = expect_status(SRV.get(f"/api/v1/organisations?city={city.upper().replace(' ', '%20')}"), 200)
        expect(r["total"] == 5, "city filter ignores case", r)
        r = expect_status(SRV.get(f"/api/v1/organisations?city={city.replace(' ', '%20')}&kind=ngo"), 200)
        expect(r["total"] == 2 and all(i["kind"] == "ngo" for i in r["items"]), "", r)
        r1 = expect_status(SRV.get(f"/api/v1/organisations?city={city.replace(' ', '%20')}&limit=2"), 200)
        r2 = expect_status(SRV.get(f"/api/v1/organisations?city={city.replace(' ', '%20')}&limit=2&offset=2"), 200)
        r3 = expect_status(SRV.get(f"/api/v1/organisations?city={city.replace(' ', '%20')}&limit=2&offset=4"), 200)
        seen = [i["id"] for i in r1["items"] + r2["items"] + r3["items"]]
        expect(len(seen) == 5 and len(set(seen)) == 5 and r3["total"] == 5 and len(r3["items"]) == 1, "pages", seen)
        expect_error(SRV.get("/api/v1/organisations?kind=club"), 400)
        expect_error(SRV.get("/api/v1/organisations?limit=0"), 400)
        expect_error(SRV.get("/api/v1/organisations?limit=abc"), 400)
        expect_error(SRV.get("/api/v1/organisations?offset=-1"), 400)
        expect_error(SRV.get("/api/v1/organisations?city=%07"), 400)   # a control character
        expect_error(SRV.get("/api/v1/organisations?city=%ff"), 400)   # invalid UTF-8
        expect_error(SRV.get("/api/v1/organisations?city=" + "a" * 300), 400)

    # --- venues and rooms ----------------------------------------------------------------------

    def test_venues_rooms(self):
        o = self.org()
        tok = self.organiser(o["id"])
        v = expect_status(SRV.post("/api/v1/venues", {"name": "Centre Al Amal", "city": "Tanger",
                                                       "address": "12 rue de Fès", "latitude": 35.7595,
                                                       "longitude": -5.834}, token=tok), 201)
        expect(v["org_id"] == o["id"] and v["tz"] == "Africa/Casablanca" and v["rooms"] == [], "", v)
        expect(abs(v["latitude"] - 35.7595) < 1e-9 and abs(v["longitude"] + 5.834) < 1e-9, "", v)
        log = q("SELECT topic, kind, org_id FROM change_log ORDER BY seq DESC LIMIT 1")[0]
        expect(log == (f"venue:{v['id']}", "venue.created", o["id"]), str(log))
        r = expect_status(SRV.post(f"/api/v1/venues/{v['id']}/rooms", {"name": "Salle 1", "capacity": 30},
                                   token=tok), 201)
        expect(r["venue_id"] == v["id"] and r["capacity"] == 30)
        expect_error(SRV.post(f"/api/v1/venues/{v['id']}/rooms", {"name": "Salle 1", "capacity": 10}, token=tok),
                     409, "duplicate_room")
        r2 = expect_status(SRV.post(f"/api/v1/venues/{v['id']}/rooms", {"name": "Salle 2", "capacity": 12},
                                    token=tok), 201)
        expect_error(SRV.patch(f"/api/v1/rooms/{r2['id']}", {"name": "Salle 1"}, token=tok), 409)
        expect_error(SRV.post(f"/api/v1/venues/{v['id']}/rooms", {"name": "Salle 0", "capacity": 0}, token=tok), 400)
        expect_error(SRV.post(f"/api/v1/venues/{v['id']}/rooms", {"name": "Salle 0", "capacity": "5"}, token=tok), 400)
        p = expect_status(SRV.patch(f"/api/v1/rooms/{r2['id']}", {"capacity": 15}, token=tok), 200)
        expect(p["capacity"] == 15 and p["name"] == "Salle 2")
        g = expect_status(SRV.get(f"/api/v1/venues/{v['id']}"), 200)
        expect([x["name"] for x in g["rooms"]] == ["Salle 1", "Salle 2"], "", g)
        p = expect_status(SRV.patch(f"/api/v1/venues/{v['id']}", {"tz": "Europe/Paris", "latitude": None},
                                    token=tok), 200)
        expect(p["tz"] == "Europe/Paris" and p["latitude"] is None and p["longitude"] is not None, "", p)
        # bad zone, bad coordinates: 400 and nothing changed
        expect_error(SRV.patch(f"/api/v1/venues/{v['id']}", {"tz": "Mars/Olympus"}, token=tok), 400, "invalid_tz")
        expect_error(SRV.post("/api/v1/venues", {"name": "X", "city": "Y", "tz": "../../etc/passwd"}, token=tok),
                     400)
        expect_error(SRV.post("/api/v1/venues", {"name": "X", "city": "Y", "latitude": 91}, token=tok), 400)
        expect_error(SRV.post("/api/v1/venues", {"name": "X", "city": "Y", "longitude": -180.5}, token=tok), 400)
        expect_error(SRV.post("/api/v1/venues", {"name": "X", "city": "Y", "latitude": "35"}, token=tok), 400)
        expect(q("SELECT tz FROM venues WHERE id = ?", v["id"])[0][0] == "Europe/Paris")
        expect(q("SELECT count(*) FROM venues WHERE name = 'X'")[0][0] == 0)

    def test_venue_permissions(self):
        a, b = self.org(), self.org()
        ta, tb = self.organiser(a["id"]), self.organiser(b["id"])
        v = expect_status(SRV.post("/api/v1/venues", {"name": "Maison", "city": "Agadir"}, token=ta), 201)
        expect_error(SRV.patch(f"/api/v1/venues/{v['id']}", {"name": "Mine"}, token=tb), 403)
        expect_error(SRV.post(f"/api/v1/venues/{v['id']}/rooms", {"name": "R", "capacity": 3}, token=tb), 403)
        expect_error(SRV.post("/api/v1/venues", {"name": "V", "city": "C", "org_id": a["id"]}, token=tb), 403)
        expect_error(SRV.post("/api/v1/venues", {"name": "V", "city": "C", "org_id": None}, token=tb), 403)
        expect_error(SRV.patch(f"/api/v1/venues/{v['id']}", {"org_id": b["id"]}, token=ta), 403)
        expect_error(SRV.post("/api/v1/venues", {"name": "V", "city": "C"}, token=SRV.token("viewer")), 403)
        expect_error(SRV.post("/api/v1/venues", {"name": "V", "city": "C"}), 401)
        expect(q("SELECT name, org_id FROM venues WHERE id = ?", v["id"])[0] == ("Maison", a["id"]))
        # admin: a venue of no organisation, which organisers may not touch
        n = expect_status(SRV.post("/api/v1/venues", {"name": "Public hall", "city": "Agadir"}, token=self.admin), 201)
        expect(n["org_id"] is None)
        expect_error(SRV.patch(f"/api/v1/venues/{n['id']}", {"name": "Mine"}, token=ta), 403)
        expect_error(SRV.post("/api/v1/venues", {"name": "V", "city": "C", "org_id": 999999}, token=self.admin), 422)
        expect_error(SRV.get("/api/v1/venues/999999"), 404)
        expect_error(SRV.patch("/api/v1/rooms/999999", {"capacity": 3}, token=self.admin), 404)

    def test_refusal_before_body(self):
        """Who may not write, or may not see what is written to, is told so whatever the body holds: the
        body is read only after the caller's rights and the resource's existence are checked."""
        a, b = self.org(), self.org()
        ta, tb = self.organiser(a["id"]), self.organiser(b["id"])
        viewer = SRV.token("viewer")
        bad = {"bogus": 1}
        v = expect_status(SRV.post("/api/v1/venues", {"name": "Riad", "city": "Fes"}, token=ta), 201)
        r = expect_status(SRV.post(f"/api/v1/venues/{v['id']}/rooms", {"name": "R", "capacity": 3}, token=ta), 201)
        p = self.person(ta, name="Body Last")
        cases = [
            (SRV.post("/api/v1/organisations", bad, token=ta), 403),
            (SRV.patch(f"/api/v1/organisations/{a['id']}", bad, token=tb), 403),
            (SRV.patch("/api/v1/organisations/999999", bad, token=self.admin), 404),
            (SRV.post("/api/v1/venues", bad, token=viewer), 403),
            (SRV.patch(f"/api/v1/venues/{v['id']}", bad, token=tb), 403),
            (SRV.patch("/api/v1/venues/999999", bad, token=self.admin), 404),
            (SRV.post(f"/api/v1/venues/{v['id']}/rooms", bad, token=tb), 403),
            (SRV.post("/api/v1/venues/999999/rooms", bad, token=self.admin), 404),
            (SRV.patch(f"/api/v1/rooms/{r['id']}", bad, token=tb), 403),
            (SRV.patch("/api/v1/rooms/999999", bad, token=self.admin), 404),
            (SRV.post("/api/v1/people", bad, token=viewer), 403),
            (SRV.patch(f"/api/v1/people/{p['id']}", bad, token=tb), 404),
            (SRV.patch("/api/v1/people/999999", bad, token=self.admin), 404),
        ]
        for i, (resp, status) in enumerate(cases):
            err = expect_error(resp, status)
            expect(err["code"] != "unknown_field", f"case {i}: the body was read first", err)

    def test_venue_list(self):
        o = self.org()
        tok = self.organiser(o["id"])
        city = self.uniq("Nador")
        for i in range(3):
            expect_status(SRV.post("/api/v1/venues", {"name": f"V{i}", "city": city}, token=tok), 201)
        enc = city.replace(" ", "%20")
        r = expect_status(SRV.get(f"/api/v1/venues?city={enc}&limit=2"), 200)
        expect(r["total"] == 3 and len(r["items"]) == 2 and r["limit"] == 2, "", r)
        r = expect_status(SRV.get(f"/api/v1/venues?org={o['id']}"), 200)
        expect(r["total"] == 3 and all(i["org_id"] == o["id"] for i in r["items"]), "", r)
        expect_error(SRV.get("/api/v1/venues?org=x"), 400)

    # --- people --------------------------------------------------------------------------------

    def test_people_crud(self):
        o = self.org()
        tok = self.organiser(o["id"])
        before = changes()
        p = self.person(tok, name_ar="أميناتا ديالو", nationality="SN", phone="+212 6 12 34 56 78",
                        email="Aminata.Diallo@Example.MA", lang="fr")
        expect(p["org_id"] == o["id"] and p["email"] == "aminata.diallo@example.ma" and p["consent_at"], "", p)
        expect(p["sex"] == "female" and p["erased_at"] is None)
        expect(changes() == before + 1)
        log = q("SELECT topic, kind, org_id, payload FROM change_log ORDER BY seq DESC LIMIT 1")[0]
        expect(log[0] == f"person:{p['id']}" and log[1] == "person.created" and log[2] == o["id"], str(log))
        for secret in ("Aminata", "Diallo", "aminata", "212", "SN", "أميناتا"):
            expect(secret not in log[3], f"no personal value {secret!r} in the change log", log)
        g = expect_status(SRV.get(f"/api/v1/people/{p['id']}", token=tok), 200)
        expect(g == p, "get returns the stored row", g)
        u = expect_status(SRV.patch(f"/api/v1/people/{p['id']}", {"phone": None, "lang": "ar", "name": "Aminata D."},
                                    token=tok), 200)
        expect(u["phone"] is None and u["lang"] == "ar" and u["name"] == "Aminata D." and u["email"], "", u)
        log = q("SELECT kind, payload FROM change_log ORDER BY seq DESC LIMIT 1")[0]
        expect(log[0] == "person.updated" and '"phone"' in log[1] and "Aminata" not in log[1], str(log))
        # defaults
        d = expect_status(SRV.post("/api/v1/people", {"name": "Koffi Mensah", "consent": True}, token=tok), 201)
        expect(d["lang"] == "fr" and d["sex"] == "unspecified" and d["email"] is None, "", d)
        # consent
        expect_error(SRV.post("/api/v1/people", {"name": "No Consent", "consent": False}, token=tok), 422,
                     "consent_required")
        expect_error(SRV.post("/api/v1/people", {"name": "No Consent"}, token=tok), 400, "missing_field")
        expect(q("SELECT count(*) FROM people WHERE name = 'No Consent'")[0][0] == 0)
        # scripts
        expect_error(SRV.post("/api/v1/people", {"name": "أميناتا", "consent": True}, token=tok), 400)
        expect_error(SRV.post("/api/v1/people", {"name": "Awa", "name_ar": "Awa", "consent": True}, token=tok), 400)
        expect_error(SRV.post("/api/v1/people", {"name": "A" * 201, "consent": True}, token=tok), 400)
        expect_status(SRV.post("/api/v1/people", {"name": "Zoé N'Guessan-Kouamé", "consent": True}, token=tok), 201)
        # roles
        expect_error(SRV.get(f"/api/v1/people/{p['id']}", token=SRV.token("viewer")), 403)
        expect_error(SRV.get(f"/api/v1/people/{p['id']}", token=SRV.token("checkin", o["id"])), 403)
        expect_error(SRV.get("/api/v1/people", token=SRV.token("viewer")), 403)
        expect_error(SRV.get("/api/v1/people", token=SRV.token("checkin", o["id"])), 403)
        expect_error(SRV.get("/api/v1/people"), 401)
        expect_error(SRV.post("/api/v1/people", {"name": "V", "consent": True}, token=SRV.token("viewer")), 403)
        expect_error(SRV.get("/api/v1/people/999999", token=self.admin), 404)
        # organiser may not record for another organisation
        other = self.org()
        expect_error(SRV.post("/api/v1/people", {"name": "Someone", "consent": True, "org_id": other["id"]},
                              token=tok), 403)
        a = expect_status(SRV.post("/api/v1/people", {"name": "By Admin", "consent": True, "org_id": other["id"]},
                                   token=self.admin), 201)
        expect(a["org_id"] == other["id"])

    def test_people_list(self):
        a, b = self.org(), self.org()
        ta, tb = self.organiser(a["id"]), self.organiser(b["id"])
        mine = [self.person(ta, name=f"Person A{i}")["id"] for i in range(4)]
        theirs = [self.person(tb, name=f"Person B{i}")["id"] for i in range(2)]
        r = expect_status(SRV.get("/api/v1/people?limit=3", token=ta), 200)
        expect(r["total"] == 4 and len(r["items"]) == 3 and r["limit"] == 3, "", r)
        r2 = expect_status(SRV.get("/api/v1/people?limit=3&offset=3", token=ta), 200)
        ids = [i["id"] for i in r["items"] + r2["items"]]
        expect(sorted(ids) == sorted(mine), "organiser A sees exactly A's people", ids)
        r = expect_status(SRV.get("/api/v1/people?limit=200", token=tb), 200)
        expect(sorted(i["id"] for i in r["items"]) == sorted(theirs), "B sees none of A's", r)
        expect_error(SRV.get(f"/api/v1/people?org={a['id']}", token=tb), 403)
        r = expect_status(SRV.get(f"/api/v1/people?org={a['id']}", token=self.admin), 200)
        expect(r["total"] == 4)
        r = expect_status(SRV.get("/api/v1/people?limit=200", token=self.admin), 200)
        expect(r["total"] >= 6)

    def test_people_isolation(self):
        a, b = self.org(), self.org()
        ta, tb = self.organiser(a["id"]), self.organiser(b["id"])
        p = self.person(ta, email="private@example.ma", phone="0612345678")
        row = q("SELECT * FROM people WHERE id = ?", p["id"])
        before = changes()
        pid = p["id"]
        for r in (SRV.get(f"/api/v1/people/{pid}", token=tb),
                  SRV.patch(f"/api/v1/people/{pid}", {"name": "Hijacked"}, token=tb),
                  SRV.patch(f"/api/v1/people/{pid}", {"bogus": 1}, token=tb),
                  SRV.get(f"/api/v1/people/{pid}/export", token=tb),
                  SRV.post(f"/api/v1/people/{pid}/erase", token=tb)):
            err = expect_error(r, 404)
            expect("private" not in r.body and "Aminata" not in r.body, "no leak", r)
            del err
        # the same answer as for a person who does not exist
        expect_error(SRV.get("/api/v1/people/999999", token=tb), 404)
        expect(q("SELECT * FROM people WHERE id = ?", pid) == row, "row unchanged")
        expect(changes() == before, "no change-log row")
        # viewers and check-in staff: 403, row unchanged
        for tok in (SRV.token("viewer"), SRV.token("checkin", a["id"])):
            expect_error(SRV.patch(f"/api/v1/people/{pid}", {"name": "X"}, token=tok), 403)
            expect_error(SRV.post(f"/api/v1/people/{pid}/erase", token=tok), 403)
            expect_error(SRV.get(f"/api/v1/people/{pid}/export", token=tok), 403)
        expect(q("SELECT * FROM people WHERE id = ?", pid) == row, "row unchanged")

    def _event_with_registrations(self, org_id, people):
        """An event with one session and a registration (with attendance) per person, written straight
        into the database; returns {person_id: (registration_id, token)}."""
        now = int(time.time())
        ev = x("INSERT INTO events (type, title_fr, title_en, org_id, capacity, created_at, updated_at) "
               "VALUES ('training', 'Comptabilité de base', 'Basic accounting', ?, 20, ?, ?)", org_id, now, now)
        ses = x("INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, "
                "end_offset, title, created_at, updated_at) VALUES (?, '2026-10-15T10:00:00', "
                "'2026-10-15T12:00:00', 'Africa/Casablanca', ?, ?, 3600, 3600, 'Module 1', ?, ?)",
                ev, now + 86400, now + 86400 + 7200, now, now)
        out = {}
        for i, pid in enumerate(people):
            tok = f"token-{pid}-{time.time_ns()}"
            h = hashlib.sha256(tok.encode()).hexdigest()
            reg = x("INSERT INTO registrations (event_id, person_id, status, token_hash, created_at, updated_at) "
                    "VALUES (?, ?, 'confirmed', ?, ?, ?)", ev, pid, h, now, now)
            x("INSERT INTO attendance (session_id, registration_id, status, method, recorded_at) "
              "VALUES (?, ?, ?, 'manual', ?)", ses, reg, "present" if i % 2 == 0 else "absent", now)
            out[pid] = (reg, h)
        return ev, ses, out

    def test_export(self):
        o = self.org()
        tok = self.organiser(o["id"])
        p = self.person(tok, email="export@example.ma", name_ar="سارة")
        ev, ses, regs = self._event_with_registrations(o["id"], [p["id"]])
        x("INSERT INTO calendar_tokens (token_hash, owner_kind, owner_id, label, created_at) "
          "VALUES (?, 'person', ?, 'my calendar', ?)", hashlib.sha256(b"cal" + str(p["id"]).encode()).hexdigest(),
          p["id"], int(time.time()))
        e = expect_status(SRV.get(f"/api/v1/people/{p['id']}/export", token=tok), 200)
        expect(e["person"]["email"] == "export@example.ma" and e["person"]["name_ar"] == "سارة", "", e)
        expect(len(e["registrations"]) == 1, "", e)
        reg = e["registrations"][0]
        expect(reg["event_id"] == ev and reg["event_title_fr"] == "Comptabilité de base" and reg["status"] == "confirmed",
               "", reg)
        expect(reg["attendance"] == [{"session_id": ses, "session_title": "Module 1",
                                      "starts_local": "2026-10-15T10:00:00", "ends_local": "2026-10-15T12:00:00",
                                      "tz": "Africa/Casablanca", "status": "present", "method": "manual",
                                      "recorded_at": reg["attendance"][0]["recorded_at"]}], "", reg)
        expect(len(e["calendar_tokens"]) == 1 and "token_hash" not in e["calendar_tokens"][0], "", e)
        expect("token_hash" not in str(e) and regs[p["id"]][1] not in str(e), "no secrets in an export")
        expect(e["facilitated_sessions"] == [] and e["exported_at"] > 0, "", e)
        expect_status(SRV.get(f"/api/v1/people/{p['id']}/export", token=self.admin), 200)

    def test_erase(self):
        o = self.org()
        tok = self.organiser(o["id"])
        p = self.person(tok, name="Fatou Sow", name_ar="فاتو", email="fatou@example.ma", phone="0600000001",
                        nationality="SN", sex="female")
        q2 = self.person(tok, name="Moussa Keita", sex="male", email="moussa@example.ma")
        ev, ses, regs = self._event_with_registrations(o["id"], [p["id"], q2["id"]])
        x("INSERT INTO calendar_tokens (token_hash, owner_kind, owner_id, created_at) VALUES (?, 'person', ?, ?)",
          hashlib.sha256(f"cal-erase-{p['id']}".encode()).hexdigest(), p["id"], int(time.time()))
        counts = lambda: q("SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM registrations), "  # noqa: E731
                           "(SELECT count(*) FROM attendance), "
                           "(SELECT count(*) FROM people WHERE sex = 'female'), "
                           "(SELECT count(*) FROM attendance WHERE status = 'present')")[0]
        before = counts()
        other_row = q("SELECT * FROM people WHERE id = ?", q2["id"])
        other_reg = q("SELECT * FROM registrations WHERE id = ?", regs[q2["id"]][0])
        seq_before = changes()
        r = expect_status(SRV.post(f"/api/v1/people/{p['id']}/erase", token=tok), 200)
        expect(r["name"] == "(erased)" and r["name_ar"] is None and r["email"] is None and r["phone"] is None
               and r["nationality"] is None and r["erased_at"] and r["sex"] == "female", "", r)
        expect(counts() == before, "counts kept", (before, counts()))
        row = q("SELECT token_hash, status FROM registrations WHERE id = ?", regs[p["id"]][0])[0]
        expect(row[0] != regs[p["id"]][1] and len(row[0]) == 64 and row[1] == "confirmed", "link hash replaced", row)
        expect(q("SELECT * FROM people WHERE id = ?", q2["id"]) == other_row, "other person untouched")
        expect(q("SELECT * FROM registrations WHERE id = ?", regs[q2["id"]][0]) == other_reg, "other link works")
        expect(q("SELECT count(*) FROM calendar_tokens WHERE owner_kind = 'person' AND owner_id = ? "
                 "AND revoked_at IS NULL", p["id"])[0][0] == 0, "calendar tokens revoked")
        expect(changes() == seq_before + 1)
        log = q("SELECT topic, kind, org_id, payload FROM change_log ORDER BY seq DESC LIMIT 1")[0]
        expect(log[0] == f"person:{p['id']}" and log[1] == "person.erased" and log[2] == o["id"], str(log))
        for s in ("Fatou", "fatou", "Sow", "0600000001", "SN"):
            expect(s not in log[3], "no personal data in the change log", log)
        # nothing of the person left anywhere in a row
        dump = "\n".join(str(r) for t in ("people", "registrations", "change_log", "outbox") for r in q(f"SELECT * FROM {t}"))
        expect("Fatou" not in dump and "fatou@" not in dump and "0600000001" not in dump, "erased everywhere")
        expect_error(SRV.post(f"/api/v1/people/{p['id']}/erase", token=tok), 409, "already_erased")
        expect_error(SRV.patch(f"/api/v1/people/{p['id']}", {"name": "Back"}, token=tok), 409)
        e = expect_status(SRV.get(f"/api/v1/people/{p['id']}/export", token=tok), 200)
        expect(e["person"]["name"] == "(erased)" and len(e["registrations"]) == 1, "", e)

    # --- bad input on every write endpoint -----------------------------------------------------

    def _bad_inputs(self, path, method, good, token, name_key="name"):
        """Sends every kind of bad body to path; each must be a JSON error and store nothing."""
        before = changes()
        send = lambda raw, ct="application/json": SRV.request(method, path, raw=raw, token=token,  # noqa: E731
                                                               headers={"Content-Type": ct})
        expect_error(send(b'{"name": "x",'), 400, "invalid_json")
        expect_error(send(b'{"name": "x"} trailing'), 400)
        expect_error(send(b"[]"), 400)
        expect_error(send(b""), 400)
        expect_error(send(b'{"name": "caf\xc3"}'), 400)                  # invalid UTF-8 sent raw
        expect_error(send(b'{"name": "\xed\xa0\x80"}'), 400)             # a surrogate
        expect_error(send(b'{"name": "a", "name": "b"}'), 400)           # duplicate key
        expect_error(send(b'{"' + name_key.encode() + b'": "line\\r\\nbreak"}'), 400)
        expect_error(send(b'{"' + name_key.encode() + b'": "tab\\there"}'), 400)
        expect_error(send(b'{"' + name_key.encode() + b'": "bell\\u0007"}'), 400)
        expect_error(send(b'{"' + name_key.encode() + b'": 42}'), 400, "invalid_field")
        expect_error(send(b'{"' + name_key.encode() + b'": ""}'), 400)
        body = dict(good)
        body["unexpected"] = 1
        expect_error(SRV.request(method, path, body=body, token=token), 400, "unknown_field")
        import json
        expect_error(send(json.dumps(good).encode(), "text/plain"), 415)
        expect_error(send(json.dumps(good).encode(), "application/x-www-form-urlencoded"), 415)
        expect(changes() == before, f"nothing stored for bad input to {method} {path}")

    def test_bad_input_everywhere(self):
        o = self.org()
        tok = self.organiser(o["id"])
        v = expect_status(SRV.post("/api/v1/venues", {"name": "Bad input hall", "city": "Fès"}, token=tok), 201)
        room = expect_status(SRV.post(f"/api/v1/venues/{v['id']}/rooms", {"name": "B1", "capacity": 5}, token=tok), 201)
        p = self.person(tok)
        counts = q("SELECT (SELECT count(*) FROM organisations), (SELECT count(*) FROM venues), "
                   "(SELECT count(*) FROM rooms), (SELECT count(*) FROM people)")[0]
        rows = [q("SELECT * FROM organisations WHERE id = ?", o["id"]), q("SELECT * FROM venues WHERE id = ?", v["id"]),
                q("SELECT * FROM rooms WHERE id = ?", room["id"]), q("SELECT * FROM people WHERE id = ?", p["id"])]
        cases = [
            ("/api/v1/organisations", "POST", {"name": "Z", "kind": "ngo"}, self.admin),
            (f"/api/v1/organisations/{o['id']}", "PATCH", {"name": "Z"}, self.admin),
            ("/api/v1/venues", "POST", {"name": "Z", "city": "Z"}, tok),
            (f"/api/v1/venues/{v['id']}", "PATCH", {"name": "Z"}, tok),
            (f"/api/v1/venues/{v['id']}/rooms", "POST", {"name": "Z", "capacity": 3}, tok),
            (f"/api/v1/rooms/{room['id']}", "PATCH", {"name": "Z"}, tok),
            ("/api/v1/people", "POST", {"name": "Zed", "consent": True}, tok),
            (f"/api/v1/people/{p['id']}", "PATCH", {"name": "Zed"}, tok),
        ]
        for path, method, good, token in cases:
            self._bad_inputs(path, method, good, token)
        # field-specific: e-mails, phones, enums, types, nulls
        bad = [
            ("/api/v1/organisations", "POST", {"name": "Z1", "kind": "club"}, self.admin),
            ("/api/v1/organisations", "POST", {"name": "Z1", "kind": "ngo", "contact_email": "not-an-email"}, self.admin),
            ("/api/v1/organisations", "POST", {"name": "Z1", "kind": "ngo", "contact_email": "a@b.ma\r\nBcc: x@y.z"},
             self.admin),
            ("/api/v1/organisations", "POST", {"kind": "ngo"}, self.admin),
            (f"/api/v1/organisations/{o['id']}", "PATCH", {}, self.admin),
            (f"/api/v1/organisations/{o['id']}", "PATCH", {"name": None}, self.admin),
            (f"/api/v1/organisations/{o['id']}", "PATCH", {"kind": None}, self.admin),
            ("/api/v1/venues", "POST", {"name": "Z1"}, tok),
            ("/api/v1/venues", "POST", {"name": "Z1", "city": "Z", "org_id": "1"}, tok),
            (f"/api/v1/venues/{v['id']}", "PATCH", {"tz": None}, tok),
            (f"/api/v1/venues/{v['id']}/rooms", "POST", {"name": "Z1"}, tok),
            (f"/api/v1/venues/{v['id']}/rooms", "POST", {"name": "Z1", "capacity": 2.5}, tok),
            (f"/api/v1/venues/{v['id']}/rooms", "POST", {"name": "Z1", "capacity": -1}, tok),
            (f"/api/v1/rooms/{room['id']}", "PATCH", {"capacity": None}, tok),
            ("/api/v1/people", "POST", {"name": "Zed", "consent": "yes"}, tok),
            ("/api/v1/people", "POST", {"name": "Zed", "consent": True, "email": "zed@@example.ma"}, tok),
            ("/api/v1/people", "POST", {"name": "Zed", "consent": True, "email": "zed@example.ma\n"}, tok),
            ("/api/v1/people", "POST", {"name": "Zed", "consent": True, "phone": "call me"}, tok),
            ("/api/v1/people", "POST", {"name": "Zed", "consent": True, "sex": "other"}, tok),
            ("/api/v1/people", "POST", {"name": "Zed", "consent": True, "lang": "de"}, tok),
            ("/api/v1/people", "POST", {"name": ["Zed"], "consent": True}, tok),
            ("/api/v1/people", "POST", {"name": "Zed\u0085", "consent": True}, tok),
            ("/api/v1/people", "POST", {"name": "Zed\u200b\u202e", "consent": True}, tok),
            (f"/api/v1/people/{p['id']}", "PATCH", {}, tok),
            (f"/api/v1/people/{p['id']}", "PATCH", {"name": None}, tok),
            (f"/api/v1/people/{p['id']}", "PATCH", {"consent": False}, tok),
            (f"/api/v1/people/{p['id']}", "PATCH", {"org_id": 1}, tok),
            (f"/api/v1/people/{p['id']}", "PATCH", {"email": "x"}, tok),
        ]
        before = changes()
        for path, method, body, token in bad:
            r = SRV.request(method, path, body=body, token=token)
            expect(r.status in (400,), f"{method} {path} {body!r}", r)
            expect_error(r, 400)
        expect(changes() == before, "nothing stored")
        after = q("SELECT (SELECT count(*) FROM organisations), (SELECT count(*) FROM venues), "
                  "(SELECT count(*) FROM rooms), (SELECT count(*) FROM people)")[0]
        expect(after == counts, "no rows added", (counts, after))
        expect([q("SELECT * FROM organisations WHERE id = ?", o["id"]), q("SELECT * FROM venues WHERE id = ?", v["id"]),
                q("SELECT * FROM rooms WHERE id = ?", room["id"]), q("SELECT * FROM people WHERE id = ?", p["id"])]
               == rows, "rows unchanged")


def main():
    global SRV
    with Server() as srv:
        SRV = srv
        T().run()


if __name__ == "__main__":
    main()
