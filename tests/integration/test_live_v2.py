"""Live updates v2 ("majlis-live.v2", docs/live.md): topics accepted or refused by the HTTP API's visibility
rules for each role and for a participant's token, counts in frames equal to the HTTP API's, replay after a
gap, resync when the change log no longer holds what is needed, batches that keep order and lose nothing,
and a client that never reads while others are served."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from harness import Checks, Server, db_rows, db_write, expect, expect_status  # noqa: E402
from reg_fixtures import add_event, add_org, person, register  # noqa: E402
from live_v2 import V2, answers, refused_status, ws2  # noqa: E402
from ws import WebSocket  # noqa: E402




def recv_all(ws, timeout=2):
    """Every message until timeout: a flat list (an array message is taken apart), and the raw count."""
    out, raw = [], 0
    while True:
        m = ws.recv_text(timeout)
        if m is None:
            return out, raw
        raw += 1
        j = json.loads(m)
        out += j if isinstance(j, list) else [j]




def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class T(Checks):
    def test_topics_by_role_and_participant(self):
        with Server() as srv:
            admin = srv.token("admin")
            a, b = add_org(srv, "Org A"), add_org(srv, "Org B")
            org_a, org_b = srv.token("organiser", a), srv.token("organiser", b)
            viewer_b = srv.token("viewer", b)
            public = add_event(srv, a, visibility="public")
            internal = add_event(srv, a, visibility="internal")
            reg = expect_status(register(srv, public, person()), 201)
            cases = [
                (admin, [f"event:{public}", f"event:{internal}", f"org:{a}", f"org:{b}"], ["event:999999", "me"]),
                (org_a, [f"event:{public}", f"event:{internal}", f"org:{a}"], [f"org:{b}", "me", "event:999999"]),
                (org_b, [f"event:{public}", f"org:{b}"], [f"event:{internal}", f"org:{a}", "event:999999"]),
                (viewer_b, [f"event:{public}"], [f"event:{internal}", f"org:{a}"]),
            ]
            for token, ok, no in cases:
                q = "&".join("topic=" + t for t in ok + no)
                ws = ws2(srv, "/live?" + q, token)
                got = {m["topic"]: m for m in answers(ws, len(ok) + len(no))}
                for t in ok:
                    expect(got.get(t, {}).get("type") == "subscribed", f"{t} accepted: {got}")
                for t in no:
                    expect(got.get(t) == {"type": "refused", "topic": t, "code": "not_found"},
                           f"{t} refused like a topic that does not exist: {got.get(t)}")
                ws.close()
            # the same by message
            ws = ws2(srv, "/live", org_b)
            ws.send_text(json.dumps({"type": "subscribe", "topics": [f"event:{internal}", f"event:{public}",
                                                                      "bogus"]}))
            got = answers(ws, 3)
            expect([(m["type"], m.get("code")) for m in got] ==
                   [("refused", "not_found"), ("subscribed", None), ("refused", "bad_request")],
                   f"subscribe message answered per topic: {got}")
            ws.close()
            # a participant's token follows only its own registration
            tok = reg["token"]
            for path, hdr in ((f"/live?token={tok}&topic=me&topic=event:{public}", {}),
                              ("/live?topic=me&topic=event:" + str(public), {"Authorization": "Participant " + tok})):
                ws = WebSocket(srv.port, path, protocol=V2, headers=hdr)
                got = answers(ws, 2)
                expect([m["type"] for m in got] == ["subscribed", "refused"] and got[1]["code"] == "not_found",
                       f"participant: me only: {got}")
                ws.close()
            # handshake refusals carry their status
            expect(refused_status(srv, f"/live?token={tok}", {}, protocol="majlis-live")[0] == 400, "v1 + token")
            expect(refused_status(srv, "/live?token=nope", {}) == (401, "invalid_token"), "bad participant token")
            expect(refused_status(srv, "/live?topic=event:x", {"Authorization": "Bearer " + admin})[0] == 400,
                   "malformed topic in the URL")
            expect(refused_status(srv, "/live", {})[0] == 401, "no credentials")

    def test_counts_replay_resume_and_me(self):
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=1)
            ws = ws2(srv, f"/live?topic=event:{ev}", org_a)
            expect(answers(ws, 1)[0]["type"] == "subscribed", "subscribed")
            first = expect_status(register(srv, ev, person(sex="female")), 201)
            second = expect_status(register(srv, ev, person(sex="male")), 201)
            expect(second["registration"]["status"] == "waitlisted", "second waits")
            me = WebSocket(srv.port, f"/live?token={second['token']}&topic=me", protocol=V2)
            expect(answers(me, 1)[0]["type"] == "subscribed", "me subscribed")
            changes = answers(ws, 2)
            expect([m["kind"] for m in changes] == ["registration.created", "registration.created"],
                   f"two changes: {changes}")
            expect(all(m["type"] == "change" and m["seq"] > 0 for m in changes), "typed, with seq")
            http = expect_status(srv.get(f"/api/v1/events/{ev}", token=org_a), 200)["counts"]
            last = changes[-1]["counts"]
            for k in ("capacity", "confirmed", "pending", "waitlisted"):
                expect(last[k] == http[k], f"{k}: frame {last[k]} = HTTP {http[k]}")
            expect(last["confirmed_by_sex"] == {"female": 1, "male": 0, "unspecified": 0}, f"by sex {last}")
            expect("Participant" not in json.dumps(changes), "numbers, never names")
            # the first cancels: the second is promoted, and its participant is told
            expect_status(srv.post(f"/api/v1/r/{first['token']}/cancel"), 200)
            mine = [m for m in answers(me, 1, 5) if m["type"] == "me"]
            expect(mine and mine[-1]["registration"]["status"] == "confirmed"
                   and mine[-1]["registration"]["id"] == second["registration"]["id"],
                   f"the participant sees its own promotion: {mine}")
            after = answers(ws, 2)
            expect(after[-1]["counts"]["confirmed"] == 1 and after[-1]["counts"]["waitlisted"] == 0,
                   f"counts after the promotion: {after}")
            # replay after a gap, in the URL and by a resume message
            since = changes[0]["seq"]
            r = ws2(srv, f"/live?since={since}&topic=event:{ev}", org_a)
            got, _ = recv_all(r, 1.5)
            seqs = [m["seq"] for m in got if m["type"] == "change"]
            expect(seqs == sorted(seqs) and seqs[0] == changes[1]["seq"] and len(seqs) == 1 + len(after),
                   f"replayed in order: {seqs}")
            r.send_text(json.dumps({"type": "resume", "since": since}))
            got, _ = recv_all(r, 1.5)
            expect([m["seq"] for m in got if m["type"] == "change"] == seqs, f"resume replays again: {got}")
            r.close()
            for w in (ws, me):
                w.close()

    def test_counts_after_a_burst(self):
        """After a burst of concurrent registrations, cancellations (and the promotions they cause) and
        check-ins, the numbers in the last frame equal the HTTP API's and a full recount of the rows."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=10)
            sid = db_rows(srv.db, "SELECT id FROM sessions WHERE event_id = ?", (ev,))[0][0]
            ws = ws2(srv, f"/live?topic=event:{ev}", org_a)
            expect(answers(ws, 1)[0]["type"] == "subscribed", "subscribed")
            sexes = ["female", "male", "unspecified"]
            with ThreadPoolExecutor(8) as pool:
                regs = list(pool.map(lambda i: expect_status(register(srv, ev, person(sex=sexes[i % 3])), 201),
                                     range(24)))
                confirmed = [r for r in regs if r["registration"]["status"] == "confirmed"]
                list(pool.map(lambda r: expect_status(srv.post(f"/api/v1/r/{r['token']}/cancel"), 200),
                              confirmed[:4]))
                now_confirmed = [row[0] for row in db_rows(
                    srv.db, "SELECT id FROM registrations WHERE event_id = ? AND status = 'confirmed'", (ev,))]
                list(pool.map(lambda rid: expect_status(srv.post(f"/api/v1/sessions/{sid}/attendance", token=org_a,
                                                                 body={"registration_id": rid,
                                                                       "status": "present"}), 201),
                              now_confirmed[:5]))
            time.sleep(1.5)
            got, _ = recv_all(ws, 2)
            changes = [m for m in got if m["type"] == "change"]
            seqs = [m["seq"] for m in changes]
            expect(seqs == sorted(set(seqs)) and len(seqs) >= 24 + 4 + 4 + 5, f"every change once, in order: {seqs}")
            last = changes[-1]["counts"]
            http = expect_status(srv.get(f"/api/v1/events/{ev}", token=org_a), 200)["counts"]
            for k in ("capacity", "confirmed", "pending", "waitlisted"):
                expect(last[k] == http[k], f"{k}: frame {last[k]}, HTTP {http[k]}")
            recount = dict(db_rows(srv.db, "SELECT status, count(*) FROM registrations WHERE event_id = ? "
                                            "GROUP BY status", (ev,)))
            expect(last["confirmed"] == recount.get("confirmed", 0) == 10
                   and last["waitlisted"] == recount.get("waitlisted", 0) == 10, f"recount {recount} {last}")
            by_sex = dict(db_rows(srv.db, "SELECT p.sex, count(*) FROM registrations r JOIN people p ON "
                                          "p.id = r.person_id WHERE r.event_id = ? AND r.status = 'confirmed' "
                                          "GROUP BY p.sex", (ev,)))
            expect(last["confirmed_by_sex"] == {s: by_sex.get(s, 0) for s in sexes}, f"by sex {by_sex} {last}")
            present = db_rows(srv.db, "SELECT count(*) FROM attendance WHERE session_id = ? AND status = 'present'",
                              (sid,))[0][0]
            expect(last["sessions"] == [dict(last["sessions"][0], id=sid, present=present)] and present == 5,
                   f"presence {present} {last['sessions']}")
            expect(sum(last["sessions"][0]["present_by_sex"].values()) == 5, f"{last['sessions']}")
            ws.close()

    def test_resync_and_batches(self):
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=100)
            for _ in range(3):
                expect_status(register(srv, ev, person()), 201)
            # the change log no longer holds what the client needs: resync, then it carries on
            db_write(srv.db, "DELETE FROM change_log WHERE seq <= 2")
            ws = ws2(srv, f"/live?since=1&topic=event:{ev}", org_a)
            got = answers(ws, 2)
            rs = [m for m in got if m["type"] == "resync"]
            expect(rs and rs[0]["seq"] >= 3, f"resync with the seq to carry on from: {got}")
            expect_status(register(srv, ev, person()), 201)
            nxt = [m for m in answers(ws, 1) if m["type"] == "change"]
            expect(nxt and nxt[0]["seq"] > rs[0]["seq"], f"carries on after resync: {nxt}")
            # a client that is told nothing but keeps its socket gets every change once, in order
            late = ws2(srv, f"/live?topic=event:{ev}", org_a)
            expect(answers(late, 1)[0]["type"] == "subscribed", "subscribed")
            head = nxt[0]["seq"]
            n = 40
            for _ in range(n):
                expect_status(register(srv, ev, person()), 201)
            time.sleep(1.5)
            got, raw = recv_all(late, 2)
            seqs = [m["seq"] for m in got]
            expect(seqs == list(range(head + 1, head + 1 + n)), f"every change once, in order: {seqs}")
            # several changes waiting for one client go out together, in order
            again = ws2(srv, f"/live?since={head}&topic=event:{ev}", org_a)
            got, raw = recv_all(again, 2)
            seqs = [m["seq"] for m in got if m["type"] == "change"]
            expect(seqs == list(range(head + 1, head + 1 + n)), f"a batch loses nothing: {seqs}")
            expect(raw < n, f"several changes per message when they waited: {raw} messages for {n}")
            for w in (ws, late, again):
                w.close()

    def test_fan_out_in_slices(self):
        """More clients than one slice of the fan-out (256 per loop turn): every one gets the change."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=10)
            clients = [ws2(srv, f"/live?topic=event:{ev}", org_a) for _ in range(300)]
            for w in clients:
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
            expect_status(register(srv, ev, person()), 201)
            missing = 0
            for w in clients:
                got = answers(w, 1, 5)
                if not (got and got[0]["kind"] == "registration.created"):
                    missing += 1
                w.close()
            expect(missing == 0, f"{missing} of 300 clients missed the change")

    def test_a_client_that_never_reads(self):
        """A client that never reads costs no memory per change: the server's RSS stays flat while another
        client keeps getting every frame."""
        # under AddressSanitizer freed memory waits in a quarantine (256 MiB by default) and counts in VmRSS:
        # keep it small so that the test measures majlisd, not the sanitizer (ignored by other builds)
        opts = os.environ.get("ASAN_OPTIONS", "")
        os.environ["ASAN_OPTIONS"] = (opts + ":" if opts else "") + "quarantine_size_mb=1"
        with Server() as srv:
            admin = srv.token("admin")
            a = add_org(srv, "Org A")
            ev = add_event(srv, a, capacity=100000)
            stuck = ws2(srv, f"/live?topic=event:{ev}", admin)
            stuck.sock.setsockopt(__import__("socket").SOL_SOCKET, __import__("socket").SO_RCVBUF, 4096)
            reader = ws2(srv, f"/live?topic=event:{ev}", admin)
            expect(answers(reader, 1)[0]["type"] == "subscribed", "subscribed")

            def burst(k):
                for _ in range(k):
                    expect_status(register(srv, ev, person()), 201)
                got, _ = recv_all(reader, 1.5)
                return len([m for m in got if m["type"] == "change"])

            expect(burst(100) == 100, "the reader gets every change")
            before = rss_kib(srv.proc.pid)
            expect(burst(300) == 300, "and keeps getting them")
            after = rss_kib(srv.proc.pid)
            expect(after - before < 4096, f"RSS flat with a client that never reads: {before} -> {after} KiB")
            for w in (stuck, reader):
                w.close()
        os.environ["ASAN_OPTIONS"] = opts

    def test_revocation_and_logout_close_the_stream(self):
        """A v2 stream lives no longer than its credentials: a revoked token and a logged-out session are
        closed with 4001 and get nothing committed from then on; other streams go on."""
        with Server() as srv:
            admin = srv.token("admin")
            a = add_org(srv, "Org A")
            ev = add_event(srv, a, capacity=100)
            t = expect_status(srv.post("/api/v1/tokens", token=admin,
                                       body={"role": "organiser", "org_id": a, "label": "script"}), 201)
            expect_status(srv.post("/api/v1/accounts", token=admin, body={
                "email": "one@example.org", "display_name": "One", "password": "correct horse battery",
                "role": "organiser", "org_id": a}), 201)
            r = srv.post("/api/v1/auth/login", body={"email": "one@example.org", "password": "correct horse battery"})
            expect(r.status == 200, "login", r)
            cookie = {"Cookie": r.headers["set-cookie"].split(";")[0], "Origin": f"http://127.0.0.1:{srv.port}"}
            topic = f"/live?topic=event:{ev}"
            by_token = ws2(srv, topic, t["token"])
            by_cookie = ws2(srv, topic, headers=cookie)
            by_admin = ws2(srv, topic, admin)
            for w in (by_token, by_cookie, by_admin):
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")

            def closed(w):
                try:
                    got, _ = recv_all(w, 3)
                except Exception as e:  # noqa: BLE001 - Closed carries the code
                    return getattr(e, "code", None), []
                return None, got

            expect_status(srv.delete(f"/api/v1/tokens/{t['id']}", token=admin), 204)
            expect_status(register(srv, ev, person()), 201)
            code, got = closed(by_token)
            expect(code == 4001, f"revoked token: closed with 4001, got {code} {got}")
            expect_status(srv.post("/api/v1/auth/logout", headers=dict(cookie, **{"X-CSRF-Token":
                                                                                   r.json["csrf_token"]})), 204)
            expect_status(register(srv, ev, person()), 201)
            code, got = closed(by_cookie)
            expect(code == 4001, f"logged-out session: closed with 4001, got {code} {got}")
            kinds = [m["kind"] for m in answers(by_admin, 2)]
            expect(kinds == ["registration.created", "registration.created"], f"the admin follows on: {kinds}")
            by_admin.close()


if __name__ == "__main__":
    T().run()
