"""Connection timeouts a client notices: a kept-alive connection stays usable while it is used and is closed
after --keepalive-timeout of silence; an answer is written for as long as the client keeps reading it, however
slowly, and the connection is cut when the client takes nothing for --send-timeout. --send-buffer keeps the
kernel from taking the whole answer at once (it would otherwise buffer megabytes per connection on loopback)."""

import contextlib
import os
import shutil
import socket
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "bench"))
from harness import Checks, Server, expect  # noqa: E402
from seed_feed import seed  # noqa: E402

GET_HEALTH = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
GET_FEED = b"GET /calendar/public.ics HTTP/1.1\r\nHost: x\r\n\r\n"


def read_answer(s, piece=65536, pause=0.0):
    """Reads one HTTP/1.1 answer with a Content-Length from s, piece bytes at a time with a pause after each
    piece of the body; returns (status line, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(piece)
        if not chunk:
            raise AssertionError("connection closed before the headers: %r" % data[:200])
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    length = [int(v.split(":", 1)[1]) for v in lines if v.lower().startswith("content-length:")]
    expect(length, "answer without Content-Length: " + lines[0])
    while len(body) < length[0]:
        chunk = s.recv(piece)
        if not chunk:
            raise AssertionError(f"connection closed after {len(body)} of {length[0]} body bytes")
        body += chunk
        time.sleep(pause)
    return lines[0], body


def closed_after(s, limit):
    """Seconds until the server closes s (recv returns nothing or a reset), or None within limit seconds."""
    start = time.monotonic()
    s.settimeout(limit)
    try:
        while True:
            if not s.recv(65536):
                return time.monotonic() - start
    except ConnectionResetError:
        return time.monotonic() - start
    except socket.timeout:
        return None


def small_window_socket(port):
    """A connection whose receive buffer is small, so that the server cannot hand it a large answer at once."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(30)
    s.connect(("127.0.0.1", port))
    return s


@contextlib.contextmanager
def feed_request():
    """A server with --send-timeout 2 and a small send buffer, 500 public events, and a connection with a
    small receive window that has just asked for the public feed (~350 KB): yields (server, socket)."""
    with Server(extra_args=["--send-timeout", "2", "--send-buffer", "65536"]) as srv:
        seed(srv.db, 500)
        s = small_window_socket(srv.port)
        try:
            s.sendall(GET_FEED)
            yield srv, s
        finally:
            s.close()


