"""Chat invitations: a signed link that opens a web chat bound to one participant.

The token is signed with `app.secret_key` (itsdangerous) and carries the participant's
pseudonym, not their id or anything personal; it expires after `webchat.invite_max_age_days`.
No table is needed, and an erased participant's links stop working by themselves.
"""

from __future__ import annotations

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlmodel import Session, col, select

from ...engine import texts
from ...models import Participant

SALT = "voice-service.chat-invite"


def _serializer(config) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config.app.secret_key, salt=SALT)


def invite_token(config, participant: Participant) -> str:
    """A signed token naming this participant, for a chat link."""
    return _serializer(config).dumps(participant.pseudonym)


def invite_link(services, participant_id: int) -> str:
    """The full web chat link to put in an invitation text for this participant."""
    with Session(services.engine) as session:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise LookupError(f"there is no participant {participant_id}")
        token = invite_token(services.config, participant)
    return f"{services.config.app.public_url.rstrip('/')}/chat/{token}"


def participant_for_invite(*, session: Session, config, token: str) -> Participant | None:
    """The participant a (valid, unexpired) invite token names, else None."""
    return _named(session=session, config=config, token=token, max_age=config.webchat.invite_max_age_days * 24 * 3600)


def invite_language(*, session: Session, config, token: str) -> str:
    """The language the page of a chat link that does not work is in: that of the young person it names
    (`texts.chat_page_language`), even when it is too old to open a chat (it was signed here, for them: only its age
    is not checked), else English."""
    named = _named(session=session, config=config, token=token, max_age=None)
    return texts.chat_page_language(named.language) if named is not None else "en"


def _named(*, session: Session, config, token: str, max_age: int | None) -> Participant | None:
    """The participant a token signed here names, if it is no older than `max_age` seconds (None: any age)."""
    if not token or len(token) > 200:
        return None
    try:
        pseudonym = _serializer(config).loads(token, max_age=max_age)
    except BadData:
        return None
    if not isinstance(pseudonym, str):
        return None
    return session.exec(select(Participant).where(col(Participant.pseudonym) == pseudonym)).first()
