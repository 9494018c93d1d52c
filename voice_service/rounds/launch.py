"""Launch and close rounds. Invitations are queued in the same transaction as the round."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol, TypeGuard, get_args
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ..chat_transcript import DEFAULT_CHAT_DAYS, say_in_chat, with_open_chat
from ..engine import texts
from ..engine.conversation import FALLBACK_COUNCIL, begin, close
from ..engine.types import RunState
from ..engine.types import RunStatus as EngineRunStatus
from ..models import (
    HeldBack,
    HeldBackStatus,
    OutboxKind,
    Participant,
    Round,
    RoundStatus,
    Run,
    RunStatus,
    SurveyVersion,
    utcnow,
)
from ..outbox import cancel_unsent, enqueue
from ..participants.groups import band_on
from ..participants.opt_outs import said_stop
from ..privacy import PhoneVault
from ..safeguarding.alerts import with_live_alert
from ..surveys.model import Survey
from ..surveys.registry import store_version, survey_for_version
from .held_back import hold_back
from .membership import (
    DEFAULT_TIMEZONE,
    AudienceMismatch,
    Cohort,
    age_range,
    area_as_written,
    area_is,
    check_cohort,
    fits,
    has_joined,
    in_age_range,
    in_audience,
    is_under_16,
    local_date,
    unknown_area,
)

__all__ = [
    "AudienceMismatch",
    "Chosen",
    "Cohort",
    "LaunchResult",
    "age_range",
    "already_in_words",
    "close_round",
    "in_age_range",
    "invite",
    "invite_in_chat",
    "is_under_16",
    "join_open_round",
    "launch_round",
    "new_run",
    "run_state",
    "select_cohort",
]


@dataclass
class LaunchResult:
    """The new round and how many were invited or left out (`held_back`: a safeguarding alert is live;
    `already_in`: already in `open_rounds`, open rounds of the same survey). `invited` counts both channels:
    `in_chat` of them were invited in their open web chat (no number); `unreachable`: no number and no open web
    chat, so nobody could be invited."""

    round: Round
    invited: int
    opted_out: int
    held_back: int = 0
    already_in: int = 0
    open_rounds: tuple[int, ...] = ()
    in_chat: int = 0
    unreachable: int = 0

    @property
    def queued_words(self) -> str:
        """ "12 invitations queued", "2 invitations queued; 1 invited in their web chat": the CLI's and the
        dashboard's words."""
        texted = self.invited - self.in_chat
        words = f"{texted} invitation{'' if texted == 1 else 's'} queued"
        if self.in_chat:
            words += f"; {in_chat_words(self.in_chat)}"
        return words

    @property
    def unreachable_words(self) -> str:
        """Who could not be invited at all, in words ("" when nobody)."""
        return unreachable_words(self.unreachable) if self.unreachable else ""


def in_chat_words(count: int) -> str:
    """ "1 invited in their web chat": invitations said in the open web chat of those with no number ("left"
    read as "left out": new-user trial)."""
    return f"{count} invited in {'their web chat' if count == 1 else 'their web chats'}"


def unreachable_words(count: int) -> str:
    """ "2 not invited: no phone number and no open web chat": those in the cohort nothing can reach."""
    return f"{count} not invited: no phone number and no open web chat"


class Chosen(NamedTuple):
    """Who a round invites, and how many of the cohort it leaves out, and why."""

    participants: list[Participant]
    opted_out: int  # said STOP
    held_back: int  # a safeguarding alert of theirs is open or acknowledged (not closed)
    held: tuple[Participant, ...] = ()  # those `held_back` counts: a launch records them (`held_back.hold_back`)
    already_in: int = 0  # already in an open round of the same survey (invited, or held back there)
    open_rounds: tuple[int, ...] = ()  # those open rounds, by id
    in_chat: frozenset[int] = frozenset()  # of `participants` and `held`, by id: no number, so in their web chat
    unreachable: int = 0  # no number and no open web chat: nothing we say would reach them


def already_in_words(count: int, open_rounds: tuple[int, ...]) -> str:
    """ "3 already in round 3 of this survey, which is still open": who a launch leaves out for that, in words."""
    if len(open_rounds) == 1:
        return f"{count} already in round {open_rounds[0]} of this survey, which is still open"
    if open_rounds:
        numbers = ", ".join(str(number) for number in open_rounds[:-1]) + f" and {open_rounds[-1]}"
        return f"{count} already in rounds {numbers} of this survey, which are still open"
    return f"{count} already in an open round of this survey"


