"""A web chat link does not say whose it is (a trial finding): the token was itsdangerous's signed JSON, whose
first part decodes to the participant's pseudonym, the id every export and summary row carries. Now it is sealed
(AES-SIV, a key derived from `app.secret_key`): unreadable, unforgeable, and still no table."""

from __future__ import annotations

import base64
import time

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_page import csrf_of
from voice_service.models import Participant
from voice_service.web.chat.invites import SALT, invite_token, participant_for_invite

DAY = 24 * 3600


def _person(services) -> Participant:
    add_participants(services, [{"phone": phone_number(71), "first_name": "Jade"}])
    with Session(services.engine) as session:
        return session.exec(select(Participant)).scalars().one()


def _decodings(token: str) -> bytes:
    """Every part of the token as base64 would read it, run together."""
    said = b""
    for part in token.split("."):
        try:
            said += base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except ValueError:
            continue
    return said


def test_a_chat_link_carries_no_readable_pseudonym_and_still_opens_their_chat(client, services):
    person = _person(services)
    launch(services)
    token = invite_token(services.config, person)
    assert person.pseudonym.encode() not in _decodings(token) and person.pseudonym not in token
    assert len(token) <= 60, "short enough to sit in a text"
    html = client.get(f"/chat/{token}").get_data(as_text=True)
    assert client.post("/chat/start", data={"csrf": csrf_of(html), "invite": token}).status_code == 303
    assert "Hi Jade" in client.get("/chat").get_data(as_text=True)


def test_a_changed_foreign_or_old_link_opens_nothing(services):
    person = _person(services)
    made = 1_900_000_000.0  # the clock is passed in: no test depends on today's date
    token = invite_token(services.config, person, now=made)
    max_age = services.config.webchat.invite_max_age_days * DAY
    other_key = services.config.with_overrides(app={"secret_key": "another-council-" + "k" * 32})
    changed = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    with Session(services.engine) as session:

        def opens(link: str, *, config=services.config, now: float = made + 60) -> bool:
            return participant_for_invite(session=session, config=config, token=link, now=now) is not None

        assert opens(token) and opens(token, now=made + max_age)
        assert not opens(token, now=made + max_age + 1), "too old"
        assert not opens(token, now=made - 3600), "made in the future"
        assert not opens(changed) and not opens(token[:-3]) and not opens("not-a-real-link")
        assert not opens(token, config=other_key), "made with another key"


def test_a_link_made_before_links_were_sealed_still_opens_until_it_expires(services):
    person = _person(services)
    legacy = URLSafeTimedSerializer(services.config.app.secret_key, salt=SALT).dumps(person.pseudonym)
    with Session(services.engine) as session:
        found = participant_for_invite(session=session, config=services.config, token=legacy, now=time.time())
    assert found is not None and found.id == person.id
