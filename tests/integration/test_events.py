"""Events and their sessions over HTTP: wall times in every Moroccan regime, gaps and folds, double
booking, visibility, filters and paging, cancellation with its registrations and notifications,
SEQUENCE, cross-organisation refusals and bad input that must change nothing."""

import json
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, SeededServer, db_rows, expect, expect_error, expect_status  # noqa: E402

ORG_A, ORG_B, ORG_C = 1, 2, 3
VENUE_CASA, VENUE_RABAT, VENUE_PARIS = 1, 2, 3
ROOM_1, ROOM_2, ROOM_RABAT, ROOM_PARIS = 1, 2, 3, 4
FACILITATOR, FACILITATOR_2 = 1, 2


def seed(srv):
    """Organisations, venues, rooms and people written straight into the database."""
    now = int(time.time())
    con = sqlite3.connect(srv.db)
    for oid, name in ((ORG_A, "Org A"), (ORG_B, "Org B"), (ORG_C, "Org C")):
        con.execute("INSERT INTO organisations (id, name, kind, created_at, updated_at) "
                    "VALUES (?, ?, 'ngo', ?, ?)", (oid, name, now, now))
    for vid, name, city, tz in ((VENUE_CASA, "Centre Casa", "Casablanca", "Africa/Casablanca"),
                                (VENUE_RABAT, "Centre Rabat", "Rabat", "Africa/Casablanca"),
                                (VENUE_PARIS, "Maison Paris", "Paris", "Europe/Paris")):
        con.execute("INSERT INTO venues (id, name, city, tz, org_id, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, 1, ?, ?)", (vid, name, city, tz, now, now))
    for rid, vid, name in ((ROOM_1, VENUE_CASA, "Salle 1"), (ROOM_2, VENUE_CASA, "Salle 2"),
                           (ROOM_RABAT, VENUE_RABAT, "Salle R"), (ROOM_PARIS, VENUE_PARIS, "Salle P")):
        con.execute("INSERT INTO rooms (id, venue_id, name, capacity) VALUES (?, ?, ?, 30)", (rid, vid, name))
    for pid, sex in ((FACILITATOR, "female"), (FACILITATOR_2, "male"), (3, "female"), (4, "male"),
                     (5, "female"), (6, "unspecified"), (7, "male")):
        con.execute("INSERT INTO people (id, org_id, name, sex, created_at, updated_at) "
                    "VALUES (?, 1, ?, ?, ?, ?)", (pid, f"Person {pid}", sex, now, now))
    con.commit()
    con.close()


def q(srv, sql, args=()):
    return db_rows(srv.db, sql, args)


def add_registration(srv, event_id, person_id, status, wseq=None):
    now = int(time.time())
    con = sqlite3.connect(srv.db)
    cur = con.execute("INSERT INTO registrations (event_id, person_id, status, token_hash, waitlist_seq, "
                      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (event_id, person_id, status, f"hash-{event_id}-{person_id}", wseq, now, now))
    con.commit()
    rid = cur.lastrowid
    con.close()
    return rid


def snapshot(srv):
    """Everything a failed write must leave untouched."""
    return (q(srv, "SELECT * FROM events ORDER BY id"), q(srv, "SELECT * FROM sessions ORDER BY id"),
            q(srv, "SELECT * FROM event_partners ORDER BY event_id, org_id"),
            q(srv, "SELECT count(*) FROM change_log"), q(srv, "SELECT count(*) FROM outbox"),
            q(srv, "SELECT * FROM registrations ORDER BY id"))


class Ctx(SeededServer):
    """A started server with seed data and tokens for each kind of caller."""

    def __init__(self):
        super().__init__(seed, {"admin": ("admin", None), "org_a": ("organiser", ORG_A),
                                "org_b": ("organiser", ORG_B), "org_c": ("organiser", ORG_C),
                                "viewer_a": ("viewer", ORG_A), "checkin_c": ("checkin", ORG_C)})

    def event(self, token=None, **fields):
        body = {"type": "training", "title_fr": "Formation comptabilité", "capacity": 20}
        body.update(fields)
        r = self.srv.post("/api/v1/events", body=body, token=token or self.org_a)
        return expect_status(r, 201, f"creating {body}")

    def session(self, event_id, token=None, **fields):
        r = self.srv.post(f"/api/v1/events/{event_id}/sessions", body=fields, token=token or self.org_a)
        return r