def _in_open_rounds(session: Session, survey_id: str) -> dict[int, int]:
    """Who is already in an open round of this survey (has a run in it, or is held back there, to be invited
    when their alert is closed), each with the oldest such round's id."""
    open_round = (col(Round.status) == RoundStatus.OPEN, col(Round.survey_id) == survey_id)
    invited = select(col(Run.participant_id), col(Round.id)).join(Round, col(Round.id) == col(Run.round_id))
    held = select(col(HeldBack.participant_id), col(Round.id)).join(Round, col(Round.id) == col(HeldBack.round_id))
    found: dict[int, int] = {}
    for participant_id, round_id in [
        *session.exec(invited.where(*open_round)).all(),
        *session.exec(held.where(*open_round, col(HeldBack.status) == HeldBackStatus.HELD)).all(),
    ]:
        if round_id is not None:
            found[participant_id] = min(round_id, found.get(participant_id, round_id))
    return found


def select_cohort(
    *,
    session: Session,
    cohort: Cohort,
    today: date,
    survey: Survey | None = None,
    now: datetime | None = None,
    chat_days: int = DEFAULT_CHAT_DAYS,
) -> Chosen:
    """Participants in the cohort (and the survey's audience) who can be invited, how many opted out, how many
    are already in an open round of the survey (nobody is invited twice to the same survey), and how many are
    held back because a safeguarding alert of theirs is live: no survey is offered to a young person while the
    duty team has not closed their alert (the rule that pauses their survey after a disclosure).

    Those with a number are invited by text. Those with none, who joined in the web chat (`has_joined`), are
    invited in their chat while one is open (`in_chat`; `chat_days`: `[webchat] session_max_age_days`, as of
    `now`); with no open chat either, nothing reaches them, and they are counted as `unreachable`. STOP holds for
    both (`participants.opt_outs.said_stop`: by number, or in the chat), and so does a live alert."""
    now = now or utcnow()
    query = select(Participant, said_stop())
    if cohort.status:
        query = query.where(col(Participant.status) == cohort.status)
    if cohort.area:
        query = query.where(area_is(cohort.area))
    if cohort.participant_ids is not None:
        query = query.where(col(Participant.id).in_(list(cohort.participant_ids)))
    if survey is not None and survey.audience:
        query = query.where(col(Participant.status).in_(list(survey.audience)))
    chosen: list[Participant] = []
    opted_out = 0
    for participant, stopped in session.exec(query.order_by(col(Participant.id))).all():
        if not has_joined(participant) or not cohort.matches(participant, today):
            continue
        if survey is not None and not in_audience(participant, survey, today):
            continue
        if stopped:
            opted_out += 1
        else:
            chosen.append(participant)
    in_open = _in_open_rounds(session, survey.id) if survey is not None else {}
    already = sorted({in_open[p.id] for p in chosen if p.id in in_open})
    already_in = sum(1 for p in chosen if p.id in in_open)
    chosen = [p for p in chosen if p.id not in in_open]
    no_number = [p.id for p in chosen if p.phone_hash is None and p.id is not None]
    in_chat = with_open_chat(session=session, participant_ids=no_number, now=now, max_age=timedelta(days=chat_days))
    unreachable = len(no_number) - len(in_chat)
    chosen = [p for p in chosen if p.phone_hash is not None or p.id in in_chat]
    live = with_live_alert(session=session, participant_ids=[p.id for p in chosen if p.id is not None])
    held = tuple(p for p in chosen if p.id in live)
    return Chosen(
        [p for p in chosen if p.id not in live],
        opted_out,
        len(held),
        held,
        already_in,
        tuple(already),
        in_chat=frozenset(in_chat),
        unreachable=unreachable,
    )


class EmptyCohort(ValueError):
    """Nobody in the cohort can be invited (the caller's transaction is to be rolled back)."""

    def __init__(
        self,
        opted_out: int = 0,
        held_back: int = 0,
        already_in: int = 0,
        open_rounds: tuple[int, ...] = (),
        area: str | None = None,
        outcome: str = "no round was launched",
        unreachable: int = 0,
    ):
        # `area`: `membership.unknown_area`'s words, when the cohort asked for an area nobody has.
        # `outcome`: what was refused ("no round was launched", or `refuse_empty`'s words for a schedule).
        reasons = [f"{opted_out} left out because they opted out"] if opted_out else []
        if already_in:
            reasons.append(already_in_words(already_in, open_rounds))
        if held_back:
            reasons.append(f"{held_back} held back with an open safeguarding alert")
        if unreachable:
            reasons.append(unreachable_words(unreachable))
        left_out = f" ({'; '.join(reasons)})" if reasons else ""
        super().__init__(f"nobody matched this cohort{left_out}, so {outcome}{f': {area}' if area else ''}")


