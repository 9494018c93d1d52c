"""Nobody cares, or would anyone care, if i die (trial finding T1): "nobody cares if i die tbh" and "no one cares
if i die" raised nothing, from the lexicon or the model. The family is self-harm said flat, asked, doubted, or
as "not like anyone would"; hair dyed, a death in a game, being late or a short time away is not. Lines written
here, never copied from the corpus, its TEST split or the holdout; the lexicon alone is checked."""

from __future__ import annotations

import pytest

from tests.analysis.rule_cases import check_rule
from voice_service.analysis import screen
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise

TRIAL = ["nobody cares if i die tbh", "no one cares if i die"]


@pytest.mark.parametrize(
    "text",
    [
        *TRIAL,
        "Nobody cares if I die.",
        "noone cares if i die",
        "no1 cares if i die tbh",
        "nobody cares if im dead",
        "no one cares whether i live or die",
        "nobody even cares if i die lol",
        "nobody gives a toss if i die",
        "no one would even care if i died",
        "nobody would notice if i was dead",
        "not one person would miss me if i died",
        "none of them would be bothered if i died",
        "no one in my life cares if i exist",
        "does anyone even care if i die",
        "would anybody notice if i wasnt alive",
        "who would even care if i died",
        "its not like anyone cares if i die",
        "i dont think anyone would care if i died",
        "i doubt my family would notice if i was dead",
    ],
)
def test_nobody_caring_if_i_die_is_self_harm_in_the_lexicon(text):
    found = lexicon_screen(normalise(text), risk_screen())
    assert found.risk and "self_harm" in found.categories, (text, found)


@pytest.mark.parametrize("text", TRIAL)
def test_the_trial_lines_alert_as_self_harm(text):
    result = screen(text)
    assert result.risk and result.priority == "high" and "self_harm" in result.categories, result
    assert any(reason.startswith("lexicon: self_harm") for reason in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "nobody cares if i die in the game lol",
        "nobody cares if i die in fortnite",
        "no one cares if i die again on this level",
        "no one cares if I dye my hair",
        "no one cares if i die my hair pink",
        "nobody cares if I'm late",
        "nobody cares if i miss the bus",
        "nobody cares if i die of embarrassment",
        "no one cares if i am dead tired",
        "does anyone care if i move schools",
        "who cares if i lose the match",
        "nobody notices if i am not here at school",
    ],
)
def test_near_misses_raise_nothing_from_the_lexicon(text):
    assert not lexicon_screen(normalise(text), risk_screen()).risk, text


def test_a_death_in_a_game_with_a_laugh_raises_nothing_at_all():
    assert not screen("nobody cares if i die in the game lol").risk


# (rule, disclosure, the category it raises, an everyday line of the same shape)
CASES = [
    ("nobody cares if i die", "nobody cares if i die", "self_harm", "nobody cares if i dye my hair"),
    ("asked", "would anyone care if i die", "self_harm", "would anyone care if i die in fortnite"),
    ("not here", "no one cares if i am not here anymore", "self_harm", "no one cares if i am not here at school"),
    ("who", "who cares if i die tbh", "self_harm", "who cares if i die in the game tbh"),
]


@pytest.mark.parametrize("rule,disclosure,category,everyday", CASES, ids=[c[0] for c in CASES])
def test_each_shape_beside_its_everyday_twin(rule, disclosure, category, everyday):
    check_rule(rule, disclosure, category, everyday)
