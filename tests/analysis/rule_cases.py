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
