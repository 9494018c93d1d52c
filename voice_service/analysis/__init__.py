"""Analysis of young people's free text: themes, sentiment and the safeguarding screen.

Pure functions over plain data. `screen()` is the fast safeguarding check run
first on every inbound text; `analyse()` adds themes and sentiment. The screen reads
English: text it cannot read (`language.not_english`: another script, or mostly words no
English list has) is flagged for a person to read, a low-priority result with the reason
`NOT_ENGLISH_REASON` (`unread()` says so), never passed as "no risk". The
vocabularies are data in a conversations folder (themes.toml, risk.toml): pass
it as `directory=` (the service passes `[conversations] path`); without one the
`voice-service analyse` command and tests fall back to $VOICE_CONVERSATIONS_DIR,
then the repository's folder. Loading fails loudly if either file is missing or empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from voice_service.analysis.clauses import theme_sentiments
from voice_service.analysis.language import NOT_ENGLISH_REASON, english_words, not_english
from voice_service.analysis.lexicon import RISK_CATEGORIES, THEME_IDS, LexiconError, conversations_dir
from voice_service.analysis.model import risk_model
from voice_service.analysis.risk import HIGH, LOW, RiskResult, risk_screen, screen_normalised, welsh_risk
from voice_service.analysis.sentiment import LABELS, sentiment, sentiment_normalised, word_polarities
from voice_service.analysis.text import Normalised, fold, normalise
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
    "unread",
    "NOT_ENGLISH_REASON",
    "tag_themes",
    "sentiment",
    "warm_up",
    "common_words",
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
    # Each theme's own feeling, from the clause(s) that raised it (`clauses`), in theme order.
    theme_sentiments: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict:
        """Return the JSON-ready fields of the analyse contract (without the id).

        risk_priority ("high", "low" or "") and risk_reasons (which opinion fired and
        why) extend the contract in design.md; so does theme_sentiments (each theme's own
        feeling: "I love my carer but I hate school" is positive for carers, negative for
        education, while `sentiment` stays the message's one label). The original fields are unchanged.
        """
        return {
            "themes": list(self.themes),
            "sentiment": self.sentiment,
            "score": self.score,
            "risk": self.risk,
            "risk_categories": list(self.risk_categories),
            "risk_priority": self.risk_priority,
            "risk_reasons": list(self.risk_reasons),
            "theme_sentiments": dict(self.theme_sentiments),
        }


def screen(text: str, *, directory: Path | None = None) -> RiskResult:
    """Screen one message for safeguarding risk; call this first on every inbound text.

    The English screen's verdict, or, where it found nothing in text it cannot read (not English), a
    low-priority flag for a person to read it.
    """
    return _read(text, _screened(text, directory), directory)


# A text or chat message is at most 1,600 characters. Longer text (a pasted essay in a file given to
# `voice-service analyse`) is screened in parts: the screen's clause rules look across the whole message,
# which on 100,000 characters took 20 s, and grew with the square of the length.
LONG_TEXT = 2000
PART = 800
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _screened(text: str, directory: Path | None, norm: Normalised | None = None) -> RiskResult:
    """The English screen's verdict on the text, or on a long text's parts together (`parts`)."""
    if len(text) <= LONG_TEXT:
        return screen_normalised(norm or normalise(text), risk_screen(directory), risk_model())
    return _together([screen_normalised(normalise(part), risk_screen(directory), risk_model()) for part in parts(text)])


def parts(text: str) -> list[str]:
    """A long text cut at sentence ends into parts of at most about `PART` characters, each beginning with
    the previous part's last sentence, so that every sentence is read with the one before it; a sentence
    longer than a part is cut at spaces, its pieces overlapping by a tenth of a part."""
    sentences: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > PART:
            cut = sentence.rfind(" ", PART // 2, PART)
            cut = cut if cut > 0 else PART
            sentences.append(sentence[:cut])
            back = sentence.rfind(" ", 0, cut - PART // 10)  # the overlap begins at a word
            sentence = sentence[back + 1 if back > 0 else cut :]
        if sentence.strip():
            sentences.append(sentence)
    out: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        if current and sum(len(s) + 1 for s in current) + len(sentence) > PART:
            out.append(" ".join(current))
            current = [current[-1]] if len(current[-1]) + len(sentence) < PART else []
        current.append(sentence)
    if current:
        out.append(" ".join(current))
    return out


def _together(results: list[RiskResult]) -> RiskResult:
    """One verdict from a long text's parts: a risk if any part has one (its categories, matches and reasons
    all named, in order, once each), high priority if any part's is; the highest model score."""

    def once(items) -> tuple[str, ...]:
        return tuple(dict.fromkeys(items))

    score = max((result.score for result in results), default=0.0)
    risky = [result for result in results if result.risk]
    if not risky:
        return RiskResult(False, (), (), "", once(r for result in results for r in result.reasons), score)
    return RiskResult(
        True,
        once(c for result in risky for c in result.categories),
        once(m for result in risky for m in result.matched),
        HIGH if any(result.priority == HIGH for result in risky) else LOW,
        once(r for result in risky for r in result.reasons),
        score,
    )


