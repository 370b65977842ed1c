"""Every endpoint that takes input, read from docs/api.md, answers malformed input with a clear JSON error
and changes nothing: a broken JSON body, a JSON array instead of an object, invalid UTF-8, a body sent as
text/plain. (Each area's own tests go field by field; this sweep makes sure no write endpoint was missed.)"""

import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, db_digest, expect, expect_status  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLES = ("organisations", "venues", "rooms", "people", "accounts", "api_tokens", "events", "event_partners",
          "sessions", "registrations", "attendance", "calendar_tokens", "idempotency", "auth_sessions")


def write_routes():
    with open(os.path.join(ROOT, "docs", "api.md"), encoding="utf-8") as f:
        return re.findall(r"^### (POST|PATCH|PUT) (\S+)$", f.read(), re.M)


def snapshot(db):
    return db_digest(db, TABLES)


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

    # Invisible and bidirectional controls: one rule at every door where a name, title or label enters.
    HIDDEN = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
              "\u200e", "\u200f", "\u061c", "\u200b", "\ufeff", "\u2060", "\u2061", "\u2062", "\u2063",
              "\u2064", "\u00ad", "\u180e", "\U000e0041"]
    JOINERS = ["\u200c", "\u200d"]  # refused in names, allowed in titles and descriptions

    def test_invisible_and_bidi_characters_refused_at_every_entry(self):
        with Server() as srv:
            admin = srv.token("admin")

            def made(method, path, body):
                return expect_status(srv.request(method, path, body=body, token=admin), 201 if method == "POST" else 200)

            org = made("POST", "/api/v1/organisations", {"name": "Association Nour", "kind": "ngo"})["id"]
            venue = made("POST", "/api/v1/venues", {"name": "Centre Nour", "city": "Rabat"})["id"]
            room = made("POST", f"/api/v1/venues/{venue}/rooms", {"name": "Salle 1", "capacity": 20})["id"]
            ppl = made("POST", "/api/v1/people", {"name": "Amina Tazi", "consent": True, "org_id": org})["id"]
            ev = made("POST", "/api/v1/events", {"type": "training", "capacity": 10, "title_fr": "Atelier",
                                                 "org_id": org})["id"]
            ses = made("POST", f"/api/v1/events/{ev}/sessions", {"starts_local": "2031-10-15T09:00",
                                                                "ends_local": "2031-10-15T12:00"})["id"]
            name, arabic = "Amina{}Tazi", "\u0623\u0645\u064a\u0646\u0629{}\u062a\u0627\u0632\u064a"
            title, prose = "Atelier{}Rabat", "Ligne 1\nLigne{}2"
            # (method, path, body without the field, field, template, kind)
            doors = [
                ("POST", "/api/v1/organisations", {"kind": "ngo"}, "name", name, "name"),
                ("POST", "/api/v1/organisations", {"name": "Association X", "kind": "ngo"}, "city", name, "name"),
                ("POST", "/api/v1/organisations", {"name": "Association Y", "kind": "ngo"}, "contact_name", name,
                 "name"),
                ("PATCH", f"/api/v1/organisations/{org}", {}, "name", name, "name"),
                ("POST", "/api/v1/venues", {"city": "Rabat"}, "name", name, "name"),
                ("POST", "/api/v1/venues", {"name": "Centre X"}, "city", name, "name"),
                ("PATCH", f"/api/v1/venues/{venue}", {}, "address", name, "name"),
                ("POST", f"/api/v1/venues/{venue}/rooms", {"capacity": 5}, "name", name, "name"),
                ("PATCH", f"/api/v1/rooms/{room}", {}, "name", name, "name"),
                ("POST", "/api/v1/people", {"consent": True, "org_id": org}, "name", name, "name"),
                ("POST", "/api/v1/people", {"name": "Amina Tazi", "consent": True, "org_id": org}, "name_ar", arabic,
                 "name"),
                ("PATCH", f"/api/v1/people/{ppl}", {}, "name", name, "name"),
                ("PATCH", f"/api/v1/people/{ppl}", {}, "name_ar", arabic, "name"),
                ("POST", "/api/v1/events", {"type": "training", "capacity": 5, "org_id": org}, "title_fr", title,
                 "title"),
                ("POST", "/api/v1/events", {"type": "training", "capacity": 5, "org_id": org}, "title_ar", title,
                 "title"),
                ("PATCH", f"/api/v1/events/{ev}", {}, "title_en", title, "title"),
                ("PATCH", f"/api/v1/events/{ev}", {}, "description_fr", prose, "title"),
                ("POST", f"/api/v1/events/{ev}/sessions", {"starts_local": "2031-10-16T09:00",
                                                          "ends_local": "2031-10-16T12:00"}, "title", title, "title"),
                ("PATCH", f"/api/v1/sessions/{ses}", {}, "title", title, "title"),
                ("POST", f"/api/v1/events/{ev}/registrations", {"email": "reg@example.org", "consent": True}, "name",
                 name, "name"),
                ("POST", f"/api/v1/events/{ev}/registrations", {"name": "Amina Tazi", "email": "reg@example.org",
                                                               "consent": True}, "name_ar", arabic, "name"),
                ("POST", "/api/v1/tokens", {"role": "viewer"}, "label", name, "name"),
            ]
            failures = []
            before = snapshot(srv.db)
            for method, path, base, field, template, kind in doors:
                for c in self.HIDDEN + (self.JOINERS if kind == "name" else []):
                    r = srv.request(method, path, body=dict(base, **{field: template.format(c)}), token=admin)
                    err = (r.json or {}).get("error") if isinstance(r.json, dict) else None
                    want = "U+%04X" % ord(c)
                    if r.status != 400 or not err or err.get("code") != "invalid_field" or \
                            f"'{field}'" not in err.get("message", "") or want not in err.get("message", ""):
                        failures.append(f"{method} {path} {field} with {want}: {r.status} {r.body[:160]!r}")
            if snapshot(srv.db) != before:
                failures.append("stored data changed")
            expect(not failures, "\n  " + "\n  ".join(failures))
            # joiners stay where scripts and emoji need them: titles and descriptions
            e = made("POST", "/api/v1/events", {"type": "training", "capacity": 5, "org_id": org,
                                                "title_fr": "Atelier \U0001f469\u200d\U0001f3eb",
                                                "description_fr": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"})
            expect(e["title_fr"] == "Atelier \U0001f469\u200d\U0001f3eb", "ZWJ kept in a title", e)


if __name__ == "__main__":
    T().run()
