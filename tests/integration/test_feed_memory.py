"""Feed memory: seeds ~200 public events, makes 1000 feed requests over kept-alive connections (the public
feed in every language with and without city and type filters, single-event feeds beyond the cache's size,
304 revalidations, and content changes every 200 requests), and checks that majlisd's resident memory
(VmRSS) grows by less than 8 MiB after a warm-up: rendered feeds are cached with a bound and released."""

import http.client
import os
import sqlite3
import sys
import time
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "bench"))
from harness import Checks, Server, expect  # noqa: E402
from seed_feed import VENUES, seed  # noqa: E402

N_EVENTS = 200
N_REQUESTS = 1000
N_WARMUP = 100
MAX_GROWTH = 8 * 1024 * 1024
CT = "text/calendar; charset=utf-8"


def vm_rss(pid):
    """Resident set size of pid in bytes, from /proc/<pid>/status."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/%d/status" % pid)


class Client:
    """One kept-alive HTTP/1.1 connection; counts how often the server closed it."""

    def __init__(self, port):
        self.port = port
        self.conn = None
        self.reconnects = 0

    def get(self, path, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.reconnects += 1
        self.conn.request("GET", path, headers=headers or {})
        r = self.conn.getresponse()
        body = r.read()
        h = {k.lower(): v for k, v in r.getheaders()}
        if r.will_close:
            self.conn.close()
            self.conn = None
        return r.status, h, body, r.will_close

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


class T(Checks):
    def __init__(self):
        # under AddressSanitizer freed memory waits in a quarantine (256 MiB by default) and counts in VmRSS:
        # keep it small so that the test measures majlisd, not the sanitizer (ignored by other builds)
        opts = os.environ.get("ASAN_OPTIONS", "")
        os.environ["ASAN_OPTIONS"] = (opts + ":" if opts else "") + "quarantine_size_mb=1"
        self.srv = Server()
        self.srv.start()
        self.events = seed(self.srv.db, N_EVENTS)
        self.db = sqlite3.connect(self.srv.db, timeout=30)
        self.cities = sorted({v[1] for v in VENUES}) + ["Laayoune"]  # the last one matches nothing
        self.etags = {}

    def run(self):
        try:
            super().run()
        finally:
            self.db.close()
            rc = self.srv.stop()
            if rc != 0:
                print(f"majlisd exited with {rc}:\n" + self.srv.log_text()[-4000:])

    def change(self, i):
        """A real content change committed by another connection, announced in the change log."""
        ev = self.events[i % len(self.events)]
        self.db.execute("UPDATE events SET title_fr = title_fr || ' (mise à jour)', sequence = sequence + 1, "
                        "updated_at = ? WHERE id = ?", (int(time.time()), ev))
        self.db.execute("INSERT INTO change_log (topic, kind, org_id, payload, created_at) "
                        "VALUES (?, 'event.updated', NULL, '{}', ?)", (f"event:{ev}", int(time.time())))
        self.db.commit()

    def paths(self):
        """The request mix, in order: every public variant first, then single-event feeds and filters."""
        public = []
        for lang in ("fr", "ar", "en"):
            public.append(f"/calendar/public.ics?lang={lang}")
            public += [f"/calendar/public.ics?lang={lang}&city={quote(c)}" for c in self.cities]
        public += [f"/calendar/public.ics?type={t}" for t in ("training", "workshop", "concertation")]
        out = []
        i = 0
        while len(out) < N_WARMUP + N_REQUESTS:
            out.append(public[i % len(public)])
            ev = self.events[(i * 7) % len(self.events)]
            out.append(f"/calendar/events/{ev}.ics?lang={('fr', 'ar', 'en')[i % 3]}")
            i += 1
        return out[:N_WARMUP + N_REQUESTS]

    def fetch(self, client, path, n):
        """GET path, conditionally every third time it was seen before; checks the answer."""
        etag = self.etags.get(path)
        cond = etag is not None and n % 3 == 0
        st, h, body, closed = client.get(path, {"If-None-Match": etag} if cond else None)
        if st == 304:
            expect(cond and body == b"", f"unexpected 304 for {path}")
            expect(not closed, f"a 304 closed the connection ({path})")
        else:
            expect(st == 200, f"{path}: status {st}")
            expect(h.get("content-type") == CT and body.startswith(b"BEGIN:VCALENDAR"), f"{path}: not a feed")
            expect(int(h["content-length"]) == len(body), f"{path}: content-length")
            expect(not closed, f"a 200 closed the connection ({path})")
            self.etags[path] = h["etag"]
        return st

    def test_memory_stays_flat(self):
        pid = self.srv.proc.pid
        paths = self.paths()
        client = Client(self.srv.port)
        statuses = {200: 0, 304: 0}
        for n, p in enumerate(paths[:N_WARMUP]):
            self.fetch(client, p, n)
        before = vm_rss(pid)
        for n, p in enumerate(paths[N_WARMUP:], N_WARMUP):
            if n % 200 == 0:
                self.change(n)
            statuses[self.fetch(client, p, n)] += 1
        after = vm_rss(pid)
        client.close()
        print(f"     VmRSS {before / 1048576:.1f} MiB -> {after / 1048576:.1f} MiB after {N_REQUESTS} feed requests "
              f"({statuses[200]} x 200, {statuses[304]} x 304, {client.reconnects} connection(s))")
        expect(statuses[304] >= 100 and statuses[200] >= 300, f"request mix {statuses}")
        expect(client.reconnects == 1, f"the connection was closed {client.reconnects - 1} time(s)")
        expect(after - before < MAX_GROWTH,
               f"VmRSS grew by {(after - before) / 1048576:.1f} MiB over {N_REQUESTS} feed requests")

    def test_change_reaches_feed(self):
        """A commit of another connection is visible to the next request (the change-log check is per pass)."""
        client = Client(self.srv.port)
        path = f"/calendar/events/{self.events[1]}.ics"
        st, h, body, _ = client.get(path)
        expect(st == 200, "event feed")
        self.change(1)
        st, h2, body2, _ = client.get(path, {"If-None-Match": h["etag"]})
        client.close()
        expect(st == 200 and h2["etag"] != h["etag"], "the change did not reach the feed")
        expect("mise à jour".encode() in body2.replace(b"\r\n ", b""), "new title missing")


if __name__ == "__main__":
    T().run()
