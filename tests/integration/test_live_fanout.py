"""The live fan-out and the other requests (docs/performance.md, "Live updates"): the registration's own
answer leaves before the first client is fed, a request made while a large fan-out runs is answered before
that fan-out ends, every client still gets every change once and in order when registrations come
concurrently, a change whose request never reads its answer still reaches every client, and a fan-out
that yields to other requests still feeds every client while they keep arriving."""

import json
import os
import resource
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from harness import Checks, Server, expect, expect_status  # noqa: E402
from reg_fixtures import add_event, add_org, person, register  # noqa: E402
from live_v2 import answers, ws2  # noqa: E402

# SO_TIMESTAMPNS (Linux): each read carries the time the kernel took the bytes in. On loopback that is when
# majlisd sent them, so the order of two sockets' stamps is the order of majlisd's writes, however late the
# test reads them.
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
SCM_TIMESTAMPNS = SO_TIMESTAMPNS


def stamped_read(sock, timeout=5):
    """(bytes, kernel time in ns of their arrival, or None) of one read of sock."""
    sock.settimeout(timeout)
    data, anc, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(16))
    for level, kind, raw in anc:
        if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS and len(raw) >= 16:
            sec, nsec = struct.unpack("qq", raw[:16])
            return data, sec * 10**9 + nsec
    return data, None


def stamp(sock):
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)


def post_raw(srv, path, body, token=None):
    """A POST on a new connection (Connection: close), sent whole; the socket, for its answer."""
    data = json.dumps(body).encode()
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{srv.port}", "Content-Type: application/json",
            f"Content-Length: {len(data)}", "Connection: close"]
    if token:
        head.append("Authorization: Bearer " + token)
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    stamp(s)
    s.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + data)
    return s


def flat_changes(ws, want, timeout=5):
    """The changes a stream carries until want of them came (or timeout), flat."""
    got, deadline = [], time.time() + timeout
    while len(got) < want and time.time() < deadline:
        got += [m for m in answers(ws, 1, max(0.1, deadline - time.time())) if m.get("type") == "change"]
    return got


