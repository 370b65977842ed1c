"""An event's live dashboard (/admin/events/{id}): checks how the page is served (the same bytes for every
id, security headers, no path that is not an id), then drives Debian's chromium through it with
playwright-core (tests/e2e/dashboard.spec.mjs): two organisers of one organisation watch one event while a
participant registers through the event page from a third browser, and both see the new row and counts
within a second without reloading; one dashboard loses its connection, says so, misses three changes made
through the API and shows all three once back; a waitlisted person is promoted out of turn (no seat free:
the page says so and offers one more seat); a check-in counts at its session live; a registration waiting for
approval is approved from the Arabic phone; the table searches names in Latin and Arabic script, filters,
sorts, and its CSV export has the right columns with formulas neutralised; a message mailed is sent again; an organiser of another
organisation finds the same "not found" for a hidden event as for a missing one, in the page and the
API; axe-core finds no serious or critical violation in fr, ar and en, and no console error shows up.
Afterwards the database agrees with what the pages showed."""

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_status  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, WEB, e2e_ready  # noqa: E402

PASSWORD = "une phrase assez longue"


class T(Checks):
    def __init__(self):
        self.srv = None

    def test_dashboard_page_served(self):
        r = self.srv.get("/admin/events/1")
        expect_status(r, 200)
        expect(r.headers.get("content-type") == "text/html; charset=utf-8", "type", r)
        csp = r.headers.get("content-security-policy", "")
        expect("script-src 'self'" in csp and "default-src 'none'" in csp, "CSP", r)
        with open(os.path.join(WEB, "dashboard.html"), encoding="utf-8") as f:
            expect(r.body == f.read(), "the bytes of web/dashboard.html")
        expect("<script>" not in r.body and "style=" not in r.body, "no inline script or style")
        # any id, and no caller at all: the page itself says nothing of the event (its script asks the API)
        expect(self.srv.get("/admin/events/999999").body == r.body, "the same page for a missing event")
        expect(self.srv.get("/admin/events/abc").status == 404, "a path that is no id")
        h = self.srv.request("HEAD", "/admin/events/1")
        expect(h.status == 200 and h.body == "", "HEAD", h)
        for path in ("/dashboard.js", "/dashboard.css", "/live.js", "/bo.js", "/admin.css"):
            expect_status(self.srv.get(path), 200, path)

    def seed(self):
        """Two organisations' organisers (two of A, one of B), a public event of A with three seats, two
        of them taken (one name a formula, one in Arabic script), and an internal event of A. Returns
        what the spec needs."""
        admin = self.srv.token("admin")
        orgs = expect_status(self.srv.get("/api/v1/organisations?limit=2"), 200)["items"]
        org_a, org_b = orgs[0]["id"], orgs[1]["id"]
        venue = expect_status(self.srv.get("/api/v1/venues?limit=1"), 200)["items"][0]["id"]
        for email, org in (("dash.a1@example.org", org_a), ("dash.a2@example.org", org_a),
                           ("dash.b@example.org", org_b)):
            expect_status(self.srv.post("/api/v1/accounts", {
                "email": email, "display_name": email.split("@")[0], "password": PASSWORD, "role": "organiser",
                "org_id": org}, token=admin), 201)
        day = (datetime.now(ZoneInfo("Africa/Casablanca")) + timedelta(days=9)).date().isoformat()
        ids = {}
        for name, vis in (("live", "public"), ("hidden", "internal")):
            ev = expect_status(self.srv.post("/api/v1/events", {
                "type": "training", "org_id": org_a, "venue_id": venue, "capacity": 3, "visibility": vis,
                "title_fr": f"Formation suivie en direct ({name})", "title_ar": f"تكوين متابع مباشرة ({name})",
                "title_en": f"Training followed live ({name})"}, token=admin), 201)
            for start, end in (("09:00", "12:30"), ("14:00", "17:00")):
                expect_status(self.srv.post(f"/api/v1/events/{ev['id']}/sessions", {
                    "starts_local": f"{day}T{start}", "ends_local": f"{day}T{end}"}, token=admin), 201)
            ids[name] = ev["id"]
        regs, tokens = {}, {}
        for key, body in (("formula", {"name": "=HYPERLINK(\"http://x\")", "sex": "male",
                                       "email": "formula.dash@example.org"}),
                          ("arabic", {"name": "Ahmed Benali", "name_ar": "أحمد بنعلي", "sex": "male",
                                      "phone": "0612345601"}),
                          ):
            r = expect_status(self.srv.post(f"/api/v1/events/{ids['live']}/registrations",
                                            {**body, "lang": "fr", "consent": True}), 201)
            regs[key] = r["registration"]["id"]
            tokens[key] = r["token"]
        return {"admin": admin, "events": ids, "regs": regs, "tokens": tokens, "password": PASSWORD,
                "accounts": {"a1": "dash.a1@example.org", "a2": "dash.a2@example.org", "b": "dash.b@example.org"}}

    def test_browser(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        seed = self.seed()
        base = f"http://127.0.0.1:{self.srv.port}"
        r = subprocess.run(["node", os.path.join(E2E, "dashboard.spec.mjs"), base, ARTEFACTS], capture_output=True,
                           text=True, timeout=300, env={**os.environ, "MAJLIS_E2E_SEED": json.dumps(seed)})
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "dashboard.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        for name in ("two_dashboards_live", "presence_live", "offline_catches_up", "promote_out_of_turn", "table_tools",
                     "actions_and_messages", "approve_on_phone", "csv_exports", "other_org_not_found", "axe", "session_end_to_login", "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:2000]}")
        expect(r.returncode == 0, f"dashboard.spec.mjs failed: {out['failed']}")
        # what the pages showed is what is stored: one seat added for the promoted person, no overbooking
        con = sqlite3.connect(self.srv.db)
        try:
            cap = con.execute("SELECT capacity FROM events WHERE id = ?", (seed["events"]["live"],)).fetchone()[0]
            confirmed = con.execute("SELECT count(*) FROM registrations WHERE event_id = ? AND status = 'confirmed'",
                                    (seed["events"]["live"],)).fetchone()[0]
        finally:
            con.close()
        expect(cap == 4 and confirmed == 4, "one seat added by the promotion, none overbooked", (cap, confirmed))
        print("     live: a registration on both dashboards after %s ms, a check-in after %s ms" % (
            out["checks"]["two_dashboards_live"]["detail"]["ms"], out["checks"]["presence_live"]["detail"]["ms"]))
        print("     screenshots: " + ", ".join(out["screenshots"]))

    def run(self):
        sink = SmtpSink()  # the participants' mails are delivered: the messages read "sent", and can go again
        try:
            with Server(demo=True, extra_args=["--web-root", WEB, "--smtp-url", sink.url]) as srv:
                self.srv = srv
                super().run()
        finally:
            sink.close()


if __name__ == "__main__":
    T().run()
