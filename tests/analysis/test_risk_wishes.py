"""A negation inside a wish is no denial (issue 10): "i wish he didnt hit me" says he does, and "not being locked
in my room", as the answer to "what would help you feel safer", says that she is. Both were set aside as negated,
so the lexicon, the explainable floor, said nothing. And "scared all the time at home" had no line, where "scared
at home" had one."""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories
from voice_service.analysis import screen
from voice_service.analysis.risk import _wished, risk_screen


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i wish he didnt hit me", "abuse"),
        ("i wish my carer wouldnt hit me", "abuse"),
        ("if only she wouldnt lock me in my room", "unsafe_home"),
        ("not being locked in my room", "unsafe_home"),
        ("just not being hit by my carer", "abuse"),
        ("not being hungry all the time", "unsafe_home"),
        ("what would help is not being locked in my room", "unsafe_home"),
        ("im scared all the time at home", "unsafe_home"),
        ("scared every night in my room", "unsafe_home"),
    ],
)
def test_what_is_wished_away_is_happening(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "he doesnt hit me",
        "i am not suicidal",
        "not suicidal just tired",
        "i wish i could see my mum more, she doesnt hit me",  # the wish is in another clause
        "im not being hit anymore",
    ],
)
def test_a_plain_denial_still_sets_the_match_aside(text):
    assert not lexicon_categories(text), text


def test_a_wish_about_what_people_think_keeps_its_negation():
    """`[negation] wishes_unless`: the negation is of the thinking, and the wish says nothing of what happens."""
    screen_ = risk_screen()
    assert screen_.wished is not None and screen_.wished_unless is not None
    assert _wished("i wish he didnt ", "hit me", screen_)
    assert not _wished("i wish people didnt think i ", "self harm", screen_)
    assert not _wished("i dont ", "wish to die", screen_)  # the wish is the match's own word, after the negation


def test_a_time_inside_the_match_does_not_keep_an_ended_past_current():
    assert not lexicon_categories("i was hungry all the time at my old placement but thats all over now")
    assert "unsafe_home" in lexicon_categories("im hungry all the time and its not over")


@pytest.mark.parametrize(
    "text",
    [
        "i want to run away to the seaside for a holiday",  # a wish for a holiday ([safe])
        "im going to kill my brother if he eats my crisps again",  # a sibling's small misdeed ([joke] petty)
    ],
)
def test_an_everyday_wish_or_a_sibling_threat_over_crisps_is_no_alert(text):
    assert not lexicon_categories(text), text
    assert not screen(text).risk, text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i want to run away for good", "missing"),
        ("i want to run away for the weekend", "missing"),  # a weekend away is going missing
        ("im going to kill him if he touches my sister again", "violence"),  # a person, never a thing
    ],
)
def test_their_near_neighbours_still_alert(text, category):
    assert category in lexicon_categories(text), text
