"""CSV exports of an event for its organisers (GET /api/v1/events/{id}/registrations.csv and
/attendance.csv): UTF-8 with a BOM (Excel opens Arabic right), RFC 4180 as Python's csv module reads it,
headers and words in the caller's language (?lang= or Accept-Language), cells a spreadsheet would take for a
formula neutralised, a safe attachment name; who may not see the participants is refused as the registration
list refuses them, an event the caller may not see answers as one that does not exist, and bad input is 400."""

import csv
import io
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, db_digest, expect, expect_error, expect_status  # noqa: E402
from reg_fixtures import add_event, add_org, add_session, db_exec, person, register  # noqa: E402

FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"ok\")", "+212 cmd", "-2+3", "@SUM(A1:A9)")
TABLES = ("people", "registrations", "events", "attendance", "change_log", "outbox")


def rows_of(r):
    expect(r.body.startswith("\ufeff"), "a BOM first", r)
    return list(csv.reader(io.StringIO(r.body[1:], newline="")))


class T(Checks):
    def __init__(self, srv):
        self.srv = srv
        self.org_a = add_org(srv, "Association A")
        self.org_b = add_org(srv, "Association B")
        self.admin = srv.token("admin")
        self.org_a_tok = srv.token("organiser", self.org_a)
        self.org_b_tok = srv.token("organiser", self.org_b)
        self.viewer_a = srv.token("viewer", self.org_a)
        self.checkin_a = srv.token("checkin", self.org_a)
        now = int(time.time())
        self.ev = add_event(srv, self.org_a, capacity=5, session_in=None)
        self.s2 = add_session(srv, self.ev, now + 86400)
        self.people = [
            person(name="Fatima Zahra", name_ar="فاطمة الزهراء", sex="female", phone="+212 655 000 001"),
            person(name='Ali "Bob", Jr', name_ar="عليّ", sex="male"),
            person(name=FORMULAS[0], sex=None),
            person(name=FORMULAS[1].replace(" cmd", " Cmd"), nationality=FORMULAS[2]),
            person(name=FORMULAS[3]),
            person(name="Waiting Wafa", sex="female"),
        ]
        self.regs = [expect_status(register(srv, self.ev, b), 201)["registration"] for b in self.people]
        self.s1 = add_session(srv, self.ev, now - 3600)  # begun: added once registration closed
        db_exec(srv, "UPDATE registrations SET status = 'waitlisted', waitlist_seq = 999 WHERE id = ?",
                (self.regs[5]["id"],))
        for reg, st in ((self.regs[0], "present"), (self.regs[1], "absent"), (self.regs[2], "excused")):
            db_exec(srv, "INSERT INTO attendance (session_id, registration_id, status, method, recorded_at) "
                         "VALUES (?, ?, ?, 'manual', ?)", (self.s1, reg["id"], st, now - 1800))
        self.hidden = add_event(srv, self.org_b, visibility="internal")
        self.public_b = add_event(srv, self.org_b)

    def get(self, path, token=None, **kw):
        return self.srv.get(path, token=token or self.org_a_tok, **kw)

    def test_registrations_csv(self):
        r = self.get(f"/api/v1/events/{self.ev}/registrations.csv")
        expect_status(r, 200)
        expect(r.headers["content-type"] == "text/csv; charset=utf-8", r.headers)
        disp = r.headers["content-disposition"]
        expect(re.fullmatch(r'attachment; filename="event-\d+-registrations-fr\.csv"', disp) and disp.isascii(), disp)
        expect(r.headers.get("cache-control") == "no-store", r.headers)
        rows = rows_of(r)
        expect(rows[0] == ["N° inscription", "Nom", "Nom (arabe)", "Sexe", "Nationalité", "E-mail", "Téléphone",
                           "Langue", "Statut", "Rang en liste d'attente", "Présence confirmée le", "Inscrit le"],
               rows[0])
        expect(len(rows) == 1 + len(self.people) and all(len(x) == len(rows[0]) for x in rows), rows)
        by_id = {int(x[0]): x for x in rows[1:]}
        fz = by_id[self.regs[0]["id"]]
        expect(fz[1] == "Fatima Zahra" and fz[2] == "فاطمة الزهراء" and fz[3] == "Femme", fz)
        expect(fz[6] == "'+212655000001" and fz[8] == "Confirmé", f"phone kept, neutralised: {fz}")
        expect(fz[5] == self.people[0]["email"], fz)
        expect(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", fz[11]), fz[11])
        expect(by_id[self.regs[1]["id"]][1] == 'Ali "Bob", Jr', "quotes and comma round-trip")
        expect(by_id[self.regs[1]["id"]][2] == "عليّ", "harakat kept in the export")
        expect(by_id[self.regs[2]["id"]][1] == "'" + FORMULAS[0] and by_id[self.regs[2]["id"]][3] == "Non précisé",
               by_id[self.regs[2]["id"]])
        expect(by_id[self.regs[3]["id"]][4] == "'" + FORMULAS[2], by_id[self.regs[3]["id"]])
        expect(by_id[self.regs[4]["id"]][1] == "'" + FORMULAS[3], by_id[self.regs[4]["id"]])
        wafa = by_id[self.regs[5]["id"]]
        expect(wafa[8] == "Liste d'attente" and wafa[9] == "1", wafa)
        for row in rows:
            for cell in row:
                expect(not cell or cell[0] not in "=+-@\t\r", f"a formula left: {cell!r}")

    def test_languages(self):
        url = f"/api/v1/events/{self.ev}/registrations.csv"
        ar = self.get(url + "?lang=ar")
        rows = rows_of(ar)
        expect(rows[0][1] == "الاسم" and rows[0][3] == "الجنس", rows[0])
        expect("مؤكد" in [x[8] for x in rows[1:]], rows)
        expect(ar.headers["content-disposition"].endswith('-ar.csv"') and ar.headers["content-language"] == "ar", ar)
        for header, want in (("ar;q=0.9, en", "Name"), ("en-GB,ar;q=0.5", "Name"), ("ar-MA, fr;q=0.8", "الاسم"),
                             ("de, *;q=0.5", "Nom"), ("", "Nom"), ("fr-CA;q=0.2, ar;q=0.3", "الاسم")):
            r = self.get(url, headers={"Accept-Language": header} if header else None)
            expect(rows_of(r)[0][1] == want, f"Accept-Language {header!r}: {rows_of(r)[0][1]}")
        r = self.get(url + "?lang=en", headers={"Accept-Language": "ar"})
        expect(rows_of(r)[0][1] == "Name", "?lang= wins over Accept-Language")

    def test_attendance_csv(self):
        r = self.get(f"/api/v1/events/{self.ev}/attendance.csv?lang=en")
        expect_status(r, 200)
        expect(re.fullmatch(r'attachment; filename="event-\d+-attendance-en\.csv"', r.headers["content-disposition"]),
               r.headers)
        rows = rows_of(r)
        expect(rows[0] == ["Session no.", "Session start", "Session", "Registration no.", "Name", "Name (Arabic)",
                           "Sex", "E-mail", "Phone", "Attendance", "Recorded at"], rows[0])
        first = [x for x in rows[1:] if int(x[0]) == self.s1]
        later = [x for x in rows[1:] if int(x[0]) == self.s2]
        expect(len(first) == 5 and len(later) == 5, f"five confirmed for each session: {rows}")
        expect([int(x[0]) for x in rows[1:]] == [self.s1] * 5 + [self.s2] * 5, "sessions in start order")
        att = {int(x[3]): x[9] for x in first}
        expect(att[self.regs[0]["id"]] == "Present" and att[self.regs[1]["id"]] == "Absent" and
               att[self.regs[2]["id"]] == "Excused" and att[self.regs[3]["id"]] == "Not recorded", att)
        expect(self.regs[5]["id"] not in att, "the waitlisted is not on the sheet")
        fz = [x for x in first if int(x[3]) == self.regs[0]["id"]][0]
        expect(fz[5] == "فاطمة الزهراء" and fz[6] == "Woman" and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", fz[1]), fz)
        expect(all(not c or c[0] not in "=+-@\t\r" for x in rows for c in x), "no formula")
        ar = rows_of(self.get(f"/api/v1/events/{self.ev}/attendance.csv", headers={"Accept-Language": "ar"}))
        expect(ar[0][9] == "الحضور" and "حاضر" in [x[9] for x in ar[1:]], ar[:3])

    def test_who_may_export(self):
        before = db_digest(self.srv.db, TABLES)
        for kind in ("registrations", "attendance"):
            url = f"/api/v1/events/{self.ev}/{kind}.csv"
            expect_status(self.srv.get(url, token=self.admin), 200)
            expect_error(self.srv.get(url), 401)
            for tok in (self.viewer_a, self.checkin_a, self.org_b_tok):
                expect_error(self.srv.get(url, token=tok), 403)
            for tok in (self.org_a_tok, self.viewer_a):
                missing = expect_error(self.srv.get(f"/api/v1/events/987654/{kind}.csv", token=tok),
                                       404 if tok == self.org_a_tok else 403)
                hidden = expect_error(self.srv.get(f"/api/v1/events/{self.hidden}/{kind}.csv", token=tok),
                                      404 if tok == self.org_a_tok else 403)
                expect(missing["code"] == hidden["code"] and missing["message"].replace("987654", "X") ==
                       hidden["message"].replace(str(self.hidden), "X"), f"{missing} {hidden}")
            r = self.srv.get(f"/api/v1/events/{self.public_b}/{kind}.csv", token=self.org_a_tok)
            expect_error(r, 403)
            expect(r.headers["content-type"].startswith("application/json"), "errors stay JSON")
            for q in ("lang=de", "lang=", "lang=%ff", "lang=frr"):
                expect_error(self.srv.get(f"{url}?{q}", token=self.org_a_tok), 400)
        expect(db_digest(self.srv.db, TABLES) == before, "exports change nothing")


if __name__ == "__main__":
    with Server() as s:
        T(s).run()
