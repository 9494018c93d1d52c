"""Analysis of young people's free text: themes, sentiment and the safeguarding screen.

Pure functions over plain data. `screen()` is the fast safeguarding check run
first on every inbound text; `analyse()` adds themes and sentiment. The
vocabularies are data in a conversations folder (themes.toml, risk.toml): pass
it as `directory=` (the service passes `[conversations] path`); without one the
`voice-service analyse` command and tests fall back to $VOICE_CONVERSATIONS_DIR,
then the repository's folder. Loading fails loudly if either file is missing or empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voice_service.analysis.lexicon import RISK_CATEGORIES, THEME_IDS, LexiconError
from voice_service.analysis.model import risk_model
from voice_service.analysis.risk import RiskResult, risk_screen, screen, screen_normalised
from voice_service.analysis.sentiment import LABELS, sentiment, sentiment_normalised, word_polarities
from voice_service.analysis.text import normalise
from voice_service.analysis.themes import tag_normalised, tag_themes, theme_index
from voice_service.analysis.vocabulary import known_words

__all__ = [
    "Analysis",
    "RiskResult",
    "LexiconError",
    "THEME_IDS",
    "RISK_CATEGORIES",
    "LABELS",
    "analyse",
    "screen",
    "tag_themes",
    "sentiment",
    "warm_up",
]


@dataclass(frozen=True, slots=True)
class Analysis:
    """Themes, sentiment and risk for one message, as `voice-service analyse` reports them."""

    themes: tuple[str, ...]
    sentiment: str
    score: float
    risk: bool
    risk_categories: tuple[str, ...]
    risk_priority: str = ""
    risk_reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Return the JSON-ready fields of the analyse contract (without the id).

        risk_priority ("high", "low" or "") and risk_reasons (which opinion fired and
        why) extend the contract in design.md; the original fields are unchanged.
        """
        return {
            "themes": list(self.themes),
            "sentiment": self.sentiment,
            "score": self.score,
            "risk": self.risk,
            "risk_categories": list(self.risk_categories),
            "risk_priority": self.risk_priority,
            "risk_reasons": list(self.risk_reasons),
        }


def analyse(
    text: str, *, scale_hint: float | None = None, directory: Path | None = None, risk: RiskResult | None = None
) -> Analysis:
    """Screen, tag and score one message; scale_hint is the preceding scale answer in [-1, 1].

    `risk` is this same text's `screen()` result when the caller has already screened it
    (the inbound path screens every message on arrival), so it is not screened twice.
    """
    norm = normalise(text)
    # Risk first: if anything below ever failed, the screen has already run.
    if risk is None:
        risk = screen_normalised(norm, risk_screen(directory), risk_model())
    themes = tag_normalised(norm, theme_index(directory))
    label, score = sentiment_normalised(norm, scale_hint=scale_hint, risk_categories=risk.categories)
    # Older callers may pass a result without priority/reasons: treat a risk as high priority.
    priority = getattr(risk, "priority", "high" if risk.risk else "")
    return Analysis(themes, label, score, risk.risk, risk.categories, priority, tuple(getattr(risk, "reasons", ())))


def warm_up(directory: Path | None = None) -> None:
    """Build every word list, pattern and index now (raises LexiconError if one is missing).

    Call it once before serving, and in a pre-forking server's master (gunicorn with
    preload), so that workers share the built tables and no first message pays for them.
    """
    risk_screen(directory)
    risk_model()
    theme_index(directory)
    known_words()
    word_polarities()
    analyse("warm up", directory=directory)
