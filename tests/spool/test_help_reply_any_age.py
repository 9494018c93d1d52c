"""While the database cannot take a disclosure, the spooled help reply is in the words for someone whose age is not
known: the number cannot be looked up, so Samaritans as well as Childline, with who Childline is for, as the normal
path says to a new number (trial 3, F24: it gave the under-18 wording, pointing a care leaver of 19 to Childline)."""

from __future__ import annotations

import pytest

from tests.conftest import make_config
from tests.factories import phone_number
from tests.spool.test_deadline_cut import Blocker, Texter, replies
from voice_service import analysis
from voice_service.context import Services
from voice_service.engine import texts
from voice_service.inbound.office import disclosure_reply
from voice_service.models import utcnow
from voice_service.spool.replay import replay
from voice_service.web import create_app


@pytest.fixture
def slow_services(database_url):
    config = make_config(database_url, spool={"deadline_seconds": 1.0})
    services = Services.from_config(config)
    analysis.warm_up(services.conversations_dir)
    yield services
    services.engine.dispose()


@pytest.mark.parametrize(
    ("database_url", "how"), [("sqlite", "sqlite-lock"), ("postgres", "pg-lock")], indirect=["database_url"]
)
@pytest.mark.parametrize("query", ["", "via=route"], ids=["lean-edge", "flask-route"])
def test_the_spooled_help_reply_names_both_lines_for_a_number_it_cannot_look_up(
    slow_services, database_url, how, query
):
    services = slow_services
    client = create_app(services=services).test_client()
    texter = Texter(client, phone_number(72))
    before = disclosure_reply(services.config, utcnow())
    blocker = Blocker(database_url, how)
    try:
        status, body, _ = texter.send("my uncle said he will hurt me if i dont come back", query=query)
    finally:
        blocker.release()
    after = disclosure_reply(services.config, utcnow())
    assert status == 200
    [reply] = replies(body)
    assert reply in {texts.for_person(help, "sms", adult=None) for help in (before, after)}, reply
    assert texts.ANY_AGE_LINES in reply and texts.is_disclosure_reply(reply) and texts.sms_segments(reply) == 1
    assert replay(services).stored == 1
