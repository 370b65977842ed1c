"""Authorisation matrix on the demo data: for every endpoint that touches an organisation's events,
participants or registrations, each role gets the answer it should — and a refused write changes nothing.
Organisation A owns the event under test; B is another organisation."""

import hashlib
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, expect  # noqa: E402

OK = (200,)
CREATED = (200, 201)
DENIED = (403, 404)  # 404 where even the existence must not leak
ANON = (401,)

TABLES = ("people", "registrations", "events", "sessions", "attendance", "accounts", "api_tokens",
          "organisations", "venues", "rooms", "calendar_tokens")


def snapshot(db):
    con = sqlite3.connect(db)
    h = hashlib.sha256()
    for t in TABLES:
        for row in con.execute(f"SELECT * FROM {t} ORDER BY rowid"):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


class T(Checks):
    def test_matrix(self):
        with Server(demo=True) as srv:
            con = sqlite3.connect(srv.db)
            q = lambda sql, *a: con.execute(sql, a).fetchone()  # noqa: E731
            # Organisation A: owns a public event with confirmed registrations; B: another organiser org.
            ev, org_a = q("SELECT e.id, e.org_id FROM events e JOIN registrations r ON r.event_id = e.id "
                          "WHERE e.visibility = 'public' AND e.status = 'scheduled' AND r.status = 'confirmed' "
                          "GROUP BY e.id ORDER BY e.id LIMIT 1")
            org_b = q("SELECT id FROM organisations WHERE id != ? AND id IN (SELECT org_id FROM events) "
                      "ORDER BY id LIMIT 1", org_a)[0]
            reg, person = q("SELECT id, person_id FROM registrations WHERE event_id = ? AND status = 'confirmed' "
                            "ORDER BY id LIMIT 1", ev)
            q2 = q("SELECT p.id FROM people p WHERE p.org_id = ? ORDER BY p.id LIMIT 1", org_a)
            person_a = q2[0] if q2 else person
            sess = q("SELECT id FROM sessions WHERE event_id = ? ORDER BY start_utc LIMIT 1", ev)[0]
            internal_b = q("SELECT id FROM events WHERE org_id != ? AND visibility = 'internal' AND id NOT IN "
                           "(SELECT event_id FROM event_partners WHERE org_id = ?) LIMIT 1", org_a, org_a)
            con.close()

            tok = {
                "admin": srv.token("admin"),
                "orgA": srv.token("organiser", org_a),
                "orgB": srv.token("organiser", org_b),
                "checkinA": srv.token("checkin", org_a),
                "viewerA": srv.token("viewer", org_a),
                "anon": None,
            }
            # (method, path, body, {role: accepted statuses}); roles not named must get DENIED, anon ANON.
            reads = [
                ("GET", f"/api/v1/events/{ev}/registrations", None, {"admin": OK, "orgA": OK}),
                ("GET", f"/api/v1/people/{person_a}", None, {"admin": OK, "orgA": OK}),
                ("GET", f"/api/v1/people/{person_a}/export", None, {"admin": OK, "orgA": OK}),
                ("GET", f"/api/v1/sessions/{sess}/attendance", None, {"admin": OK, "orgA": OK, "checkinA": OK}),
            ]
            writes = [
                ("PATCH", f"/api/v1/people/{person_a}", {"name": "Changed Name"}, {}),
                ("POST", f"/api/v1/people/{person_a}/erase", None, {}),
                ("POST", f"/api/v1/registrations/{reg}/cancel", None, {}),
                ("PATCH", f"/api/v1/events/{ev}", {"capacity": 999}, {}),
                ("POST", f"/api/v1/events/{ev}/cancel", None, {}),
                ("POST", f"/api/v1/events/{ev}/sessions",
                 {"starts_local": "2027-01-10T10:00", "ends_local": "2027-01-10T12:00"}, {}),
                ("PATCH", f"/api/v1/sessions/{sess}", {"title": "Changed"}, {}),
                ("DELETE", f"/api/v1/sessions/{sess}", None, {}),
                ("POST", f"/api/v1/sessions/{sess}/attendance",
                 {"registration_id": reg, "status": "absent", "method": "manual"}, {"checkinA": CREATED}),
                ("POST", "/api/v1/tokens", {"role": "organiser", "org_id": org_a, "label": "x"}, {}),
                ("POST", "/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": org_a}, {}),
            ]
            failures = []
            for method, path, body, allowed in reads + writes:
                is_write = (method, path, body, allowed) in writes
                for role, t in tok.items():
                    if is_write and role in ("admin", "orgA"):
                        continue  # allowed writes are exercised by each area's own tests
                    guarded = is_write and role not in allowed
                    before = snapshot(srv.db) if guarded else None
                    r = srv.request(method, path, body=body, token=t)
                    want = allowed.get(role, ANON if role == "anon" else DENIED)
                    if role == "anon" and method == "GET" and "/people/" not in path and r.status == 404:
                        want = want + (404,)
                    if r.status not in want:
                        failures.append(f"{role} {method} {path}: got {r.status}, want {want} {r.body[:120]}")
                    if r.status >= 400 and not (r.json or {}).get("error", {}).get("code"):
                        failures.append(f"{role} {method} {path}: error body lacks code: {r.body[:120]}")
                    if guarded and snapshot(srv.db) != before:
                        failures.append(f"{role} {method} {path}: a refused write changed stored data")
            # Lists never show another organisation's participants.
            r = srv.get("/api/v1/people?limit=200", token=tok["orgB"])
            if r.status == 200:
                leaked = [p for p in r.json["items"] if p.get("org_id") == org_a]
                if leaked:
                    failures.append(f"orgB's people list shows {len(leaked)} of A's people")
            # Another organisation's internal event is invisible to A.
            if internal_b:
                for role in ("orgA", "viewerA", "checkinA", "anon"):
                    r = srv.get(f"/api/v1/events/{internal_b[0]}", token=tok[role])
                    if r.status != 404:
                        failures.append(f"{role} sees B's internal event: {r.status}")
                r = srv.get("/api/v1/events?limit=200", token=tok["orgA"])
                if any(e["id"] == internal_b[0] for e in r.json["items"]):
                    failures.append("B's internal event listed for A")
            expect(not failures, "\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    T().run()
