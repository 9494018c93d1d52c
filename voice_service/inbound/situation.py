"""Read what routing needs about a sender in one query, and lock their waiting run.

One Core statement fetches, as plain values, the participant, whether they opted out (their number, or with
none, in the chat), the newest run
waiting for them (in an open round) with its survey's id and version hash, when a
run of theirs was last closed by its round (and when such a run last moved: a late answer to it is not the
waiting run's, `answers_closed`), whether a safeguarding alert of theirs is
live, and when a worker last replied on their open thread. The survey itself comes from a per-process
cache keyed by that hash, so the stored source text is read only on a miss.

Two texts at once from one person must be applied one after the other. On PostgreSQL the
inbound path first reads without a lock, and writes only if the waiting run is still as read
(`inbound/writes.py`, its guard); when another message changed it first, it reads again with
`lock=True`, and the waiting run is re-read `FOR UPDATE` (so it waits for the other to commit
and then sees its state). On SQLite the inbound path declares that it will write
(`db.will_write()`), so this read already holds the database's write lock, taken in
turn with the process's other writers (see `voice_service.db`); the slow parts of a
message (screening, analysis) are done before it.

The statements are compiled once per process, with the look-up value as a parameter, and run
on the driver's cursor (`voice_service/prepared.py`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, literal_column, or_, select, true
from sqlmodel import Session

from ..db import need_transaction
from ..engine.routing import Situation, declined_onboarding, pending_onboarding, stopped_onboarding
from ..models import (
    Conversation,
    ConversationStatus,
    OptOut,
    Participant,
    Round,
    RoundStatus,
    Run,
    RunStatus,
    SurveyVersion,
    as_utc,
    utcnow,
)
from ..participants.groups import adult_if_known
from ..prepared import prepared
from ..rounds.launch import run_state
from ..rounds.progress import said_no
from ..safeguarding.live import disclosure_live_of, live_alert_of
from ..surveys.model import Survey
from ..surveys.registry import survey_for_version

# A text within this long of a round closing on someone's run is probably an answer to it.
CLOSED_REPLY_DAYS = 30


def answers_closed(
    waiting: RunRow, *, closed_moved: datetime | None, last_closed: datetime | None, now: datetime
) -> bool:
    """True when a message answers a survey that has closed on them rather than the run waiting for them: a run
    of theirs that a round closed (within `CLOSED_REPLY_DAYS`) had last moved or been sent to them (its question,
    its invitation) after the waiting run last did. The closed survey is what they were last asked, so "3" at
    7:05 pm to a question of a round that closed at 7 pm is a late answer to it (a text-in, answered with
    `texts.CLOSED`), not a reply to another round's invitation sent before it, or an answer to that round's
    question. Once the waiting run is sent to (an invitation or reminder: `outbox.outcomes`) or moves, their
    messages are its again. The one home of this rule: the inbound path and the web chat's buttons both read it
    here (`load_sender`)."""
    closed, moved = as_utc(last_closed), as_utc(closed_moved)
    if closed is None or moved is None or now - closed >= timedelta(days=CLOSED_REPLY_DAYS):
        return False
    return moved > as_utc(waiting.updated_at)


def saved_id(participant: SenderRow | Participant) -> int:
    """The id of a participant that has been flushed; a programming error if it has none yet."""
    if participant.id is None:
        raise ValueError("participant has no id yet: flush it first")
    return participant.id


@dataclass
class SenderRow:
    """The participant's columns that routing and the common writes need, as plain values.

    Most messages need nothing more; what is rarer (an alert, an opt-out, onboarding) loads the
    ORM `Participant` by id (`Sender.model`).
    """

    id: int
    phone_hash: str | None
    source: str
    onboarding: dict | None
    date_of_birth: date | None = None
    age_band: str | None = None
    language: str = "en"  # the language their texts are sent in where written in it ("cy": Welsh)


@dataclass
class RunRow:
    """A waiting run's columns, as plain values (what `run_state`, `run_values` and a Response need)."""

    id: int
    round_id: int | None
    survey_version_id: int
    status: str
    current_question: str | None
    current_asked: bool
    reasked: bool
    language: str
    started_at: datetime | None
    ended_at: datetime | None
    updated_at: datetime
    stopped_from: str | None = None


