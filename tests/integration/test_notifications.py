"""Integration tests of notification delivery: a real majlisd mails the outbox through a test SMTP
server, in the recipient's language, with the personal link and the event's calendar, once per change;
refusals and temporary failures are recorded without personal data."""

import email.header
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import MAJLISD, Checks, Server, expect, expect_status, wait_until  # noqa: E402
from reg_fixtures import add_event, add_org, db_all, db_exec, db_one, person, register  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402


def text_part(msg):
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            return part.get_content()
    raise AssertionError("no text/plain part")


def calendar_part(msg):
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_content()
    return None


def uids(ics):
    return re.findall(r"^UID:(.+?)\r?$", ics.replace("\r\n ", ""), re.M)


def ics_value(ics, name):
    return re.findall(rf"^{name}[;:](.*?)\r?$", ics.replace("\r\n ", ""), re.M)


def by_kind(srv, kind):
    return db_all(srv, "SELECT id, sent_at, failed_at, attempts, last_error, payload, not_before "
                       "FROM outbox WHERE kind = ? ORDER BY id", (kind,))



class T(Checks):
    def __init__(self, srv, sink):
        self.srv = srv
        self.sink = sink
        self.org = add_org(srv, "Association Amal")
        self.organiser = srv.token("organiser", self.org)

    def mails_to(self, address):
        return [(f, r, m, raw) for f, r, m, raw in self.sink.messages if r == [f"<{address}>"]]

    def test_registration_mail_carries_link_and_calendar(self):
        db_exec(self.srv, "UPDATE organisations SET contact_email = 'contact@amal.example.org' WHERE id = ?",
                (self.org,))
        ev = add_event(self.srv, self.org, capacity=5, title="Formation comptabilité")
        body = person(name="Fatima Zahra", lang="fr")
        j = expect_status(register(self.srv, ev, body), 201)
        token = j["token"]
        wait_until(lambda: self.mails_to(body["email"]), what="the confirmation mail")
        time.sleep(0.5)
        mails = self.mails_to(body["email"])
        expect(len(mails) == 1, "exactly one mail", len(mails))
        _, _, msg, raw = mails[0]
        expect(str(msg["subject"]) == "Inscription confirmée : Formation comptabilité", "subject", msg["subject"])
        expect(msg["from"].addresses[0].display_name == "Association Amal", "sender name", msg["from"])
        expect(msg["auto-submitted"] == "auto-generated", "auto-submitted", msg["auto-submitted"])
        expect(msg["reply-to"].addresses[0].addr_spec == "contact@amal.example.org", "replies reach the organisers",
               msg["reply-to"])
        text = text_part(msg)
        expect(text.startswith("Bonjour Fatima Zahra,"), "greeting", text)
        expect("est confirmée" in text and "heure du Maroc" in text, "body", text)
        link = f"http://127.0.0.1:{self.srv.port}/r/{token}"
        expect(link in text, "the personal link", text)
        expect_status(self.srv.get(f"/api/v1/r/{token}"), 200)
        ics = calendar_part(msg)
        expect(ics and "METHOD:PUBLISH" in ics, "calendar attached", ics)
        feed = self.srv.get(f"/calendar/events/{ev}.ics").body
        expect(uids(ics) and uids(ics) == uids(feed), "same UIDs as the event's feed", (uids(ics), uids(feed)))
        expect("ATTENDEE" not in ics, "no participant data in the attachment", ics)
        expect(all(b < 128 for b in raw.split(b"\r\n\r\n", 1)[0]), "headers are ASCII")
        row = by_kind(self.srv, "registration.confirmed")[-1]
        expect(row[1] and not row[2] and row[3] == 1, "recorded as sent", row)
        expect("link_sealed" not in json.loads(row[5]), "the sealed link is dropped once sent", row)
        log = db_all(self.srv, "SELECT kind, payload FROM change_log WHERE topic = ?", (f"outbox:{row[0]}",))
        expect([k for k, _ in log] == ["notification.sent"], "change log", log)
        for secret in (token, body["email"], "Fatima"):
            expect(secret not in self.srv.log_text(), "nothing personal in the log", secret)
            expect(secret not in json.dumps(log), "nothing personal in the change log", secret)

    def test_arabic_recipient_reads_arabic(self):
        ev = add_event(self.srv, self.org, capacity=5, title="Formation comptabilité")
        db_exec(self.srv, "UPDATE events SET title_ar = 'تكوين في المحاسبة' WHERE id = ?", (ev,))
        body = person(name="Amina", name_ar="أمينة", lang="ar")
        expect_status(register(self.srv, ev, body), 201)
        _, _, msg, raw = wait_until(lambda: self.mails_to(body["email"]), what="the mail")[0]
        expect(str(msg["subject"]) == "تأكيد التسجيل: تكوين في المحاسبة", "Arabic subject", msg["subject"])
        expect(msg["to"].addresses[0].display_name == "أمينة", "Arabic name", msg["to"])
        expect(msg["content-language"] == "ar", "language", msg["content-language"])
        text = text_part(msg)
        expect(text.startswith("مرحبا أمينة") and "بتوقيت المغرب" in text, "Arabic body", text)
        head = raw.split(b"\r\n\r\n", 1)[0]
        expect(all(b < 128 for b in head), "headers are ASCII (RFC 2047)")
        expect(all(len(l) <= 78 for l in head.split(b"\r\n")), "header lines folded", head)

    def test_time_change_mails_each_attendee_once(self):
        ev = add_event(self.srv, self.org, capacity=5, title="Atelier micro-entreprise")
        people = [person(name=f"Participant {i}") for i in range(2)]
        for p in people:
            expect_status(register(self.srv, ev, p), 201)
        for p in people:
            wait_until(lambda: self.mails_to(p["email"]), what="confirmations")
        sid = db_one(self.srv, "SELECT id FROM sessions WHERE event_id = ?", (ev,))[0]
        before = calendar_part(self.mails_to(people[0]["email"])[0][2])
        r = self.srv.patch(f"/api/v1/sessions/{sid}",
                           {"starts_local": "2027-01-15T10:00", "ends_local": "2027-01-15T12:00"},
                           token=self.organiser)
        expect_status(r, 200)
        for p in people:
            wait_until(lambda: len(self.mails_to(p["email"])) >= 2, what="the change mail")
        time.sleep(1.0)
        for p in people:
            mails = self.mails_to(p["email"])
            expect(len(mails) == 2, "one confirmation and one change, nothing more", [str(m["subject"]) for _, _, m, _ in mails])
            msg = mails[1][2]
            kinds = [k for (k,) in db_all(self.srv, "SELECT kind FROM outbox WHERE payload LIKE ?", (f'%"session_id":{sid}%',))]
            expect(set(kinds) <= {"session.time_changed", "event.changed"}, "kinds", kinds)
            text = text_part(msg)
            expect("2027-01-15 10:00" in text, "the new local time", text)
            after = calendar_part(msg)
            expect(after and uids(after) == uids(before), "same UID", (before, after))
            expect(int(ics_value(after, "SEQUENCE")[0]) > int(ics_value(before, "SEQUENCE")[0]), "SEQUENCE grew")
            expect(ics_value(after, "DTSTART")[0] == "20270115T100000Z", "UTC instant (permanent UTC+0)",
                   ics_value(after, "DTSTART"))

    def test_refusal_is_final_and_temporary_failure_retries(self):
        ev = add_event(self.srv, self.org, capacity=5)
        try:
            self.sink.rcpt_reply = b"550 5.1.1 mailbox unavailable"
            refused = person()
            expect_status(register(self.srv, ev, refused), 201)
            row = wait_until(lambda: [x for x in by_kind(self.srv, "registration.confirmed")
                                      if refused["email"] not in x[5] and x[2]], what="a given-up row")[-1]
            expect("550" in row[4] and row[1] is None, "given up with the SMTP code", row)
            expect(refused["email"] not in row[4], "no address in last_error", row)
            expect("link_sealed" not in json.loads(row[5]), "sealed link dropped when given up", row)

            self.sink.rcpt_reply = b"451 4.3.0 try again later"
            later = person()
            t0 = int(time.time())
            expect_status(register(self.srv, ev, later), 201)
            row = wait_until(lambda: [x for x in by_kind(self.srv, "registration.confirmed")
                                      if x[3] == 1 and x[1] is None and x[2] is None], what="a retried row")[-1]
            expect("451" in row[4] and row[6] >= t0 + 60, "tried again after a minute", row)
            expect("link_sealed" in json.loads(row[5]), "the link waits, sealed, for the next try", row)
        finally:
            self.sink.rcpt_reply = b"250 OK"
        # the next try (made due now) goes through once the server accepts again
        db_exec(self.srv, "UPDATE outbox SET not_before = 0 WHERE id = ?", (row[0],))
        # any commit wakes the worker (a write that met a busy database, 503, committed nothing: again)
        wait_until(lambda: self.srv.post("/api/v1/events/%d/registrations" % ev, person()).status == 201,
                   what="a commit")
        wait_until(lambda: self.mails_to(later["email"]), what="the retried mail")
        link = re.search(r"/r/([A-Za-z0-9_-]{43})", text_part(self.mails_to(later["email"])[0][2])).group(1)
        expect_status(self.srv.get(f"/api/v1/r/{link}"), 200)

    def test_registering_again_mails_a_new_link_that_replaces_the_old(self):
        ev = add_event(self.srv, self.org, capacity=5)
        body = person(name="Karim")
        first = expect_status(register(self.srv, ev, body), 201)["token"]
        wait_until(lambda: self.mails_to(body["email"]), what="the first mail")
        again = register(self.srv, ev, dict(body))
        expect(again.status in (200, 201) and "token" not in (again.json or {}), "no token in the answer", again)
        mails = wait_until(lambda: len(self.mails_to(body["email"])) >= 2 and self.mails_to(body["email"]),
                           what="the link mail")
        text = text_part(mails[1][2])
        new = re.search(r"/r/([A-Za-z0-9_-]{43})", text).group(1)
        expect(new != first and "remplace le précédent" in text, "a new link, said to replace the old", text)
        expect_status(self.srv.get(f"/api/v1/r/{new}"), 200)
        expect(self.srv.get(f"/api/v1/r/{first}").status == 404, "the old link no longer works")
        for _ in range(3):  # someone keeps typing the address: no flood of mails, the link stays
            expect(register(self.srv, ev, dict(body)).status == 200, "same answer")
        time.sleep(1.0)
        expect(len(self.mails_to(body["email"])) == 2, "one link mail per quarter of an hour",
               [str(m["subject"]) for _, _, m, _ in self.mails_to(body["email"])])
        expect_status(self.srv.get(f"/api/v1/r/{new}"), 200)

    def test_without_smtp_rows_wait_sealed(self):
        self._without_smtp()

    def test_bad_mail_settings_are_refused(self):
        self._bad_settings()

    def test_a_silent_mail_server_stalls_neither_requests_nor_shutdown(self):
        """The mail server accepts the connection and never answers: the loop keeps serving, and SIGTERM
        stops majlisd at once, keeping the message for a later try."""
        import signal
        import socket
        import threading
        ls = socket.socket()
        ls.bind(("127.0.0.1", 0))
        ls.listen(5)
        held = []
        threading.Thread(target=lambda: [held.append(ls.accept()) for _ in range(5)], daemon=True).start()
        try:
            srv = Server(extra_args=["--smtp-url", f"smtp://127.0.0.1:{ls.getsockname()[1]}"])
            srv.start()
            ev = add_event(srv, add_org(srv))
            expect_status(register(srv, ev, person()), 201)
            wait_until(lambda: held, what="the worker's connection")
            t0 = time.time()
            for _ in range(20):
                expect_status(srv.get("/healthz"), 200)
            expect(time.time() - t0 < 5, "requests answered while the worker waits on the mail server")
            t0 = time.time()
            srv.proc.send_signal(signal.SIGTERM)
            expect(srv.proc.wait(timeout=30) == 0, "clean exit")
            expect(time.time() - t0 < 5, "shutdown does not wait for the mail server", time.time() - t0)
            row = db_one(srv, "SELECT sent_at, failed_at, attempts, last_error FROM outbox "
                              "WHERE kind = 'registration.confirmed'")
            expect(row == (None, None, 0, None), "the message waits, untouched, for the next start", row)
            srv.check_sanitizers()
        finally:
            ls.close()

    def test_organisers_see_what_was_mailed_and_send_it_again(self):
        ev = add_event(self.srv, self.org, capacity=5)
        body = person(name="Moussa")
        try:
            self.sink.rcpt_reply = b"550 5.1.1 mailbox unavailable"
            reg = expect_status(register(self.srv, ev, body), 201)["registration"]
            wait_until(lambda: by_kind(self.srv, "registration.confirmed")[-1][2], what="the refusal")
        finally:
            self.sink.rcpt_reply = b"250 OK"
        path = f"/api/v1/events/{ev}/notifications"
        j = expect_status(self.srv.get(path + "?status=failed", token=self.organiser), 200)
        expect(j["total"] == 1, "one failed", j)
        item = j["items"][0]
        expect(item["kind"] == "registration.confirmed" and item["registration_id"] == reg["id"]
               and item["person_name"] == "Moussa" and item["status"] == "failed" and "550" in item["last_error"],
               "what the organiser sees", item)
        r = self.srv.get(path, token=self.organiser)
        expect(r.headers.get("cache-control") == "no-store", "not cached", r)
        expect(self.srv.get(path).status == 401, "anonymous")
        other = self.srv.token("organiser", add_org(self.srv))
        expect(self.srv.get(path, token=other).status == 403, "another organisation's organiser")
        expect(self.srv.post(f"/api/v1/notifications/{item['id']}/resend", token=other).status == 404,
               "another organisation's organiser cannot resend: to them the notification does not exist")
        viewer = self.srv.token("viewer", self.org)
        expect(self.srv.get(path, token=viewer).status == 403, "a viewer")
        expect(self.srv.get(path + "?status=lost", token=self.organiser).status == 400, "unknown status")
        expect(self.srv.get("/api/v1/events/999999/notifications", token=self.organiser).status == 404, "no event")

        new_address = f"moussa.{time.time_ns()}@example.org"
        db_exec(self.srv, "UPDATE people SET email = ? WHERE id = ?", (new_address, item["person_id"]))
        before = db_one(self.srv, "SELECT count(*) FROM outbox")[0]
        expect(self.srv.post(f"/api/v1/notifications/{item['id']}/resend", raw=b'{"x":1}', token=self.organiser,
                             headers={"Content-Type": "application/json"}).status == 400, "no body allowed")
        expect(self.srv.post("/api/v1/notifications/999999/resend", token=self.organiser).status == 404, "unknown")
        expect(db_one(self.srv, "SELECT count(*) FROM outbox")[0] == before, "refusals queue nothing")
        copy = expect_status(self.srv.post(f"/api/v1/notifications/{item['id']}/resend", token=self.organiser), 201)
        expect(copy["id"] != item["id"] and copy["kind"] == item["kind"] and copy["status"] == "pending", "", copy)
        _, _, msg, _ = wait_until(lambda: self.mails_to(new_address), what="the mail sent again")[0]
        expect("est confirmée" in text_part(msg), "same message", text_part(msg))
        j = expect_status(self.srv.get(path, token=self.organiser), 200)
        states = {i["id"]: i["status"] for i in j["items"]}
        expect(states[item["id"]] == "failed" and wait_until(
            lambda: self.srv.get(path, token=self.organiser).json["items"][0]["status"] == "sent",
            what="the copy recorded as sent"), "the first stays failed, the copy is sent", states)
        log = db_all(self.srv, "SELECT kind FROM change_log WHERE topic = ?", (f"outbox:{copy['id']}",))
        expect(("notification.requeued",) in log and ("notification.sent",) in log, "change log", log)

    def test_organiser_sends_a_new_link(self):
        ev = add_event(self.srv, self.org, capacity=5)
        body = person(name="Aïcha")
        j = expect_status(register(self.srv, ev, body), 201)
        first, reg = j["token"], j["registration"]["id"]
        wait_until(lambda: self.mails_to(body["email"]), what="the confirmation")
        path = f"/api/v1/registrations/{reg}/send-link"
        expect(self.srv.post(path).status == 401, "anonymous")
        other = self.srv.token("organiser", add_org(self.srv))
        expect(self.srv.post(path, token=other).status == 404, "another organisation's organiser")
        expect(self.srv.post(path, token=self.srv.token("viewer", self.org)).status == 403, "a viewer")
        expect(self.srv.post(path, raw=b'{"status":"x"}', token=self.organiser,
                             headers={"Content-Type": "application/json"}).status == 400, "no body")
        r = expect_status(self.srv.post(path, token=self.organiser), 200)
        expect(r["id"] == reg and r["status"] == "confirmed", "the registration, unchanged", r)
        mails = wait_until(lambda: len(self.mails_to(body["email"])) >= 2 and self.mails_to(body["email"]),
                           what="the link mail")
        new = re.search(r"/r/([A-Za-z0-9_-]{43})", text_part(mails[1][2])).group(1)
        expect(new != first, "a new link")
        expect_status(self.srv.get(f"/api/v1/r/{new}"), 200)
        expect(self.srv.get(f"/api/v1/r/{first}").status == 404, "the old link and ticket stop working")
        # asked again on purpose later: the organiser decides (no quarter-hour limit), another new link
        expect_status(self.srv.post(path, token=self.organiser), 200)
        wait_until(lambda: len(self.mails_to(body["email"])) >= 3, what="the second link mail")

    def test_a_new_link_works_before_its_mail_is_accepted(self):
        """The link in a link mail answers before the mail can reach the participant (here: while the mail
        server holds its "250 queued"), and the old link and ticket keep working until the mail server has
        accepted the new one; then only the new one works."""
        ev = add_event(self.srv, self.org, capacity=5)
        body = person(name="Youssef")
        j = expect_status(register(self.srv, ev, body), 201)
        first, reg = j["token"], j["registration"]["id"]
        wait_until(lambda: [x for x in by_kind(self.srv, "registration.confirmed") if x[1] and
                            json.loads(x[5]).get("registration_id") == reg], what="the confirmation sent")

        def link_rows():
            return [x for x in by_kind(self.srv, "registration.link_resent")
                    if json.loads(x[5]).get("registration_id") == reg]

        self.sink.reply_gate.clear()
        try:
            expect_status(self.srv.post(f"/api/v1/registrations/{reg}/send-link", token=self.organiser), 200)
            mails = wait_until(lambda: len(self.mails_to(body["email"])) >= 2 and self.mails_to(body["email"]),
                               what="the link mail")
            new = re.search(r"/r/([A-Za-z0-9_-]{43})", text_part(mails[1][2])).group(1)
            expect(new != first, "a new link")
            expect(all(x[1] is None for x in link_rows()), "not yet recorded as sent", link_rows())
            r = self.srv.get(f"/api/v1/r/{new}")
            expect(r.status == 200, "the new link works before the mail server says queued", r)
            expect_status(self.srv.get(f"/api/v1/r/{first}"), 200)
            expect(self.srv.get(f"/api/v1/r/{new}/ticket.svg").status == 200, "and so does its ticket")
            expect(self.srv.get(f"/api/v1/r/{first}/ticket.svg").status == 200, "the old ticket too")
            expect(new not in self.srv.log_text(), "the link is not logged")
        finally:
            self.sink.reply_gate.set()
        wait_until(lambda: link_rows() and link_rows()[-1][1], what="the link mail recorded as sent")
        expect(self.srv.get(f"/api/v1/r/{first}").status == 404, "the old link stops once the new one is mailed")
        expect(self.srv.get(f"/api/v1/r/{first}/ticket.svg").status == 404, "and so does the old ticket")
        expect_status(self.srv.get(f"/api/v1/r/{new}"), 200)
        pending = db_one(self.srv, "SELECT count(*) FROM registrations WHERE id = ? AND "
                                   "pending_token_hash IS NOT NULL", (reg,))
        expect(pending == (0,), "nothing pending once the mail is accepted", pending)

    def lost_link(self, ev, contact, source="127.0.0.5", **kw):
        body = kw.pop("body", {"contact": contact})
        return self.srv.request("POST", f"/api/v1/events/{ev}/registrations/lost-link", body=body, source=source,
                                **kw)

    def stored_counts(self):
        """What a lost-link request may add (the worker's own change-log rows aside)."""
        return [db_one(self.srv, f"SELECT count(*) FROM {t}")[0] for t in (
            "outbox", "change_log WHERE kind LIKE 'registration.%'", "people", "registrations")]

    def test_lost_link_mails_a_known_address_and_answers_alike(self):
        """A participant who lost their link gives their address: a known one gets a new link by mail (the old
        one works until the mail is accepted), an unknown or erased one gets the very same answer and no mail;
        asking again within the quarter hour queues nothing more."""
        ev = add_event(self.srv, self.org, capacity=5)
        phone = "06 %02d %02d %02d %02d" % tuple((time.time_ns() // 10 ** k) % 100 for k in (2, 4, 6, 8))
        body = person(name="Khadija", phone=phone)
        j = expect_status(register(self.srv, ev, body), 201)
        first, reg = j["token"], j["registration"]["id"]
        wait_until(lambda: self.mails_to(body["email"]), what="the confirmation")
        gone = person(name="Erased Person")
        expect_status(register(self.srv, ev, gone), 201)
        wait_until(lambda: self.mails_to(gone["email"]), what="the other confirmation")
        pid = db_one(self.srv, "SELECT id FROM people WHERE email = ?", (gone["email"],))[0]
        expect_status(self.srv.post(f"/api/v1/people/{pid}/erase", token=self.srv.token("admin")), 200)

        def link_rows():
            return [x for x in by_kind(self.srv, "registration.link_resent")
                    if json.loads(x[5]).get("registration_id") == reg]

        # unknown, erased: the answer of a known address, and nothing stored
        before = self.stored_counts()
        answers = [self.lost_link(ev, c) for c in (f"nobody.{time.time_ns()}@example.org", gone["email"],
                                                   "+221 77 123 45 67")]
        expect(self.stored_counts() == before, "nothing stored for an unknown contact", self.stored_counts())
        self.sink.reply_gate.clear()
        try:
            known = self.lost_link(ev, body["email"].upper())
            expect(known.status == 202, "accepted", known)
            for r in answers:
                expect((r.status, r.body, r.headers.get("cache-control")) ==
                       (known.status, known.body, known.headers.get("cache-control")), "the same answer", r)
            expect(len(link_rows()) == 1, "one link mail queued", link_rows())
            log = db_all(self.srv, "SELECT payload FROM change_log WHERE kind = 'registration.link_requested' "
                                   "AND topic = ?", (f"event:{ev}",))
            expect(len(log) == 1 and body["email"] not in log[0][0] and "Khadija" not in log[0][0],
                   "its change-log row, without personal data", log)
            mails = wait_until(lambda: len(self.mails_to(body["email"])) >= 2 and self.mails_to(body["email"]),
                               what="the link mail")
            new = re.search(r"/r/([A-Za-z0-9_-]{43})", text_part(mails[1][2])).group(1)
            expect(new != first, "a new link")
            expect_status(self.srv.get(f"/api/v1/r/{first}"), 200)
            expect_status(self.srv.get(f"/api/v1/r/{new}"), 200)
        finally:
            self.sink.reply_gate.set()
        wait_until(lambda: link_rows() and link_rows()[-1][1], what="the link mail recorded as sent")
        expect(self.srv.get(f"/api/v1/r/{first}").status == 404, "the old link stops once the new one is mailed")
        expect_status(self.srv.get(f"/api/v1/r/{new}"), 200)
        # the same person by phone, typed otherwise, within the quarter hour: the same answer, no second mail
        again = self.lost_link(ev, "+212" + phone.replace(" ", "")[1:])
        expect((again.status, again.body) == (known.status, known.body), "the same answer", again)
        expect(len(link_rows()) == 1, "no second mail within the quarter hour", link_rows())
        # another event of the same person: nothing (no registration there)
        other = add_event(self.srv, self.org, capacity=5)
        before = self.stored_counts()
        expect((self.lost_link(other, body["email"]).body) == known.body, "the same answer")
        expect(self.stored_counts() == before, "nothing stored")
        time.sleep(0.5)
        expect(len(self.mails_to(gone["email"])) == 1, "the erased person gets nothing")
        expect(body["email"] not in self.srv.log_text() and new not in self.srv.log_text(), "nothing logged")

    def test_lost_link_refuses_bad_input_and_hidden_events(self):
        ev = add_event(self.srv, self.org, capacity=5)
        hidden = add_event(self.srv, add_org(self.srv), visibility="internal")
        before = self.stored_counts()
        cases = [({"contact": "not an address"}, 400, "invalid_field"),
                 ({"contact": "someone@"}, 400, "invalid_field"),
                 ({"contact": "12"}, 400, "invalid_field"),
                 ({"contact": 612345678}, 400, "invalid_field"),
                 ({"contact": "a\u202eb@example.org"}, 400, "invalid_field"),
                 ({}, 400, "missing_field"),
                 ({"contact": "x@example.org", "name": "x"}, 400, "unknown_field")]
        for b, status, code in cases:
            r = self.lost_link(ev, None, body=b, source="127.0.0.6")
            expect(r.status == status and r.json["error"]["code"] == code, f"{b} refused", r.body)
        r = self.srv.request("POST", f"/api/v1/events/{ev}/registrations/lost-link", raw=b'{"contact":"x@y.org"}',
                             headers={"Content-Type": "text/plain"}, source="127.0.0.6")
        expect(r.status == 415, "JSON only", r)
        a = self.lost_link(hidden, "x@example.org", source="127.0.0.6")
        b = self.lost_link(987654, "x@example.org", source="127.0.0.6")
        expect(a.status == 404 and (a.status, a.json["error"]["code"]) == (b.status, b.json["error"]["code"]),
               "an event one may not see is one that does not exist", (a.body, b.body))
        expect(self.stored_counts() == before, "nothing stored", self.stored_counts())

    def test_lost_link_is_throttled_per_client(self):
        ev = add_event(self.srv, self.org, capacity=5)
        body = person(name="Nadia")
        expect_status(register(self.srv, ev, body), 201)
        for i in range(10):  # RATELIMIT_LINK_MAX
            contact = body["email"] if i % 2 else f"nobody{i}.{time.time_ns()}@example.org"
            expect_status(self.lost_link(ev, contact, source="127.0.0.7"), 202)
        refused = [self.lost_link(ev, c, source="127.0.0.7") for c in (body["email"], "nobody@example.org")]
        for r in refused:
            expect(r.status == 429 and r.json["error"]["code"] == "too_many_requests", "throttled", r.body)
            expect(0 < int(r.headers.get("retry-after", "0")) <= 600, "Retry-After", r.headers)
        expect(refused[0].body == refused[1].body, "alike for known and unknown", refused)
        expect_status(self.lost_link(ev, body["email"], source="127.0.0.8"), 202)

    def test_news_too_old_is_not_sent(self):
        """A message that could not go out for days (no mail server then) is given up, not mailed late."""
        ev = add_event(self.srv, self.org, capacity=5)
        body = person(name="Old News")
        pid = db_exec(self.srv, "INSERT INTO people (org_id, name, email, lang, created_at, updated_at) "
                                "VALUES (?, 'Old News', ?, 'fr', 0, 0)", (self.org, body["email"]))
        old = int(time.time()) - 4 * 86400
        row = db_exec(self.srv, "INSERT INTO outbox (kind, person_id, channel, payload, event_id, created_at, "
                                "not_before) VALUES ('event.changed', ?, 'email', ?, ?, ?, ?)",
                      (pid, json.dumps({"event_id": ev}), ev, old, old))
        expect_status(register(self.srv, ev, person()), 201)  # a commit wakes the worker
        got = wait_until(lambda: db_one(self.srv, "SELECT failed_at, last_error FROM outbox WHERE id = ? "
                                                  "AND failed_at IS NOT NULL", (row,)), what="the give-up")
        expect("not sent within 3 days" in got[1], "why", got)
        time.sleep(0.5)
        expect(not self.mails_to(body["email"]), "nothing mailed")

    def test_zz_no_sanitizer_report(self):
        self.srv.check_sanitizers()

    @staticmethod
    def _without_smtp():
        with Server() as srv:
            org = add_org(srv)
            ev = add_event(srv, org)
            j = expect_status(register(srv, ev, person()), 201)
            row = db_one(srv, "SELECT payload, sent_at, attempts FROM outbox WHERE kind = 'registration.confirmed'")
            payload = json.loads(row[0])
            expect(row[1] is None and row[2] == 0, "waits", row)
            expect(payload.get("link_sealed") and j["token"] not in row[0], "the link is sealed, not in clear", row)
            expect("notifications are kept in the outbox" in srv.log_text(), "the log says why nothing is sent")
            key = os.path.join(srv.dir, "majlis.db.key")
            expect(os.stat(key).st_mode & 0o777 == 0o600, "key file private")
            srv.check_sanitizers()

    @staticmethod
    def _bad_settings():
        cases = [(["--smtp-url", "ftp://mail.example.org"], "smtp-url: expected smtp://"),
                 (["--smtp-url", "smtp://user:pw@mail.example.org"], "smtp-user and smtp-password"),
                 (["--smtp-password", "x"], "in the --config file"),
                 (["--mail-from", "not an address"], "mail-from: expected an e-mail address")]
        for args, message in cases:
            out = subprocess.run([MAJLISD, "--db", "/nonexistent/x.db", *args], capture_output=True, text=True,
                                 timeout=30)
            expect(out.returncode != 0 and message in out.stderr, f"{args} refused with '{message}'", out.stderr)


if __name__ == "__main__":
    sink = SmtpSink()
    with Server(extra_args=["--smtp-url", sink.url, "--mail-from", "noreply@majlis.example.org"]) as srv:
        T(srv, sink).run()
