"""Quick-reply buttons for whatever a chat is waiting for: pure functions over surveys and onboarding.

A button's `value` is exactly what a young person could have typed, so a tap and a
typed answer go down the same path (and the same engine reads them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ...engine.onboarding import STATUS_CHOICES
from ...participants.groups import AGE_BANDS
from ...surveys.model import Question, end_labels

__all__ = ["end_labels"]  # read here by the dashboard's words too (its home is surveys.model)

# Faces for a scale, lowest to highest, all from Unicode 6 so even old phones draw them.
# Each button also says its number and, where the question names them, what the ends
# mean, so nobody has to read an emoji.
FACES = ("😢", "😟", "😐", "😊", "😁")


@dataclass(frozen=True)
class QuickReply:
    """One button: what it shows (`label`, may start with an emoji), what a screen reader
    hears (`spoken`, the label without the emoji) and what it sends (`value`)."""

    label: str
    value: str
    spoken: str = ""
    emoji: str = ""

    def to_dict(self) -> dict:
        """The JSON form sent to the page."""
        return asdict(self)


def _plain(text: str, value: str | None = None) -> QuickReply:
    return QuickReply(label=text, value=value or text, spoken=text)


def face_for(value: int, lo: int, hi: int) -> str:
    """The face for a point on a scale of any length."""
    position = (value - lo) / (hi - lo) if hi > lo else 1.0
    return FACES[round(position * (len(FACES) - 1))]


def scale_replies(question: Question) -> list[QuickReply]:
    """One button per point of a scale question (scales longer than 10 get none: type a number)."""
    lo, hi = question.min, question.max
    if lo is None or hi is None or hi - lo > 10:
        return []
    labels = end_labels(question)
    replies = []
    for value in range(lo, hi + 1):
        meaning = labels.get(value)
        spoken = f"{value} - {meaning}" if meaning else str(value)
        face = face_for(value, lo, hi)
        replies.append(QuickReply(label=f"{face} {spoken}", value=str(value), spoken=spoken, emoji=face))
    return replies


def question_replies(question: Question) -> list[QuickReply]:
    """Buttons for a survey question: a scale, yes/no, the choices, and Skip where it is allowed."""
    if question.kind == "scale":
        replies = scale_replies(question)
    elif question.kind == "yes_no":
        replies = [_plain("Yes"), _plain("No")]
    elif question.kind == "choice":
        replies = [_plain(choice) for choice in question.choices]
    else:
        replies = []
    if question.optional:
        replies.append(_plain("Skip this one", "Skip"))
    return replies


def paused_replies() -> list[QuickReply]:
    """The one button after a disclosure, once they have been offered to carry on with the survey."""
    return [_plain("Carry on with the survey", "GO ON")]


def invitation_replies() -> list[QuickReply]:
    """Buttons for a survey invitation. Each sends its own words (the engine reads them as yes and no), so the
    chat shows what was tapped."""
    return [_plain("Yes, let's start"), _plain("Not now")]


def declined_replies() -> list[QuickReply]:
    """The way back after "Not now", while the survey's round is open: its words take it up (`changes_mind`)."""
    return [_plain("Yes, let's start")]


def onboarding_replies(step: str) -> list[QuickReply]:
    """Buttons for a step of consent-first onboarding."""
    if step == "consent":
        return [_plain("Yes, go on", "Yes"), _plain("No thanks", "No")]
    if step == "status":
        return [_plain(choice) for choice in STATUS_CHOICES]
    if step == "age":
        return [_plain(band) for band in AGE_BANDS] + [_plain("Skip this one", "Skip")]
    if step == "declined":
        return [_plain("I've changed my mind", "Yes")]
    return []


# The hint under the chat's message box: what typing a keyword does now. Only where it is true: SKIP only at
# something that can be skipped, and nothing at all while nothing is asked (after a disclosure the help reply
# stands alone: a young person who has just told us something worrying is not told how to stop).
SKIP_OR_STOP_HINT = "You can type SKIP to skip this question, or STOP to stop."
STOP_HINT = "You can type STOP to stop."
# Under the box after "Not now", while the survey can still be started.
CHANGED_MIND_HINT = "Changed your mind? Tap Yes to start the survey."


def question_hint(question: Question) -> str:
    """The hint under the box while a survey question waits."""
    return SKIP_OR_STOP_HINT if question.optional else STOP_HINT


def onboarding_hint(step: str) -> str:
    """The hint under the box during onboarding: the age question can be skipped; the welcome has its buttons."""
    if step == "age":
        return SKIP_OR_STOP_HINT
    if step == "status":
        return STOP_HINT
    return ""
