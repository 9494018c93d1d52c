"""A fake Twilio REST API on loopback, for the real `twilio.rest.Client` to talk to in tests.

It records every message created, checks basic auth, and fails on demand: a queue of
HTTP statuses to answer next (e.g. a 429 storm), and numbers that always fail with a
given Twilio error code (e.g. 21610 opted out). It also lists messages (GET
Messages.json with To and DateSent> filters, as the dispatcher's reconciliation asks),
can answer slowly (`latency`), and can accept a message and then answer too late for
the client (`accept_then_hang`), the ambiguous case a time-out leaves.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

from werkzeug.wrappers import Request, Response

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token-0123456789abcdef"  # as long as a real one


@dataclass
class FakeTwilio:
    """The fake API's state: sent messages and what to fail next."""

    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    messages: list[dict] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    failing_numbers: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    list_requests: int = 0
    latency: float = 0.0
    accept_then_hang: int = 0
    hang_seconds: float = 3.0
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def to(self, number: str) -> list[dict]:
        """Messages sent to one number, in order."""
        return [m for m in self.messages if m["to"] == number]

    def outbox_ids(self) -> list[int]:
        """The `?outbox=<id>` of every message's status callback, in order (repeats mean duplicates)."""
        ids = []
        for message in self.messages:
            callback = message.get("status_callback") or ""
            if "outbox=" in callback:
                ids.append(int(callback.rsplit("outbox=", 1)[1].split("&")[0]))
        return ids

    def __call__(self, environ, start_response):
        request = Request(environ)
        if self.latency:
            time.sleep(self.latency)
        response = self._handle(request)
        if getattr(response, "hang", False):
            time.sleep(self.hang_seconds)
        return response(environ, start_response)

    def _list(self, request: Request) -> Response:
        """GET Messages.json: newest first, filtered by To and DateSent> (a date or a date-time)."""
        self.list_requests += 1
        to = request.args.get("To")
        after = request.args.get("DateSent>") or request.args.get("DateSent>=")
        since = None
        if after:
            since = datetime.fromisoformat(after.replace("Z", "+00:00"))
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
        found = [
            m
            for m in reversed(self.messages)
            if (to is None or m["to"] == to) and (since is None or m["_sent"] >= since)
        ]
        page_size = int(request.args.get("PageSize", 50))
        page = [{k: v for k, v in m.items() if not k.startswith("_")} for m in found[:page_size]]
        body = {
            "messages": page,
            "page": 0,
            "page_size": page_size,
            "start": 0,
            "end": len(page),
            "first_page_uri": request.full_path,
            "next_page_uri": None,
            "previous_page_uri": None,
            "uri": request.full_path,
        }
        return Response(json.dumps(body), status=200, mimetype="application/json")

    def _handle(self, request: Request) -> Response:
        with self._lock:
            self.requests += 1
            auth = request.authorization
            if auth is None or auth.username != self.account_sid or auth.password != self.auth_token:
                return _error(401, 20003, "Authenticate")
            expected = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
            if request.method == "GET" and request.path == expected:
                return self._list(request)
            if request.method != "POST" or request.path != expected:
                return _error(404, 20404, "The requested resource was not found")
            if self.fail_next:
                status = self.fail_next.pop(0)
                return _error(
                    status, 20429 if status == 429 else 20500, "Too Many Requests" if status == 429 else "Server error"
                )
            form = request.form
            to = form.get("To", "")
            if to in self.failing_numbers:
                code = self.failing_numbers[to]
                return _error(
                    400, code, "Attempt to send to unsubscribed recipient" if code == 21610 else "Invalid number"
                )
            if not form.get("Body") or not (form.get("From") or form.get("MessagingServiceSid")):
                return _error(400, 21602, "Message body and From are required")
            sid = f"SM{next(self._ids):032x}"
            sent = datetime.now(UTC)
            message = {
                "_sent": sent,
                "date_created": format_datetime(sent, usegmt=True),
                "date_sent": format_datetime(sent, usegmt=True),
                "date_updated": format_datetime(sent, usegmt=True),
                "sid": sid,
                "account_sid": self.account_sid,
                "to": to,
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form.get("Body"),
                "status": "queued",
                "status_callback": form.get("StatusCallback"),
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            }
            self.messages.append(message)
            response = Response(
                json.dumps({k: v for k, v in message.items() if not k.startswith("_")}),
                status=201,
                mimetype="application/json",
            )
            if self.accept_then_hang:
                self.accept_then_hang -= 1
                response.hang = True
            return response


def _error(status: int, code: int, message: str) -> Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return Response(json.dumps(body), status=status, mimetype="application/json")


class _KeepAliveHandler(BaseHTTPRequestHandler):
    """Serves the WSGI app over HTTP/1.1 keep-alive, as Twilio does (werkzeug's server closes every
    connection, which would make the client's connection reuse untestable and the fake slow)."""

    protocol_version = "HTTP/1.1"
    app = None

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        environ = {
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(self.server.server_port),
            "SERVER_PROTOCOL": self.request_version,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(length),
            "wsgi.input": BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": BytesIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "REMOTE_ADDR": self.client_address[0],
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[key] = value
        status_headers: list = []

        def start_response(status, headers, exc_info=None):
            status_headers[:] = [status, headers]

        chunks = b"".join(self.app(environ, start_response))
        status, headers = status_headers
        self.send_response_only(int(status.split()[0]), status.split(" ", 1)[1])
        for name, value in headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(chunks)))
        # Headers and body in one write: two small writes would meet Nagle and delayed ACKs (40 ms each).
        self._headers_buffer.append(b"\r\n" + chunks)
        self.flush_headers()

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    do_GET = do_POST = _serve

    def log_message(self, *args) -> None:
        """No access log: thousands of requests per test would drown the output."""


class FakeTwilioServer:
    """Runs a FakeTwilio on 127.0.0.1 in a thread; use as a context manager."""

    def __init__(self):
        self.api = FakeTwilio()
        handler = type("Handler", (_KeepAliveHandler,), {"app": self.api})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        # A client killed mid-request (the dispatcher crash tests) is expected, not an error to print.
        self._server.handle_error = lambda request, address: None
        self.api.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeTwilio:
        self._thread.start()
        return self.api

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
