"""Integration tests of what a participant with a broken personal link can still do: ask for their links
again without naming an event (POST /api/v1/registrations/lost-link: a mail per live registration of a known
address, the very same answer for an unknown one, throttled per address and per client, bad input refused
with nothing stored), and add their event to their calendar from their personal page, also for an event
that is not public (GET /api/v1/r/{token}/event.ics)."""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, expect, expect_error, expect_status, wait_until  # noqa: E402
from reg_fixtures import add_event, add_org, add_session, db_all, db_exec, db_one, person, register  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402

LOST = "/api/v1/registrations/lost-link"


def text_part(msg):
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            return part.get_content()
    raise AssertionError("no text/plain part")


def unfold(ics):
    return ics.replace("\r\n ", "")


def phone_number():
    """A Moroccan mobile number no other test uses."""
    return "06 %02d %02d %02d %02d" % tuple((time.time_ns() // 10 ** k) % 100 for k in (2, 4, 6, 8))


class T(Checks):
    def __init__(self, srv, sink):
        self.srv = srv
        self.sink = sink
        self.org = add_org(srv, "Association Amal")
        self.organiser = srv.token("organiser", self.org)

    def mails_to(self, address):
        return [(f, r, m, raw) for f, r, m, raw in self.sink.messages if r == [f"<{address}>"]]

    def lost(self, contact, source, **kw):
        body = kw.pop("body", {"contact": contact})
        return self.srv.request("POST", LOST, body=body, source=source, **kw)

    def stored(self):
        """What a lost-link request may write (the worker's own change-log rows aside), and every link."""
        return [db_one(self.srv, f"SELECT count(*) FROM {t}")[0] for t in (
            "outbox", "change_log WHERE kind LIKE 'registration.%'", "people")] + [
            db_all(self.srv, "SELECT id, status, token_hash, pending_token_hash, updated_at FROM registrations "
                             "ORDER BY id")]

    def link_rows(self, reg):
        return [r for r in db_all(self.srv, "SELECT payload, sent_at FROM outbox WHERE kind = "
                                            "'registration.link_resent' ORDER BY id")
                if json.loads(r[0]).get("registration_id") == reg]

    def test_a_known_address_gets_a_link_for_each_live_registration(self):
        """One request without an event: a mail with a new link for each of the person's live registrations
        (a public and an internal event), none for one that is over or cancelled; an unknown, erased or
        malformed-but-valid contact gets the very same answer and nothing is stored; asking again within the
        quarter hour (by phone this time) queues nothing more."""
        phone = phone_number()
        body = person(name="Khadija", phone=phone)
        public = add_event(self.srv, self.org, capacity=5, title="Formation comptabilité")
        internal = add_event(self.srv, self.org, capacity=5, visibility="internal", title="Atelier interne")
        past = add_event(self.srv, self.org, capacity=5, title="Atelier passé")
        dropped = add_event(self.srv, self.org, capacity=5, title="Atelier quitté")
        regs = {}
        for ev in (public, internal, past, dropped):
            j = expect_status(register(self.srv, ev, body, token=self.organiser if ev == internal else None), 201)
            regs[ev] = (j["registration"]["id"], j["token"])
        wait_until(lambda: len(self.mails_to(body["email"])) >= 4, what="the four confirmations")
        db_exec(self.srv, "UPDATE sessions SET start_utc = start_utc - 30 * 86400, end_utc = end_utc - 30 * 86400 "
                          "WHERE event_id = ?", (past,))
        expect_status(self.srv.post(f"/api/v1/r/{regs[dropped][1]}/cancel"), 200)
        gone = person(name="Erased Person")
        expect_status(register(self.srv, public, gone), 201)
        pid = db_one(self.srv, "SELECT id FROM people WHERE email = ?", (gone["email"],))[0]
        expect_status(self.srv.post(f"/api/v1/people/{pid}/erase", token=self.srv.token("admin")), 200)
        wait_until(lambda: len(self.mails_to(body["email"])) >= 5, what="the cancellation mail")
        # every mail queued so far has left (the erased person's confirmation among them), so that the count
        # below sees only what the lost-link request sends
        wait_until(lambda: db_one(self.srv, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")[0]
                   == 0, what="the outbox drained")
        before_mails = len(self.sink.messages)

        before = self.stored()
        others = [self.lost(c, "127.0.0.21") for c in (f"nobody.{time.time_ns()}@example.org", gone["email"],
                                                        "+221 77 123 45 67")]
        expect(self.stored() == before, "nothing stored for an unknown contact")

        known = self.lost(body["email"].upper(), "127.0.0.21")
        expect(known.status == 202 and known.json == {"accepted": True}, "accepted", known)
        for r in others:
            expect((r.status, r.body, r.headers.get("cache-control"), r.headers.get("content-type")) ==
                   (known.status, known.body, known.headers.get("cache-control"),
                    known.headers.get("content-type")), "the very same answer", r)
        expect(known.headers.get("cache-control") == "no-store", "never cached", known.headers)
        for ev in (public, internal):
            expect(len(self.link_rows(regs[ev][0])) == 1, f"a link queued for event {ev}", self.link_rows(regs[ev][0]))
        for ev in (past, dropped):
            expect(not self.link_rows(regs[ev][0]), f"none for event {ev} (over or cancelled)")
        wait_until(lambda: len(self.mails_to(body["email"])) >= 7, what="the two link mails")
        time.sleep(0.5)
        mails = self.mails_to(body["email"])[5:]
        expect(len(mails) == 2, "exactly two mails", [str(m[2]["subject"]) for m in mails])
        links = {re.search(r"/r/([A-Za-z0-9_-]{43})", text_part(m[2])).group(1) for m in mails}
        expect(len(links) == 2 and not links & {t for _, t in regs.values()}, "two new links")
        titles = sorted(self.srv.get(f"/api/v1/r/{t}").json["event"]["title"] for t in links)
        expect(titles == ["Atelier interne", "Formation comptabilité"], "one per live event", titles)
        expect(len(self.sink.messages) == before_mails + 2, "nobody else got a mail")

        # the same person by phone, typed otherwise, within the quarter hour: the same answer, no more mail
        before = self.stored()
        again = self.lost("+212" + phone.replace(" ", "")[1:], "127.0.0.21")
        expect((again.status, again.body) == (known.status, known.body), "the same answer", again)
        expect(self.stored() == before, "nothing more within the quarter hour")
        time.sleep(0.5)
        expect(len(self.mails_to(body["email"])) == 7, "no third link mail")
        log = db_all(self.srv, "SELECT payload FROM change_log WHERE kind = 'registration.link_requested'")
        expect(all(body["email"] not in p and "Khadija" not in p for (p,) in log), "no personal data logged")
        for secret in [body["email"], *links]:
            expect(secret not in self.srv.log_text(), "nothing personal in majlisd's log")

    def test_bad_input_is_refused_and_nothing_is_stored(self):
        before = self.stored()
        cases = [({"contact": "not an address"}, "invalid_field"),
                 ({"contact": "someone@"}, "invalid_field"),
                 ({"contact": "12"}, "invalid_field"),
                 ({"contact": ""}, "invalid_field"),
                 ({"contact": 612345678}, "invalid_field"),
                 ({"contact": None}, "missing_field"),
                 ({"contact": "a\u202eb@example.org"}, "invalid_field"),
                 ({"contact": "x" * 300 + "@example.org"}, "invalid_field"),
                 ({}, "missing_field"),
                 ({"contact": "x@example.org", "event_id": 1}, "unknown_field"),
                 ([], None), ("x@example.org", None)]
        for b, code in cases:
            r = self.lost(None, "127.0.0.22", body=b)
            expect_error(r, 400, code)
        for raw, ctype, status in ((b'{"contact":', "application/json", 400),
                                   (b'{"contact":"x@example.org"}', "text/plain", 415),
                                   (b"\xff\xfe", "application/json", 400)):
            r = self.srv.request("POST", LOST, raw=raw, headers={"Content-Type": ctype}, source="127.0.0.22")
            expect_error(r, status)
        expect_error(self.srv.get(LOST, source="127.0.0.22"), 405)
        expect(self.stored() == before, "nothing stored")

    def test_throttled_per_client_across_both_forms(self):
        """The event page's form and the broken link's share one budget per client address: 10 requests
        that reach the lookup per 10 minutes, then 429 with Retry-After for any contact on either route;
        another address is not affected."""
        ev = add_event(self.srv, self.org, capacity=5)
        body = person(name="Nadia")
        expect_status(register(self.srv, ev, body), 201)
        for i in range(10):  # RATELIMIT_LINK_MAX
            contact = body["email"] if i % 2 else f"nobody{i}.{time.time_ns()}@example.org"
            path = LOST if i % 3 else f"/api/v1/events/{ev}/registrations/lost-link"
            expect_status(self.srv.request("POST", path, body={"contact": contact}, source="127.0.0.23"), 202)
        refused = [self.srv.request("POST", p, body={"contact": c}, source="127.0.0.23")
                   for p, c in ((LOST, body["email"]), (LOST, "nobody@example.org"),
                                (f"/api/v1/events/{ev}/registrations/lost-link", body["email"]))]
        for r in refused:
            expect_error(r, 429, "too_many_requests")
            expect(0 < int(r.headers.get("retry-after", "0")) <= 600, "Retry-After", r.headers)
        expect(refused[0].body == refused[1].body, "alike for known and unknown", refused)
        expect_status(self.lost(body["email"], "127.0.0.24"), 202)

    def test_personal_calendar_of_an_event_that_is_not_public(self):
        """The personal page's .ics answers for an internal event (whose public feed is a 404): every session
        in Morocco's zone, the participant with their status, text/calendar never compressed, revalidated
        with its ETag; a bad or replaced link is the page's own 404."""
        ev = add_event(self.srv, self.org, capacity=5, visibility="internal", title="Atelier interne")
        add_session(self.srv, ev, int(time.time()) + 14 * 86400)
        body = person(name="Amina", name_ar="أمينة", lang="ar")
        db_exec(self.srv, "UPDATE events SET title_ar = 'ورشة داخلية' WHERE id = ?", (ev,))
        j = expect_status(register(self.srv, ev, body, token=self.organiser), 201)
        token = j["token"]
        expect(self.srv.get(f"/calendar/events/{ev}.ics").status == 404, "the public feed does not show it")
        path = f"/api/v1/r/{token}/event.ics"
        r = self.srv.get(path, headers={"Accept-Encoding": "gzip, br"})
        expect_status(r, 200)
        expect(r.headers.get("content-type", "").startswith("text/calendar"), "text/calendar", r.headers)
        expect("content-encoding" not in {k.lower() for k in r.headers}, "never compressed", r.headers)
        expect("private" in r.headers.get("cache-control", ""), "not in shared caches", r.headers)
        ics = unfold(r.body)
        expect(ics.count("BEGIN:VEVENT") == 2, "one VEVENT per session", ics)
        expect("X-WR-TIMEZONE:Africa/Casablanca" in ics and "بتوقيت المغرب" in ics, "Morocco's zone", ics)
        expect(re.search(r"^DTSTART:\d{8}T\d{6}Z\r?$", ics, re.M), "instants in UTC, as every feed", ics)
        expect("X-WR-CALNAME:Majlis — ورشة داخلية" in ics, "named in the participant's language", ics)
        expect(re.search(r"ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:" + re.escape(body["email"]), ics),
               "the participant, accepted", ics)
        organiser_feed = self.srv.get(f"/calendar/events/{ev}.ics", token=self.organiser).body
        uids = sorted(re.findall(r"^UID:(.+?)\r?$", ics, re.M))
        expect(uids == sorted(re.findall(r"^UID:(.+?)\r?$", unfold(organiser_feed), re.M)), "the event's UIDs")
        fr = unfold(self.srv.get(path + "?lang=fr").body)
        expect("X-WR-CALNAME:Majlis — Atelier interne" in fr, "?lang= chooses", fr)
        etag = r.headers.get("etag")
        expect(etag and self.srv.get(path, headers={"If-None-Match": etag}).status == 304, "revalidated", r.headers)
        expect_error(self.srv.get(path + "?lang=xx"), 400, "invalid_query")

        expect_status(self.srv.post(f"/api/v1/r/{token}/cancel"), 200)
        ics = unfold(self.srv.get(path).body)
        expect("PARTSTAT=DECLINED" in ics, "a cancelled registration is declined", ics)

        bad = "A" * 43
        a, b = self.srv.get(f"/api/v1/r/{bad}/event.ics"), self.srv.get(f"/api/v1/r/{bad}")
        expect_error(a, 404)
        expect((a.status, a.json["error"]["code"]) == (b.status, b.json["error"]["code"]), "the page's 404", (a, b))
        expect(token not in self.srv.log_text(), "the link is not logged")

    def test_replaced_link_calendar_is_a_404(self):
        ev = add_event(self.srv, self.org, capacity=5)
        body = person(name="Youssef")
        j = expect_status(register(self.srv, ev, body), 201)
        first, reg = j["token"], j["registration"]["id"]
        wait_until(lambda: self.mails_to(body["email"]), what="the confirmation")
        expect_status(self.srv.get(f"/api/v1/r/{first}/event.ics"), 200)
        expect_status(self.lost(body["email"], "127.0.0.25"), 202)
        wait_until(lambda: self.link_rows(reg) and self.link_rows(reg)[-1][1], what="the link mail sent")
        expect_error(self.srv.get(f"/api/v1/r/{first}/event.ics"), 404)
        new = re.search(r"/r/([A-Za-z0-9_-]{43})", text_part(self.mails_to(body["email"])[-1][2])).group(1)
        expect_status(self.srv.get(f"/api/v1/r/{new}/event.ics"), 200)


if __name__ == "__main__":
    sink = SmtpSink()
    with Server(extra_args=["--smtp-url", sink.url, "--mail-from", "noreply@majlis.example.org"]) as srv:
        T(srv, sink).run()
