"""The one rule for a live safeguarding alert: one the duty team has not closed (open or acknowledged).

While an alert of theirs is live a young person's survey is paused, no survey is offered to them, their
invitations, reminders and thank-you wait, and what they say reaches the duty team. Every reader builds from
these expressions: the inbound path's one read of the sender (`inbound.situation`) as a column of that same
statement, and the alert service's queries (`alerts.with_live_alert`, `_live_alert`).

An alert that only flags text the screen could not read (not in English: `analysis.unread`) is live like any
other, so invitations, reminders and the thank-you still wait until a person has read it; but it is no
disclosure, so the inbound path reads it apart (`disclosure_live_of`): the young person's survey is not paused
and they are not answered as after a disclosure (`engine.routing.disclosed`).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, Exists, Text, cast, exists, literal, literal_column

from ..analysis.language import NOT_ENGLISH_REASON
from ..models import Alert, AlertStatus

# The statuses as literals, not an expanding IN: a statement built from them needs no rewriting per use
# (the inbound path's compiled statement stays one).
_LIVE: list[Any] = [literal_column(f"'{status}'") for status in AlertStatus.LIVE]


def alert_is_live() -> ColumnElement[bool]:
    """True for an alert row the duty team has not closed (`AlertStatus.LIVE`)."""
    return Alert.__table__.c.status.in_(_LIVE)  # type: ignore[attr-defined]


def live_alert_of(participant_id: Any) -> Exists:
    """Whether the participant `participant_id` (a column or a value) has a live alert, as an EXISTS to use in
    a larger statement (correlate it to the participant's table when `participant_id` is one of its columns)."""
    return exists().where(Alert.__table__.c.participant_id == participant_id, alert_is_live())  # type: ignore[attr-defined]


# An alert's reasons as stored (JSON, written by json.dumps on both databases) when it only flags unread text.
_ONLY_UNREAD = json.dumps([NOT_ENGLISH_REASON])


def disclosure_live_of(participant_id: Any) -> Exists:
    """As `live_alert_of`, for a live alert that is more than a flag on text the screen could not read (not in
    English): a possible disclosure, a plea (which puts "asked for help" among its reasons: `alerts.add_plea`) or a
    survey answer's concern."""
    table = Alert.__table__  # type: ignore[attr-defined]
    return exists().where(
        table.c.participant_id == participant_id,
        alert_is_live(),
        cast(table.c.reasons, Text) != literal(_ONLY_UNREAD, Text),
    )
