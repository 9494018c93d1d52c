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
