"""A busy or full database answers 503 with nothing half-written, and what was acknowledged before stays;
a damaged database is refused at start; a database file removed or replaced under a running majlisd
acknowledges nothing more; the write-ahead log stays bounded.

The busy case holds SQLite's write lock from another connection; the full case gives majlisd a database
on a tiny tmpfs inside its own mount namespace (root and unshare(1) needed, as in CI) and reads it back
through nsenter(1) with majlisd's own root directory too, so that it also runs in a chroot."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import MAJLISD, Checks, Server, expect, expect_error, expect_status, free_port  # noqa: E402


def setup_event(srv, capacity=100000, admin=None):
    admin = admin or srv.token("admin")
    org = expect_status(srv.post("/api/v1/organisations", token=admin,
                                 body={"name": "Org F", "kind": "ngo", "city": "Rabat"}), 201)
    ev = expect_status(srv.post("/api/v1/events", token=admin, body={
        "type": "training", "title_fr": "Formation", "org_id": org["id"], "capacity": capacity,
        "visibility": "public"}), 201)
    expect_status(srv.post(f"/api/v1/events/{ev['id']}/sessions", token=admin, body={
        "starts_local": "2027-03-10T10:00", "ends_local": "2027-03-10T12:00"}), 201)
    return admin, ev["id"]


def person(i, pad=0):
    return {"name": f"Participant {i} " + "x" * pad, "email": f"p{i}@example.org", "sex": "male",
            "lang": "fr", "consent": True}


class T(Checks):
    def test_busy_database_gives_503_and_writes_nothing(self):
        with Server() as srv:
            _, ev = setup_event(srv)
            expect_status(srv.post(f"/api/v1/events/{ev}/registrations", body=person(1)), 201)
            lock = sqlite3.connect(srv.db, timeout=1, isolation_level=None, check_same_thread=False)
            lock.execute("BEGIN IMMEDIATE")
            released = threading.Event()

            def release():
                time.sleep(8)
                lock.execute("ROLLBACK")
                released.set()

            t = threading.Thread(target=release)
            t.start()
            t0 = time.time()
            r = srv.post(f"/api/v1/events/{ev}/registrations", body=person(2), timeout=30)
            waited = time.time() - t0
            expect_error(r, 503, "unavailable")
            expect(r.headers.get("retry-after"), "Retry-After on 503", r)
            # the loop waits for the lock only briefly: other clients are not stalled behind it
            expect(waited < 2, f"503 after {waited:.2f} s: the service loop waited for the lock", r)
            stalls = []
            for _ in range(5):
                w = threading.Thread(target=lambda: srv.post(f"/api/v1/events/{ev}/registrations",
                                                             body=person(3), timeout=30))
                w.start()
                time.sleep(0.05)
                t1 = time.time()
                expect_status(srv.get("/healthz"), 200)
                stalls.append(time.time() - t1)
                w.join()
            expect(max(stalls) < 1.0, f"health checks waited {max(stalls):.2f} s behind a blocked write")
            t.join()
            con = sqlite3.connect(srv.db)
            n = con.execute("SELECT count(*) FROM registrations").fetchone()[0]
            people = con.execute("SELECT count(*) FROM people WHERE email = 'p2@example.org'").fetchone()[0]
            con.close()
            expect(n == 1 and people == 0, f"nothing half-written: {n} registrations, {people} people")
            expect_status(srv.post(f"/api/v1/events/{ev}/registrations", body=person(2)), 201)

    def test_full_disk_gives_503_and_keeps_what_was_acknowledged(self):
        if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("nsenter"):
            raise AssertionError("this test needs root, unshare(1) and nsenter(1)")
        if not shutil.which("sqlite3"):
            raise AssertionError("this test needs the sqlite3 command (scripts/deps.sh installs it)")
        mnt = tempfile.mkdtemp(prefix="majlis-full-")
        db = os.path.join(mnt, "majlis.db")
        wrap = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                f'mount -t tmpfs -o size=1200k tmpfs "{mnt}" && exec "$0" "$@"']
        try:
            with Server(wrap=wrap, db=db) as srv:
                # the database lives in majlisd's namespace: make the token there too
                out = subprocess.run(["nsenter", "-t", str(srv.proc.pid), "-m", "-r", os.path.abspath(MAJLISD),
                                      "token", "create",
                                      "--db", db, "--role", "admin"], capture_output=True, text=True, timeout=60)
                expect(out.returncode == 0, "token in the namespace: " + out.stderr)
                _, ev = setup_event(srv, admin=out.stdout.strip())
                acknowledged = []
                full = None
                for i in range(5000):
                    r = srv.post(f"/api/v1/events/{ev}/registrations", body=person(i, pad=180))
                    if r.status == 201:
                        acknowledged.append(r.json["registration"]["id"])
                        continue
                    full = r
                    break
                expect(full is not None, "the disk filled up")
                expect_error(full, 503, "unavailable")
                expect(len(acknowledged) > 10, f"some registrations fitted first ({len(acknowledged)})")

                def in_ns(sql):
                    out = subprocess.run(["nsenter", "-t", str(srv.proc.pid), "-m", "-r", "sqlite3", db, sql],
                                         capture_output=True, text=True, timeout=30)
                    expect(out.returncode == 0, "sqlite3 in the namespace: " + out.stderr)
                    return out.stdout.strip()

                expect(in_ns("PRAGMA integrity_check") == "ok", "integrity after a full disk")
                ids = set(int(x) for x in in_ns("SELECT id FROM registrations").split())
                expect(set(acknowledged) <= ids, "every acknowledged registration is stored")
                expect(len(ids) == len(acknowledged), "nothing stored that was not acknowledged")
                orphans = in_ns("SELECT count(*) FROM people p WHERE NOT EXISTS "
                                "(SELECT 1 FROM registrations r WHERE r.person_id = p.id)")
                expect(orphans == "0", f"no half-written person rows ({orphans})")
                expect_status(srv.get("/healthz"), 200)
                expect_status(srv.get(f"/api/v1/events/{ev}"), 200)
        finally:
            shutil.rmtree(mnt, ignore_errors=True)

    def test_damaged_database_is_refused_at_start(self):
        work = tempfile.mkdtemp(prefix="majlis-corrupt-")
        try:
            with Server() as srv:
                admin, ev = setup_event(srv)
                for i in range(20):
                    expect_status(srv.post(f"/api/v1/events/{ev}/registrations", body=person(i)), 201)
                srv.stop()  # a clean stop copies the log into the database file
                db = os.path.join(work, "majlis.db")
                shutil.copyfile(srv.db, db)
            con = sqlite3.connect(db)
            page = con.execute("PRAGMA page_size").fetchone()[0]
            root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'registrations'").fetchone()[0]
            con.close()
            expect(root > 1, f"registrations start on page {root}")
            with open(db, "r+b") as f:  # the b-tree page type of the table's root page: not a valid one
                f.seek((root - 1) * page)
                b = f.read(1)[0]
                f.seek((root - 1) * page)
                f.write(bytes([b ^ 0xff]))
            port = free_port()
            p = subprocess.Popen([MAJLISD, "--db", db, "--listen", f"127.0.0.1:{port}"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            try:
                _, err = p.communicate(timeout=90)
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()
                raise AssertionError("majlisd started on a damaged database")
            expect(p.returncode != 0, "a damaged database is refused: " + err)
            for words in (db, "damaged", "majlisd backup", "--skip-check"):
                expect(words in err, f"the refusal names {words!r}: {err}")

            with Server(db=db, extra_args=["--skip-check"]) as srv:
                h = expect_status(srv.get("/healthz"), 200)
                expect(h["store"] == "ok", "nothing damaged met yet", h)
                r = srv.get(f"/api/v1/events/{ev}/registrations", token=admin)
                expect_error(r, 503, "store_corrupt")
                r = srv.get("/healthz")
                expect_error(r, 503, "store_corrupt")
                expect(r.json["status"] == "degraded" and r.json["store"] == "corrupt", "healthz says so", r)
                expect_status(srv.get("/api/v1/organisations", token=admin), 200)  # what can still be read is served
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def gone_scenario(self, replace):
        work = tempfile.mkdtemp(prefix="majlis-gone-")
        data = os.path.join(work, "data")
        os.mkdir(data)
        db = os.path.join(data, "majlis.db")
        try:
            with Server(db=db, extra_args=["--key-file", os.path.join(work, "key")]) as srv:
                _, ev = setup_event(srv)
                expect_status(srv.post(f"/api/v1/events/{ev}/registrations", body=person(1)), 201)
                if replace:  # e.g. a restore copied over the running server's file
                    shutil.copyfile(db, db + ".new")
                    os.replace(db + ".new", db)
                else:
                    shutil.rmtree(data)
                r = srv.post(f"/api/v1/events/{ev}/registrations", body=person(2))
                expect_error(r, 503, "store_gone")
                r = srv.get("/healthz")
                expect_error(r, 503, "store_gone")
                expect(r.json["status"] == "degraded" and r.json["store"] == "gone", "healthz says so", r)
                expect_error(srv.post(f"/api/v1/events/{ev}/registrations", body=person(3)), 503, "store_gone")
                expect("deleted or replaced" in srv.log_text(), "the log says so")
                if replace:
                    con = sqlite3.connect(db)
                    n = con.execute("SELECT count(*) FROM registrations").fetchone()[0]
                    con.close()
                    expect(n == 1, f"nothing more in the file now at the path: {n} registrations")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def test_deleted_database_directory_acknowledges_nothing(self):
        self.gone_scenario(replace=False)

    def test_replaced_database_file_acknowledges_nothing(self):
        self.gone_scenario(replace=True)

    def test_write_ahead_log_shrinks_after_a_long_reader(self):
        with Server() as srv:
            _, ev = setup_event(srv)
            expect_status(srv.post(f"/api/v1/events/{ev}/registrations", body=person(0)), 201)
            wal = srv.db + "-wal"
            reader = sqlite3.connect(srv.db, isolation_level=None)
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM registrations").fetchone()  # holds its snapshot
            limit = 16 * 1024 * 1024
            i = 1
            while os.path.getsize(wal) <= limit + 4 * 1024 * 1024 and i < 6000:
                expect_status(srv.post(f"/api/v1/events/{ev}/registrations", body=person(i, pad=180)), 201)
                i += 1
            size = os.path.getsize(wal)
            expect(size > limit, f"the log grew past the limit while the reader held ({size} bytes, {i} writes)")
            deadline = time.time() + 10
            while "cannot shrink" not in srv.log_text() and time.time() < deadline:
                time.sleep(0.2)
            expect("cannot shrink" in srv.log_text(), "a warning while the reader blocks checkpoints")
            reader.execute("COMMIT")
            reader.close()
            deadline = time.time() + 15
            while os.path.getsize(wal) > limit and time.time() < deadline:
                time.sleep(0.2)
            size = os.path.getsize(wal)
            expect(size <= limit, f"the log shrinks after the reader ends ({size} bytes)")
            expect_status(srv.get("/healthz"), 200)
            con = sqlite3.connect(srv.db)
            n = con.execute("SELECT count(*) FROM registrations").fetchone()[0]
            con.close()
            expect(n == i, f"every acknowledged registration is stored ({n} of {i})")


if __name__ == "__main__":
    T().run()
