"""Abuse in the structures young people use for it, found in the corpus's TRAIN and DEV misses (never TEST).

An injury and who gave it, marks hidden, an adult coming into a bathroom or a bed, things done "to
me", pictures taken while changing, being thrown about, the belt, cruel things said to everyone,
no doctor for a child. Lines written here, not copied from the corpus; each kind has a near miss
beside it that must not alert.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text",
    [
        "got a split lip off my stepdad on saturday and i have to say i fell",
        "there are hand marks on my little sisters arm and she wont say who",
        "i always wear long jeans so teachers cant see the bruises",
        "my mums boyfriend keeps coming into the bathroom while im in the bath",
        "the lodger gets into bed with me when mum is at work",
        "my carers son did stuff to me in the holidays and i dont know what to do",
        "he films me through the window when im getting changed",
        "my foster mum shoves us about when she has been drinking",
        "i got the belt again last night for being late home",
        "she tells everyone im a liar and a thief in front of my friends",
        "my nan says im the reason my mum left and she wishes i wasnt here",
        "she threw freezing water over me when i would not get up for school",
        "he hurled his plate at my head because dinner was cold",
    ],
)
def test_abuse_in_its_own_structures_alerts_as_abuse(text):
    result = lexicon(text)
    assert result.risk and "abuse" in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        "my new dress came with a belt and it looks so nice",
        "my mum came in my room last night to say goodnight",
        "the waves knocked the boat about but we were fine",
        "got a bruise off the trampoline at the park lol",
        "my best mate sat on me and would not get off lol",
        "they make me eat my vegetables before pudding",
    ],
)
def test_near_misses_do_not_alert(text):
    assert not lexicon(text).risk, text


def test_no_doctor_for_a_child_is_not_safe_at_home_whoever_it_is():
    result = lexicon("nobody took him to the doctor when he burnt his hand and it still hurts")
    assert result.categories == ("unsafe_home",), result
