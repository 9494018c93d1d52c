"""Store spooled messages once the database is back: in arrival order, each once, through the inbound path.

An SMS is replayed as the signed request it was, through this app's own `/sms/inbound`
(so the signature is checked again, and a tampered spool line is refused); a chat message
goes through `deliver()`, as the chat's routes do. A message already stored (the same
MessageSid, or the chat's client id) is only marked done. A disclosure raises its alert
then, marked `delayed`. For SMS, the replies the young person did not get at the time (the
next question, say) are queued in the outbox, except the help reply, which they already had.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from xml.etree import ElementTree

from sqlmodel import Session, col, select

from ..db import retrying, unavailable
from .guard import REPLAY_FLAG, UNAVAILABLE_HEADER
from .store import Record, Spool

log = logging.getLogger(__name__)

REPLAY_SECONDS = 10.0  # no one is waiting on a replay: give a slow or cold database time


class DatabaseUnavailable(Exception):
    """The database still cannot take messages: stop, keep the rest for next time."""


@dataclass
class ReplayReport:
    """What one replay did."""

    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    pending: int = 0
    busy: bool = False  # another process was replaying
    stopped: bool = False  # the database went away again

    def summary(self) -> str:
        """One line for a person."""
        if self.busy:
            return "another process is replaying the spool; nothing done"
        line = f"stored {self.stored}, already stored {self.duplicates}, failed {self.failed}, waiting {self.pending}"
        return line + (" (stopped: the database is unavailable)" if self.stopped else "")


def replay(services, *, limit: int | None = None, seconds: float = REPLAY_SECONDS) -> ReplayReport:
    """Replay every pending spooled message in arrival order (at most `limit`); safe to run at any time.

    Each message's database work has `seconds` (more than the web's deadline: no one is waiting, and the
    database may be busy just after an outage); if it cannot be done in that time, the replay stops and
    keeps the rest.
    """
    spool = Spool.from_config(services.config)
    report = ReplayReport()
    with spool.replaying() as mine:
        if not mine:
            report.busy = True
            return report
        pending = spool.pending()
        client = _replay_client(services) if any(record.channel == "sms" for record in pending) else None
        for record in pending[:limit]:
            try:
                outcome = (
                    _replay_sms(services, client, record, seconds)
                    if record.channel == "sms"
                    else _replay_chat(services, record, seconds)
                )
            except DatabaseUnavailable:
                report.stopped = True
                break
            except Exception as error:
                if unavailable(error):
                    report.stopped = True
                    break
                # Logged without content: the record stays in the spool file for a person to look at.
                log.error(
                    "spooled message %s could not be replayed (%s); marked failed", record.id, type(error).__name__
                )
                spool.mark_failed(record)
                report.failed += 1
                continue
            spool.mark_done(record)
            if outcome == "stored":
                report.stored += 1
            else:
                report.duplicates += 1
        spool.compact()
        report.pending = spool.depth().pending
    if report.stored or report.failed or report.stopped:
        log.info("spool replay: %s", report.summary())
    return report


def _replay_client(services):
    from ..web import create_app

    app = create_app(services=services)
    return app.test_client()


def _stored(services, channel: str, sid: str):
    from ..models import Direction, Message

    with Session(services.engine) as session:
        return (
            session.exec(
                select(Message).where(
                    col(Message.channel) == channel,
                    col(Message.provider_sid) == sid,
                    col(Message.direction) == Direction.IN,
                )
            )
        ).first()


def _replay_sms(services, client, record: Record, seconds: float) -> str:
    from werkzeug.datastructures import MultiDict

    data = record.data
    form = MultiDict([(key, value) for key, value in data["form"]])
    sid = form.get("MessageSid") or form.get("SmsSid")
    if not sid:
        raise ValueError("spooled SMS without a MessageSid")
    if retrying(lambda: _stored(services, "sms", sid), seconds=seconds) is not None:
        return "duplicate"
    environ = {REPLAY_FLAG: str(seconds)}
    response = client.post(
        data["path"],
        query_string=data["query"] or None,
        data=form,
        headers={"X-Twilio-Signature": data["signature"]},
        environ_overrides=environ,
    )
    if response.status_code == 503 and response.headers.get(UNAVAILABLE_HEADER):
        raise DatabaseUnavailable
    if response.status_code != 200:
        raise ValueError(f"replayed webhook answered {response.status_code}")
    replies = [element.text or "" for element in ElementTree.fromstring(response.data).iter("Message")]
    retrying(lambda: _after_sms(services, record, sid, replies), seconds=seconds)
    return "stored"


def _after_sms(services, record: Record, sid: str, replies: list[str]) -> None:
    """Mark the alert delayed and queue the replies the young person has not had."""
    from ..engine.texts import is_disclosure_reply
    from ..models import Alert, Direction, Message, OutboxKind, Participant
    from ..outbox.queue import enqueue

    with Session(services.engine, expire_on_commit=False) as session:
        message = (
            session.exec(
                select(Message).where(
                    col(Message.channel) == "sms",
                    col(Message.provider_sid) == sid,
                    col(Message.direction) == Direction.IN,
                )
            )
        ).first()
        if message is None:
            return
        _mark_delayed(session, Alert, message.id)
        participant = session.get(Participant, message.participant_id) if message.participant_id else None
        if participant is not None and participant.phone_encrypted:
            for number, reply in enumerate(replies):
                if is_disclosure_reply(reply):  # they had the help reply when the message was spooled
                    continue
                enqueue(
                    session=session,
                    vault=services.vault,
                    key=f"spool:{record.id}:{number}",
                    kind=OutboxKind.REPLY,
                    body=reply,
                    participant=participant,
                )
        session.commit()


def _mark_delayed(session: Session, alert_model, message_id: int | None) -> None:
    if message_id is None:
        return
    for alert in session.exec(select(alert_model).where(col(alert_model.message_id) == message_id)):
        alert.delayed = True


def _replay_chat(services, record: Record, seconds: float) -> str:
    from ..models import Alert
    from ..web.chat.sessions import deliver, find_chat

    data = record.data
    turn = retrying(
        lambda: deliver(services=services, token=data["token"], text=data["text"], client_id=data["client_id"]),
        seconds=seconds,
    )
    if turn is None:
        raise ValueError("the chat had ended")
    if turn.duplicate:
        return "duplicate"

    def mark() -> None:
        with Session(services.engine) as session:
            chat = find_chat(session=session, config=services.config, token=data["token"])
            if chat is not None:
                message = _stored(services, "webchat", f"chat{chat.id}:{data['client_id']}")
                _mark_delayed(session, Alert, message.id if message is not None else None)
            session.commit()

    retrying(mark, seconds=seconds)
    return "stored"
