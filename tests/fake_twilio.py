"""A fake Twilio REST API on loopback, for the real `twilio.rest.Client` to talk to in tests.

It records every message created, checks basic auth, and fails on demand: a queue of
HTTP statuses to answer next (e.g. a 429 storm), and numbers that always fail with a
given Twilio error code (e.g. 21610 opted out).
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token"


@dataclass
class FakeTwilio:
    """The fake API's state: sent messages and what to fail next."""

    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    messages: list[dict] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    failing_numbers: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def to(self, number: str) -> list[dict]:
        """Messages sent to one number, in order."""
        return [m for m in self.messages if m["to"] == number]

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self._handle(request)
        return response(environ, start_response)

    def _handle(self, request: Request) -> Response:
        with self._lock:
            self.requests += 1
            auth = request.authorization
            if auth is None or auth.username != self.account_sid or auth.password != self.auth_token:
                return _error(401, 20003, "Authenticate")
            expected = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
            if request.method != "POST" or request.path != expected:
                return _error(404, 20404, "The requested resource was not found")
            if self.fail_next:
                status = self.fail_next.pop(0)
                return _error(status, 20429 if status == 429 else 20500, "Too Many Requests" if status == 429 else "Server error")
            form = request.form
            to = form.get("To", "")
            if to in self.failing_numbers:
                code = self.failing_numbers[to]
                return _error(400, code, "Attempt to send to unsubscribed recipient" if code == 21610 else "Invalid number")
            if not form.get("Body") or not (form.get("From") or form.get("MessagingServiceSid")):
                return _error(400, 21602, "Message body and From are required")
            sid = f"SM{next(self._ids):032x}"
            message = {
                "sid": sid, "account_sid": self.account_sid, "to": to, "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"), "body": form.get("Body"),
                "status": "queued", "status_callback": form.get("StatusCallback"),
                "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            }
            self.messages.append(message)
            return Response(json.dumps(message), status=201, mimetype="application/json")


def _error(status: int, code: int, message: str) -> Response:
    body = {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    return Response(json.dumps(body), status=status, mimetype="application/json")


class FakeTwilioServer:
    """Runs a FakeTwilio on 127.0.0.1 in a thread; use as a context manager."""

    def __init__(self):
        self.api = FakeTwilio()
        self._server = make_server("127.0.0.1", 0, self.api, threaded=True)
        self.api.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTwilio:
        self._thread.start()
        return self.api

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
