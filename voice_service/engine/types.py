"""The engine's plain data: a run's state, one step's outcome, and a stored answer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

RunStatus = Literal["invited", "active", "paused", "finished", "stopped", "closed"]


@dataclass(frozen=True)
class RunState:
    """Where one participant is in one survey; serialisable with `to_dict`/`from_dict`.

    status: invited (intro sent, waiting for YES), active (a question is waiting),
    paused (after a disclosure: nothing is asked until they choose to carry on; `current`
    is kept, and `reasked` is true once the gentle offer to carry on has been sent),
    finished, stopped (opted out mid-run) or closed (round closed before the end).
    `current` is the id of the question waiting for an answer (a stopped run keeps the one it
    was on, so START can offer the survey again from there); `reasked` is true
    once the kind re-ask for that question has been sent. `asked` is false only while a run is
    paused at a question it has not sent yet: a run paused before a disclosure stopped counting as the
    answer to the question before (`routing._disclosure`); an answer-like reply then cannot be an
    answer to it. `stopped_from` is what a stopped run was
    doing when they said STOP (invited, active or paused; None for any other run, and for runs
    stopped before it was recorded): only a run stopped at the invitation or mid-survey is
    offered again when they opt back in, never one paused after a disclosure.
    """

    survey_id: str
    survey_version: str
    status: RunStatus = "invited"
    current: str | None = None
    reasked: bool = False
    language: str = "en"
    asked: bool = True
    stopped_from: RunStatus | None = None

    def to_dict(self) -> dict:
        """A JSON-able dict for the database."""
        return {
            "survey_id": self.survey_id,
            "survey_version": self.survey_version,
            "status": self.status,
            "current": self.current,
            "reasked": self.reasked,
            "language": self.language,
            "asked": self.asked,
            "stopped_from": self.stopped_from,
        }

    @classmethod
    def from_dict(cls, data: dict) -> RunState:
        """Rebuild a state saved with `to_dict`."""
        return cls(**data)

    def but(self, **changes) -> RunState:
        """A copy with some fields changed."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Answer:
    """One answer to store: `value` is the parsed answer (int for scale, bool for yes_no,
    the canonical choice text for choice, the text itself for text), or None when skipped
    or unreadable after the re-ask (then `free_text` is true and `raw` holds what was said)."""

    question_id: str
    kind: str
    raw: str
    value: int | bool | str | None
    skipped: bool = False
    free_text: bool = False


@dataclass(frozen=True)
class Step:
    """What the engine decided for one inbound text."""

    state: RunState
    replies: tuple[str, ...] = ()
    answer: Answer | None = None
    events: tuple[str, ...] = field(default=())  # e.g. "started", "finished", "declined", "reasked"
    keep_text: bool = False  # the text is not an answer but should be kept as a text-in (it may matter)
