"""A message that is only the writer's age is not a disclosure (trial2 finding F9): the model had learned
ages from disclosures that begin with one, and "im 15", the commonest answer to onboarding's age question,
was a high-priority exploitation alert (model 1.00). An age that opens a disclosure is read as before."""

import pytest

from voice_service.analysis import screen


@pytest.mark.parametrize(
    "text",
    [
        "im 15",
        "I'm 15",
        "i am 15",
        "Im 15.",
        "im 13",
        "im 11",
        "im 15 lol",
        "hi im 14",
        "I’m fifteen",
        "15 yrs old",
        "age 16",
        "i'm 15 nearly 16",
        "im 15 and in care",
        "im 15 in year 10",
    ],
)
def test_an_age_alone_raises_no_alert(text):
    result = screen(text)
    assert not result.risk, result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "im 15 and he is 30 and buys me stuff",
        "im 14 and my boyfriend is 25",
        "im 13 and i cut myself",
        "im 15 and my carer hits me",
        "i am 12 and home alone",
    ],
)
def test_an_age_that_opens_a_disclosure_still_alerts(text):
    assert screen(text).risk
