"""Officials' and admins' screens: starts majlisd with demo data and the repository's web root; checks how
/admin/numbers, /admin/calendars, /admin/accounts and /admin/organisations are served and the QR code of a
feed URL (POST /api/v1/calendar-tokens/qr: who may ask, which URLs, bad input refused and nothing
written); then drives Debian's chromium through the screens (tests/e2e/officials.spec.mjs): a viewer sees
the programme's and each event's numbers with women and men apart and no personal data anywhere — no
participant's name, phone or e-mail in any API answer the page fetched nor in the page — and no organiser
or admin action; an organiser has the numbers and the feeds of its own organisation only; an admin's subscription centre creates, rotates and revokes a personal feed (the old URL
then answers 404) and shows its QR code; an admin creates a check-in account (errors beside the fields
first) and disables it. axe-core on every screen in fr, ar and en; screenshots in Arabic at 360 px and in
French at 1280 px."""

import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, db_rows, expect, expect_error, expect_status  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, WEB, e2e_ready  # noqa: E402

PASSWORD = "une phrase assez longue"
PEOPLE = [  # participants registered by the test: none of this may reach a viewer's page
    {"name": "Zineb Officialtest", "name_ar": "زينب الاختبارية", "phone": "+212661234987",
     "email": "zineb.officialtest@example.org", "sex": "female"},
    {"name": "Youssef Officialtest", "name_ar": "يوسف الاختباري", "phone": "+212662345876",
     "email": "youssef.officialtest@example.org", "sex": "male"},
]


