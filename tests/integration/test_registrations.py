"""Integration tests of registrations (capacity, waitlist, approval, personal link, Idempotency-Key)
and attendance against a real majlisd; events and sessions are seeded straight into its database."""

import hashlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, expect, expect_error, expect_status  # noqa: E402
from reg_fixtures import (add_event, add_org, add_session, counts, db_all, db_exec, db_one,  # noqa: E402
                          person, register)


def sha256(s):
    return hashlib.sha256(s.encode()).hexdigest()


class T(Checks):
    def __init__(self, srv):
        self.srv = srv
        self.org_a = add_org(srv, "Association A")
        self.org_b = add_org(srv, "Association B")
        self.admin = srv.token("admin")
        self.org_a_tok = srv.token("organiser", self.org_a)
        self.org_b_tok = srv.token("organiser", self.org_b)
        self.viewer_a = srv.token("viewer", self.org_a)
        self.checkin_a = srv.token("checkin", self.org_a)

    # --- registering -------------------------------------------------------------------------

    def test_register_confirmed(self):
        ev = add_event(self.srv, self.org_a, capacity=5)
        body = person(name="Fatima Zahra", name_ar="فاطمة الزهراء", sex="female", nationality="SN",
                      phone="+212 655 000 001")
        r = register(self.srv, ev, body)
        j = expect_status(r, 201)
        reg = j["registration"]
        expect(reg["status"] == "confirmed" and reg["event_id"] == ev and reg["waitlist_position"] is None, "", r)
        tok = j["token"]
        expect(len(tok) == 43 and j["link"] == "/r/" + tok, "token and link", r)
        expect(r.headers.get("cache-control") == "no-store", "no-store", r)
        row = db_one(self.srv, "SELECT token_hash, status FROM registrations WHERE id = ?", (reg["id"],))
        expect(row == (sha256(tok), "confirmed"), "token stored only as its hash", row)
        p = db_one(self.srv, "SELECT p.name, p.email, p.consent_at, p.org_id FROM people p "
                             "JOIN registrations r ON r.person_id = p.id WHERE r.id = ?", (reg["id"],))
        expect(p[0] == "Fatima Zahra" and p[1] == body["email"].lower() and p[2] and p[3] == self.org_a, "", p)
        log = db_all(self.srv, "SELECT kind, payload, org_id FROM change_log WHERE topic = ?", (f"event:{ev}",))
        expect([k for k, _, _ in log] == ["registration.created"], "change log", log)
        expect(json.loads(log[0][1]) == {"registration_id": reg["id"], "status": "confirmed"}, "payload", log)
        expect(log[0][2] == self.org_a, "change log org", log)
        out = db_all(self.srv, "SELECT kind, payload FROM outbox WHERE payload LIKE ?", (f'%"registration_id":{reg["id"]},%',))
        expect([k for k, _ in out] == ["registration.confirmed"], "outbox", out)
        payload = json.loads(out[0][1])
        sealed = payload.pop("link_sealed", "")
        expect(payload == {"registration_id": reg["id"], "event_id": ev, "lang": "fr"}, "", out)
        expect(len(sealed) > 60 and tok not in sealed, "the link waits sealed for the mail, not in clear", out)
        for secret in (tok, body["email"], "Fatima"):
            expect(secret not in self.srv.log_text(), "no personal data or token in the log")
            expect(not db_one(self.srv, "SELECT count(*) FROM change_log WHERE payload LIKE ?", (f"%{secret}%",))[0],
                   "no personal data in the change log")

    def test_duplicate_returns_existing_without_token(self):
        ev = add_event(self.srv, self.org_a, capacity=5)
        body = person()
        first = expect_status(register(self.srv, ev, body), 201)
        before = counts(self.srv)
        again = dict(body, name="Someone Else", email=body["email"].upper())
        r = register(self.srv, ev, again)
        j = expect_status(r, 200)
        expect(j["registration"]["id"] == first["registration"]["id"], "same registration", r)
        expect("token" not in j and "link" not in j, "no token for a second registration", r)
        after = counts(self.srv)
        expect(after["registrations"] == before["registrations"] and after["people"] == before["people"], "", after)
        expect(after["outbox"] == before["outbox"] + 1, "one outbox row", after)
        kind = db_one(self.srv, "SELECT kind FROM outbox ORDER BY id DESC LIMIT 1")[0]
        expect(kind == "registration.link_resent", kind)
        name = db_one(self.srv, "SELECT p.name FROM people p JOIN registrations r ON r.person_id = p.id "
                                "WHERE r.id = ?", (first["registration"]["id"],))[0]
        expect(name == body["name"], "the stored person is not overwritten", name)
        # matched by phone when there is no e-mail
        pb = person(email=None, phone="+212 611 222 333")
        expect_status(register(self.srv, ev, pb), 201)
        expect_status(register(self.srv, ev, dict(pb, name="Other")), 200)

    def test_one_phone_typed_four_ways_is_one_person_with_one_seat(self):
        ev = add_event(self.srv, self.org_a, capacity=4)
        before = counts(self.srv)
        forms = ["+212 613 34 56 78", "+212613345678", "00212613345678", "0613345678", "06.13.34.56.78"]
        first = expect_status(register(self.srv, ev, person(email=None, phone=forms[0], name="Salma Idrissi")), 201)
        for f in forms[1:]:
            again = expect_status(register(self.srv, ev, person(email=None, phone=f, name="Salma Idrissi")), 200)
            expect(again.get("existing") is True and again["registration"]["id"] == first["registration"]["id"]
                   and "token" not in again, f"{f}: the same registration", again)
        after = counts(self.srv)
        expect(after["people"] == before["people"] + 1 and after["registrations"] == before["registrations"] + 1,
               "one person, one seat", after)
        phone = db_one(self.srv, "SELECT p.phone FROM people p JOIN registrations r ON r.person_id = p.id "
                                 "WHERE r.id = ?", (first["registration"]["id"],))[0]
        expect(phone == "+212613345678", "stored in E.164", phone)
        # a foreign number, in + or 00 form
        sn = expect_status(register(self.srv, ev, person(email=None, phone="+221 77 613 45 67")), 201)
        expect_status(register(self.srv, ev, person(email=None, phone="00221776134567")), 200)
        phone = db_one(self.srv, "SELECT p.phone FROM people p JOIN registrations r ON r.person_id = p.id "
                                 "WHERE r.id = ?", (sn["registration"]["id"],))[0]
        expect(phone == "+221776134567", "foreign number in E.164", phone)
        for bad in ("613345678", "+212 913 34 56 78", "+212 613 34 56 7", "+1234567", "0044"):
            r = register(self.srv, ev, person(email=None, phone=bad))
            expect_error(r, 400, "invalid_field")
            expect("'phone'" in r.json["error"]["message"], bad, r)

    def test_registering_again_after_cancelling_reopens(self):
        """A participant who cancelled (or declined) and registers again gets their place back in the normal
        way — a free seat or the end of the waitlist — with no token in the answer (their link is mailed),
        the same personal link working again; a rejected registration stays rejected."""
        ev = add_event(self.srv, self.org_a, capacity=1)
        body = person()
        first = expect_status(register(self.srv, ev, body), 201)
        token = first["token"]
        expect_status(self.srv.post(f"/api/v1/r/{token}/cancel"), 200)
        other = expect_status(register(self.srv, ev, person()), 201)
        expect(other["registration"]["status"] == "confirmed", "the freed seat went to someone else", other)
        again = expect_status(register(self.srv, ev, body), 200)
        expect(again.get("reopened") is True and "token" not in again, "reopened without a token", again)
        expect(again["registration"]["id"] == first["registration"]["id"], "same registration", again)
        expect(again["registration"]["status"] == "waitlisted", "at the end of the waitlist (seat taken)", again)
        view = expect_status(self.srv.get(f"/api/v1/r/{token}"), 200)
        expect(view["status"] == "waitlisted", "the old link shows the reopened registration", view)
        kinds = [k for (k,) in db_all(self.srv, "SELECT kind FROM outbox ORDER BY id DESC LIMIT 2")]
        expect(set(kinds) == {"registration.waitlisted", "registration.link_resent"}, f"mails: {kinds}")
        # the other participant cancels: the reopened one is promoted
        expect_status(self.srv.post(f"/api/v1/r/{other['token']}/cancel"), 200)
        view = expect_status(self.srv.get(f"/api/v1/r/{token}"), 200)
        expect(view["status"] == "confirmed", "promoted from the waitlist", view)

    def test_idempotency_key_replays_first_answer(self):
        ev = add_event(self.srv, self.org_a, capacity=1)
        key = {"Idempotency-Key": "retry-key-0001_abcdef"}
        body = person()
        r1 = register(self.srv, ev, body, headers=key)
        expect_status(r1, 201)
        before = counts(self.srv)
        r2 = register(self.srv, ev, body, headers=key)
        expect(r2.status == 201 and r2.body == r1.body, "identical replay", (r1, r2))
        expect(r2.json["token"] == r1.json["token"], "same token")
        expect(counts(self.srv) == before, "a replay writes nothing", counts(self.srv))
        sealed = db_one(self.srv, "SELECT body_sealed, key_hash FROM idempotency")
        expect(r1.json["token"] not in sealed[0] and "retry-key" not in sealed[1], "sealed", sealed)
        expect(sealed[1] == sha256("registrations:retry-key-0001_abcdef"), "key hash", sealed)
        # a different key for the same person: the existing registration, without token
        r3 = register(self.srv, ev, body, headers={"Idempotency-Key": "another-key-0002"})
        expect(r3.status == 200 and "token" not in r3.json, "", r3)
        r4 = register(self.srv, ev, body, headers={"Idempotency-Key": "another-key-0002"})
        expect(r4.status == 200 and r4.body == r3.body, "replay of a 200", r4)
        # an expired entry is ignored (and purged)
        db_exec(self.srv, "UPDATE idempotency SET created_at = created_at - 90000 WHERE key_hash = ?",
                (sha256("registrations:retry-key-0001_abcdef"),))
        r5 = register(self.srv, ev, body, headers=key)
        expect(r5.status == 200 and "token" not in r5.json, "expired key is not replayed", r5)
        # (a header longer than the transport keeps arrives as no key at all: not testable here)
        for bad in ("short", "has space in it", "bad/char/123", "é" * 10):
            n = counts(self.srv)
            expect_error(register(self.srv, ev, person(), headers={"Idempotency-Key": bad}), 400,
                         "invalid_idempotency_key")
            expect(counts(self.srv) == n, "nothing stored")

    def test_window_and_event_status(self):
        now = int(time.time())
        cases = [
            (dict(opens=now + 86400), "registration_not_open"),
            (dict(closes=now - 60), "registration_closed"),
            (dict(session_in=-3600), "registration_closed"),  # default close: first session start
            (dict(status="cancelled"), "event_cancelled"),
            (dict(status="postponed"), "event_postponed"),
        ]
        for kw, code in cases:
            ev = add_event(self.srv, self.org_a, **kw)
            n = counts(self.srv)
            err = expect_error(register(self.srv, ev), 409, code)
            if code.startswith("registration_"):
                expect(any(c.isdigit() for c in err["message"]) and "T" in err["message"], "date in message", err)
            expect(counts(self.srv) == n, "nothing stored", kw)
        expect_status(register(self.srv, add_event(self.srv, self.org_a, opens=now - 60, closes=now + 3600)), 201)
        expect_status(register(self.srv, add_event(self.srv, self.org_a, session_in=None)), 201)
        expect_error(register(self.srv, 999999), 404)

    def test_visibility(self):
        inv = add_event(self.srv, self.org_a, visibility="invited")
        internal = add_event(self.srv, self.org_a, visibility="internal")
        n = counts(self.srv)
        # who may not see an invited or internal event gets what a missing one gets
        expect_error(register(self.srv, inv), 404, "not_found")
        expect_error(register(self.srv, internal), 404, "not_found")
        expect_error(register(self.srv, inv, token=self.org_b_tok), 404, "not_found")
        expect_error(register(self.srv, inv, token=self.viewer_a), 403, "registration_by_invitation")
        expect(counts(self.srv) == n, "nothing stored")
        expect_status(register(self.srv, inv, token=self.org_a_tok), 201)
        expect_status(register(self.srv, internal, token=self.admin), 201)
        db_exec(self.srv, "INSERT INTO event_partners (event_id, org_id) VALUES (?, ?)", (inv, self.org_b))
        expect_status(register(self.srv, inv, token=self.org_b_tok), 201)

    # --- approval, waitlist, promotion -------------------------------------------------------

    def org_act(self, reg_id, action, token=None):
        return self.srv.post(f"/api/v1/registrations/{reg_id}/{action}", token=token or self.org_a_tok)

    def test_approval_flow(self):
        ev = add_event(self.srv, self.org_a, capacity=1, needs_approval=1)
        a = expect_status(register(self.srv, ev), 201)["registration"]
        b = expect_status(register(self.srv, ev), 201)["registration"]
        expect(a["status"] == "pending" and b["status"] == "pending", "pending", (a, b))
        kinds = [k for (k,) in db_all(self.srv, "SELECT kind FROM outbox ORDER BY id DESC LIMIT 2")]
        expect(kinds == ["registration.pending"] * 2, "pending outbox", kinds)
        ra = expect_status(self.org_act(a["id"], "approve"), 200)
        expect(ra["status"] == "confirmed", "approved with a free seat", ra)
        rb = expect_status(self.org_act(b["id"], "approve", self.admin), 200)
        expect(rb["status"] == "waitlisted" and rb["waitlist_position"] == 1, "approved into the waitlist", rb)
        expect_error(self.org_act(b["id"], "approve"), 409, "invalid_transition")
        rr = expect_status(self.org_act(a["id"], "reject"), 200)
        expect(rr["status"] == "rejected", "", rr)
        st = db_one(self.srv, "SELECT status, waitlist_seq FROM registrations WHERE id = ?", (b["id"],))
        expect(st == ("confirmed", None), "rejecting a confirmed promotes the waitlist", st)
        expect_status(self.org_act(a["id"], "reject"), 200)  # idempotent
        expect_error(self.org_act(a["id"], "cancel"), 409, "invalid_transition")
        log = [k for (k,) in db_all(self.srv, "SELECT kind FROM change_log WHERE topic = ? ORDER BY seq",
                                    (f"event:{ev}",))]
        expect(log == ["registration.created", "registration.created", "registration.approved",
                       "registration.approved", "registration.rejected", "registration.promoted"], "log", log)

    def test_waitlist_fcfs_and_promotion(self):
        ev = add_event(self.srv, self.org_a, capacity=2)
        regs = [expect_status(register(self.srv, ev), 201) for _ in range(6)]
        st = [r["registration"]["status"] for r in regs]
        expect(st == ["confirmed"] * 2 + ["waitlisted"] * 4, "", st)
        expect([r["registration"]["waitlist_position"] for r in regs[2:]] == [1, 2, 3, 4], "positions")
        tok = [r["token"] for r in regs]
        ids = [r["registration"]["id"] for r in regs]

        def status(i):
            return db_one(self.srv, "SELECT status FROM registrations WHERE id = ?", (ids[i],))[0]

        expect_status(self.srv.post(f"/api/v1/r/{tok[0]}/cancel"), 200)
        expect(status(2) == "confirmed" and status(3) == "waitlisted", "cancel promotes the first")
        expect_status(self.srv.post(f"/api/v1/r/{tok[1]}/decline"), 200)
        expect(status(3) == "confirmed" and status(4) == "waitlisted", "decline promotes the next")
        expect_status(self.org_act(ids[2], "cancel"), 200)
        expect(status(4) == "confirmed" and status(5) == "waitlisted", "organiser cancel promotes")
        view = expect_status(self.srv.get(f"/api/v1/r/{tok[5]}"), 200)
        expect(view["waitlist_position"] == 1, "moved up", view)
        # a waitlisted person leaving frees no seat: nobody is promoted
        expect_status(self.srv.post(f"/api/v1/r/{tok[5]}/cancel"), 200)
        confirmed = db_one(self.srv, "SELECT count(*) FROM registrations WHERE event_id = ? AND status = 'confirmed'",
                           (ev,))[0]
        expect(confirmed == 2, "capacity kept", confirmed)
        promoted = db_all(self.srv, "SELECT kind, payload FROM outbox WHERE kind = 'registration.promoted' "
                                    "AND json_extract(payload, '$.event_id') = ?", (ev,))
        expect(len(promoted) == 3, "one notification per promotion", promoted)
        # raising capacity is the events engineer's, but promotion must follow a direct change too
        lst = expect_status(self.srv.get(f"/api/v1/events/{ev}/registrations?status=waitlisted",
                                         token=self.org_a_tok), 200)
        expect(lst["total"] == 0, "", lst)

    def test_organiser_list(self):
        ev = add_event(self.srv, self.org_a, capacity=1)
        bodies = [person(phone="+212 6000000%02d" % i) for i in range(3)]
        for b in bodies:
            expect_status(register(self.srv, ev, b), 201)
        r = self.srv.get(f"/api/v1/events/{ev}/registrations", token=self.org_a_tok)
        j = expect_status(r, 200)
        expect(j["total"] == 3 and len(j["items"]) == 3, "", r)
        it = j["items"][0]
        expect(it["email"] == bodies[0]["email"].lower() and it["phone"] == "+212600000000" and it["name"],
               "contact data (the phone in E.164)", it)
        expect(j["items"][2]["waitlist_position"] == 2, "positions", j)
        j = expect_status(self.srv.get(f"/api/v1/events/{ev}/registrations?status=waitlisted&limit=1&offset=1",
                                       token=self.admin), 200)
        expect(j["total"] == 2 and len(j["items"]) == 1 and j["items"][0]["status"] == "waitlisted", "", j)
        expect_error(self.srv.get(f"/api/v1/events/{ev}/registrations?status=bogus", token=self.admin), 400)
        expect_error(self.srv.get(f"/api/v1/events/{ev}/registrations?limit=0", token=self.admin), 400)
        expect_error(self.srv.get(f"/api/v1/events/999999/registrations", token=self.admin), 404)

    # --- personal link -----------------------------------------------------------------------

    def test_personal_link(self):
        ev = add_event(self.srv, self.org_a, capacity=1)
        a = expect_status(register(self.srv, ev, person(lang="ar")), 201)
        b = expect_status(register(self.srv, ev), 201)
        view = expect_status(self.srv.get("/api/v1" + a["link"]), 200)
        expect(view["status"] == "confirmed" and view["event"]["title"] == "Formation comptabilité", "", view)
        s = view["sessions"][0]
        expect(s["starts_at"].startswith(s["starts_local"]) and s["starts_at"][-6] in "+-" and s["tz"], "", s)
        expect(view["attendance"] == [] and view["attendance_confirmed_at"] is None, "", view)
        expect(view["person"]["lang"] == "ar", "", view)
        wb = expect_status(self.srv.get(f"/api/v1/r/{b['token']}"), 200)
        expect(wb["status"] == "waitlisted" and wb["waitlist_position"] == 1, "", wb)
        expect_error(self.srv.post(f"/api/v1/r/{b['token']}/confirm"), 409, "registration_not_confirmed")
        c = expect_status(self.srv.post(f"/api/v1/r/{a['token']}/confirm"), 200)
        expect(c["attendance_confirmed_at"], "confirmed attendance", c)
        c2 = expect_status(self.srv.post(f"/api/v1/r/{a['token']}/confirm", {}), 200)
        expect(c2["attendance_confirmed_at"] == c["attendance_confirmed_at"], "idempotent")
        d = expect_status(self.srv.post(f"/api/v1/r/{a['token']}/decline"), 200)
        expect(d["status"] == "declined", "", d)
        expect(expect_status(self.srv.get(f"/api/v1/r/{b['token']}"), 200)["status"] == "confirmed", "promoted")
        expect_status(self.srv.post(f"/api/v1/r/{a['token']}/decline"), 200)
        expect_error(self.srv.post(f"/api/v1/r/{a['token']}/cancel"), 409, "invalid_transition")
        x = expect_status(self.srv.post(f"/api/v1/r/{b['token']}/cancel"), 200)
        expect(x["status"] == "cancelled", "", x)

    def test_unknown_token_404(self):
        fake = "A" * 43
        n = counts(self.srv)
        expect_error(self.srv.get(f"/api/v1/r/{fake}"), 404)
        for action in ("confirm", "decline", "cancel"):
            expect_error(self.srv.post(f"/api/v1/r/{fake}/{action}"), 404)
        expect_error(self.srv.post(f"/api/v1/r/{fake}/sessions/1/present"), 404)
        expect_error(self.srv.get("/api/v1/r/not%2Fa%2Ftoken"), 404)
        expect(counts(self.srv) == n, "nothing stored")

    # --- isolation ---------------------------------------------------------------------------

    def test_cross_org_isolation(self):
        ev = add_event(self.srv, self.org_a, capacity=1, needs_approval=1)
        a = expect_status(register(self.srv, ev), 201)["registration"]
        before = db_all(self.srv, "SELECT id, status, updated_at FROM registrations WHERE event_id = ?", (ev,))
        n = counts(self.srv)
        expect_error(self.srv.get(f"/api/v1/events/{ev}/registrations", token=self.org_b_tok), 403)
        expect_error(self.srv.get(f"/api/v1/events/{ev}/registrations", token=self.viewer_a), 403)
        expect_error(self.srv.get(f"/api/v1/events/{ev}/registrations", token=self.checkin_a), 403)
        expect_error(self.srv.get(f"/api/v1/events/{ev}/registrations"), 401)
        for action in ("approve", "reject", "cancel"):
            expect_error(self.org_act(a["id"], action, self.org_b_tok), 404)
            expect_error(self.org_act(a["id"], action, self.viewer_a), 403)
            expect_error(self.org_act(a["id"], action, self.checkin_a), 403)
            expect_error(self.srv.post(f"/api/v1/registrations/{a['id']}/{action}"), 401)
        expect_error(self.org_act(999999, "approve", self.admin), 404)
        after = db_all(self.srv, "SELECT id, status, updated_at FROM registrations WHERE event_id = ?", (ev,))
        expect(before == after and counts(self.srv) == n, "nothing changed")

    # --- attendance --------------------------------------------------------------------------

    def test_attendance(self):
        ev = add_event(self.srv, self.org_a, capacity=1, session_in=None)
        a = expect_status(register(self.srv, ev), 201)
        w = expect_status(register(self.srv, ev), 201)
        now = int(time.time())
        today = add_session(self.srv, ev, now - 600, minutes=60)
        later = add_session(self.srv, ev, now + 3 * 86400)
        url = f"/api/v1/sessions/{today}/attendance"
        r1 = self.srv.post(url, {"ticket": a["token"], "status": "present", "method": "qr"}, token=self.checkin_a)
        row = expect_status(r1, 201)
        expect(row["status"] == "present" and row["method"] == "qr" and row["registration_id"] == a["registration"]["id"], "", row)
        n = counts(self.srv)
        r2 = self.srv.post(url, {"registration_id": a["registration"]["id"], "status": "present", "method": "manual"},
                           token=self.org_a_tok)
        expect(r2.status == 200 and r2.json == row, "recording twice changes nothing", r2)
        expect(counts(self.srv) == n, "no write")
        r3 = expect_status(self.srv.post(url, {"registration_id": a["registration"]["id"], "status": "excused",
                                               "method": "manual"}, token=self.admin), 200)
        expect(r3["status"] == "excused" and r3["method"] == "manual", "status change updates", r3)
        expect_error(self.srv.post(url, {"ticket": w["token"], "status": "present"}, token=self.checkin_a), 422,
                     "registration_not_confirmed")
        expect_error(self.srv.post(url, {"ticket": "B" * 43, "status": "present"}, token=self.checkin_a), 404)
        other = add_event(self.srv, self.org_a, capacity=3)
        o = expect_status(register(self.srv, other), 201)
        expect_error(self.srv.post(url, {"ticket": o["token"], "status": "present"}, token=self.checkin_a), 422,
                     "ticket_other_event")
        expect_error(self.srv.post(url, {"registration_id": o["registration"]["id"], "status": "present"},
                                   token=self.checkin_a), 404)
        checkin_b = self.srv.token("checkin", self.org_b)
        n = counts(self.srv)
        expect_error(self.srv.post(url, {"ticket": a["token"], "status": "present"}, token=self.org_b_tok), 403)
        expect_error(self.srv.post(url, {"ticket": a["token"], "status": "present"}, token=self.viewer_a), 403)
        expect_error(self.srv.post(url, {"ticket": a["token"], "status": "present"},
                                   token=checkin_b), 403)
        expect_error(self.srv.post(url, {"ticket": a["token"], "status": "present"}), 401)
        expect_error(self.srv.post("/api/v1/sessions/999999/attendance", {"ticket": a["token"], "status": "present"},
                                   token=self.admin), 404)
        expect(counts(self.srv) == n, "nothing stored")
        lst = expect_status(self.srv.get(url, token=self.checkin_a), 200)
        expect(lst["total"] == 1 and lst["items"][0]["status"] == "excused" and lst["items"][0]["name"], "", lst)
        expect_error(self.srv.get(url, token=self.org_b_tok), 403)
        # self check-in: only on the session's day, never over a staff record
        expect_error(self.srv.post(f"/api/v1/r/{a['token']}/sessions/{later}/present"), 409, "outside_session_day")
        same = expect_status(self.srv.post(f"/api/v1/r/{a['token']}/sessions/{today}/present"), 200)
        expect(same["status"] == "excused", "staff record kept", same)
        b = expect_status(self.srv.post(f"/api/v1/r/{a['token']}/cancel"), 200)
        expect(b["status"] == "cancelled", "")
        promoted = expect_status(self.srv.get(f"/api/v1/r/{w['token']}"), 200)
        expect(promoted["status"] == "confirmed", "", promoted)
        s = expect_status(self.srv.post(f"/api/v1/r/{w['token']}/sessions/{today}/present"), 201)
        expect(s["method"] == "self" and s["recorded_by"] is None, "", s)
        expect_status(self.srv.post(f"/api/v1/r/{w['token']}/sessions/{today}/present"), 200)
        expect_error(self.srv.post(f"/api/v1/r/{o['token']}/sessions/{today}/present"), 404)
        view = expect_status(self.srv.get(f"/api/v1/r/{w['token']}"), 200)
        expect(view["attendance"][0]["session_id"] == today, "", view)

    # --- bad input ---------------------------------------------------------------------------

    def test_bad_input_register(self):
        ev = add_event(self.srv, self.org_a, capacity=5)
        url = f"/api/v1/events/{ev}/registrations"
        js = {"Content-Type": "application/json"}
        cases = [
            (dict(raw=b'{"name": "x",', headers=js), 400),
            (dict(raw=b'{"name": "\xff\xfe", "email": "a@b.org", "consent": true}', headers=js), 400),
            (dict(raw=b'[1, 2]', headers=js), 400),
            (dict(raw=b'', headers=js), 400),
            (dict(raw=b'{"name":"a","name":"b","email":"a@b.org","consent":true}', headers=js), 400),
            (dict(raw=b'name=x', headers={"Content-Type": "application/x-www-form-urlencoded"}), 415),
            (dict(body=person(name="Line\r\nInjected: yes")), 400),
            (dict(body=person(name="Tab\there")), 400),
            (dict(body=person(email="not-an-email")), 400),
            (dict(body=person(email="a@b.org\r\nBcc: x@y.org")), 400),
            (dict(body=person(phone="call me")), 400),
            (dict(body=person(name=42)), 400),
            (dict(body=person(consent="yes")), 400),
            (dict(body=person(sex="other")), 400),
            (dict(body=person(lang="de")), 400),
            (dict(body=person(nationality=["MA"])), 400),
            (dict(body=person(admin=True)), 400),
            (dict(body=person(name="")), 400),
            (dict(body=person(name="x" * 201)), 400),
            (dict(body={"email": "a@b.org", "consent": True}), 400),
            (dict(body={"name": "No Contact", "consent": True}), 400),
        ]
        n = counts(self.srv)
        for kw, status in cases:
            expect_error(self.srv.request("POST", url, **kw), status)
        expect_error(register(self.srv, ev, person(consent=None)), 422, "consent_required")
        expect_error(register(self.srv, ev, person(consent=False)), 422, "consent_required")
        expect(counts(self.srv) == n, "nothing stored", counts(self.srv))

    def test_form_error_messages(self):
        """Each field of the form is named with what it must be; the handler parses the types and the domain
        checks the values, and a client sees one message whichever does."""
        ev = add_event(self.srv, self.org_a, capacity=5)
        cases = [
            (person(name=None), "missing_field", "field 'name' is required"),
            (person(name=""), "invalid_field", "field 'name' must not be empty"),
            (person(name=42), "invalid_field", "field 'name' must be a string"),
            (person(name="x" * 201), "invalid_field", "field 'name' must be at most 200 characters"),
            (person(name_ar="\u200f"), "invalid_field",
             "field 'name_ar' must not contain invisible or bidirectional control characters (U+200F)"),
            (person(sex="other"), "invalid_field", "field 'sex' must be one of: female, male, unspecified"),
            (person(sex=1), "invalid_field", "field 'sex' must be one of: female, male, unspecified"),
            (person(nationality="x" * 65), "invalid_field", "field 'nationality' must be at most 64 characters"),
            (person(email="nope"), "invalid_field", "field 'email' must be a valid e-mail address"),
            (person(lang=True), "invalid_field", "field 'lang' must be one of: fr, ar, en"),
            (person(email=None), "contact_required", "give an e-mail address or a phone number"),
        ]
        n = counts(self.srv)
        for body, code, message in cases:
            err = expect_error(register(self.srv, ev, body), 400, code)
            expect(err["message"] == message, message, err)
        expect(counts(self.srv) == n, "nothing stored", counts(self.srv))

    def test_bad_input_other_writes(self):
        ev = add_event(self.srv, self.org_a, capacity=5, needs_approval=1)
        a = expect_status(register(self.srv, ev), 201)
        ses = db_one(self.srv, "SELECT id FROM sessions WHERE event_id = ?", (ev,))[0]
        js = {"Content-Type": "application/json"}
        bodyless = [f"/api/v1/r/{a['token']}/confirm", f"/api/v1/r/{a['token']}/decline",
                    f"/api/v1/r/{a['token']}/cancel", f"/api/v1/r/{a['token']}/sessions/{ses}/present",
                    f"/api/v1/registrations/{a['registration']['id']}/approve",
                    f"/api/v1/registrations/{a['registration']['id']}/reject",
                    f"/api/v1/registrations/{a['registration']['id']}/cancel"]
        n = counts(self.srv)
        for url in bodyless:
            for kw, status in [(dict(raw=b'{"x":', headers=js), 400),
                               (dict(raw=b'{"reason": "\xc3\x28"}', headers=js), 400),
                               (dict(body={"unknown": 1}), 400),
                               (dict(raw=b'text', headers={"Content-Type": "text/plain"}), 415)]:
                expect_error(self.srv.request("POST", url, token=self.org_a_tok, **kw), status)
        att = f"/api/v1/sessions/{ses}/attendance"
        for kw, status in [(dict(raw=b'{"status":', headers=js), 400),
                           (dict(raw=b'{"status": "\xff"}', headers=js), 400),
                           (dict(raw=b'status=present', headers={"Content-Type": "text/plain"}), 415),
                           (dict(body={"ticket": a["token"], "status": "here"}), 400),
                           (dict(body={"ticket": a["token"], "status": "present", "method": "self"}), 400),
                           (dict(body={"ticket": a["token"]}), 400),
                           (dict(body={"ticket": "bad token!", "status": "present"}), 400),
                           (dict(body={"registration_id": "1", "status": "present"}), 400),
                           (dict(body={"registration_id": 0, "status": "present"}), 400),
                           (dict(body={"status": "present"}), 400),
                           (dict(body={"ticket": a["token"], "registration_id": 1, "status": "present"}), 400),
                           (dict(body={"ticket": a["token"], "status": "present", "note": "x"}), 400)]:
            expect_error(self.srv.request("POST", att, token=self.admin, **kw), status)
        expect(counts(self.srv) == n, "nothing stored", counts(self.srv))
        st = db_one(self.srv, "SELECT status FROM registrations WHERE id = ?", (a["registration"]["id"],))[0]
        expect(st == "pending", st)


if __name__ == "__main__":
    with Server() as s:
        T(s).run()
