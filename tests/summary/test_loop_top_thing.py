"""The closing text names the round's most-mentioned thing as what young people said, not as what this person said
(trial 5, F7: everyone was told "You told us most about having your say", whatever they had said)."""

from __future__ import annotations

from tests.summary.test_loop import _busy_round
from voice_service.db import session_scope
from voice_service.summary import summarise
from voice_service.summary.loop import fits_one_sms, loop_sms, top_things


def test_the_closing_text_says_young_people_told_us_most_about_the_top_thing(services):
    _, round_id = _busy_round(services)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    top = top_things(summary)[0].said
    text = loop_sms(summary, first_name="Sam", link="https://v.example/r/abc")
    assert f"Young people told us most about {top}." in text and fits_one_sms(text), text
    assert "You told us most" not in text
