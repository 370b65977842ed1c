"""Every endpoint that takes input, read from docs/api.md, answers malformed input with a clear JSON error
and changes nothing: a broken JSON body, a JSON array instead of an object, invalid UTF-8, a body sent as
text/plain. (Each area's own tests go field by field; this sweep makes sure no write endpoint was missed.)"""

import hashlib
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, expect, expect_status  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLES = ("organisations", "venues", "rooms", "people", "accounts", "api_tokens", "events", "event_partners",
          "sessions", "registrations", "attendance", "calendar_tokens", "idempotency", "auth_sessions")


def write_routes():
    with open(os.path.join(ROOT, "docs", "api.md"), encoding="utf-8") as f:
        return re.findall(r"^### (POST|PATCH|PUT) (\S+)$", f.read(), re.M)


def snapshot(db):
    con = sqlite3.connect(db)
    h = hashlib.sha256()
    for t in TABLES:
        for row in con.execute(f"SELECT * FROM {t} ORDER BY rowid"):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


class T(Checks):
    def test_every_write_endpoint_refuses_malformed_bodies(self):
        with Server(demo=True) as srv:
            admin = srv.token("admin")
            con = sqlite3.connect(srv.db)
            ev = con.execute("SELECT e.id FROM events e WHERE e.visibility = 'public' AND e.status = 'scheduled' "
                             "AND e.needs_approval = 0 AND (SELECT min(start_utc) FROM sessions s "
                             "WHERE s.event_id = e.id) > CAST(strftime('%s', 'now') AS INTEGER) AND (e.registration_closes_at "
                             "IS NULL OR e.registration_closes_at > CAST(strftime('%s', 'now') AS INTEGER)) AND "
                             "(e.registration_opens_at IS NULL OR e.registration_opens_at <= CAST(strftime('%s', 'now') AS INTEGER)) "
                             "ORDER BY e.id LIMIT 1").fetchone()[0]
            con.close()
            reg = expect_status(srv.post(f"/api/v1/events/{ev}/registrations", body={
                "name": "Sweep Test", "email": "sweep@example.org", "sex": "male", "lang": "fr",
                "consent": True}), 201)
            token = reg["token"]
            routes = write_routes()
            expect(len(routes) >= 25, f"found the write endpoints in docs/api.md ({len(routes)})")
            bodies = [
                ("broken JSON", b'{"name": ', "application/json", (400,)),
                ("JSON array", b"[1, 2]", "application/json", (400,)),
                ("invalid UTF-8", b'{"name": "\xc3\x28"}', "application/json", (400,)),
                ("text/plain", b'{"name": "x"}', "text/plain", (415,)),
                ("junk in a body-less action", b'{"x": 1}', "application/json", (400,)),
            ]
            failures = []
            before = snapshot(srv.db)
            for method, pattern in routes:
                path = pattern.replace("{token:token}", token)
                path = re.sub(r"\{[a-z_]+\}", "1", path)
                if pattern.endswith("/import"):
                    path += "?org_id=1&dry_run=0"
                takes_fields = not re.search(r"/(cancel|erase|approve|reject|confirm|decline|present|logout)$",
                                             pattern)
                for what, raw, ctype, want in bodies:
                    if what.startswith("junk") and takes_fields:
                        continue  # an unknown field: each area's tests cover it per endpoint
                    if pattern.endswith("/import"):
                        # takes text/calendar: JSON of any kind is the wrong media type
                        want = (415,) if ctype != "text/calendar" else want
                        if what == "invalid UTF-8":
                            raw, ctype, want = b"BEGIN:VCALENDAR\r\nX:\xc3\x28\r\n", "text/calendar", (422,)
                    r = srv.request(method, path, raw=raw, token=admin, headers={"Content-Type": ctype})
                    err = (r.json or {}).get("error") if isinstance(r.json, dict) else None
                    if r.status not in want or not (err and err.get("code") and err.get("message")):
                        failures.append(f"{method} {pattern} with {what}: {r.status} {r.body[:140]!r}")
            if snapshot(srv.db) != before:
                failures.append("stored data changed")
            expect(not failures, "\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    T().run()
