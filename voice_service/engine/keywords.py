"""Whole-message keywords that work at any point in a conversation: STOP, START, HELP, SKIP."""

from __future__ import annotations

import re
from typing import Literal

Keyword = Literal["stop", "start", "help", "skip"]

# Twilio acts on these opt-out words itself (it blocks further messages), so the
# service must treat exactly the same words as STOP or its records would disagree.
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"})
# Not "yes": here YES means "start the survey", not "opt back in".
START_WORDS = frozenset({"start", "unstop"})
HELP_WORDS = frozenset({"help", "info"})
# "dunno" is left out on purpose: it is an answer, and is stored as one.
SKIP_WORDS = frozenset({"skip", "pass", "next", "skip it", "skip this", "skip this one", "skip question"})

_TRAILING = re.compile(r"[\s.!?,;:]+$")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, trim, collapse spaces and drop trailing punctuation."""
    return _SPACES.sub(" ", _TRAILING.sub("", text.strip().lower()))


def classify(text: str) -> Keyword | None:
    """Which keyword the whole message is, or None if it is not one."""
    word = normalise(text)
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    if word in SKIP_WORDS:
        return "skip"
    return None
