"""Crash safety: kill -9 majlisd in the middle of a burst of registrations, restart it on the same
database, and check that every acknowledged (201) registration survived with its status, that
capacity holds, that retries of unanswered requests do not duplicate, and that the file is sound.
The burst is repeated until some request was committed but never answered (the kill came between
COMMIT and the reply), so that the retry check always meets the case it is about."""

import http.client
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, expect  # noqa: E402
from reg_fixtures import add_event, add_org, db_all, db_one, person, register  # noqa: E402

THREADS = 16
SEATS = 40
ROUNDS = 5
MAX_ROUNDS = 40  # more rounds until a request committed before the kill went unanswered


class T(Checks):
    def __init__(self, srv):
        self.srv = srv

    def burst(self, ev, acked, lost, stop, killing):
        """Each thread registers new people until stop; 201s go to acked, unanswered to lost as
        (key, body, sent before the kill)."""
        lock = threading.Lock()

        def worker(t):
            i = 0
            while not stop.is_set():
                i += 1
                body = person()
                key = f"crash-{ev}-{t}-{i}-{time.time_ns()}"
                before_kill = not killing.is_set()
                try:
                    r = register(self.srv, ev, body, headers={"Idempotency-Key": key}, timeout=10)
                except (OSError, http.client.HTTPException):
                    with lock:
                        lost.append((key, body, before_kill))
                    time.sleep(0.01)
                    continue
                if r.status == 201:
                    with lock:
                        acked.append(r.json)

        ts = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(THREADS)]
        for t in ts:
            t.start()
        return ts

    def test_kill9_mid_burst(self):
        srv = self.srv
        ev = add_event(srv, add_org(srv), capacity=SEATS)
        acked, lost = [], []
        committed_unanswered = []  # (key, body, registration id): sent before the kill, stored, no reply
        rounds = 0
        while rounds < ROUNDS or (not committed_unanswered and rounds < MAX_ROUNDS):
            rounds += 1
            stop, killing = threading.Event(), threading.Event()
            before, lost_before = len(acked), len(lost)
            ts = self.burst(ev, acked, lost, stop, killing)
            deadline = time.time() + 10
            while len(acked) < before + 80 and time.time() < deadline:
                time.sleep(0.01)
            killing.set()
            srv.kill9()
            stop.set()
            for t in ts:
                t.join(timeout=30)
            srv.start()
            expect(len(acked) > before, "the burst made progress")
            for key, body, before_kill in lost[lost_before:]:
                row = db_one(srv, "SELECT r.id FROM registrations r JOIN people p ON p.id = r.person_id "
                                  "WHERE r.event_id = ? AND p.email = ?", (ev, body["email"].lower()))
                if before_kill and row:
                    committed_unanswered.append((key, body, row[0]))

        in_flight = [(k, b) for k, b, before_kill in lost if before_kill]
        print(f"{rounds} rounds: acknowledged {len(acked)}, unanswered {len(lost)} ({len(in_flight)} sent before "
              f"the kill, {len(committed_unanswered)} of them committed)")
        expect(committed_unanswered, f"in {rounds} rounds no request was committed and left unanswered by the kill")
        rows = {rid: st for rid, st in db_all(srv, "SELECT id, status FROM registrations WHERE event_id = ?", (ev,))}
        for j in acked:
            reg = j["registration"]
            expect(rows.get(reg["id"]) == reg["status"], "an acknowledged registration survived", reg)
            view = srv.get(f"/api/v1/r/{j['token']}")
            expect(view.status == 200 and view.json["id"] == reg["id"], "its link works", view)
        confirmed = sum(1 for s in rows.values() if s == "confirmed")
        expect(confirmed <= SEATS, "capacity never exceeded", confirmed)
        expect(confirmed == min(SEATS, len(rows)), "seats filled before anyone waits", (confirmed, len(rows)))
        seqs = [s for (s,) in db_all(srv, "SELECT waitlist_seq FROM registrations WHERE event_id = ? "
                                          "AND status = 'waitlisted'", (ev,))]
        expect(None not in seqs and len(set(seqs)) == len(seqs), "waitlist order intact")
        # retrying a request committed but unanswered with its key replays it: the same registration
        for key, body, rid in committed_unanswered:
            r = register(srv, ev, body, headers={"Idempotency-Key": key})
            expect(r.status == 201 and r.json["registration"]["id"] == rid, "the retry replays the stored answer", r)
        # retrying any unanswered request with its key never duplicates: replay or first creation
        for key, body in in_flight + [(k, b) for k, b, before_kill in lost if not before_kill][:20]:
            r = register(srv, ev, body, headers={"Idempotency-Key": key})
            expect(r.status == 201, "retry answered", r)
            n = db_one(srv, "SELECT count(*) FROM registrations r JOIN people p ON p.id = r.person_id "
                            "WHERE r.event_id = ? AND p.email = ?", (ev, body["email"].lower()))[0]
            expect(n == 1, "exactly one registration after a retry", n)
        # people without a registration would mean a half-written transaction
        orphans = db_one(srv, "SELECT count(*) FROM people p WHERE NOT EXISTS "
                              "(SELECT 1 FROM registrations r WHERE r.person_id = p.id)")[0]
        expect(orphans == 0, "no half-written registration", orphans)
        created = db_one(srv, "SELECT count(*) FROM change_log WHERE topic = ? AND kind = 'registration.created'",
                         (f"event:{ev}",))[0]
        total = db_one(srv, "SELECT count(*) FROM registrations WHERE event_id = ?", (ev,))[0]
        expect(created == total, "one change-log row per registration", (created, total))
        expect(db_one(srv, "PRAGMA integrity_check")[0] == "ok", "integrity_check")
        expect(srv.get("/healthz").status == 200, "serving after restart")


if __name__ == "__main__":
    with Server() as s:
        T(s).run()
