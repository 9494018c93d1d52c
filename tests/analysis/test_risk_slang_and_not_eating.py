"""Two kinds with no lexicon line (issue 10, 7 December): county-lines work in its own words ("doing bits for some
mandem", "doing shifts for a guy") and not eating at all ("i dont eat anymore"). The model gave these 0.09 to 0.40,
under its threshold, so nothing alerted."""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


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
def test_they_alert_by_thelexicon_categories(text, category):
    check_high_alert(text, category)


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
    assert not lexicon_categories(text), text
