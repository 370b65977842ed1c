"""HTTP/2 over TLS (what browsers negotiate): bodies larger than one frame arrive whole, 304s work, a
too-large body gets its 413 on the stream, and deferred work (password checks) answers on the stream.
Driven with curl, whose HTTP/2 support is the reference here."""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, expect  # noqa: E402


def curl(*args, data=None):
    """Runs curl (-k: self-signed) and returns (http_version, status, headers, body bytes)."""
    d = tempfile.mkdtemp(prefix="majlis-h2-")
    try:
        body, head = os.path.join(d, "body"), os.path.join(d, "head")
        out = subprocess.run(["curl", "-sk", "-o", body, "-D", head, "-w", "%{http_version} %{http_code}", *args],
                             input=data, capture_output=True, timeout=60)
        if out.returncode == 28:
            raise AssertionError(f"curl timed out waiting for {args[-1]} ({' '.join(args[:-1])})")
        version, status = out.stdout.decode().split()
        headers = {}
        if os.path.exists(head):
            for line in open(head, encoding="latin-1").read().splitlines()[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
        raw = open(body, "rb").read() if os.path.exists(body) else b""
        return version, int(status), headers, raw
    finally:
        shutil.rmtree(d, ignore_errors=True)


class T(Checks):
    def test_http2(self):
        if not shutil.which("curl"):
            raise AssertionError("curl is needed (scripts/deps.sh installs it)")
        d = tempfile.mkdtemp(prefix="majlis-tls-")
        cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=localhost"], check=True, capture_output=True, timeout=60)
        try:
            with Server(demo=True, tls=(cert, key)) as srv:
                base = f"https://127.0.0.1:{srv.port}"
                for path in ("/calendar/public.ics", "/api/v1/events?limit=200"):
                    v2, s2, h2, b2 = curl("--http2", base + path)
                    v1, s1, _, b1 = curl("--http1.1", base + path)
                    expect(v2 == "2" and s2 == 200, f"{path} over HTTP/2: {v2} {s2}")
                    expect(len(b2) > 16384, f"{path}: more than one frame ({len(b2)} bytes)")
                    expect(len(b2) == int(h2["content-length"]), f"{path}: the whole body over HTTP/2")
                    if path.endswith(".ics"):
                        expect(b2 == b1, "the same feed bytes as over HTTP/1.1")
                        # a bodiless answer must end its stream (a client would otherwise wait for a timeout)
                        v, s, _, b = curl("--http2", "--max-time", "10", "-H", f"If-None-Match: {h2['etag']}",
                                          base + path)
                        expect(s == 304 and not b, f"304 over HTTP/2, at once: {s}")
                        v, s, h, b = curl("--http2", "--max-time", "10", "-I", base + path)
                        expect(v == "2" and s == 200 and h.get("etag") == h2["etag"],
                               f"HEAD over HTTP/2, at once: {v} {s}")
                for _ in range(8):  # the client is still sending when the answer comes: each time
                    v, s, _, b = curl("--http2", "-X", "POST", "-H", "Content-Type: application/json",
                                      "--data-binary", "@-", base + "/api/v1/auth/login", data=b" " * 3_000_000)
                    expect(v == "2" and s == 413 and b"payload_too_large" in b,
                           f"413 on the stream: {v} {s} {b[:100]}")
                v, s, _, b = curl("--http2", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
                                  '{"email":"nobody@example.org","password":"wrong-password"}',
                                  base + "/api/v1/auth/login")
                expect(v == "2" and s == 401, f"a deferred password check answers on its stream: {v} {s} {b[:100]}")
                v, s, _, _ = curl("--http2", base + "/healthz")
                expect(s == 200, "the connection's other streams still work")
        finally:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    T().run()
