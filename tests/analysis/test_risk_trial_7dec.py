"""What an outside check of 7 December found (issue 10): a suicidal "wanna end it" after a friendly question raised
nothing, by text or in the chat ("want to end it" had no line; the model put the question's words under its
threshold); and a lesson's topic, "we did about knife crime in PSHE today", paged the duty team (violence, high).
The lexicon now reads both, so the explainable floor says why."""

import pytest

from voice_service.analysis import screen
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


@pytest.mark.parametrize(
    "text",
    [
        "u ok hun? im not tbh wanna end it x",
        "you ok? i wanna end it",
        "lol u ok? i wanna end it",
        "i just want to end it all",
        "honestly i really want to end it",
    ],
)
def test_wanting_to_end_it_is_self_harm_by_the_lexicon(text):
    found = screen(text)
    assert found.risk and "self_harm" in found.categories and found.priority == "high", found
    assert "self_harm" in lexicon_screen(normalise(text), risk_screen()).categories


@pytest.mark.parametrize(
    "text",
    [
        "we did about knife crime in PSHE today",
        "we did knife crime in PSHE today",
        "we did about knife crime in class today",
        "we talked about county lines in form time",
    ],
)
def test_a_lesson_on_knife_crime_is_a_topic(text):
    assert not lexicon_screen(normalise(text), risk_screen()).categories, text
    assert not screen(text).risk, text


@pytest.mark.parametrize(
    "text",
    [
        "i want to end it with my boyfriend",  # a relationship: the lexicon is silent (the model may still err)
        "i got stabbed in the back by my best mate she told everyone my secret",  # a betrayal
    ],
)
def test_the_lexicon_does_not_read_a_relationship_or_a_betrayal_as_harm(text):
    assert not lexicon_screen(normalise(text), risk_screen()).categories, text


@pytest.mark.parametrize(
    "text",
    [
        "he stabbed me in the back with a screwdriver",
        "my brother got stabbed in the back outside the shop",
        "someone pulled a knife on me after school",
        "a man i dont know wants me to do knife crime for him",
    ],
)
def test_a_stabbing_or_a_knife_still_alerts(text):
    assert screen(text).risk, text