# How long after a worker's reply on a thread they have their words are taken as read as they come, with no
# automatic answer (a live exchange); later ones are answered that a person will read them.
REPLY_WATCHED = timedelta(hours=1)


@dataclass
class Sender:
    """The stored rows behind a `Situation`: what the outcome is applied to."""

    participant: SenderRow | Participant
    opted_out: bool
    run: RunRow | None
    survey: Survey | None
    last_closed_at: datetime | None
    new: bool = False
    alert_live: bool = False
    last_reply_at: datetime | None = None
    # A member of staff has their open thread (assigned): a reply to that person is read there. False once the thread
    # is handed back (closing an alert does that), when nobody has it.
    thread_held: bool = False
    # Their live alert only flags text the screen could not read (not in English): no disclosure.
    alert_unread: bool = False
    # Their last run, when their STOP ended it in a round still open: read only for a message that could
    # opt them back in (`load_last_run`), for START to offer it again.
    stopped: RunRow | None = None
    stopped_survey: Survey | None = None
    # Their last run, when they said no to its invitation in a round still open (`load_last_run`): YES takes it up.
    declined: RunRow | None = None
    declined_survey: Survey | None = None
    # False when `load_last_run` found that the survey they were last asked about is not one a round closed.
    closed_is_last: bool = True

    def model(self, session: Session) -> Participant:
        """The ORM participant, loaded (once) only when a rarer path changes it or links to it."""
        if not isinstance(self.participant, Participant):
            found = session.get(Participant, self.participant.id)
            if found is None:
                raise LookupError(f"there is no participant {self.participant.id}")
            self.participant = found
        return self.participant

    def situation(self, *, channel: str, council: str, now: datetime, talk_for: timedelta | None = None) -> Situation:
        """The engine's plain view of this sender (`talk_for`: how long a worker's reply keeps them talking
        with that person, `[schedule] talk_hours`)."""
        closed = as_utc(self.last_closed_at)
        return Situation(
            channel=channel,
            council=council,
            opted_out=self.opted_out,
            # New, or a number whose first message was a disclosure (answered with help alone): consent first.
            new_participant=self.new or (self.participant.onboarding is None and self.participant.source == "text_in"),
            onboarding=pending_onboarding(self.participant.onboarding),
            declined_onboarding=declined_onboarding(self.participant.onboarding),
            stopped_onboarding=stopped_onboarding(self.participant.onboarding),
            run=run_state(self.run, self.survey) if self.run is not None else None,
            survey=self.survey,
            recently_closed=self.closed_is_last
            and closed is not None
            and now - closed < timedelta(days=CLOSED_REPLY_DAYS),
            stopped=run_state(self.stopped, self.stopped_survey) if self.stopped is not None else None,
            declined=run_state(self.declined, self.declined_survey) if self.declined is not None else None,
            declined_survey=self.declined_survey,
            alert_live=self.alert_live,
            alert_unread=self.alert_unread,
            talking_to_person=self.talking_to_person(now, talk_for),
            thread_held=self.holds_thread(now),
            adult=self.adult(now),
            # A run keeps the language it started in; outside one, theirs (`texts.for_person`).
            language=self.run.language if self.run is not None else self.participant.language,
        )

    def adult(self, now: datetime) -> bool | None:
        """18 or over (by date of birth, else the age band they chose): their help lines are for adults;
        None when their age is not known (help lines for any age)."""
        return adult_if_known(self.participant.date_of_birth, self.participant.age_band, now.date())

    def holds_thread(self, now: datetime) -> bool:
        """True while a member of staff has their thread (assigned) and wrote to them within `REPLY_WATCHED`: their
        words are read as they come. After that, or once the thread is handed back, a message for that person is
        answered that a person will read it (`routing.ToPerson.unheld`; trial 9, T9-1 and T9-3)."""
        replied = as_utc(self.last_reply_at)
        return self.thread_held and replied is not None and now - replied < REPLY_WATCHED

    def talking_to_person(self, now: datetime, talk_for: timedelta | None) -> bool:
        """True while a worker's reply on their open thread is the latest thing they were sent: no survey
        message since (the waiting run has not moved or been sent since the reply) and within `talk_for`.
        Closing the thread ends it (only open threads count), and so does GO ON (the run moves on)."""
        replied = as_utc(self.last_reply_at)
        if replied is None or (talk_for is not None and now - replied >= talk_for):
            return False
        moved = as_utc(self.run.updated_at) if self.run is not None else None
        return moved is None or moved <= replied


