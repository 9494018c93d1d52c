"""A person's messages in the inbound spool (kept on disk while the database was down).

Subject access lists them; erasure removes those already stored or given up on, and refuses
while any still waits, because a waiting message has not been screened for risk yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..spool.store import Record, Spool
from .phones import InvalidPhone, normalise_phone


class SpooledMessagesWaiting(Exception):
    """Messages from this person wait in the spool, unscreened: store them before erasing."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            f"{count} message(s) from this person wait in the inbound spool and have not been screened yet: "
            "store them first (`voice-service spool replay`, once the database is reachable), then erase"
        )


@dataclass
class Spooled:
    """One spooled record about the person and where it stands: pending, done (stored) or failed."""

    record: Record
    state: str

    def as_dict(self) -> dict:
        """For a subject access export: when, which channel, where it stands, and what they wrote."""
        return {
            "received_at": self.record.received_at.isoformat(),
            "channel": self.record.channel,
            "state": self.state,
            "text": self.record.text,
        }


def _sender(record: Record) -> str | None:
    try:
        return normalise_phone(record.form().get("From", ""))
    except InvalidPhone:
        return None


def spooled_for(spool: Spool, *, phone: str | None, chat_token_hashes: set[str]) -> list[Spooled]:
    """The spool's records from this number (SMS) or these chats (web chat), with their state."""
    from ..web.chat.sessions import hash_token

    records, _ = spool.records()
    if not records:
        return []
    done, failed = spool.finished()
    found = []
    for record in records:
        if record.channel == "sms":
            mine = phone is not None and _sender(record) == phone
        else:
            token = record.data.get("token")
            mine = isinstance(token, str) and hash_token(token) in chat_token_hashes
        if mine:
            state = "done" if record.id in done else "failed" if record.id in failed else "pending"
            found.append(Spooled(record, state))
    return found


def forget_spooled(spool: Spool, found: list[Spooled]) -> int:
    """Remove the person's spooled records; refuses (SpooledMessagesWaiting) while any is pending."""
    waiting = [item for item in found if item.state == "pending"]
    if waiting:
        raise SpooledMessagesWaiting(len(waiting))
    return spool.remove({item.record.id for item in found})
