"""Texts to a young person that did not reach them, found for the pages workers read: beside the message in their
conversation, and on the alert when it was a reply after a disclosure (the duty worker must know the help did
not arrive).

A text to a young person in their conversation is kept twice: the `Message` row is the thread's copy, the outbox
row is what is sent, and only the outbox row learns that it failed: Twilio refused it (they opted out at the
carrier, 21610; a number that cannot take texts) or reported it undelivered, or it was never sent (they had opted
out before it went). No column joins the two, so `failed_texts` finds each failed row's message the way it was
written: a reply the spool's replay queued (`inbound.writes.replayed_key`) is the first text with its words after
the message it answers; any other (a worker's reply) the latest text with its words from before it was queued.

Only replies are in a conversation by text and through the outbox: the replies the service gives at once are the
answer to Twilio's webhook, whose fate Twilio does not report back, and survey texts are not kept as messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ...inbound.writes import replayed_key
from ...models import Direction, Message, OutboxKind, OutboxMessage, OutboxStatus, as_utc
from ...outbox.channels import blocking_keyword

SMS = "sms"
NOT_ARRIVED = (OutboxStatus.FAILED, OutboxStatus.CANCELLED)
_REPLAYED = replayed_key("", 0).removesuffix(":0")  # the replay's keys are "<this><MessageSid>:<n>"
# `outbox.dispatch.UNCONFIRMED` (Twilio never answered, and no copy was found), not imported: the dashboard
# does not load the dispatcher and its senders.
UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class FailedText:
    """One text to them that did not reach them, and why, in a worker's words."""

    status: str  # OutboxStatus.FAILED or CANCELLED
    error_code: str | None
    error_message: str | None

    @property
    def label(self) -> str:
        """The tag beside the text: "Not delivered", "Not sent" or "May not have arrived"."""
        if self.status == OutboxStatus.CANCELLED or not self.error_code:
            return "Not sent"
        return "May not have arrived" if self.error_code == UNCONFIRMED else "Not delivered"

    @property
    def reason(self) -> str:
        """Why, in a sentence or two: "They have blocked texts from us (they sent STOP). ..." """
        if self.status == OutboxStatus.CANCELLED:
            # Why the outbox cancelled it: "opted out" (they had, when it was due), or "number carrier" or
            # "number invalid" (`outcomes.block_number`, when Twilio refused another text to them).
            if self.error_message == "number invalid":
                return "Their phone number cannot get texts."
            if self.error_message in ("opted out", "number carrier"):
                return "They had stopped texts from us before it went."
            return "It was stopped before it went."
        keyword = blocking_keyword(self.error_code)
        if keyword == "carrier":
            return "They have blocked texts from us (they sent STOP). Texts reach them again only if they text START."
        if keyword == "invalid":
            return "Their phone number cannot get texts."
        if self.error_code == UNCONFIRMED:
            return "The text service did not confirm it was sent."
        if not self.error_code:
            return "The text service could not send it."
        return "The phone network could not deliver it."


def failed_texts(*, session: Session, participant_id: int, messages: list[Message]) -> dict[int, FailedText]:
    """Of `messages` (their conversation, or part of it), the texts from us that did not reach them, by message id
    in the conversation's order."""
    shown = {m.id for m in messages if m.direction == Direction.OUT and m.channel == SMS and m.id is not None}
    if not shown:
        return {}
    bodies = {m.body for m in messages if m.id in shown}
    rows = session.exec(
        select(OutboxMessage).where(
            col(OutboxMessage.participant_id) == participant_id,
            col(OutboxMessage.channel) == SMS,
            col(OutboxMessage.kind) == OutboxKind.REPLY,
            col(OutboxMessage.body).in_(bodies),
        )
    ).all()
    if not any(row.status in NOT_ARRIVED for row in rows):
        return {}
    # Every text of theirs with those words, not only those shown: a row is matched to its own message even when
    # that one is outside the part of the conversation on the page, never to another with the same words.
    sent = list(
        session.exec(
            select(Message)
            .where(
                col(Message.participant_id) == participant_id,
                col(Message.direction) == Direction.OUT,
                col(Message.channel) == SMS,
                col(Message.body).in_(bodies),
            )
            .order_by(col(Message.id))
        ).all()
    )
    taken: dict[int, OutboxMessage] = {}
    for row in sorted(rows, key=lambda row: (not row.key.startswith(_REPLAYED), _queued(row), row.id or 0)):
        sid = answered_sid(row.key)
        message = _replayed_message(session, sid, row, sent, taken) if sid else None
        if message is None:
            bound = _queued(row)
            earlier = [m for m in sent if m.id not in taken and m.body == row.body and as_utc(m.created_at) <= bound]
            message = earlier[-1] if earlier else None
        if message is not None and message.id is not None:
            taken[message.id] = row
    return {
        message_id: FailedText(row.status, row.error_code, row.error_message)
        for message_id, row in sorted(taken.items())
        if message_id in shown and row.status in NOT_ARRIVED
    }


def _queued(row: OutboxMessage) -> datetime:
    """The latest moment its message can have been written: a reply is kept and queued together, and may be
    held (`not_before`) for later, never sent earlier."""
    return max(as_utc(row.created_at), as_utc(row.not_before))


def answered_sid(key: str) -> str | None:
    """The MessageSid of the text a reply the spool's replay queued answers (`replayed_key`), else None."""
    if not key.startswith(_REPLAYED):
        return None
    return key.removeprefix(_REPLAYED).rpartition(":")[0] or None


def _replayed_message(
    session: Session, sid: str, row: OutboxMessage, sent: list[Message], taken: dict[int, OutboxMessage]
) -> Message | None:
    """A replayed reply's own message: the first text with its words after the text it answers (by MessageSid)."""
    answered = session.exec(
        select(col(Message.id)).where(
            col(Message.channel) == SMS,
            col(Message.provider_sid) == sid,
            col(Message.direction) == Direction.IN,
        )
    ).first()
    if answered is None:
        return None
    after = [m for m in sent if m.id is not None and m.id > answered and m.id not in taken and m.body == row.body]
    return after[0] if after else None
