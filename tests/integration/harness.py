"""Integration harness: starts a real majlisd on a free loopback port with a fresh database, and
talks JSON to it over HTTP. Standard library only, so the tests need nothing beyond python3."""

import atexit
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

MAJLISD = os.environ.get("MAJLISD", "build/server/majlisd")

# Password hashing at a test-only cost (util/secret.h): a test build of majlisd honours it and logs a
# warning; Server(real_pbkdf2=True) keeps the production cost for the tests that measure hashing.
PBKDF2_ENV = "MAJLIS_TEST_PBKDF2_ITERATIONS"
PBKDF2_TEST_ITERATIONS = "1000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Server:
    """One majlisd process with its own temporary database. Use as a context manager."""

    def __init__(self, demo=False, extra_args=(), db=None, port=None, tls=None, wrap=(), real_pbkdf2=False):
        self.dir = tempfile.mkdtemp(prefix="majlis-test-")
        atexit.register(shutil.rmtree, self.dir, True)  # also for tests that start and stop without `with`
        self.db = db or os.path.join(self.dir, "majlis.db")
        self.port = port or free_port()
        self.demo = demo
        self.extra_args = list(extra_args)
        self.wrap = list(wrap)  # command prefix, e.g. to start majlisd in its own mount namespace
        self.tls = tls  # (cert, key) to serve HTTPS
        if tls:
            self.extra_args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        self.env = dict(os.environ)
        if real_pbkdf2:
            self.env.pop(PBKDF2_ENV, None)
        else:
            self.env[PBKDF2_ENV] = PBKDF2_TEST_ITERATIONS
        self.proc = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self):
        args = self.wrap + [MAJLISD, "--db", self.db, "--listen", f"127.0.0.1:{self.port}"] + self.extra_args
        if self.demo:
            args.append("--demo")
        self.log = open(os.path.join(self.dir, "majlisd.log"), "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("majlisd exited early:\n" + self.log_text())
            try:
                if self.request("GET", "/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("majlisd did not answer /healthz:\n" + self.log_text())

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()
        rc = self.proc.returncode if self.proc else None
        self.proc = None
        self.check_sanitizers()
        return rc

    def check_sanitizers(self):
        """Fails the test when the server's log holds an ASan/UBSan/LSan report."""
        text = self.log_text()
        for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
            if marker in text:
                raise AssertionError("sanitizer report in majlisd log:\n" + text[-4000:])

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()
        self.proc = None

    def log_text(self):
        try:
            with open(os.path.join(self.dir, "majlisd.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def cli(self, *args):
        """Runs `majlisd ARGS...` against this server's database; returns stdout (stripped)."""
        out = subprocess.run([MAJLISD, *args], capture_output=True, text=True, timeout=60, env=self.env)
        if out.returncode != 0:
            raise RuntimeError(f"majlisd {' '.join(args)} failed: {out.stderr}")
        return out.stdout.strip()

    def token(self, role, org=None):
        """A new bearer token for role (and organisation)."""
        args = ["token", "create", "--db", self.db, "--role", role]
        if org is not None:
            args += ["--org", str(org)]
        return self.cli(*args)

    def request(self, method, path, body=None, token=None, headers=None, raw=None, timeout=30, source=None):
        """One request on a new connection; source: the loopback address to send from (default the
        system's choice, 127.0.0.1), for tests of what majlisd keeps per client address."""
        bind = (source, 0) if source else None
        if self.tls:
            import ssl
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=ctx,
                                               source_address=bind)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout, source_address=bind)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        if token:
            h["Authorization"] = "Bearer " + token
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read().decode("utf-8", "replace"))
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class Checks:
    """A tiny test runner: each test_* method of a subclass runs against one server; prints
    'N passed, N failed' and exits non-zero on failure, or when a name given on the command line
    matches no test (nothing run is no pass)."""

    def run(self):
        self.run_each(self.selected())

    def selected(self):
        """The test_* names to run, sorted: those named on the command line, else all; exits 2 when a
        name matches no test or there is none."""
        names = [n for n in dir(self) if n.startswith("test_")]
        only = sys.argv[1:]
        if only:
            unknown = [n for n in only if n not in names]
            if unknown:
                print(f"no test named {', '.join(unknown)}; tests here: {', '.join(sorted(names))}")
                sys.exit(2)
            names = [n for n in names if n in only]
        if not names:
            print("no test to run")
            sys.exit(2)
        return sorted(names)

    def run_each(self, names):
        """Runs names in the order given, reports each and exits: 1 when one failed, else 0."""
        passed = failed = 0
        for n in names:
            try:
                getattr(self, n)()
                passed += 1
                print(f"ok   {n}")
            except Exception as e:  # noqa: BLE001 - report every failure and go on
                failed += 1
                print(f"FAIL {n}: {type(e).__name__}: {e}")
        print(f"{passed} passed, {failed} failed")
        sys.exit(1 if failed else 0)


class SeededServer:
    """A started Server, given its rows by seed(srv), with one bearer token per entry of tokens
    ({attribute: (role, organisation or None)}) as attributes of the same names. Use as a context
    manager; the server is stopped when seeding fails too."""

    def __init__(self, seed, tokens):
        self.srv = Server()
        self._seed = seed
        self._tokens = dict(tokens)

    def __enter__(self):
        self.srv.__enter__()
        try:
            self._seed(self.srv)
            for name, (role, org) in self._tokens.items():
                setattr(self, name, self.srv.token(role, org))
        except BaseException:
            self.srv.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, *exc):
        self.srv.__exit__(*exc)


def db_rows(db, sql, args=()):
    """All rows of sql, read straight from the database file db on a connection of its own (WAL lets it
    read beside a running majlisd; it waits up to 30 s for a lock)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def db_write(db, sql, args=()):
    """Runs one write straight on the database file db and commits it (rows the API does not make, or
    not yet); returns the cursor's lastrowid. Waits up to 30 s for a lock."""
    con = sqlite3.connect(db, timeout=30)
    try:
        cur = con.execute(sql, args)
        con.commit()
        return cur.lastrowid
    finally:
        con.close()


def db_digest(db, tables):
    """A SHA-256 over every row of tables in rowid order: the same digest before and after a request
    means that it wrote nothing there."""
    con = sqlite3.connect(db)
    try:
        h = hashlib.sha256()
        for t in tables:
            for row in con.execute(f"SELECT * FROM {t} ORDER BY rowid"):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        con.close()


def read_until_closed(sock):
    """Every byte sock receives until the peer closes the connection or resets it, or sock's timeout
    passes."""
    out = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        out += chunk
    return out


def wait_until(cond, timeout=15, what="condition"):
    """cond()'s first true value, polled every 50 ms; AssertionError naming what after timeout seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def expect(cond, msg="", resp=None):
    if not cond:
        raise AssertionError(f"{msg} {resp!r}" if resp is not None else msg)


def expect_status(resp, status, msg=""):
    if resp.status != status:
        raise AssertionError(f"expected {status}, got {resp!r} {msg}")
    return resp.json


def expect_error(resp, status, code=None):
    """A JSON error body {"error":{"code","message"}} with the given status (and code)."""
    expect_status(resp, status)
    err = (resp.json or {}).get("error")
    expect(isinstance(err, dict) and err.get("code") and err.get("message"), "error body shape", resp)
    if code:
        expect(err["code"] == code, f"error code {code}", resp)
    return err
