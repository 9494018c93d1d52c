"""On a long message (up to 1,600 characters, the longest text or chat message) each lexicon pattern is
tried only at the words it can begin with (`PatternSet.finditer`, `WordStarts`), not scanned for at every
word: the screen's time grows with the message's length, not its square. These check that the results are
exactly those of scanning the whole message with every pattern (no timings here: `python -m benchmarks
analysis` prints the 1,600-character p99)."""

from __future__ import annotations

import pytest

from voice_service.analysis import risk
from voice_service.analysis.evaluate import load
from voice_service.analysis.risk import _lexicon, risk_screen
from voice_service.analysis.text import normalise

SENTENCES = [
    "school is ok but maths is hard and the teacher talks too fast",
    "i slept in the car on the way to my nans",
    "im staying at my mates this weekend and my carer knows",
    "my little brother gets hit by his dad when he is drunk",
    "i'd like more trips out in the holidays like the zoo or the beach",
    "he beat me at fifa again lol",
    "sometimes at night i want to kill myself",
    "my mate said she wants to die, she has been saving her tablets",
    "years ago my stepdad hit me but it stopped when he left",
    "we slept in the car there for three nights",
    "theres no food in the house again and the heating is off",
    "my essay is about knife crime and gangs",
    "a man i met online keeps asking me for pics and said dont tell anyone",
    "i love my carer she makes pasta on fridays 😂",
]


def _long(seed: int, joiner: str) -> str:
    """A message of up to 1,600 characters from SENTENCES, in an order fixed by the seed."""
    out: list[str] = []
    i = seed
    while len(joiner.join([*out, SENTENCES[i % len(SENTENCES)]])) <= 1600:
        out.append(SENTENCES[i % len(SENTENCES)])
        i = i * 7 + 3
    return joiner.join(out)


LONG = [_long(seed, joiner) for seed in range(4) for joiner in (". ", " ", ", ")]


def _results(texts: list[str]) -> list[tuple]:
    s = risk_screen()
    return [_lexicon(normalise(text), s) for text in texts]


def _scanned(monkeypatch: pytest.MonkeyPatch, texts: list[str]) -> list[tuple]:
    """The results when every pattern is scanned for over the whole text, whatever its length."""
    with monkeypatch.context() as m:
        m.setattr(risk.WordStarts, "MIN_WORDS", 10**9)
        return _results(texts)


def _word_by_word(monkeypatch: pytest.MonkeyPatch, texts: list[str]) -> list[tuple]:
    """The results when every keyed pattern is tried only at its words, however short the text."""
    with monkeypatch.context() as m:
        m.setattr(risk.WordStarts, "MIN_WORDS", 1)
        m.setattr(risk, "_TRIES_PER_SCAN", 0)
        return _results(texts)


def test_long_messages_are_long_and_hold_disclosures():
    assert all(1400 < len(text) <= 1600 for text in LONG)
    assert all(result.risk for result, _ in _results(LONG))


def test_a_long_message_reads_as_scanning_it_whole(monkeypatch: pytest.MonkeyPatch):
    scanned = _scanned(monkeypatch, LONG)
    assert _results(LONG) == scanned
    assert _word_by_word(monkeypatch, LONG) == scanned


def test_every_labelled_message_reads_the_same_tried_word_by_word(monkeypatch: pytest.MonkeyPatch):
    texts = [row["text"] for row in load("tests/data/messages.jsonl")] + SENTENCES
    assert _word_by_word(monkeypatch, texts) == _scanned(monkeypatch, texts)


def test_a_word_with_an_apostrophe_is_tried_by_its_leading_letters():
    at = risk.WordStarts("i'd say he hit me. and i'd")

    def starts(*keys: str) -> list[int]:
        return sorted(start for found in at.positions(frozenset(keys)) for start in found)

    assert starts("=i") == [0, 23]
    assert starts("hit", "=he") == [8, 11]
    assert starts("=me") == [15]
