"""The safeguarding screen: the first thing run on every inbound free text.

Recall comes first. Sentiment never enters into it, and the only way a matched
disclosure is set aside is the narrow "historical and clearly over" rule.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from voice_service.analysis.lexicon import RISK_CATEGORIES, LexiconError, conversations_dir, load_risk
from voice_service.analysis.text import Normalised, normalise

# Clauses are where "before I came into care" can make a disclosure historical;
# "but" and "and now" start a new clause because they so often bring the present back.
_CLAUSE_RE = re.compile(r"[.!?;,]| but | although | though | however | and now | now ")
_MACRO_RE = re.compile(r"\{([a-z_0-9]+)\}")


@dataclass(frozen=True, slots=True)
class RiskResult:
    """Outcome of screening one message: whether to alert, which categories, and the matched wording."""

    risk: bool
    categories: tuple[str, ...]
    matched: tuple[str, ...]


NO_RISK = RiskResult(False, (), ())


@dataclass(frozen=True, eq=False)
class RiskScreen:
    """The compiled risk lexicon."""

    strong: tuple[tuple[str, re.Pattern[str]], ...]
    weak: tuple[tuple[str, re.Pattern[str] | None], ...]
    safe: re.Pattern[str] | None
    past: re.Pattern[str] | None
    resolved: re.Pattern[str] | None
    ongoing: re.Pattern[str] | None


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    """Substitute {macro}s, failing loudly on an unknown name."""
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise LexiconError(f"risk.toml: {where}: unknown macro {{{name}}}")
        return macros[name]
    return _MACRO_RE.sub(sub, pattern)


def _compile(patterns: list[str], macros: dict[str, str], where: str) -> re.Pattern[str] | None:
    """Join patterns into one word-bounded alternation, reporting any bad pattern by name."""
    if not patterns:
        return None
    expanded = []
    for pattern in patterns:
        body = _expand(pattern, macros, where)
        try:
            re.compile(body)
        except re.error as exc:
            raise LexiconError(f"risk.toml: {where}: bad pattern {pattern!r}: {exc}") from exc
        expanded.append(body)
    # Anchoring every alternative at a word start lets the engine skip mid-word positions.
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(expanded) + r")(?![a-z0-9])")


def build_screen(data: dict) -> RiskScreen:
    """Compile a loaded risk.toml."""
    macros = {k: str(v) for k, v in data.get("macros", {}).items()}
    for name, value in list(macros.items()):
        macros[name] = _expand(value, macros, f"macros.{name}")
    cats = data["categories"]
    strong = tuple(
        (c, _compile(cats[c]["patterns"], macros, f"categories.{c}.patterns")) for c in RISK_CATEGORIES
    )
    weak = tuple(
        (c, _compile(cats[c].get("weak", []), macros, f"categories.{c}.weak")) for c in RISK_CATEGORIES
    )
    sections = {
        key: _compile(data.get(key, {}).get("patterns", []), macros, f"{key}.patterns")
        for key in ("safe", "past", "resolved", "ongoing")
    }
    return RiskScreen(strong, weak, **sections)  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def _screen_for(directory: Path) -> RiskScreen:
    return build_screen(load_risk(directory))


def risk_screen(directory: Path | None = None) -> RiskScreen:
    """Return the compiled screen for a conversations directory (cached; raises if the lexicon is missing)."""
    return _screen_for(conversations_dir(directory))


def _blank(match: re.Match[str]) -> str:
    # Same length, so positions still line up with clauses in the original.
    return "~" * len(match.group())


def _historical(text: str, hits: list[tuple[str, int, str]], s: RiskScreen) -> bool:
    """True when every hit sits in a clause marked as past and the message says it is over."""
    if s.past is None or s.resolved is None or not s.resolved.search(text):
        return False
    if s.ongoing is not None and s.ongoing.search(text):
        return False
    bounds = [m.start() for m in _CLAUSE_RE.finditer(text)]
    past_clauses = {bisect.bisect(bounds, m.start()) for m in s.past.finditer(text)}
    if not past_clauses:
        return False
    return all(bisect.bisect(bounds, start) in past_clauses for _, start, _ in hits)


def screen_normalised(norm: Normalised, s: RiskScreen) -> RiskResult:
    """Screen already-normalised text; analyse() uses this to normalise once."""
    original = norm.joined
    text = s.safe.sub(_blank, original) if s.safe is not None else original
    hits: list[tuple[str, int, str]] = []
    for category, regex in s.strong:
        for m in regex.finditer(text):
            hits.append((category, m.start(), m.group()))
    weak_hits: list[tuple[str, int, str]] = []
    for category, regex in s.weak:
        if regex is not None:
            for m in regex.finditer(text):
                weak_hits.append((category, m.start(), m.group()))
    # A weak signal alone ("he bought me trainers") is everyday life; with any
    # other signal in the same message it is part of a pattern worth a look.
    if weak_hits and len(hits) + len({w[2] for w in weak_hits}) >= 2:
        hits.extend(weak_hits)
    if not hits:
        return NO_RISK
    if _historical(original, hits, s):
        return NO_RISK
    categories = tuple(sorted({c for c, _, _ in hits}, key=RISK_CATEGORIES.index))
    matched = tuple(dict.fromkeys(h[2] for h in sorted(hits, key=lambda h: h[1])))
    return RiskResult(True, categories, matched)


def screen(text: str, *, directory: Path | None = None) -> RiskResult:
    """Screen one message for safeguarding risk; call this first on every inbound text."""
    return screen_normalised(normalise(text), risk_screen(directory))
