"""What the actions pages need: "we did" records per pledge, with owner, status and dates.

The rules are the `Action` model's (a done action has a done time; every action is about a
pledge, a top-ten message or a theme); this module reads the form and keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from ...dates import DEFAULT_TIMEZONE, DateError, local, read_date
from ...models import Action, ActionStatus, Round
from ...models.action import due_date_problem, too_long
from ...surveys.model import Catalogue
from .form_errors import FormProblems, Problems
from .ids import record_id

STATUS_WORDS = {ActionStatus.PLANNED: "Planned", ActionStatus.IN_PROGRESS: "In progress", ActionStatus.DONE: "Done"}


class ActionFormError(FormProblems):
    """An action form that cannot be kept: every wrong field at once (`problems`), each with its message and,
    for a date, which of its day, month and year boxes are wrong."""


@dataclass(frozen=True)
class ActionFields:
    """An action form, read and checked."""

    round_id: int
    pledge: int | None
    message: int | None
    theme: str | None
    said: str
    did: str
    status: str
    owner: str | None
    due_on: date | None


def read_action_form(
    form: Mapping[str, str],
    *,
    catalogue: Catalogue,
    themes: Mapping[str, str],
    session: Session,
    today: date,
    timezone: str = DEFAULT_TIMEZONE,
) -> ActionFields:
    """Check an add/edit form against the pledges, messages and themes the council has, each text against its
    longest (`models.action.TEXT_LIMITS`) and the due date against its round and `today` (the council's day, in
    `timezone`); ActionFormError if wrong."""

    problems = Problems()
    wrong = problems.add

    def number(name: str) -> int | None:
        text = (form.get(name) or "").strip()
        if not text:
            return None
        value = record_id(text)
        if value is None:
            wrong(name, "Choose from the list")
        return value

    round_id = number("round")
    round_ = session.get(Round, round_id) if round_id is not None else None
    if round_ is None:
        wrong("round", "Choose the round the action answers")
    pledge, message = number("pledge"), number("message")
    if pledge is not None and pledge not in catalogue.pledges:
        wrong("pledge", f"There is no pledge {pledge}")
    if message is not None and message not in catalogue.messages:
        wrong("message", f"There is no top-ten message {message}")
    theme = (form.get("theme") or "").strip() or None
    if theme is not None and theme not in themes:
        wrong("theme", "Choose a theme from the list")
    about_nothing = not any((form.get(name) or "").strip() for name in ("pledge", "message", "theme"))
    if about_nothing:
        wrong("pledge", "Say what the action is about: a pledge, a top-ten message or a theme")
    said, did = (form.get("said") or "").strip(), (form.get("did") or "").strip()
    owner = (form.get("owner") or "").strip()
    if not said:
        wrong("said", "Enter what young people said")
    if not did:
        wrong("did", "Enter what the council did or will do")
    for name, text, label in (("said", said, "You said"), ("did", did, "We did"), ("owner", owner, "The owner")):
        if why := too_long(name, text, label):
            wrong(name, why)
    status = (form.get("status") or ActionStatus.PLANNED).strip()
    if status not in ActionStatus.ALL:
        wrong("status", "Choose planned, in progress or done")
    due_on = None
    try:
        due_on = read_date(form, "due", label="The due date")
    except DateError as error:
        wrong("due", str(error), error.parts)
    if round_ is not None and round_id is not None:
        opened = local(round_.opens_at, timezone).date()
        if why := due_date_problem(due_on, status=status, round_id=round_id, round_opened=opened, today=today):
            wrong("due", why)
    problems.raise_if_any(ActionFormError)
    assert round_id is not None  # a missing round is a problem above
    return ActionFields(round_id, pledge, message, theme, said, did, status, owner or None, due_on)


def save_action(*, session: Session, fields: ActionFields, action_id: int | None = None, now: datetime) -> Action:
    """Add an action, or change one; the done time is set when it becomes done and cleared if it is reopened."""
    if action_id is None:
        action = Action(round_id=fields.round_id, said=fields.said, did=fields.did, created_at=now)
        session.add(action)
    else:
        found = session.get(Action, action_id)
        if found is None:
            raise LookupError(f"there is no action {action_id}")
        action = found
    for name in ("round_id", "pledge", "message", "theme", "said", "did", "owner", "due_on"):
        setattr(action, name, getattr(fields, name))
    if fields.status == ActionStatus.DONE:
        action.done_at = action.done_at or now
    else:
        action.done_at = None
    action.status = fields.status
    action.updated_at = now
    session.flush()
    return action


def actions_by_pledge(*, session: Session, round_id: int | None = None) -> dict[int | None, list[Action]]:
    """Actions grouped by pledge (None: about a message or theme only), newest round first."""
    query = select(Action).order_by(col(Action.pledge), col(Action.round_id).desc(), col(Action.id))
    if round_id is not None:
        query = query.where(col(Action.round_id) == round_id)
    grouped: dict[int | None, list[Action]] = {}
    for action in session.exec(query):
        grouped.setdefault(action.pledge, []).append(action)
    return grouped
