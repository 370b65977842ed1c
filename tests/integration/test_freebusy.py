"""Free/busy: seeds organisations, people, events, sessions and registrations through the API, fetches
GET /calendar/freebusy/{token}.ifb for an organisation, a participant and a facilitator, and parses every
answer with two independent parsers: Debian's python3-icalendar (in a subprocess: the harness interpreter
may lack it) and the npm package ical.js (through node)."""

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_error, expect_status  # noqa: E402
from test_feeds import icaljs_ready, python_icalendar  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CASA = ZoneInfo("Africa/Casablanca")
CT = "text/calendar; charset=utf-8"
SECRETS = ["Freebusy Participantxq", "freebusy.xq@example.org", "Facilitatorzk", "Othermemberwv",
           "Titre confidentiel"]

PY_FREEBUSY = r"""
import json, sys, datetime
import icalendar
utc = datetime.timezone.utc
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = {"version": str(cal.get("VERSION")), "method": cal.get("METHOD") and str(cal.get("METHOD")),
       "freebusy": []}
def iso(d):
    return d.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ")
for fb in cal.walk("VFREEBUSY"):
    props = fb.get("FREEBUSY")
    if props is None:
        props = []
    elif not isinstance(props, list):
        props = [props]
    periods = []
    for p in props:
        periods.append({"type": p.params.get("FBTYPE"), "start": iso(p.start), "end": iso(p.end)})
    out["freebusy"].append({"uid": str(fb.get("UID")), "dtstamp": iso(fb.get("DTSTAMP").dt),
                            "start": iso(fb.get("DTSTART").dt), "end": iso(fb.get("DTEND").dt),
                            "periods": periods, "organizer": fb.get("ORGANIZER") is not None,
                            "attendee": fb.get("ATTENDEE") is not None})
print(json.dumps(out))
"""


def parse_python(body):
    r = subprocess.run([python_icalendar(), "-c", PY_FREEBUSY], input=body.encode(), capture_output=True,
                       timeout=60)
    expect(r.returncode == 0, "python3-icalendar failed: " + r.stderr.decode("utf-8", "replace"))
    return json.loads(r.stdout)


def parse_icaljs(body):
    icaljs_ready()
    r = subprocess.run(["node", os.path.join(HERE, "icaljs_freebusy.mjs")], input=body.encode(),
                       capture_output=True, timeout=60)
    expect(r.returncode == 0, "ical.js failed: " + r.stderr.decode("utf-8", "replace"))
    return json.loads(r.stdout)


def local_day(days):
    """The Casablanca date days from today, as a date."""
    return (datetime.now(CASA) + timedelta(days=days)).date()


def wall(days, hm):
    return f"{local_day(days).isoformat()}T{hm}"


