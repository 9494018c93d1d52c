"""A text longer than any SMS or chat message (a pasted essay in a file given to `voice-service analyse`) is
screened in parts, each beginning with the previous part's last sentence: every sentence is read, and the
screen's time grows with the length, not its square (100,000 characters took 20 s as one message)."""

from __future__ import annotations

from voice_service.analysis import _SENTENCE_END, LONG_TEXT, PART, analyse, parts, screen
from voice_service.analysis.model import risk_model
from voice_service.analysis.risk import risk_screen, screen_normalised
from voice_service.analysis.text import normalise

ORDINARY = [
    "The food at my placement is nice and my carer makes pasta on fridays.",
    "School is ok but maths is hard and the teacher talks too fast!",
    "I would like more trips out in the holidays, like the zoo or the beach.",
    "My social worker is kind and she always texts me back?",
]


def _essay(size: int, middle: str = "") -> str:
    sentences: list[str] = []
    while sum(len(s) + 1 for s in sentences) < size // 2:
        sentences.append(ORDINARY[len(sentences) % len(ORDINARY)])
    head = list(sentences)
    return " ".join([*head, *([middle] if middle else []), *sentences])


def test_every_sentence_of_a_long_text_is_in_a_part_and_no_part_is_long():
    text = _essay(12_000)
    cut = parts(text)
    assert len(cut) > 12_000 // PART
    assert all(len(part) <= PART for part in cut)
    assert [s for s in ORDINARY if not any(s in part for part in cut)] == []
    # Each part but the first begins with the sentence the one before it ended with.
    assert all(_SENTENCE_END.split(after)[0] in before for before, after in zip(cut, cut[1:]))


def test_a_sentence_longer_than_a_part_is_cut_at_spaces_with_an_overlap():
    words = [f"w{i}" for i in range(2_000)]
    cut = parts(" ".join(words))
    assert all(len(part) <= PART for part in cut)
    seen = {word for part in cut for word in part.split()}
    assert seen == set(words)


def test_a_disclosure_in_the_middle_of_a_long_text_is_found():
    quiet = screen(_essay(20_000))
    assert not quiet.risk
    found = screen(_essay(20_000, middle="Sometimes at night i want to kill myself."))
    assert found.risk and "self_harm" in found.categories and found.priority == "high"
    assert analyse(_essay(20_000, middle="Sometimes at night i want to kill myself.")).risk


def test_a_text_no_longer_than_a_message_is_screened_whole_as_before():
    text = _essay(LONG_TEXT - 200, middle="my mate says her stepdad hits her")
    assert len(text) <= LONG_TEXT
    assert screen(text) == screen_normalised(normalise(text), risk_screen(), risk_model())
