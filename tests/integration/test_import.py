"""ICS import: POST /api/v1/events/import with the fixtures of tests/fixtures/ical — dry run then commit of real
client exports (Outlook, Google, Thunderbird, Evolution, floating), events and sessions visible through
GET /api/v1/events with the right instants, re-import creating nothing, every hostile file refused with 422 and
a reason and the database unchanged, content type, permissions, and the imported events in the organisation's
calendar feed."""

import os
import socket
import sqlite3
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, SeededServer, db_rows, expect, expect_error, expect_status, read_until_closed  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures", "ical")
ORG_A, ORG_B = 1, 2
VENUE_PARIS = 1
CT = {"Content-Type": "text/calendar; charset=utf-8"}
URL = "/api/v1/events/import"

HOSTILE = {
    "hostile_bad_date.ics": "not a valid date",
    "hostile_secondly.ics": "second, minute or hour",
    "hostile_hourly.ics": "second, minute or hour",
    "hostile_too_many_occurrences.ics": "COUNT=500",
    "hostile_unbounded.ics": "neither COUNT nor UNTIL",
    "hostile_end_before_start.ics": "not after DTSTART",
    "hostile_missing_dtstart.ics": "no DTSTART",
    "hostile_unknown_tzid.ics": "unknown TZID",
    "hostile_vtimezone_lies.ics": "VTIMEZONE",
    "hostile_outlook_stale_morocco.ics": "VTIMEZONE",
    "hostile_not_vcalendar.ics": "not a VCALENDAR",
    "hostile_deep_nesting.ics": "deeper than 4",
    "hostile_gap.ics": "does not exist",
    "hostile_control_chars.ics": "control character",
    "hostile_invalid_utf8.ics": "not valid UTF-8",
}


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def seed(srv):
    now = int(time.time())
    con = sqlite3.connect(srv.db)
    for oid, name in ((ORG_A, "Org A"), (ORG_B, "Org B")):
        con.execute("INSERT INTO organisations (id, name, kind, created_at, updated_at) "
                    "VALUES (?, ?, 'ngo', ?, ?)", (oid, name, now, now))
    con.execute("INSERT INTO venues (id, name, city, tz, org_id, created_at, updated_at) "
                "VALUES (?, 'Maison Paris', 'Paris', 'Europe/Paris', 1, ?, ?)", (VENUE_PARIS, now, now))
    con.commit()
    con.close()


def q(srv, sql, args=()):
    return db_rows(srv.db, sql, args)


def snapshot(srv):
    return (q(srv, "SELECT * FROM events ORDER BY id"), q(srv, "SELECT * FROM sessions ORDER BY id"),
            q(srv, "SELECT count(*) FROM change_log"), q(srv, "SELECT count(*) FROM outbox"))


class Ctx(SeededServer):
    def __init__(self):
        super().__init__(seed, {"admin": ("admin", None), "org_a": ("organiser", ORG_A),
                                "org_b": ("organiser", ORG_B), "viewer_a": ("viewer", ORG_A)})

    def post(self, data, query="", token=None, headers=CT):
        return self.srv.request("POST", URL + query, raw=data, token=token or self.org_a, headers=headers)

    def events(self):
        r = expect_status(self.srv.get(f"/api/v1/events?org={ORG_A}&limit=200", token=self.admin), 200)
        return {e["title_fr"]: e for e in r["items"]}


def too_large(port, token):
    """Announces a text/calendar body one byte over 8 MiB and returns the raw answer."""
    head = (f"POST {URL}?dry_run=0 HTTP/1.1\r\nHost: x\r\nContent-Type: text/calendar\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {8 * 1024 * 1024 + 1}\r\n\r\n"
            "BEGIN:VCALENDAR\r\n").encode()
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        s.sendall(head)
        try:
            s.sendall(b"X" * (256 * 1024))
        except OSError:
            pass
        return read_until_closed(s).decode("utf-8", "replace")
    finally:
        s.close()


