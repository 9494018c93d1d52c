"""Two false alarms and a miss of 7 December (issue 10): a brother's punch "for a laugh" (play, as "play fighting"
is) and "i wouldnt say im unsafe, just bored" (a judgement held back, as "i am not unsafe" is); their near neighbours
alert. And "im nt safe at home" raised nothing: "nt" is now read as "not" (`analysis.text`)."""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


@pytest.mark.parametrize(
    "text",
    [
        "my brother punched me in the arm for a laugh",
        "i wouldnt say im unsafe, just bored",
        "i wouldnt call it unsafe",
    ],
)
def test_a_laugh_or_a_judgement_held_back_is_set_aside(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("he punches me for a laugh every day", "abuse"),  # it goes on ([play] unless)
        ("my stepdad hits me for a laugh", "abuse"),  # an adult
        ("they said it was just for a laugh when they kicked me", "abuse"),  # the other side's word for it
        ("i didnt say i want to die", "self_harm"),
        ("i wouldnt say he hits me", "abuse"),
    ],
)
def test_their_near_neighbours_still_alert(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize("text", ["im nt safe at home", "i do nt feel safe"])
def test_nt_typed_for_not_is_read_as_not(text):
    check_high_alert(text, "unsafe_home")
