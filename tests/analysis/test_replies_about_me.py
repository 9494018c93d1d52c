"""Ordinary replies about oneself are not disclosures (trial2 finding F9): the model had learned "im 15" from
disclosures that begin with an age, and alerted on the commonest answer to onboarding's age question.
The same words inside a disclosure still alert."""

import pytest

from voice_service.analysis import screen


@pytest.mark.parametrize(
    "text",
    [
        "im 15",
        "I'm 15",
        "i am 15",
        "im 13",
        "im 15 lol",
        "i want to go home",
        "can i go home to my mum",
        "someone keeps taking my stuff",
    ],
)
def test_an_ordinary_reply_about_oneself_raises_no_alert(text):
    assert not screen(text).risk, screen(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "im 15 and he is 30 and buys me stuff",
        "im 14 and my boyfriend is 25",
        "i want to go home and never wake up",
        "im 15 and my carer hits me",
    ],
)
def test_the_same_words_in_a_disclosure_still_alert(text):
    assert screen(text).risk
