"""Quick-reply buttons for whatever a chat is waiting for: pure functions over surveys and onboarding.

A button sends its own words, exactly what a young person could have typed, so a tap and a
typed answer go down the same path (and the same engine reads them), and the chat shows what
was tapped. The words are the engine's (`texts.BUTTONS`, in Welsh for a Welsh run: `texts.button`);
only a scale's face sends just its number (see `scale_replies`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from ...engine import texts
from ...engine.conversation import question_text
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


def _plain(text: str) -> QuickReply:
    return QuickReply(label=text, value=text, spoken=text)


def _button(label: str, language: str = "en") -> QuickReply:
    """One of the engine's buttons (`texts.BUTTONS`), in `language` where it is written in it."""
    return _plain(texts.button(label, language))


def face_for(value: int, lo: int, hi: int) -> str:
    """The face for a point on a scale of any length."""
    position = (value - lo) / (hi - lo) if hi > lo else 1.0
    return FACES[round(position * (len(FACES) - 1))]


def scale_replies(question: Question, language: str = "en") -> list[QuickReply]:
    """One button per point of a scale question (scales longer than 10 get none: type a number), with what its ends
    mean as the question says it in `language`.

    Each sends its number alone: the words for an end ("1 - not safe") would be screened as a disclosure."""
    lo, hi = question.min, question.max
    if lo is None or hi is None or hi - lo > 10:
        return []
    labels = end_labels(replace(question, text=question_text(question, language)))
    replies = []
    for value in range(lo, hi + 1):
        meaning = labels.get(value)
        spoken = f"{value} - {meaning}" if meaning else str(value)
        face = face_for(value, lo, hi)
        replies.append(QuickReply(label=f"{face} {spoken}", value=str(value), spoken=spoken, emoji=face))
    return replies


def question_replies(question: Question, language: str = "en") -> list[QuickReply]:
    """Buttons for a survey question asked in `language` (the run's): a scale, yes/no, the choices (in that language
    where the survey has them, `choices_cy`), and Skip where it is allowed."""
    if question.kind == "scale":
        replies = scale_replies(question, language)
    elif question.kind == "yes_no":
        replies = [_button(texts.YES_BUTTON, language), _button(texts.NO_BUTTON, language)]
    elif question.kind == "choice":
        replies = [_plain(choice) for choice in question.choice_translations.get(language, question.choices)]
    else:
        replies = []
    if question.optional:
        replies.append(_button(texts.SKIP_BUTTON, language))
    return replies


def paused_replies(language: str = "en") -> list[QuickReply]:
    """The one button after a disclosure, once they have been offered to carry on with the survey (GO ON)."""
    return [_button(texts.CARRY_ON_BUTTON, language)]


def invitation_replies(language: str = "en") -> list[QuickReply]:
    """Buttons for a survey invitation: yes and no, in words that say so."""
    return [_button(texts.START_BUTTON, language), _button(texts.NOT_NOW_BUTTON, language)]


def declined_replies(language: str = "en") -> list[QuickReply]:
    """The way back after "Not now", while the survey's round is open: its words take it up (`changes_mind`)."""
    return [_button(texts.START_BUTTON, language)]


def onboarding_replies(step: str) -> list[QuickReply]:
    """Buttons for a step of consent-first onboarding (in English, as onboarding's texts are)."""
    if step == "consent":
        return [_button(texts.CONSENT_BUTTON), _button(texts.NO_THANKS_BUTTON)]
    if step == "status":
        return [_plain(choice) for choice in STATUS_CHOICES]
    if step == "age":
        return [_plain(band) for band in AGE_BANDS] + [_button(texts.SKIP_BUTTON)]
    if step == "declined":
        return [_button(texts.CHANGED_MIND_BUTTON)]
    return []


# The hint under the chat's message box: what typing a keyword does now, in the run's language (`texts.WELSH`, as
# its buttons). Only where it is true: SKIP only at something that can be skipped, and nothing at all while nothing
# is asked (after a disclosure the help reply stands alone: a young person who has just told us something worrying
# is not told how to stop).


def question_hint(question: Question, language: str = "en") -> str:
    """The hint under the box while a survey question waits, in `language` (the run's)."""
    return texts.in_language(texts.SKIP_OR_STOP_HINT if question.optional else texts.STOP_HINT, language)


def declined_hint(language: str = "en") -> str:
    """The hint under the box after "Not now", while the survey can still be started (its Yes button)."""
    return texts.in_language(texts.CHANGED_MIND_HINT, language)


def onboarding_hint(step: str) -> str:
    """The hint under the box during onboarding (in English, as its texts are): the age question can be skipped;
    the welcome has its buttons."""
    if step == "age":
        return texts.SKIP_OR_STOP_HINT
    if step == "status":
        return texts.STOP_HINT
    return ""
