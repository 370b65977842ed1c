"""Calendar feeds: seeds events, sessions and participants straight into the database with sqlite3 (times
from zoneinfo for Africa/Casablanca), fetches every kind of feed from a running majlisd and parses each
with two independent parsers: Debian's python3-icalendar and the npm package ical.js (through node)."""

import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_error, expect_status  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
CASA = ZoneInfo("Africa/Casablanca")
DAY = 86400
CT = "text/calendar; charset=utf-8"

# Personal data of participants: none of it may appear in public or organisation feeds.
P1_NAME, P1_PHONE, P1_EMAIL = "Zoubida Participantexyz", "+212 600-112233", "zoubida.xyz@example.org"
P2_NAME, P2_PHONE = "Hamid Waitlistqwv", "+212 611-998877"
SECRETS = ["Participantexyz", "Waitlistqwv", "600-112233", "600112233", "611-998877", "zoubida.xyz"]

ARABIC_TITLE = "ع" * 300
INJECTION = "Atelier x\r\nATTENDEE:mailto:evil@example.org\r\nX-EVIL:1"

PY_ICALENDAR = r"""
import json, sys
import icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = {"calendar": {k: str(cal.get(k)) for k in ("X-WR-CALNAME", "X-WR-TIMEZONE", "METHOD", "VERSION")},
       "events": []}
for ev in cal.walk("VEVENT"):
    att = ev.get("ATTENDEE")
    if att is None:
        att = []
    elif not isinstance(att, list):
        att = [att]
    dt = ev.get("DTSTART").dt
    out["events"].append({
        "uid": str(ev.get("UID")),
        "start_utc": dt.astimezone(__import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "start_tz": str(dt.tzinfo),
        "status": str(ev.get("STATUS")),
        "sequence": int(ev.get("SEQUENCE")),
        "summary": str(ev.get("SUMMARY")),
        "description": str(ev.get("DESCRIPTION")),
        "attendees": [{"value": str(a), "partstat": a.params.get("PARTSTAT"), "cn": a.params.get("CN")}
                      for a in att],
    })
print(json.dumps(out))
"""


def local(s):
    """(start_utc, offset) of wall time s in Africa/Casablanca, through zoneinfo."""
    dt = datetime.fromisoformat(s).replace(tzinfo=CASA)
    return int(dt.timestamp()), int(dt.utcoffset().total_seconds())


def local_days_ahead(days, hour=10):
    """Wall time "YYYY-MM-DDTHH:00:00" in Casablanca, days from today."""
    d = datetime.fromtimestamp(time.time() + days * DAY, CASA)
    return d.strftime("%Y-%m-%dT") + f"{hour:02d}:00:00"


def iso_utc(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def python_icalendar():
    """The interpreter that can import icalendar: this one, or Debian's /usr/bin/python3."""
    try:
        import icalendar  # noqa: F401
        return sys.executable
    except ImportError:
        pass
    r = subprocess.run(["/usr/bin/python3", "-c", "import icalendar"], capture_output=True)
    if r.returncode != 0:
        raise AssertionError("python3-icalendar is not installed (apt-get install python3-icalendar)")
    return "/usr/bin/python3"


_icaljs_ready = None


def icaljs_ready():
    """Installs the npm package ical.js into tests/node_modules when missing; fails loudly otherwise."""
    global _icaljs_ready
    if _icaljs_ready:
        return
    if not os.path.isfile(os.path.join(TESTS, "node_modules", "ical.js", "package.json")):
        npm = shutil.which("npm")
        if not npm or not shutil.which("node"):
            raise AssertionError("node and npm are required to check feeds with ical.js (apt-get install nodejs npm)")
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=TESTS, capture_output=True,
                           text=True, timeout=300)
        if r.returncode != 0 or not os.path.isfile(os.path.join(TESTS, "node_modules", "ical.js", "package.json")):
            raise AssertionError("could not install ical.js with `cd tests && npm install`:\n" + r.stdout + r.stderr)
    _icaljs_ready = True


def parse_icaljs(body):
    icaljs_ready()
    r = subprocess.run(["node", os.path.join(HERE, "icaljs_check.mjs")], input=body, capture_output=True,
                       timeout=60)
    expect(r.returncode == 0, "ical.js failed to parse the feed: " + r.stderr.decode("utf-8", "replace"))
    return json.loads(r.stdout)


def parse_python(body):
    r = subprocess.run([python_icalendar(), "-c", PY_ICALENDAR], input=body, capture_output=True, timeout=60)
    expect(r.returncode == 0, "python3-icalendar failed to parse the feed: " + r.stderr.decode("utf-8", "replace"))
    return json.loads(r.stdout)


