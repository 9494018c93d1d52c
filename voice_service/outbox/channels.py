"""What every sender shares: the message handed to it, how it fails, and the interface it implements.

One sender per channel (sms, email, webhook). Each raises `TransientFailure` (worth another
go later) or `PermanentFailure` (will never work for this destination). `find_sent` answers
"did an earlier, interrupted attempt already reach the provider?" so that a row is
reconciled instead of sent twice; a channel with no such look-up answers [] (a repeated
alert email or webhook is harmless, a repeated text to a young person is not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

# Twilio error codes for a number that cannot take texts: stop messaging it.
INVALID_NUMBER_CODES = frozenset({21211, 21214, 21217, 21219, 21408, 21612, 21614})
OPTED_OUT_CODES = frozenset({21610})
# Codes that will never succeed on retry for this number; any other 4xx (a bad token, a
# misconfigured sender) is our mistake to fix, so the message waits rather than failing.
PERMANENT_ERROR_CODES = INVALID_NUMBER_CODES | OPTED_OUT_CODES | {21606, 30003, 30005, 30006}


def blocking_keyword(code: int | str | None) -> str | None:
    """The opt-out register entry a provider error code means for the number: "carrier", "invalid" or None."""
    try:
        number = int(code) if code is not None else None
    except ValueError:
        return None
    if number in OPTED_OUT_CODES:
        return "carrier"
    if number in INVALID_NUMBER_CODES:
        return "invalid"
    return None


class TransientFailure(Exception):
    """Worth retrying later (429, 5xx, time-outs, a mail server that is down).

    `status` is the provider's HTTP status when it answered; `answered` is False when no
    answer came back (a time-out), so the message may have been accepted after all.
    """

    def __init__(self, message: str, *, status: int | None = None, answered: bool = False):
        super().__init__(message)
        self.status = status
        self.answered = answered


class PermanentFailure(Exception):
    """Will not succeed for this destination (invalid, unreachable, opted out at the carrier, refused)."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code

    @property
    def blocks(self) -> str | None:
        """ "carrier" or "invalid" when the number itself must not be messaged again, else None."""
        return blocking_keyword(self.code)


@dataclass(frozen=True)
class AlertFacts:
    """What an alert notice may say about its alert: ids, categories, priority, channel, when it was
    raised and whether out of hours; never what was said and never a phone number. `id` is None for an early
    notice (`spool.early`: the alert is raised once the database is back)."""

    id: int | None
    attempt: int | None
    categories: tuple[str, ...]
    priority: str
    channel: str | None = None
    raised_at: datetime | None = None
    out_of_hours: bool = False
    delayed: bool = False
    early_notice: bool = False  # the duty routes had an early notice of it while the database was unavailable


@dataclass(frozen=True)
class Attachment:
    """A file attached to an email, read from `path` when the email is sent."""

    path: str
    filename: str
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Outgoing:
    """One outbox row, decrypted and ready for its channel's sender."""

    outbox_id: int
    kind: str
    to: str
    body: str
    subject: str | None = None
    html_body: str | None = None
    attachments: tuple[Attachment, ...] = ()
    alert: AlertFacts | None = None


@dataclass(frozen=True)
class Sent:
    """What a sender reports back: the provider's id for the message, when it has one."""

    provider_id: str | None = None
    extra: dict = field(default_factory=dict)


class Sender(Protocol):
    """One channel's way out."""

    channel: str

    def send(self, message: Outgoing) -> Sent:
        """Send one message; raise TransientFailure or PermanentFailure."""
        ...

    def find_sent(self, message: Outgoing, since: datetime) -> list[str]:
        """Provider ids of copies of this message already accepted since `since`, oldest first ([] if unknown)."""
        ...

    def close(self) -> None:
        """Release connections held between sends (called after each batch)."""
        ...
