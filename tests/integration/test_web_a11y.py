"""Web pages for keyboard and zoom users: starts majlisd with demo data and the repository's web root, makes
an open event through the API, then drives Debian's chromium with playwright-core (tests/e2e/a11y.spec.mjs):
in Arabic at 360 px and in French at 1280 px a participant goes from the programme to the event, registers
(the form's order both ways, errors announced with the focus on the first field in error, submit by Enter),
lands on the personal page, confirms attendance and reaches the ticket with keys alone, every focus with a
visible ring; then the same pages at 200 % zoom (640 and 320 CSS px wide) neither scroll sideways nor cut or
overlap anything. Screenshots of each step are kept."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_status  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, WEB, e2e_ready  # noqa: E402


class T(Checks):
    def __init__(self):
        self.srv = None

    def open_event(self):
        """A public event with seats and one session in ten days, its registration open. Returns its id."""
        admin = self.srv.token("admin")
        org = expect_status(self.srv.get("/api/v1/organisations?limit=1"), 200)["items"][0]["id"]
        venue = expect_status(self.srv.get("/api/v1/venues?limit=1"), 200)["items"][0]["id"]
        day = (datetime.now(ZoneInfo("Africa/Casablanca")) + timedelta(days=10)).date().isoformat()
        ev = expect_status(self.srv.post("/api/v1/events", {
            "type": "training", "org_id": org, "venue_id": venue, "capacity": 40,
            "title_fr": "Atelier au clavier : accueil et droits des personnes migrantes",
            "title_ar": "ورشة بلوحة المفاتيح: الاستقبال وحقوق الأشخاص المهاجرين",
            "title_en": "Keyboard workshop: reception and the rights of migrants",
            "description_fr": "Une matinée pour essayer le parcours au clavier.",
            "description_ar": "صباح لتجربة المسار بلوحة المفاتيح."}, token=admin), 201)
        expect_status(self.srv.post(f"/api/v1/events/{ev['id']}/sessions", {
            "starts_local": f"{day}T09:00", "ends_local": f"{day}T13:00", "title": "Séance unique"},
            token=admin), 201)
        return ev["id"]

    def test_keyboard_and_zoom(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        event = self.open_event()
        base = f"http://127.0.0.1:{self.srv.port}"
        r = subprocess.run(["node", os.path.join(E2E, "a11y.spec.mjs"), base, str(event), ARTEFACTS],
                           capture_output=True, text=True, timeout=300)
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "a11y.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        # every check's detail beside the screenshots (the foci, their rings, what reflows at 200 %)
        with open(os.path.join(ARTEFACTS, "majlis-a11y.json"), "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=1)
        for name in ("keyboard_ar_360", "keyboard_fr_1280", "zoom_ar-320", "zoom_ar-640", "zoom_fr-320",
                     "zoom_fr-640", "zoom_detects", "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:3000]}")
        expect(r.returncode == 0, f"a11y.spec.mjs failed: {out['failed']}")
        # both registrations were made from the keyboard, each once, attendance confirmed
        regs = expect_status(self.srv.get(f"/api/v1/events/{event}/registrations",
                                          token=self.srv.token("admin")), 200)["items"]
        expect(len(regs) == 2 and all(x["status"] == "confirmed" and x.get("attendance_confirmed_at") for x in regs),
               "two registrations, attendance confirmed", regs)
        print("     screenshots: " + ", ".join(out["screenshots"]))

    def run(self):
        with Server(demo=True, extra_args=["--web-root", WEB]) as srv:
            self.srv = srv
            super().run()


if __name__ == "__main__":
    T().run()
