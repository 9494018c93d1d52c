"""What a structured answer means beyond its value: the themes it evidences and a scale answer's score."""

from __future__ import annotations

from voice_service.surveys.model import Catalogue, Question


def question_themes(question: Question, catalogue: Catalogue) -> list[str]:
    """The themes a structured answer inherits from its question's pledges and top-ten messages."""
    themes: set[str] = set()
    for number in question.pledges:
        if number in catalogue.pledges:
            themes.update(catalogue.pledges[number].themes)
    for number in question.messages:
        if number in catalogue.messages:
            themes.update(catalogue.messages[number].themes)
    return sorted(themes)


def scale_score(value: int, question: Question) -> float:
    """A scale answer mapped onto [-1, 1]."""
    low, high = question.min or 0, question.max or 1
    return round((value - low) / (high - low) * 2 - 1, 3)


def scale_sentiment(score: float) -> str:
    """The sentiment word for a scale score in [-1, 1]."""
    return "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"
