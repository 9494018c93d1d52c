"""The SMS webhook's lean edge: an ordinary text to `POST /sms/inbound` answered without Flask's request machinery.

A text is the service's commonest request, and Flask's own work on each request (its request and
app contexts, the session, the before- and after-request hooks, the response object, werkzeug's
form parser) cost the workers about as much CPU as the rest of the webhook's edge. This WSGI
layer sits directly around the Flask app (inside ProxyFix and the security headers, so the
answer carries them) and answers an ordinary text itself through the same code as the route:
the request limits (`limits.twilio_form_refusal`), the signature check (`routes.signature_ok`),
the text's handling (`routes.take_text`: the checks, `inbound.receive`, one retried
transaction), the database deadline with its retries (`spool.guard.InboundDeadline`), the spool when the
database cannot take it (`spool.guard.hold`) and the TwiML (`routes.twiml_text`).

Anything else goes to the Flask app as it came, for its canonical answer: another path, method or
content type, a query string, a body over the app's limit or not UTF-8, a field beyond the limits,
a missing or wrong signature, a missing MessageSid or a From we cannot reply to, and any error in
handling other than the database being unavailable. (The failed transaction committed nothing, and a
message is stored once by its MessageSid, so running it again there is safe.)
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from werkzeug.datastructures import MultiDict

from ...db import unavailable
from ...spool.guard import hold, inbound_deadline, sms_record
from ..limits import twilio_form_refusal
from .routes import BadWebhook, TakenSid, signature_ok, take_text, twiml_text

log = logging.getLogger(__name__)

PATH = "/sms/inbound"
FORM_TYPE = "application/x-www-form-urlencoded"
XML = "application/xml; charset=utf-8"


class FastInbound:
    """WSGI middleware: ordinary texts to `/sms/inbound` answered here, everything else by `app` (Flask's)."""

    def __init__(self, app: Callable, flask_app):
        self.app = app
        self.flask_app = flask_app
        self.services = flask_app.extensions["voice"]
        self.deadline = inbound_deadline(flask_app)  # the guarded views' own: one per app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") != "POST"
            or environ.get("QUERY_STRING")
            or environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() != FORM_TYPE
        ):
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return self.app(environ, start_response)
        if not 0 <= length <= (self.flask_app.config.get("MAX_CONTENT_LENGTH") or length):
            return self.app(environ, start_response)
        raw = environ["wsgi.input"].read(length)
        answer = self._answer(raw, environ.get("HTTP_X_TWILIO_SIGNATURE", ""))
        if answer is None:
            environ["wsgi.input"] = io.BytesIO(raw)  # Flask reads the body as it came
            return self.app(environ, start_response)
        status, content_type, body = answer
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    def _answer(self, raw: bytes, signature: str) -> tuple[str, str, bytes] | None:
        """(status, content type, body) for an ordinary text; None for anything the Flask app should answer."""
        try:
            pairs = form_pairs(raw.decode())
        except UnicodeDecodeError:
            return None
        # A plain dict when no field comes twice (a webhook's own): its look-ups are the dict's own, where a
        # MultiDict's are Python calls; werkzeug's MultiDict (the first value of each) when one does.
        form: dict[str, str] | MultiDict = dict(pairs)
        if len(form) != len(pairs):
            form = MultiDict(pairs)
        if twilio_form_refusal(form) is not None or not signature_ok(self.services, PATH, form, signature):
            return None
        try:
            result = self.deadline.run(lambda: take_text(self.services, form))
        except BadWebhook:
            return None
        except TakenSid as refused:  # as the route answers it (`routes.plain_error`), without running it again
            return "409 CONFLICT", "text/plain; charset=utf-8", (refused.description or "").encode()
        except Exception as error:
            if not unavailable(error):
                # Nothing was committed: the Flask app runs it again and gives (and logs) its own answer.
                log.warning("lean SMS edge handed a text to the Flask app after %s", type(error).__name__)
                return None
            fields = form.items(multi=True) if isinstance(form, MultiDict) else form.items()
            record = sms_record(PATH, "", [[key, value] for key, value in fields], signature)
            spool = self.flask_app.extensions["voice_spool"]
            replies = hold("sms", spool, record, form.get("Body", ""), self.services, error)
            if replies is None:  # neither stored nor spooled (and not worrying): as the Flask app answers it
                return "503 SERVICE UNAVAILABLE", "text/html; charset=utf-8", b"Service Unavailable"
            return "200 OK", XML, twiml_text(replies).encode()
        return "200 OK", XML, twiml_text(result.replies).encode()


def form_pairs(body: str) -> list[tuple[str, str]]:
    """The fields of a form body, as werkzeug's form parser reads them: `parse_qsl(body, keep_blank_values=True,
    errors="werkzeug.url_quote")`, pair for pair, with a field without `%` taken as it is (most of a webhook's:
    parse_qsl's calls for each field cost the edge more than its signature check)."""
    pairs = []
    for field in body.split("&"):
        if field:
            name, _, value = field.partition("=")
            pairs.append((_unquoted(name), _unquoted(value)))
    return pairs


def _unquoted(part: str) -> str:
    part = part.replace("+", " ")
    return unquote(part, errors="werkzeug.url_quote") if "%" in part else part


def install(app) -> None:
    """Put the lean edge directly around the Flask app (call before any other WSGI middleware)."""
    app.wsgi_app = FastInbound(app.wsgi_app, app)
