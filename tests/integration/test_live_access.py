"""Live updates v2 (docs/live.md), who may follow what and for how long: every topic kind (event, session,
org, me) asked by every kind of caller (admin, organiser of the organisation and of another, check-in
staff, viewers of the organisation and of another, a participant's token, nobody), accepted exactly when
the HTTP API shows the same thing and otherwise refused like a topic that does not exist; every handshake
refusal of docs/live.md with its HTTP status and JSON error body; a stream closed with 4001 the moment its
rights change (an account disabled, its password changed, its session ended by a new login or expired, an
organiser moved to another organisation), fed nothing committed from then on; what RFC 6455 says to
refuse closing a v2 stream with its code; and a reopened stream replaying what it missed, for each topic
kind."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, db_rows, db_write, expect, expect_status  # noqa: E402
from live_v2 import V2, answers, drain, ws2  # noqa: E402
from reg_fixtures import add_event, add_org, person, register  # noqa: E402
from ws import HandshakeRefused, WebSocket  # noqa: E402

PASSWORD = "correct horse battery"


def account(srv, admin, email, role, org):
    return expect_status(srv.post("/api/v1/accounts", token=admin, body={
        "email": email, "display_name": email.split("@")[0], "password": PASSWORD, "role": role,
        "org_id": org}), 201)


def login(srv, email, old_cookie=None):
    """A browser's session for email: (headers with its cookie and this site's Origin, CSRF token)."""
    r = srv.post("/api/v1/auth/login", body={"email": email, "password": PASSWORD},
                 headers={"Cookie": old_cookie} if old_cookie else None)
    expect(r.status == 200, f"login {email}", r)
    return ({"Cookie": r.headers["set-cookie"].split(";")[0], "Origin": f"http://127.0.0.1:{srv.port}"},
            r.json["csrf_token"])


def refusal(srv, path, headers, protocol=V2):
    """The refused handshake's (status, error code, message, content type), or None when it opened."""
    try:
        WebSocket(srv.port, path, protocol=protocol, headers=headers).close()
    except HandshakeRefused as r:
        err = (r.json or {}).get("error", {})
        ctype = next((line.split(":", 1)[1].strip() for line in r.head.split("\r\n")
                      if line.lower().startswith("content-type:")), "")
        return r.status, err.get("code"), err.get("message"), ctype
    return None


def seqs_of(got, kind="change"):
    return [m["seq"] for m in got if m.get("type") == kind]


