"""A lexicon match in a message naming nobody needs the learned model to agree a little ([impersonal] model_floor).

Everyday text naming nobody in anyone's life ("intruders will be shot", a joke dictionary's "not enough
food") is where the lexicon's words most often mean something else, and the model is then all but sure
there is no risk. A disclosure naming nobody ("he got stabbed last night", "is it normal to want to die")
is one the model sees too. Lines written here, never copied from tests/data/everyday, the corpus's TEST
split or the holdout.
"""

import dataclasses

import pytest

from voice_service.analysis import screen
from voice_service.analysis.lexicon import RISK_CATEGORIES
from voice_service.analysis.risk import lexicon_screen, risk_screen, screen_normalised
from voice_service.analysis.text import normalise


@dataclasses.dataclass(frozen=True)
class FixedModel:
    """A stand-in for the learned model that gives every message the same score."""

    score: float
    low: float = 0.75
    high: float = 0.75

    def probabilities(self, norm):
        return {"any": self.score, **dict.fromkeys(RISK_CATEGORIES, self.score)}


def test_the_floor_is_set_in_the_lexicon():
    assert risk_screen().nobody_floor == 0.05


@pytest.mark.parametrize(
    "text,words",
    [
        ("Intruders will be shot.", "violence (be shot)"),
        ("Tasting menu: a fancy word for not enough food.", "unsafe_home (not enough food)"),
        # A place alone names nobody.
        ("The old road past the school is unsafe after dark.", "unsafe_home (unsafe)"),
        # "himself", "herself" and "themselves" name nobody in the writer's life, no more than he, she and they do.
        ("The minister found himself homeless after the scandal, the papers reported.", "missing (homeless)"),
        # The country is nobody's "us".
        ("The US envoy found the rebels homeless and hungry.", "missing (homeless)"),
        # Child actors, stars and soldiers are a topic, not a child in anyone's life.
        ("The child stars of that soap were all homeless within ten years.", "missing (homeless)"),
    ],
)
def test_a_match_naming_nobody_that_the_model_rejects_is_set_aside(text, words):
    norm = normalise(text)
    assert lexicon_screen(norm, risk_screen()).risk, text  # the lexicon alone still matches it
    result = screen_normalised(norm, risk_screen(), FixedModel(0.01))
    assert not result.risk, result
    assert result.reasons == (f"lexicon set aside: no one named and model 0.01: {words}",)
    # Just at the floor, the lexicon's match stands.
    assert screen_normalised(norm, risk_screen(), FixedModel(0.05)).risk


@pytest.mark.parametrize(
    "text", ["Tasting menu: a fancy word for not enough food.", "The ship was unsafe and the crew knew it."]
)
def test_the_shipped_model_rejects_everyday_lines_naming_nobody(text):
    result = screen(text)
    assert not result.risk, result
    assert result.reasons[0].startswith("lexicon set aside: no one named and model"), result


@pytest.mark.parametrize(
    "text",
    [
        # Naming nobody, but the model agrees a little: the lexicon's match stands, at high priority.
        "he is getting abused",
        "is it normal to want to die",
        "he got stabbed last night",
        "how many pills does it take",
        "done with life",
        "the water got cut off",
        "there is no food in the house again",
        "the door dont lock and the guys from upstairs come in",
    ],
)
def test_a_match_naming_nobody_stands_when_the_model_agrees(text):
    result = screen_normalised(normalise(text), risk_screen(), FixedModel(0.05))
    assert result.risk and result.priority == "high", result
    assert result.reasons[0].startswith("lexicon: "), result
    assert screen(text).risk, text  # the shipped model agrees with each


@pytest.mark.parametrize(
    "text",
    [
        # Anyone in the writer's life, or a text dropping its "I": the floor never applies.
        "my mate says he wants to die",
        "intruders will be shot, he said to me",
        "been told i will be shot if i go back",
        "a man in a van keeps asking the girl in my class for nudes",
    ],
)
def test_a_match_naming_someone_never_needs_the_model(text):
    result = screen_normalised(normalise(text), risk_screen(), FixedModel(0.0))
    assert result.risk and result.priority == "high", result


def test_u_s_is_no_you():
    # "U.S." reads as "you . s .", which names nobody.
    assert risk_screen().people.search(normalise("U.S. envoys found the rebels homeless.").joined) is None
    assert risk_screen().people.search(normalise("you said the rebels were homeless").joined) is not None


@pytest.mark.parametrize(
    "text",
    [
        # The writer's own reflexive, "us" and "you" still name them.
        "i keep hurting myself",
        "they threatened us outside the shop",
        "he said he will stab you if you tell",
        "my mate keeps hurting himself",
        "my little brothers child minder hits him",
    ],
)
def test_the_writer_s_own_words_still_name_someone(text):
    result = screen_normalised(normalise(text), risk_screen(), FixedModel(0.0))
    assert result.risk and result.priority == "high", result