_P = Participant.__table__  # type: ignore[attr-defined]
_RUN = Run.__table__  # type: ignore[attr-defined]
_VERSION = SurveyVersion.__table__  # type: ignore[attr-defined]
RUN_COLUMNS = (
    "id",
    "round_id",
    "survey_version_id",
    "status",
    "current_question",
    "current_asked",
    "reasked",
    "language",
    "started_at",
    "ended_at",
    "updated_at",
    "stopped_from",
)


@functools.cache  # built once per dialect: the statement is the same for every message (only .where() differs)
def _query(dialect: str):
    waiting_run = _RUN.alias("waiting_run")
    closed_run = _RUN.alias("closed_run")
    run = _RUN.alias("run")
    rounds = Round.__table__  # type: ignore[attr-defined]
    opt_out = OptOut.__table__  # type: ignore[attr-defined]
    version = SurveyVersion.__table__  # type: ignore[attr-defined]
    # The waiting statuses as literals, not an expanding IN: the statement then needs no rewriting per message.
    waiting_statuses: list[Any] = [literal_column(f"'{status}'") for status in RunStatus.WAITING]
    newest_waiting = (
        select(waiting_run.c.id)
        .outerjoin(rounds, rounds.c.id == waiting_run.c.round_id)
        .where(
            waiting_run.c.participant_id == _P.c.id,
            waiting_run.c.status.in_(waiting_statuses),
            or_(waiting_run.c.round_id.is_(None), rounds.c.status == RoundStatus.OPEN),
        )
        .order_by(waiting_run.c.created_at.desc(), waiting_run.c.id.desc())
        .limit(1)
        .correlate(_P)
    )
    if dialect == "postgresql":
        # A lateral join: the participant's runs are looked at once. (Joined on `id = (subquery)`, PostgreSQL
        # ran the subquery twice and read the run table a third time to join it: about twice the server's time.)
        run = newest_waiting.with_only_columns(*(waiting_run.c[name] for name in RUN_COLUMNS)).lateral("run")
        run_join = true()
    else:
        # SQLite has no LATERAL; it looks the run up by its key, once.
        run_join = run.c.id == newest_waiting.scalar_subquery()
    # When a run of theirs was last closed by its round, and when such a run last moved or was sent to them
    # (`close_round` keeps it): `recently_closed` and `answers_closed`.
    closed_where = (closed_run.c.participant_id == _P.c.id, closed_run.c.status == RunStatus.CLOSED)
    closed_join: Any = None
    last_closed: Any
    closed_moved: Any
    if dialect == "postgresql":
        # Both from one lateral visit of their closed runs (an aggregate: always one row).
        closed = (
            select(func.max(closed_run.c.ended_at).label("ended_at"), func.max(closed_run.c.updated_at).label("moved"))
            .where(*closed_where)
            .lateral("closed")
        )
        last_closed, closed_moved, closed_join = closed.c.ended_at, closed.c.moved, closed
    else:
        # SQLite has no LATERAL: two look-ups by the participant's index, in process.
        last_closed = select(func.max(closed_run.c.ended_at)).where(*closed_where).correlate(_P).scalar_subquery()
        closed_moved = select(func.max(closed_run.c.updated_at)).where(*closed_where).correlate(_P).scalar_subquery()
    alert_live = live_alert_of(_P.c.id).correlate(_P).label("alert_live")  # the rule's one home
    disclosed = disclosure_live_of(_P.c.id).correlate(_P).label("disclosed")  # not only unread text
    conversation = Conversation.__table__  # type: ignore[attr-defined]
    active_statuses: list[Any] = [literal_column(f"'{status}'") for status in ConversationStatus.ACTIVE]
    last_reply = (
        select(func.max(conversation.c.last_reply_at))
        .where(conversation.c.participant_id == _P.c.id, conversation.c.status.in_(active_statuses))
        .correlate(_P)
        .scalar_subquery()
    )
    assigned: Any = literal_column(f"'{ConversationStatus.ASSIGNED}'")
    held = (
        select(func.count())
        .where(conversation.c.participant_id == _P.c.id, conversation.c.status == assigned)
        .correlate(_P)
        .scalar_subquery()
    )
    query = (
        select(
            _P.c.id,
            _P.c.phone_hash,
            _P.c.source,
            _P.c.onboarding,
            _P.c.date_of_birth,
            _P.c.age_band,
            _P.c.language,
            opt_out.c.phone_hash,
            _P.c.chat_stopped_at,
            last_closed,
            closed_moved,
            alert_live,
            disclosed,
            last_reply,
            held,
            version.c.survey_id,
            version.c.version,
            *(run.c[name] for name in RUN_COLUMNS),
        )
        .select_from(_P)
        .outerjoin(opt_out, opt_out.c.phone_hash == _P.c.phone_hash)
        .outerjoin(run, run_join)
        .outerjoin(version, version.c.id == run.c.survey_version_id)
    )
    return query if closed_join is None else query.outerjoin(closed_join, true())