def cpu_seconds(pid):
    """User and system CPU time of process pid so far, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class T(Checks):
    def test_idle_connection_closed_after_keepalive_timeout(self):
        with Server(extra_args=["--keepalive-timeout", "2"]) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            try:
                # used every second for five seconds: longer than the timeout in all, never idle that long
                for _ in range(5):
                    s.sendall(GET_HEALTH)
                    status, _ = read_answer(s)
                    expect(status.startswith("HTTP/1.1 200"), "answer on the kept-alive connection: " + status)
                    time.sleep(1)
                s.sendall(GET_HEALTH)
                read_answer(s)
                waited = closed_after(s, 8)
                expect(waited is not None, "an idle connection stayed open 8 s with --keepalive-timeout 2")
                expect(1.5 <= waited <= 4, f"idle connection closed after {waited:.1f} s, expected ~2 s")
            finally:
                s.close()

    def test_static_file_after_an_api_answer_is_not_cut(self):
        """A kept-alive connection that goes on with a static file (served by the HTTP library itself) is
        not closed as idle when the keep-alive time after its last API answer runs out mid-download."""
        web = tempfile.mkdtemp(prefix="majlis-web-")
        try:
            blob = bytes(range(256)) * 8192  # 2 MiB
            with open(os.path.join(web, "big.js"), "wb") as f:
                f.write(blob)
            args = ["--keepalive-timeout", "2", "--send-buffer", "65536", "--web-root", web]
            with Server(extra_args=args) as srv:
                s = small_window_socket(srv.port)
                try:
                    s.sendall(GET_HEALTH)
                    read_answer(s)
                    time.sleep(1)
                    s.sendall(b"GET /big.js HTTP/1.1\r\nHost: x\r\n\r\n")
                    start = time.monotonic()
                    status, body = read_answer(s, piece=65536, pause=0.01)  # past the 2 s mark
                    expect(time.monotonic() - start > 1.2, "the download was too fast to test anything")
                    expect(status.startswith("HTTP/1.1 200") and body == blob,
                           f"the whole file: {status}, {len(body)} of {len(blob)} bytes")
                finally:
                    s.close()
        finally:
            shutil.rmtree(web, ignore_errors=True)

    def test_slow_reader_gets_the_whole_answer(self):
        with feed_request() as (srv, s):
            # taken 8 KiB at a time with pauses: longer than the send timeout in all
            start = time.monotonic()
            status, body = read_answer(s, piece=8192, pause=0.07)
            took = time.monotonic() - start
            expect(status.startswith("HTTP/1.1 200") and len(body) > 300_000,
                   f"the seeded feed: {status}, {len(body)} bytes")
            expect(took > 2.5, f"the slow read took only {took:.1f} s: it did not test the timeout")
            expect(body.rstrip().endswith(b"END:VCALENDAR"), "the whole feed arrived")
            s.sendall(GET_HEALTH)
            status, _ = read_answer(s)
            expect(status.startswith("HTTP/1.1 200"), "the connection stays usable: " + status)

    def test_stalled_reader_is_cut_off_after_send_timeout(self):
        with feed_request() as (srv, s):
            data = s.recv(4096)
            expect(data.startswith(b"HTTP/1.1 200"), "the answer started: %r" % data[:100])
            time.sleep(5)  # takes nothing for longer than the send timeout
            total = len(data)
            s.settimeout(10)
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    total += len(chunk)
            except ConnectionResetError:
                pass
            expect(total < 300_000, f"a stalled reader still got {total} bytes: it was not cut off")
            expect(srv.get("/healthz").status == 200, "the server still answers others")


    def test_at_the_descriptor_limit_new_connections_are_refused_calmly(self):
        """With more connections than descriptors (ulimit -n 48), majlisd refuses the extra ones (closed at
        once) instead of retrying accept() on every pass of its loop: little CPU, one log line for the episode,
        connections already open still answered, and new ones accepted again once some close. (It used to
        spin at 100 % CPU and log "accept: errno 24" some 4 MB/s.)"""
        limit = ["sh", "-c", 'ulimit -n 48 && exec "$@"', "majlisd"]
        with Server(wrap=limit) as srv:
            kept = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            crowd = []
            try:
                kept.sendall(GET_HEALTH)
                expect(read_answer(kept)[0].startswith("HTTP/1.1 200"), "a kept-alive connection is answered")
                for _ in range(80):
                    crowd.append(socket.create_connection(("127.0.0.1", srv.port), timeout=10))
                time.sleep(0.5)
                lines_before = len(srv.log_text().splitlines())
                used = cpu_seconds(srv.proc.pid)
                time.sleep(2)
                used = cpu_seconds(srv.proc.pid) - used
                expect(used < 0.5, f"majlisd used {used:.2f} s of CPU in 2 s at the descriptor limit")
                log = srv.log_text()
                expect(len(log.splitlines()) - lines_before < 3, "log lines while at the limit: " + log[-600:])
                expect(log.count("out of file descriptors") == 1 and "errno 24" not in log,
                       "one line for the episode: " + log[-600:])
                kept.sendall(GET_HEALTH)
                expect(read_answer(kept)[0].startswith("HTTP/1.1 200"), "an open connection is still answered")
                refused = 0
                for s in crowd:
                    s.settimeout(2)
                    try:
                        refused += s.recv(1) == b""
                    except (socket.timeout, ConnectionResetError):
                        pass
                expect(refused > 0, "the extra connections were closed, not left waiting")
            finally:
                for s in crowd:
                    s.close()
                kept.close()
            deadline = time.monotonic() + 5
            ok = False
            while not ok and time.monotonic() < deadline:
                try:
                    ok = srv.get("/healthz", timeout=2).status == 200
                except OSError:
                    time.sleep(0.2)
            expect(ok, "new connections are accepted once some closed")
            expect("accepting connections again" in srv.log_text(), "the end of the episode is logged")


if __name__ == "__main__":
    T().run()
