"""Live updates v2 (docs/live.md), the numbers in frames under a mixed burst: registrations, then all at
once participants cancelling and declining, an organiser cancelling (each freed seat promotes the next in
line), check-ins on two sessions and new registrations. The streams following the event and a session
get every change once, in order, and the numbers of the last frame equal the HTTP API's and a full
recount of the rows: confirmed, pending and waitlisted, confirmed women / men / unspecified, and per
session the present count with women / men / unspecified apart."""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, db_rows, expect, expect_status  # noqa: E402
from live_v2 import answers, drain, ws2  # noqa: E402
from reg_fixtures import add_event, add_org, person, register  # noqa: E402

SEXES = ("female", "male", "unspecified")


def with_retry(fn, attempts=40):
    """Retries a request answered 503 (database busy: nothing was written)."""
    for _ in range(attempts):
        r = fn()
        if r.status != 503:
            return r
        time.sleep(0.05)
    return r


def burst(fns):
    """Runs every fn at once (one thread each, released together); their answers in order."""
    gate = threading.Barrier(len(fns))

    def one(fn):
        gate.wait()
        return with_retry(fn)

    with ThreadPoolExecutor(max_workers=len(fns)) as pool:
        return list(pool.map(one, fns))


def recount(srv, ev, sessions):
    """The event's numbers recounted from the rows, in the frames' shape."""
    by = {(s, x): n for s, x, n in db_rows(srv.db, "SELECT r.status, p.sex, count(*) FROM registrations r "
                                                   "JOIN people p ON p.id = r.person_id WHERE r.event_id = ? "
                                                   "GROUP BY 1, 2", (ev,))}
    out = {"capacity": db_rows(srv.db, "SELECT capacity FROM events WHERE id = ?", (ev,))[0][0]}
    for status in ("confirmed", "pending", "waitlisted"):
        out[status] = sum(n for (s, _), n in by.items() if s == status)
    out["confirmed_by_sex"] = {x: by.get(("confirmed", x), 0) for x in SEXES}
    out["sessions"] = []
    for sid in sessions:
        present = dict(db_rows(srv.db, "SELECT p.sex, count(*) FROM attendance a JOIN registrations r ON "
                                       "r.id = a.registration_id JOIN people p ON p.id = r.person_id WHERE "
                                       "a.session_id = ? AND a.status = 'present' GROUP BY 1", (sid,)))
        out["sessions"].append({"id": sid, "present": sum(present.values()),
                                "present_by_sex": {x: present.get(x, 0) for x in SEXES}})
    return out


