"""Integration tests of accounts, login sessions, CSRF, throttling and bearer tokens against a real
majlisd: /api/v1/auth/*, /api/v1/tokens and /api/v1/accounts."""

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Checks, Server, db_rows, db_write, expect, expect_error, expect_status  # noqa: E402

PASSWORD = "correct horse battery"


def db_exec(srv, sql, args=()):
    return db_write(srv.db, sql, args)


def db_count(srv, table):
    return db_rows(srv.db, f"SELECT count(*) FROM {table}")[0][0]


def add_org(srv, name):
    return db_exec(srv, "INSERT INTO organisations (name, kind, created_at, updated_at) "
                        "VALUES (?, 'ngo', 0, 0)", (name,))


def add_event(srv, org):
    return db_exec(srv, "INSERT INTO events (type, title_fr, org_id, capacity, created_at, updated_at) "
                        "VALUES ('training', 'Formation', ?, 20, 0, 0)", (org,))


def cookie_of(resp):
    """The majlis_session value from Set-Cookie."""
    sc = resp.headers.get("set-cookie", "")
    expect(sc.startswith("majlis_session="), "Set-Cookie majlis_session", resp)
    return sc.split(";", 1)[0].split("=", 1)[1]


class T(Checks):
    def __init__(self, srv):
        self.srv = srv
        self.secrets = []  # passwords, emails, tokens, cookies: none may reach the log
        self.org_a = add_org(srv, "Association A")
        self.org_b = add_org(srv, "Association B")
        self.admin = srv.token("admin")
        self.secrets.append(self.admin)
        self.n = 0

    # helpers -------------------------------------------------------------------------------------

    def email(self, tag):
        self.n += 1
        e = f"{tag}{self.n}@example.org"
        self.secrets.append(e)
        return e

    def account(self, role="organiser", org=None, tag="user", password=PASSWORD, token=None, **extra):
        email = self.email(tag)
        body = {"email": email, "display_name": f"Agent {tag}", "password": password, "role": role}
        if org is not None:
            body["org_id"] = org
        body.update(extra)
        self.secrets.append(password)
        acc = expect_status(self.srv.post("/api/v1/accounts", body, token=token or self.admin), 201)
        expect("password_hash" not in acc and "password" not in acc, "no password in account", acc)
        return email, acc

    def login(self, email, password=PASSWORD, cookie=None, headers=None):
        h = dict(headers or {})
        if cookie:
            h["Cookie"] = "majlis_session=" + cookie
        r = self.srv.post("/api/v1/auth/login", {"email": email, "password": password}, headers=h)
        if r.status == 200:
            self.secrets.append(cookie_of(r))
            self.secrets.append(r.json["csrf_token"])
        return r

    def session(self, email, password=PASSWORD):
        r = self.login(email, password)
        expect_status(r, 200)
        return cookie_of(r), r.json["csrf_token"]

    def origin(self):
        return f"http://127.0.0.1:{self.srv.port}"

    def cookie_headers(self, cookie, csrf=None, origin=True):
        h = {"Cookie": "majlis_session=" + cookie}
        if origin:
            h["Origin"] = self.origin()
        if csrf:
            h["X-CSRF-Token"] = csrf
        return h

    # login -----------------------------------------------------------------------------------------

    def test_login_ok_and_failures_identical(self):
        email, acc = self.account(org=self.org_a)
        r = self.login(email.upper())
        body = expect_status(r, 200)
        a = body["account"]
        expect(a == {"id": acc["id"], "email": email, "display_name": acc["display_name"],
                     "role": "organiser", "org_id": self.org_a}, "login account", r)
        expect(len(body["csrf_token"]) == 43, "csrf token", r)
        wrong = self.login(email, "wrong password 123")
        expect_error(wrong, 401, "invalid_credentials")
        unknown_email = self.email("ghost")
        unknown = self.login(unknown_email, "wrong password 123")
        expect_error(unknown, 401, "invalid_credentials")
        expect(wrong.body == unknown.body, "identical bodies for wrong password and unknown email",
               (wrong, unknown))
        expect("set-cookie" not in wrong.headers, "no cookie on failure", wrong)

    def test_login_cookie_flags(self):
        email, _ = self.account(org=self.org_a)
        r = self.login(email)
        expect_status(r, 200)
        sc = r.headers["set-cookie"]
        parts = [p.strip() for p in sc.split(";")]
        expect(parts[0].startswith("majlis_session=") and len(parts[0]) == len("majlis_session=") + 43,
               "cookie value", r)
        for flag in ("Path=/", "HttpOnly", "SameSite=Strict"):
            expect(flag in parts, f"cookie flag {flag}", r)
        expect("Secure" not in parts, "no Secure flag over plain HTTP", r)

    def test_login_new_session_each_time(self):
        email, _ = self.account(org=self.org_a)
        c1, _ = self.session(email)
        c2, _ = self.session(email)
        expect(c1 != c2, "a new session id at each login")
        expect_status(self.srv.get("/api/v1/auth/me", headers={"Cookie": "majlis_session=" + c1}), 200)
        r = self.login(email, cookie=c1)
        expect_status(r, 200)
        c3 = cookie_of(r)
        expect(c3 not in (c1, c2), "the presented session id is never reused", r)
        expect_error(self.srv.get("/api/v1/auth/me", headers={"Cookie": "majlis_session=" + c1}), 401)
        expect_status(self.srv.get("/api/v1/auth/me", headers={"Cookie": "majlis_session=" + c3}), 200)

    def test_login_disabled_account(self):
        email, acc = self.account(role="viewer", org=self.org_a)
        cookie, _ = self.session(email)
        expect_status(self.srv.patch(f"/api/v1/accounts/{acc['id']}", {"disabled": True}, token=self.admin), 200)
        expect_error(self.srv.get("/api/v1/auth/me", headers={"Cookie": "majlis_session=" + cookie}), 401)
        expect_error(self.login(email), 401, "invalid_credentials")
        expect_status(self.srv.patch(f"/api/v1/accounts/{acc['id']}", {"disabled": False}, token=self.admin), 200)
        expect_status(self.login(email), 200)

    def test_me(self):
        email, acc = self.account(role="checkin", org=self.org_a)
        cookie, _ = self.session(email)
        me = expect_status(self.srv.get("/api/v1/auth/me", headers={"Cookie": "majlis_session=" + cookie}), 200)
        expect(me["role"] == "checkin" and me["account"]["id"] == acc["id"] and me["via"] == "cookie", "me", me)
        expect(me["org_id"] == self.org_a, "me org", me)
        expect_error(self.srv.get("/api/v1/auth/me"), 401, "unauthenticated")
        me = expect_status(self.srv.get("/api/v1/auth/me", token=self.admin), 200)
        expect(me["role"] == "admin" and me["account"] is None and me["via"] == "token", "me via token", me)
        expect_error(self.srv.get("/api/v1/auth/me", headers={"Cookie": "majlis_session=nope"}), 401)

    def test_logout_ends_session(self):
        email, _ = self.account(org=self.org_a)
        cookie, csrf = self.session(email)
        before = db_count(self.srv, "auth_sessions")
        r = self.srv.post("/api/v1/auth/logout", headers=self.cookie_headers(cookie, csrf))
        expect_status(r, 204)
        sc = r.headers.get("set-cookie", "")
        expect(sc.startswith("majlis_session=;") and "Max-Age=0" in sc, "cookie cleared", r)
        expect(db_count(self.srv, "auth_sessions") == before - 1, "session row deleted")
        expect_error(self.srv.get("/api/v1/auth/me", headers={"Cookie": "majlis_session=" + cookie}), 401)
        expect_error(self.srv.post("/api/v1/auth/logout", headers=self.cookie_headers(cookie, csrf)), 401)

    def test_idle_timeout(self):
        with Server(extra_args=["--session-idle", "2", "--log-level", "4"]) as srv:
            org = add_org(srv, "Idle org")
            admin = srv.token("admin")
            body = {"email": "idle@example.org", "display_name": "Idle", "password": PASSWORD,
                    "role": "viewer", "org_id": org}
            expect_status(srv.post("/api/v1/accounts", body, token=admin), 201)
            r = srv.post("/api/v1/auth/login", {"email": "idle@example.org", "password": PASSWORD})
            expect_status(r, 200)
            cookie = cookie_of(r)
            h = {"Cookie": "majlis_session=" + cookie}
            expect_status(srv.get("/api/v1/auth/me", headers=h), 200)
            time.sleep(1.2)
            expect_status(srv.get("/api/v1/auth/me", headers=h), 200)  # use refreshes seen_at
            time.sleep(1.2)
            expect_status(srv.get("/api/v1/auth/me", headers=h), 200)
            time.sleep(3)
            expect_error(srv.get("/api/v1/auth/me", headers=h), 401, "session_expired")
            expect(db_count(srv, "auth_sessions") == 0, "expired session row deleted")
            expect_error(srv.get("/api/v1/auth/me", headers=h), 401)
            log = srv.log_text()
            for s in ("idle@example.org", PASSWORD, admin, cookie):
                expect(s not in log, "no secret in the log")

    def test_login_at_real_cost(self):
        """A login at the production PBKDF2 cost: the account's hash is made and checked at
        600 000 iterations, and only the cheap test server warns about its cost."""
        with Server(real_pbkdf2=True) as srv:
            org = add_org(srv, "Real cost org")
            admin = srv.token("admin")
            body = {"email": "real@example.org", "display_name": "Real", "password": PASSWORD,
                    "role": "viewer", "org_id": org}
            expect_status(srv.post("/api/v1/accounts", body, token=admin), 201)
            con = sqlite3.connect(srv.db, timeout=10)
            try:
                stored = con.execute("SELECT password_hash FROM accounts WHERE email = 'real@example.org'").fetchone()[0]
            finally:
                con.close()
            expect(stored.startswith("pbkdf2-sha256$600000$"), "hashed at the production floor")
            expect_status(srv.post("/api/v1/auth/login", {"email": "real@example.org", "password": PASSWORD}), 200)
            expect_error(srv.post("/api/v1/auth/login", {"email": "real@example.org", "password": "wrong password!"}),
                         401, "invalid_credentials")
            expect("TEST BUILD" not in srv.log_text(), "no test-cost warning at the real cost")
        expect("TEST BUILD" in self.srv.log_text() and "production floor" in self.srv.log_text(),
               "the cheap test server warns loudly")

    # CSRF ------------------------------------------------------------------------------------------

    def test_csrf_on_cookie_writes(self):
        email, _ = self.account(org=self.org_a)
        cookie, csrf = self.session(email)
        target = self.email("staff")
        body = {"email": target, "display_name": "Staff", "password": PASSWORD, "role": "viewer"}
        before = db_count(self.srv, "accounts")
        cases = [
            self.cookie_headers(cookie, None, origin=False),
            self.cookie_headers(cookie, None, origin=True),
            self.cookie_headers(cookie, csrf, origin=False),
            dict(self.cookie_headers(cookie, csrf), Origin="http://evil.example"),
            self.cookie_headers(cookie, "x" * 43, origin=True),
        ]
        for h in cases:
            expect_error(self.srv.post("/api/v1/accounts", body, headers=h), 403, "csrf_failed")
        expect(db_count(self.srv, "accounts") == before, "nothing created without CSRF proof")
        # a GET needs neither
        expect_status(self.srv.get("/api/v1/accounts", headers={"Cookie": "majlis_session=" + cookie}), 200)
        acc = expect_status(self.srv.post("/api/v1/accounts", body, headers=self.cookie_headers(cookie, csrf)), 201)
        expect(acc["org_id"] == self.org_a and acc["role"] == "viewer", "created for own org", acc)
        expect(db_count(self.srv, "accounts") == before + 1, "created with Origin and CSRF token")
        # another session's CSRF token does not fit
        _, csrf2 = self.session(email)
        expect_error(self.srv.patch(f"/api/v1/accounts/{acc['id']}", {"display_name": "X"},
                                    headers=self.cookie_headers(cookie, csrf2)), 403, "csrf_failed")
        # a login from another site is refused
        r = self.login(email, headers={"Origin": "http://evil.example"})
        expect_error(r, 403, "csrf_failed")

    # throttling ------------------------------------------------------------------------------------

    def throttle(self, email, password):
        for i in range(5):
            expect_error(self.login(email, "not the password!"), 401, "invalid_credentials")
        r = self.login(email, "not the password!")
        err = expect_error(r, 429, "too_many_attempts")
        ra = int(r.headers.get("retry-after", "0"))
        expect(0 < ra <= 900, "Retry-After", r)
        ok = self.login(email, password)
        expect_error(ok, 429, "too_many_attempts")
        expect("set-cookie" not in ok.headers, "no session while throttled", ok)
        return r.body, err

    def test_throttling_known_and_unknown(self):
        email, _ = self.account(org=self.org_a)
        known, _ = self.throttle(email, PASSWORD)
        unknown, _ = self.throttle(self.email("nobody"), PASSWORD)
        expect(known == unknown, "identical 429 for known and unknown names", (known, unknown))
        # other names are not affected
        other, _ = self.account(org=self.org_a)
        expect_status(self.login(other), 200)

    def test_throttling_reset_by_success(self):
        email, _ = self.account(org=self.org_a)
        for i in range(4):
            expect_error(self.login(email, "not the password!"), 401)
        expect_status(self.login(email), 200)
        for i in range(5):
            expect_error(self.login(email, "not the password!"), 401, "invalid_credentials")
        expect_error(self.login(email, "not the password!"), 429, "too_many_attempts")

    # tokens ----------------------------------------------------------------------------------------

    def test_token_create_list_revoke(self):
        r = self.srv.post("/api/v1/tokens", {"role": "organiser", "org_id": self.org_a, "label": "script"},
                          token=self.admin)
        t = expect_status(r, 201)
        tok = t["token"]
        self.secrets.append(tok)
        expect(len(tok) == 43 and t["role"] == "organiser" and t["org_id"] == self.org_a, "token created", r)
        me = expect_status(self.srv.get("/api/v1/auth/me", token=tok), 200)
        expect(me["role"] == "organiser" and me["org_id"] == self.org_a, "token principal", me)
        lst = self.srv.get("/api/v1/tokens", token=self.admin)
        expect_status(lst, 200)
        expect(tok not in lst.body and "token_hash" not in lst.body, "never the token or its hash", lst)
        expect(any(i["id"] == t["id"] for i in lst.json["items"]), "listed", lst)
        expect_status(self.srv.delete(f"/api/v1/tokens/{t['id']}", token=self.admin), 204)
        expect_error(self.srv.get("/api/v1/auth/me", token=tok), 401, "invalid_token")
        expect_error(self.srv.get("/api/v1/tokens", token=tok), 401, "invalid_token")
        expect_error(self.srv.delete("/api/v1/tokens/999999", token=self.admin), 404)

    def test_token_malformed_bearer(self):
        for h in ("Bearer ", "Bearer short", "Basic dXNlcjpwYXNz", "Bearer " + "A" * 43, "Bearer " + "$" * 43):
            expect_error(self.srv.get("/api/v1/auth/me", headers={"Authorization": h}), 401)
        # a bad bearer is refused even next to a good cookie
        email, _ = self.account(org=self.org_a)
        cookie, _ = self.session(email)
        expect_error(self.srv.get("/api/v1/auth/me", headers={"Authorization": "Bearer nope",
                                                             "Cookie": "majlis_session=" + cookie}), 401)

    def test_org_isolation(self):
        org_tok = self.srv.token("organiser", self.org_a)
        b_tok = self.srv.token("organiser", self.org_b)
        viewer = self.srv.token("viewer", self.org_a)
        self.secrets += [org_tok, b_tok, viewer]
        self.account(role="checkin", org=self.org_b, tag="bstaff")
        before = db_count(self.srv, "api_tokens")
        expect_error(self.srv.post("/api/v1/tokens", {"role": "checkin", "org_id": self.org_b}, token=org_tok), 403)
        expect_error(self.srv.post("/api/v1/tokens", {"role": "admin"}, token=org_tok), 403)
        expect_error(self.srv.post("/api/v1/tokens", {"role": "viewer"}, token=viewer), 403)
        expect(db_count(self.srv, "api_tokens") == before, "no token created")
        t = expect_status(self.srv.post("/api/v1/tokens", {"role": "checkin"}, token=org_tok), 201)
        expect(t["org_id"] == self.org_a, "organiser token defaults to own org", t)
        self.secrets.append(t["token"])
        expect_error(self.srv.get(f"/api/v1/accounts?org={self.org_b}", token=org_tok), 403)
        lst = expect_status(self.srv.get("/api/v1/accounts", token=org_tok), 200)
        expect(all(a["org_id"] == self.org_a for a in lst["items"]), "only own org's accounts", lst)
        toks = expect_status(self.srv.get("/api/v1/tokens", token=org_tok), 200)
        expect(all(x["org_id"] == self.org_a for x in toks["items"]), "only own org's tokens", toks)
        expect_error(self.srv.get("/api/v1/tokens", token=viewer), 403)
        expect_error(self.srv.get("/api/v1/accounts", token=viewer), 403)
        # organiser B may not revoke A's token, nor touch A's accounts
        expect_error(self.srv.delete(f"/api/v1/tokens/{t['id']}", token=b_tok), 404)
        _, staff = self.account(role="checkin", org=self.org_a, tag="astaff")
        expect_error(self.srv.patch(f"/api/v1/accounts/{staff['id']}", {"display_name": "X"}, token=b_tok), 404)
        # organisers create only checkin/viewer accounts of their own organisation
        before = db_count(self.srv, "accounts")
        body = {"email": self.email("o"), "display_name": "O", "password": PASSWORD, "role": "organiser"}
        expect_error(self.srv.post("/api/v1/accounts", body, token=org_tok), 403)
        body = {"email": self.email("o"), "display_name": "O", "password": PASSWORD, "role": "checkin",
                "org_id": self.org_b}
        expect_error(self.srv.post("/api/v1/accounts", body, token=org_tok), 403)
        ev_b = add_event(self.srv, self.org_b)
        body = {"email": self.email("o"), "display_name": "O", "password": PASSWORD, "role": "checkin",
                "event_ids": [ev_b]}
        expect_error(self.srv.post("/api/v1/accounts", body, token=org_tok), 403)
        expect(db_count(self.srv, "accounts") == before, "no account created")
        ev_a = add_event(self.srv, self.org_a)
        body["event_ids"] = [ev_a]
        acc = expect_status(self.srv.post("/api/v1/accounts", body, token=org_tok), 201)
        expect(acc["event_ids"] == [ev_a] and acc["org_id"] == self.org_a, "checkin with events", acc)

    # accounts --------------------------------------------------------------------------------------

    def test_accounts_duplicate_and_patch(self):
        email, acc = self.account(role="checkin", org=self.org_a)
        before = db_count(self.srv, "accounts")
        body = {"email": email.upper(), "display_name": "Dup", "password": PASSWORD, "role": "viewer"}
        expect_error(self.srv.post("/api/v1/accounts", body, token=self.admin), 409, "email_taken")
        expect(db_count(self.srv, "accounts") == before, "no duplicate stored")
        ev = add_event(self.srv, self.org_a)
        r = self.srv.patch(f"/api/v1/accounts/{acc['id']}", {"event_ids": [ev, ev], "display_name": "Renamed"},
                           token=self.admin)
        a = expect_status(r, 200)
        expect(a["event_ids"] == [ev] and a["display_name"] == "Renamed", "patched", a)
        expect_error(self.srv.patch(f"/api/v1/accounts/{acc['id']}", {"event_ids": [987654]}, token=self.admin), 404)
        cookie, csrf = self.session(email)
        # self-service: own name and password, but not own events or disabled flag
        expect_error(self.srv.patch(f"/api/v1/accounts/{acc['id']}", {"event_ids": []},
                                    headers=self.cookie_headers(cookie, csrf)), 403)
        new_pw = "another long password"
        self.secrets.append(new_pw)
        expect_status(self.srv.patch(f"/api/v1/accounts/{acc['id']}", {"password": new_pw},
                                     headers=self.cookie_headers(cookie, csrf)), 200)
        expect_error(self.srv.get("/api/v1/auth/me", headers={"Cookie": "majlis_session=" + cookie}), 401)
        expect_error(self.login(email), 401)
        expect_status(self.login(email, new_pw), 200)
        lst = self.srv.get("/api/v1/accounts", token=self.admin)
        expect_status(lst, 200)
        expect("pbkdf2" not in lst.body and "password" not in lst.body, "never a password hash", lst)
        expect_error(self.srv.patch("/api/v1/accounts/999999", {"display_name": "x"}, token=self.admin), 404)

    def test_bad_input(self):
        email, acc = self.account(role="viewer", org=self.org_a)
        tables = ("accounts", "api_tokens", "auth_sessions", "account_events", "change_log")
        counts = {t: db_count(self.srv, t) for t in tables}
        good_acc = {"email": self.email("bad"), "display_name": "B", "password": PASSWORD, "role": "viewer"}
        patch = f"/api/v1/accounts/{acc['id']}"
        cases = [
            # (method, path, raw body or dict, content type, status, code)
            ("POST", "/api/v1/auth/login", b'{"email":', "application/json", 400, "invalid_json"),
            ("POST", "/api/v1/auth/login", {"email": 5, "password": "x"}, None, 400, "invalid_field"),
            ("POST", "/api/v1/auth/login", {"email": "not-an-email", "password": "x"}, None, 400, "invalid_field"),
            ("POST", "/api/v1/auth/login", {"email": email, "password": "a\u0001b"}, None, 400, "invalid_field"),
            ("POST", "/api/v1/auth/login", {"email": email, "password": "x", "remember": True}, None, 400,
             "unknown_field"),
            ("POST", "/api/v1/auth/login", {"email": email}, None, 400, "missing_field"),
            ("POST", "/api/v1/auth/login", b'email=a', "application/x-www-form-urlencoded", 415, None),
            ("POST", "/api/v1/tokens", b'[1]', "application/json", 400, "invalid_json"),
            ("POST", "/api/v1/tokens", {"role": "root"}, None, 400, "invalid_field"),
            ("POST", "/api/v1/tokens", {"role": "viewer", "org_id": "1"}, None, 400, "invalid_field"),
            ("POST", "/api/v1/tokens", {"role": "viewer", "label": "a\nb"}, None, 400, "invalid_field"),
            ("POST", "/api/v1/tokens", {"role": "viewer", "scope": "all"}, None, 400, "unknown_field"),
            ("POST", "/api/v1/tokens", {"role": "organiser"}, None, 400, "missing_field"),
            ("POST", "/api/v1/tokens", {"role": "admin", "org_id": self.org_a}, None, 400, "invalid_field"),
            ("POST", "/api/v1/tokens", {"role": "checkin", "org_id": 99999}, None, 404, None),
            ("POST", "/api/v1/tokens", b'role=admin', "text/plain", 415, None),
            ("POST", "/api/v1/accounts", b'{"email":"a@b.org",}', "application/json", 400, "invalid_json"),
            ("POST", "/api/v1/accounts", dict(good_acc, email="no at sign"), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, email="a\u0007@b.org"), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, display_name="Tab\tName"), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, display_name=7), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, password="short"), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, role="boss"), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, org_id=-1), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, event_ids="1"), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, event_ids=[1, "2"]), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, event_ids=[1]), None, 400, "invalid_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, admin=True), None, 400, "unknown_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, role="organiser"), None, 400, "missing_field"),
            ("POST", "/api/v1/accounts", dict(good_acc, org_id=99999), None, 404, None),
            ("POST", "/api/v1/accounts", b'{}', "text/html", 415, None),
            ("PATCH", patch, b'nope', "application/json", 400, "invalid_json"),
            ("PATCH", patch, {"disabled": "yes"}, None, 400, "invalid_field"),
            ("PATCH", patch, {"display_name": ""}, None, 400, "invalid_field"),
            ("PATCH", patch, {"display_name": "a\u0085b"}, None, 400, "invalid_field"),
            ("PATCH", patch, {"password": "short"}, None, 400, "invalid_field"),
            ("PATCH", patch, {"role": "admin"}, None, 400, "unknown_field"),
            ("PATCH", patch, {"event_ids": [1]}, None, 400, "invalid_field"),
            ("PATCH", patch, {}, None, 400, None),
            ("PATCH", patch, b'{"disabled":true}', "application/xml", 415, None),
        ]
        for method, path, body, ctype, status, code in cases:
            if isinstance(body, dict):
                r = self.srv.request(method, path, body=body, token=self.admin)
            else:
                r = self.srv.request(method, path, raw=body, token=self.admin,
                                     headers={"Content-Type": ctype})
            try:
                expect_error(r, status, code)
            except AssertionError as e:
                raise AssertionError(f"{method} {path} {body!r}: {e}")
        expect({t: db_count(self.srv, t) for t in tables} == counts, "nothing stored by bad input")
        # invalid UTF-8 in a body
        r = self.srv.request("POST", "/api/v1/accounts", raw=b'{"email":"\xff@b.org"}', token=self.admin,
                             headers={"Content-Type": "application/json"})
        expect_error(r, 400)
        # unauthenticated writes are 401 before anything else
        expect_error(self.srv.post("/api/v1/accounts", good_acc), 401)
        expect_error(self.srv.post("/api/v1/tokens", {"role": "viewer"}), 401)
        expect_error(self.srv.delete("/api/v1/tokens/1"), 401)
        expect({t: db_count(self.srv, t) for t in tables} == counts, "nothing stored by bad input")

    def test_changelog_has_no_personal_data(self):
        email, acc = self.account(role="viewer", org=self.org_a)
        self.session(email)
        con = sqlite3.connect(self.srv.db, timeout=10)
        try:
            rows = con.execute("SELECT topic, kind, payload FROM change_log WHERE topic = ?",
                               (f"account:{acc['id']}",)).fetchall()
        finally:
            con.close()
        kinds = [r[1] for r in rows]
        expect("account.created" in kinds and "account.login" in kinds, "change-log rows", rows)
        for r in rows:
            expect("@" not in r[2] and PASSWORD not in r[2], "no personal data in the change log", rows)

    def test_zz_log_has_no_secrets(self):
        log = self.srv.log_text()
        expect("login failed" in log and "login ok" in log, "the log is at debug level and auth logs")
        for s in set(self.secrets):
            expect(s not in log, f"secret of length {len(s)} found in the log")
        expect("@example.org" not in log, "no email in the log")


if __name__ == "__main__":
    with Server(extra_args=["--log-level", "4"]) as server:
        T(server).run()
