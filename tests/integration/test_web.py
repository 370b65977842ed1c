"""Web pages: starts majlisd with demo data and the repository's web root, checks how the static files,
the event page and the participant's page are served (types, security headers, no-store), then drives
Debian's chromium through them with playwright-core (tests/e2e/web.spec.mjs): the programme lists events
and links them to their pages, Arabic turns the page right to left, the subscription and add-to-calendar
links point at working feeds; at 360 px in Arabic and at 1280 px in French a participant opens an event,
registers through its form and lands on the personal page; a full event offers the waiting list and a
cancelled one says so; the personal page shows a registration and Confirm works; axe-core finds no serious
or critical violation on any page, and no console error (a CSP violation would be one) shows up."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_error, expect_status  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
E2E = os.path.join(REPO, "tests", "e2e")
WEB = os.path.join(REPO, "web")
CHROMIUM = "/usr/bin/chromium"
# screenshots of each step are kept next to the build's majlisd (a test artefact: look at them)
ARTEFACTS = os.environ.get("MAJLIS_WEB_ARTEFACTS") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(os.environ.get("MAJLISD", os.path.join(REPO, "build", "server", "majlisd"))))),
    "web-artefacts")


def e2e_ready():
    """Installs playwright-core into tests/e2e/node_modules when missing (never a browser)."""
    if all(os.path.isfile(os.path.join(E2E, "node_modules", m, "package.json"))
           for m in ("playwright-core", "axe-core")):
        return
    npm = shutil.which("npm")
    expect(npm and shutil.which("node"), "node and npm are required (apt-get install nodejs npm)")
    env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1")
    r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=E2E,
                       capture_output=True, text=True, timeout=300, env=env)
    expect(r.returncode == 0, "`cd tests/e2e && npm install` failed:\n" + r.stdout + r.stderr)


class T(Checks):
    def __init__(self):
        self.srv = None

    def registration(self):
        """A confirmed registration (its token) to an upcoming public event, made through the API."""
        today = datetime.now(ZoneInfo("Africa/Casablanca")).date().isoformat()
        events = expect_status(self.srv.get(f"/api/v1/events?from={today}&limit=200"), 200)["items"]
        for i, ev in enumerate(events):
            if ev["status"] != "scheduled" or ev["needs_approval"]:
                continue
            r = self.srv.post(f"/api/v1/events/{ev['id']}/registrations",
                              {"name": "Salma Webtest", "email": f"salma.web{i}@example.org", "lang": "fr",
                               "consent": True})
            if r.status == 201 and r.json["registration"]["status"] == "confirmed":
                expect(r.json["link"] == "/r/" + r.json["token"], "link", r)
                return r.json["token"]
        raise AssertionError("no upcoming public event with a free seat in the demo data")

    def events(self):
        """Four public events made through the API, with a session in ten days: one open with seats, one
        full (no seat: registering puts one on the waiting list), one cancelled and one whose registration
        closed yesterday. Returns their ids."""
        admin = self.srv.token("admin")
        org = expect_status(self.srv.get("/api/v1/organisations?limit=1"), 200)["items"][0]["id"]
        venue = expect_status(self.srv.get("/api/v1/venues?limit=1"), 200)["items"][0]["id"]
        day = (datetime.now(ZoneInfo("Africa/Casablanca")) + timedelta(days=10)).date().isoformat()
        ids = {}
        closed = (datetime.now(ZoneInfo("Africa/Casablanca")) - timedelta(days=1)).isoformat(timespec="seconds")
        for name, capacity in (("open", 40), ("full", 0), ("cancelled", 40), ("closed", 40)):
            extra = {"registration_closes_at": closed} if name == "closed" else {}
            ev = expect_status(self.srv.post("/api/v1/events", {**extra,
                "type": "workshop", "org_id": org, "venue_id": venue, "capacity": capacity,
                "title_fr": f"Atelier d'essai ({name})", "title_ar": f"ورشة تجريبية ({name})",
                "title_en": f"Test workshop ({name})",
                # markup in data must show as text (the pages never write HTML)
                "description_fr": "Une matinée pour essayer.\nVenez avec une pièce d'identité. <img src=x onerror=alert(1)>",
                "description_ar": "صباح للتجربة.\nأحضر بطاقة التعريف."}, token=admin), 201)
            expect_status(self.srv.post(f"/api/v1/events/{ev['id']}/sessions", {
                "starts_local": f"{day}T09:00", "ends_local": f"{day}T13:00", "title": "Séance unique"},
                token=admin), 201)
            if name == "cancelled":
                expect_status(self.srv.post(f"/api/v1/events/{ev['id']}/cancel", token=admin), 200)
            ids[name] = ev["id"]
        return ids

    def test_event_page_served(self):
        r = self.srv.get("/e/1")
        expect_status(r, 200)
        expect(r.headers.get("content-type") == "text/html; charset=utf-8", "type", r)
        expect("script-src 'self'" in r.headers.get("content-security-policy", ""), "CSP", r)
        with open(os.path.join(WEB, "e.html"), encoding="utf-8") as f:
            expect(r.body == f.read(), "the bytes of web/e.html")
        expect("<script>" not in r.body and "style=" not in r.body, "no inline script or style in e.html")
        expect(self.srv.get("/e/999999").status == 200, "any id: the page says when the event is missing")
        expect(self.srv.get("/e/abc").status == 404, "a path that is no id")
        expect(self.srv.get("/e.html").status == 200, "/e.html is still a static file")

    def test_static_files(self):
        for path, ctype in (("/", "text/html"), ("/index.html", "text/html"), ("/app.js", "text/javascript"),
                            ("/common.js", "text/javascript"), ("/r.js", "text/javascript"),
                            ("/e.js", "text/javascript"), ("/api.js", "text/javascript"),
                            ("/i18n.js", "text/javascript"), ("/i18n/fr.json", "application/json"),
                            ("/i18n/ar.json", "application/json"), ("/i18n/en.json", "application/json"),
                            ("/style.css", "text/css"), ("/icon.svg", "image/svg+xml")):
            r = self.srv.get(path)
            expect_status(r, 200, path)
            expect(r.headers.get("content-type", "").startswith(ctype), f"{path} type", r)
            csp = r.headers.get("content-security-policy", "")
            expect("script-src 'self'" in csp and "default-src 'none'" in csp, f"{path} CSP", r)
            expect(r.headers.get("x-content-type-options") == "nosniff", f"{path} nosniff", r)
        home = self.srv.get("/").body
        expect("<script>" not in home and "style=" not in home and " on" + "click" not in home,
               "no inline script or style in index.html")
        # the API, the feeds and the health check still go to the callback
        expect_status(self.srv.get("/healthz"), 200)
        expect(self.srv.get("/api/v1/events").headers.get("content-type") == "application/json", "API")
        expect(self.srv.get("/calendar/public.ics").headers.get("content-type", "").startswith("text/calendar"),
               "feeds")
        expect_error(self.srv.get("/api/v1/nope"), 404)
        expect(self.srv.get("/no-such-file.html").status == 404, "missing file")

    def test_catalogues_hold_the_same_words(self):
        # a page loads its language's catalogue only (web/i18n.js): a word missing from one would show as its key
        import re
        words = {}
        for lang in ("fr", "ar", "en"):
            with open(os.path.join(WEB, "i18n", lang + ".json"), encoding="utf-8") as f:
                words[lang] = json.load(f)
        for lang in ("ar", "en"):
            expect(set(words[lang]) == set(words["fr"]), f"{lang} and fr hold the same keys",
                   sorted(set(words[lang]) ^ set(words["fr"]))[:20])
        holes = re.compile(r"\{(\w+)\}")
        for key, fr in words["fr"].items():
            for lang in ("ar", "en"):
                a, b = json.dumps(fr, ensure_ascii=False), json.dumps(words[lang].get(key), ensure_ascii=False)
                expect(set(holes.findall(a)) == set(holes.findall(b)), f"{key}: the same {{placeholders}} in {lang}",
                       (a, b))

    def test_personal_page_served(self):
        token = self.registration()
        r = self.srv.get("/r/" + token)
        expect_status(r, 200)
        expect(r.headers.get("content-type") == "text/html; charset=utf-8", "type", r)
        expect(r.headers.get("cache-control") == "no-store", "no-store", r)
        expect(r.headers.get("referrer-policy") == "no-referrer", "no-referrer", r)
        expect(token not in r.body, "the page does not echo the token")
        with open(os.path.join(WEB, "r.html"), encoding="utf-8") as f:
            expect(r.body == f.read(), "the bytes of web/r.html")
        h = self.srv.request("HEAD", "/r/" + token)
        expect(h.status == 200 and h.body == "", "HEAD", h)
        expect(self.srv.get("/r/not.a.token").status == 404, "a path that is no token")
        expect(self.srv.post("/r/" + token, {}).status == 405, "POST")

    def test_browser(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        token = self.registration()
        ids = self.events()
        base = f"http://127.0.0.1:{self.srv.port}"
        r = subprocess.run(["node", os.path.join(E2E, "web.spec.mjs"), base, token, str(ids["open"]),
                            str(ids["full"]), str(ids["cancelled"]), str(ids["closed"]), ARTEFACTS], capture_output=True,
                           text=True, timeout=400, env={**os.environ, "MAJLIS_E2E_ADMIN": self.srv.token("admin")})
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "web.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        for name in ("index_lists_events", "arabic_rtl", "subscribe_links", "subscribe_feed_answers",
                     "add_to_calendar", "personal_page", "cancel_asks_first", "confirm_works", "ticket_shown", "invalid_link",
                     "path_ar_360", "path_fr_1280", "form_errors_beside_fields", "full_offers_waitlist",
                     "cancelled_says_so", "closed_says_so", "quality_programme", "markup_inert", "retry_same_key", "axe_every_page", "axe",
                     "lost_link_same_answer",
                     "live_promoted", "calendar_links", "ticket_png", "live_quality",
                     "link_replaced",
                     "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:1500]}")
        expect(r.returncode == 0, f"web.spec.mjs failed: {out['failed']}")
        # confirmed through the page: the API agrees
        view = expect_status(self.srv.get("/api/v1/r/" + token), 200)
        expect(view["status"] == "confirmed" and view["attendance_confirmed_at"], "attendance confirmed", view)
        # the lost-link form of the event page queued a new link for the known address only
        con = sqlite3.connect(self.srv.db)
        try:
            mailed = con.execute("SELECT p.email FROM outbox o JOIN people p ON p.id = o.person_id "
                                 "WHERE o.kind = 'registration.link_resent'").fetchall()
        finally:
            con.close()
        expect(mailed == [("lost.link.e2e@example.org",)], "one link mail, to the known address", mailed)
        print("     screenshots: " + ", ".join(out["screenshots"]))

    def run(self):
        with Server(demo=True, extra_args=["--web-root", WEB]) as srv:
            self.srv = srv
            super().run()


if __name__ == "__main__":
    T().run()