def both(body):
    """Parses body with both parsers; checks they agree on the essentials; returns (icaljs, python)."""
    j, p = parse_icaljs(body), parse_python(body)
    ju = sorted((e["uid"], e["start_utc"], e["status"], e["sequence"], e["summary"]) for e in j["events"])
    pu = sorted((e["uid"], e["start_utc"], e["status"], e["sequence"], e["summary"]) for e in p["events"])
    expect(ju == pu, f"ical.js and python-icalendar disagree:\n{ju}\n{pu}")
    for e in j["events"]:
        expect(isinstance(e["start_utc"], str) and e["start_utc"].endswith("Z"), f"floating or zoned time {e}")
    return j, p


def fetch(srv, path, method="GET", headers=None):
    """(status, lower-cased headers, raw bytes) without any decoding."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def unfold(body):
    return body.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode("utf-8")


class Seed:
    """The data every check reads, written with sqlite3 into the running server's database."""

    def __init__(self, path):
        self.db = sqlite3.connect(path, timeout=30)
        self.db.execute("PRAGMA foreign_keys=ON")
        self.now = int(time.time())
        self.sessions = {}

    def exec(self, sql, args=()):
        cur = self.db.execute(sql, args)
        return cur.lastrowid

    def changed(self, topic="seed", org=None):
        self.exec("INSERT INTO change_log (topic, kind, org_id, payload, created_at) VALUES (?, 'test.seed', ?, '{}', ?)",
                  (topic, org, int(time.time())))
        self.db.commit()

    def org(self, name, email=None):
        return self.exec("INSERT INTO organisations (name, kind, city, contact_name, contact_email, created_at, updated_at) "
                         "VALUES (?, 'ngo', 'Rabat', 'Contact', ?, ?, ?)", (name, email, self.now, self.now))

    def venue(self, name, city, lat=None, lon=None):
        return self.exec("INSERT INTO venues (name, city, address, latitude, longitude, created_at, updated_at) "
                         "VALUES (?, ?, '12 rue Oukaimeden', ?, ?, ?, ?)", (name, city, lat, lon, self.now, self.now))

    def event(self, org, venue, title_fr, type_="training", visibility="public", status="scheduled",
              updated_at=None, title_ar=None, title_en=None, sequence=0):
        return self.exec(
            "INSERT INTO events (type, title_fr, title_ar, title_en, description_fr, description_en, org_id, venue_id, "
            "visibility, capacity, status, sequence, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 'Description de la formation.', 'About the training.', ?, ?, ?, 20, ?, ?, ?, ?)",
            (type_, title_fr, title_ar, title_en, org, venue, visibility, status, sequence, self.now,
             updated_at or self.now))

    def session(self, event, starts_local, hours=2, sequence=0):
        s, o = local(starts_local)
        end = s + hours * 3600
        ends_local = datetime.fromtimestamp(end, CASA).strftime("%Y-%m-%dT%H:%M:%S")
        sid = self.exec(
            "INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, end_offset, "
            "sequence, created_at, updated_at) VALUES (?, ?, ?, 'Africa/Casablanca', ?, ?, ?, ?, ?, ?, ?)",
            (event, starts_local, ends_local, s, end, o, o, sequence, self.now, self.now))
        self.sessions[sid] = (s, o)
        return sid

    def person(self, org, name, phone, email=None):
        return self.exec("INSERT INTO people (org_id, name, phone, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                         (org, name, phone, email, self.now, self.now))

    def register(self, event, person, status):
        return self.exec("INSERT INTO registrations (event_id, person_id, status, token_hash, created_at, updated_at) "
                         "VALUES (?, ?, ?, lower(hex(randomblob(32))), ?, ?)", (event, person, status, self.now, self.now))


class T(Checks):
    def __init__(self):
        self.srv = Server()
        self.srv.start()
        s = self.seed = Seed(self.srv.db)
        now = s.now
        self.amal = s.org("Association Amal", "contact@amal.example.org")
        self.beta = s.org("Partenaire Beta")
        self.gamma = s.org("Organisation Gamma", "gamma@example.org")
        rabat = s.venue("Centre de formation", "Rabat", 34.0209, -6.8416)
        casa = s.venue("Maison des associations", "Casablanca")
        # the four verified instants, 10:00 local each
        self.e_instants = s.event(self.amal, rabat, "Formation comptable", title_ar="تكوين في المحاسبة",
                                  title_en="Accounting training")
        self.instant_sessions = [s.session(self.e_instants, d + "T10:00:00")
                                 for d in ("2026-01-15", "2026-03-01", "2026-06-10", "2026-10-15")]
        self.e_future = s.event(self.amal, casa, "Atelier plaidoyer", type_="workshop")
        self.s_future = s.session(self.e_future, local_days_ahead(10))
        s.exec("INSERT INTO event_partners (event_id, org_id) VALUES (?, ?)", (self.e_future, self.beta))
        self.e_internal = s.event(self.amal, rabat, "Concertation interne", type_="concertation", visibility="internal")
        s.session(self.e_internal, local_days_ahead(12))
        s.exec("INSERT INTO event_partners (event_id, org_id) VALUES (?, ?)", (self.e_internal, self.beta))
        self.e_gamma = s.event(self.gamma, rabat, "Réunion Gamma", visibility="invited")
        s.session(self.e_gamma, local_days_ahead(14))
        self.e_cancelled = s.event(self.amal, rabat, "Formation annulée", status="cancelled", updated_at=now - 31 * DAY,
                                   sequence=2)
        s.session(self.e_cancelled, local_days_ahead(20), sequence=1)
        self.e_cancelled_old = s.event(self.amal, rabat, "Formation annulée il y a longtemps", status="cancelled",
                                       updated_at=now - 90 * DAY)
        s.session(self.e_cancelled_old, local_days_ahead(25))
        self.e_postponed = s.event(self.amal, rabat, "Atelier reporté", status="postponed", type_="workshop")
        s.session(self.e_postponed, local_days_ahead(30))
        self.e_past = s.event(self.amal, rabat, "Formation passée")
        self.s_past_recent = s.session(self.e_past, local_days_ahead(-30))
        self.s_past_old = s.session(self.e_past, local_days_ahead(-90))
        self.e_inject = s.event(self.amal, rabat, INJECTION, title_ar=ARABIC_TITLE)
        s.session(self.e_inject, local_days_ahead(40))
        self.p1 = s.person(self.amal, P1_NAME, P1_PHONE, P1_EMAIL)
        self.p2 = s.person(self.amal, P2_NAME, P2_PHONE)
        s.register(self.e_instants, self.p1, "confirmed")
        s.register(self.e_future, self.p1, "confirmed")
        s.register(self.e_postponed, self.p1, "waitlisted")
        s.register(self.e_past, self.p1, "cancelled")
        s.register(self.e_internal, self.p2, "pending")
        s.register(self.e_future, self.p2, "declined")
        s.changed()
        self.admin = self.srv.token("admin")
        self.org_amal = self.srv.token("organiser", self.amal)
        self.org_gamma = self.srv.token("organiser", self.gamma)

    def run(self):
        try:
            super().run()
        finally:
            rc = self.srv.stop()
            if rc != 0:
                print(f"majlisd exited with {rc}:\n" + self.srv.log_text()[-4000:])
            self.srv.__exit__(None, None, None)

    def uid(self, sid):
        return f"session-{sid}@majlis.local"

    def get_ics(self, path, status=200, headers=None):
        st, h, body = fetch(self.srv, path, headers=headers)
        expect(st == status, f"GET {path}: expected {status}, got {st} {body[:300]!r}")
        if status == 200:
            expect(h.get("content-type") == CT, f"content type {h.get('content-type')}")
            expect("content-disposition" not in h, "no Content-Disposition on feeds")
            expect(h.get("etag", "").startswith('"') and not h["etag"].startswith("W/"), f"strong ETag {h}")
            expect(h.get("last-modified", "").endswith(" GMT"), f"Last-Modified {h}")
            expect(body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n"), "a VCALENDAR")
        return h, body

    def make_token(self, kind, owner, bearer=None, label="abonnement"):
        r = self.srv.post("/api/v1/calendar-tokens", {"owner_kind": kind, "owner_id": owner, "label": label},
                          token=bearer or self.admin)
        out = expect_status(r, 201)
        return out

    # --- content

    def test_event_feed_four_instants(self):
        _, body = self.get_ics(f"/calendar/events/{self.e_instants}.ics")
        j, p = both(body)
        got = {e["uid"]: e["start_utc"] for e in j["events"]}
        want = {self.uid(sid): w for sid, w in zip(self.instant_sessions, (
            "2026-01-15T09:00:00Z", "2026-03-01T10:00:00Z", "2026-06-10T09:00:00Z", "2026-10-15T10:00:00Z"))}
        expect(got == want, f"instants {got} != {want}")
        for sid in self.instant_sessions:
            expect(iso_utc(self.seed.sessions[sid][0]) == want[self.uid(sid)], "zoneinfo agrees with the feed")
        descs = " ".join(e["description"] for e in p["events"])
        for line in ("10:00, heure du Maroc, UTC+1", "10:00, heure du Maroc, UTC+0"):
            expect(line in descs, f"{line!r} in descriptions: {descs}")
        expect(j["calendar"]["timezone"] == "Africa/Casablanca" and j["calendar"]["method"] == "PUBLISH", j["calendar"])
        expect(j["calendar"]["refresh_interval"] == "PT1H", j["calendar"])
        raw = unfold(body)
        for line in ("X-PUBLISHED-TTL:PT1H", "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "CALSCALE:GREGORIAN",
                     "VERSION:2.0", "X-WR-TIMEZONE:Africa/Casablanca", "CATEGORIES:Formation"):
            expect(f"\r\n{line}\r\n" in raw, f"{line} in feed")
        expect("TZID" not in raw, "no TZID: every time is UTC")
        ev = j["events"][0]
        expect(ev["organizer"] == {"value": "mailto:contact@amal.example.org", "cn": "Association Amal"}, ev)
        expect(ev["location"] == "Centre de formation, 12 rue Oukaimeden, Rabat", ev)
        expect("GEO:34.02" in raw, "GEO of the venue")

        _, en = self.get_ics(f"/calendar/events/{self.e_instants}.ics?lang=en")
        je, _ = both(en)
        expect(all(e["summary"] == "Accounting training" for e in je["events"]), je)
        expect(any("10:00 Morocco time, UTC+1" in e["description"] for e in je["events"]), je)
        _, ar = self.get_ics(f"/calendar/events/{self.e_instants}.ics?lang=ar")
        ja, _ = both(ar)
        expect(all(e["summary"] == "تكوين في المحاسبة" for e in ja["events"]), ja)
        expect(any("10:00 بتوقيت المغرب، UTC+1" in e["description"] for e in ja["events"]), ja)
        expect_error(self.srv.get(f"/calendar/events/{self.e_instants}.ics?lang=de"), 400)

    def test_event_feed_visibility(self):
        st, _, _ = fetch(self.srv, f"/calendar/events/{self.e_internal}.ics")
        expect(st == 404, "internal event hidden from anonymous callers")
        st, _, _ = fetch(self.srv, f"/calendar/events/{self.e_gamma}.ics",
                         headers={"Authorization": "Bearer " + self.org_amal})
        expect(st == 404, "invited event of another organisation hidden")
        _, body = self.get_ics(f"/calendar/events/{self.e_internal}.ics",
                               headers={"Authorization": "Bearer " + self.org_amal})
        expect(b"Concertation interne" in body, "the owner's organiser sees it")
        st, _, _ = fetch(self.srv, "/calendar/events/999999.ics")
        expect(st == 404, "unknown event")

    def test_public_feed_window_and_status(self):
        h, body = self.get_ics("/calendar/public.ics")
        j, p = both(body)
        by_summary = {}
        for e in j["events"]:
            by_summary.setdefault(e["summary"], []).append(e)
        expect("Atelier plaidoyer" in by_summary, "future public event")
        expect("Concertation interne" not in by_summary, "internal event absent")
        expect("Réunion Gamma" not in by_summary, "invited event absent")
        c = by_summary.get("Formation annulée")
        expect(c and c[0]["status"] == "CANCELLED", f"cancelled event kept with STATUS:CANCELLED: {c}")
        expect(c[0]["sequence"] == 3, f"SEQUENCE = event.sequence + session.sequence: {c}")
        expect("Formation annulée il y a longtemps" not in by_summary, "long-cancelled event dropped")
        pp = by_summary.get("Atelier reporté")
        expect(pp and pp[0]["status"] == "TENTATIVE", f"postponed -> TENTATIVE {pp}")
        expect(by_summary["Atelier plaidoyer"][0]["status"] == "CONFIRMED", "scheduled -> CONFIRMED")
        uids = {e["uid"] for e in j["events"]}
        expect(self.uid(self.s_past_recent) in uids, "a session 30 days ago is in the window")
        expect(self.uid(self.s_past_old) not in uids, "a session 90 days ago is not")
        expect(self.uid(self.instant_sessions[3]) in uids and self.uid(self.instant_sessions[0]) not in uids,
               "only the 2026-10-15 instant is within 60 days")
        expect(j["calendar"]["name"] == "Majlis — agenda public", j["calendar"])

    def test_public_filters(self):
        _, body = self.get_ics("/calendar/public.ics?city=casablanca")
        j, _ = both(body)
        expect({e["summary"] for e in j["events"]} == {"Atelier plaidoyer"}, j["events"])
        _, body = self.get_ics("/calendar/public.ics?type=workshop")
        j, _ = both(body)
        expect({e["summary"] for e in j["events"]} == {"Atelier plaidoyer", "Atelier reporté"}, j["events"])
        _, body = self.get_ics(f"/calendar/public.ics?org={self.beta}")
        j, _ = both(body)
        expect({e["summary"] for e in j["events"]} == {"Atelier plaidoyer"}, "a partner's public events")
        _, body = self.get_ics(f"/calendar/public.ics?org={self.gamma}")
        j, _ = both(body)
        expect(j["events"] == [], "Gamma has no public event")
        expect_error(self.srv.get("/calendar/public.ics?type=party"), 400)
        expect_error(self.srv.get("/calendar/public.ics?org=abc"), 400)
        expect_error(self.srv.get("/calendar/public.ics?lang=xx"), 400)
        expect_error(self.srv.get("/calendar/public.ics?city=" + "x" * 101), 400)
        expect_error(self.srv.get("/calendar/public.ics?city=%ff"), 400)

    def test_no_participant_data_in_public_and_org_feeds(self):
        tok = self.make_token("organisation", self.amal)["token"]
        bodies = [self.get_ics("/calendar/public.ics")[1], self.get_ics("/calendar/public.ics?lang=en")[1],
                  self.get_ics(f"/calendar/feed/{tok}.ics")[1],
                  self.get_ics(f"/calendar/events/{self.e_future}.ics")[1]]
        for body in bodies:
            raw = unfold(body)
            for s in SECRETS:
                expect(s not in raw, f"participant data {s!r} leaked")
            expect("\r\nATTENDEE" not in raw, "no ATTENDEE in public/organisation feeds")
            j, _ = both(body)
            expect(all(e["attendees"] == [] for e in j["events"]), "no attendees parsed")

    def test_injection(self):
        _, body = self.get_ics("/calendar/public.ics")
        raw = unfold(body)
        expect("\r\nATTENDEE" not in raw and "\r\nX-EVIL" not in raw, "a title cannot add properties")
        j, p = both(body)
        inj = [e for e in j["events"] if "evil@example.org" in e["summary"]]
        expect(len(inj) == 1 and inj[0]["attendees"] == [], f"one event, no attendee: {inj}")
        expect("ATTENDEE:mailto:evil@example.org" in inj[0]["summary"], "the text survives as text")
        expect(all(e["attendees"] == [] for e in p["events"]), "python-icalendar sees no attendee either")

    def test_arabic_folding(self):
        _, body = self.get_ics("/calendar/public.ics?lang=ar")
        for line in body.split(b"\r\n")[:-1]:
            expect(len(line) <= 75, f"line of {len(line)} octets")
            content = line[1:] if line[:1] == b" " else line
            content.decode("utf-8")  # raises when a fold split a UTF-8 sequence
        j, p = both(body)
        expect(any(e["summary"] == ARABIC_TITLE for e in j["events"]), "300 Arabic characters survive (ical.js)")
        expect(any(e["summary"] == ARABIC_TITLE for e in p["events"]), "and python-icalendar")
        expect(j["calendar"]["name"] == "Majlis — الأجندة العامة", j["calendar"])

    # --- HTTP

    def test_conditional_requests(self):
        path = f"/calendar/events/{self.e_future}.ics"
        h, body = self.get_ics(path)
        h2, body2 = self.get_ics(path)
        expect(h2["etag"] == h["etag"] and body2 == body, "served from the cache while nothing changed")
        st, h3, b3 = fetch(self.srv, path, headers={"If-None-Match": h["etag"]})
        expect(st == 304 and b3 == b"", f"If-None-Match -> 304, got {st}")
        expect(h3.get("etag") == h["etag"], "304 repeats the ETag")
        st, _, _ = fetch(self.srv, path, headers={"If-None-Match": '"other", ' + h["etag"]})
        expect(st == 304, "a list of tags")
        st, _, _ = fetch(self.srv, path, headers={"If-None-Match": '"other"'})
        expect(st == 200, "another tag -> 200")
        st, _, b4 = fetch(self.srv, path, headers={"If-Modified-Since": h["last-modified"]})
        expect(st == 304 and b4 == b"", f"If-Modified-Since -> 304, got {st}")
        earlier = datetime.strptime(h["last-modified"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=timezone.utc)
        old = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(earlier.timestamp() - 3600))
        st, _, _ = fetch(self.srv, path, headers={"If-Modified-Since": old})
        expect(st == 200, "modified since an hour before -> 200")
        st, _, _ = fetch(self.srv, path, headers={"If-None-Match": '"other"', "If-Modified-Since": h["last-modified"]})
        expect(st == 200, "If-None-Match wins over If-Modified-Since")
        # an unrelated change does not change this feed's validators
        self.seed.changed("unrelated")
        h5, _ = self.get_ics(path)
        expect(h5["etag"] == h["etag"], "unchanged content keeps its ETag")

    def test_head(self):
        path = "/calendar/public.ics"
        hg, body = self.get_ics(path)
        st, hh, bh = fetch(self.srv, path, method="HEAD")
        expect(st == 200 and bh == b"", f"HEAD -> 200 without body, got {st} {bh[:50]!r}")
        expect(hh.get("content-type") == CT and hh.get("etag") == hg["etag"], hh)
        expect(int(hh.get("content-length", "-1")) == len(body), f"HEAD Content-Length {hh} vs {len(body)}")
        st, _, _ = fetch(self.srv, path, method="HEAD", headers={"If-None-Match": hg["etag"]})
        expect(st == 304, "conditional HEAD")

    def test_sequence_increases_after_change(self):
        s = self.seed
        ev = s.event(self.amal, None, "Atelier budget")
        sid = s.session(ev, local_days_ahead(15))
        s.changed(f"event:{ev}", self.amal)
        path = f"/calendar/events/{ev}.ics"
        h, body = self.get_ics(path)
        before = {e["uid"]: e["sequence"] for e in both(body)[0]["events"]}
        s.exec("UPDATE events SET sequence = sequence + 1, title_fr = 'Atelier budget (salle changée)', "
               "updated_at = ? WHERE id = ?", (int(time.time()), ev))
        s.exec("UPDATE sessions SET sequence = sequence + 1, updated_at = ? WHERE id = ?", (int(time.time()), sid))
        s.changed(f"event:{ev}", self.amal)
        h2, body2 = self.get_ics(path)
        j, _ = both(body2)
        after = {e["uid"]: e["sequence"] for e in j["events"]}
        uid = self.uid(sid)
        expect(after[uid] == before[uid] + 2, f"SEQUENCE {before[uid]} -> {after[uid]}")
        expect(j["events"][0]["summary"] == "Atelier budget (salle changée)", j["events"])
        expect(h2["etag"] != h["etag"], "a new ETag after a change")
        st, _, _ = fetch(self.srv, path, headers={"If-None-Match": h["etag"]})
        expect(st == 200, "the old ETag no longer matches")
        st, _, _ = fetch(self.srv, path, headers={"If-Modified-Since": h["last-modified"]})
        expect(st == 200, "modified since the old Last-Modified")
        # cancelling keeps the session in the feed, marked CANCELLED, with a higher SEQUENCE
        s.exec("UPDATE events SET status = 'cancelled', sequence = sequence + 1, updated_at = ? WHERE id = ?",
               (int(time.time()), ev))
        s.changed(f"event:{ev}", self.amal)
        _, body3 = self.get_ics("/calendar/public.ics")
        c = [e for e in both(body3)[0]["events"] if e["uid"] == uid]
        expect(len(c) == 1 and c[0]["status"] == "CANCELLED" and c[0]["sequence"] == after[uid] + 1, c)

    # --- tokens

    def test_token_api_rules(self):
        out = self.make_token("organisation", self.amal, bearer=self.org_amal, label="Agenda Amal")
        for k in ("id", "token", "url", "webcal_url", "owner_kind", "owner_id", "label", "created_at"):
            expect(k in out, f"{k} in {out}")
        expect(out["url"].endswith(f"/calendar/feed/{out['token']}.ics"), out)
        expect(out["webcal_url"].startswith("webcal://") and out["webcal_url"].endswith(".ics"), out)
        expect("token_hash" not in out, out)
        expect_error(self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": self.amal},
                                   token=self.org_gamma), 403)
        expect_error(self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": self.amal}), 401)
        expect_error(self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": self.amal},
                                   token=self.srv.token("viewer")), 403)
        expect_error(self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "person", "owner_id": self.p1},
                                   token=self.org_gamma), 404)
        expect_error(self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": 99999},
                                   token=self.admin), 404)
        for bad in ({"owner_kind": "team", "owner_id": 1}, {"owner_kind": "organisation"},
                    {"owner_kind": "organisation", "owner_id": "1"}, {"owner_kind": "organisation", "owner_id": 1, "x": 1},
                    {"owner_kind": "organisation", "owner_id": 1, "label": "a\nb"}):
            before = self.seed.db.execute("SELECT count(*) FROM calendar_tokens").fetchone()[0]
            expect_error(self.srv.post("/api/v1/calendar-tokens", bad, token=self.admin), 400)
            after = self.seed.db.execute("SELECT count(*) FROM calendar_tokens").fetchone()[0]
            expect(before == after, "nothing stored")
        expect_error(self.srv.request("POST", "/api/v1/calendar-tokens", raw=b"{", token=self.admin,
                                      headers={"Content-Type": "application/json"}), 400)
        row = self.seed.db.execute("SELECT token_hash FROM calendar_tokens WHERE id = ?", (out["id"],)).fetchone()
        expect(row and row[0] != out["token"] and len(row[0]) == 64, "only the hash is stored")
        listed = expect_status(self.srv.get("/api/v1/calendar-tokens", token=self.org_amal), 200)
        expect(any(i["id"] == out["id"] for i in listed["items"]), listed)
        expect(all("token" not in i and "token_hash" not in i for i in listed["items"]), "no token values listed")
        mine = expect_status(self.srv.get("/api/v1/calendar-tokens", token=self.org_gamma), 200)
        expect(all(i["id"] != out["id"] for i in mine["items"]), "another organisation's tokens are not listed")
        expect_error(self.srv.delete(f"/api/v1/calendar-tokens/{out['id']}", token=self.org_gamma), 404)
        expect(out["token"] not in self.srv.log_text(), "the token never reaches the log")

    def test_links_ignore_host_header(self):
        """Links come from the configuration (here the --listen address), never from the request's Host."""
        hostile = {"Host": "hostile-host.example:666"}
        base = f"http://127.0.0.1:{self.srv.port}"
        r = self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": self.amal},
                          token=self.admin, headers=hostile)
        out = expect_status(r, 201)
        expect("hostile-host" not in r.body, "no link to the Host header", r)
        expect(out["url"] == f"{base}/calendar/feed/{out['token']}.ics", "url from --listen", out)
        expect(out["webcal_url"] == f"webcal://127.0.0.1:{self.srv.port}/calendar/feed/{out['token']}.ics",
               "webcal_url from --listen", out)
        expect("https_url" not in out, "no https_url holding an http URL", out)
        r = self.srv.post(f"/api/v1/calendar-tokens/{out['id']}/rotate", token=self.admin, headers=hostile)
        rot = expect_status(r, 201)
        expect(rot["url"] == f"{base}/calendar/feed/{rot['token']}.ics", "rotated url from --listen", rot)
        for path in ("/calendar/public.ics", f"/calendar/feed/{rot['token']}.ics", "/api/v1/events"):
            st, _, body = fetch(self.srv, path, headers=hostile)
            expect(st == 200 and b"hostile-host" not in body, f"{path}: no link to the Host header", body[:200])

    def test_org_feed_and_revocation(self):
        out = self.make_token("organisation", self.amal)
        path = f"/calendar/feed/{out['token']}.ics"
        _, body = self.get_ics(path)
        j, _ = both(body)
        names = {e["summary"] for e in j["events"]}
        expect("Concertation interne" in names and "Atelier plaidoyer" in names, names)
        expect("Réunion Gamma" not in names, "another organisation's event absent")
        expect(j["calendar"]["name"] == "Majlis — Association Amal", j["calendar"])
        beta = self.make_token("organisation", self.beta)
        _, bb = self.get_ics(f"/calendar/feed/{beta['token']}.ics")
        bn = {e["summary"] for e in both(bb)[0]["events"]}
        expect("Concertation interne" in bn and "Formation comptable" not in bn, f"partner events only: {bn}")
        st = self.srv.delete(f"/api/v1/calendar-tokens/{out['id']}", token=self.org_amal).status
        expect(st == 204, f"revoke -> 204, got {st}")
        st, _, _ = fetch(self.srv, path)
        expect(st == 404, f"revoked feed -> 404 at once, got {st}")
        st, _, _ = fetch(self.srv, path, method="HEAD")
        expect(st == 404, "HEAD too")
        expect_error(self.srv.delete(f"/api/v1/calendar-tokens/{out['id']}", token=self.admin), 404)
        st, _, _ = fetch(self.srv, "/calendar/feed/" + "A" * 43 + ".ics")
        expect(st == 404, "an unknown token")
        listed = expect_status(self.srv.get("/api/v1/calendar-tokens", token=self.admin), 200)
        expect(all(i["id"] != out["id"] for i in listed["items"]), "revoked tokens are not listed")
        _, again = self.get_ics(f"/calendar/feed/{beta['token']}.ics")
        expect(again, "other tokens still work")

    def test_token_rotation(self):
        out = self.make_token("organisation", self.amal, label="Outlook du secrétariat")
        old = f"/calendar/feed/{out['token']}.ics"
        self.get_ics(old)
        # another organisation's organiser cannot rotate it, and nothing changes
        expect_error(self.srv.post(f"/api/v1/calendar-tokens/{out['id']}/rotate", token=self.org_gamma), 404)
        self.get_ics(old)
        r = expect_status(self.srv.post(f"/api/v1/calendar-tokens/{out['id']}/rotate", token=self.org_amal), 201)
        expect(r["token"] != out["token"] and r["id"] != out["id"], "a new secret", r)
        expect(r["label"] == "Outlook du secrétariat", "the label is kept", r)
        expect(r["url"].endswith(f"/calendar/feed/{r['token']}.ics") and
               r["webcal_url"].startswith("webcal://"), "both URLs offered", r)
        st, _, _ = fetch(self.srv, old)
        expect(st == 404, f"the old URL stops at once, got {st}")
        _, body = self.get_ics(f"/calendar/feed/{r['token']}.ics")
        names = {e["summary"] for e in both(body)[0]["events"]}
        expect("Concertation interne" in names, "the new URL serves the same calendar")
        expect_error(self.srv.post(f"/api/v1/calendar-tokens/{out['id']}/rotate", token=self.org_amal), 404)
        expect(r["token"] not in self.srv.log_text(), "the new token never reaches the log")

    def test_person_feed_keeps_cancelled_event(self):
        """Cancelling an event keeps it in its participants' personal feeds, STATUS:CANCELLED with a higher
        SEQUENCE, as in every other feed; one who had cancelled before no longer sees it."""
        ev = expect_status(self.srv.post("/api/v1/events", {"type": "training", "title_fr": "Formation à annuler",
                                                            "capacity": 10}, token=self.org_amal), 201)
        day = local_days_ahead(12)[:10]
        sess = expect_status(self.srv.post(f"/api/v1/events/{ev['id']}/sessions",
                                           {"starts_local": day + "T10:00", "ends_local": day + "T12:00"},
                                           token=self.org_amal), 201)
        uid = f"session-{sess['id']}@majlis.local"
        feeds = {}
        for name in ("Kept Participantcxl", "Gone Participantcxl"):
            r = expect_status(self.srv.post(f"/api/v1/events/{ev['id']}/registrations",
                                            {"name": name, "email": name.split()[0].lower() + "@example.org",
                                             "consent": True}), 201)
            person = self.seed.db.execute("SELECT person_id FROM registrations WHERE id = ?",
                                          (r["registration"]["id"],)).fetchone()[0]
            tok = self.make_token("person", person, bearer=self.org_amal)
            feeds[name] = (f"/calendar/feed/{tok['token']}.ics", r["token"])

        def mine(name):
            _, body = self.get_ics(feeds[name][0])
            return [e for e in both(body)[0]["events"] if e["uid"] == uid]

        before = mine("Kept Participantcxl")
        expect(len(before) == 1 and before[0]["status"] == "CONFIRMED", before)
        expect_status(self.srv.post(f"/api/v1/r/{feeds['Gone Participantcxl'][1]}/cancel"), 200)
        expect(mine("Gone Participantcxl") == [], "a registration cancelled by its participant drops out")
        expect_status(self.srv.post(f"/api/v1/events/{ev['id']}/cancel", token=self.org_amal), 200)
        after = mine("Kept Participantcxl")
        expect(len(after) == 1 and after[0]["status"] == "CANCELLED", f"kept, cancelled: {after}")
        expect(after[0]["sequence"] > before[0]["sequence"], f"SEQUENCE {before[0]['sequence']} -> {after}")
        expect(mine("Gone Participantcxl") == [], "still absent for who had cancelled before")
        # a later edit of the cancelled event neither drops it nor restarts its window
        expect_status(self.srv.patch(f"/api/v1/events/{ev['id']}", {"title_fr": "Formation annulée (bis)"},
                                     token=self.org_amal), 200)
        again = mine("Kept Participantcxl")
        expect(len(again) == 1 and again[0]["status"] == "CANCELLED", f"still kept: {again}")

    def test_person_feed(self):
        out = self.make_token("person", self.p1, bearer=self.org_amal)
        path = f"/calendar/feed/{out['token']}.ics"
        _, body = self.get_ics(path)
        j, p = both(body)
        by = {e["summary"]: e for e in j["events"]}
        expect("Atelier plaidoyer" in by, by.keys())
        expect("Formation passée" not in by, "cancelled registrations are not shown")
        expect("Concertation interne" not in by, "someone else's registration")
        for e in j["events"]:
            expect(len(e["attendees"]) == 1, e)
            a = e["attendees"][0]
            expect(a["value"] == "mailto:" + P1_EMAIL and a["cn"] == P1_NAME, a)
        fut = by["Atelier plaidoyer"]
        expect(fut["attendees"][0]["partstat"] == "ACCEPTED", fut)
        expect(by["Atelier reporté"]["attendees"][0]["partstat"] == "NEEDS-ACTION", "waitlisted")
        expect(all(len(e["attendees"]) == 1 for e in p["events"]), "python-icalendar sees the one attendee")
        expect(P2_NAME not in unfold(body), "only the owner's own data")
        # a new registration shows on the next fetch
        s = self.seed
        e_new = s.event(self.amal, None, "Nouvelle formation")
        s.session(e_new, local_days_ahead(50))
        s.register(e_new, self.p1, "pending")
        s.changed(f"event:{e_new}", self.amal)
        _, body2 = self.get_ics(path)
        j2, _ = both(body2)
        nb = {e["summary"]: e for e in j2["events"]}
        expect("Nouvelle formation" in nb, "the new registration appears")
        expect(nb["Nouvelle formation"]["attendees"][0]["partstat"] == "TENTATIVE", "pending -> TENTATIVE")
        # declined shows as DECLINED in the other participant's feed
        tok2 = self.make_token("person", self.p2)["token"]
        _, b3 = self.get_ics(f"/calendar/feed/{tok2}.ics")
        j3, _ = both(b3)
        ps = {e["summary"]: e["attendees"][0] for e in j3["events"]}
        expect(ps["Atelier plaidoyer"]["partstat"] == "DECLINED", ps)
        expect(ps["Concertation interne"]["partstat"] == "TENTATIVE", ps)
        expect(ps["Concertation interne"]["value"].startswith("urn:"), "no e-mail: a URN, never the phone")
        expect(P2_PHONE not in unfold(b3), "no phone numbers")
        # the sessions a person leads are in their calendar too (accepted), without registering
        e_led = s.event(self.amal, None, "Module animé")
        sid = s.session(e_led, local_days_ahead(40))
        s.exec("UPDATE sessions SET facilitator_id = ? WHERE id = ?", (self.p1, sid))
        s.changed(f"event:{e_led}", self.amal)
        _, body4 = self.get_ics(path)
        j4, _ = both(body4)
        led = {e["summary"]: e for e in j4["events"]}
        expect("Module animé" in led, "a session the person facilitates appears")
        expect(led["Module animé"]["attendees"][0]["partstat"] == "ACCEPTED", led["Module animé"])
        expect(sum(1 for e in j4["events"] if e["uid"] == self.uid(sid)) == 1, "once")


if __name__ == "__main__":
    T().run()
