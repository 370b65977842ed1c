"""Live updates v2 ("majlis-live.v2", docs/live.md), who may go on following what: the ping and the idle
limit (a silent peer dropped, a pinging one kept)."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, expect, expect_status  # noqa: E402
from reg_fixtures import add_event, add_org, person, register  # noqa: E402
from ws import Closed, WebSocket  # noqa: E402

V2 = "majlis-live.v2"


def ws2(srv, path, token=None, headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    return WebSocket(srv.port, path, protocol=V2, headers=h)


def answers(ws, n, timeout=3):
    got = []
    while len(got) < n:
        m = ws.recv_text(timeout)
        if m is None:
            break
        j = json.loads(m)
        got += j if isinstance(j, list) else [j]
    return got


def drain(ws, timeout=1.5):
    """Every message for timeout seconds, flat (pings answered meanwhile); or (close code, messages before
    it) when the server closed."""
    got, deadline = [], time.time() + timeout
    try:
        while time.time() < deadline:
            m = ws.recv_text(0.2)
            if m is not None:
                j = json.loads(m)
                got += j if isinstance(j, list) else [j]
    except Closed as c:
        return c.code, got
    return None, got


def wait_until(cond, timeout=15, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class T(Checks):
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


if __name__ == "__main__":
    T().run()
