"""One check for the lexicon rounds' tables of (rule, disclosure, category, everyday line)."""

from __future__ import annotations

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def check_rule(rule: str, disclosure: str, category: str, everyday: str) -> None:
    """The lexicon raises the disclosure in its category, and nothing for the everyday line of the same shape."""
    s = risk_screen()
    found = lexicon_screen(normalise(disclosure), s)
    assert found.risk and category in found.categories, (rule, found)
    assert not lexicon_screen(normalise(everyday), s).risk, rule


def lexicon_categories(text: str) -> tuple[str, ...]:
    """The categories the lexicon alone raises for a message (none: it raises nothing)."""
    return lexicon_screen(normalise(text), risk_screen()).categories


def check_high_alert(text: str, category: str) -> None:
    """The lexicon raises the message in its category, and the whole screen alerts on it, high, in that category."""
    from voice_service.analysis import screen

    assert category in lexicon_categories(text), text
    found = screen(text)
    assert found.risk and category in found.categories and found.priority == "high", found
