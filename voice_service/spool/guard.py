"""The inbound views, guarded: a deadline on the database, retries, and the spool when it cannot take a message.

`install(app)` wraps the views that receive a young person's words (the SMS webhook, the
chat API's send, the chat's no-JavaScript form). Each runs whole under
`db.retrying(seconds=[spool] deadline_seconds)` (`InboundDeadline`: while the database is failing, one message
at a time tries it, with a shorter deadline, and the rest are spooled at once). When the database cannot take the
message, the request is appended to the spool and the sender gets a holding reply, or, if the
screen (which needs no database) finds a risk, the help reply alone, worded for the office's hours
as on the normal path, and the duty team is told at once by the early notice (`early`), which needs no
database either. Nothing is lost and nothing is half-written: the view's transaction never
committed.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, jsonify, render_template_string, request
from twilio.twiml.messaging_response import MessagingResponse

from ..db import DatabaseSuspect, retrying, unavailable
from ..engine import texts
from ..inbound.office import disclosure_reply
from ..models import utcnow
from .store import Spool, SpoolError

log = logging.getLogger(__name__)

T = TypeVar("T")

# While the database is failing, a web worker lets one inbound message at a time find out whether it is back,
# and that one waits at most this long for it (never longer than `[spool] deadline_seconds`); the others are
# spooled at once, without trying it. That lasts from a message it could not take until one it takes, or until
# `SUSPECT_FOR_SECONDS` have passed since the last it could not. A frozen database otherwise kept each of the
# workers' threads for the whole deadline, one message at a time: `serve`'s 2 workers of 8 threads spooled 16
# texts every 3 s, and a burst beyond that waited in the queue, towards Twilio's 15 s. With a shorter deadline
# alone, 16 every second, and fewer threads fewer. With this, a burst is spooled as fast as it comes, whatever the
# number of threads, while the database is still tried about once a second. A healthy database takes a text in
# milliseconds, so the first message after it came back is stored as usual and ends the window.
SUSPECT_DEADLINE_SECONDS = 1.0
SUSPECT_FOR_SECONDS = 30.0

# Plain words for a young person, one SMS segment, and true in both channels.
HOLDING_REPLY = "Thanks, we got your message. Things are slow here right now, so we'll read it soon."

# endpoint -> how its request is read
GUARDED = {"sms.inbound": "sms", "chat_api.post_message": "webchat", "chat.send_form": "webchat_form"}

_HELD_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Message received</title></head>
<body><main>{% for text in replies %}<p>{{ text }}</p>{% endfor %}
<p><a href="/chat">Back to the chat</a></p></main></body></html>"""


class InboundDeadline:
    """How an inbound message's database work is run in this process (`db.retrying`'s deadline, and a circuit
    breaker): with `seconds` ([spool] deadline_seconds) while the database is well; while it is failing (above),
    by one message at a time, with `SUSPECT_DEADLINE_SECONDS`, the others raising `db.DatabaseSuspect` at once
    (to be spooled). One per app, shared by its threads and by every inbound way in (the SMS webhook's lean edge
    and the guarded views); `clock` is monotonic seconds."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self._failed_at: float | None = None  # when the database last could not take a message, until one it took
        self._probing = False  # a message is trying the failing database now
        self._lock = threading.Lock()

    def suspect(self) -> bool:
        """The database could not take a message less than `SUSPECT_FOR_SECONDS` ago, and has taken none since."""
        failed = self._failed_at
        return failed is not None and self.clock() - failed < SUSPECT_FOR_SECONDS

    def run(self, work: Callable[[], T]) -> T:
        """`work` (one whole transaction) under `db.retrying` with the deadline it gets now; an error the
        database being unavailable caused is raised as it came, and makes the database suspect. While it is
        suspect and another message is trying it, `DatabaseSuspect` is raised without running `work`."""
        with self._lock:
            probe = self.suspect()
            if probe and self._probing:
                raise DatabaseSuspect("the database is failing, and another message is trying it")
            if probe:
                self._probing = True
        try:
            result = retrying(work, seconds=min(self.seconds, SUSPECT_DEADLINE_SECONDS) if probe else self.seconds)
        except Exception as error:
            if unavailable(error):
                self._failed_at = self.clock()
            raise
        finally:
            if probe:
                with self._lock:
                    self._probing = False
        self._failed_at = None
        return result


def inbound_deadline(app: Flask) -> InboundDeadline:
    """The app's `InboundDeadline` (made on first use)."""
    found = app.extensions.get("voice_inbound_deadline")
    if found is None:
        found = InboundDeadline(app.extensions["voice"].config.spool.deadline_seconds)
        app.extensions["voice_inbound_deadline"] = found
    return found


def install(app: Flask) -> None:
    """Guard this app's inbound views and keep its spool in `app.extensions["voice_spool"]`."""
    services = app.extensions["voice"]
    spool = Spool.from_config(services.config)
    app.extensions["voice_spool"] = spool
    budget = inbound_deadline(app)
    for endpoint, kind in GUARDED.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = _guarded(view, kind, spool, budget, services)