class T(Checks):
    def test_regimes(self):
        cases = [("2026-01-15T10:00", "2026-01-15T10:00:00+01:00", "2026-01-15T09:00:00Z"),
                 ("2026-03-01T10:00", "2026-03-01T10:00:00+00:00", "2026-03-01T10:00:00Z"),
                 ("2026-06-10T10:00", "2026-06-10T10:00:00+01:00", "2026-06-10T09:00:00Z"),
                 ("2026-10-15T10:00", "2026-10-15T10:00:00+00:00", "2026-10-15T10:00:00Z")]
        with Ctx() as c:
            ev = c.event(venue_id=VENUE_CASA)
            for local, at, utc in cases:
                end = local[:11] + "13:00"
                s = expect_status(c.session(ev["id"], starts_local=local, ends_local=end), 201)
                expect(s["starts_at"] == at, f"starts_at {at}", s)
                expect(s["starts_utc"] == utc, f"starts_utc {utc}", s)
                expect(s["starts_local"] == local + ":00" and s["tz"] == "Africa/Casablanca", "local+tz", s)
                expect(s["ends_local"] == end + ":00", "ends_local", s)
                got = expect_status(c.srv.get(f"/api/v1/sessions/{s['id']}"), 200)
                expect(got["starts_at"] == at and got["starts_utc"] == utc, "GET session", got)
            row = q(c.srv, "SELECT starts_local, tz, start_utc, start_offset FROM sessions ORDER BY id LIMIT 1")
            expect(row[0][0] == "2026-01-15T10:00:00" and row[0][1] == "Africa/Casablanca", "stored", row)
            expect(row[0][3] == 3600, "stored offset", row)
            full = expect_status(c.srv.get(f"/api/v1/events/{ev['id']}"), 200)
            expect(len(full["sessions"]) == 4, "4 sessions", full)
            expect([x["starts_at"] for x in full["sessions"]] == [x[1] for x in cases], "ordered", full)
            expect(any("different UTC offsets" in w for w in full["warnings"]), "offset span warning", full)

    def test_zone_from_venue_and_explicit(self):
        with Ctx() as c:
            ev = c.event(venue_id=VENUE_PARIS)
            s = expect_status(c.session(ev["id"], starts_local="2026-07-14T12:00", ends_local="2026-07-14T14:00"), 201)
            expect(s["tz"] == "Europe/Paris" and s["starts_at"] == "2026-07-14T12:00:00+02:00", "venue tz", s)
            s = expect_status(c.session(ev["id"], starts_local="2026-07-15T12:00", ends_local="2026-07-15T14:00",
                                        room_id=ROOM_1), 201)
            expect(s["tz"] == "Africa/Casablanca", "room's venue tz", s)
            s = expect_status(c.session(ev["id"], starts_local="2026-07-16T12:00", ends_local="2026-07-16T14:00",
                                        tz="UTC"), 201)
            expect(s["starts_at"] == "2026-07-16T12:00:00+00:00", "explicit tz", s)
            ev2 = c.event()
            s = expect_status(c.session(ev2["id"], starts_local="2026-07-16T12:00", ends_local="2026-07-16T14:00"), 201)
            expect(s["tz"] == "Africa/Casablanca", "default zone", s)
            before = snapshot(c.srv)
            e = expect_error(c.session(ev2["id"], starts_local="2026-07-16T12:00", ends_local="2026-07-16T14:00",
                                       tz="Mars/Olympus"), 400, "invalid_field")
            expect("tz" in e["message"], "names tz", e)
            expect_error(c.session(ev2["id"], starts_local="2026-07-16T12:00", ends_local="2026-07-16T14:00",
                                   tz="../../etc/passwd"), 400)
            expect(snapshot(c.srv) == before, "nothing stored")

    def test_gap_and_fold(self):
        with Ctx() as c:
            ev = c.event()
            before = snapshot(c.srv)
            e = expect_error(c.session(ev["id"], starts_local="2026-03-22T02:30", ends_local="2026-03-22T04:00"),
                             422, "nonexistent_local_time")
            expect("2026-03-22T02:30" in e["message"] and "Africa/Casablanca" in e["message"], "gap message", e)
            e = expect_error(c.session(ev["id"], starts_local="2026-09-20T01:30", ends_local="2026-09-20T03:00"),
                             422, "ambiguous_local_time")
            expect("+01:00" in e["message"] and "+00:00" in e["message"], "both offsets", e)
            expect("2026-09-20T01:30" in e["message"], "names the time", e)
            e = expect_error(c.session(ev["id"], starts_local="2026-09-20T01:30", ends_local="2026-09-20T03:00",
                                       starts_offset="+05:00"), 422, "offset_mismatch")
            expect_error(c.session(ev["id"], starts_local="2026-10-15T13:00", ends_local="2026-10-15T13:00"), 422,
                         "end_before_start")
            expect_error(c.session(ev["id"], starts_local="2026-10-15T13:00", ends_local="2026-10-15T10:00"), 422,
                         "end_before_start")
            expect(snapshot(c.srv) == before, "nothing stored")
            s = expect_status(c.session(ev["id"], starts_local="2026-09-20T01:30", ends_local="2026-09-20T03:00",
                                        starts_offset="+01:00"), 201)
            expect(s["starts_at"] == "2026-09-20T01:30:00+01:00" and s["starts_utc"] == "2026-09-20T00:30:00Z",
                   "first occurrence", s)
            expect(s["warnings"], "crosses a change: warning", s)
            s2 = expect_status(c.session(ev["id"], starts_local="2026-09-20T01:30", ends_local="2026-09-20T03:00",
                                         starts_offset="+00:00"), 201)
            expect(s2["starts_utc"] == "2026-09-20T01:30:00Z", "second occurrence", s2)
            expect(not any("crosses" in w for w in s2["warnings"]), "no crossing", s2)
            expect(any("different UTC offsets" in w for w in s2["warnings"]), "event spans offsets", s2)
            # a PATCH that leaves the ambiguous start alone keeps its occurrence
            p = expect_status(c.srv.patch(f"/api/v1/sessions/{s['id']}", body={"ends_local": "2026-09-20T04:00"},
                                          token=c.org_a), 200)
            expect(p["starts_utc"] == "2026-09-20T00:30:00Z" and p["ends_local"] == "2026-09-20T04:00:00", "kept", p)
            e = expect_error(c.srv.patch(f"/api/v1/sessions/{s['id']}", body={"starts_local": "2026-03-22T02:15"},
                                         token=c.org_a), 422, "nonexistent_local_time")

    def test_room_double_booking(self):
        with Ctx() as c:
            ev1 = c.event(title_fr="Atelier budget")
            ev2 = c.event(title_fr="Autre formation")
            a = expect_status(c.session(ev1["id"], starts_local="2026-10-15T10:00", ends_local="2026-10-15T13:00",
                                        room_id=ROOM_1), 201)
            before = snapshot(c.srv)
            e = expect_error(c.session(ev2["id"], starts_local="2026-10-15T12:00", ends_local="2026-10-15T14:00",
                                       room_id=ROOM_1), 409, "room_conflict")
            expect(str(a["id"]) in e["message"] and "Atelier budget" in e["message"], "names the other", e)
            expect("2026-10-15T10:00" in e["message"], "its local time", e)
            # the same instants entered in another zone clash too
            expect_error(c.session(ev2["id"], starts_local="2026-10-15T13:00", ends_local="2026-10-15T14:00",
                                   tz="Europe/Paris", room_id=ROOM_1), 409, "room_conflict")
            expect(snapshot(c.srv) == before, "nothing stored")
            # back to back is fine, another room is fine
            expect_status(c.session(ev2["id"], starts_local="2026-10-15T13:00", ends_local="2026-10-15T15:00",
                                    room_id=ROOM_1), 201)
            b = expect_status(c.session(ev2["id"], starts_local="2026-10-15T10:00", ends_local="2026-10-15T13:00",
                                        room_id=ROOM_2), 201)
            # moving into the booked room by PATCH clashes as well
            expect_error(c.srv.patch(f"/api/v1/sessions/{b['id']}", body={"room_id": ROOM_1}, token=c.org_a), 409,
                         "room_conflict")
            # a cancelled event frees its rooms
            expect_status(c.srv.post(f"/api/v1/events/{ev1['id']}/cancel", token=c.org_a), 200)
            expect_status(c.srv.patch(f"/api/v1/sessions/{b['id']}", body={"room_id": ROOM_1}, token=c.org_a), 200)
            # and cannot come back while the room is taken
            expect_error(c.srv.patch(f"/api/v1/events/{ev1['id']}", body={"status": "scheduled"}, token=c.org_a),
                         409, "room_conflict")

    def test_facilitator_double_booking(self):
        with Ctx() as c:
            ev1 = c.event(title_fr="Concertation régionale", type="concertation")
            ev2 = c.event()
            a = expect_status(c.session(ev1["id"], starts_local="2026-06-10T09:00", ends_local="2026-06-10T12:00",
                                        facilitator_id=FACILITATOR, room_id=ROOM_1), 201)
            before = snapshot(c.srv)
            e = expect_error(c.session(ev2["id"], starts_local="2026-06-10T11:00", ends_local="2026-06-10T15:00",
                                       facilitator_id=FACILITATOR, room_id=ROOM_RABAT), 409, "facilitator_conflict")
            expect(str(a["id"]) in e["message"] and "Concertation" in e["message"], "names it", e)
            expect(snapshot(c.srv) == before, "nothing stored")
            expect_status(c.session(ev2["id"], starts_local="2026-06-10T11:00", ends_local="2026-06-10T15:00",
                                    facilitator_id=FACILITATOR_2, room_id=ROOM_RABAT), 201)
            expect_error(c.session(ev2["id"], starts_local="2026-06-11T11:00", ends_local="2026-06-11T15:00",
                                   facilitator_id=999), 422, "unknown_facilitator")
            expect_error(c.session(ev2["id"], starts_local="2026-06-11T11:00", ends_local="2026-06-11T15:00",
                                   room_id=999), 422, "unknown_room")

    def test_facilitator_of_another_organisation(self):
        """A person the caller may not see is refused as facilitator exactly like one that does not exist."""
        with Ctx() as c:
            now = int(time.time())
            con = sqlite3.connect(c.srv.db)
            other = con.execute("INSERT INTO people (org_id, name, sex, created_at, updated_at) "
                                "VALUES (?, 'Person of B', 'female', ?, ?)", (ORG_B, now, now)).lastrowid
            con.commit()
            con.close()
            missing = other + 1000
            ev = c.event()
            times = {"starts_local": "2026-06-12T09:00", "ends_local": "2026-06-12T12:00"}
            before = snapshot(c.srv)
            errs = []
            for pid in (missing, other):
                r = c.session(ev["id"], facilitator_id=pid, **times)
                errs.append((r.status, expect_error(r, 422, "unknown_facilitator")["message"].replace(str(pid), "N")))
            expect(errs[0] == errs[1], "B's person answers as a missing one", errs)
            expect(snapshot(c.srv) == before, "nothing stored")
            s = expect_status(c.session(ev["id"], facilitator_id=FACILITATOR, **times), 201)
            errs = []
            for pid in (missing, other):
                r = c.srv.patch(f"/api/v1/sessions/{s['id']}", body={"facilitator_id": pid}, token=c.org_a)
                errs.append((r.status, expect_error(r, 422, "unknown_facilitator")["message"].replace(str(pid), "N")))
            expect(errs[0] == errs[1], "PATCH: B's person answers as a missing one", errs)
            expect(q(c.srv, "SELECT facilitator_id FROM sessions WHERE id = ?", (s["id"],)) == [(FACILITATOR,)],
                   "facilitator kept")
            # B's organiser may not name A's person either; an admin may name anyone
            evb = c.event(token=c.org_b)
            expect_error(c.session(evb["id"], token=c.org_b, facilitator_id=FACILITATOR, **times), 422,
                         "unknown_facilitator")
            expect_status(c.srv.patch(f"/api/v1/sessions/{s['id']}", body={"facilitator_id": other},
                                      token=c.admin), 200)
            # A's organiser still changes the rest of that session, the facilitator named by the admin kept
            r = expect_status(c.srv.patch(f"/api/v1/sessions/{s['id']}", body={"title": "Module 2"},
                                          token=c.org_a), 200)
            expect(r["facilitator_id"] == other, "kept", r)

    def test_visibility(self):
        with Ctx() as c:
            pub = c.event(title_fr="Public")
            inv = c.event(title_fr="Invited", visibility="invited", partner_org_ids=[ORG_C])
            internal = c.event(title_fr="Internal", visibility="internal")

            def seen(token):
                r = expect_status(c.srv.get("/api/v1/events", token=token), 200)
                return sorted(x["id"] for x in r["items"]), r["total"]

            expect(seen(None) == ([pub["id"]], 1), "anonymous: public only")
            expect(seen(c.org_b) == ([pub["id"]], 1), "unrelated organiser: public only")
            expect(seen(c.org_c) == (sorted([pub["id"], inv["id"]]), 2), "partner sees invited")
            expect(seen(c.checkin_c) == (sorted([pub["id"], inv["id"]]), 2), "partner checkin sees invited")
            expect(seen(c.viewer_a)[1] == 3 and seen(c.org_a)[1] == 3 and seen(c.admin)[1] == 3, "owner/admin all")
            expect_error(c.srv.get(f"/api/v1/events/{internal['id']}"), 404)
            expect_error(c.srv.get(f"/api/v1/events/{internal['id']}", token=c.org_b), 404)
            expect_error(c.srv.get(f"/api/v1/events/{inv['id']}", token=c.org_b), 404)
            expect_error(c.srv.get(f"/api/v1/events/{internal['id']}", token=c.org_c), 404)
            expect_status(c.srv.get(f"/api/v1/events/{inv['id']}", token=c.org_c), 200)
            got = expect_status(c.srv.get(f"/api/v1/events/{inv['id']}", token=c.viewer_a), 200)
            expect(got["partner_org_ids"] == [ORG_C], "partners", got)
            s = expect_status(c.session(internal["id"], starts_local="2026-06-10T09:00",
                                        ends_local="2026-06-10T10:00"), 201)
            expect_error(c.srv.get(f"/api/v1/sessions/{s['id']}"), 404)
            expect_error(c.srv.get(f"/api/v1/sessions/{s['id']}", token=c.org_b), 404)
            expect_status(c.srv.get(f"/api/v1/sessions/{s['id']}", token=c.viewer_a), 200)

    def test_counts(self):
        with Ctx() as c:
            ev = c.event(partner_org_ids=[ORG_C])
            add_registration(c.srv, ev["id"], 3, "confirmed")
            add_registration(c.srv, ev["id"], 4, "confirmed")
            add_registration(c.srv, ev["id"], 5, "waitlisted", 10)
            add_registration(c.srv, ev["id"], 6, "pending")
            add_registration(c.srv, ev["id"], 7, "declined")
            anon = expect_status(c.srv.get(f"/api/v1/events/{ev['id']}"), 200)
            cnt = anon["counts"]
            expect(cnt["confirmed"] == 2 and cnt["waitlisted"] == 1 and cnt["pending"] == 1, "counts", anon)
            expect(cnt["capacity"] == 20, "capacity", anon)
            expect("by_sex" not in cnt, "anonymous gets no breakdown", anon)
            expect("by_sex" not in expect_status(c.srv.get(f"/api/v1/events/{ev['id']}", token=c.org_b), 200)["counts"],
                   "unrelated organiser gets no breakdown")
            for tok in (c.org_a, c.org_c, c.admin, c.viewer_a):
                got = expect_status(c.srv.get(f"/api/v1/events/{ev['id']}", token=tok), 200)
                by = got["counts"].get("by_sex")
                expect(by and by["confirmed"] == {"female": 1, "male": 1, "unspecified": 0}, "breakdown", got)
                expect(by["pending"]["unspecified"] == 1, "pending breakdown", got)
            expect("Person" not in json.dumps(anon), "no names")

    def test_filters_and_paging(self):
        with Ctx() as c:
            e1 = c.event(type="training", venue_id=VENUE_CASA)
            e2 = c.event(type="workshop", venue_id=VENUE_RABAT, partner_org_ids=[ORG_B])
            e3 = c.event(type="concertation", token=c.org_b)
            expect_status(c.session(e1["id"], starts_local="2026-01-15T10:00", ends_local="2026-01-15T12:00"), 201)
            expect_status(c.session(e2["id"], starts_local="2026-06-10T10:00", ends_local="2026-06-10T12:00"), 201)
            expect_status(c.session(e3["id"], starts_local="2026-10-15T10:00", ends_local="2026-10-15T12:00",
                                    room_id=ROOM_RABAT, token=c.org_b), 201)

            def ids(query):
                r = expect_status(c.srv.get("/api/v1/events" + query), 200)
                return [x["id"] for x in r["items"]]

            expect(ids("") == [e1["id"], e2["id"], e3["id"]], "ordered by first session")
            expect(ids("?city=Casablanca") == [e1["id"]], "city")
            expect(ids("?city=rabat") == [e2["id"], e3["id"]], "city via venue or room, any case")
            expect(ids("?type=workshop") == [e2["id"]], "type")
            expect(ids(f"?org={ORG_B}") == [e2["id"], e3["id"]], "org: owner or partner")
            expect(ids("?from=2026-06-01") == [e2["id"], e3["id"]], "from")
            expect(ids("?to=2026-06-10") == [e1["id"], e2["id"]], "to (inclusive)")
            expect(ids("?from=2026-06-01&to=2026-06-30") == [e2["id"]], "from+to")
            expect_status(c.srv.post(f"/api/v1/events/{e1['id']}/cancel", token=c.org_a), 200)
            expect(ids("?status=cancelled") == [e1["id"]], "status")
            r = expect_status(c.srv.get("/api/v1/events?limit=2"), 200)
            expect(r["total"] == 3 and len(r["items"]) == 2 and r["limit"] == 2, "page 1", r)
            r = expect_status(c.srv.get("/api/v1/events?limit=2&offset=2"), 200)
            expect(r["total"] == 3 and [x["id"] for x in r["items"]] == [e3["id"]], "page 2", r)
            for bad in ("?type=party", "?status=done", "?from=2026-13-01", "?to=yesterday", "?org=abc",
                        "?limit=0", "?limit=500", "?offset=-1", "?city=a%09b", "?from=2026-1-1"):
                r = c.srv.get("/api/v1/events" + bad)
                expect(r.status == 400 and r.json and r.json["error"]["code"], f"bad query {bad}", r)

    def test_cancel(self):
        with Ctx() as c:
            ev = c.event()
            expect_status(c.session(ev["id"], starts_local="2026-10-15T10:00", ends_local="2026-10-15T12:00"), 201)
            regs = [add_registration(c.srv, ev["id"], 3, "confirmed"),
                    add_registration(c.srv, ev["id"], 4, "waitlisted", 5),
                    add_registration(c.srv, ev["id"], 5, "pending")]
            declined = add_registration(c.srv, ev["id"], 6, "declined")
            other = c.event()
            other_reg = add_registration(c.srv, other["id"], 3, "confirmed")
            seq0 = q(c.srv, "SELECT sequence FROM events WHERE id = ?", (ev["id"],))[0][0]
            log0 = q(c.srv, "SELECT max(seq) FROM change_log")[0][0]
            r = expect_status(c.srv.post(f"/api/v1/events/{ev['id']}/cancel", token=c.org_a), 200)
            expect(r["status"] == "cancelled" and r["sequence"] == seq0 + 1, "cancelled, sequence bumped", r)
            st = dict(q(c.srv, "SELECT id, status FROM registrations"))
            expect(all(st[x] == "cancelled" for x in regs), "live registrations cancelled", st)
            expect(st[declined] == "declined" and st[other_reg] == "confirmed", "others untouched", st)
            ob = q(c.srv, "SELECT kind, person_id, payload FROM outbox ORDER BY id")
            expect(len(ob) == 3 and all(k == "event.cancelled" for k, _, _ in ob), "one outbox row each", ob)
            expect(sorted(p for _, p, _ in ob) == [3, 4, 5], "to each person", ob)
            payloads = [json.loads(p) for _, _, p in ob]
            expect(sorted(p["registration_id"] for p in payloads) == sorted(regs), "registration ids", payloads)
            expect(all(p["event_id"] == ev["id"] for p in payloads), "event ids", payloads)
            log = q(c.srv, "SELECT topic, kind, org_id, payload FROM change_log WHERE seq > ?", (log0,))
            expect(any(t == f"event:{ev['id']}" and k == "event.cancelled" and o == ORG_A for t, k, o, _ in log),
                   "change log row", log)
            expect(all("Person" not in p for _, _, _, p in log), "no personal data in the log", log)
            # a cancelled event takes no new sessions
            expect_error(c.session(ev["id"], starts_local="2026-10-16T10:00", ends_local="2026-10-16T12:00"), 409,
                         "event_cancelled")

    def test_sequence_and_changes(self):
        with Ctx() as c:
            ev = c.event()
            s = expect_status(c.session(ev["id"], starts_local="2026-10-15T10:00", ends_local="2026-10-15T12:00"), 201)
            add_registration(c.srv, ev["id"], 3, "confirmed")
            add_registration(c.srv, ev["id"], 4, "waitlisted", 3)
            add_registration(c.srv, ev["id"], 5, "declined")

            def seqs():
                return (q(c.srv, "SELECT sequence FROM events WHERE id = ?", (ev["id"],))[0][0],
                        q(c.srv, "SELECT sequence FROM sessions WHERE id = ?", (s["id"],))[0][0])

            def outbox(kind):
                return q(c.srv, "SELECT count(*) FROM outbox WHERE kind = ?", (kind,))[0][0]

            e0, s0 = seqs()
            r = expect_status(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"description_fr": "Plus de détails\n"
                                                                                               "sur deux lignes"},
                                          token=c.org_a), 200)
            expect(seqs() == (e0, s0) and outbox("event.changed") == 0, "description: no bump", r)
            r = expect_status(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"title_fr": "Nouveau titre"},
                                          token=c.org_a), 200)
            expect(seqs() == (e0 + 1, s0) and r["sequence"] == e0 + 1, "title bumps", r)
            expect(outbox("event.changed") == 2, "registrants told", outbox("event.changed"))
            expect_status(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"venue_id": VENUE_RABAT}, token=c.org_a), 200)
            expect(seqs() == (e0 + 2, s0) and outbox("event.changed") == 4, "venue bumps")
            p = expect_status(c.srv.patch(f"/api/v1/sessions/{s['id']}",
                                          body={"starts_local": "2026-10-15T09:00", "title": "Module 1"},
                                          token=c.org_a), 200)
            expect(seqs() == (e0 + 3, s0 + 1) and p["sequence"] == s0 + 1, "session time bumps both", p)
            expect(outbox("event.changed") == 6, "registrants told of the move")
            expect_status(c.srv.patch(f"/api/v1/sessions/{s['id']}", body={"facilitator_id": FACILITATOR},
                                      token=c.org_a), 200)
            expect(seqs() == (e0 + 3, s0 + 1), "facilitator alone: no bump")
            expect_status(c.srv.patch(f"/api/v1/sessions/{s['id']}", body={"room_id": ROOM_2}, token=c.org_a), 200)
            expect(seqs() == (e0 + 4, s0 + 2), "room bumps")
            expect_status(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"status": "postponed"}, token=c.org_a), 200)
            expect(seqs()[0] == e0 + 5, "status bumps")
            s2 = expect_status(c.session(ev["id"], starts_local="2026-10-16T10:00", ends_local="2026-10-16T12:00"), 201)
            expect(seqs()[0] == e0 + 6, "new session bumps the event")
            r = c.srv.delete(f"/api/v1/sessions/{s2['id']}", token=c.org_a)
            expect(r.status == 204, "delete", r)
            expect(seqs()[0] == e0 + 7, "deleted session bumps the event")
            expect_error(c.srv.get(f"/api/v1/sessions/{s2['id']}", token=c.org_a), 404)
            expect_error(c.srv.delete(f"/api/v1/sessions/{s2['id']}", token=c.org_a), 404)
            kinds = [k for (k,) in q(c.srv, "SELECT kind FROM change_log WHERE topic = ? ORDER BY seq",
                                     (f"event:{ev['id']}",))]
            expect(kinds[:2] == ["event.created", "session.created"] and "session.deleted" in kinds, "log", kinds)

    def test_capacity_raise_promotes(self):
        with Ctx() as c:
            ev = c.event(capacity=1)
            add_registration(c.srv, ev["id"], 3, "confirmed")
            w1 = add_registration(c.srv, ev["id"], 4, "waitlisted", 7)
            w2 = add_registration(c.srv, ev["id"], 5, "waitlisted", 3)
            w3 = add_registration(c.srv, ev["id"], 6, "waitlisted", 9)
            expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"capacity": 0}, token=c.org_a), 409,
                         "capacity_below_confirmed")
            r = expect_status(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"capacity": 3}, token=c.org_a), 200)
            st = dict(q(c.srv, "SELECT id, status FROM registrations"))
            expect(st[w2] == "confirmed" and st[w1] == "confirmed" and st[w3] == "waitlisted",
                   "promoted in arrival order", st)
            expect(r["counts"]["confirmed"] == 3 and r["counts"]["waitlisted"] == 1, "counts after", r)

    def test_permissions(self):
        with Ctx() as c:
            ev = c.event()
            internal = c.event(visibility="internal")
            before = snapshot(c.srv)
            expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"title_fr": "x"}, token=c.org_b), 403)
            expect_error(c.srv.post(f"/api/v1/events/{ev['id']}/cancel", token=c.org_b), 403)
            expect_error(c.srv.patch(f"/api/v1/events/{internal['id']}", body={"title_fr": "x"}, token=c.org_b), 404)
            expect_error(c.srv.post(f"/api/v1/events/{internal['id']}/cancel", token=c.org_b), 404)
            expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"title_fr": "x"}, token=c.viewer_a), 403)
            expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"title_fr": "x"}), 401)
            expect_error(c.srv.post(f"/api/v1/events/{ev['id']}/cancel"), 401)
            expect_error(c.session(ev["id"], token=c.org_b, starts_local="2026-10-15T10:00",
                                   ends_local="2026-10-15T12:00"), 403)
            expect_error(c.srv.post("/api/v1/events", body={"type": "training", "title_fr": "x", "capacity": 1,
                                                           "org_id": ORG_A}, token=c.org_b), 403)
            expect_error(c.srv.post("/api/v1/events", body={"type": "training", "title_fr": "x", "capacity": 1},
                                    token=c.viewer_a), 403)
            expect_error(c.srv.post("/api/v1/events", body={"type": "training", "title_fr": "x", "capacity": 1}), 401)
            expect_error(c.srv.post("/api/v1/events", body={"type": "training", "title_fr": "x", "capacity": 1},
                                    token=c.admin), 400, "missing_field")
            expect_error(c.srv.post("/api/v1/events", body={"type": "training", "title_fr": "x", "capacity": 1,
                                                           "org_id": 99}, token=c.admin), 422, "unknown_organisation")
            expect(snapshot(c.srv) == before, "nothing changed")
            mine = c.event(token=c.org_b)
            expect(mine["org_id"] == ORG_B, "organiser's own org by default", mine)
            other = c.event(token=c.admin, org_id=ORG_C)
            expect(other["org_id"] == ORG_C, "admin picks any org", other)
            s = expect_status(c.session(ev["id"], starts_local="2026-10-15T10:00", ends_local="2026-10-15T12:00"), 201)
            before = snapshot(c.srv)
            expect_error(c.srv.patch(f"/api/v1/sessions/{s['id']}", body={"title": "x"}, token=c.org_b), 403)
            expect_error(c.srv.delete(f"/api/v1/sessions/{s['id']}", token=c.org_b), 403)
            expect_error(c.srv.delete(f"/api/v1/sessions/{s['id']}"), 401)
            expect(snapshot(c.srv) == before, "session unchanged")
            expect_status(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"title_en": "Accounting"}, token=c.admin), 200)

    def test_event_fields_roundtrip(self):
        with Ctx() as c:
            ev = c.event(title_ar="تكوين", title_en="Training", description_fr="Ligne 1\nLigne 2",
                         visibility="invited", partner_org_ids=[ORG_B, ORG_C], venue_id=VENUE_CASA,
                         registration_opens_at="2026-12-01T09:00:00+00:00",
                         registration_closes_at="2026-12-10T18:00:00Z", needs_approval=True,
                         url="https://example.org/formation", type="workshop")
            expect(ev["registration_opens_at"] == "2026-12-01T09:00:00+00:00", "opens rendered", ev)
            expect(ev["registration_closes_at"] == "2026-12-10T18:00:00+00:00", "closes rendered", ev)
            expect(ev["needs_approval"] is True and ev["partner_org_ids"] == [ORG_B, ORG_C], "fields", ev)
            row = q(c.srv, "SELECT registration_opens_at FROM events WHERE id = ?", (ev["id"],))[0][0]
            expect(row == 1796115600, "stored instant", row)
            r = expect_status(c.srv.patch(f"/api/v1/events/{ev['id']}",
                                          body={"url": None, "registration_opens_at": None, "partner_org_ids": [],
                                                "title_ar": None, "registration_closes_at": "2026-12-10T19:00:00+01:00"},
                                          token=c.org_a), 200)
            expect(r["url"] is None and r["registration_opens_at"] is None and r["partner_org_ids"] == [], "cleared", r)
            expect(r["title_ar"] is None and r["title_fr"], "title cleared", r)
            expect(r["registration_closes_at"] == "2026-12-10T18:00:00+00:00", "offset honoured", r)
            expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"title_fr": None, "title_en": None},
                                     token=c.org_a), 400, "missing_field")
            expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}",
                                     body={"registration_opens_at": "2026-12-11T00:00:00Z"}, token=c.org_a), 422)
            expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"partner_org_ids": [99]}, token=c.org_a),
                         422, "unknown_organisation")
            expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}", body={"venue_id": 99}, token=c.org_a), 422,
                         "unknown_venue")

    def test_bad_input(self):
        with Ctx() as c:
            ev = c.event()
            s = expect_status(c.session(ev["id"], starts_local="2026-10-15T10:00", ends_local="2026-10-15T12:00"), 201)
            good_event = {"type": "training", "title_fr": "Formation", "capacity": 5}
            good_session = {"starts_local": "2026-11-15T10:00", "ends_local": "2026-11-15T12:00"}
            bad_events = [
                {"type": "party", "title_fr": "x", "capacity": 5},
                {"type": 3, "title_fr": "x", "capacity": 5},
                {"type": "training", "title_fr": 5, "capacity": 5},
                {"type": "training", "title_fr": "x", "capacity": "5"},
                {"type": "training", "title_fr": "x", "capacity": -1},
                {"type": "training", "title_fr": "x", "capacity": 1.5},
                {"type": "training", "title_fr": "a\tb", "capacity": 5},
                {"type": "training", "title_fr": "a\nb", "capacity": 5},
                {"type": "training", "title_fr": "a\u0085b", "capacity": 5},
                {"type": "training", "title_fr": "x" * 301, "capacity": 5},
                {"type": "training", "title_fr": "", "capacity": 5},
                {"type": "training", "title_fr": "x", "capacity": 5, "colour": "red"},
                {"type": "training", "title_fr": "x", "capacity": 5, "url": "javascript:alert(1)"},
                {"type": "training", "title_fr": "x", "capacity": 5, "url": "https://exa mple.org"},
                {"type": "training", "title_fr": "x", "capacity": 5, "registration_opens_at": "2026-12-01"},
                {"type": "training", "title_fr": "x", "capacity": 5, "registration_opens_at": "2026-12-01T09:00:00"},
                {"type": "training", "title_fr": "x", "capacity": 5, "registration_opens_at": "2026-02-30T09:00:00Z"},
                {"type": "training", "title_fr": "x", "capacity": 5, "registration_opens_at": 1796115600},
                {"type": "training", "title_fr": "x", "capacity": 5, "visibility": "secret"},
                {"type": "training", "title_fr": "x", "capacity": 5, "needs_approval": "yes"},
                {"type": "training", "title_fr": "x", "capacity": 5, "partner_org_ids": "2"},
                {"type": "training", "title_fr": "x", "capacity": 5, "partner_org_ids": [2, 2]},
                {"type": "training", "title_fr": "x", "capacity": 5, "partner_org_ids": [0]},
                {"type": "training", "title_fr": "x", "capacity": 5, "venue_id": "1"},
                {"type": "training", "title_fr": "x", "capacity": 5, "status": None},
                {"type": "training", "capacity": 5},
                {"type": "training", "title_fr": "x"},
                {"title_fr": "x", "capacity": 5},
                {"type": "training", "title_fr": "x", "capacity": 5, "description_fr": "a\rb"},
            ]
            bad_sessions = [
                {"starts_local": "2026-11-15 10:00", "ends_local": "2026-11-15T12:00"},
                {"starts_local": "2026-11-31T10:00", "ends_local": "2026-12-01T12:00"},
                {"starts_local": "2026-11-15T25:00", "ends_local": "2026-11-15T12:00"},
                {"starts_local": "2026-11-15T10:00+01:00", "ends_local": "2026-11-15T12:00"},
                {"starts_local": 20261115, "ends_local": "2026-11-15T12:00"},
                {"starts_local": "2026-11-15T10:00"},
                {"starts_local": "2026-11-15T10:00", "ends_local": "2026-11-15T12:00", "room": 1},
                {"starts_local": "2026-11-15T10:00", "ends_local": "2026-11-15T12:00", "room_id": "1"},
                {"starts_local": "2026-11-15T10:00", "ends_local": "2026-11-15T12:00", "starts_offset": "1h"},
                {"starts_local": "2026-11-15T10:00", "ends_local": "2026-11-15T12:00", "title": "a\u0007b"},
                {"starts_local": "2026-11-15T10:00", "ends_local": "2026-11-15T12:00", "tz": None},
                {"starts_local": "2026-11-15T10:00", "ends_local": "2026-11-15T12:00", "tz": "Africa/Casa\nblanca"},
            ]
            raw_cases = [b"{", b"[]", b"{\"type\": \"training\",}", b"{\"a\":1}{}", b"\xff\xfe",
                         b"{\"title_fr\": \"\xc0\xaf\"}", b"{\"type\":\"training\",\"type\":\"workshop\"}"]
            bad_event_patches = [{"type": "party"}, {"type": 3}, {"title_fr": 5}, {"capacity": "5"},
                                 {"capacity": -1}, {"capacity": 1.5}, {"title_fr": "a\tb"}, {"title_fr": "a\nb"},
                                 {"title_fr": "x" * 301}, {"title_fr": ""}, {"colour": "red"},
                                 {"url": "javascript:alert(1)"}, {"registration_opens_at": "2026-12-01"},
                                 {"visibility": "secret"}, {"needs_approval": "yes"}, {"partner_org_ids": [2, 2]},
                                 {"venue_id": "1"}, {"status": None}, {"type": None}, {"capacity": None},
                                 {"status": "done"}, {"org_id": 0}, {"description_en": "a\u0000b"}]
            bad_session_patches = [{"starts_local": "2026-11-15 10:00"}, {"starts_local": "2026-11-31T10:00"},
                                   {"ends_local": 20261115}, {"room": 1}, {"room_id": "1"}, {"starts_offset": "1h"},
                                   {"title": "a\u0007b"}, {"tz": None}, {"starts_local": None}, {"facilitator_id": 0},
                                   {"ends_offset": "+25:00"}]
            before = snapshot(c.srv)
            for body in bad_events:
                expect_error(c.srv.post("/api/v1/events", body=body, token=c.org_a), 400)
            for body in bad_event_patches:
                expect_error(c.srv.patch(f"/api/v1/events/{ev['id']}", body=body, token=c.org_a), 400)
            for body in bad_sessions:
                expect_error(c.session(ev["id"], **body), 400)
            for body in bad_session_patches:
                expect_error(c.srv.patch(f"/api/v1/sessions/{s['id']}", body=body, token=c.org_a), 400)
            for raw in raw_cases:
                for method, path in (("POST", "/api/v1/events"), ("PATCH", f"/api/v1/events/{ev['id']}"),
                                     ("POST", f"/api/v1/events/{ev['id']}/sessions"),
                                     ("PATCH", f"/api/v1/sessions/{s['id']}")):
                    r = c.srv.request(method, path, raw=raw, token=c.org_a,
                                      headers={"Content-Type": "application/json"})
                    expect_error(r, 400)
            for method, path, body in (("POST", "/api/v1/events", good_event),
                                       ("PATCH", f"/api/v1/events/{ev['id']}", {"title_fr": "y"}),
                                       ("POST", f"/api/v1/events/{ev['id']}/sessions", good_session),
                                       ("PATCH", f"/api/v1/sessions/{s['id']}", {"title": "y"})):
                r = c.srv.request(method, path, raw=json.dumps(body).encode(), token=c.org_a,
                                  headers={"Content-Type": "text/plain"})
                expect_error(r, 415)
                r = c.srv.request(method, path, raw=b"", token=c.org_a, headers={"Content-Type": "application/json"})
                expect_error(r, 400)
            expect_error(c.srv.request("POST", f"/api/v1/events/{ev['id']}/cancel", raw=b'{"reason": "x"}',
                                       token=c.org_a, headers={"Content-Type": "application/json"}), 400)
            expect_error(c.srv.get("/api/v1/events/0"), 404)
            expect_error(c.srv.get("/api/v1/events/99"), 404)
            expect_error(c.srv.patch("/api/v1/events/99", body={"title_fr": "x"}, token=c.org_a), 404)
            expect_error(c.srv.post("/api/v1/events/99/sessions", body=good_session, token=c.org_a), 404)
            expect_error(c.srv.patch("/api/v1/sessions/99", body={"title": "x"}, token=c.org_a), 404)
            expect(snapshot(c.srv) == before, "nothing stored by any bad request")


if __name__ == "__main__":
    T().run()
