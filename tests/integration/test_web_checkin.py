"""The door's check-in screen in a browser (tests/e2e/checkin.spec.mjs): chromium fed a fake camera showing a
participant's QR ticket (a .y4m video made here from the ticket's SVG) checks her in on an Arabic phone at
360 px; a second check-in screen (French, 1280 px) sees the count rise and her arrival live; scanning her
ticket again says "already checked in" with the first time; a participant is found by name typed in Arabic
script (without the hamza the stored name has) and checked in; a cancelled registration is shown as such
when searched, and its ticket scanned answers red with his name, recording nothing; the register marks
absent and excused; with the network cut the screen says it is offline and a check-in records nothing. axe-core on every state, no console error; screenshots kept. The
page itself is served like the other pages (type, CSP, no inline script), and jsQR from web/vendor/."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, db_rows, expect, expect_status  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, REPO, WEB, e2e_ready  # noqa: E402

HOME = ZoneInfo("Africa/Casablanca")
W, H = 640, 480


def vendor_ready():
    """The pages' browser libraries in web/vendor/ (scripts/web_vendor.sh: npm ci only when needed)."""
    if os.path.isfile(os.path.join(WEB, "vendor", "jsqr", "dist", "jsQR.js")):
        return
    r = subprocess.run([os.path.join(REPO, "scripts", "web_vendor.sh")], capture_output=True, text=True, timeout=300)
    expect(r.returncode == 0, "scripts/web_vendor.sh failed:\n" + r.stdout + r.stderr)