def _guarded(view: Callable, kind: str, spool: Spool, budget: InboundDeadline, services) -> Callable:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any):
        try:
            return budget.run(lambda: view(*args, **kwargs))
        except Exception as error:
            if not unavailable(error):
                raise
            return _hold(kind, spool, kwargs, services, error)

    return guarded


def hold(kind: str, spool: Spool, data: dict, text: str, services, error: BaseException) -> list[str] | None:
    """Spool a message the database could not take (`error`); the replies to answer it with: the holding reply,
    or the help reply alone if it is worrying. None when it could not be spooled either and is not worrying."""
    log.warning("database unavailable (%s): spooling an inbound %s message", type(error).__name__, kind)
    risky, screen = _screened(text, services.conversations_dir)
    # A disclosure gets the help reply first and alone (issue 10 section 4), never "we'll read it soon" twice,
    # in the words for someone whose age is not known: with no database their age cannot be looked up.
    channel = "sms" if kind == "sms" else texts.WEBCHAT
    help_reply = texts.for_person(disclosure_reply(services.config, utcnow()), channel, adult=None)
    replies = [help_reply] if risky else [HOLDING_REPLY]
    try:
        record = spool.append("sms" if kind == "sms" else "webchat", data, worrying=risky)
        if risky:
            # Its alert waits for the database; the duty team is told at once by the early notice (`early`), which
            # needs none. Said at ERROR too, without a word of it, so a log monitor can page someone (/healthz
            # counts it, and how many no route has heard of).
            log.error(
                "a spooled %s message is worrying (help reply sent): early notice to the duty team; its alert "
                "waits for the database",
                kind,
            )
            _tell_early(services, spool, record, screen)
    except SpoolError as error:
        log.error("inbound %s message could neither be stored nor spooled (%s)", kind, error.strerror)
        if not risky:
            return None
        # Lost either way; the help reply at least reaches someone who may need it now.
    return replies


def sms_record(path: str, query: str, form: list[list[str]], signature: str) -> dict:
    """What the replayer needs to run an SMS webhook again: the signed request as it came, less the addresses
    of any pictures it carried (MediaUrl0...: they may show the person; NumMedia keeps their number). The
    replay does not check the signature again (it was checked as the text came in)."""
    kept = [pair for pair in form if not pair[0].startswith("MediaUrl")]
    return {"path": path, "query": query, "form": kept, "signature": signature}


def _hold(kind: str, spool: Spool, kwargs: dict, services, error: BaseException) -> Response | tuple:
    """Spool this request and answer it with the holding reply, or the help reply alone if it is worrying."""
    data, text = _request_record(kind, kwargs)
    replies = hold(kind, spool, data, text, services, error)
    if replies is None:
        return Response("Service Unavailable", status=503)
    if kind == "sms":
        twiml = MessagingResponse()
        for reply in replies:
            twiml.message(reply)
        return Response(str(twiml), mimetype="application/xml")
    if kind == "webchat":
        response = jsonify(
            messages=[{"from": "service", "text": reply} for reply in replies],
            quick_replies=[],
            duplicate=False,
            held=True,
        )
        response.status_code = 202
        return response
    return Response(render_template_string(_HELD_PAGE, replies=replies), mimetype="text/html")


def _request_record(kind: str, kwargs: dict) -> tuple[dict, str]:
    """What the replayer needs to run this request again, and the message text (to screen now)."""
    if kind == "sms":
        data = sms_record(
            request.path,
            request.query_string.decode("latin-1"),
            [[key, value] for key, value in request.form.items(multi=True)],
            request.headers.get("X-Twilio-Signature", ""),
        )
        return data, request.form.get("Body", "")
    from ..web.chat.security import CHAT_COOKIE, CLIENT_ID, clean_text

    if kind == "webchat":
        body = request.get_json(silent=True) or {}
        token, raw, client_id = kwargs.get("token"), body.get("text"), body.get("id")
    else:
        token, raw, client_id = request.cookies.get(CHAT_COOKIE), request.form.get("text"), request.form.get("id")
    # The view checked these before it reached the database, so they are valid here.
    text = clean_text(raw)
    if not (isinstance(client_id, str) and CLIENT_ID.match(client_id)):
        # An id of our own, so the replay is stored once however often it is tried.
        client_id = "spool-" + secrets.token_hex(12)
    return {"token": token, "text": text, "client_id": client_id}, text


def _tell_early(services, spool: Spool, record, screen) -> None:
    """The early notice of a worrying spooled record (`early.start`); a fault in it never costs the help reply."""
    from . import early

    try:
        early.start(services, spool, record, screen)
    except Exception:
        log.exception("early notice of spooled message %s could not be started", record.id)


def _screened(text: str, directory: Path):
    """Whether the text is worrying, and the screen's result (None when the screen failed: then worrying)."""
    from .. import analysis

    try:
        screen = analysis.screen(text, directory=directory)
        # Text flagged only for its language gets the holding reply: a person reads it once it is stored.
        return screen.risk and not analysis.unread(screen), screen
    except Exception:  # never let a fault in the screen cost someone the help reply
        log.exception("safeguarding screen failed on a spooled message; sending the help reply")
        return True, None


def _risky(text: str, directory: Path) -> bool:
    return _screened(text, directory)[0]
