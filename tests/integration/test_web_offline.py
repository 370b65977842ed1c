"""The personal page offline: starts majlisd with demo data and the repository's web root, checks how the
service worker (/sw.js: a script type, Cache-Control: no-cache, at the root so that its scope may be /r/)
and the page's web app manifest (/r/<token>/manifest.webmanifest: application/manifest+json, start_url the
page itself, never stored) are served, that the worker keeps every file the page loads, then drives
Debian's chromium through tests/e2e/offline.spec.mjs: in Arabic at 360 px and in French at 1280 px a
participant confirms attendance and sees the ticket, goes offline and reloads, and still sees the ticket
and the status with when they were last updated; back online the line goes. With a weak signal (majlisd
stopped with SIGSTOP) the kept copy is shown after the worker's wait, saying the connection is not
answering, and the fresh one once it answers again. The worker leaves the other
pages alone, keeps no other API answer and forgets a link the server no longer knows."""

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_error, expect_status  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, WEB, e2e_ready  # noqa: E402

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


class T(Checks):
    def __init__(self):
        self.srv = None
        self.n = 0

    def registration(self, lang="fr"):
        """A confirmed registration (its token) to an upcoming public event, made through the API."""
        today = datetime.now(ZoneInfo("Africa/Casablanca")).date().isoformat()
        events = expect_status(self.srv.get(f"/api/v1/events?from={today}&limit=200"), 200)["items"]
        self.n += 1
        for ev in events:
            if ev["status"] != "scheduled" or ev["needs_approval"]:
                continue
            r = self.srv.post(f"/api/v1/events/{ev['id']}/registrations",
                              {"name": f"Nadia Horsligne {self.n}", "name_ar": "نادية",
                               "email": f"nadia.offline{self.n}@example.org", "lang": lang, "consent": True})
            if r.status == 201 and r.json["registration"]["status"] == "confirmed":
                return r.json["token"]
        raise AssertionError("no upcoming public event with a free seat in the demo data")

    def test_worker_served(self):
        r = self.srv.get("/sw.js")
        expect_status(r, 200)
        expect(r.headers.get("content-type", "").startswith("text/javascript"), "a script type", r)
        expect(r.headers.get("cache-control") == "no-cache", "browsers revalidate the worker each time", r)
        expect("default-src 'none'" in r.headers.get("content-security-policy", ""), "CSP", r)
        with open(os.path.join(WEB, "sw.js"), encoding="utf-8") as f:
            expect(r.body == f.read(), "the bytes of web/sw.js")
        # revalidated, not refetched: an unchanged worker costs a 304
        again = self.srv.get("/sw.js", headers={"If-None-Match": r.headers["etag"]})
        expect(again.status == 304 and again.headers.get("cache-control") == "no-cache", "304", again)
        # the other files keep their short caching
        expect(self.srv.get("/r.js").headers.get("cache-control") == "must-revalidate, private, max-age=300",
               "r.js", None)

    def test_manifest(self):
        token = self.registration()
        r = self.srv.get(f"/r/{token}/manifest.webmanifest")
        expect_status(r, 200)
        expect(r.headers.get("content-type") == "application/manifest+json", "type", r)
        expect(r.headers.get("cache-control") == "no-store", "it holds the token: never stored", r)
        m = json.loads(r.body)
        expect(m["start_url"] == f"/r/{token}" and m["scope"] == "/r/" and m["name"] == "Majlis" and
               m["display"] == "standalone", "opens on the personal page, within /r/", m)
        icons = m["icons"]
        expect(icons and all(self.srv.get(i["src"]).status == 200 for i in icons), "its icons are served", m)
        # the token is not looked up: any token-shaped link gets its manifest (nothing learnt from it)
        other = "B" * 43
        o = self.srv.get(f"/r/{other}/manifest.webmanifest")
        expect(o.status == 200 and json.loads(o.body)["start_url"] == f"/r/{other}", "no look-up", o)
        for bad in ("/r/not.a.token/manifest.webmanifest", "/r/" + "A" * 200 + "/manifest.webmanifest",
                    f"/r/{token}/manifest.json", f"/r/{token}/manifest.webmanifest/x"):
            expect_error(self.srv.get(bad), 404)
        expect_error(self.srv.post(f"/r/{token}/manifest.webmanifest", {}), 405)
        expect_error(self.srv.request("PUT", f"/r/{token}/manifest.webmanifest", body={"start_url": "/"}), 405)
        # nothing changed by those: the link still opens its registration
        expect_status(self.srv.get(f"/api/v1/r/{token}"), 200)
        # the page links it from its script (the token is in the path), the worker is registered for /r/
        with open(os.path.join(WEB, "r.js"), encoding="utf-8") as f:
            js = f.read()
        expect("/manifest.webmanifest" in js and "register('/sw.js', { scope: '/r/' })" in js, "r.js", None)

    def test_worker_keeps_every_file_of_the_page(self):
        """sw.js's list of the page's files names every script, style sheet and icon r.html loads and each
        catalogue, and each of them is served: a file added to the page without it would be missing offline."""
        with open(os.path.join(WEB, "sw.js"), encoding="utf-8") as f:
            sw = f.read()
        m = re.search(r"const SHELL_FILES = \[(.*?)\];", sw, re.S)
        expect(m, "SHELL_FILES in sw.js")
        shell = set(re.findall(r"'([^']+)'", m.group(1)))
        with open(os.path.join(WEB, "r.html"), encoding="utf-8") as f:
            page = f.read()
        used = {u for u in re.findall(r'(?:src|href)="(/[^"]*)"', page)}
        used |= {f"/i18n/{lang}.json" for lang in ("fr", "ar", "en")}
        used.add("/r.html")
        expect(used <= shell, f"files of the page the worker does not keep: {sorted(used - shell)}")
        for path in sorted(shell):
            expect_status(self.srv.get(path), 200, path)

    def test_browser(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        tokens = [self.registration("ar"), self.registration("fr"), self.registration("fr")]
        expect(all(TOKEN_RE.match(t) for t in tokens), "tokens")
        base = f"http://127.0.0.1:{self.srv.port}"
        r = subprocess.run(["node", os.path.join(E2E, "offline.spec.mjs"), base, *tokens, ARTEFACTS],
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "MAJLIS_E2E_ADMIN": self.srv.token("admin"),
                                "MAJLIS_E2E_PID": str(self.srv.proc.pid)})
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "offline.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        for name in ("ar-360_manifest", "ar-360_offline", "ar-360_back_online", "ar-360_other_pages_left_alone",
                     "ar-360_keeps_only_its_own", "ar_360",
                     "fr-1280_manifest", "fr-1280_offline", "fr-1280_back_online",
                     "fr-1280_other_pages_left_alone", "fr-1280_keeps_only_its_own", "fr_1280",
                     "weak_signal", "forgets_unknown_link", "axe", "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:1500]}")
        expect(r.returncode == 0, f"offline.spec.mjs failed: {out['failed']}")
        # confirmed through the page: the API agrees
        for t in tokens[:2]:
            view = expect_status(self.srv.get("/api/v1/r/" + t), 200)
            expect(view["attendance_confirmed_at"], "attendance confirmed", view)
        weak = out["checks"]["weak_signal"]["detail"]
        print(f"     weak signal: the kept page loaded after {weak['reloaded_ms']} ms, its line after "
              f"{weak['line_ms']} ms, the ticket after {weak['shown_after_ms']} ms, fresh again "
              f"{weak['back_after_ms']} ms after the reload")
        print("     screenshots: " + ", ".join(out["screenshots"]))

    def run(self):
        with Server(demo=True, extra_args=["--web-root", WEB]) as srv:
            self.srv = srv
            super().run()


if __name__ == "__main__":
    T().run()