class T(Checks):
    def test_the_answer_leaves_before_the_fan_out(self):
        """With clients following the event, the registration's answer is written before the first frame
        of the change it made (before, the first slice of clients was fed first and the answer waited)."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=1000)
            clients = [ws2(srv, f"/live?topic=event:{ev}", org_a) for _ in range(40)]
            for w in clients:
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
                stamp(w.sock)
            time.sleep(0.3)  # the kernel turns its time stamps on lazily
            for rnd in range(3):
                s = post_raw(srv, f"/api/v1/events/{ev}/registrations", person())
                answer, t_answer = stamped_read(s)
                while b"\r\n\r\n" not in answer:
                    more, _ = stamped_read(s)
                    if not more:
                        break
                    answer += more
                s.close()
                expect(answer.startswith(b"HTTP/1.1 201"), f"registered: {answer[:80]!r}")
                rid = json.loads(answer.split(b"\r\n\r\n", 1)[1])["registration"]["id"]
                first, fed = None, 0
                for w in clients:
                    data, t = stamped_read(w.sock)
                    w.buf += data
                    got = flat_changes(w, 1)
                    if got and got[0]["payload"].get("registration_id") == rid:
                        fed += 1
                    if t is not None:
                        first = t if first is None else min(first, t)
                expect(fed == len(clients), f"round {rnd}: {fed} of {len(clients)} clients got the change")
                expect(t_answer is not None and first is not None, "the kernel stamped both reads")
                expect(t_answer < first,
                       f"round {rnd}: the answer left {(t_answer - first) / 1e6:.3f} ms after the first frame")
            for w in clients:
                w.close()

    def test_a_request_during_a_large_fan_out_is_not_kept_waiting(self):
        """1000 clients follow the event; right after a registration's answer, another client asks for
        /healthz on a new connection: it is answered while the fan-out is still under way. With no other
        request waiting the fan-out wakes every client in one loop turn; this checks that it then yields
        (after a millisecond of writes) instead of feeding every client first."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        n = 1000 if hard == resource.RLIM_INFINITY else min(1000, (hard - 256) // 2)
        want = 2 * n + 256  # this process and majlisd (which inherits the limit) each hold n connections
        if soft != resource.RLIM_INFINITY and soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=1000)
            clients = [ws2(srv, f"/live?topic=event:{ev}", org_a) for _ in range(n)]
            for w in clients:
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
                stamp(w.sock)
            time.sleep(0.3)  # the kernel turns its time stamps on lazily
            s = post_raw(srv, f"/api/v1/events/{ev}/registrations", person())
            answer, _ = stamped_read(s)
            g = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            stamp(g)
            g.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\nConnection: close\r\n\r\n"
                      .encode())
            health, t_health = stamped_read(g)
            g.close()
            s.close()
            expect(answer.startswith(b"HTTP/1.1 201") and health.startswith(b"HTTP/1.1 200"),
                   f"answered: {answer[:40]!r} {health[:40]!r}")
            stamps = []
            for w in clients:
                data, t = stamped_read(w.sock)
                w.buf += data
                expect(flat_changes(w, 1), "every client got the change")
                stamps.append(t)
                w.close()
            expect(t_health is not None and None not in stamps, "the kernel stamped every read")
            before = sum(1 for t in stamps if t < t_health)
            expect(before < n, f"/healthz answered after the whole fan-out ({before} of {n} clients fed before)")

    def test_concurrent_changes_every_client_every_change_in_order(self):
        """Registrations from several connections at once, 30 clients following: each client gets every
        change exactly once, in seq order, whichever request's answer released which fan-out."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=10000)
            clients = [ws2(srv, f"/live?topic=event:{ev}", org_a) for _ in range(30)]
            for w in clients:
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
            n_threads, each = 6, 10

            def burst(_):
                return [register(srv, ev, person()).status for _ in range(each)]

            with ThreadPoolExecutor(n_threads) as pool:
                statuses = [s for r in pool.map(burst, range(n_threads)) for s in r]
            expect(statuses.count(201) == n_threads * each, f"all registered: {statuses}")
            want = n_threads * each
            seqs0 = None
            for i, w in enumerate(clients):
                seqs = [m["seq"] for m in flat_changes(w, want)]
                expect(len(seqs) == want and seqs == sorted(set(seqs)),
                       f"client {i}: every change once and in order: {len(seqs)} of {want}, {seqs[:8]}...")
                expect(seqs0 is None or seqs == seqs0, f"client {i}: the same changes as the first")
                seqs0 = seqs0 or seqs
                w.close()

    def test_a_change_whose_answer_is_never_read_still_fans_out(self):
        """The client that registers hangs up right after sending (its answer is written to a closed peer, or
        the connection ends before it is): the change it made reaches every follower all the same, and the
        next one too."""
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=100)
            clients = [ws2(srv, f"/live?topic=event:{ev}", org_a) for _ in range(5)]
            for w in clients:
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
            s = post_raw(srv, f"/api/v1/events/{ev}/registrations", person())
            s.close()
            for i, w in enumerate(clients):
                got = flat_changes(w, 1)
                expect(len(got) == 1 and got[0]["kind"] == "registration.created",
                       f"client {i} got the change of the vanished request: {got}")
            expect_status(register(srv, ev, person()), 201)
            for i, w in enumerate(clients):
                got = flat_changes(w, 1)
                expect(len(got) == 1 and got[0]["kind"] == "registration.created",
                       f"client {i} got the next change: {got}")
                w.close()

    def test_a_fan_out_makes_progress_while_another_request_waits(self):
        """A request whose body is still coming keeps another request waiting for the whole time, as the
        next registration and the closing connections of the last one do at 10 000 clients; the turn's
        budget of writes is 0 microseconds (test hook), as it was in effect there: lws's poll() of 10 000
        connections took more than the 1 ms budget, counted from before that poll(). Every client must
        still get the change, each loop turn writing at least one of them. Before, every client of every
        turn yielded without a write, the fan-out woke the same slice again at the next turn, and no client
        got the change until the waiting request was done (at 10 000 clients: the newest 1 250, the slice
        the restart wakes, fed 1.7 s late)."""
        srv = Server()
        srv.env["MAJLIS_TEST_LIVE_TURN_US"] = "0"
        with srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=1000)
            clients = [ws2(srv, f"/live?topic=event:{ev}", org_a) for _ in range(30)]
            for w in clients:
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")
            body = json.dumps(person()).encode()
            slow = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            slow.sendall((f"POST /api/v1/events/{ev}/registrations HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n"
                          f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                          "Connection: close\r\n\r\n").encode() + body[:5])
            time.sleep(0.2)  # its headers are read: a request is under way until its body is complete
            expect_status(register(srv, ev, person()), 201)
            deadline = time.time() + 3  # well before the slow request's body times out (20 s)
            fed = sum(1 for w in clients if len(flat_changes(w, 1, max(0.1, deadline - time.time()))) == 1)
            expect(fed == len(clients), f"{fed} of {len(clients)} clients got the change while a request waited")
            slow.sendall(body[5:])
            slow.settimeout(10)
            expect(slow.recv(64).startswith(b"HTTP/1.1 201"), "the slow registration is answered")
            slow.close()
            for i, w in enumerate(clients):
                got = flat_changes(w, 1 if fed == len(clients) else 2)
                expect(got and got[-1]["kind"] == "registration.created", f"client {i} got the next change: {got}")
                w.close()


if __name__ == "__main__":
    T().run()
