"""Every page in fr, ar and en: starts majlisd with demo data and the repository's web root, makes an
organisation's accounts (admin, organiser, viewer, check-in) and a public event with a registration through
the API, then drives Debian's chromium (tests/e2e/pages.spec.mjs) through every page as the role that uses
it — the programme, an event, a personal page and a link that leads nowhere, the login, the back office's
homes of an organiser and a viewer, an event's dashboard, the calendar, the event form (new and edit), the
venues, people, numbers, feeds, accounts, organisations and check-in screens — in three languages at 360 and
1280 px: axe-core finds no serious or critical violation, Arabic is right to left (the page and its main
heading), nothing scrolls sideways at 360 px, no console error; a screenshot of each is kept, and the whole
page × language × width matrix beside them (majlis-pages.json)."""

import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_status  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, WEB, e2e_ready  # noqa: E402

PASSWORD = "une phrase assez longue"


class T(Checks):
    def __init__(self):
        self.srv = None

    def seed(self):
        """The accounts, one public event of their organisation with a session in ten days, and a
        registration to it. Returns the spec's data."""
        admin = self.srv.token("admin")
        org = expect_status(self.srv.get("/api/v1/organisations?limit=1"), 200)["items"][0]["id"]
        venue = expect_status(self.srv.get("/api/v1/venues?limit=1"), 200)["items"][0]["id"]
        day = (datetime.now(ZoneInfo("Africa/Casablanca")) + timedelta(days=10)).date().isoformat()
        ev = expect_status(self.srv.post("/api/v1/events", {
            "type": "training", "org_id": org, "venue_id": venue, "capacity": 30, "visibility": "public",
            "title_fr": "Formation à la gestion d'une micro-entreprise",
            "title_ar": "تكوين في تسيير مقاولة صغيرة جدا",
            "title_en": "Running a micro-enterprise",
            "description_fr": "Trois matinées pour tenir ses comptes et fixer ses prix.",
            "description_ar": "ثلاث صبيحات لمسك الحسابات وتحديد الأثمنة."}, token=admin), 201)["id"]
        expect_status(self.srv.post(f"/api/v1/events/{ev}/sessions", {
            "starts_local": f"{day}T09:00", "ends_local": f"{day}T12:30", "title": "Première matinée"},
            token=admin), 201)
        r = expect_status(self.srv.post(f"/api/v1/events/{ev}/registrations", {
            "name": "Aminata Pagestest", "email": "aminata.pages@example.org", "lang": "fr", "consent": True,
            "sex": "female"}), 201)
        data = {"event": ev, "token": r["token"], "password": PASSWORD}
        for role in ("admin", "organiser", "viewer", "checkin"):
            body = {"email": f"{role}.pages@example.org", "display_name": f"Compte {role}", "role": role,
                    "password": PASSWORD}
            if role != "admin":
                body["org_id"] = org
            if role == "checkin":
                body["event_ids"] = [ev]
            data[role] = expect_status(self.srv.post("/api/v1/accounts", body, token=admin), 201)["email"]
        return data

    def test_every_page(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump(self.seed(), f, ensure_ascii=False)
            data = f.name
        try:
            base = f"http://127.0.0.1:{self.srv.port}"
            r = subprocess.run(["node", os.path.join(E2E, "pages.spec.mjs"), base, data, ARTEFACTS],
                               capture_output=True, text=True, timeout=560)
        finally:
            os.unlink(data)
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "pages.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        with open(os.path.join(ARTEFACTS, "majlis-pages.json"), "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=1)
        for row in out["matrix"]:
            print(f"     {'ok ' if row['ok'] else 'BAD'} {row['page']:<17} {row['lang']} {row['width']:>4}")
        for name in ("every_page", "axe", "rtl_arabic", "no_sideways_scroll_360", "languages", "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:3000]}")
        expect(r.returncode == 0, f"pages.spec.mjs failed: {out['failed']}")

    def run(self):
        with Server(demo=True, extra_args=["--web-root", WEB]) as srv:
            self.srv = srv
            super().run()


if __name__ == "__main__":
    T().run()
