"""Live updates v2, a participant following "me" (docs/live.md): told when its registration changes for a
reason of its own event, not only its own registration's: the event cancelled (every live registration
cancelled with it), postponed or brought back, a session moved, added or removed, the registration
cancelled by an organiser (and the next in line promoted), its own check-in; nothing for a change it
would not notice (a capacity raise that promotes nobody, someone else's check-in, another event's
changes); and after a gap, a stream reopened with
since= (or a resume message) tells what was missed."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, db_rows, expect, expect_status  # noqa: E402
from live_v2 import V2, answers, drain  # noqa: E402
from reg_fixtures import add_event, add_org, person, register  # noqa: E402
from ws import WebSocket  # noqa: E402


def follow_me(srv, token, since=None):
    """A stream following me with a participant's token, its subscription answered."""
    path = f"/live?token={token}&topic=me" + (f"&since={since}" if since is not None else "")
    ws = WebSocket(srv.port, path, protocol=V2)
    got = answers(ws, 1)
    expect(got == [{"type": "subscribed", "topic": "me"}], f"me subscribed: {got}")
    return ws


def mine(ws, timeout=1.5):
    """The me messages that came within timeout (the stream must stay open)."""
    code, got = drain(ws, timeout)
    expect(code is None, f"the stream stays open: {code} {got}")
    expect(all(m["type"] == "me" for m in got), f"only me messages: {got}")
    return got


def http_view(srv, token):
    return expect_status(srv.get(f"/api/v1/r/{token}"), 200)


