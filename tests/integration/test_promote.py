"""Manual promotion (POST /api/v1/registrations/{id}/promote): an organiser gives a waitlisted person a seat
out of arrival order, only when one is free or by raising the capacity by one, never overbooking, even when
promotions and registrations race for the last seat; its change-log row carries the new counts to /live, its
outbox row mails the participant; again is answered alike and writes nothing; every role that may not act
is refused, bad input is refused, and neither changes anything stored."""

import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, db_digest, expect, expect_error, expect_status  # noqa: E402
from live_v2 import V2, answers, ws2  # noqa: E402
from reg_fixtures import add_event, add_org, db_all, db_exec, db_one, person, register  # noqa: E402
from ws import WebSocket  # noqa: E402

TABLES = ("people", "registrations", "events", "attendance", "change_log", "outbox", "registration_counts")
JS = {"Content-Type": "application/json"}


def promote(srv, reg, token, body=None, **kw):
    return srv.post(f"/api/v1/registrations/{reg}/promote", body, token=token, **kw)


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

    def digest(self):
        return db_digest(self.srv.db, TABLES)

    def full_event(self, waiting=2):
        """An event of A with its one seat taken (a woman) and `waiting` people waitlisted: (event, the
        confirmed registration, [waitlisted registrations in arrival order])."""
        ev = add_event(self.srv, self.org_a, capacity=1)
        seated = expect_status(register(self.srv, ev, person(sex="female")), 201)["registration"]
        waits = []
        for i in range(waiting):
            r = expect_status(register(self.srv, ev, person(sex="male" if i % 2 == 0 else "female")), 201)
            expect(r["registration"]["status"] == "waitlisted", "waits", r)
            waits.append(dict(r["registration"], token=r["token"]))
        return ev, seated, waits

    def test_promote_out_of_order_raising_capacity(self):
        srv = self.srv
        ev, seated, (w1, w2) = self.full_event()
        ws = ws2(srv, f"/live?topic=event:{ev}", self.org_a_tok)
        expect(answers(ws, 1)[0]["type"] == "subscribed", "subscribed")
        me = WebSocket(srv.port, f"/live?token={w2['token']}&topic=me", protocol=V2)
        expect(answers(me, 1)[0]["type"] == "subscribed", "me subscribed")
        # no seat free: refused, nothing changes
        before = self.digest()
        err = expect_error(promote(srv, w2["id"], self.org_a_tok), 409, "no_seat_free")
        expect("raise_capacity" in err["message"], "the refusal says how to make room", err)
        expect_error(promote(srv, w2["id"], self.org_a_tok, {"raise_capacity": False}), 409, "no_seat_free")
        expect(self.digest() == before, "a refused promotion writes nothing")
        # the organiser adds a seat for the second in line: she gets it, the first keeps waiting
        j = expect_status(promote(srv, w2["id"], self.org_a_tok, {"raise_capacity": True}), 200)
        expect(j["id"] == w2["id"] and j["status"] == "confirmed" and j["waitlist_position"] is None, j)
        ev_j = expect_status(srv.get(f"/api/v1/events/{ev}", token=self.org_a_tok), 200)
        expect(ev_j["capacity"] == 2, ev_j)
        expect(ev_j["counts"]["confirmed"] == 2 and ev_j["counts"]["waitlisted"] == 1, ev_j["counts"])
        regs = {r["id"]: r for r in expect_status(
            srv.get(f"/api/v1/events/{ev}/registrations", token=self.org_a_tok), 200)["items"]}
        expect(regs[w1["id"]]["status"] == "waitlisted" and regs[w1["id"]]["waitlist_position"] == 1, regs)
        # one change-log row and the participant's mail, as an automatic promotion writes
        rows = db_all(srv, "SELECT kind, json_extract(payload, '$.registration_id') FROM change_log "
                           "WHERE topic = ? ORDER BY seq", (f"event:{ev}",))
        expect(rows[-1] == ("registration.promoted", w2["id"]), rows[-3:])
        mails = db_all(srv, "SELECT o.person_id, r.person_id FROM outbox o JOIN registrations r ON "
                            "r.id = json_extract(o.payload, '$.registration_id') WHERE o.kind = "
                            "'registration.promoted'AND r.event_id = ?", (ev,))
        expect(len(mails) == 1 and mails[0][0] == mails[0][1], f"one mail to the promoted person: {mails}")
        # live followers see the new numbers, without names
        frames = [m for m in answers(ws, 1, 5) if m.get("kind") == "registration.promoted"]
        expect(frames, "a registration.promoted frame")
        c = frames[-1]["counts"]
        expect(c["capacity"] == 2 and c["confirmed"] == 2 and c["waitlisted"] == 1, c)
        expect(c["confirmed_by_sex"] == {"female": 2, "male": 0, "unspecified": 0}, c)
        expect("Participant" not in json.dumps(frames), "numbers, never names")
        # the participant's own page hears of it
        mine = [m for m in answers(me, 1, 5) if m["type"] == "me"]
        expect(mine and mine[-1]["registration"]["status"] == "confirmed", f"the participant sees it: {mine}")
        me.close()
        # again: the same answer, nothing written, no second seat added
        before = self.digest()
        again = expect_status(promote(srv, w2["id"], self.org_a_tok, {"raise_capacity": True}), 200)
        expect(again["status"] == "confirmed" and again["id"] == w2["id"], again)
        expect(self.digest() == before, "promoting again writes nothing")
        ws.close()

    def test_capacity_patch_then_promote(self):
        """A capacity raised by PATCH goes to the first in line (arrival order); promoting that person
        afterwards is the idempotent answer; a second raise then a promotion of the next works."""
        srv = self.srv
        ev, seated, (w1, w2) = self.full_event()
        expect_status(srv.patch(f"/api/v1/events/{ev}", {"capacity": 2}, token=self.org_a_tok), 200)
        before = self.digest()
        j = expect_status(promote(srv, w1["id"], self.org_a_tok), 200)
        expect(j["status"] == "confirmed", j)
        expect(self.digest() == before, "an automatic promotion promoted again: nothing written")
        expect_error(promote(srv, w2["id"], self.org_a_tok), 409, "no_seat_free")
        # a seat freed by someone who leaves goes to the waitlist at once (automatic promotion): the
        # manual one then answers as already promoted
        expect_status(srv.post(f"/api/v1/registrations/{seated['id']}/cancel", token=self.org_a_tok), 200)
        expect(expect_status(promote(srv, w2["id"], self.org_a_tok), 200)["status"] == "confirmed", "w2")
        n = db_one(srv, "SELECT count(*) FROM registrations WHERE event_id = ? AND status = 'confirmed'", (ev,))[0]
        expect(n == 2, f"confirmed {n} of capacity 2")

    def test_not_waitlisted(self):
        srv = self.srv
        ev, seated, (w1,) = self.full_event(1)
        appr = add_event(srv, self.org_a, capacity=3, needs_approval=1)
        pending = expect_status(register(srv, appr, person()), 201)["registration"]
        expect(pending["status"] == "pending", pending)
        before = self.digest()
        err = expect_error(promote(srv, seated["id"], self.org_a_tok), 409, "not_waitlisted")
        expect("confirmed" in err["message"], err)
        expect_error(promote(srv, seated["id"], self.org_a_tok, {"raise_capacity": True}), 409, "not_waitlisted")
        expect_error(promote(srv, pending["id"], self.org_a_tok), 409, "not_waitlisted")
        expect(self.digest() == before, "refusals write nothing")
        expect_status(srv.post(f"/api/v1/registrations/{w1['id']}/cancel", token=self.org_a_tok), 200)
        expect_error(promote(srv, w1["id"], self.org_a_tok), 409, "not_waitlisted")

    def test_who_may_promote(self):
        """Admin and the event's organisers; check-in staff and viewers of the organisation are refused (403),
        another organisation's organiser is told what a missing id gets (404), anonymous callers 401; none of
        them changes anything, whatever the body holds."""
        srv = self.srv
        ev, seated, (w1, w2) = self.full_event()
        before = self.digest()
        for tok, status in ((self.viewer_a, 403), (self.checkin_a, 403), (self.org_b_tok, 404), (None, 401)):
            for body in (None, {"raise_capacity": True}, {"nonsense": 1}):
                expect_error(promote(srv, w1["id"], tok, body), status)
        missing = promote(srv, 987654, self.org_b_tok).json["error"]
        hidden = promote(srv, w1["id"], self.org_b_tok).json["error"]
        expect(missing["code"] == hidden["code"] and
               missing["message"].replace("987654", "{id}") == hidden["message"].replace(str(w1["id"]), "{id}"),
               f"another organisation's registration answers as a missing one: {missing} {hidden}")
        expect(self.digest() == before, "refused callers change nothing")
        j = expect_status(promote(srv, w1["id"], self.admin, {"raise_capacity": True}), 200)
        expect(j["status"] == "confirmed", j)

    def test_bad_input(self):
        srv = self.srv
        ev, seated, (w1,) = self.full_event(1)
        before = self.digest()
        url = f"/api/v1/registrations/{w1['id']}/promote"
        for kw, status in [(dict(raw=b'{"raise_capacity":', headers=JS), 400),
                           (dict(raw=b'{"raise_capacity": "\xc3\x28"}', headers=JS), 400),
                           (dict(raw=b'[true]', headers=JS), 400),
                           (dict(body={"raise_capacity": "yes"}), 400),
                           (dict(body={"raise_capacity": 1}), 400),
                           (dict(body={"raise_capacity": True, "capacity": 5}), 400),
                           (dict(body={"unknown": 1}), 400),
                           (dict(raw=b'raise', headers={"Content-Type": "text/plain"}), 415)]:
            expect_error(srv.request("POST", url, token=self.org_a_tok, **kw), status)
        expect(self.digest() == before, "bad input stores nothing")
        expect_status(srv.request("POST", url, token=self.org_a_tok, raw=b"{}", headers=JS), 409)

    def test_race_for_one_seat(self):
        """One seat free (left by another writer of the file: the API fills a freed seat at once) and many
        waiting: twelve promotions of different people and four new registrations race; exactly one takes
        the seat, the others are refused (409 no_seat_free) or wait, and the counters match a recount."""
        srv = self.srv
        ev, seated, waits = self.full_event(12)
        db_exec(srv, "UPDATE events SET capacity = 2 WHERE id = ?", (ev,))
        gate = threading.Barrier(16)

        def go(fn):
            gate.wait()
            for _ in range(40):
                r = fn()
                if r.status != 503:
                    return r
            return r

        fns = [lambda w=w: promote(srv, w["id"], self.org_a_tok) for w in waits]
        fns += [lambda: register(srv, ev, person()) for _ in range(4)]
        with ThreadPoolExecutor(max_workers=16) as pool:
            got = list(pool.map(go, fns))
        promoted = [r for r in got[:12] if r.status == 200]
        refused = [r for r in got[:12] if r.status == 409]
        seated_new = [r for r in got[12:] if r.status == 201 and r.json["registration"]["status"] == "confirmed"]
        expect(len(promoted) + len(seated_new) == 1, f"exactly one takes the seat: {got}")
        expect(len(refused) == 12 - len(promoted), f"the others are refused: {[r.status for r in got]}")
        expect(all(r.json["error"]["code"] == "no_seat_free" for r in refused), "refused as no_seat_free")
        n = db_one(srv, "SELECT count(*) FROM registrations WHERE event_id = ? AND status = 'confirmed'", (ev,))[0]
        expect(n == 2, f"{n} confirmed for 2 seats")
        kept = db_all(srv, "SELECT status, sum(n) FROM registration_counts WHERE event_id = ? AND status IN "
                      "('confirmed', 'waitlisted', 'pending') GROUP BY status",
                      (ev,))
        recount = db_all(srv, "SELECT status, count(*) FROM registrations WHERE event_id = ? AND status IN "
                              "('confirmed', 'waitlisted', 'pending') GROUP BY status", (ev,))
        expect(sorted((s, n) for s, n in kept if n) == sorted(recount), f"counters {kept} = recount {recount}")


if __name__ == "__main__":
    with Server() as s:
        T(s).run()