def _sender_by_phone_hash(dialect: str):
    return _query(dialect).where(_P.c.phone_hash == bindparam("key"))


def _sender_by_id(dialect: str):
    return _query(dialect).where(_P.c.id == bindparam("key"))


def run_for_update():
    """The waiting run's columns, re-read under a row lock (PostgreSQL)."""
    return select(*(_RUN.c[name] for name in RUN_COLUMNS)).where(_RUN.c.id == bindparam("run_id")).with_for_update()


def load_sender(
    session: Session,
    *,
    phone_hash: str | None = None,
    participant_id: int | None = None,
    lock: bool = True,
    now: datetime | None = None,
) -> Sender | None:
    """The sender by number hash or participant id, with their waiting run locked (unless `lock` is
    false, for a read-only view); None if unknown. Plain values, read with one Core statement.

    The waiting run is left out when their message would answer a survey that has closed on them instead
    (`answers_closed`, as of `now`)."""
    now = now or utcnow()
    connection = session.connection()
    params: dict[str, Any]
    dialect = connection.dialect
    if phone_hash is not None:
        query, params = prepared(_sender_by_phone_hash, dialect, dialect.name), {"key": phone_hash}
    else:
        query, params = prepared(_sender_by_id, dialect, dialect.name), {"key": participant_id}
    for _ in range(3):
        row = query.first(connection, params)
        if row is None:
            return None
        (
            pid,
            hashed,
            source,
            onboarding,
            born,
            band,
            language,
            opt_out_hash,
            chat_stopped_at,
            last_closed,
            closed_moved,
            live,
            disclosed,
            replied,
            held,
            survey_id,
            version,
            *run_values,
        ) = row
        run = RunRow(*run_values) if run_values[0] is not None else None
        if run is not None and answers_closed(run, closed_moved=closed_moved, last_closed=last_closed, now=now):
            run, survey_id, version = None, None, None  # another round's run: not what this message answers
        participant = SenderRow(pid, hashed, source, onboarding, born, band, language or "en")
        sender = Sender(
            participant,
            # Opted out: their number said STOP, or with no number, they did in the chat (`participants.opt_outs`).
            opt_out_hash is not None or chat_stopped_at is not None,
            run,
            None,
            last_closed,
            alert_live=bool(live),
            last_reply_at=replied,
            thread_held=bool(held),
            alert_unread=bool(live) and not disclosed,
        )
        if run is None or not lock:
            if run is not None:
                sender.survey = survey_for_version(session, run.survey_version_id, survey_id, version)
            return sender
        if not lock_run(session, run):
            # Another message from them changed this run while we waited for its lock: read everything
            # again (we hold the lock now, so this time it cannot change under us).
            continue
        sender.survey = survey_for_version(session, run.survey_version_id, survey_id, version)
        return sender
    raise RuntimeError("the waiting run changed twice while locked")  # cannot happen while we hold the lock