class T(Checks):
    def test_topics_for_every_role_and_kind(self):
        """Each caller asks for every topic at once: an event and a session, public and internal, of its
        organisation or another, ids that do not exist, both organisations, and me. Event and session
        topics are accepted exactly when GET /api/v1/events/{id} or /api/v1/sessions/{id} answers 200 to
        the same credentials, org:{id} for an admin or a member of the organisation, me for a participant's
        token only; everything else is refused not_found, the same answer as a topic that does not exist.
        Nobody at all is refused at the handshake (401)."""
        with Server() as srv:
            admin = srv.token("admin")
            a, b = add_org(srv, "Org A"), add_org(srv, "Org B")
            public, internal = add_event(srv, a, visibility="public"), add_event(srv, a, visibility="internal")
            s_pub, s_int = (db_rows(srv.db, "SELECT id FROM sessions WHERE event_id = ?", (e,))[0][0]
                            for e in (public, internal))
            reg = expect_status(register(srv, public, person()), 201)
            callers = {
                "admin": {"Authorization": "Bearer " + admin},
                "organiser A": {"Authorization": "Bearer " + srv.token("organiser", a)},
                "organiser B": {"Authorization": "Bearer " + srv.token("organiser", b)},
                "check-in A": {"Authorization": "Bearer " + srv.token("checkin", a)},
                "viewer A": {"Authorization": "Bearer " + srv.token("viewer", a)},
                "viewer B": {"Authorization": "Bearer " + srv.token("viewer", b)},
                "participant": {"Authorization": "Participant " + reg["token"]},
            }
            account(srv, admin, "checkin.b@example.org", "checkin", b)
            callers["check-in B (session cookie)"], _ = login(srv, "checkin.b@example.org")
            topics = [f"event:{public}", f"event:{internal}", "event:999999", f"session:{s_pub}",
                      f"session:{s_int}", "session:999999", f"org:{a}", f"org:{b}", "org:999999", "me"]
            members = {"admin": {a, b}, "organiser A": {a}, "organiser B": {b}, "check-in A": {a},
                       "viewer A": {a}, "viewer B": {b}, "participant": set(), "check-in B (session cookie)": {b}}
            for who, headers in callers.items():
                want = {}
                for t in topics:
                    kind, _, ident = t.partition(":")
                    if who == "participant":
                        ok = t == "me"
                    elif kind in ("event", "session"):
                        http = srv.get(f"/api/v1/{kind}s/{ident}", headers={
                            k: v for k, v in headers.items() if k != "Origin"})
                        expect(http.status in (200, 404), f"{who} GET {t}: {http.status}")
                        ok = http.status == 200
                    elif kind == "org":
                        ok = int(ident) in members[who]
                    else:
                        ok = False
                    want[t] = {"type": "subscribed", "topic": t} if ok else \
                        {"type": "refused", "topic": t, "code": "not_found"}
                # in the URL, and by a message
                ws = WebSocket(srv.port, "/live?" + "&".join("topic=" + t for t in topics), protocol=V2,
                               headers=headers)
                got = answers(ws, len(topics))
                expect(got == [want[t] for t in topics], f"{who}, in the URL: {got} != {list(want.values())}")
                ws.close()
                ws = WebSocket(srv.port, "/live", protocol=V2, headers=headers)
                ws.send_text(json.dumps({"type": "subscribe", "topics": topics[::-1]}))
                got = answers(ws, len(topics))
                expect(got == [want[t] for t in topics[::-1]], f"{who}, by a message: {got}")
                ws.close()
            # what the matrix must show, spelled out for the roles the HTTP API separates
            for who, t, ok in (("viewer B", f"event:{internal}", False), ("viewer B", f"session:{s_int}", False),
                               ("organiser B", f"session:{s_int}", False), ("check-in A", f"session:{s_int}", True),
                               ("viewer A", f"event:{internal}", True), ("admin", f"org:{b}", True)):
                ws = WebSocket(srv.port, f"/live?topic={t}", protocol=V2, headers=callers[who])
                got = answers(ws, 1)
                expect(got[0]["type"] == ("subscribed" if ok else "refused"), f"{who} {t}: {got}")
                ws.close()
            # nobody: no stream at all, whatever it asks for
            for path in ("/live", f"/live?topic=event:{public}", "/live?topic=me"):
                got = refusal(srv, path, {})
                expect(got and got[:2] == (401, "unauthenticated"), f"anonymous {path}: {got}")

    def test_handshake_refusals_with_their_json_body(self):
        """Every refusal of docs/live.md's table, asked for majlis-live.v2: its HTTP status, its error code
        and a message in a JSON body; never a 101. The ones that need a busy database or an ended session
        are in test_live_topics."""
        with Server() as srv:
            admin = srv.token("admin")
            a = add_org(srv, "Org A")
            ev = add_event(srv, a)
            reg = expect_status(register(srv, ev, person()), 201)
            account(srv, admin, "org@example.org", "organiser", a)
            cookie, _ = login(srv, "org@example.org")
            bearer = {"Authorization": "Bearer " + admin}
            cases = [
                ("/live", bearer, None, 400, "bad_request"),
                ("/live", bearer, "chat, superchat", 400, "bad_request"),
                ("/live?since=abc", bearer, V2, 400, "bad_request"),
                ("/live?since=-1", bearer, V2, 400, "bad_request"),
                ("/live?topic=event:x", bearer, V2, 400, "bad_request"),
                ("/live?topic=venue:1", bearer, V2, 400, "bad_request"),
                ("/live?topic", bearer, V2, 400, "bad_request"),
                (f"/live?token={reg['token']}", {}, "majlis-live", 400, "bad_request"),
                ("/live?token=", {}, V2, 400, "bad_request"),
                ("/live", {}, V2, 401, "unauthenticated"),
                ("/live", {"Authorization": "Bearer nope"}, V2, 401, "invalid_token"),
                ("/live?token=nope", {}, V2, 401, "invalid_token"),
                ("/live", {"Authorization": "Participant nope"}, V2, 401, "invalid_token"),
                ("/live", {"Cookie": cookie["Cookie"], "Origin": "https://evil.example"}, V2, 403, "csrf_failed"),
                ("/live", {"Cookie": cookie["Cookie"]}, V2, 403, "csrf_failed"),
                ("/elsewhere", bearer, V2, 404, "not_found"),
            ]
            for path, headers, protocol, status, code in cases:
                got = refusal(srv, path, headers, protocol)
                expect(got is not None, f"{path} {protocol}: opened")
                expect(got[0] == status and got[1] == code and got[2] and got[3].startswith("application/json"),
                       f"{path} {protocol}: {status} {code} with a JSON body, got {got}")
            # and the good ones open
            for path, headers in ((f"/live?topic=event:{ev}", bearer), (f"/live?token={reg['token']}", {}),
                                  ("/live", cookie)):
                expect(refusal(srv, path, headers) is None, f"{path} opens")
            expect_status(srv.get("/healthz"), 200)

    def test_rights_changes_close_the_stream(self):
        """Streams opened by browser sessions: the account disabled, its password changed, its session
        ended by a new login in the same browser, an organiser moved to another organisation: each is closed
        at once with 4001 and fed nothing committed from the change on, while the admin's stream and an
        unchanged colleague's go on."""
        with Server() as srv:
            admin = srv.token("admin")
            a, b = add_org(srv, "Org A"), add_org(srv, "Org B")
            ev = add_event(srv, a, capacity=100)
            ids = {}
            for name in ("disabled", "password", "relogin", "moved", "kept"):
                ids[name] = account(srv, admin, f"{name}@example.org", "organiser" if name != "moved" else "viewer",
                                    a)["id"]
            streams, cookies = {}, {}
            for name in ids:
                cookies[name], _ = login(srv, f"{name}@example.org")
                streams[name] = ws2(srv, f"/live?topic=event:{ev}&topic=org:{a}", headers=cookies[name])
            by_admin = ws2(srv, f"/live?topic=event:{ev}", admin)
            for w in list(streams.values()) + [by_admin]:
                expect({m["type"] for m in answers(w, 2 if w is not by_admin else 1)} == {"subscribed"}, "subscribed")

            def closed(name, kind):
                """name's stream closed with 4001, with nothing at or after the change of kind."""
                cut = db_rows(srv.db, "SELECT max(seq) FROM change_log WHERE kind = ?", (kind,))[0][0]
                expect_status(register(srv, ev, person()), 201)  # committed after the change
                code, got = drain(streams[name], 3)
                expect(code == 4001, f"{name}: closed with 4001, got {code} {got}")
                expect(all(m["seq"] < cut for m in got if "seq" in m), f"{name}: nothing from seq {cut} on: {got}")

            expect_status(srv.patch(f"/api/v1/accounts/{ids['disabled']}", token=admin, body={"disabled": True}), 200)
            closed("disabled", "account.updated")
            expect_status(srv.patch(f"/api/v1/accounts/{ids['password']}", token=admin,
                                    body={"password": "another horse battery"}), 200)
            closed("password", "account.updated")
            login(srv, "relogin@example.org", old_cookie=cookies["relogin"]["Cookie"])
            closed("relogin", "account.login")
            # no request changes an account's role or organisation: written straight into the database, it
            # is seen at the next change of credentials (here anyone's login)
            db_write(srv.db, "UPDATE accounts SET org_id = ? WHERE id = ?", (b, ids["moved"]))
            login(srv, "kept@example.org")
            closed("moved", "account.login")
            code, got = drain(streams["kept"], 2)
            kinds = [m["kind"] for m in got if m["type"] == "change"]
            expect(code is None and kinds.count("registration.created") == 4,
                   f"a colleague whose rights did not change goes on: {code} {got}")
            code, got = drain(by_admin, 1)
            expect(code is None and len([m for m in got if m["type"] == "change"]) == 4, f"the admin goes on: {got}")
            for w in list(streams.values()) + [by_admin]:
                w.close()

    def test_expired_session_closes_a_v2_stream(self):
        """A session that expires while its stream is open (--session-idle, nothing else uses it): closed with
        4001 once expired, and reopening it is refused 401 session_expired."""
        with Server(extra_args=["--session-idle", "2"]) as srv:
            admin = srv.token("admin")
            a = add_org(srv, "Org A")
            ev = add_event(srv, a)
            account(srv, admin, "idle@example.org", "viewer", a)
            cookie, _ = login(srv, "idle@example.org")
            ws = ws2(srv, f"/live?topic=event:{ev}", headers=cookie)
            expect(answers(ws, 1) == [{"type": "subscribed", "topic": f"event:{ev}"}], "subscribed")
            code, got = drain(ws, 8)
            expect(code == 4001, f"closed with 4001 once expired: {code} {got}")
            got = refusal(srv, f"/live?topic=event:{ev}", cookie)
            expect(got and got[:2] == (401, "session_expired"), f"reopened: {got}")

    def test_protocol_violations_close_a_v2_stream(self):
        """A v2 stream (a participant's as an organiser's) is closed with RFC 6455's code for what it must
        refuse: a binary message 1003, over 1 KiB 1009 (whole or in fragments), invalid UTF-8 1007; a
        message of 1 KiB exactly is answered, and the stream goes on."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a)
            reg = expect_status(register(srv, ev, person()), 201)
            opens = [lambda: ws2(srv, f"/live?topic=event:{ev}", org_a),
                     lambda: WebSocket(srv.port, f"/live?token={reg['token']}&topic=me", protocol=V2)]
            cases = [
                ("binary", lambda w: w.send_frame(0x2, b"\x00\x01"), 1003),
                ("oversized", lambda w: w.send_frame(0x1, b"a" * 1025), 1009),
                ("oversized in fragments", lambda w: [w.send_frame(0x1, b"a" * 600, fin=False),
                                                      w.send_frame(0x0, b"a" * 600)], 1009),
                ("invalid UTF-8", lambda w: w.send_frame(0x1, b'{"type":"caf\xc3\x28"}'), 1007),
            ]
            for i, open_one in enumerate(opens):
                for what, send, code in cases:
                    w = open_one()
                    expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
                    send(w)
                    got = drain(w, 3)
                    expect(got[0] == code, f"stream {i}, {what}: closed with {code}, got {got}")
                    w.close()
                w = open_one()
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
                body = json.dumps({"type": "resume", "since": 0, "pad": ""})
                w.send_text(body[:-2] + "x" * (1024 - len(body)) + body[-2:])
                got = answers(w, 1)
                expect(got and got[0]["type"] == "resumed", f"stream {i}: 1 KiB is answered: {got}")
                w.close()

    def test_replay_after_a_gap_for_each_topic_kind(self):
        """A stream follows an event, one of its sessions and its organisation; it is closed, and meanwhile
        there are registrations, a check-in on that session, one on another session, an edit of the event
        and a change of another organisation's event. Reopened with since= its last seq, it gets exactly what
        its topics cover, each change once and in order; a resume message replays it again; each topic kind
        alone (and the other organisation's) replays its own share."""
        with Server() as srv:
            a, b = add_org(srv, "Org A"), add_org(srv, "Org B")
            org_a = srv.token("organiser", a)
            ev, other = add_event(srv, a, capacity=10), add_event(srv, b, capacity=10)
            sid = db_rows(srv.db, "SELECT id FROM sessions WHERE event_id = ?", (ev,))[0][0]
            s2 = expect_status(srv.post(f"/api/v1/events/{ev}/sessions", token=org_a, body={
                "starts_local": "2030-03-11T09:00", "ends_local": "2030-03-11T12:00"}), 201)["id"]
            topics = f"topic=event:{ev}&topic=session:{sid}&topic=org:{a}"
            ws = ws2(srv, "/live?" + topics, org_a)
            expect(len(answers(ws, 3)) == 3, "subscribed")
            r0 = expect_status(register(srv, ev, person()), 201)
            got = answers(ws, 1)
            seen = got[-1]["seq"]
            ws.close()
            r1 = expect_status(register(srv, ev, person()), 201)
            expect_status(register(srv, other, person()), 201)
            for s, r in ((sid, r0), (s2, r1)):
                expect_status(srv.post(f"/api/v1/sessions/{s}/attendance", token=org_a, body={
                    "registration_id": r["registration"]["id"], "status": "present"}), 201)
            expect_status(srv.patch(f"/api/v1/events/{ev}", token=org_a, body={"title_fr": "Nouveau titre"}), 200)
            log = db_rows(srv.db, "SELECT seq, topic, kind, payload FROM change_log WHERE seq > ? ORDER BY seq",
                          (seen,))
            want = [(seq, f"event:{ev}", kind) for seq, topic, kind, payload in log if topic == f"event:{ev}"]
            expect(len(want) == 4, f"the gap holds four changes of the event: {log}")
            other_share = [(seq, topic, kind) for seq, topic, kind, _ in log if topic == f"event:{other}"]
            expect(len(other_share) == 1, f"one change of the other organisation's event: {log}")
            back = ws2(srv, f"/live?since={seen}&" + topics, org_a)
            _, got = drain(back, 2)
            changes = [(m["seq"], m["topic"], m["kind"]) for m in got if m["type"] == "change"]
            expect(changes == want, f"each change of the event once, in order, none of another: {changes} != {want}")
            on_session = [m for m in got if m["type"] == "change" and m["payload"].get("session_id") == sid]
            expect(len(on_session) == 1 and on_session[0]["kind"] == "attendance.recorded",
                   f"the session's check-in among them: {on_session}")
            back.send_text(json.dumps({"type": "resume", "since": seen}))
            _, again = drain(back, 2)
            expect(again[0] == {"type": "resumed", "since": seen} and
                   [(m["seq"], m["topic"], m["kind"]) for m in again[1:]] == want, f"resumed: {again}")
            # each kind alone replays its own share
            for t, share in ((f"session:{sid}", [c for c in want if c[0] == on_session[0]["seq"]]),
                             (f"org:{a}", want), (f"org:{b}", other_share)):
                one = ws2(srv, f"/live?since={seen}&topic={t}", srv.token("admin"))
                _, got = drain(one, 1.5)
                expect([(m["seq"], m["topic"], m["kind"]) for m in got if m["type"] == "change"] == share,
                       f"{t}: {got}")
                one.close()
            back.close()


if __name__ == "__main__":
    T().run()
