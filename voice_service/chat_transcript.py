"""A young person's web chat transcript: the one way a message from the service gets into their chat.

The chat's own replies come from the engine through `web.chat.sessions`; everything else said into a chat
(the chat's opening, a worker's reply from the inbox, an invitation to a round held back while an alert was
live, the thank-you when a round closes) is written here, so there is one path whatever says it. It lives
below the web package so that the inbox, rounds and summary can use it without importing the web app.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from .models import Direction, Message

CHANNEL = "webchat"


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
