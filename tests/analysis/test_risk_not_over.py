"""A past is over only when it is said to be: "and im not okay now" keeps it current (found by the screen round of
2 December: the [resolved] patterns' one-word gap took "not" as the word between "i am" and "okay now")."""

import pytest

from voice_service.analysis import screen

STILL_CURRENT = [
    "i used to self harm and im not okay now",
    "i used to self harm and i am not doing well now",
    "i used to self harm but i am never okay now",
    "he used to hit me but we moved and it is not safe",
    "my sister used to self harm and she is not okay now",
]

OVER = [
    "i used to self harm and im okay now",
    "i used to self harm but i feel really safe here now",
    "he used to hit me but we moved and it is all fine now",
    "i used to self harm but i havent done it for 2 years",
]


@pytest.mark.parametrize("text", STILL_CURRENT)
def test_a_negated_ending_keeps_it_current(text):
    assert screen(text).risk, text


@pytest.mark.parametrize("text", OVER)
def test_an_ending_said_stays_over(text):
    assert not screen(text).risk, text
