"""A tz database upgrade is picked up without a restart: after SIGHUP, or by itself within --tz-check
seconds when nobody sends one, sessions are re-derived from their
wall time, feeds show the new UTC instants, and each attendee of a moved session is notified once.

majlisd runs in a private mount namespace whose /usr/share/zoneinfo is a copy this test controls, so
Africa/Casablanca can be given new rules (compiled with zic) while the server runs."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import contextmanager
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, expect, expect_status  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402

SYSTEM_ZONEINFO = "/usr/share/zoneinfo"


def compile_zone(zoneinfo, offset):
    """Writes Africa/Casablanca into zoneinfo as a zone fixed at offset ("0:00" or "1:00")."""
    src = os.path.join(zoneinfo, "casablanca.zic")
    with open(src, "w") as f:
        f.write(f"Zone Africa/Casablanca {offset} - {'+00' if offset == '0:00' else '+01'}\n")
    os.remove(os.path.join(zoneinfo, "Africa", "Casablanca"))
    subprocess.run(["zic", "-d", zoneinfo, src], check=True, capture_output=True, timeout=30)
    os.remove(src)


@contextmanager
def private_zoneinfo(offset):
    """A copy of the system's zoneinfo with Africa/Casablanca fixed at offset; yields (its directory, the
    command prefix that runs majlisd in a private mount namespace where that copy is the system's)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        raise AssertionError("this test needs root and unshare(1) to give majlisd its own zoneinfo")
    zi = tempfile.mkdtemp(prefix="majlis-zoneinfo-")
    try:
        shutil.copytree(SYSTEM_ZONEINFO, zi, dirs_exist_ok=True, symlinks=True)
        compile_zone(zi, offset)
        yield zi, ["unshare", "-m", "--propagation", "private", "sh", "-c",
                   f'mount --bind "{zi}" {SYSTEM_ZONEINFO} && exec "$0" "$@"']
    finally:
        shutil.rmtree(zi, ignore_errors=True)


def outbox_moves(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM outbox WHERE kind = 'session.time_changed'").fetchone()[0]
    finally:
        con.close()


class T(Checks):
    def test_sighup_rederives_sessions_and_notifies_once(self):
        self.scenario(sighup=True)

    def test_an_upgrade_is_noticed_without_sighup(self):
        """Nobody sends SIGHUP after `apt upgrade tzdata`: majlisd notices the new files itself."""
        self.scenario(sighup=False)

    def test_stale_rules_are_reported_until_upgraded(self):
        """A tz database older than Morocco's 2026c rules (here: Casablanca fixed at UTC+1) makes majlisd warn
        loudly at start and say "tz":"stale" on /healthz; after the upgrade and SIGHUP it says "ok"."""
        with private_zoneinfo("1:00") as (zi, wrap):
            with Server(wrap=wrap, extra_args=["--tz-check", "0"]) as srv:
                h = expect_status(srv.get("/healthz"), 200)
                expect(h.get("tz") == "stale", "healthz says the tz rules are stale", h)
                log = srv.log_text()
                expect("OUT OF DATE" in log and "2026c" in log and "SIGHUP" in log and "tzdata" in log,
                       "a loud warning saying what is wrong and how to fix it", log)
                compile_zone(zi, "0:00")
                srv.proc.send_signal(signal.SIGHUP)
                deadline = time.time() + 10
                while time.time() < deadline and h.get("tz") != "ok":
                    time.sleep(0.2)
                    h = expect_status(srv.get("/healthz"), 200)
                expect(h.get("tz") == "ok", "after the upgrade and SIGHUP the rules are current", h)

    def scenario(self, sighup):
        with private_zoneinfo("0:00") as (zi, wrap):
            sink = SmtpSink()
            args = ["--smtp-url", sink.url] + ([] if sighup else ["--tz-check", "1"])
            with Server(wrap=wrap, extra_args=args) as srv:
                admin = srv.token("admin")
                org = expect_status(srv.post("/api/v1/organisations", token=admin,
                                             body={"name": "Org TZ", "kind": "ngo", "city": "Rabat"}), 201)
                ev = expect_status(srv.post("/api/v1/events", token=admin, body={
                    "type": "workshop", "title_fr": "Atelier", "org_id": org["id"], "capacity": 10,
                    "visibility": "public"}), 201)
                s = expect_status(srv.post(f"/api/v1/events/{ev['id']}/sessions", token=admin, body={
                    "starts_local": "2027-01-10T10:00", "ends_local": "2027-01-10T12:00"}), 201)
                expect(s["starts_at"] == "2027-01-10T10:00:00+00:00", "UTC+0 before the change", s)
                for i in range(3):
                    expect_status(srv.post(f"/api/v1/events/{ev['id']}/registrations", body={
                        "name": f"Participant {i}", "email": f"p{i}@example.org", "sex": "female",
                        "lang": "fr", "consent": True}), 201)
                feed = srv.get(f"/calendar/events/{ev['id']}.ics")
                expect("DTSTART:20270110T100000Z" in feed.body, "feed before", feed)
                before_moves = outbox_moves(srv.db)

                compile_zone(zi, "1:00")
                if sighup:
                    srv.proc.send_signal(signal.SIGHUP)
                deadline = time.time() + 15
                while time.time() < deadline:
                    got = srv.get(f"/api/v1/sessions/{s['id']}").json
                    if got and got.get("starts_at") == "2027-01-10T10:00:00+01:00":
                        break
                    time.sleep(0.2)
                expect(got["starts_at"] == "2027-01-10T10:00:00+01:00", "re-derived after the upgrade", got)
                expect(got["starts_local"].startswith("2027-01-10T10:00"), "wall time kept", got)
                feed = srv.get(f"/calendar/events/{ev['id']}.ics")
                expect("DTSTART:20270110T090000Z" in feed.body, "feed re-rendered with the new instant", feed)
                moved = outbox_moves(srv.db) - before_moves
                expect(moved == 3, f"each of the 3 attendees notified once, got {moved}")
                mails = sink.wait(6)  # 3 confirmations, then 3 new times

                srv.proc.send_signal(signal.SIGHUP)
                time.sleep(2.5)
                expect_status(srv.get("/healthz"), 200)
                expect(outbox_moves(srv.db) - before_moves == 3, "a second SIGHUP notifies nobody again")
                mails = list(sink.messages)
                expect(len(mails) == 6, "six mails in all", [str(m["subject"]) for _, _, m, _ in mails])
                for i in range(3):
                    mine = [m for _, rcpt, m, _ in mails if rcpt == [f"<p{i}@example.org>"]]
                    moved_mails = [m for m in mine if str(m["subject"]).startswith("Nouvel horaire")]
                    expect(len(moved_mails) == 1, f"participant {i} is mailed the new time once",
                           [str(m["subject"]) for m in mine])
                    m = moved_mails[0]
                    text = next(p.get_content() for p in m.walk() if p.get_content_type() == "text/plain")
                    expect("2027-01-10 10:00, heure du Maroc, UTC+1" in text, "the mail spells out the time", text)
                    cal = next(p.get_content() for p in m.walk() if p.get_content_type() == "text/calendar")
                    expect("DTSTART:20270110T090000Z" in cal, "the attached calendar has the new instant", cal)
                sink.close()


if __name__ == "__main__":
    T().run()
