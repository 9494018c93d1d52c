"""The closing text names the round's most-mentioned thing as what young people said, not as what this person said
(trial 5, F7: everyone was told "You told us most about having your say", whatever they had said)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.summary import data
from tests.summary.test_loop import _busy_round
from voice_service.db import session_scope
from voice_service.summary import summarise
from voice_service.summary.loop import PLAIN_THEMES, _plain, fits_one_sms, loop_sms, of_young_people, top_things


def test_the_closing_text_says_young_people_told_us_most_about_the_top_thing(services):
    _, round_id = _busy_round(services)
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    top = top_things(summary)[0].said
    text = loop_sms(summary, first_name="Sam", link="https://v.example/r/abc")
    assert f"Young people told us most about {of_young_people(top)}." in text and fits_one_sms(text), text
    assert "You told us most" not in text


def test_everyone_in_a_round_is_told_the_top_thing_whatever_the_length_of_their_name(services):
    """Trial 6, F11: a long name left no room for the round's news, so some were told it and some not; now the
    greeting gives way first."""
    _, round_id = _busy_round(services)
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    top = f"Young people told us most about {of_young_people(top_things(summary)[0].said)}."
    link = "https://voice.worcestershire.gov.uk/r/Ab3dE6gH9jK_"
    for name in ("Sam", "Maximilianne-Josephine", None):
        text = loop_sms(summary, first_name=name, link=link)
        assert top in text and fits_one_sms(text) and text.endswith(link), text
    assert loop_sms(summary, first_name="Sam", link=link).startswith("Hi Sam, thanks")


def test_when_everything_is_kept_private_the_page_does_not_say_few_answered():
    """Trial 6b, N4: "Not many people answered this time" was said when 7 of 8 had answered; what is small is how
    many raised each thing."""
    from voice_service.summary.loop import NOT_MANY

    assert "answered" not in NOT_MANY and "each thing" in NOT_MANY


def test_the_top_thing_reads_well_said_of_young_people_for_every_theme():
    """Trial 7, G8a: "Young people told us most about having your say." spoke of them and to "you" in one sentence:
    every theme in conversations/themes.toml reads as said of young people ("having their say")."""
    themes = tomllib.loads(Path("conversations/themes.toml").read_text(encoding="utf-8"))["themes"]
    assert set(themes) <= set(PLAIN_THEMES)  # each has its plain words
    for theme in themes:
        said = of_young_people(_plain(theme))
        sentence = f"Young people told us most about {said}."
        assert not {"you", "your", "yours"} & set(sentence.lower().rstrip(".").split()), sentence
    assert of_young_people(_plain("having_a_say")) == "having their say"
    assert of_young_people(_plain("mental_health")) == "how they feel inside"
    assert of_young_people(_plain("safety")) == "feeling safe"


def test_each_theme_is_said_as_wide_as_themes_md_has_it():
    """Trial 13: stability read "moving home", though themes.md has it as placement moves, changes of home or school,
    continuity and feeling settled; a care leaver's PA is among social workers, and housing is a home after care."""
    assert _plain("stability") == "moving and big changes"
    assert _plain("social_workers") == "your social worker or PA"
    assert _plain("housing") == "a home of your own"
    assert _plain("respect_and_identity") == "respect and who you are"
    assert "moving home" not in PLAIN_THEMES.values()
