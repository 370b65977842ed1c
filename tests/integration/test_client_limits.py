"""Integration tests of the per-client limits (by peer address) against a real majlisd: a flood of logins
or of guessed tokens from one address is answered 429 before any work, and clients at other addresses
are served as usual. Loopback has many addresses: 127.0.0.1 is the flooder, 127.0.0.2 the real user."""

import os
import secrets
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Response, Server, expect, expect_error, expect_status  # noqa: E402

PASSWORD = "correct horse battery"
FLOOD = 80
MISS_MAX = 50  # RATELIMIT_MISS_MAX


class T(Checks):
    def __init__(self, srv):
        self.srv = srv
        self.admin = srv.token("admin")
        con = sqlite3.connect(srv.db, timeout=10)
        try:
            self.org = con.execute("INSERT INTO organisations (name, kind, created_at, updated_at) "
                                   "VALUES ('Association A', 'ngo', 0, 0)").lastrowid
            con.commit()
        finally:
            con.close()

    def request(self, source, method, path, body=None, token=None, timeout=60):
        """One request from the loopback address source."""
        return self.srv.request(method, path, body=body, token=token, timeout=timeout, source=source)

    def account(self, email):
        expect_status(self.srv.post("/api/v1/accounts", {"email": email, "display_name": "Admin", "password": PASSWORD,
                                                         "role": "admin"}, token=self.admin), 201)

    def test_login_flood_from_one_address_spares_the_others(self):
        email = "real-admin@example.org"
        self.account(email)
        results = [[] for _ in range(FLOOD)]
        stop = threading.Event()

        def flood(i):  # one of FLOOD concurrent clients at 127.0.0.1, sending wrong logins until stopped
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    results[i].append(self.request("127.0.0.1", "POST", "/api/v1/auth/login",
                                                   {"email": f"nobody{i}.{n}@example.org", "password": "wrong"}))
                except Exception as e:  # noqa: BLE001 - reported below
                    results[i].append(e)
                time.sleep(0.05)

        threads = [threading.Thread(target=flood, args=(i,)) for i in range(FLOOD)]
        for t in threads:
            t.start()
        time.sleep(1.0)  # the flood is in full swing
        t0 = time.monotonic()
        try:
            real = self.request("127.0.0.2", "POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
        finally:
            waited = time.monotonic() - t0
            stop.set()
            for t in threads:
                t.join(120)
        expect_status(real, 200, "the real admin at another address logs in during the flood")
        expect(waited < 30, f"the real admin waited {waited:.1f} s")
        flat = [r for rs in results for r in rs]
        statuses = sorted({r.status if isinstance(r, Response) else repr(r) for r in flat}, key=str)
        expect(all(isinstance(r, Response) and r.status in (401, 429) for r in flat),
               "every flood login is 401 or 429, none 503", statuses)
        limited = [r for r in flat if r.status == 429]
        expect(limited, "some of the flood was refused", statuses)
        for r in limited:
            expect_error(r, 429, "too_many_requests")
            expect(r.headers.get("retry-after", "").isdigit(), "Retry-After", r)

    def test_token_guessing_is_refused_after_the_limit(self):
        # a real feed token, to see that a blocked address gets no lookup at all
        feed = expect_status(self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation",
                                                                       "owner_id": self.org}, token=self.admin), 201)
        real = f"/calendar/feed/{feed['token']}.ics"
        expect_status(self.request("127.0.0.3", "GET", real), 200)
        paths = ["/api/v1/r/{}", "/calendar/feed/{}.ics", "/calendar/freebusy/{}.ifb",
                 "/api/v1/r/{}/confirm"]
        for i in range(MISS_MAX):
            p = paths[i % len(paths)].format(secrets.token_urlsafe(32))
            r = self.request("127.0.0.3", "POST" if p.endswith("/confirm") else "GET", p)
            expect(r.status == 404, f"guess {i + 1} is an ordinary 404", r)
        for p in paths[:3] + ["/r/{}"]:  # the participant's page too
            r = self.request("127.0.0.3", "GET", p.format(secrets.token_urlsafe(32)))
            expect_error(r, 429, "too_many_requests")
            expect(int(r.headers.get("retry-after", "0")) > 0, "Retry-After", r)
        # the real token answers the same as a guess: nothing is looked up for this address
        expect_error(self.request("127.0.0.3", "GET", real), 429, "too_many_requests")
        # routes without a token are not limited
        expect_status(self.request("127.0.0.3", "GET", "/healthz"), 200)
        # another address is unaffected
        expect_status(self.request("127.0.0.4", "GET", real), 200)
        r = self.request("127.0.0.4", "GET", "/api/v1/r/" + secrets.token_urlsafe(32))
        expect_error(r, 404)


if __name__ == "__main__":
    with Server() as server:
        T(server).run()
