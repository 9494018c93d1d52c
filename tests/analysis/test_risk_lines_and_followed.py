"""County lines run out of town or to clear a debt, grown men waiting at school or home, being followed home by
strangers, and a uniform nobody has washed: kinds a new-user trial found missed (trial 3, F8, F19, F26). The
lines here are written for these tests, beside everyday lines of the same shape that must not alert."""

from __future__ import annotations

import pytest

from voice_service.analysis import screen


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("im running a line out to the coast this weekend to clear what i owe", "exploitation"),
        ("my brother has to run a line to pay back what he owes", "exploitation"),
        ("they got me running lines to another town", "exploitation"),
        ("bare man waiting outside my college for me today", "exploitation"),
        ("theres an older guy always parked up outside my school", "exploitation"),
        ("some randoms keep following me home from the bus stop", "violence"),
        ("a car followed me home from school yesterday", "violence"),
        ("this man keeps following me to college", "violence"),
        ("nobody has washed my school uniform in weeks and the kids say i smell", "unsafe_home"),
    ],
)
def test_the_kind_alerts_from_the_lexicon(text, category):
    result = screen(text)
    assert result.risk and category in result.categories, result
    assert any(reason.startswith(f"lexicon: {category}") for reason in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "i ran a line in cross country",
        "the bus runs a line to the coast",
        "i did the line to the coast on my bike",
        "the men were waiting outside the school for the match",
        "my dog keeps following me home",
    ],
)
def test_the_same_words_in_everyday_senses_raise_nothing_from_the_lexicon(text):
    assert not any(reason.startswith("lexicon:") for reason in screen(text).reasons)
