"""Chat invitations: a sealed link that opens a web chat bound to one participant.

The token is the participant's pseudonym and the time it was made, encrypted and authenticated with a key
derived from `app.secret_key` (AES-SIV): nobody who sees the link (on a shared phone, in a screenshot, in a
proxy's log) can read whose it is, nor match it to the pseudonym in an export or a summary, and nobody
without the key can make one. It expires after `webchat.invite_max_age_days`. No table is needed, and an
erased participant's links stop working by themselves.

Links made before tokens were sealed (itsdangerous: readable, signed, with a "." in them) still open until
they expire as they always did.
"""

from __future__ import annotations

import base64
import binascii
import functools
import time

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlmodel import Session, col, select

from ...engine import texts
from ...models import Participant

SALT = "voice-service.chat-invite"
_SEALED = b"voice-service.chat-invite.sealed"
_STAMP = 5  # bytes of the time it was made, in seconds: enough until the year 36812


@functools.lru_cache(maxsize=4)
def _cipher(secret_key: str) -> AESSIV:
    key = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_SEALED).derive(secret_key.encode("utf-8"))
    return AESSIV(key)


def _serializer(config) -> URLSafeTimedSerializer:
    """The readable, signed form of links made before tokens were sealed: read, never made."""
    return URLSafeTimedSerializer(config.app.secret_key, salt=SALT)


def invite_token(config, participant: Participant, *, now: float | None = None) -> str:
    """A sealed token naming this participant, for a chat link (`now`: when it is made, in seconds)."""
    made = int(time.time() if now is None else now)
    plain = made.to_bytes(_STAMP, "big") + participant.pseudonym.encode("utf-8")
    sealed = _cipher(config.app.secret_key).encrypt(plain, [_SEALED])
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")


def invite_link(services, participant_id: int) -> str:
    """The full web chat link to put in an invitation text for this participant."""
    with Session(services.engine) as session:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise LookupError(f"there is no participant {participant_id}")
        token = invite_token(services.config, participant)
    return f"{services.config.app.public_url.rstrip('/')}/chat/{token}"


def participant_for_invite(*, session: Session, config, token: str, now: float | None = None) -> Participant | None:
    """The participant a (valid, unexpired) invite token names, else None."""
    max_age = config.webchat.invite_max_age_days * 24 * 3600
    return _named(session=session, config=config, token=token, max_age=max_age, now=now)


def invite_language(*, session: Session, config, token: str) -> str:
    """The language the page of a chat link that does not work is in: that of the young person it names
    (`texts.chat_page_language`), even when it is too old to open a chat (it was signed here, for them: only its age
    is not checked), else English."""
    named = _named(session=session, config=config, token=token, max_age=None)
    return texts.chat_page_language(named.language) if named is not None else "en"


def _named(
    *, session: Session, config, token: str, max_age: int | None, now: float | None = None
) -> Participant | None:
    """The participant a token made here names, if it is no older than `max_age` seconds (None: any age)."""
    if not token or len(token) > 200:
        return None
    pseudonym = _opened(config, token, max_age, now) if "." not in token else _legacy(config, token, max_age)
    if pseudonym is None:
        return None
    return session.exec(select(Participant).where(col(Participant.pseudonym) == pseudonym)).first()


def _opened(config, token: str, max_age: int | None, now: float | None) -> str | None:
    """The pseudonym a sealed token carries, if it was made with this key and is young enough."""
    try:
        sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        plain = _cipher(config.app.secret_key).decrypt(sealed, [_SEALED])
        pseudonym = plain[_STAMP:].decode("utf-8")
    except (binascii.Error, ValueError, InvalidTag, UnicodeDecodeError):
        return None
    age = (time.time() if now is None else now) - int.from_bytes(plain[:_STAMP], "big")
    if max_age is not None and not -60 <= age <= max_age:  # a minute's grace for clocks a little apart
        return None
    return pseudonym


def _legacy(config, token: str, max_age: int | None) -> str | None:
    """The pseudonym of a link made before tokens were sealed, if it is still good."""
    try:
        pseudonym = _serializer(config).loads(token, max_age=max_age)
    except BadData:
        return None
    return pseudonym if isinstance(pseudonym, str) else None
