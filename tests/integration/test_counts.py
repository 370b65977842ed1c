"""Counts under concurrency: after a burst of simultaneous registrations, then cancellations (which
promote), approvals and rejections, check-ins and their undo, new registrations and a capacity raise, all
at once from many threads, the numbers the HTTP API shows for each event equal a recount made on the
database file, the counters majlisd keeps equal a recount too, and the waitlist positions are 1..n in
arrival order."""

import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, expect  # noqa: E402
from reg_fixtures import add_event, add_org, add_session, db_all, person, register  # noqa: E402

N = 80
SEATS = 25
SEXES = ("female", "male", "unspecified", None)
STATUSES = ("confirmed", "waitlisted", "pending")


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


def recount(srv, ev):
    """The event's numbers recounted from the rows, in the API's shape."""
    c = {s: 0 for s in STATUSES}
    by = {s: {"female": 0, "male": 0, "unspecified": 0} for s in STATUSES}
    for status, sex, n in db_all(srv, "SELECT r.status, p.sex, count(*) FROM registrations r JOIN people p "
                                      "ON p.id = r.person_id WHERE r.event_id = ? GROUP BY 1, 2", (ev,)):
        if status in c:
            c[status] += n
            by[status][sex] += n
    cap = db_all(srv, "SELECT capacity FROM events WHERE id = ?", (ev,))[0][0]
    c.update({"capacity": cap, "available": max(cap - c["confirmed"], 0), "by_sex": by})
    return c


def counters_differ(srv):
    """Rows where the kept counters and a full recount disagree (both ways), for every event and session."""
    pairs = [
        ("SELECT event_id, status, sex, n FROM registration_counts WHERE n <> 0",
         "SELECT r.event_id, r.status, p.sex, count(*) FROM registrations r JOIN people p ON p.id = r.person_id "
         "GROUP BY 1, 2, 3"),
        ("SELECT session_id, sex, n FROM presence_counts WHERE n <> 0",
         "SELECT a.session_id, p.sex, count(*) FROM attendance a JOIN registrations r ON r.id = a.registration_id "
         "JOIN people p ON p.id = r.person_id WHERE a.status = 'present' GROUP BY 1, 2"),
    ]
    out = []
    for kept, full in pairs:
        out += db_all(srv, f"{kept} EXCEPT {full}") + db_all(srv, f"{full} EXCEPT {kept}")
    return out


class T(Checks):
    def __init__(self, srv):
        self.srv = srv
        self.admin = srv.token("admin")

    def test_counts_after_a_concurrent_burst(self):
        srv, admin = self.srv, self.admin
        rnd = random.Random(10)
        org = add_org(srv)
        ev = add_event(srv, org, capacity=SEATS)
        s2 = add_session(srv, ev, int(time.time()) + 9 * 86400)
        s1 = db_all(srv, "SELECT id FROM sessions WHERE event_id = ? AND id <> ?", (ev, s2))[0][0]
        ev_appr = add_event(srv, org, capacity=5, needs_approval=1)

        # 1. a burst of registrations to both events
        bodies = [person(sex=rnd.choice(SEXES)) for _ in range(N)]
        res = burst([lambda b=b: register(srv, ev, b, timeout=120) for b in bodies] +
                    [lambda: register(srv, ev_appr, person(sex=rnd.choice(SEXES)), timeout=120) for _ in range(20)])
        expect(all(r.status == 201 for r in res), "all registered", [r for r in res if r.status != 201][:2])
        mine = [r.json for r in res[:N]]
        appr = [r.json["registration"]["id"] for r in res[N:]]
        confirmed = [r for r in mine if r["registration"]["status"] == "confirmed"]
        waiting = [r for r in mine if r["registration"]["status"] == "waitlisted"]
        expect(len(confirmed) == SEATS and len(waiting) == N - SEATS, "seats then waitlist")
        expect(sorted(r["registration"]["waitlist_position"] for r in waiting) == list(range(1, N - SEATS + 1)),
               "positions 1..n")

        # 2. everything at once: cancellations (seats and waitlist), approvals and rejections, check-ins
        # and undos, new registrations, a capacity raise
        def post(path, body=None):
            return lambda: srv.post(path, body, token=admin, timeout=120)

        ops = []
        ops += [post(f"/api/v1/r/{r['token']}/cancel") for r in confirmed[:8]]
        ops += [post(f"/api/v1/r/{r['token']}/decline") for r in waiting[-5:]]
        ops += [post(f"/api/v1/registrations/{i}/approve") for i in appr[:12]]
        ops += [post(f"/api/v1/registrations/{i}/reject") for i in appr[12:16]]
        for r in confirmed[8:]:
            rid = r["registration"]["id"]
            ops.append(post(f"/api/v1/sessions/{s1}/attendance", {"registration_id": rid, "status": "present"}))
            ops.append(post(f"/api/v1/sessions/{s2}/attendance", {"registration_id": rid, "status": "present"}))
        ops += [post(f"/api/v1/sessions/{s1}/attendance",
                     {"registration_id": r["registration"]["id"], "status": "absent"}) for r in confirmed[8:14]]
        ops += [lambda: register(srv, ev, person(sex=rnd.choice(SEXES)), timeout=120) for _ in range(15)]
        ops.append(lambda: srv.patch(f"/api/v1/events/{ev}", {"capacity": SEATS + 6}, token=admin, timeout=120))
        rnd.shuffle(ops)
        out = burst(ops)
        # every change is answered, none with a server error
        expect(all(r.status < 500 for r in out), "no server error", [r for r in out if r.status >= 500][:2])
        expect(sum(1 for r in out if r.status in (200, 201)) > len(ops) // 2, "most changes went through")

        # 3. the API's numbers equal a recount of the file, for both events
        for e in (ev, ev_appr):
            got = srv.get(f"/api/v1/events/{e}", token=admin)
            expect(got.status == 200, "event read", got)
            want = recount(srv, e)
            expect(got.json["counts"] == want, f"event {e}: API counts = recount", (got.json["counts"], want))
        expect(recount(srv, ev)["confirmed"] == SEATS + 6, "seats refilled to the new capacity")
        diff = counters_differ(srv)
        expect(not diff, "kept counters = recount", diff[:5])
        present = db_all(srv, "SELECT count(*) FROM attendance WHERE session_id = ? AND status = 'present'", (s2,))
        expect(present[0][0] > 0, "check-ins recorded")

        # 4. the waitlist positions still read 1..n in arrival order
        order = [rid for (rid,) in db_all(srv, "SELECT id FROM registrations WHERE event_id = ? AND status = "
                                               "'waitlisted' ORDER BY waitlist_seq", (ev,))]
        tokens = {r["registration"]["id"]: r["token"] for r in mine}
        for pos, rid in enumerate(order, 1):
            if rid in tokens:
                v = srv.get(f"/api/v1/r/{tokens[rid]}")
                expect(v.status == 200 and v.json["waitlist_position"] == pos, f"position of {rid}", v)


if __name__ == "__main__":
    with Server() as s:
        T(s).run()
