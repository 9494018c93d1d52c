"""A summary given out again after an erasure (trial 10, T10-12): someone holding the copy from before and the
one from after could set them side by side and read off what the erased young person said. The figures are
right to change (the erasure must reach them), so nothing is refused; the worker is told before they share it.

A round's summary has been given out when the audit log records it downloaded or read (the dashboard's files,
`voice-service summary`) or saved in the panel's folder when the round closed (`[panel] drop_dir`), a year's report
covering the round was written (`voice-service report`, "report.download" with its first and last day), the outbox
holds its panel email, or the young people who took part were sent the link to its young people's page `/r/<token>`
(their thank-you text, or the message left in their web chat). An erasure records each round the person was in
("summary.erasure", subject the round, never the person: `privacy.subject.erase_subject`).

The young people's page itself never warns, and says nothing of an erasure: it is public and read by young people,
and is worked out from the answers kept now, so it already leaves the erased young person out. Whoever gives the
round's summary out again is told that the page has changed too (`PAGE_CHANGED_BY_ERASURE`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..dates import DEFAULT_TIMEZONE, local
from ..models import AuditEvent, Message, OutboxKind, OutboxMessage, Round, as_utc

ERASED_FROM_ROUND = "summary.erasure"
# Closing a round saved its summary in the panel's folder (`[panel] drop_dir`, `loop.deliver_panel_summary`).
SAVED_FOR_PANEL = "summary.saved"
# What counts as giving a summary out: a file downloaded or opened, by the dashboard or the command, or saved in the
# panel's folder.
GIVEN_OUT = ("summary.download", "summary.read", SAVED_FOR_PANEL)
# A year's report written (`voice-service report`) or downloaded or opened on the dashboard: subject "report",
# "<first day>_<last day>".
REPORT_GIVEN_OUT = ("report.download", "report.read")

_WHY = (
    "because a young person's information was erased at their request. Anyone with both copies could compare "
    "them and work out that young person's answers."
)
_SHARE = "Share this copy only with people who need it, and ask anyone with the old copy to delete it."
CHANGED_BY_ERASURE = f"This summary has changed since it was first shared, {_WHY} {_SHARE}"
# The year's report (`voice-service report`), after the rounds it names (`rounds_named`): "Warning (rounds 2 and 5):
# The figures ...", as `summary` says "Warning (round 2): This summary ...".
REPORT_CHANGED_BY_ERASURE = (
    f"The figures this report gives for the rounds named have changed since they were first shared, {_WHY} {_SHARE}"
)
# Added when the young people who took part were sent the link to the round's page: it changes too, and says why to
# no one (it must not: young people read it), so whoever would share its link again is told here.
PAGE_CHANGED_BY_ERASURE = (
    "The young people's page for this round has changed too. Its link was sent to the young people who took part, "
    "and the page does not say why it changed. Think before sharing that link again."
)


def _page_sent(session: Session, round_id: int) -> datetime | None:
    """When the young people who took part were first sent the link to the round's page (`loop.on_round_closed`)."""
    texted = session.scalar(
        select(func.min(col(OutboxMessage.created_at))).where(
            col(OutboxMessage.kind) == OutboxKind.LOOP, col(OutboxMessage.round_id) == round_id
        )
    )
    chatted = session.scalar(
        select(func.min(col(Message.created_at))).where(
            col(Message.channel) == "webchat", col(Message.provider_sid).startswith(f"loop:{round_id}:")
        )
    )
    return _earliest(texted, chatted)


def _reports(session: Session) -> list[tuple[datetime, date, date]]:
    """Each year's report written: when, and its first and last day (the days of the rounds it carries)."""
    found = []
    for at, days in session.execute(
        select(col(AuditEvent.at), col(AuditEvent.subject_id)).where(
            col(AuditEvent.action).in_(REPORT_GIVEN_OUT), col(AuditEvent.subject_type) == "report"
        )
    ).all():
        try:
            first, last = (date.fromisoformat(day) for day in str(days).split("_"))
        except ValueError:
            continue
        found.append((as_utc(at), first, last))
    return found


