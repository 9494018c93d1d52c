"""A method named with "myself", "himself" or "herself".

"i want to shoot myself" and "i want to set myself on fire" raised nothing (8 December): no pattern named the
method, and the model gave them 0.40 and 0.44, under its threshold. Someone else doing it ("tyler keeps stabbing
himself with a compass") was caught only where the model happened to see it. Lines written here, never copied
from tests/data, the holdout or a probe.
"""

import pytest

from voice_service.analysis import screen


@pytest.mark.parametrize(
    "text",
    [
        "i want to shoot myself",
        "im going to shoot myself with my uncles gun",
        "i want to set myself on fire",
        "thinking about setting fire to myself tonight",
        "i want to gas myself in the car",
        "i might electrocute myself in the bath",
        "i keep stabbing myself with a compass",
        "been carving his name into myself",
        # Someone else, with nobody close named: the model gives "tyler keeps stabbing himself with a compass" 0.24,
        # under its threshold but above [impersonal] model_floor, so the lexicon's match stands.
        "the lad in the next room tried to set himself on fire",
        "tyler keeps stabbing himself with a compass",
        "she said shes going to shoot herself with her dads gun",
        "the new girl keeps carving words into herself",
    ],
)
def test_a_method_with_myself_himself_or_herself_is_self_harm_in_the_lexicon(text):
    result = screen(text)
    assert result.risk and result.priority == "high", result
    assert "self_harm" in result.categories, result
    assert result.reasons[0].startswith("lexicon: self_harm"), result


@pytest.mark.parametrize(
    "text",
    [
        "honestly i shot myself in the foot in that interview",
        "i gas myself up before every match lol",
        "i tried to shoot myself a reminder but my phone died",
        "i want to shoot myself with the camera for my art project",
        "The old king shot himself in the foot by raising the taxes again.",
    ],
)
def test_idioms_and_stories_about_strangers_raise_nothing(text):
    result = screen(text)
    assert not result.risk, result
