"""A young person's web chat transcript: the one way a message from the service gets into their chat.

The chat's own replies come from the engine through `web.chat.sessions`; everything else said into a chat
(the chat's opening, a worker's reply from the inbox, an invitation to a round held back while an alert was
live, the thank-you when a round closes) is written here, so there is one path whatever says it. It lives
below the web package so that the inbox, rounds and summary can use it without importing the web app.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from .models import ChatSession, Direction, Message

CHANNEL = "webchat"
# `[webchat] session_max_age_days`'s default: how long an unused chat stays open, for callers given no config.
DEFAULT_CHAT_DAYS = 90


def chat_is_open(last_seen_at: datetime, *, now: datetime, max_age: timedelta, left_at: datetime | None = None) -> bool:
    """True while a chat can still be carried on and what is said in it reaches them: used within `max_age`
    (`[webchat] session_max_age_days`), and not left with "Leave this page" (`left_at`, `ChatSession.left_at`: that
    forgot it on its device, so nobody there sees it now). The one rule for an open chat: the inbox's (`web.chat.
    sessions.chat_reach`) and who a round can invite in one (`with_open_chat`). The device that still holds a chat's
    token may carry it on whether or not it was left (`web.chat.sessions.find_chat`): it then reads as open again."""
    return left_at is None and now - last_seen_at <= max_age


def with_open_chat(
    *, session: Session, participant_ids: Collection[int], now: datetime, max_age: timedelta
) -> set[int]:
    """Those of `participant_ids` with a web chat still open (`chat_is_open`): what `say_in_chat` says now
    reaches them. Anyone else would never see it (a chat shows only what was said since it began)."""
    if not participant_ids:
        return set()
    rows = session.exec(
        select(col(ChatSession.participant_id)).where(
            col(ChatSession.participant_id).in_(list(participant_ids)),
            col(ChatSession.last_seen_at) >= now - max_age,
            col(ChatSession.left_at).is_(None),
        )
    ).all()
    return set(rows)


def say_in_chat(
    *,
    session: Session,
    participant_id: int,
    text: str,
    now: datetime,
    key: str | None = None,
    run_id: int | None = None,
    chat_id: int | None = None,
) -> Message:
    """Put a message from the service into the young person's web chat. It is the chat's transcript: an open
    chat page shows it at its next check for news, any other when it is next opened (`web.chat.sessions.news`,
    `resume`), in every chat of theirs that is still open, or only in chat `chat_id` when one is given (a
    chat's own opening). No text, no notification.

    `key`, when given, is kept as the message's provider id so the caller can tell it was already said
    ("invite:<round>:<participant>", "loop:<round>:<participant>"); `run_id` ties an invitation to its run."""
    message = Message(
        direction=Direction.OUT,
        channel=CHANNEL,
        participant_id=participant_id,
        run_id=run_id,
        body=text,
        created_at=now,
        provider_sid=key,
        chat_session_id=chat_id,
    )
    session.add(message)
    return message