def refuse_empty(*, session: Session, chosen: Chosen, cohort: Cohort, scheduling: bool = False) -> None:
    """The one rule for a cohort nobody is in, for a launch (`launch_round`) and a schedule (`create_schedule`):
    refused (EmptyCohort) with who was left out and why, and an area nobody has. A launch needs someone to
    invite now. A schedule needs someone in the cohort now: those already in an open round of the survey, or
    held back with an open safeguarding alert, count, since by its first run that round or alert may be closed
    (trial 8, H9: a schedule for an area nobody lives in was accepted, though launch refused it)."""
    waiting = chosen.already_in + chosen.held_back if scheduling else 0
    if chosen.participants or waiting:
        return
    raise EmptyCohort(
        chosen.opted_out,
        chosen.held_back,
        chosen.already_in,
        chosen.open_rounds,
        area=unknown_area(session, cohort.area),
        outcome="nothing was scheduled" if scheduling else "no round was launched",
        unreachable=chosen.unreachable,
    )


def launch_round(
    *,
    session: Session,
    vault: PhoneVault,
    survey: Survey,
    source: str,
    cohort: Cohort,
    closes_at: datetime | None = None,
    now: datetime | None = None,
    timezone: str | ZoneInfo = DEFAULT_TIMEZONE,
    allow_empty: bool = True,
    council: str = FALLBACK_COUNCIL,
    chat_days: int = DEFAULT_CHAT_DAYS,
) -> LaunchResult:
    """Create a round, a run per participant and an invitation in the outbox, all in the caller's transaction;
    for someone with no number, the invitation is said in their open web chat instead (`invite_in_chat`), and
    anyone neither way reaches is counted as unreachable (`select_cohort`; `chat_days`: how long a chat stays
    open, `[webchat] session_max_age_days`).

    Refuses (AudienceMismatch) a cohort the survey is not written for; within the cohort, only
    people in the survey's audience are invited. Ages are taken on the council's local date.
    Unless `allow_empty`, refuses (EmptyCohort) a cohort nobody is in: an open round with nobody
    invited would only show on the dashboard and in summaries.
    """
    now = now or utcnow()
    if closes_at is not None and closes_at <= now:
        raise ValueError("the closing date must be in the future")
    check_cohort(survey, cohort)
    today = local_date(now, timezone)
    if cohort.area:
        cohort = replace(cohort, area=area_as_written(session, cohort.area))  # kept as the participants have it
    # Who is invited is chosen, and an empty cohort refused, before anything is written: on PostgreSQL a refused
    # launch that had inserted its round used up a round number (a trial's first round was "round 2").
    chosen = select_cohort(session=session, cohort=cohort, today=today, survey=survey, now=now, chat_days=chat_days)
    participants, held = chosen.participants, chosen.held
    if not allow_empty:
        refuse_empty(session=session, chosen=chosen, cohort=cohort)
    version = store_version(session=session, survey=survey, source=source)
    assert version.id is not None  # store_version returns a flushed row
    round_ = Round(
        survey_id=survey.id,
        survey_version_id=version.id,
        cohort=cohort.to_dict(),
        opens_at=now,
        closes_at=closes_at,
    )
    session.add(round_)
    session.flush()
    for person in held:
        # Closing their alert invites them, if the round is still open then (`held_back.invite_held_back`).
        assert round_.id is not None and person.id is not None
        channel = "webchat" if person.id in chosen.in_chat else "sms"
        hold_back(session=session, round_id=round_.id, participant_id=person.id, channel=channel, now=now)
    for participant in participants:
        if participant.id in chosen.in_chat:
            invite_in_chat(
                session=session,
                survey=survey,
                round_=round_,
                participant=participant,
                today=today,
                now=now,
                council=council,
            )
            continue
        invite(
            session=session,
            vault=vault,
            survey=survey,
            round_=round_,
            participant=participant,
            today=today,
            council=council,
        )
    session.flush()
    return LaunchResult(
        round=round_,
        invited=len(participants),
        opted_out=chosen.opted_out,
        held_back=chosen.held_back,
        already_in=chosen.already_in,
        open_rounds=chosen.open_rounds,
        in_chat=sum(1 for p in participants if p.id in chosen.in_chat),
        unreachable=chosen.unreachable,
    )


