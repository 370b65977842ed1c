"""The QR ticket of a personal link: an SVG whose code a scanner reads back as the registration's token,
only for a confirmed registration, never cached, and unknown tokens get 404."""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, expect, expect_error, expect_status  # noqa: E402


def decode_svg(svg_text):
    """Renders the SVG to PNG and reads the QR code back with zbarimg; returns the decoded text."""
    for tool in ("rsvg-convert", "zbarimg"):
        if not shutil.which(tool):
            raise AssertionError(f"{tool} is needed (scripts/deps.sh test installs it)")
    d = tempfile.mkdtemp(prefix="majlis-qr-")
    try:
        svg, png = os.path.join(d, "t.svg"), os.path.join(d, "t.png")
        with open(svg, "w") as f:
            f.write(svg_text)
        subprocess.run(["rsvg-convert", "-w", "400", "-o", png, svg], check=True, timeout=30)
        out = subprocess.run(["zbarimg", "--quiet", "--raw", png], capture_output=True, text=True, timeout=30)
        expect(out.returncode == 0, "zbarimg decoded the ticket: " + out.stderr)
        return out.stdout.strip()
    finally:
        shutil.rmtree(d, ignore_errors=True)


class T(Checks):
    def test_ticket_encodes_the_token(self):
        with Server() as srv:
            admin = srv.token("admin")
            org = expect_status(srv.post("/api/v1/organisations", token=admin,
                                         body={"name": "Org Q", "kind": "ngo", "city": "Oujda"}), 201)
            ev = expect_status(srv.post("/api/v1/events", token=admin, body={
                "type": "training", "title_fr": "Couture", "org_id": org["id"], "capacity": 1,
                "visibility": "public"}), 201)
            expect_status(srv.post(f"/api/v1/events/{ev['id']}/sessions", token=admin, body={
                "starts_local": "2027-02-01T09:00", "ends_local": "2027-02-01T12:00"}), 201)
            who = {"sex": "female", "lang": "fr", "consent": True}
            first = expect_status(srv.post(f"/api/v1/events/{ev['id']}/registrations",
                                           body=dict(who, name="Awa Diallo", email="awa@example.org")), 201)
            second = expect_status(srv.post(f"/api/v1/events/{ev['id']}/registrations",
                                            body=dict(who, name="Fatou Ndiaye", email="fatou@example.org")), 201)
            expect(first["registration"]["status"] == "confirmed", "first gets the seat", first)
            expect(second["registration"]["status"] == "waitlisted", "second waits", second)

            r = srv.get(f"/api/v1/r/{first['token']}/ticket.svg")
            expect_status(r, 200)
            expect(r.headers["content-type"].startswith("image/svg+xml"), "SVG", r)
            expect("no-store" in r.headers.get("cache-control", ""), "never cached", r)
            expect(decode_svg(r.body) == first["token"], "the code reads back as the token")

            expect_error(srv.get(f"/api/v1/r/{second['token']}/ticket.svg"), 409, "not_confirmed")
            expect_error(srv.get("/api/v1/r/" + "A" * 43 + "/ticket.svg"), 404)


if __name__ == "__main__":
    T().run()
