"""Live updates v2 ("majlis-live.v2", docs/live.md), who may go on following what: session topics checked
again with their event (refused as event topics are), an organisation's topic covering the events it is a
partner of (as the HTTP API shows them), a participant's stream closed once its personal link is replaced
or its person erased, a participant told of its new waitlist position, the ping and the idle limit (a
silent peer dropped, a pinging one kept), and the refusals of docs/live.md that other tests leave out."""

import json
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, db_rows, expect, expect_status, wait_until  # noqa: E402
from live_v2 import V2, answers, drain, refused_status, ws2  # noqa: E402
from reg_fixtures import add_event, add_org, person, register  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402
from ws import WebSocket  # noqa: E402








class T(Checks):
    def test_session_topics_are_checked_again_with_their_event(self):
        """An event made internal: a viewer of another organisation following it and one of its sessions
        gets both refused (not_found) and nothing more of them; the owner's member goes on."""
        with Server() as srv:
            a, b = add_org(srv, "Org A"), add_org(srv, "Org B")
            org_a, viewer_b, viewer_a = srv.token("organiser", a), srv.token("viewer", b), srv.token("viewer", a)
            ev = add_event(srv, a, visibility="public")
            sid = db_rows(srv.db, "SELECT id FROM sessions WHERE event_id = ?", (ev,))[0][0]
            topics = f"/live?topic=event:{ev}&topic=session:{sid}"
            outsider, member = ws2(srv, topics, viewer_b), ws2(srv, topics, viewer_a)
            for w in (outsider, member):
                got = answers(w, 2)
                expect([m["type"] for m in got] == ["subscribed", "subscribed"], f"both followed: {got}")
            expect_status(srv.patch(f"/api/v1/events/{ev}", token=org_a, body={"visibility": "internal"}), 200)
            expect(srv.get(f"/api/v1/sessions/{sid}", token=viewer_b).status == 404, "HTTP: the session is gone")
            _, got = drain(outsider)
            refused = {m["topic"]: m.get("code") for m in got if m["type"] == "refused"}
            expect(refused == {f"event:{ev}": "not_found", f"session:{sid}": "not_found"},
                   f"both topics refused like topics that do not exist: {got}")
            expect(not [m for m in got if m["type"] == "change"], f"not even the change that hid it: {got}")
            reg = expect_status(srv.post(f"/api/v1/events/{ev}/registrations", token=org_a, body=person()), 201)
            rid = reg["registration"]["id"]
            expect_status(srv.post(f"/api/v1/sessions/{sid}/attendance", token=org_a,
                                   body={"registration_id": rid, "status": "present"}), 201)
            _, got = drain(outsider)
            expect(got == [], f"nothing more of the event or its session: {got}")
            _, got = drain(member)
            kinds = [(m["topic"], m["kind"]) for m in got if m["type"] == "change"]
            expect(("event:" + str(ev), "attendance.recorded") in kinds and len(kinds) == 3,
                   f"the owner's member goes on: {kinds}")
            # subscribing again is refused as well
            outsider.send_text(json.dumps({"type": "subscribe", "topics": [f"session:{sid}"]}))
            got = answers(outsider, 1)
            expect(got == [{"type": "refused", "topic": f"session:{sid}", "code": "not_found"}], f"{got}")
            for w in (outsider, member):
                w.close()

    def test_org_topic_covers_the_events_it_is_a_partner_of(self):
        """org:{id} carries the changes of the events the organisation is a partner of (any visibility, as
        GET /api/v1/events/{id} shows them to its members), not those of other organisations' events."""
        with Server() as srv:
            admin = srv.token("admin")
            a, c, d = add_org(srv, "Owner"), add_org(srv, "Partner"), add_org(srv, "Stranger")
            org_a, org_c, org_d = (srv.token("organiser", o) for o in (a, c, d))
            ev = add_event(srv, a, visibility="internal")
            other = add_event(srv, a, visibility="internal")
            partner, stranger = ws2(srv, f"/live?topic=org:{c}", org_c), ws2(srv, f"/live?topic=org:{d}", org_d)
            by_admin = ws2(srv, f"/live?topic=org:{c}", admin)
            for w in (partner, stranger, by_admin):
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
            expect_status(srv.patch(f"/api/v1/events/{ev}", token=org_a, body={"partner_org_ids": [c]}), 200)
            expect_status(srv.get(f"/api/v1/events/{ev}", token=org_c), 200)
            expect(srv.get(f"/api/v1/events/{other}", token=org_c).status == 404, "not a partner of the other")
            expect_status(srv.post(f"/api/v1/events/{ev}/registrations", token=org_a, body=person()), 201)
            expect_status(srv.post(f"/api/v1/events/{other}/registrations", token=org_a, body=person()), 201)
            for who, w in (("partner", partner), ("admin", by_admin)):
                _, got = drain(w)
                seen = [(m["topic"], m["kind"]) for m in got if m["type"] == "change"]
                expect(seen == [(f"event:{ev}", "event.updated"), (f"event:{ev}", "registration.created")],
                       f"{who}: the partner's event, not the other: {seen}")
                expect(all("counts" in m for m in got if m["type"] == "change"), f"with its numbers: {got}")
            _, got = drain(stranger)
            expect(got == [], f"an organisation that is no partner sees none: {got}")
            # no longer a partner: its changes stop
            expect_status(srv.patch(f"/api/v1/events/{ev}", token=org_a, body={"partner_org_ids": []}), 200)
            drain(partner)
            expect_status(srv.post(f"/api/v1/events/{ev}/registrations", token=org_a, body=person()), 201)
            _, got = drain(partner)
            expect(got == [], f"no longer a partner: {got}")
            for w in (partner, stranger, by_admin):
                w.close()

    def test_waitlist_positions_reach_each_participant(self):
        """Three participants wait; the first confirmed one cancels: the first waiting is promoted and the
        others move up, each told its own new status and position, once."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            ev = add_event(srv, a, capacity=1)
            regs = [expect_status(register(srv, ev, person()), 201) for _ in range(4)]
            expect([r["registration"]["status"] for r in regs] == ["confirmed"] + ["waitlisted"] * 3, "seats")
            mes = [WebSocket(srv.port, f"/live?token={r['token']}&topic=me", protocol=V2) for r in regs[1:]]
            for w in mes:
                expect(answers(w, 1)[0]["type"] == "subscribed", "me subscribed")
            expect_status(srv.post(f"/api/v1/r/{regs[0]['token']}/cancel"), 200)
            want = [("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]
            for r, w, (status, pos) in zip(regs[1:], mes, want):
                _, got = drain(w)
                mine = [m["registration"] for m in got if m["type"] == "me"]
                expect(mine and mine[-1] == {"id": r["registration"]["id"], "event_id": ev, "status": status,
                                             "waitlist_position": pos}, f"{status} {pos}: {got}")
                expect(len(mine) == 1, f"told once: {mine}")
                http = expect_status(srv.get(f"/api/v1/r/{r['token']}"), 200)
                expect((http["status"], http["waitlist_position"]) == (status, pos), f"as the HTTP API says: {http}")
            for w in mes:
                w.close()

    def test_pings_keep_a_live_peer_and_drop_a_silent_one(self):
        """With the ping every second and the idle limit at 2 s (test hooks): a peer that answers no ping
        is closed with 1001; one that answers stays and gets the next change."""
        srv = Server()
        srv.env["MAJLIS_TEST_LIVE_PING_S"] = "1"
        srv.env["MAJLIS_TEST_LIVE_IDLE_S"] = "2"
        with srv:
            admin = srv.token("admin")
            a = add_org(srv, "Org A")
            ev = add_event(srv, a)
            silent, pinging = ws2(srv, f"/live?topic=event:{ev}", admin), ws2(srv, f"/live?topic=event:{ev}", admin)
            expect(answers(pinging, 1)[0]["type"] == "subscribed", "subscribed")
            deadline = time.time() + 6
            while time.time() < deadline:
                pinging.recv_text(0.2)  # answers each ping
            silent.send_frame = lambda *a, **k: None  # reads what came, still answering nothing
            code, _ = drain(silent, 3)
            expect(code == 1001, f"the silent peer was closed with 1001: {code}")
            expect_status(register(srv, ev, person()), 201)
            code, got = drain(pinging, 2)
            expect(code is None and [m["kind"] for m in got if m["type"] == "change"] == ["registration.created"],
                   f"the pinging peer stays and follows on: {code} {got}")
            pinging.close()
            silent.close()

    def test_handshake_refusals_expired_and_busy(self):
        """The handshake refusals of docs/live.md not covered elsewhere: an ended session answers 401
        session_expired, a busy database 503 unavailable (retry), with no 101."""
        with Server(extra_args=["--session-idle", "2"]) as srv:
            admin = srv.token("admin")
            a = add_org(srv, "Org A")
            expect_status(srv.post("/api/v1/accounts", token=admin, body={
                "email": "idle@example.org", "display_name": "Idle", "password": "correct horse battery",
                "role": "viewer", "org_id": a}), 201)
            r = srv.post("/api/v1/auth/login", body={"email": "idle@example.org", "password": "correct horse battery"})
            expect(r.status == 200, "login", r)
            cookie = {"Cookie": r.headers["set-cookie"].split(";")[0], "Origin": f"http://127.0.0.1:{srv.port}"}
            ws2(srv, "/live", headers=cookie).close()
            time.sleep(3.5)
            expect(refused_status(srv, "/live", cookie) == (401, "session_expired"), "an ended session")
            r = srv.post("/api/v1/auth/login", body={"email": "idle@example.org", "password": "correct horse battery"})
            cookie["Cookie"] = r.headers["set-cookie"].split(";")[0]
            lock = sqlite3.connect(srv.db, timeout=1, isolation_level=None, check_same_thread=False)
            lock.execute("BEGIN IMMEDIATE")  # a session's use is written: it waits for the lock, briefly
            try:
                got = refused_status(srv, "/live", cookie)
            finally:
                lock.execute("ROLLBACK")
                lock.close()
            expect(got == (503, "unavailable"), f"a busy database: {got}")
            ws2(srv, "/live", headers=cookie).close()

    def test_every_refusal(self):
        """The answers of docs/live.md not covered elsewhere: too_many_topics, a malformed message, an
        unsubscribe, "me" asked with an account; a topic malformed in a message is refused alone."""
        with Server() as srv:
            admin = srv.token("admin")
            a = add_org(srv, "Org A")
            events = [add_event(srv, a, session_in=None) for _ in range(17)]
            ws = ws2(srv, "/live", admin)
            ws.send_text(json.dumps({"type": "subscribe", "topics": [f"event:{e}" for e in events[:16]]}))
            expect(all(m["type"] == "subscribed" for m in answers(ws, 16)), "16 topics")
            ws.send_text(json.dumps({"type": "subscribe", "topics": [f"event:{events[16]}", f"event:{events[0]}",
                                                                      "me", "event:0"]}))
            got = answers(ws, 4)
            expect(got == [{"type": "refused", "topic": f"event:{events[16]}", "code": "too_many_topics"},
                           {"type": "subscribed", "topic": f"event:{events[0]}"},
                           {"type": "refused", "topic": "me", "code": "not_found"},
                           {"type": "refused", "topic": "event:0", "code": "bad_request"}], f"{got}")
            ws.send_text(json.dumps({"type": "unsubscribe", "topics": [f"event:{events[0]}"]}))
            expect(answers(ws, 1) == [{"type": "unsubscribed", "topic": f"event:{events[0]}"}], "unsubscribed")
            ws.send_text(json.dumps({"type": "subscribe", "topics": [f"event:{events[16]}"]}))
            expect(answers(ws, 1) == [{"type": "subscribed", "topic": f"event:{events[16]}"}], "room again")
            for bad in ('{"type":"hello"}', "[1]", '{"type":"subscribe","topics":"event:1"}',
                        '{"type":"resume","since":-1}', json.dumps({"type": "subscribe",
                                                                    "topics": ["event:1"] * 17})):
                ws.send_text(bad)
                got = answers(ws, 1)
                expect(len(got) == 1 and got[0]["type"] == "error" and got[0]["code"] == "bad_request"
                       and got[0]["message"], f"{bad}: {got}")
            ws.close()

    def test_a_participant_stream_ends_with_its_link(self):
        """A participant's stream is closed with 4001 once its link is replaced (a new link sent by an
        organiser, or mailed when it registers again) or its person erased, as the old link stops working
        over HTTP; another participant's stream goes on."""
        sink = SmtpSink()
        with Server(extra_args=["--smtp-url", sink.url, "--mail-from", "noreply@majlis.example.org"]) as srv:
            self._link_ends(srv, sink)

    @staticmethod
    def _link_ends(srv, sink):
        def mails_to(address):
            return [m for _, r, m, _ in sink.messages if r == [f"<{address}>"]]

        a = add_org(srv, "Org A")
        org_a = srv.token("organiser", a)
        ev = add_event(srv, a, capacity=10)
        bodies = [person() for _ in range(4)]
        regs = [expect_status(register(srv, ev, b), 201) for b in bodies]
        for b in bodies:
            wait_until(lambda: mails_to(b["email"]), what="the confirmation mail")
        streams = [WebSocket(srv.port, f"/live?token={r['token']}&topic=me", protocol=V2) for r in regs]
        for w in streams:
            expect(answers(w, 1)[0]["type"] == "subscribed", "me subscribed")

        def ended(i, what):
            code, got = drain(streams[i], 3)
            expect(code == 4001, f"{what}: closed with 4001, got {code} {got}")
            expect(srv.get(f"/api/v1/r/{regs[i]['token']}").status == 404, f"{what}: the old link is gone too")

        rid = regs[0]["registration"]["id"]
        expect_status(srv.post(f"/api/v1/registrations/{rid}/send-link", token=org_a), 200)
        wait_until(lambda: len(mails_to(bodies[0]["email"])) >= 2, what="the new link mailed")
        ended(0, "a new link sent")
        expect_status(register(srv, ev, bodies[1]), 200)
        wait_until(lambda: len(mails_to(bodies[1]["email"])) >= 2, what="the link mailed again")
        ended(1, "registered again")
        pid = db_rows(srv.db, "SELECT person_id FROM registrations WHERE id = ?",
                      (regs[2]["registration"]["id"],))[0][0]
        expect_status(srv.post(f"/api/v1/people/{pid}/erase", token=org_a), 200)
        ended(2, "person erased")
        expect_status(srv.get(f"/api/v1/r/{regs[3]['token']}"), 200)
        expect_status(srv.post(f"/api/v1/r/{regs[3]['token']}/cancel"), 200)
        code, got = drain(streams[3], 2)
        expect(code is None and [m["registration"]["status"] for m in got if m["type"] == "me"] == ["cancelled"],
               f"the other participant follows on: {code} {got}")
        for w in streams:
            w.close()


if __name__ == "__main__":
    T().run()
