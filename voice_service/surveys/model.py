"""Plain data for surveys, pledges and top-ten messages, as loaded from `conversations/`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

QuestionKind = Literal["scale", "yes_no", "choice", "text"]
QUESTION_KINDS: tuple[str, ...] = ("scale", "yes_no", "choice", "text")
END = "end"


@dataclass(frozen=True)
class Branch:
    """A conditional jump: `when` is matched against the answer, `goto` is a question id or "end".

    `test` is `when` compiled by the loader (`surveys.conditions.compile_when`), so a
    condition is parsed once per survey, not once per answer.
    """

    when: str
    goto: str
    test: Callable[[object], bool] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Question:
    """One question of a survey; `translations` maps a language code ("cy") to text."""

    id: str
    kind: QuestionKind
    text: str
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] = ()
    pledges: tuple[int, ...] = ()
    messages: tuple[int, ...] = ()
    optional: bool = False
    branches: tuple[Branch, ...] = ()
    translations: dict[str, str] = field(default_factory=dict)
    # A choice question's choices by language ("cy": the Welsh for each of `choices`, in order): read as the
    # choice in the same place, which is what is stored (`engine.answers.parse_choice`).
    choice_translations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    label: str = ""  # the short name used in summaries ("Feeling safe at home"); optional
    # An answer matching `concern` (a `when` condition, e.g. "<= 1" on "how safe do you feel where you
    # live") is the survey's own way of disclosing: it raises a low-priority alert in `concern_category`.
    concern: str = ""
    concern_category: str = "unsafe_home"
    concern_test: Callable[[object], bool] | None = field(default=None, compare=False, repr=False)

    def raises_concern(self, value: object) -> bool:
        """True when an answer's value matches the question's `concern` (never for a skipped answer)."""
        return self.concern_test is not None and value is not None and self.concern_test(value)

    @property
    def heading(self) -> str:
        """The question's name in summaries: its label, else its id in words (never the SMS prompt)."""
        return self.label or self.id.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Survey:
    """A survey file as loaded; `version` is a hash of its content so runs can pin it."""

    id: str
    title: str
    intro: str
    outro: str
    questions: tuple[Question, ...]
    version: str
    source: str = ""
    audience: tuple[str, ...] = ()  # participant statuses it is written for; empty = anyone
    min_age: int | None = None
    max_age: int | None = None
    # The intro and outro by language ("cy": `intro_cy`, `outro_cy` in the file), for a run in that language.
    intro_translations: dict[str, str] = field(default_factory=dict)
    outro_translations: dict[str, str] = field(default_factory=dict)

    def question(self, question_id: str) -> Question:
        """Return the question with this id (KeyError if there is none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def next_after(self, question_id: str) -> str:
        """The id of the question after this one in file order, or "end"."""
        ids = [q.id for q in self.questions]
        position = ids.index(question_id)
        return ids[position + 1] if position + 1 < len(ids) else END


@dataclass(frozen=True)
class Pledge:
    """A corporate parenting pledge and the themes that evidence it."""

    number: int
    text: str
    themes: tuple[str, ...]
    short: str = ""


@dataclass(frozen=True)
class TopTenMessage:
    """One of the top-ten messages from care-experienced people, with its themes."""

    number: int
    text: str
    themes: tuple[str, ...]
    short: str = ""


@dataclass(frozen=True)
class Problem:
    """A validation problem, naming the file, the place in it (question id) and the field."""

    file: str
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        place = f" question {self.where!r}" if self.where else ""
        what = f" field {self.field!r}" if self.field else ""
        # A problem with the whole file (unreadable, not TOML) names the file alone: "file: message".
        return f"{self.file}:{place}{what}: {self.message}" if place or what else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Catalogue:
    """Everything in `conversations/`: surveys by id, pledges and top-ten messages by number."""

    surveys: dict[str, Survey]
    pledges: dict[int, Pledge]
    messages: dict[int, TopTenMessage]


# "1 (not safe)" or "1 = not safe" in a question's text names what an end of the scale means.
_END_LABEL = re.compile(r"(\d+)\s*(?:\(([^)]{1,40})\)|=\s*([a-zA-Z][a-zA-Z ']{0,38}[a-zA-Z]))")


def end_labels(question: Question) -> dict[int, str]:
    """What the question's text says the scale's numbers mean, e.g. {1: "not safe", 5: "really safe"}: one
    home for the chat's buttons, the duty page and the panel's figures."""
    labels = {}
    for number, in_brackets, after_equals in _END_LABEL.findall(question.text):
        labels[int(number)] = (in_brackets or after_equals).strip()
    return labels