def invite_in_chat(
    *,
    session: Session,
    survey: Survey,
    round_: Round,
    participant: Participant,
    today: date,
    now: datetime,
    council: str = FALLBACK_COUNCIL,
) -> Run:
    """Add a web chatter's run in the round and say its invitation in their web chat (`say_in_chat`: an open chat
    page shows it at its next check for news, any other when it is next opened), in the chat's words ("Tap Yes"),
    keyed "invite:<round>:<participant>" as a text invitation is; in the caller's transaction. The caller has
    checked that they may be invited (`select_cohort`, or `held_back.invite_held_back`)."""
    assert round_.id is not None and participant.id is not None
    run, invitation = join_run(
        session=session,
        survey=survey,
        round_=round_,
        participant=participant,
        today=today,
        now=now,
        channel="webchat",
        council=council,
    )
    session.flush()  # the run's id, for the message
    say_in_chat(
        session=session,
        participant_id=participant.id,
        text=invitation,
        now=now,
        key=f"invite:{round_.id}:{participant.id}",
        run_id=run.id,
    )
    return run


def invite(
    *,
    session: Session,
    vault: PhoneVault,
    survey: Survey,
    round_: Round,
    participant: Participant,
    today: date,
    now: datetime | None = None,
    council: str = FALLBACK_COUNCIL,
) -> Run:
    """Add a participant's run in the round and queue its invitation text (keyed "invite:<round>:<participant>",
    waiting for the send window like any survey text), in the caller's transaction. The caller has checked that
    they may be invited (`select_cohort`, or `held_back.invite_held_back`)."""
    run, invitation = new_run(
        survey,
        round_,
        round_.survey_version_id,
        participant,
        first_name=participant.first_name or "",
        today=today,
        council=council,
    )
    if now is not None:
        run.created_at = run.updated_at = now
    session.add(run)
    enqueue(
        session=session,
        vault=vault,
        key=f"invite:{round_.id}:{participant.id}",
        kind="invitation",
        participant=participant,
        body=invitation,
        round_id=round_.id,
        under_16=is_under_16(participant, today),
        not_before=now,
    )
    return run


def close_round(*, session: Session, round_id: int, now: datetime | None = None) -> Round:
    """Close a round: its waiting runs stop accepting answers (each keeps when it last moved), and its
    invitations and reminders that have not gone yet are cancelled (nobody is asked into a closed survey).
    Closing twice is harmless."""
    now = now or utcnow()
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"there is no round {round_id}")
    if round_.status == RoundStatus.CLOSED:
        return round_
    round_.status = RoundStatus.CLOSED
    round_.closed_at = now
    runs = session.exec(select(Run).where(col(Run.round_id) == round_id, col(Run.status).in_(RunStatus.WAITING)))
    for run in runs:
        # The engine decides what closing means for a run; only the state comes from the row.
        closed = close(run_state(run))
        run.status, run.current_question, run.reasked = closed.status, closed.current, closed.reasked
        # `ended_at` says when it closed; `updated_at` keeps when it last moved or was sent to them, so a late
        # answer to it is told from a message to another round's run (`inbound.situation.answers_closed`).
        run.ended_at = now
    cancel_unsent(
        session=session,
        round_id=round_id,
        kinds=(OutboxKind.INVITATION, OutboxKind.REMINDER),
        reason="round closed",
        now=now,
    )
    session.flush()
    return round_


def new_run(
    survey: Survey,
    round_: Round,
    version_id: int,
    participant: Participant,
    *,
    first_name: str | None,
    today: date,
    channel="sms",
    council: str = FALLBACK_COUNCIL,
) -> tuple[Run, str]:
    """A participant's run in a round, waiting for YES, and the invitation that starts it in the words
    for them and their channel (not yet added), naming `council` (`[app] council_name`) where the survey's
    intro says {council}; `today` is the council's date, for their age."""
    assert participant.id is not None  # callers pass stored (flushed) participants
    # Their name as the channel carries it: in an SMS, "Zoë" as "Zoe", so one letter does not double the cost.
    step = begin(survey, first_name=texts.name_for(first_name, channel), language=participant.language, council=council)
    run = Run(
        participant_id=participant.id,
        round_id=round_.id,
        survey_version_id=version_id,
        channel=channel,
        status=step.state.status,
        current_question=step.state.current,
        language=step.state.language,
        age_band=band_on(participant.date_of_birth, participant.age_band, round_.opened_on()),
    )
    return run, texts.for_person(
        step.replies[0], channel, adult=participant.adult_on(today), language=participant.language
    )


