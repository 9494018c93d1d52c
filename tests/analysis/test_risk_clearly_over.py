"""A past said to be over, in four more ways (issue 10, 7 December): "... but thats all over now" looks back over
what came before, as "thats all in the past" does; "i stopped last year"; "i got out"; and "my old carer" is a past,
as "my old carers" was. Each of these had alerted high from the lexicon."""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


@pytest.mark.parametrize(
    "text",
    [
        "i was scared at home but thats all over now",
        "i used to cut myself but i stopped last year",
        "i was in a gang when i was younger but i got out",
        "my old carer locked me in my room but i moved placements and its much better",
    ],
)
def test_a_past_said_to_be_over_is_set_aside(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("he hit me last night but thats over now", "abuse"),  # last night is now
        ("my nudes are all over school now", "exploitation"),  # everywhere, not over
        ("its all over snapchat now that he hit me", "abuse"),
        ("my old carer locked me in my room", "unsafe_home"),  # past, but never said to be over
        ("my carer locks me in my room but i moved placements and its much better", "unsafe_home"),  # in the present
    ],
)
def test_a_past_not_said_to_be_over_or_a_present_still_alerts(text, category):
    check_high_alert(text, category)
