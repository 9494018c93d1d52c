"""An alert's record, as plain data: every step (acknowledged, what was done, handed over, a note, escalated,
closed) with who and when, for the alert page, `alerts show` and the inbox alike.

Each step a duty worker takes is an `AlertEntry` (`safeguarding.alerts`); escalation is the service's own, at
`Alert.escalated_at`. Alerts from before entries were kept (migration 0028) still say who acknowledged and closed
them, and when, from the alert itself; their notes (`Alert.note`) are shown apart, as written before who and when
were kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..models import Alert, AlertAction, AlertEntry, AlertStep, as_utc

ESCALATED = "escalated"  # a step of the service's own, not an `AlertEntry`
SERVICE = "the service"

# What was done, in the duty team's words (the alert page's choices and its record alike).
ACTION_WORDS = {
    AlertAction.CALLED: "Called them",
    AlertAction.VISITED: "Visited them",
    AlertAction.REFERRED: "Referred them on",
    AlertAction.NO_FURTHER_ACTION: "No further action",
}


@dataclass(frozen=True)
class Step:
    """One step on an alert's record: what (`kind`: an `AlertStep`, or ESCALATED), when, who (an account's
    email, or a name given on the command line; None for the service's own), and what went with it."""

    kind: str
    at: datetime
    by: str | None
    action: str | None = None
    handed_to: str | None = None
    note: str | None = None

    def who(self, names: Mapping[str, str]) -> str:
        """Who took the step, by the name `names` gives their account ("the service" for its own)."""
        return names.get(self.by, self.by) if self.by else SERVICE

    def words(self, names: Mapping[str, str]) -> str:
        """The step in a duty worker's words, without its time or note: "Handed over to Dee Duty by Dan Duty"."""
        who = self.who(names)
        done = ACTION_WORDS.get(self.action or "", (self.action or "").replace("_", " "))
        if self.kind == AlertStep.ACKNOWLEDGED:
            return f"Acknowledged by {who}"
        if self.kind == AlertStep.ACTION:
            return f"{done} (recorded by {who})"
        if self.kind == AlertStep.HANDED_OVER:
            to = names.get(self.handed_to or "", self.handed_to or "")
            return f"Handed over to {to} by {who}"
        if self.kind == AlertStep.NOTE:
            return f"Note by {who}"
        if self.kind == AlertStep.CLOSED:
            return f"Closed by {who}" + (f", recording: {done}" if self.action else "")
        if self.kind == ESCALATED:
            return f"Escalated to the escalation contacts by {SERVICE}"
        return f"{self.kind.replace('_', ' ').capitalize()} by {who}"


def entries(*, session: Session, alert_id: int) -> list[AlertEntry]:
    """The alert's `AlertEntry` rows, oldest first."""
    return list(
        session.exec(
            select(AlertEntry)
            .where(col(AlertEntry.alert_id) == alert_id)
            .order_by(col(AlertEntry.at), col(AlertEntry.id))
        ).all()
    )


def history(*, session: Session, alert: Alert) -> list[Step]:
    """Every step on the alert's record, oldest first, each with who and when."""
    assert alert.id is not None
    rows = entries(session=session, alert_id=alert.id)
    steps = [Step(row.kind, as_utc(row.at), row.by, row.action, row.handed_to, row.note) for row in rows]
    kinds = {row.kind for row in rows}
    # An alert acknowledged or closed before entries were kept still says who and when, from the alert itself.
    if AlertStep.ACKNOWLEDGED not in kinds and alert.acknowledged_at is not None and alert.acknowledged_by:
        steps.append(Step(AlertStep.ACKNOWLEDGED, as_utc(alert.acknowledged_at), alert.acknowledged_by))
    if AlertStep.CLOSED not in kinds and alert.closed_at is not None and alert.closed_by:
        steps.append(Step(AlertStep.CLOSED, as_utc(alert.closed_at), alert.closed_by))
    if alert.escalated_at is not None:
        steps.append(Step(ESCALATED, as_utc(alert.escalated_at), None))
    # Oldest first; steps at the same moment (picked up by recording an action) in the order they were taken.
    return [step for _, step in sorted(enumerate(steps), key=lambda pair: (pair[1].at, pair[0]))]


def last(steps: list[Step], kind: str) -> Step | None:
    """The latest step of this kind (the hand-over that put it with whoever has it now), or None."""
    return next((step for step in reversed(steps) if step.kind == kind), None)


def done(steps: list[Step]) -> list[Step]:
    """The steps that recorded what was done: each action, and an outcome given at closing."""
    return [step for step in steps if step.action and step.kind in (AlertStep.ACTION, AlertStep.CLOSED)]


def earlier_notes(alert: Alert) -> list[str]:
    """Notes written before who and when were kept (migration 0028), one a line."""
    return (alert.note or "").splitlines()


def people(steps: list[Step]) -> tuple[str, ...]:
    """Everyone the steps name (who took each, who an alert was handed to), to look their names up."""
    return tuple(who for step in steps for who in (step.by, step.handed_to) if who)


def notes(*, session: Session, alert: Alert) -> list[str]:
    """Every note on the alert, oldest first: the earlier ones, then each step's."""
    return earlier_notes(alert) + [step.note for step in history(session=session, alert=alert) if step.note]


def forget_notes(*, session: Session, alert_id: int) -> None:
    """Clear the notes on an alert's steps, keeping who did what and when (erasure and retention clear what was
    written about a young person, as they clear `Alert.note`)."""
    session.exec(
        update(AlertEntry)
        .where(col(AlertEntry.alert_id) == alert_id, col(AlertEntry.note).is_not(None))
        .values(note=None)
    )