def join_open_round(
    *,
    session: Session,
    participant: Participant,
    now: datetime,
    today: date,
    channel: str,
    council: str = FALLBACK_COUNCIL,
) -> tuple[Run, str, Survey] | None:
    """Invite someone who has just told us who they are into the newest open round meant for them.

    Returns the new run (added, not flushed), its invitation and the survey, or None when no open round fits,
    or when a safeguarding alert of theirs is live (`with_live_alert`: no survey is offered to a young person
    until the duty team closes their alert, as a launch holds them back): the round they would have joined
    records them as held back then, and closing the alert invites them in their chat (`held_back`).
    """
    assert participant.id is not None  # callers pass stored (flushed) participants
    live = bool(with_live_alert(session=session, participant_ids=[participant.id]))
    rows = session.exec(
        select(Round, col(SurveyVersion.survey_id), col(SurveyVersion.version))
        .join(SurveyVersion, col(SurveyVersion.id) == col(Round.survey_version_id))
        .where(
            col(Round.status) == RoundStatus.OPEN,
            (col(Round.closes_at).is_(None)) | (col(Round.closes_at) > now),
            ~select(col(Run.id))
            .where(col(Run.round_id) == col(Round.id), col(Run.participant_id) == participant.id)
            .exists(),
        )
        .order_by(col(Round.opens_at).desc(), col(Round.id).desc())
    ).all()
    for round_, survey_id, version in rows:
        survey = survey_for_version(session, round_.survey_version_id, survey_id, version)
        if not fits(participant, survey, Cohort.from_dict(round_.cohort), today):
            continue
        if live:
            assert round_.id is not None
            hold_back(session=session, round_id=round_.id, participant_id=participant.id, channel=channel, now=now)
            return None
        run, invitation = join_run(
            session=session,
            survey=survey,
            round_=round_,
            participant=participant,
            today=today,
            now=now,
            channel=channel,
            council=council,
        )
        return run, invitation, survey
    return None


def join_run(
    *,
    session: Session,
    survey: Survey,
    round_: Round,
    participant: Participant,
    today: date,
    now: datetime,
    channel: str,
    council: str,
) -> tuple[Run, str]:
    """A run of `round_` for someone who joins it in the conversation rather than by an invitation text (after
    onboarding, or invited into their web chat once their alert closes): the run, added (not flushed) as of
    `now`, and the invitation's words to say to them."""
    run, invitation = new_run(
        survey,
        round_,
        round_.survey_version_id,
        participant,
        first_name=None,
        today=today,
        channel=channel,
        council=council,
    )
    run.created_at = run.updated_at = now
    session.add(run)
    return run, invitation


class StoredRun(Protocol):
    """What `run_state` reads: a `Run`, or the plain values the inbound path reads for one."""

    @property
    def id(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def current_question(self) -> str | None: ...
    @property
    def reasked(self) -> bool: ...
    @property
    def language(self) -> str: ...
    @property
    def current_asked(self) -> bool: ...
    @property
    def stopped_from(self) -> str | None: ...


def run_state(run: StoredRun, survey: Survey | None = None) -> RunState:
    """The engine's view of a stored run (pinned to `survey`, when given, for the engine's version check)."""
    if not _is_run_status(run.status):
        raise ValueError(f"run {run.id} has an unknown status {run.status!r}")
    return RunState(
        survey_id=survey.id if survey else "",
        survey_version=survey.version if survey else "",
        status=run.status,
        current=run.current_question,
        reasked=run.reasked,
        language=run.language,
        asked=run.current_asked,
        stopped_from=run.stopped_from if _is_run_status(run.stopped_from) else None,
    )


_RUN_STATUSES = frozenset(get_args(EngineRunStatus))


def _is_run_status(value: str | None) -> TypeGuard[EngineRunStatus]:
    """True for the words the engine knows (the table's check constraint allows no others)."""
    return value in _RUN_STATUSES
