"""Harm at home that a new user's trial found missed or mislabelled (lines written here).

- Older young people in the home who keep coming into a child's room: not safe at home.
- Food kept back as a punishment, and going to bed hungry because of it: abuse.
- Someone who tells the young person they are worthless is emotional abuse, not self-harm;
  "i am worthless" in the young person's own voice stays self-harm.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text,category",
    [
        ("if the older kids at the home stopped going in my room", "unsafe_home"),
        ("the bigger boys keep barging into my bedroom", "unsafe_home"),
        ("they dont give us dinner if we misbehave", "abuse"),
        ("we get sent to bed hungry when we answer back", "abuse"),
        ("went to bed hungry 3 nights this week", "abuse"),
        ("hes always telling me im worthless", "abuse"),
        ("my mum says im a waste of space", "abuse"),
        ("my carer keeps telling me i should never have been born", "abuse"),
        ("i feel like i am worthless", "self_harm"),
    ],
)
def test_harm_at_home_alerts(text: str, category: str) -> None:
    result = lexicon(text)
    assert result.risk and category in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        "hes always telling me im worthless",
        "my mum says im a waste of space",
        "she told me i am a burden to her",
    ],
)
def test_being_called_worthless_is_not_self_harm(text: str) -> None:
    assert "self_harm" not in lexicon(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "my little sister keeps coming in my room to borrow my charger",
        "he told me i am a legend",
        "they gave us dinner early tonight",
        "the older kids took us bowling",
    ],
)
def test_everyday_home_life_is_left_alone(text: str) -> None:
    assert not lexicon(text).risk
