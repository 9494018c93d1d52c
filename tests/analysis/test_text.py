"""Normalisation: what every analyser reads, so its output must never drift."""

import pytest

from voice_service.analysis.text import normalise


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # Curly and back-tick apostrophes are read as apostrophes, "&" as "and".
        ("I\u2019m \u2018fine\u2019 & didn\u00b4t `care`", ("i", "am", "fine", "and", "didnt", "care")),
        ("SOOOO gutted :( 😭 <3 u r gr8!!", ("so", "gutted", ":(", "😭", "<3", "you", "are", "great", "!", "!")),
        ("im ok", ("i", "am", "okay")),
        ("", ()),
    ],
)
def test_normalise(text, tokens):
    norm = normalise(text)
    assert norm.tokens == tokens
    assert norm.joined == " ".join(tokens)
    assert normalise(text) == norm  # the second time, from the remembered words, is the same


def test_normalise_remembers_the_last_text_and_gives_the_same_result():
    """The inbound path screens a text, then analyses it: the second normalise() of it is the first's."""
    first = normalise("Im sooo scared 2day")
    assert normalise("Im sooo scared 2day") is first
    other = normalise("im fine")
    assert other.tokens == ("i", "am", "fine")
    assert normalise("Im sooo scared 2day") == first  # made again, equal