def _first_given_out(
    session: Session, round_: Round, reports: list[tuple[datetime, date, date]], timezone: str | ZoneInfo
) -> datetime | None:
    assert round_.id is not None
    subject = str(round_.id)
    read = session.scalar(
        select(func.min(col(AuditEvent.at))).where(
            col(AuditEvent.action).in_(GIVEN_OUT),
            col(AuditEvent.subject_type) == "round",
            col(AuditEvent.subject_id) == subject,
        )
    )
    emailed = session.scalar(
        select(func.min(col(OutboxMessage.created_at))).where(
            col(OutboxMessage.kind) == OutboxKind.PANEL_EMAIL, col(OutboxMessage.round_id) == round_.id
        )
    )
    # A report carried the round when written after it opened, for days including the council's day it opened (as
    # `year.year_report` chooses its rounds).
    opened = as_utc(round_.opens_at)
    day = local(opened, timezone).date()
    in_a_report = [at for at, first, last in reports if at >= opened and first <= day <= last]
    return _earliest(read, emailed, _page_sent(session, round_.id), *in_a_report)


def _earliest(*times: datetime | None) -> datetime | None:
    found = [as_utc(t) for t in times if t is not None]
    return min(found) if found else None


def _last_erased(session: Session, round_id: int) -> datetime | None:
    return as_utc(
        session.scalar(
            select(func.max(col(AuditEvent.at))).where(
                col(AuditEvent.action) == ERASED_FROM_ROUND,
                col(AuditEvent.subject_type) == "round",
                col(AuditEvent.subject_id) == str(round_id),
            )
        )
    )


def _changed(
    session: Session, round_: Round, reports: list[tuple[datetime, date, date]], timezone: str | ZoneInfo
) -> bool:
    assert round_.id is not None
    erased = _last_erased(session, round_.id)
    if erased is None:
        return False
    first = _first_given_out(session, round_, reports, timezone)
    return first is not None and erased > first


def rounds_erased_since_given_out(
    *, session: Session, round_ids: Iterable[int], timezone: str | ZoneInfo = DEFAULT_TIMEZONE
) -> list[int]:
    """Those of `round_ids` (in order) with someone erased after the round's summary was first given out, in any
    of the ways above (a year's report by the council's days, in `timezone`, as it chose its rounds). Ask before
    recording this giving out, or it would count as the first."""
    reports = _reports(session)
    changed = []
    for round_id in round_ids:
        round_ = session.get(Round, round_id)
        if round_ is not None and _changed(session, round_, reports, timezone):
            changed.append(round_id)
    return changed


def erased_since_given_out(
    *, session: Session, round_id: int, timezone: str | ZoneInfo = DEFAULT_TIMEZONE
) -> str | None:
    """`CHANGED_BY_ERASURE` when someone in the round was erased after its summary was first given out, else
    None; with `PAGE_CHANGED_BY_ERASURE` after it when its young people's page had been sent to them before that.
    Ask before recording this giving out, or it would count as the first."""
    if not rounds_erased_since_given_out(session=session, round_ids=[round_id], timezone=timezone):
        return None
    sent = _page_sent(session, round_id)
    erased = _last_erased(session, round_id)
    if sent is not None and erased is not None and erased > sent:
        return f"{CHANGED_BY_ERASURE} {PAGE_CHANGED_BY_ERASURE}"
    return CHANGED_BY_ERASURE


def rounds_named(round_ids: list[int]) -> str:
    """ "round 2", "rounds 2 and 5", "rounds 2, 5 and 7": which rounds a warning is about."""
    if len(round_ids) == 1:
        return f"round {round_ids[0]}"
    *rest, last = round_ids
    return f"rounds {', '.join(map(str, rest))} and {last}"
