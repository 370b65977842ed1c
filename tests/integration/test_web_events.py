"""The organisers' event pages in a browser (tests/e2e/events.spec.mjs): an organiser, in Arabic on a 360 px
phone, creates an event through /admin/events/new, adds two sessions in a room, is refused another room that
a session of another event already holds at that time and sees that session named (its event, its times), edits
the capacity, adds a session at a wall time that happens twice (asked which) and sees the API's warning that
it crosses the clock change, then finds the two sessions in the calendar's month view (right to left, FullCalendar styled
under the strict CSP with no console error) and in its agenda view, whose session opens the event's page;
adds a room on /admin/venues after a refused capacity; an organiser of another organisation finds no trace
of the (internal) event, in the calendar or at its form's address, while a viewer of the organisation sees its
sessions and is offered neither the form nor the venues; logged out, the calendar sends to /login?next=. axe-core on every page in fr, ar and en; screenshots ar
360 px and fr 1280 px kept. The pages are served like the others (type, CSP, no inline script), FullCalendar
and its locales from web/vendor/, compressed; what the browser did is checked in the database."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, db_rows, expect, expect_status  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, REPO, WEB, e2e_ready  # noqa: E402

HOME = ZoneInfo("Africa/Casablanca")
PAGES = {"/admin/calendar": "calendar.html", "/admin/events/new": "event-edit.html",
         "/admin/events/7/edit": "event-edit.html", "/admin/venues": "venues.html"}


def vendor_ready():
    """The pages' browser libraries in web/vendor/ (scripts/web_vendor.sh: npm ci only when needed)."""
    if os.path.isfile(os.path.join(WEB, "vendor", "fullcalendar", "index.global.min.js")):
        return
    r = subprocess.run([os.path.join(REPO, "scripts", "web_vendor.sh")], capture_output=True, text=True, timeout=300)
    expect(r.returncode == 0, "scripts/web_vendor.sh failed:\n" + r.stdout + r.stderr)


