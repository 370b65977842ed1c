"""A minimal WebSocket client (RFC 6455) for the tests: handshake with headers and a subprotocol, read
text frames and the server's close code, answer pings, and send frames a conforming client would not
(unmasked, binary, oversized, invalid UTF-8). Standard library only."""

import base64
import hashlib
import json
import os
import socket
import ssl
import struct


class HandshakeRefused(Exception):
    """The server answered the upgrade with another status than 101: status, head, body (bytes) and json
    (the parsed body, or None)."""

    def __init__(self, status, head, body=b""):
        super().__init__(f"handshake refused: {status} {body[:200]!r}")
        self.status = status
        self.head = head
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None


class Closed(ConnectionError):
    """The server sent a close frame: code (None when the frame had none) and reason."""

    def __init__(self, code, reason):
        super().__init__(f"closed by the server: {code} {reason!r}")
        self.code = code
        self.reason = reason


class WebSocket:
    def __init__(self, port, path, protocol="majlis-live", headers=None, tls=False, timeout=10):
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            raw = ctx.wrap_socket(raw, server_hostname="localhost")
        self.sock = raw
        self.buf = b""
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if protocol:
            lines.append(f"Sec-WebSocket-Protocol: {protocol}")
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = self._read_until(b"\r\n\r\n").decode("latin-1")
        status = int(head.split(" ", 2)[1]) if head.startswith("HTTP/") else 0
        if status != 101:
            body = b""
            for line in head.split("\r\n"):
                if line.lower().startswith("content-length:"):
                    body = self._read(int(line.split(":", 1)[1]))
            self.close()
            raise HandshakeRefused(status, head, body)
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode())
                                  .digest()).decode()
        if accept.lower() not in head.lower():
            raise AssertionError("bad Sec-WebSocket-Accept")

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _read_until(self, sep):
        while sep not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buf += chunk
        i = self.buf.find(sep)
        if i < 0:
            out, self.buf = self.buf, b""
            return out
        out, self.buf = self.buf[:i + len(sep)], self.buf[i + len(sep):]
        return out

    def send_frame(self, opcode, payload=b"", masked=True, fin=True):
        """One frame as given: a conforming client always masks (masked=False breaks RFC 6455 5.1)."""
        mask = os.urandom(4) if masked else b""
        bit = 0x80 if masked else 0
        head = bytes([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([bit | n])
        elif n < 65536:
            head += bytes([bit | 126]) + struct.pack("!H", n)
        else:
            head += bytes([bit | 127]) + struct.pack("!Q", n)
        if masked:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + payload)

    def send_text(self, text):
        self.send_frame(0x1, text.encode())

    def recv_text(self, timeout=5):
        """The next text message, or None on timeout."""
        self.sock.settimeout(timeout)
        try:
            while True:
                b0, b1 = self._read(2)
                n = b1 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", self._read(2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", self._read(8))[0]
                payload = self._read(n)
                op = b0 & 0x0F
                if op == 0x9:
                    self.send_frame(0xA, payload)
                elif op == 0x8:
                    code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                    raise Closed(code, payload[2:].decode("utf-8", "replace"))
                elif op == 0x1:
                    return payload.decode()
        except (socket.timeout, TimeoutError):
            return None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
