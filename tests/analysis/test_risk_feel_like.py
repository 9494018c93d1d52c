"""A wish not to live, said as a feeling ("i dont feel like living"), is a disclosure; a feeling about where
to live or what to do is not. The first line was found missed after the false-alarm round (lex12)."""

from __future__ import annotations

import pytest

from voice_service.analysis import screen


@pytest.mark.parametrize(
    "text",
    [
        "i dont feel like i want to live",
        "i dont feel like living anymore tbh",
        "honestly i dont really feel like i wanna be alive",
        "dont feel like waking up tomorrow",
        "i no longer feel like i want to exist",
    ],
)
def test_not_feeling_like_living_alerts_from_the_lexicon(text):
    result = screen(text)
    assert result.risk and "self_harm" in result.categories
    assert any(reason.startswith("lexicon: self_harm") for reason in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "i dont feel like going on the trip",
        "i dont feel like carrying on with this survey",
        "i dont feel like living with my nan anymore",
        "i dont feel like i want to live in care when im older",
    ],
)
def test_not_feeling_like_doing_something_or_living_somewhere_is_no_self_harm(text):
    assert not any(reason.startswith("lexicon: self_harm") for reason in screen(text).reasons)
