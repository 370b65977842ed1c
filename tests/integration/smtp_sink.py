"""A tiny SMTP server for tests (standard library only): accepts every message, or answers each RCPT
with a chosen reply, and keeps what it received as email.message.Message objects. A test may hold the
"250 queued" that ends a message (clear reply_gate): the message is stored, and the sender waits for the
reply until the test sets the gate again."""

import email
import email.policy
import socket
import socketserver
import threading
import time


class SmtpSink:
    def __init__(self):
        self.messages = []  # (envelope from, [rcpt], parsed message, raw bytes)
        self.rcpt_reply = b"250 OK"  # e.g. b"451 try later" or b"550 no such user"
        self.reply_gate = threading.Event()  # set: a stored message is answered at once; clear: held
        self.reply_gate.set()
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 sink ESMTP\r\n")
                mail_from, rcpts = None, []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    cmd = line.strip().upper()
                    if cmd.startswith(b"EHLO"):
                        self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
                    elif cmd.startswith(b"HELO"):
                        self.wfile.write(b"250 sink\r\n")
                    elif cmd.startswith(b"MAIL FROM:"):
                        mail_from, rcpts = line.strip()[10:].decode(), []
                        self.wfile.write(b"250 OK\r\n")
                    elif cmd.startswith(b"RCPT TO:"):
                        reply = sink.rcpt_reply
                        if reply.startswith(b"250"):
                            rcpts.append(line.strip()[8:].decode())
                        self.wfile.write(reply + b"\r\n")
                    elif cmd == b"DATA":
                        self.wfile.write(b"354 go on\r\n")
                        data = []
                        while True:
                            l = self.rfile.readline()
                            if not l or l == b".\r\n":
                                break
                            data.append(l[1:] if l.startswith(b"..") else l)
                        raw = b"".join(data)
                        msg = email.message_from_bytes(raw, policy=email.policy.default)
                        with sink.lock:
                            sink.messages.append((mail_from, rcpts, msg, raw))
                        sink.reply_gate.wait(timeout=60)
                        self.wfile.write(b"250 queued\r\n")
                    elif cmd == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    elif cmd in (b"RSET", b"NOOP"):
                        self.wfile.write(b"250 OK\r\n")
                    else:
                        self.wfile.write(b"502 not implemented\r\n")

        class Srv(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Srv(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait(self, count, timeout=15):
        """Waits until at least count messages arrived; returns them all."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            raise AssertionError(f"expected {count} message(s), got {len(self.messages)}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()