def _read(text: str, risk: RiskResult, directory: Path | None = None) -> RiskResult:
    """The English screen's result with any Welsh words of harm (`risk.welsh_risk`: high priority, with their
    category, as English ones are), or the flag for a person when neither found anything in text not in English."""
    welsh = welsh_risk(text, directory)
    if welsh.risk:
        return _together([risk, welsh]) if risk.risk else replace(welsh, score=risk.score)
    if risk.risk or not not_english(fold(text)):
        return risk
    return RiskResult(True, (), (), LOW, (NOT_ENGLISH_REASON,), risk.score)


def unread(risk: RiskResult) -> bool:
    """True when the screen flagged the text only because it is not in English (a person reads it)."""
    return risk.risk and tuple(getattr(risk, "reasons", ())) == (NOT_ENGLISH_REASON,)


def analyse(
    text: str, *, scale_hint: float | None = None, directory: Path | None = None, risk: RiskResult | None = None
) -> Analysis:
    """Screen, tag and score one message; scale_hint, in [-1, 1], is the rating the message answers a follow-up of
    (`inbound.responses.follow_up_hint`: only a question that rating branched to), else None.

    `risk` is this same text's `screen()` result when the caller has already screened it
    (the inbound path screens every message on arrival), so it is not screened twice.
    """
    norm = normalise(text)
    directory = conversations_dir(directory)  # once: the screen and the themes both need it
    # Risk first: if anything below ever failed, the screen has already run.
    if risk is None:
        risk = _read(text, _screened(text, directory, norm), directory)
    index = theme_index(directory)
    themes = tag_normalised(norm, index)
    label, score = sentiment_normalised(norm, scale_hint=scale_hint, risk_categories=risk.categories)
    per_theme = theme_sentiments(
        norm, themes, index, message=(label, score), scale_hint=scale_hint, risk_categories=risk.categories
    )
    # Older callers may pass a result without priority/reasons: treat a risk as high priority.
    priority = getattr(risk, "priority", "high" if risk.risk else "")
    reasons = tuple(getattr(risk, "reasons", ()))
    feelings = tuple((theme, per_theme[theme]) for theme in themes)
    return Analysis(themes, label, score, risk.risk, risk.categories, priority, reasons, feelings)


def warm_up(directory: Path | None = None) -> None:
    """Build every word list, pattern and index now (raises LexiconError if one is missing).

    Call it once before serving, and in a pre-forking server's master (gunicorn with
    preload), so that workers share the built tables and no first message pays for them.
    Called again (in a worker after the fork) it builds nothing and only finds each word
    done, touching the memory that holds it (`web/warm_up.warm_up_worker`).
    """
    risk_screen(directory)
    risk_model()
    theme_index(directory)
    known_words()
    english_words()
    word_polarities()
    analyse("warm up", directory=directory)
    # A lone "2" or "4" is read by its neighbours' parts of speech (`text._spelt_out`): their table is read now.
    analyse("i want 2 go", directory=directory)
    # Each word is looked up (respelt, stemmed, its features and word group found) once per process and
    # then remembered: every single word of the model's vocabulary (letters, numbers such as a scale
    # answer's "4", "10pm") is looked up here, so a worker's first texts find their words already looked up
    # (in memory the workers share), as its later texts do. (About half a second and 9 MB more than the
    # commonest thousand alone, which left a first text's rarer words, "tutor", "sleepovers", to it.)
    words = common_words(len(risk_model().words.index))
    for start in range(0, len(words), 12):
        analyse(" ".join(words[start : start + 12]), directory=directory)


def common_words(count: int) -> list[str]:
    """The `count` commonest single words of the risk model's vocabulary (lowest idf first): words, numbers
    and the punctuation it counts, never its two-word phrases."""
    words = risk_model().words
    idfs = words.idf[list(words.index.values())]
    ranked = sorted((idf, word) for word, idf in zip(words.index, idfs) if " " not in word)
    return [word for _, word in ranked[:count]]
