"""What the live-updates v2 tests share (docs/live.md): opening a majlis-live.v2 stream, reading its
messages flat (an array message is taken apart), and the status a refused handshake answers."""

import json
import time

from ws import Closed, HandshakeRefused, WebSocket

V2 = "majlis-live.v2"


def ws2(srv, path, token=None, headers=None):
    """A v2 stream on path (with its query), as a bearer token's holder when token is given."""
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    return WebSocket(srv.port, path, protocol=V2, headers=h)


def answers(ws, n, timeout=3):
    """The next n messages (fewer when none comes within timeout), flat."""
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


def refused_status(srv, path, headers, protocol=V2):
    """(HTTP status, error code) of a refused handshake, or (101, None) when it was accepted."""
    try:
        WebSocket(srv.port, path, protocol=protocol, headers=headers).close()
    except HandshakeRefused as r:
        return r.status, (r.json or {}).get("error", {}).get("code")
    return 101, None