class T(Checks):
    def __init__(self):
        self.srv = None
        self.admin = None

    def account(self, role, email, org=None):
        body = {"email": email, "display_name": email.split("@")[0].replace(".", " ").title(), "password": PASSWORD,
                "role": role}
        if org:
            body["org_id"] = org
        return expect_status(self.srv.post("/api/v1/accounts", body, token=self.admin), 201)

    def test_pages_served(self):
        with open(os.path.join(WEB, "officials.html"), encoding="utf-8") as f:
            page = f.read()
        expect("<script>" not in page and "style=" not in page, "no inline script or style in officials.html")
        for path in ("/admin/numbers", "/admin/calendars", "/admin/accounts", "/admin/organisations"):
            r = self.srv.get(path)
            expect_status(r, 200, path)
            expect(r.headers.get("content-type") == "text/html; charset=utf-8", "type", r)
            expect(r.body == page, f"{path}: the bytes of web/officials.html")
            expect("script-src 'self'" in r.headers.get("content-security-policy", ""), "CSP", r)
        for path in ("/officials.js", "/numbers.js", "/calendars.js", "/accounts.js", "/officials.css"):
            expect_status(self.srv.get(path), 200, path)
        expect(self.srv.get("/admin/nope").status == 404, "an unknown screen")
        expect(self.srv.post("/admin/numbers", {}).status == 405, "POST")

    def test_qr(self):
        org = expect_status(self.srv.get("/api/v1/organisations?limit=1"), 200)["items"][0]["id"]
        other = expect_status(self.srv.post("/api/v1/organisations", {"name": "Autre organisation QR", "kind": "ngo"},
                                            token=self.admin), 201)["id"]
        base = f"http://127.0.0.1:{self.srv.port}"
        mine = expect_status(self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": org},
                                           token=self.admin), 201)
        theirs = expect_status(self.srv.post("/api/v1/calendar-tokens", {"owner_kind": "organisation", "owner_id": other},
                                             token=self.admin), 201)
        organiser = self.srv.token("organiser", org)
        viewer = self.srv.token("viewer", org)
        checkin = self.srv.token("checkin", org)
        qr = "/api/v1/calendar-tokens/qr"
        for url in (base + "/calendar/public.ics", base + "/calendar/public.ics?city=Rabat&type=training&lang=ar",
                    "webcal://127.0.0.1:%d/calendar/public.ics?lang=en" % self.srv.port):
            for who in (self.admin, organiser, viewer):
                r = expect_status(self.srv.post(qr, {"url": url}, token=who), 200)
                expect(r["url"] == url and r["svg"].lstrip().startswith("<?xml") and "<svg" in r["svg"], "an SVG", r)
        # secret feeds: only a token the caller answers for; any other is a 404, like one that does not exist
        expect_status(self.srv.post(qr, {"url": mine["url"]}, token=organiser), 200)
        expect_status(self.srv.post(qr, {"url": mine["webcal_url"]}, token=self.admin), 200)
        expect_status(self.srv.post(qr, {"url": mine["url"].replace("/feed/", "/freebusy/")[:-4] + ".ifb"},
                                    token=organiser), 200)
        missing = expect_error(self.srv.post(qr, {"url": base + "/calendar/feed/" + "A" * 43 + ".ics"}, token=organiser), 404)
        for who, url in ((organiser, theirs["url"]), (viewer, mine["url"])):
            r = expect_error(self.srv.post(qr, {"url": url}, token=who), 404)
            expect(r == missing, "the same answer as a token that does not exist", r)
        expect_status(self.srv.delete(f"/api/v1/calendar-tokens/{theirs['id']}", token=self.admin), 204)
        expect_error(self.srv.post(qr, {"url": theirs["url"]}, token=self.admin), 404)
        # who may ask at all comes before the body
        expect_error(self.srv.post(qr, {"url": base + "/calendar/public.ics"}, token=checkin), 403)
        expect_error(self.srv.post(qr, {"nothing": 1}, token=checkin), 403)
        expect_error(self.srv.post(qr, {"url": base + "/calendar/public.ics"}), 401)
        # bad input: a status and an error body, and nothing stored
        before = db_rows(self.srv.db, "SELECT count(*) FROM calendar_tokens")
        log_before = db_rows(self.srv.db, "SELECT max(seq) FROM change_log")
        for body, code in (({}, "missing_field"), ({"url": 3}, "invalid_field"), ({"url": base, "x": 1}, "unknown_field"),
                           ({"url": "https://evil.example/calendar/public.ics"}, "invalid_field"),
                           ({"url": base + "/calendar/events/1.ics"}, "invalid_field"),
                           ({"url": base + "/calendar/public.ics\nX"}, "invalid_field"),
                           ({"url": base + "/calendar/feed/short.ics"}, "invalid_field"),
                           ({"url": base + "/calendar/public.ics?" + "a" * 700}, "invalid_field"),
                           ({"url": "webcal://evil.example/calendar/public.ics"}, "invalid_field")):
            r = expect_error(self.srv.post(qr, body, token=self.admin), 400, code)
        r = self.srv.request("POST", qr, raw=b'{"url":', token=self.admin, headers={"Content-Type": "application/json"})
        expect_error(r, 400)
        r = self.srv.request("POST", qr, raw=b"url=x", token=self.admin, headers={"Content-Type": "text/plain"})
        expect_error(r, 415)
        expect(db_rows(self.srv.db, "SELECT count(*) FROM calendar_tokens") == before, "no token written")
        expect(db_rows(self.srv.db, "SELECT max(seq) FROM change_log") == log_before, "nothing written")

    def seed(self):
        """Registers the test's participants to an upcoming public event (through the API, as anyone would)
        and returns everything personal the database holds of participants: names, phones, e-mails."""
        today = datetime.now(ZoneInfo("Africa/Casablanca")).date().isoformat()
        events = expect_status(self.srv.get(f"/api/v1/events?from={today}&limit=200"), 200)["items"]
        done = 0
        for ev in events:
            if ev["status"] != "scheduled" or done == len(PEOPLE):
                continue
            p = PEOPLE[done]
            r = self.srv.post(f"/api/v1/events/{ev['id']}/registrations", {**p, "lang": "fr", "consent": True})
            if r.status == 201:
                done += 1
        expect(done == len(PEOPLE), "the test's participants registered")
        secrets = set()
        for name, name_ar, phone, email in db_rows(self.srv.db, "SELECT name, name_ar, phone, email FROM people "
                                                                "WHERE erased_at IS NULL"):
            for v in (name, name_ar, phone, email):
                if v and len(v) >= 6:
                    secrets.add(v)
        return sorted(secrets)

    def test_browser(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        org = expect_status(self.srv.get("/api/v1/organisations?limit=1"), 200)["items"][0]["id"]
        self.account("viewer", "officielle.e2e@example.org", org)
        self.account("admin", "admin.e2e@example.org")
        self.account("organiser", "organisatrice.e2e@example.org", org)
        secrets = self.seed()
        expect(PEOPLE[0]["name"] in secrets and PEOPLE[0]["phone"] in secrets, "the seeded data is looked for")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump({"secrets": secrets, "person": PEOPLE[0]["name"], "org": org, "password": PASSWORD,
                       "viewer": "officielle.e2e@example.org", "admin": "admin.e2e@example.org",
                       "organiser": "organisatrice.e2e@example.org"}, f, ensure_ascii=False)
            data = f.name
        try:
            base = f"http://127.0.0.1:{self.srv.port}"
            r = subprocess.run(["node", os.path.join(E2E, "officials.spec.mjs"), base, data, ARTEFACTS],
                               capture_output=True, text=True, timeout=400)
        finally:
            os.unlink(data)
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "officials.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        for name in ("viewer_numbers", "numbers_filters", "no_personal_data", "viewer_no_admin_actions",
                     "viewer_calendars", "viewer_languages", "organiser_screens", "personal_feed", "account_errors", "account_created", "account_disabled",
                     "organisation_created", "axe_every_page", "axe", "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:1500]}")
        expect(r.returncode == 0, f"officials.spec.mjs failed: {out['failed']}")
        # what the pages did, the API agrees with
        acc = expect_status(self.srv.get("/api/v1/accounts?limit=200", token=self.admin), 200)["items"]
        door = [a for a in acc if a["email"] == "porte.e2e@example.org"]
        expect(door and door[0]["role"] == "checkin" and door[0]["disabled"], "the check-in account, disabled", door)
        print("     screenshots: " + ", ".join(out["screenshots"]))

    def run(self):
        with Server(demo=True, extra_args=["--web-root", WEB]) as srv:
            self.srv = srv
            self.admin = srv.token("admin")
            super().run()


if __name__ == "__main__":
    T().run()
