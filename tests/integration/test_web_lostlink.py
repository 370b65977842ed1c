"""Web page of a broken personal link: starts majlisd with the repository's web root and a test mail server,
registers one participant through the API, then drives Debian's chromium through /r/<a link that does not
exist> with playwright-core (tests/e2e/lostlink.spec.mjs): at 360x740 in Arabic and at 1280 in French the
page explains why a link stops working and offers the lost-link form, whose errors show beside its field;
the participant's address and an unknown one get the very same answer on screen; axe-core finds no serious
or critical violation and no console error shows up. Then the mail server must hold exactly one new link
for the known address and nothing for the unknown one."""

import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, expect, expect_status, wait_until  # noqa: E402
from reg_fixtures import add_event, add_org  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402
from test_web import ARTEFACTS, CHROMIUM, E2E, WEB, e2e_ready  # noqa: E402

KNOWN = "lina.lostlink@example.org"
UNKNOWN = "nobody.lostlink@example.org"


class T(Checks):
    def __init__(self, srv, sink):
        self.srv = srv
        self.sink = sink

    def mails_to(self, address):
        return [m for _, r, m, _ in self.sink.messages if r == [f"<{address}>"]]

    def test_broken_link_page(self):
        expect(os.path.exists(CHROMIUM), "chromium is required (apt-get install chromium)")
        e2e_ready()
        org = add_org(self.srv, "Association Amal")
        ev = add_event(self.srv, org, capacity=5, visibility="internal", title="Atelier interne")
        j = expect_status(self.srv.post(f"/api/v1/events/{ev}/registrations",
                                        {"name": "Lina Lien", "email": KNOWN, "lang": "ar", "consent": True},
                                        token=self.srv.token("organiser", org)), 201)
        wait_until(lambda: self.mails_to(KNOWN), what="the confirmation mail")
        base = f"http://127.0.0.1:{self.srv.port}"
        r = subprocess.run(["node", os.path.join(E2E, "lostlink.spec.mjs"), base, KNOWN, UNKNOWN, ARTEFACTS],
                           capture_output=True, text=True, timeout=300)
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        expect(lines, "lostlink.spec.mjs printed no result:\n" + r.stdout + r.stderr)
        out = json.loads(lines[-1])
        for name in ("explained_ar_360", "explained_fr_1280", "error_beside_field", "same_answer_ar_360",
                     "same_answer_fr_1280", "axe", "no_console_errors"):
            c = out["checks"].get(name)
            expect(c and c["ok"], f"browser check {name}: {json.dumps(c, ensure_ascii=False)[:1500]}")
        expect(r.returncode == 0, f"lostlink.spec.mjs failed: {out['failed']}")
        # the known address got one new link (asked twice within the quarter hour), the unknown one nothing
        mails = wait_until(lambda: len(self.mails_to(KNOWN)) >= 2 and self.mails_to(KNOWN), what="the link mail")
        time.sleep(0.5)
        expect(len(self.mails_to(KNOWN)) == 2, "one link mail besides the confirmation", len(self.mails_to(KNOWN)))
        text = next(p.get_content() for p in mails[1].walk() if p.get_content_type() == "text/plain")
        new = re.search(r"/r/([A-Za-z0-9_-]{43})", text).group(1)
        expect(new != j["token"], "a new link")
        view = expect_status(self.srv.get(f"/api/v1/r/{new}"), 200)
        expect(view["event"]["id"] == ev, "the link of the participant's (internal) event", view)
        expect(not self.mails_to(UNKNOWN), "nothing to the unknown address")
        print("     screenshots: " + ", ".join(out["screenshots"]))


if __name__ == "__main__":
    sink = SmtpSink()
    with Server(extra_args=["--web-root", WEB, "--smtp-url", sink.url,
                            "--mail-from", "noreply@majlis.example.org"]) as srv:
        T(srv, sink).run()
