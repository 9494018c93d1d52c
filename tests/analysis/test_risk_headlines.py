"""A headline is the news (issue 10, 7 December): "Man jailed for grooming teenage girls online" paged the duty
team (exploitation, high, the lexicon's "grooming" against a model score of 0.10). A stranger named by a common noun
and "jailed", "charged", "arrested" ... "for" now make the clause a topic, unless the writer or theirs is named."""

import pytest

from tests.analysis.rule_cases import lexicon_categories
from voice_service.analysis import screen


@pytest.mark.parametrize("text", ["Man jailed for grooming teenage girls online.", "Teacher jailed for abusing pupils"])
def test_a_headline_is_a_topic(text):
    assert not lexicon_categories(text), text
    assert not screen(text).risk, text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my stepdad got arrested for hitting me", "abuse"),
        ("a man was arrested for grooming my little sister", "exploitation"),
        ("a man was arrested for grooming girls at my school", "exploitation"),
    ],
)
def test_an_arrest_in_the_writers_life_still_alerts(text, category):
    assert category in lexicon_categories(text), text