def big_calendar(n_events):
    """A valid file of n_events weekly events (5 occurrences each) with long descriptions: ~7.6 KB each."""
    desc = "Formation professionnelle, atelier de concertation; " * 140
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Majlis tests//Big//EN"]
    for i in range(n_events):
        day = f"2027{1 + i % 9:02d}{10 + i % 18:02d}"
        lines += ["BEGIN:VEVENT", f"UID:big-{i}@example.org", "DTSTAMP:20261101T000000Z",
                  f"DTSTART;TZID=Africa/Casablanca:{day}T100000", f"DTEND;TZID=Africa/Casablanca:{day}T120000",
                  f"SUMMARY:Atelier {i}", "RRULE:FREQ=WEEKLY;COUNT=5", "DESCRIPTION:" + desc, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    out = []
    for line in lines:  # folded at 75 octets (ASCII here)
        out.append(line[:75])
        out += [" " + line[k:k + 74] for k in range(75, len(line), 74)]
    return ("\r\n".join(out) + "\r\n").encode()


def starts_utc(ev):
    return [s["starts_utc"] for s in ev["sessions"]]


class T(Checks):
    def test_outlook_dry_run_then_commit(self):
        with Ctx() as c:
            before = snapshot(c.srv)
            dry = expect_status(c.post(fixture("outlook_morocco.ics")), 200)
            expect(dry["dry_run"] is True and dry["would_create"] == {"events": 5, "sessions": 9}, "dry", dry)
            expect(dry["refused"] == [] and all(e["status"] == "new" for e in dry["events"]), "dry", dry)
            expect(snapshot(c.srv) == before, "a dry run writes nothing")
            done = expect_status(c.post(fixture("outlook_morocco.ics"), "?dry_run=0"), 201)
            expect(done["created"] == {"events": 5, "sessions": 9}, "created", done)
            expect(done["would_create"] == dry["would_create"], "dry run and commit agree", done)
            expect([e["uid"] for e in done["events"]] == [e["uid"] for e in dry["events"]], "same events")
            ev = c.events()
            expect(starts_utc(ev["Formation : gestion de projet"]) == ["2026-01-15T09:00:00Z"], "jan", ev)
            expect(starts_utc(ev["Atelier pendant le Ramadan"]) == ["2026-03-01T10:00:00Z"], "ramadan", ev)
            expect(starts_utc(ev["Concertation régionale Fès-Meknès"]) == ["2026-06-10T09:00:00Z"], "june")
            expect(starts_utc(ev["Comité de suivi"]) == ["2026-10-15T10:00:00Z"], "october")
            course = ev["Cours de français (module 1)"]
            expect(starts_utc(course) == ["2026-04-07T09:00:00Z", "2026-04-14T09:00:00Z", "2026-04-28T13:00:00Z",
                                          "2026-05-05T09:00:00Z", "2026-05-12T09:00:00Z"], "weekly", course)
            expect(all(s["tz"] == "Africa/Casablanca" for s in course["sessions"]), "zone", course)
            e1 = ev["Formation : gestion de projet"]
            expect(e1["type"] == "workshop" and e1["visibility"] == "internal" and e1["capacity"] == 30, "defaults")
            expect("Salle 2, 1er étage." in e1["description_fr"], "description", e1)
            ids = [e["id"] for e in done["events"]]
            logged = q(c.srv, "SELECT count(*) FROM change_log WHERE kind = 'event.created'")[0][0]
            expect(logged == 5, "one change-log row per event")
            expect(q(c.srv, "SELECT count(*) FROM change_log WHERE kind = 'session.created'")[0][0] == 9, "sessions")
            expect(sorted(ids) == sorted(r[0] for r in q(c.srv, "SELECT id FROM events")), "ids", done)
            # re-import: nothing new, "already imported" per event
            again = expect_status(c.post(fixture("outlook_morocco.ics"), "?dry_run=0"), 200)
            expect(again["would_create"] == {"events": 0, "sessions": 0}, "re-import", again)
            expect(all(e["status"] == "already_imported" for e in again["events"]), "status", again)
            expect(sorted(e["id"] for e in again["events"]) == sorted(ids), "existing ids", again)
            expect(q(c.srv, "SELECT count(*) FROM events")[0][0] == 5, "no duplicates")
            expect(q(c.srv, "SELECT count(*) FROM sessions")[0][0] == 9, "no duplicate sessions")

    def test_google_thunderbird_evolution_floating(self):
        with Ctx() as c:
            g = expect_status(c.post(fixture("google_casablanca.ics"), f"?dry_run=0&type=training&org_id={ORG_A}",
                                     token=c.admin), 201)
            expect(g["created"] == {"events": 3, "sessions": 5}, "google", g)
            expect(len(g["skipped"]) == 1 and "CANCELLED" in g["skipped"][0]["reason"], "cancelled skipped", g)
            t = expect_status(c.post(fixture("thunderbird_weekly.ics"), "?dry_run=0&visibility=public&lang=en"), 201)
            expect(t["created"] == {"events": 1, "sessions": 6}, "thunderbird", t)
            e = expect_status(c.post(fixture("evolution_prefixed.ics"), "?dry_run=0"), 201)
            expect(e["events"][0]["sessions"][0]["tz"] == "Africa/Casablanca", "vendor prefix", e)
            f = expect_status(c.post(fixture("floating.ics"), f"?dry_run=0&venue_id={VENUE_PARIS}"), 201)
            expect(f["tz"] == "Europe/Paris" and f["events"][0]["warnings"], "floating in the venue's zone", f)
            ev = c.events()
            expect(starts_utc(ev["Séance d'information employeurs"]) == ["2026-02-05T09:00:00Z"], "utc", ev)
            expect(ev["Séance d'information employeurs"]["sessions"][0]["starts_local"] == "2026-02-05T10:00:00",
                   "utc shown in Casablanca")
            expect(ev["Séance d'information employeurs"]["type"] == "training", "type")
            expect(starts_utc(ev["Formation : création d'entreprise"]) ==
                   ["2026-04-02T13:00:00Z", "2026-04-09T13:00:00Z", "2026-04-23T13:00:00Z"], "until + cancelled")
            items = expect_status(c.srv.get(f"/api/v1/events?org={ORG_A}&limit=200", token=c.admin), 200)["items"]
            tb = [x for x in items if x["title_en"] == "Concertation OFII - partenaires marocains"][0]
            expect(starts_utc(tb) == ["2026-03-16T08:30:00Z", "2026-03-23T08:30:00Z", "2026-03-30T07:30:00Z",
                                      "2026-04-06T07:30:00Z", "2026-04-13T07:30:00Z", "2026-04-20T07:30:00Z"],
                   "weekly across the DST change", tb)
            expect(all(s["starts_local"].endswith("T09:30:00") and s["tz"] == "Europe/Paris"
                       for s in tb["sessions"]), "wall time kept", tb)
            expect(tb["visibility"] == "public" and tb["title_fr"] is None, "lang=en", tb)
            fl = ev["Atelier d'écriture"]
            expect(starts_utc(fl) == ["2026-05-12T07:00:00Z"] and fl["sessions"][0]["tz"] == "Europe/Paris", "float")

    def test_hostile_files_refused(self):
        with Ctx() as c:
            before = snapshot(c.srv)
            for name, want in HOSTILE.items():
                for query in ("?dry_run=0", "?dry_run=0&skip_refused=1", ""):
                    r = c.post(fixture(name), query)
                    if query == "" and r.status == 200:  # a dry run lists refused VEVENTs with 200
                        ref = r.json["refused"]
                        expect(len(ref) == 1 and want in ref[0]["reason"] and ref[0]["line"] > 0, name, r)
                        expect(r.json["would_create"] == {"events": 0, "sessions": 0}, name, r)
                        continue
                    if "skip_refused" in query and r.status == 200:  # nothing else in the file to import
                        expect(r.json["created"] == {"events": 0, "sessions": 0}, name, r)
                        continue
                    err = expect_error(r, 422, "import_refused")
                    expect(want in err["message"], f"{name}: reason", r)
                    expect(err["refused"] and err["refused"][0]["line"] > 0, f"{name}: line", r)
                expect(snapshot(c.srv) == before, f"{name}: database unchanged")

    def test_all_or_nothing(self):
        good = fixture("floating.ics").decode()
        bad = fixture("hostile_bad_date.ics").decode()
        ev_bad = bad[bad.index("BEGIN:VEVENT"):bad.index("END:VCALENDAR")]
        mixed = good.replace("END:VCALENDAR", ev_bad + "END:VCALENDAR").encode()
        with Ctx() as c:
            before = snapshot(c.srv)
            dry = expect_status(c.post(mixed), 200)
            expect(dry["would_create"]["events"] == 1 and len(dry["refused"]) == 1, "dry", dry)
            expect(dry["refused"][0]["uid"] == "bad-date@hostile" and dry["refused"][0]["line"] == 15, "line", dry)
            err = expect_error(c.post(mixed, "?dry_run=0"), 422, "import_refused")
            expect(err["refused"][0]["uid"] == "bad-date@hostile", "refused listed", err)
            expect(snapshot(c.srv) == before, "nothing imported")
            done = expect_status(c.post(mixed, "?dry_run=0&skip_refused=1"), 201)
            expect(done["created"] == {"events": 1, "sessions": 1} and len(done["refused"]) == 1, "skip", done)

    def test_limits_and_types(self):
        with Ctx() as c:
            before = snapshot(c.srv)
            body = fixture("floating.ics")
            expect_error(c.post(body, headers={"Content-Type": "application/json"}), 415)
            expect_error(c.post(body, headers={"Content-Type": "text/plain"}), 415)
            out = too_large(c.srv.port, c.org_a)
            expect(out.startswith("HTTP/1.1 413") and "payload_too_large" in out, "over 8 MiB: " + out[:300])
            head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
            evs = "".join(f"BEGIN:VEVENT\r\nUID:m{i}@t\r\nDTSTART:20260601T100000Z\r\nDTEND:20260601T110000Z\r\n"
                          f"SUMMARY:E{i}\r\nEND:VEVENT\r\n" for i in range(1000))
            err = expect_error(c.post((head + evs + "END:VCALENDAR\r\n").encode(), "?dry_run=0"), 422)
            expect("more than 1000 components" in err["message"], "components", err)
            expect_error(c.post(b"", "?dry_run=0"), 422, "import_refused")
            expect_error(c.post(body, "?dry_run=2"), 400, "invalid_query")
            expect_error(c.post(body, "?type=party"), 400, "invalid_query")
            expect_error(c.post(body, "?tz=Mars/Base"), 400, "invalid_query")
            expect_error(c.post(body, "?capacity=-1"), 400, "invalid_query")
            expect_error(c.post(body, "?venue_id=99"), 422, "unknown_venue")
            expect_error(c.post(body, token=c.admin), 400, "missing_field")
            expect(snapshot(c.srv) == before, "nothing stored")

    def test_large_file_does_not_stall_other_requests(self):
        """Reading a large file (about a second of CPU here) happens on the worker thread: once the file
        is uploaded, health checks keep being answered until the import's own answer comes."""
        with Ctx() as c:
            data = big_calendar(990)  # just under the limits of 1000 components and 8 MiB
            expect(7_000_000 < len(data) < 8 * 1024 * 1024, f"the test file is {len(data)} bytes")
            head = (f"POST {URL}?dry_run=1&org_id={ORG_A} HTTP/1.1\r\nHost: x\r\n"
                    f"Content-Type: text/calendar\r\nAuthorization: Bearer {c.admin}\r\n"
                    f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n").encode()
            s = socket.create_connection(("127.0.0.1", c.srv.port), timeout=120)
            answer = {}

            def read_answer():
                out = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    if not out:
                        answer["at"] = time.monotonic()
                    out += chunk
                answer["raw"] = out

            reader = threading.Thread(target=read_answer)
            reader.start()
            s.sendall(head + data)
            sent = time.monotonic()
            health = []
            while reader.is_alive():
                r = c.srv.get("/healthz")
                expect(r.status == 200, "health check answered", r)
                health.append(time.monotonic())
                time.sleep(0.02)
            reader.join()
            s.close()
            raw = answer["raw"].decode("utf-8", "replace")
            expect(raw.startswith("HTTP/1.1 200"), "the dry run answered 200: " + raw[:200])
            expect('"would_create":{"events":990,"sessions":4950}' in raw.replace(" ", ""),
                   "the dry run counts 990 events and 4950 sessions: " + raw[:300])
            window = answer["at"] - (sent + 0.1)  # the server has the whole file by then
            during = sum(1 for t in health if sent + 0.1 < t < answer["at"] - 0.02)
            # a health check takes a few ms: a stalled loop answers none in between, a free one a dozen
            expect(window < 0.1 or during >= 2,
                   f"only {during} health checks answered during the {window:.2f} s the import took")

    def test_permissions(self):
        with Ctx() as c:
            before = snapshot(c.srv)
            body = fixture("floating.ics")
            expect_error(c.srv.request("POST", URL + "?dry_run=0", raw=body, headers=CT), 401)
            expect_error(c.post(body, f"?dry_run=0&org_id={ORG_A}", token=c.org_b), 403)
            expect_error(c.post(body, f"?org_id={ORG_A}", token=c.org_b), 403)
            expect_error(c.post(body, "?dry_run=0", token=c.viewer_a), 403)
            expect(snapshot(c.srv) == before, "nothing stored")
            # the same UID in another organisation is another event
            expect_status(c.post(body, "?dry_run=0"), 201)
            expect_status(c.post(body, "?dry_run=0", token=c.org_b), 201)
            expect(q(c.srv, "SELECT count(*) FROM events")[0][0] == 2, "one per organisation")

    def test_feed_shows_imported(self):
        start = (datetime.now(timezone.utc) + timedelta(days=20)).replace(hour=9, minute=0, second=0)
        fmt = "%Y%m%dT%H%M%SZ"
        ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:feed-check@t\r\n"
               f"DTSTART:{start.strftime(fmt)}\r\nDTEND:{(start + timedelta(hours=2)).strftime(fmt)}\r\n"
               "RRULE:FREQ=WEEKLY;COUNT=2\r\nSUMMARY:Atelier importé pour le flux\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
        with Ctx() as c:
            expect_status(c.post(ics.encode(), "?dry_run=0"), 201)
            tok = expect_status(c.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation",
                                                                      "owner_id": ORG_A}, token=c.org_a), 201)
            r = c.srv.get(f"/calendar/feed/{tok['token']}.ics")
            expect(r.status == 200, "feed", r)
            text = r.body.replace("\r\n ", "")
            expect(text.count("SUMMARY:Atelier importé pour le flux") == 2, "both sessions in the feed", r)
            expect(f"DTSTART:{start.strftime(fmt)}" in text, "instant", r)


if __name__ == "__main__":
    T().run()
