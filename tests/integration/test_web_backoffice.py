"""Back office: starts majlisd with demo data and the repository's web root, checks how /login, /admin, its
screens and /dashboard are served (the same page whatever the id, HTML with the security headers, no inline
script or style; other paths under /admin stay 404), then drives Debian's chromium through them with
playwright-core (tests/e2e/backoffice.spec.mjs): a wrong password is told beside the field, too many failures
beside the e-mail with the wait, a disabled account as a wrong password; an organiser logs in, sees its own
organisation's events and the menu of its role, filters by dates and status (the URL keeps them, the field
keeps the focus), sees a clock-change warning in words, reloads or opens another tab without logging in
again, sees an event created elsewhere appear live; when its session is ended from another browser the live
stream (or the next call) sends it to the login page with a notice and back to the very same screen; it searches the people
directory (an Arabic name without its harakat, a Latin one in capitals without its accent: its own
organisation's matches only, the search kept in the URL, nothing found said plainly, in French and Arabic); Arabic
at 360 px turns the page right to left with cards instead of tables and is remembered; a viewer lands on the
numbers and has the calendar, numbers and subscriptions only (no organiser screen, no participant's name), a
check-in account only check-in, and what a role may not use reads as a page that does not exist; every
back-office page has the same header and menu, and a language chosen on one holds on the next; axe-core finds
no serious or critical violation and no console error shows up."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_error, expect_status  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, WEB, e2e_ready  # noqa: E402

PASSWORD = "une phrase de passe assez longue"
WARN_DAY = "2026-09-19"  # a session starts that evening and ends after the clocks go back (02:00 -> 01:00)
PERSON = "Zineb Nepasvoir"
# The people directory's search (backoffice.spec.mjs knows these names): the organisation's people, one Arabic
# name written with its harakat, and people of another organisation whose names match the same searches.
PEOPLE = [{"name": "Youssef El Amrani", "name_ar": "يُوسُف العَمْرانِي", "email": "y.elamrani@example.org"},
          {"name": "Hélène Dubois", "email": "h.dubois@example.org"},
          {"name": "Yousra Bennani", "name_ar": "يسرى بناني", "phone": "0612345678"}]
OTHER_PEOPLE = [{"name": "Youssef Ailleurs", "name_ar": "يوسف البعيد"}, {"name": "Helene Ailleurs"}]


class T(Checks):
    def __init__(self):
        self.srv = None

    def test_pages_served(self):
        pages = {"/login": "login.html", "/admin": "admin.html", "/admin/events/1": "dashboard.html",
                 "/admin/events/999999": "dashboard.html", "/admin/venues": "venues.html",
                 "/admin/people": "admin.html", "/admin/numbers": "officials.html",
                 "/admin/calendars": "officials.html", "/admin/accounts": "officials.html",
                 "/admin/organisations": "officials.html", "/admin/calendar": "calendar.html",
                 "/admin/events/new": "event-edit.html", "/admin/events/1/edit": "event-edit.html",
                 "/admin/checkin": "checkin.html", "/dashboard": "admin.html"}
        for path, name in pages.items():
            r = self.srv.get(path)
            expect_status(r, 200, path)
            expect(r.headers.get("content-type") == "text/html; charset=utf-8", f"{path} type", r)
            csp = r.headers.get("content-security-policy", "")
            expect("script-src 'self'" in csp and "default-src 'none'" in csp, f"{path} CSP", r)
            with open(os.path.join(WEB, name), encoding="utf-8") as f:
                expect(r.body == f.read(), f"{path}: the bytes of web/{name}")
            expect("<script>" not in r.body and "style=" not in r.body and " on" + "click" not in r.body,
                   f"{path}: no inline script or style")
            h = self.srv.request("HEAD", path)
            expect(h.status == 200 and h.body == "", f"HEAD {path}", h)
        for path in ("/admin.js", "/login.js", "/bo.js", "/bo.css", "/admin.css"):
            expect_status(self.srv.get(path), 200, path)
        # nothing else under these paths: a JSON 404, and the methods of a page
        for path in ("/admin/", "/admin/nope", "/admin/events/abc", "/login/x", "/dashboard/x"):
            expect_error(self.srv.get(path), 404)
        expect(self.srv.post("/login", {}).status == 405, "POST /login")
        expect(self.srv.post("/admin", {}).status == 405, "POST /admin")

    def seed(self):
        """An organisation with an organiser, a viewer and a check-in account (one password), an event of
        its own whose session crosses the clock change of WARN_DAY, and a registration whose name no viewer
        may see."""
        admin = self.srv.token("admin")
        org = expect_status(self.srv.post("/api/v1/organisations", {"name": "Association Bab Lbahr",
                                                                      "kind": "ngo", "city": "Tanger"},
                                          token=admin), 201)["id"]
        venue = expect_status(self.srv.get("/api/v1/venues?limit=1"), 200)["items"][0]["id"]
        ev = expect_status(self.srv.post("/api/v1/events", {
            "type": "training", "org_id": org, "venue_id": venue, "capacity": 20, "visibility": "public",
            "title_fr": "Nuit du changement d'heure", "title_ar": "ليلة تغيير الساعة",
            "title_en": "Clock change night"}, token=admin), 201)["id"]
        s = expect_status(self.srv.post(f"/api/v1/events/{ev}/sessions", {
            "starts_local": "2026-09-19T23:00", "ends_local": "2026-09-20T04:00"}, token=admin), 201)
        expect(s["warnings"], "the API warns about the clock change", s)
        up = expect_status(self.srv.post("/api/v1/events", {
            "type": "workshop", "org_id": org, "venue_id": venue, "capacity": 12, "visibility": "internal",
            "title_fr": "Atelier interne de Bab Lbahr", "title_ar": "ورشة داخلية لباب البحر"}, token=admin), 201)["id"]
        expect_status(self.srv.post(f"/api/v1/events/{up}/sessions", {
            "starts_local": "2027-01-12T09:00", "ends_local": "2027-01-12T12:00"}, token=admin), 201)
        expect_status(self.srv.post(f"/api/v1/events/{up}/registrations", {
            "name": PERSON, "email": "zineb.nepasvoir@example.org", "consent": True, "sex": "female"},
            token=admin), 201)
        other = expect_status(self.srv.post("/api/v1/organisations", {"name": "Association Ailleurs",
                                                                        "kind": "ngo", "city": "Oujda"},
                                            token=admin), 201)["id"]
        for org_id, people in ((org, PEOPLE), (other, OTHER_PEOPLE)):
            for p in people:
                expect_status(self.srv.post("/api/v1/people", {**p, "consent": True, "org_id": org_id}, token=admin), 201)
        emails = {}
        for role in ("organiser", "viewer", "checkin"):
            body = {"email": f"{role}.bo@example.org", "display_name": f"Compte {role}", "role": role,
                    "password": PASSWORD, "org_id": org}
            if role == "checkin":
                body["event_ids"] = [up]
            emails[role] = expect_status(self.srv.post("/api/v1/accounts", body, token=admin), 201)["email"]
        disabled = expect_status(self.srv.post("/api/v1/accounts", {
            "email": "disabled.bo@example.org", "display_name": "Compte désactivé", "role": "viewer",
            "password": PASSWORD, "org_id": org}, token=admin), 201)
        expect_status(self.srv.patch(f"/api/v1/accounts/{disabled['id']}", {"disabled": True}, token=admin), 200)
        emails["disabled"] = disabled["email"]
        return emails, org

    def test_browser(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        emails, org = self.seed()
        base = f"http://127.0.0.1:{self.srv.port}"
        r = subprocess.run(["node", os.path.join(E2E, "backoffice.spec.mjs"), base, emails["organiser"],
                            emails["viewer"], emails["checkin"], PASSWORD, WARN_DAY, PERSON, ARTEFACTS],
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "MAJLIS_E2E_ADMIN": self.srv.token("admin"), "MAJLIS_E2E_ORG": str(org),
                                "MAJLIS_E2E_DISABLED": emails["disabled"]})
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "backoffice.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        bad = []
        for name in ("login_errors_beside_fields", "login_throttled_and_disabled", "organiser_events",
                     "filters_and_warning", "reload_keeps_login", "live_list", "session_expired_returns",
                     "session_expired_on_call", "next_only_same_origin", "people_search", "arabic_phone_cards",
                     "viewer_sees_no_organiser_actions", "checkin_sees_only_checkin", "admin_sees_all", "one_header", "dashboard_alias", "axe",
                     "no_console_errors"):
            c = out["checks"].get(name)
            if not (c and c["ok"]):
                bad.append(f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:2000]}")
        expect(not bad, "\n".join(bad))
        expect(r.returncode == 0, f"backoffice.spec.mjs failed: {out['failed']}")
        print("     screenshots: " + ", ".join(out["screenshots"]))

    def run(self):
        with Server(demo=True, extra_args=["--web-root", WEB]) as srv:
            self.srv = srv
            super().run()


if __name__ == "__main__":
    T().run()