class T(Checks):
    def __init__(self):
        self.srv = None

    def test_pages_served(self):
        for path, name in PAGES.items():
            r = self.srv.get(path)
            expect_status(r, 200, path)
            expect(r.headers.get("content-type") == "text/html; charset=utf-8", f"{path} type", r)
            csp = r.headers.get("content-security-policy", "")
            expect("script-src 'self'" in csp and "style-src 'self';" in csp, f"{path}: the strict CSP", r)
            with open(os.path.join(WEB, name), encoding="utf-8") as f:
                expect(r.body == f.read(), f"{path}: the bytes of web/{name}")
            expect("<script>" not in r.body and "style=" not in r.body and "<style" not in r.body,
                   f"{path}: no inline script or style")
        for bad in ("/admin/events/abc/edit", "/admin/events/7/edit/x"):
            expect_status(self.srv.get(bad), 404, bad)
        for path, ctype in (("/calendar.js", "text/javascript"), ("/event-edit.js", "text/javascript"),
                            ("/venues.js", "text/javascript"), ("/events-common.js", "text/javascript"),
                            ("/calendar-styles.js", "text/javascript"), ("/events-admin.css", "text/css"),
                            ("/vendor/fullcalendar/index.global.min.js", "text/javascript"),
                            ("/vendor/@fullcalendar/core/locales/fr.global.min.js", "text/javascript"),
                            ("/vendor/@fullcalendar/core/locales/ar.global.min.js", "text/javascript")):
            r = self.srv.get(path, headers={"Accept-Encoding": "br, gzip"})
            expect_status(r, 200, path)
            expect(r.headers.get("content-type", "").startswith(ctype), f"{path} type", r)
            expect(r.headers.get("content-encoding") in ("br", "gzip"), f"{path} served compressed", r)

    def setup(self):
        """An organisation with an organiser account, a venue with two rooms, and another event whose
        session holds the first room on day 10:00-12:00. Returns (email, password, day, other title)."""
        srv = self.srv
        admin = srv.token("admin")
        org = expect_status(srv.post("/api/v1/organisations", token=admin,
                                     body={"name": "Association Tadbir", "kind": "ngo", "city": "Oujda"}), 201)["id"]
        email, password = "tadbir@example.org", "une phrase de passe"
        expect_status(srv.post("/api/v1/accounts", token=admin, body={
            "email": email, "display_name": "Tadbir", "password": password, "role": "organiser", "org_id": org}), 201)
        venue = expect_status(srv.post("/api/v1/venues", token=admin, body={
            "name": "Centre Al Amal", "city": "Oujda", "org_id": org}), 201)["id"]
        room_a = expect_status(srv.post(f"/api/v1/venues/{venue}/rooms", token=admin,
                                        body={"name": "Salle A", "capacity": 30}), 201)["id"]
        expect_status(srv.post(f"/api/v1/venues/{venue}/rooms", token=admin, body={"name": "Salle B", "capacity": 20}), 201)
        other_org = expect_status(srv.post("/api/v1/organisations", token=admin,
                                           body={"name": "Association Nour", "kind": "ngo", "city": "Fès"}), 201)["id"]
        expect_status(srv.post("/api/v1/accounts", token=admin, body={
            "email": "nour@example.org", "display_name": "Nour", "password": password, "role": "organiser",
            "org_id": other_org}), 201)
        expect_status(srv.post("/api/v1/accounts", token=admin, body={
            "email": "vue@example.org", "display_name": "Vue", "password": password, "role": "viewer",
            "org_id": org}), 201)
        day = (datetime.now(HOME) + timedelta(days=10)).date().isoformat()
        other = "Atelier budget local"
        ev = expect_status(srv.post("/api/v1/events", token=admin, body={
            "type": "workshop", "org_id": org, "capacity": 10, "title_fr": other}), 201)["id"]
        expect_status(srv.post(f"/api/v1/events/{ev}/sessions", token=admin, body={
            "starts_local": f"{day}T10:00", "ends_local": f"{day}T12:00", "room_id": room_a}), 201)
        return email, password, day, other

    def test_browser(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        email, password, day, other = self.setup()
        base = f"http://127.0.0.1:{self.srv.port}"
        r = subprocess.run(["node", os.path.join(E2E, "events.spec.mjs"), base, email, password, day, "Salle A",
                            "Salle B", other, "nour@example.org", password, "vue@example.org", ARTEFACTS], capture_output=True, text=True,
                           timeout=400)
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "events.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        for name in ("create_event", "two_sessions", "double_booked_room_named", "edit_capacity", "calendar_month_rtl",
                     "calendar_agenda_opens_event", "venues_room", "clock_change_warned", "logged_out_to_login",
                     "stranger_sees_nothing", "viewer_reads", "axe",
                     "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:2500]}")
        expect(r.returncode == 0, f"events.spec.mjs failed: {out['failed']}")
        ev = out["event_id"]
        rows = db_rows(self.srv.db, "SELECT e.title_ar, e.title_fr, e.capacity, e.visibility, v.name FROM events e "
                       "LEFT JOIN venues v ON v.id = e.venue_id WHERE e.id = ?", (ev,))
        expect(rows == [("تكوين في المحاسبة", "Formation en comptabilité", 25, "internal", "Centre Al Amal")],
               "the event stored", rows)
        sess = db_rows(self.srv.db, "SELECT s.starts_local, s.start_offset, r.name FROM sessions s LEFT JOIN rooms r "
                       "ON r.id = s.room_id WHERE s.event_id = ? ORDER BY s.start_utc", (ev,))
        d = datetime.fromisoformat(day)
        want = [("2026-09-20T01:30:00", 3600, None)] + [
            ((d + timedelta(days=n)).date().isoformat() + "T09:00:00", None, "Salle B") for n in (1, 2)]
        sess = [(a, o if r is None else None, r) for a, o, r in sess]
        expect(sess == want, "two sessions in Salle B (none in the booked room) and the first 01:30 of 20 September", sess)
        rooms = db_rows(self.srv.db, "SELECT name, capacity FROM rooms WHERE name = ?", ("قاعة 3",))
        expect(rooms == [("قاعة 3", 12)], "the room added on /admin/venues (the refused capacity stored nothing)", rooms)
        print("     screenshots: " + ", ".join(out["screenshots"]))

    def run(self):
        vendor_ready()
        with Server(extra_args=["--web-root", WEB]) as srv:
            self.srv = srv
            super().run()


if __name__ == "__main__":
    T().run()
