"""Two kinds with no lexicon line (issue 10, 7 December): county-lines work in its own words ("doing bits for some
mandem", "doing shifts for a guy") and not eating at all ("i dont eat anymore"). The model gave these 0.09 to 0.40,
under its threshold, so nothing alerted."""

import pytest

from voice_service.analysis import screen
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def _lexicon(text: str) -> tuple[str, ...]:
    return lexicon_screen(normalise(text), risk_screen()).categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("been doing bits for some mandem, its calm tho", "exploitation"),
        ("im out in the sticks doing shifts for a guy", "exploitation"),
        ("doing bits for some olders", "exploitation"),
        ("i dont eat anymore, ive lost loads of weight", "self_harm"),
        ("i dont eat anymore", "self_harm"),
    ],
)
def test_they_alert_by_the_lexicon(text, category):
    assert category in _lexicon(text), text
    found = screen(text)
    assert found.risk and category in found.categories and found.priority == "high", found


@pytest.mark.parametrize(
    "text",
    [
        "im doing shifts at tesco",
        "doing bits and bobs round the house",
        "doing jobs for my uncle",
        "i do bits for my nan like shopping",
        "i dont eat meat anymore",
        "i dont eat breakfast",
    ],
)
def test_work_chores_and_diets_are_not(text):
    assert not _lexicon(text), text