class T(Checks):
    def test_event_cancelled_reaches_me(self):
        """The organiser cancels the event: each participant following me is told at once, with its
        registration cancelled (a confirmed and a waitlisted one) or kept (one that had declined), and the
        event's status, as the personal page over HTTP then shows; another event's participant hears
        nothing."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev, other = add_event(srv, a, capacity=1), add_event(srv, a, capacity=5)
            regs = [expect_status(register(srv, ev, person()), 201) for _ in range(3)]
            expect([r["registration"]["status"] for r in regs] == ["confirmed", "waitlisted", "waitlisted"],
                   "a seat, then the waitlist")
            expect_status(srv.post(f"/api/v1/r/{regs[2]['token']}/decline"), 200)
            elsewhere = expect_status(register(srv, other, person()), 201)
            streams = [follow_me(srv, r["token"]) for r in regs + [elsewhere]]
            expect_status(srv.post(f"/api/v1/events/{ev}/cancel", token=org_a), 200)
            cut = db_rows(srv.db, "SELECT max(seq) FROM change_log WHERE kind = 'event.cancelled'")[0][0]
            for r, w, status in zip(regs, streams, ("cancelled", "cancelled", "declined")):
                got = mine(w)
                expect(len(got) == 1, f"{status}: told once: {got}")
                m = got[0]
                expect(m["seq"] == cut and m["kind"] == "event.cancelled", f"the cancellation's seq and kind: {m}")
                expect(m["registration"] == {"id": r["registration"]["id"], "event_id": ev, "status": status,
                                             "waitlist_position": None}, f"its registration: {m}")
                expect(m["event"] == {"id": ev, "status": "cancelled", "sequence": m["event"]["sequence"]}
                       and m["event"]["sequence"] >= 1, f"the event is cancelled: {m}")
                view = http_view(srv, r["token"])
                expect(view["status"] == status and view["event"]["status"] == "cancelled",
                       f"as the HTTP API says: {view['status']} {view['event']['status']}")
            expect(mine(streams[3]) == [], "a participant of another event hears nothing")
            for w in streams:
                w.close()

    def test_postponed_and_rescheduled_reach_me(self):
        """The event postponed, then scheduled again; its session moved; a session added and removed: the
        participant is told of each, once, with the event's status (the page reloads its sessions); a
        capacity raise that moves nobody tells it nothing."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=5)
            sid = db_rows(srv.db, "SELECT id FROM sessions WHERE event_id = ?", (ev,))[0][0]
            reg = expect_status(register(srv, ev, person()), 201)
            rid = reg["registration"]["id"]
            ws = follow_me(srv, reg["token"])
            want_reg = {"id": rid, "event_id": ev, "status": "confirmed", "waitlist_position": None}

            def told(kind, status, what):
                got = mine(ws)
                expect(len(got) == 1 and got[0]["kind"] == kind and got[0]["registration"] == want_reg
                       and got[0]["event"]["status"] == status, f"{what}: told once ({kind}, {status}): {got}")
                return got[0]

            expect_status(srv.patch(f"/api/v1/events/{ev}", token=org_a, body={"status": "postponed"}), 200)
            first = told("event.updated", "postponed", "postponed")
            expect(http_view(srv, reg["token"])["event"]["status"] == "postponed", "HTTP: postponed")
            expect_status(srv.patch(f"/api/v1/events/{ev}", token=org_a, body={"capacity": 9}), 200)
            expect(mine(ws) == [], "a capacity raise that promotes nobody: nothing")
            expect_status(srv.patch(f"/api/v1/events/{ev}", token=org_a, body={"status": "scheduled"}), 200)
            again = told("event.updated", "scheduled", "scheduled again")
            expect(again["event"]["sequence"] > first["event"]["sequence"] and again["seq"] > first["seq"],
                   f"the event's sequence and the seq move on: {first} {again}")
            expect_status(srv.patch(f"/api/v1/sessions/{sid}", token=org_a,
                                    body={"starts_local": "2030-03-04T09:00", "ends_local": "2030-03-04T12:00"}), 200)
            m = told("session.updated", "scheduled", "its session moved")
            expect(m["session_id"] == sid, f"names the session: {m}")
            expect(http_view(srv, reg["token"])["sessions"][0]["starts_local"] == "2030-03-04T09:00:00",
                   "HTTP: the new time")
            added = expect_status(srv.post(f"/api/v1/events/{ev}/sessions", token=org_a, body={
                "starts_local": "2030-03-11T09:00", "ends_local": "2030-03-11T12:00"}), 201)
            expect(told("session.created", "scheduled", "a session added")["session_id"] == added["id"], "added")
            expect_status(srv.delete(f"/api/v1/sessions/{added['id']}", token=org_a), 204)
            expect(told("session.deleted", "scheduled", "a session removed")["session_id"] == added["id"],
                   "removed")
            ws.close()

    def test_organiser_cancel_reaches_me(self):
        """An organiser cancels a confirmed registration: its participant is told it is cancelled, the
        first waiting one that it has the seat, the second its new place in line; each once."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=1)
            regs = [expect_status(register(srv, ev, person()), 201) for _ in range(3)]
            streams = [follow_me(srv, r["token"]) for r in regs]
            rid = regs[0]["registration"]["id"]
            expect_status(srv.post(f"/api/v1/registrations/{rid}/cancel", token=org_a), 200)
            for r, w, (status, pos) in zip(regs, streams, (("cancelled", None), ("confirmed", None),
                                                           ("waitlisted", 1))):
                got = mine(w)
                expect(len(got) == 1 and got[0]["registration"] == {
                    "id": r["registration"]["id"], "event_id": ev, "status": status, "waitlist_position": pos},
                    f"{status} {pos}: told once: {got}")
                expect(got[0]["kind"].startswith("registration.") and got[0]["event"]["status"] == "scheduled",
                       f"the change's kind, the event's status: {got}")
                view = http_view(srv, r["token"])
                expect((view["status"], view["waitlist_position"]) == (status, pos), f"as HTTP says: {view}")
            for w in streams:
                w.close()

    def test_own_check_in_reaches_me(self):
        """Checked in at the door: the participant is told (its ticket page can say so), with the session;
        someone else's check-in tells it nothing."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=5)
            sid = db_rows(srv.db, "SELECT id FROM sessions WHERE event_id = ?", (ev,))[0][0]
            mine_reg, other = (expect_status(register(srv, ev, person()), 201) for _ in range(2))
            ws = follow_me(srv, mine_reg["token"])
            expect_status(srv.post(f"/api/v1/sessions/{sid}/attendance", token=org_a, body={
                "registration_id": other["registration"]["id"], "status": "present"}), 201)
            expect(mine(ws) == [], "someone else's check-in: nothing")
            expect_status(srv.post(f"/api/v1/sessions/{sid}/attendance", token=org_a, body={
                "registration_id": mine_reg["registration"]["id"], "status": "present"}), 201)
            got = mine(ws)
            expect(len(got) == 1 and got[0]["kind"] == "attendance.recorded" and got[0]["session_id"] == sid
                   and got[0]["registration"]["status"] == "confirmed", f"its own check-in: {got}")
            att = http_view(srv, mine_reg["token"])["attendance"]
            expect([(x["session_id"], x["status"]) for x in att] == [(sid, "present")], f"as HTTP says: {att}")
            ws.close()

    def test_me_replay_after_a_gap(self):
        """A participant's page loses its connection; meanwhile it is promoted, then the event is
        postponed. Reopened with since= the last seq it saw (as web/live.js does), it is told where it
        stands now (a seat, the event postponed), once; a resume message from that seq tells it again. A
        stream opened without since= (the page just loaded its snapshot) is told nothing of the past."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=1)
            first, second = (expect_status(register(srv, ev, person()), 201) for _ in range(2))
            ws = follow_me(srv, second["token"])
            third = expect_status(register(srv, ev, person()), 201)
            got = mine(ws)
            expect(got == [], f"someone behind it: nothing to tell: {got}")
            expect_status(srv.post(f"/api/v1/r/{third['token']}/cancel"), 200)
            got = mine(ws)
            expect(got == [], f"someone behind it leaves: nothing to tell: {got}")
            seen = db_rows(srv.db, "SELECT max(seq) FROM change_log")[0][0]
            ws.close()
            expect_status(srv.post(f"/api/v1/r/{first['token']}/cancel"), 200)
            expect_status(srv.patch(f"/api/v1/events/{ev}", token=org_a, body={"status": "postponed"}), 200)
            back = follow_me(srv, second["token"], since=seen)
            got = mine(back)
            expect([(m["registration"]["status"], m["event"]["status"]) for m in got] == [("confirmed", "postponed")],
                   f"told once where it stands now: a seat, the event postponed: {got}")
            expect(got[0]["seq"] > seen, f"after since: {got}")
            back.send_text(json.dumps({"type": "resume", "since": seen}))
            code, again = drain(back)
            expect(code is None and again[:1] == [{"type": "resumed", "since": seen}] and again[1:] == got,
                   f"a resume message tells them again: {again}")
            back.close()
            fresh = follow_me(srv, second["token"])
            expect(mine(fresh) == [], "a stream without since=: nothing of the past")
            fresh.close()


if __name__ == "__main__":
    T().run()
