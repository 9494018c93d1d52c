"""Tester finding: the young people's "You said, we did" page said "Just send us a text" with no number. As the
front page does (`web.front.number_to_text`), it gives the number to text when the council has one, and
otherwise only the chat link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from tests.conftest import make_config
from tests.factories import launch
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import Round
from voice_service.web import create_app

OPENED = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def _tell_us_more(services) -> str:
    """The page's "Tell us more" words, as a young person reads them (tags taken out)."""
    round_id = launch(services, now=OPENED)
    with session_scope(services.engine) as session:
        token = session.execute(select(Round.public_token).where(Round.id == round_id)).scalar_one()
    html = create_app(services=services).test_client().get(f"/r/{token}").get_data(as_text=True)
    found = re.search(r'<p id="tell-us-more">(.*?)</p>', html, re.S)
    assert found, "no Tell us more words"
    return found.group(1)


def test_the_page_gives_the_number_to_text_when_the_council_has_one(database_url):
    services = Services.from_config(make_config(database_url, sms={"provider": "twilio"}))
    try:
        said = _tell_us_more(services)
    finally:
        services.engine.dispose()
    assert 'send us a text on <a href="sms:+447700900000">+447700900000</a>' in said
    assert 'or <a href="/chat">chat with us</a>' in said


def test_without_a_number_the_page_offers_only_the_chat(database_url):
    services = Services.from_config(make_config(database_url))  # the console: nothing is texted
    try:
        said = _tell_us_more(services)
    finally:
        services.engine.dispose()
    assert "text" not in said
    assert re.sub(r"<[^>]+>", "", said) == "You can tell us more at any time. Just chat with us."
