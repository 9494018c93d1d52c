"""Chat invitations: a signed link that opens a web chat bound to one participant.

The token is signed with `app.secret_key` (itsdangerous) and carries the participant's
pseudonym, not their id or anything personal; it expires after `webchat.invite_max_age_days`.
No table is needed, and an erased participant's links stop working by themselves.
"""

from __future__ import annotations

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlmodel import Session, col, select

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
    if not token or len(token) > 200:
        return None
    max_age = config.webchat.invite_max_age_days * 24 * 3600
    try:
        pseudonym = _serializer(config).loads(token, max_age=max_age)
    except BadData:
        return None
    if not isinstance(pseudonym, str):
        return None
    return session.exec(select(Participant).where(col(Participant.pseudonym) == pseudonym)).first()
