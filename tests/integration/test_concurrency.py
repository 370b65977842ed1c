"""Concurrency: 200 simultaneous registrations (one thread and connection each) for 50 seats, while
another process keeps taking the write lock, must confirm exactly 50 and waitlist 150 in arrival
order; 10 simultaneous cancellations must then promote exactly the first 10 of the waitlist."""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, expect  # noqa: E402
from reg_fixtures import add_event, add_org, connect, db_all, db_one, person, register  # noqa: E402

N = 200
SEATS = 50


def with_retry(fn, attempts=20):
    """Retries a request answered 503 (database busy: nothing was written)."""
    for _ in range(attempts):
        r = fn()
        if r.status != 503:
            return r
        time.sleep(0.1)
    return r


class LockHog(threading.Thread):
    """Another writer on the same database (as the notifications worker or the CLI would be):
    takes the write lock for a few milliseconds, over and over."""

    def __init__(self, srv):
        super().__init__(daemon=True)
        self.srv = srv
        self.stop = threading.Event()
        self.rounds = 0

    def run(self):
        con = connect(self.srv)
        con.isolation_level = None
        while not self.stop.is_set():
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO settings (name, value) VALUES ('hog', '1') "
                        "ON CONFLICT (name) DO UPDATE SET value = value + 1")
            time.sleep(0.005)
            con.execute("COMMIT")
            self.rounds += 1
            time.sleep(0.002)
        con.close()


class T(Checks):
    def __init__(self, srv):
        self.srv = srv

    def test_burst_then_concurrent_cancel(self):
        srv = self.srv
        ev = add_event(srv, add_org(srv), capacity=SEATS)
        bodies = [person() for _ in range(N)]
        gate = threading.Barrier(N)

        def one(i):
            gate.wait()
            key = {"Idempotency-Key": f"burst-{ev}-{i:04d}"}
            return with_retry(lambda: register(srv, ev, bodies[i], headers=key, timeout=120))

        hog = LockHog(srv)
        hog.start()
        try:
            with ThreadPoolExecutor(max_workers=N) as pool:
                res = list(pool.map(one, range(N)))
        finally:
            hog.stop.set()
            hog.join()
        expect(hog.rounds > 0, "the other writer ran")
        bad = [r for r in res if r.status != 201]
        expect(not bad, f"{len(bad)} registrations not created", bad[:3])
        st = [r.json["registration"]["status"] for r in res]
        expect(st.count("confirmed") == SEATS and st.count("waitlisted") == N - SEATS, "50/150",
               (st.count("confirmed"), st.count("waitlisted")))
        rows = db_all(srv, "SELECT id, status, waitlist_seq FROM registrations WHERE event_id = ? ORDER BY id", (ev,))
        expect(len(rows) == N, "one row each", len(rows))
        confirmed = [r for r in rows if r[1] == "confirmed"]
        waiting = [r for r in rows if r[1] == "waitlisted"]
        expect(len(confirmed) == SEATS and len(waiting) == N - SEATS, "stored 50/150")
        # commit order: ids and change-log sequence grow together; the first 50 committed got the seats
        created = [int(x) for (x,) in db_all(srv, "SELECT json_extract(payload, '$.registration_id') FROM change_log "
                                                  "WHERE topic = ? AND kind = 'registration.created' ORDER BY seq",
                                             (f"event:{ev}",))]
        expect(created == [r[0] for r in rows], "change log in commit order")
        expect(set(r[0] for r in confirmed) == set(created[:SEATS]), "the first 50 committed are confirmed")
        by_seq = [r[0] for r in sorted(waiting, key=lambda r: r[2])]
        expect(by_seq == created[SEATS:], "waitlist order = commit order")
        pos = sorted(r.json["registration"]["waitlist_position"] for r in res
                     if r.json["registration"]["status"] == "waitlisted")
        expect(pos == list(range(1, N - SEATS + 1)), "positions 1..150, each once")

        tokens = {r.json["registration"]["id"]: r.json["token"] for r in res}
        victims = [r[0] for r in confirmed[::5]][:10]
        gate10 = threading.Barrier(len(victims))

        def cancel(rid):
            gate10.wait()
            return with_retry(lambda: srv.post(f"/api/v1/r/{tokens[rid]}/cancel", timeout=120))

        with ThreadPoolExecutor(max_workers=len(victims)) as pool:
            out = list(pool.map(cancel, victims))
        expect(all(r.status == 200 and r.json["status"] == "cancelled" for r in out), "cancelled", out[:2])
        after = dict(db_all(srv, "SELECT id, status FROM registrations WHERE event_id = ?", (ev,)))
        expect(sum(1 for s in after.values() if s == "confirmed") == SEATS, "seats refilled, never exceeded")
        promoted = [int(x) for (x,) in db_all(srv, "SELECT json_extract(payload, '$.registration_id') FROM change_log "
                                                   "WHERE topic = ? AND kind = 'registration.promoted' ORDER BY seq",
                                              (f"event:{ev}",))]
        expect(promoted == by_seq[:10], "exactly the first 10 of the waitlist, in order", promoted)
        expect(all(after[i] == "confirmed" for i in by_seq[:10]), "promoted are confirmed")
        expect(all(after[i] == "waitlisted" for i in by_seq[10:]), "the rest still wait")
        # the remaining waitlist positions moved up by 10
        view = srv.get(f"/api/v1/r/{tokens[by_seq[10]]}")
        expect(view.status == 200 and view.json["waitlist_position"] == 1, "", view)
        expect(db_one(srv, "PRAGMA integrity_check")[0] == "ok", "integrity")


if __name__ == "__main__":
    with Server() as s:
        T(s).run()