def utc_iso(days, hm):
    """UTC ISO form of the Casablanca wall time hm on day days from today."""
    d = datetime.fromisoformat(wall(days, hm)).replace(tzinfo=CASA)
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def midnight_utc(d):
    """UTC ISO form of local midnight starting date d in Casablanca."""
    return datetime(d.year, d.month, d.day, tzinfo=CASA).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class T(Checks):
    def __init__(self):
        self.srv = None
        self.seeded = None

    # -- seeding through the API ------------------------------------------------------------------

    def seed(self):
        if self.seeded:
            return self.seeded
        srv = self.srv
        admin = srv.token("admin")
        s = {"admin": admin}

        def post(path, body, status=201):
            r = srv.post(path, body, token=admin)
            return expect_status(r, status, path)

        org_a = post("/api/v1/organisations", {"name": "Org FB A", "kind": "ngo"})["id"]
        org_b = post("/api/v1/organisations", {"name": "Org FB B", "kind": "ngo"})["id"]
        fac = post("/api/v1/people", {"name": "Karim Facilitatorzk", "consent": True, "org_id": org_b})["id"]

        def event(org, **kw):
            body = {"type": "workshop", "title_fr": "Titre confidentiel", "org_id": org, "capacity": 10}
            body.update(kw)
            return post("/api/v1/events", body)["id"]

        def session(ev, days, start, end, **kw):
            body = {"starts_local": wall(days, start), "ends_local": wall(days, end)}
            body.update(kw)
            return post(f"/api/v1/events/{ev}/sessions", body)["id"]

        e1 = event(org_a)                                    # confirmed, two back-to-back sessions
        session(e1, 3, "10:00", "12:00")
        session(e1, 3, "12:00", "14:00")
        e2 = event(org_a, needs_approval=True)               # pending: overlaps e1 and goes on
        session(e2, 3, "13:00", "16:00")
        e3 = event(org_b, partner_org_ids=[org_a], visibility="invited")  # partner event of org A
        session(e3, 5, "09:00", "11:00")
        e4 = event(org_a)                                    # cancelled: never busy
        session(e4, 7, "09:00", "11:00")
        e5 = event(org_b, capacity=1)                        # full: the participant is waitlisted
        session(e5, 9, "09:00", "11:00")
        e6 = event(org_b)                                    # facilitated
        session(e6, 11, "14:00", "17:00", facilitator_id=fac)
        e7 = event(org_b)                                    # beyond the default 60 days
        session(e7, 75, "09:00", "10:00")

        participant = {"name": "Freebusy Participantxq", "email": "freebusy.xq@example.org", "consent": True}
        other = {"name": "Nadia Othermemberwv", "email": "other.wv@example.org", "consent": True}
        st = {}
        for ev in (e1, e2, e4, e7):
            st[ev] = post(f"/api/v1/events/{ev}/registrations", participant)["registration"]["status"]
        post(f"/api/v1/events/{e5}/registrations", other)
        st[e5] = post(f"/api/v1/events/{e5}/registrations", participant)["registration"]["status"]
        expect(st == {e1: "confirmed", e2: "pending", e4: "confirmed", e7: "confirmed", e5: "waitlisted"},
               f"registration statuses {st}")
        post(f"/api/v1/events/{e4}/cancel", None, status=200)
        regs = expect_status(srv.get(f"/api/v1/events/{e1}/registrations", token=admin), 200)
        person = regs["items"][0]["person_id"]

        def token(kind, owner):
            return post("/api/v1/calendar-tokens", {"owner_kind": kind, "owner_id": owner})

        s.update(org_a=org_a, person=person, fac=fac, e2=e2,
                 t_org=token("organisation", org_a), t_person=token("person", person),
                 t_fac=token("person", fac))
        self.seeded = s
        return s

    def fb(self, token, query="", **kw):
        return self.srv.get(f"/calendar/freebusy/{token}.ifb{query}", **kw)

    def both(self, body):
        """The one VFREEBUSY of body as both parsers see it; asserts they agree."""
        py, js = parse_python(body), parse_icaljs(body)
        expect(len(py["freebusy"]) == 1 and len(js["freebusy"]) == 1, "one VFREEBUSY", body)
        p, j = py["freebusy"][0], js["freebusy"][0]
        for k in ("uid", "dtstamp", "start", "end", "periods"):
            expect(p[k] == j[k], f"python-icalendar and ical.js disagree on {k}: {p[k]!r} vs {j[k]!r}")
        expect(py["method"] is None, "no METHOD")
        expect(not p["organizer"] and not p["attendee"] and not j["organizer"] and not j["attendees"],
               "no ORGANIZER / ATTENDEE")
        return p

    # -- checks ------------------------------------------------------------------------------------

    def test_organisation(self):
        s = self.seed()
        r = self.fb(s["t_org"]["token"])
        expect_status(r, 200)
        expect(r.headers.get("content-type") == CT, "content type", r)
        fb = self.both(r.body)
        expect(fb["uid"] == f"freebusy-{s['t_org']['id']}@majlis.local", "stable UID " + fb["uid"])
        expect(fb["start"] == midnight_utc(local_day(0)), f"DTSTART today {fb['start']}")
        expect(fb["end"] == midnight_utc(local_day(61)), f"DTEND today + 60 days {fb['end']}")
        want = [
            {"type": "BUSY", "start": utc_iso(3, "10:00"), "end": utc_iso(3, "16:00")},
            {"type": "BUSY", "start": utc_iso(5, "09:00"), "end": utc_iso(5, "11:00")},
        ]
        expect(fb["periods"] == want, f"organisation periods {fb['periods']} != {want}")
        for secret in SECRETS:
            expect(secret not in r.body, f"{secret!r} must not appear")

    def test_participant_tentative(self):
        s = self.seed()
        r = self.fb(s["t_person"]["token"])
        fb = self.both(expect_status(r, 200) or r.body)
        want = [
            {"type": "BUSY", "start": utc_iso(3, "10:00"), "end": utc_iso(3, "14:00")},
            {"type": "BUSY-TENTATIVE", "start": utc_iso(3, "14:00"), "end": utc_iso(3, "16:00")},
            {"type": "BUSY-TENTATIVE", "start": utc_iso(9, "09:00"), "end": utc_iso(9, "11:00")},
        ]
        expect(fb["periods"] == want, f"participant periods {fb['periods']} != {want}")
        for secret in SECRETS:
            expect(secret not in r.body, f"{secret!r} must not appear")

    def test_facilitator(self):
        s = self.seed()
        fb = self.both(self.fb(s["t_fac"]["token"]).body)
        want = [{"type": "BUSY", "start": utc_iso(11, "14:00"), "end": utc_iso(11, "17:00")}]
        expect(fb["periods"] == want, f"facilitator periods {fb['periods']}")

    def test_range_bounds(self):
        s = self.seed()
        d3, d75 = local_day(3), local_day(75)
        r = self.fb(s["t_person"]["token"], f"?from={d3.isoformat()}&to={d3.isoformat()}")
        fb = self.both(expect_status(r, 200) or r.body)
        expect(fb["start"] == midnight_utc(d3) and fb["end"] == midnight_utc(d3 + timedelta(days=1)),
               f"one day {fb['start']} {fb['end']}")
        expect(len(fb["periods"]) == 2, "day 3 only", r)
        r = self.fb(s["t_person"]["token"], f"?from={local_day(70).isoformat()}&to={d75.isoformat()}")
        fb = self.both(r.body)
        expect(fb["periods"] == [{"type": "BUSY", "start": utc_iso(75, "09:00"), "end": utc_iso(75, "10:00")}],
               f"day 75 {fb['periods']}")
        start = local_day(0)
        expect_status(self.fb(s["t_org"]["token"],
                              f"?from={start.isoformat()}&to={(start + timedelta(days=365)).isoformat()}"), 200)

    def test_bad_ranges(self):
        s = self.seed()
        tok = s["t_org"]["token"]
        today = local_day(0)
        for q in ("?from=2026-02-30", "?from=tomorrow", "?to=2026-13-01", "?from=2026-1-1",
                  f"?from={today.isoformat()}&to={(today - timedelta(days=1)).isoformat()}",
                  f"?from={today.isoformat()}&to={(today + timedelta(days=366)).isoformat()}",
                  "?from=" + "9" * 40):
            expect_error(self.fb(tok, q), 400, "invalid_query")

    def test_unknown_and_revoked(self):
        s = self.seed()
        expect_error(self.fb("A" * 43), 404)
        expect_error(self.fb("not-a-token"), 404)
        t = self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": s["org_a"]},
                          token=s["admin"])
        t = expect_status(t, 201)
        expect_status(self.fb(t["token"]), 200)
        expect_status(self.srv.delete(f"/api/v1/calendar-tokens/{t['id']}", token=s["admin"]), 204)
        expect_error(self.fb(t["token"]), 404)

    def test_conditional(self):
        s = self.seed()
        tok = s["t_person"]["token"]
        r = self.fb(tok)
        etag, lm = r.headers.get("etag"), r.headers.get("last-modified")
        expect(etag and etag.startswith('"') and lm, "validators", r)
        expect(r.headers.get("cache-control") == "private, no-cache", "cache-control", r)
        r2 = self.fb(tok)
        expect(r2.body == r.body and r2.headers.get("etag") == etag, "same bytes when nothing changed")
        r3 = self.fb(tok, headers={"If-None-Match": etag})
        expect(r3.status == 304 and r3.body == "", "304 on If-None-Match", r3)
        r4 = self.fb(tok, headers={"If-Modified-Since": lm})
        expect(r4.status == 304, "304 on If-Modified-Since", r4)
        r5 = self.fb(tok, headers={"If-None-Match": '"other"', "If-Modified-Since": lm})
        expect(r5.status == 200, "If-None-Match wins", r5)
        h = self.srv.request("HEAD", f"/calendar/freebusy/{tok}.ifb")
        expect(h.status == 200 and h.body == "" and h.headers.get("etag") == etag, "HEAD", h)
        # a change makes a new answer: a newly confirmed registration turns tentative into busy
        time.sleep(1.1)
        lst = expect_status(self.srv.get(f"/api/v1/events/{s['e2']}/registrations?status=pending",
                                         token=s["admin"]), 200)
        expect(len(lst["items"]) == 1, "the pending registration", lst)
        pend = lst["items"][0]["id"]
        expect_status(self.srv.post(f"/api/v1/registrations/{pend}/approve", None, token=s["admin"]), 200)
        r6 = self.fb(tok, headers={"If-None-Match": etag})
        expect(r6.status == 200 and r6.headers.get("etag") != etag, "new ETag after a change", r6)
        fb = self.both(r6.body)
        expect(fb["periods"][0] == {"type": "BUSY", "start": utc_iso(3, "10:00"), "end": utc_iso(3, "16:00")},
               f"approved: busy {fb['periods']}")
        r7 = self.fb(tok, headers={"If-Modified-Since": lm})
        expect(r7.status == 200, "If-Modified-Since before the change", r7)

    def run(self):
        """All tests share one server; the conditional check changes data, so it runs last."""
        names = self.selected()
        if "test_conditional" in names:
            names.remove("test_conditional")
            names.append("test_conditional")
        with Server() as srv:
            self.srv = srv
            self.run_each(names)


if __name__ == "__main__":
    T().run()
