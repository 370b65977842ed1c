"""Authorisation matrix on the demo data: for every endpoint that touches an organisation's events,
participants or registrations, each role gets the answer it should — and a refused write changes nothing.
Organisation A owns the event under test; B is another organisation."""

import glob
import json
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, db_digest, expect  # noqa: E402
from ws import WebSocket  # noqa: E402

OK = (200,)
CREATED = (200, 201)
DENIED = (403, 404)  # 404 where even the existence must not leak
ANON = (401,)

TABLES = ("people", "registrations", "events", "sessions", "attendance", "accounts", "api_tokens",
          "organisations", "venues", "rooms", "calendar_tokens")


def snapshot(db):
    return db_digest(db, TABLES)


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
                ("GET", f"/api/v1/events/{ev}/registrations.csv", None, {"admin": OK, "orgA": OK}),
                ("GET", f"/api/v1/events/{ev}/attendance.csv", None, {"admin": OK, "orgA": OK}),
                ("GET", f"/api/v1/people/{person_a}", None, {"admin": OK, "orgA": OK}),
                ("GET", f"/api/v1/people/{person_a}/export", None, {"admin": OK, "orgA": OK}),
                ("GET", f"/api/v1/sessions/{sess}/attendance", None, {"admin": OK, "orgA": OK, "checkinA": OK}),
                # numbers without names: every reader of numbers, for a public event
                ("GET", f"/api/v1/events/{ev}/stats", None, {"admin": OK, "orgA": OK, "orgB": OK, "viewerA": OK}),
                ("GET", "/api/v1/stats", None, {"admin": OK, "orgA": OK, "orgB": OK, "viewerA": OK}),
            ]
            writes = [
                ("PATCH", f"/api/v1/people/{person_a}", {"name": "Changed Name"}, {}),
                ("POST", f"/api/v1/people/{person_a}/erase", None, {}),
                ("POST", f"/api/v1/registrations/{reg}/cancel", None, {}),
                ("POST", f"/api/v1/registrations/{reg}/promote", {"raise_capacity": True}, {}),
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

    def test_absent_and_invisible_answer_alike(self):
        """Every route of the router's tables with an id, called with (a) an id that does not exist and (b) the
        id of something of another organisation the caller may not see: the same status, error code and
        message (the id itself aside), and nothing changes. Ids sent in bodies likewise."""
        routes = []
        for src in sorted(glob.glob(os.path.join(SOURCE, "server", "api", "*.c"))):
            with open(src, encoding="utf-8") as f:
                routes += re.findall(r'\{HTTP_([A-Z]+),\s*"([^"]+)"', f.read())
        expect(len(routes) > 40, f"route tables read from the source: {len(routes)}")
        with Server() as srv:
            admin = srv.token("admin")
            post = lambda path, body=None, token=admin: expect_created(srv.post(path, body=body, token=token))  # noqa
            org_a = post("/api/v1/organisations", {"name": "Org A", "kind": "ngo"})["id"]
            org_b = post("/api/v1/organisations", {"name": "Org B", "kind": "ngo"})["id"]
            ev_a = post("/api/v1/events", {"type": "training", "title_fr": "Public A", "capacity": 10,
                                           "org_id": org_a})["id"]
            sess_a = post(f"/api/v1/events/{ev_a}/sessions", {"starts_local": "2027-03-10T10:00",
                                                                "ends_local": "2027-03-10T12:00"})["id"]
            link_a = post(f"/api/v1/events/{ev_a}/registrations", {"name": "Amal Ayad", "email": "amal@example.org",
                                                                    "consent": True}, token=None)["token"]
            ev_b = post("/api/v1/events", {"type": "training", "title_fr": "Internal B", "capacity": 10,
                                           "org_id": org_b, "visibility": "internal"})["id"]
            sess_b = post(f"/api/v1/events/{ev_b}/sessions", {"starts_local": "2027-03-11T10:00",
                                                                "ends_local": "2027-03-11T12:00"})["id"]
            inv_b = post("/api/v1/events", {"type": "training", "title_fr": "Invited B", "capacity": 10,
                                            "org_id": org_b, "visibility": "invited"})["id"]
            inv_sess_b = post(f"/api/v1/events/{inv_b}/sessions", {"starts_local": "2027-03-14T10:00",
                                                                     "ends_local": "2027-03-14T12:00"})["id"]
            reg_b = post(f"/api/v1/events/{ev_b}/registrations", {"name": "Bahia Bennis", "email": "bahia@example.org",
                                                                   "consent": True})["registration"]["id"]
            person_b = post("/api/v1/people", {"name": "Bachir Bee", "consent": True, "org_id": org_b})["id"]
            token_b = post("/api/v1/tokens", {"role": "viewer", "org_id": org_b})["id"]
            account_b = post("/api/v1/accounts", {"email": "b@example.org", "display_name": "B", "role": "viewer",
                                                  "password": "a long passphrase", "org_id": org_b})["id"]
            caltoken_b = post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": org_b})["id"]
            con = sqlite3.connect(srv.db)
            notif_b = con.execute("SELECT id FROM outbox WHERE event_id = ?", (ev_b,)).fetchone()[0]
            con.close()
            hidden = {"events": [ev_b, inv_b], "sessions": [sess_b, inv_sess_b], "registrations": [reg_b],
                      "notifications": [notif_b], "people": [person_b], "tokens": [token_b], "accounts": [account_b],
                      "calendar-tokens": [caltoken_b]}
            public = ("organisations", "venues", "rooms")  # a public directory: nothing to hide
            bodies = {
                ("PATCH", "events"): {"capacity": 12},
                ("POST", "/sessions"): {"starts_local": "2027-03-12T10:00", "ends_local": "2027-03-12T12:00"},
                ("POST", "/registrations"): {"name": "Chama Chraibi", "email": "chama@example.org", "consent": True},
                ("PATCH", "sessions"): {"title": "Changed"},
                ("POST", "/attendance"): {"registration_id": reg_b, "status": "present"},
                ("PATCH", "people"): {"name": "Changed Name"},
                ("PATCH", "accounts"): {"display_name": "Changed"},
            }
            callers = {"orgA": srv.token("organiser", org_a), "viewerA": srv.token("viewer", org_a),
                       "checkinA": srv.token("checkin", org_a), "anon": None}
            cases = []
            for method, pattern in routes:
                m = re.search(r"/([a-z-]+)/\{id\}", pattern)
                if not m or m.group(1) in public:
                    continue
                kind = {"e": "events"}.get(m.group(1), m.group(1))  # /e/{id}: an event's page
                expect(kind in hidden, f"{pattern}: no hidden resource of this kind in the test")
                path = pattern.replace("{token:token}", link_a)
                body = bodies.get((method, kind)) or bodies.get((method, "/" + path.rsplit("/", 1)[-1]))
                cases.append((method, path, kind, body))
            # ids in bodies
            body_refs = [
                ("POST", f"/api/v1/events/{ev_a}/sessions", "people",
                 lambda i: {"starts_local": "2027-03-13T10:00", "ends_local": "2027-03-13T12:00", "facilitator_id": i}),
                ("POST", f"/api/v1/sessions/{sess_a}/attendance", "registrations",
                 lambda i: {"registration_id": i, "status": "present"}),
                ("POST", "/api/v1/calendar-tokens", "people", lambda i: {"owner_kind": "person", "owner_id": i}),
                ("POST", "/api/v1/accounts", "events",
                 lambda i: {"email": "c@example.org", "display_name": "C", "role": "checkin",
                            "password": "a long passphrase", "event_ids": [i]}),
            ]
            failures = []
            missing = 987654

            def answer(r, ident):
                err = (r.json or {}).get("error") or {}
                return (r.status, err.get("code"), (err.get("message") or "").replace(str(ident), "{id}"))

            for caller, tok in callers.items():
                for method, path, kind, body in cases:
                    for hid in hidden[kind]:
                        before = snapshot(srv.db)
                        got = {}
                        for ident in (missing, hid):
                            r = srv.request(method, path.replace("{id}", str(ident)), body=body, token=tok)
                            got[ident] = answer(r, ident)
                        if got[missing] != got[hid]:
                            failures.append(f"{caller} {method} {path} ({kind} {hid}): absent {got[missing]} / "
                                            f"hidden {got[hid]}")
                        if snapshot(srv.db) != before:
                            failures.append(f"{caller} {method} {path}: stored data changed")
                for method, path, kind, make in body_refs:
                    for hid in hidden[kind]:
                        before = snapshot(srv.db)
                        got = {}
                        for ident in (missing, hid):
                            got[ident] = answer(srv.request(method, path, body=make(ident), token=tok), ident)
                        if got[missing] != got[hid]:
                            failures.append(f"{caller} {method} {path} ({kind} {hid} in body): absent {got[missing]} "
                                            f"/ hidden {got[hid]}")
                        if snapshot(srv.db) != before:
                            failures.append(f"{caller} {method} {path} ({kind} id in body): stored data changed")
            # secret links and feed tokens: a revoked or erased one answers as one never issued
            unknown = "A" * 43
            revoked = post("/api/v1/calendar-tokens", {"owner_kind": "person", "owner_id": person_b})
            expect_created(srv.request("POST", f"/api/v1/people/{person_b}/erase", token=admin))
            gone = post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": org_b})
            expect(srv.delete(f"/api/v1/calendar-tokens/{gone['id']}", token=admin).status == 204, "revoked")
            for pattern in ("/calendar/feed/{t}.ics", "/calendar/freebusy/{t}.ifb"):
                for dead in (revoked["token"], gone["token"]):
                    a = answer(srv.get(pattern.format(t=unknown)), unknown)
                    b = answer(srv.get(pattern.format(t=dead)), dead)
                    if a != b:
                        failures.append(f"GET {pattern}: unknown {a} / revoked or erased {b}")
            expect(not failures, f"{len(failures)} difference(s):\n  " + "\n  ".join(failures))

    def test_live_hides_what_only_admins_see(self):
        """Live topics follow the same rule: the changes of people without an organisation, of admin tokens and
        of their calendar tokens (only admins may see them) never reach an organiser's stream."""
        with Server() as srv:
            admin = srv.token("admin")
            org_a = expect_created(srv.post("/api/v1/organisations", {"name": "Org A", "kind": "ngo"}, token=admin))["id"]
            organiser = srv.token("organiser", org_a)
            ws_org = WebSocket(srv.port, "/live", headers={"Authorization": "Bearer " + organiser})
            ws_admin = WebSocket(srv.port, "/live", headers={"Authorization": "Bearer " + admin})
            person = expect_created(srv.post("/api/v1/people", {"name": "Nobody Org", "consent": True},
                                             token=admin))["id"]
            expect_created(srv.post("/api/v1/calendar-tokens", {"owner_kind": "person", "owner_id": person},
                                    token=admin))
            expect_created(srv.post("/api/v1/tokens", {"role": "admin", "label": "ops"}, token=admin))
            ev = expect_created(srv.post("/api/v1/events", {"type": "workshop", "title_fr": "Sentinelle",
                                                            "capacity": 5}, token=organiser))["id"]

            def follow(ws):
                out = []
                while True:
                    m = ws.recv_text(3)
                    if m is None:
                        return out
                    out.append(json.loads(m)["topic"])
                    if out[-1] == f"event:{ev}":
                        return out

            seen_admin, seen_org = follow(ws_admin), follow(ws_org)
            expect(f"person:{person}" in seen_admin and seen_admin[-1] == f"event:{ev}", "the admin sees them", seen_admin)
            expect(seen_org == [f"event:{ev}"], f"the organiser sees only its own organisation's change: {seen_org}")
            for w in (ws_org, ws_admin):
                w.close()


def expect_created(r):
    expect(r.status in (200, 201), "setting up", r)
    return r.json


SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

if __name__ == "__main__":
    T().run()