def lock_run(session: Session, run: RunRow) -> bool:
    """Lock the run's row on PostgreSQL; True when it is still as `run` says (False: read it again).

    On SQLite the transaction already holds the write lock, so nothing can have changed it.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return True
    need_transaction(session)  # the lock lasts to the commit, with everything the message writes
    locked = prepared(run_for_update, connection.dialect).first(connection, {"run_id": run.id})
    return locked is not None and RunRow(*locked) == run


def last_run():
    """Their last run (the one they last moved in or were last sent), with its survey's id and version."""
    return (
        select(*(_RUN.c[name] for name in RUN_COLUMNS), _VERSION.c.survey_id, _VERSION.c.version)
        .join(_VERSION, _VERSION.c.id == _RUN.c.survey_version_id)
        .where(_RUN.c.participant_id == bindparam("participant_id"))
        .order_by(_RUN.c.updated_at.desc(), _RUN.c.created_at.desc(), _RUN.c.id.desc())
        .limit(1)
    )


def load_last_run(session: Session, sender: Sender, *, now: datetime) -> None:
    """Read into `sender` what their last run says, for a message with nothing waiting for it that may opt them
    back in, take up an invitation they said no to, or be answered "that survey has closed" (`routing.reads_last_run`).

    Their last run is the one they last moved in or were last sent (`updated_at`; a round's close keeps it, as
    `answers_closed` reads it): when it is not a closed one, no survey has closed on them since (`closed_is_last`
    false: never "this survey has closed" while the survey they were last asked about is open). When it is in a
    round still open (not closed, and not past its closing time) and their STOP ended it, it is `stopped` (START
    offers it again); when they said no to its invitation, it is `declined` (YES takes it up). One statement,
    compiled once per process as the sender's is (a text-in that could be a YES reads it too); the run is locked
    on PostgreSQL as a waiting run is, so two texts at once apply in turn."""
    connection = session.connection()
    row = prepared(last_run, connection.dialect).first(connection, {"participant_id": sender.participant.id})
    if row is None:
        return
    run = RunRow(*row[: len(RUN_COLUMNS)])
    sender.closed_is_last = run.status == RunStatus.CLOSED
    stopped = run.status == RunStatus.STOPPED
    if not stopped and not said_no(run.status, run.started_at):
        return
    survey_id, version = row[len(RUN_COLUMNS) :]
    round_ = session.get(Round, run.round_id) if run.round_id is not None else None
    if round_ is None or round_.status != RoundStatus.OPEN:
        return
    closes = as_utc(round_.closes_at)
    if closes is not None and closes <= now:
        return
    if not lock_run(session, run):
        return  # another message of theirs changed it meanwhile: nothing to offer from a stale read
    survey = survey_for_version(session, run.survey_version_id, survey_id, version)
    if stopped:
        sender.stopped, sender.stopped_survey = run, survey
    else:
        sender.declined, sender.declined_survey = run, survey