class T(Checks):
    def test_counts_after_a_mixed_burst(self):
        with Server() as srv:
            a = add_org(srv, "Org A")
            org_a = srv.token("organiser", a)
            ev = add_event(srv, a, capacity=12)
            s1 = db_rows(srv.db, "SELECT id FROM sessions WHERE event_id = ?", (ev,))[0][0]
            s2 = expect_status(srv.post(f"/api/v1/events/{ev}/sessions", token=org_a, body={
                "starts_local": "2030-03-11T09:00", "ends_local": "2030-03-11T12:00"}), 201)["id"]
            sessions = sorted((s1, s2))
            start = db_rows(srv.db, "SELECT max(seq) FROM change_log")[0][0]
            by_event = ws2(srv, f"/live?topic=event:{ev}", org_a)
            by_session = ws2(srv, f"/live?topic=session:{s2}", org_a)
            for w in (by_event, by_session):
                expect(answers(w, 1)[0]["type"] == "subscribed", "subscribed")

            regs = [r.json for r in burst([lambda i=i: register(srv, ev, person(sex=SEXES[i % 3]), timeout=120)
                                           for i in range(30)])]
            expect(all(r and "registration" in r for r in regs), "all registered")
            confirmed = [r for r in regs if r["registration"]["status"] == "confirmed"]
            waiting = sorted((r for r in regs if r["registration"]["status"] == "waitlisted"),
                             key=lambda r: r["registration"]["waitlist_position"])
            expect(len(confirmed) == 12 and len(waiting) == 18, f"seats then waitlist: {len(confirmed)}")

            def post(path, body=None, token=org_a):
                return lambda: srv.post(path, body, token=token, timeout=120)

            ops = [post(f"/api/v1/r/{r['token']}/cancel", token=None) for r in confirmed[:4]]
            ops += [post(f"/api/v1/registrations/{r['registration']['id']}/cancel") for r in confirmed[4:6]]
            ops += [post(f"/api/v1/r/{r['token']}/decline", token=None) for r in waiting[-3:]]
            for sid, checked in ((s1, confirmed[6:11]), (s2, confirmed[6:12])):
                ops += [post(f"/api/v1/sessions/{sid}/attendance",
                             {"registration_id": r["registration"]["id"], "status": "present"}) for r in checked]
            ops += [lambda i=i: register(srv, ev, person(sex=SEXES[i % 3]), timeout=120) for i in range(5)]
            out = burst(ops)
            expect(all(r.status in (200, 201) for r in out), "every change went through",
                   [(r.status, r.body[:120]) for r in out if r.status not in (200, 201)][:3])

            time.sleep(1)
            code, got = drain(by_event, 3)
            expect(code is None, f"the event's stream stays open: {code}")
            log = [seq for (seq,) in db_rows(srv.db, "SELECT seq FROM change_log WHERE seq > ? AND topic = ? "
                                                     "ORDER BY seq", (start, f"event:{ev}"))]
            changes = [m for m in got if m["type"] == "change"]
            expect([m["seq"] for m in changes] == log, f"every change of the event once, in order: "
                   f"{[m['seq'] for m in changes]} != {log}")
            kinds = {m["kind"] for m in changes}
            expect({"registration.created", "registration.cancelled", "registration.declined",
                    "registration.promoted", "attendance.recorded"} <= kinds, f"the burst's kinds: {kinds}")
            last = changes[-1]["counts"]
            want = recount(srv, ev, sessions)
            expect(want["confirmed"] == 12 and want["waitlisted"] == 18 - 6 - 3 + 5, f"seats refilled: {want}")
            expect({k: last[k] for k in want} == want, f"the last frame = a recount: {last} != {want}")
            http = expect_status(srv.get(f"/api/v1/events/{ev}", token=org_a), 200)["counts"]
            for k in ("capacity", "confirmed", "pending", "waitlisted"):
                expect(last[k] == http[k], f"{k}: frame {last[k]} = HTTP {http[k]}")
            expect(last["confirmed_by_sex"] == http["by_sex"]["confirmed"],
                   f"by sex: frame {last['confirmed_by_sex']} = HTTP {http['by_sex']['confirmed']}")
            for s in last["sessions"]:
                items = expect_status(srv.get(f"/api/v1/sessions/{s['id']}/attendance?limit=200", token=org_a),
                                      200)["items"]
                present = len([i for i in items if i["status"] == "present"])
                expect(s["present"] == present, f"session {s['id']}: frame {s['present']} = HTTP {present}")
            expect({s["id"]: s["present"] for s in want["sessions"]} == {s1: 5, s2: 6}, f"check-ins: {want}")
            # the session's stream: its own changes, with the same numbers at the end
            code, got = drain(by_session, 2)
            mine = [m for m in got if m["type"] == "change"]
            expect(code is None and len(mine) == 6 and all(m["payload"]["session_id"] == s2 for m in mine),
                   f"the session's six check-ins: {[(m['kind'], m['payload']) for m in mine]}")
            final = recount(srv, ev, sessions)
            s_last = {s["id"]: s for s in mine[-1]["counts"]["sessions"]}
            expect(s_last[s2] == {x["id"]: x for x in final["sessions"]}[s2],
                   f"session {s2} in its last frame = a recount: {s_last[s2]}")
            for w in (by_event, by_session):
                w.close()


if __name__ == "__main__":
    T().run()