def y4m_of_ticket(svg, path):
    """A short 640x480 greyscale video (YUV 4:2:0 .y4m, the format chromium's fake camera reads) showing
    the QR code of svg (the ticket: one 'Mx yhNv1h-Nz' run per dark stretch of a row) on white, centred."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    dark = [(int(x), int(y), int(n)) for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg)]
    expect(dark, "the ticket's SVG has the QR code's modules")
    scale = (H - 40) // size
    off_x, off_y = (W - size * scale) // 2, (H - size * scale) // 2
    luma = bytearray(b"\xeb" * (W * H))  # white
    for x, y, n in dark:
        for row in range(off_y + y * scale, off_y + (y + 1) * scale):
            start = row * W + off_x + x * scale
            luma[start:start + n * scale] = b"\x10" * (n * scale)  # black
    chroma = b"\x80" * (W * H // 2)
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(4):
            f.write(b"FRAME\n" + bytes(luma) + chroma)


class T(Checks):
    def __init__(self):
        self.srv = None

    def setup(self):
        """An event of one organisation with a session now, four registrations (one cancelled) and a
        check-in account assigned to it. Returns (session id, {name: token}, account email, password)."""
        srv = self.srv
        admin = srv.token("admin")
        org = expect_status(srv.post("/api/v1/organisations", token=admin,
                                     body={"name": "Association Porte", "kind": "ngo", "city": "Rabat"}), 201)["id"]
        now = datetime.now(HOME).replace(second=0, microsecond=0)
        ev = expect_status(srv.post("/api/v1/events", token=admin, body={
            "type": "training", "org_id": org, "capacity": 20, "visibility": "public",
            "title_fr": "Formation couture", "title_ar": "تكوين في الخياطة", "title_en": "Sewing training",
            "registration_closes_at": (now + timedelta(hours=3)).isoformat(timespec="seconds")}), 201)["id"]
        fmt = "%Y-%m-%dT%H:%M"
        sess = expect_status(srv.post(f"/api/v1/events/{ev}/sessions", token=admin, body={
            "starts_local": (now - timedelta(minutes=30)).strftime(fmt),
            "ends_local": (now + timedelta(hours=3)).strftime(fmt), "title": "Module 1"}), 201)["id"]
        tokens = {}
        for key, name, name_ar in (("amina", "Amina Benali", "أمينة بنعلي"),
                                   ("youssef", "Youssef Idrissi", "يُوسُف الإدريسي"),
                                   ("fatima", "Fatima Zahra Alaoui", "فاطمة الزهراء العلوي"),
                                   ("karim", "Karim Ennaji", "كريم الناجي")):
            r = expect_status(srv.post(f"/api/v1/events/{ev}/registrations", {
                "name": name, "name_ar": name_ar, "email": f"{key}@example.org", "lang": "ar", "consent": True}), 201)
            tokens[key] = r["token"]
        # his ticket as printed before he cancelled: shown at the door all the same
        r = srv.get(f"/api/v1/r/{tokens['karim']}/ticket.svg")
        expect_status(r, 200)
        self.cancelled_svg = r.body
        expect_status(srv.post(f"/api/v1/r/{tokens['karim']}/cancel"), 200)
        email, password = "porte@example.org", "une phrase de passe"
        expect_status(srv.post("/api/v1/accounts", token=admin, body={
            "email": email, "display_name": "Porte", "password": password, "role": "checkin", "org_id": org,
            "event_ids": [ev]}), 201)
        return sess, tokens, email, password

    def test_page_served(self):
        r = self.srv.get("/admin/checkin")
        expect_status(r, 200)
        expect(r.headers.get("content-type") == "text/html; charset=utf-8", "type", r)
        expect("script-src 'self'" in r.headers.get("content-security-policy", ""), "CSP", r)
        with open(os.path.join(WEB, "checkin.html"), encoding="utf-8") as f:
            expect(r.body == f.read(), "the bytes of web/checkin.html")
        expect("<script>" not in r.body and "style=" not in r.body, "no inline script or style")
        for path, ctype in (("/checkin.js", "text/javascript"), ("/checkin.css", "text/css"),
                            ("/vendor/jsqr/dist/jsQR.js", "text/javascript")):
            r = self.srv.get(path, headers={"Accept-Encoding": "br, gzip"})
            expect_status(r, 200, path)
            expect(r.headers.get("content-type", "").startswith(ctype), f"{path} type", r)
            expect(r.headers.get("content-encoding") in ("br", "gzip"), f"{path} served compressed", r)

    def test_browser(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        sess, tokens, email, password = self.setup()
        r = self.srv.get(f"/api/v1/r/{tokens['amina']}/ticket.svg")
        expect_status(r, 200)
        svg = r.body
        d = tempfile.mkdtemp(prefix="majlis-checkin-")
        try:
            video, cancelled = os.path.join(d, "ticket.y4m"), os.path.join(d, "cancelled.y4m")
            y4m_of_ticket(svg, video)
            y4m_of_ticket(self.cancelled_svg, cancelled)
            base = f"http://127.0.0.1:{self.srv.port}"
            r = subprocess.run(["node", os.path.join(E2E, "checkin.spec.mjs"), base, str(sess), video, cancelled, email,
                                password, ARTEFACTS], capture_output=True, text=True, timeout=300)
        finally:
            shutil.rmtree(d, ignore_errors=True)
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "checkin.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        for name in ("pick_session", "scan_checks_in", "live_second_screen", "scan_again_already",
                     "name_arabic_script", "live_count_back", "offline_says_so", "cancelled_shown", "register_marks", "scan_cancelled_red", "axe",
                     "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:1500]}")
        expect(r.returncode == 0, f"checkin.spec.mjs failed: {out['failed']}")
        rows = dict((n, (s, m)) for n, s, m in db_rows(
            self.srv.db, "SELECT p.name, a.status, a.method FROM attendance a JOIN registrations r "
            "ON r.id = a.registration_id JOIN people p ON p.id = r.person_id WHERE a.session_id = ?", (sess,)))
        expect(rows == {"Amina Benali": ("present", "qr"), "Youssef Idrissi": ("present", "manual"),
                        "Fatima Zahra Alaoui": ("excused", "manual")}, "what the door recorded", rows)
        print("     screenshots: " + ", ".join(out["screenshots"]))

    def run(self):
        vendor_ready()
        with Server(extra_args=["--web-root", WEB]) as srv:
            self.srv = srv
            super().run()


if __name__ == "__main__":
    T().run()
