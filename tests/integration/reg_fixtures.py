"""Seeding helpers for the registration tests: organisations, events and sessions written straight
into a running majlisd's database with sqlite3 (WAL lets both write), plus small request helpers."""

import datetime
import sqlite3
import time

from harness import db_rows, db_write

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover - python < 3.9
    ZoneInfo = None

ZONE = "Africa/Casablanca"


def connect(srv):
    con = sqlite3.connect(srv.db, timeout=30)
    con.execute("PRAGMA busy_timeout = 30000")
    return con


def db_exec(srv, sql, args=()):
    return db_write(srv.db, sql, args)


def db_one(srv, sql, args=()):
    rows = db_rows(srv.db, sql, args)
    return rows[0] if rows else None


def db_all(srv, sql, args=()):
    return db_rows(srv.db, sql, args)


def counts(srv):
    """Row counts of every table a registration write touches."""
    return {t: db_one(srv, f"SELECT count(*) FROM {t}")[0]
            for t in ("people", "registrations", "attendance", "change_log", "outbox", "idempotency")}


_orgs = [0]


def add_org(srv, name=None):
    _orgs[0] += 1
    name = name or f"Association {_orgs[0]} {time.time_ns()}"
    return db_exec(srv, "INSERT INTO organisations (name, kind, created_at, updated_at) "
                        "VALUES (?, 'ngo', 0, 0)", (name,))


def local_parts(utc, zone=ZONE):
    """(wall time 'YYYY-MM-DDTHH:MM:SS', offset seconds) of the epoch second utc in zone."""
    if ZoneInfo:
        d = datetime.datetime.fromtimestamp(utc, ZoneInfo(zone))
        return d.strftime("%Y-%m-%dT%H:%M:%S"), int(d.utcoffset().total_seconds())
    d = datetime.datetime.utcfromtimestamp(utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S"), 0


def add_session(srv, event, start_utc, minutes=120, zone=ZONE):
    starts, soff = local_parts(start_utc, zone)
    ends, eoff = local_parts(start_utc + minutes * 60, zone)
    return db_exec(srv, "INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, "
                        "start_offset, end_offset, title, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Module', 0, 0)",
                   (event, starts, ends, zone, start_utc, start_utc + minutes * 60, soff, eoff))


def add_event(srv, org, capacity=10, needs_approval=0, visibility="public", opens=None, closes=None,
              status="scheduled", session_in=7 * 86400, title="Formation comptabilité"):
    """An event with one session starting session_in seconds from now (None: no session)."""
    ev = db_exec(srv, "INSERT INTO events (type, title_fr, org_id, capacity, needs_approval, visibility, "
                      "registration_opens_at, registration_closes_at, status, created_at, updated_at) "
                      "VALUES ('training', ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                 (title, org, capacity, needs_approval, visibility, opens, closes, status))
    if session_in is not None:
        add_session(srv, ev, int(time.time()) + session_in)
    return ev


_people = [0]


def person(**over):
    """A valid registration body with a unique e-mail address."""
    _people[0] += 1
    body = {"name": f"Participant {_people[0]}", "email": f"p{_people[0]}.{time.time_ns()}@example.org",
            "consent": True, "lang": "fr"}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def register(srv, event, body=None, **kw):
    return srv.post(f"/api/v1/events/{event}/registrations", body if body is not None else person(), **kw)
