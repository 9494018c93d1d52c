"""Handle one message from a young person, whatever the channel: the service's main path.

    a duty team's own number (`inbound.duty_phones`)?  ->  where to acknowledge; nothing stored or screened
    screen (first, no database), then themes and sentiment (no database either)
    ->  read the sender in one query (SQLite: under the write lock)
    ->  engine.routing.decide (one typed outcome)  ->  the replies, worked out before writing
    ->  insert the message, ON CONFLICT DO NOTHING (a retried provider id stops here, answered as before if
        it is the same sender's, refused (`ProviderIdTaken`) if another's; on PostgreSQL only if their waiting
        run is still as read, else read again, locking it)
    ->  alert, answer or text-in, run state, replies  ->  the caller commits

Everything a message causes is written in the caller's transaction. The rows every message
writes go in as Core statements (`inbound/writes.py`); what is rarer (alerts, opt-outs,
onboarding, a new participant) goes through the ORM session, flushed once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlmodel import Session, col, select

from .. import analysis
from ..analysis import Analysis
from ..db import begin_when_needed, need_transaction, will_write
from ..engine import texts
from ..engine.conversation import stop
from ..engine.routing import (
    AfterDisclosure,
    Awaiting,
    ChangedMind,
    Disclosure,
    Onboarded,
    OnboardingBegun,
    OptedIn,
    OptedOut,
    Outcome,
    Situation,
    SurveyStep,
    ToPerson,
    Unread,
    WantsPerson,
    awaiting,
    decide,
    declined_onboarding,
    pending_onboarding,
    pleads,
    reads_last_run,
    understood,
)
from ..engine.types import RunState
from ..models import Participant, Run, RunStatus, utcnow
from ..participants.opt_outs import opt_back_in, opt_out
from ..rounds import held_back
from ..rounds.launch import join_open_round, run_state
from ..rounds.membership import local_date
from ..safeguarding import notify_reply, store_alert
from ..safeguarding.alerts import PICTURE, PLEA, add_plea, live_alert_escalated, passes_on_at_once
from ..safeguarding.duty_replies import duty_phone_reply
from ..surveys.model import Question, Survey
from .duty_phones import EVENT as DUTY_PHONE
from .duty_phones import is_duty_phone
from .office import disclosure_reply, office_reopens
from .responses import answer_response, text_in_response
from .situation import RunRow, Sender, load_last_run, load_sender, saved_id
from .writes import RunChanged, earlier_replies, insert_replies, run_values, write_message

# Outcomes that write more than `write_message` does (through the ORM), so need a transaction around it all.
_WRITES_MORE = (OptedOut, OptedIn, ChangedMind, OnboardingBegun, Onboarded)

# Limits checked before the database sees a value (the columns' sizes).
MAX_PROVIDER_SID = 64
MAX_CHANNEL = 10


@dataclass(frozen=True)
class StoredText:
    """The message `write_message` has just stored, as its alert needs it (no ORM object is made for it)."""

    id: int
    channel: str
    participant_id: int | None
    body: str


class ProviderIdTaken(Exception):
    """A provider id (a MessageSid) this channel already has, stored from another sender: not a retry of their
    own message. Nothing of it is stored, and it is answered with nobody's replies (`web.sms.routes` refuses it
    with 409; the spool's replay marks it failed for a person)."""


@dataclass
class InboundResult:
    """The replies to send back, and what happened (`awaiting`: what their next message will answer)."""

    replies: list[str]
    duplicate: bool = False
    alert_id: int | None = None
    participant_id: int | None = None
    events: list[str] = field(default_factory=list)
    awaiting: Awaiting = field(default_factory=Awaiting)


def receive(
    *,
    session: Session,
    services,
    channel: str,
    text: str,
    provider_sid: str | None = None,
    phone: str | None = None,
    participant_id: int | None = None,
    now: datetime | None = None,
    media: int = 0,
    received_at: datetime | None = None,
    chat_id: int | None = None,
    early_notice: str | None = None,
) -> InboundResult:
    """Handle one inbound text from a phone number (SMS: created and onboarded if new) or a known participant.

    `media`: how many pictures it carried (an MMS); only the number is stored, never the pictures.
    `chat_id`: the web chat it was typed in (none for a text): the message and its replies are stored as that
    chat's, in the same insert, so they are shown in that chat alone (`web.chat.sessions`).
    `received_at`: when a message stored late arrived (the spool's replay: the database was away then). It is
    handled as of that time, and stored with it, as is all it causes (an answer's time, the run's, an alert's
    raised time and wait); only a new alert's first notices are recorded as queued `now`, when they were, and
    the alert is marked delayed as it is stored. `early_notice`: what became of the early notice the duty team had
    of it while the database was unavailable (`spool.early`), recorded among a new alert's reasons, so its notices
    say "early notice sent" (`safeguarding.alerts.told_early`)."""
    if is_duty_phone(services.config, phone):
        # Who the sender is, decided before anything else: one of the duty team's own numbers is nobody to
        # screen, store or onboard, only told where alerts are acknowledged (`inbound.duty_phones`); anyone
        # else is read, or made a new participant, by `_sender`.
        reply = duty_phone_reply(services.config, text, session=session)  # what is true of the alert it names
        return InboundResult(replies=[reply], events=[DUTY_PHONE])
    clock = now or utcnow()
    now = received_at or clock
    # First, before anything else, on the text exactly as sent; then what the database cannot store goes.
    screen = analysis.screen(text or "", directory=services.conversations_dir)
    if analysis.unread(screen) and understood(text or ""):
        screen = analysis.RiskResult(False, (), ())  # "pwy sy 'na?": read in full by the engine, no one else need
    text = storable(text or "")
    if provider_sid is not None and len(provider_sid) > MAX_PROVIDER_SID:
        raise ValueError(f"provider id longer than {MAX_PROVIDER_SID} characters")
    # Themes and sentiment too, before the database: on SQLite nothing below the first read waits for
    # this while holding the write lock. Used by a text-in and a free-text answer (most messages).
    analysed = analysis.analyse(text, risk=screen, directory=services.conversations_dir) if text.strip() else None
    # Two texts from one person are applied one after the other. On SQLite this transaction holds the write
    # lock from its first read to the commit (short: nothing slow is left to do in it). On PostgreSQL the
    # first attempt reads without a lock, and its write stores the message only if their waiting run is still
    # as read (`write_message`'s guard); if another message changed it first, nothing was written, and the
    # second attempt locks the run as it reads it again.
    will_write()
    handle = partial(
        _handle,
        session,
        services,
        channel,
        text,
        provider_sid,
        phone,
        participant_id,
        now,
        screen,
        analysed,
        media=media,
        notified_at=clock,
        delayed=received_at is not None,
        chat_id=chat_id,
        early_notice=early_notice,
    )
    try:
        return handle()
    except RunChanged:
        session.rollback()
    return handle(lock=True)


def _handle(
    session: Session,
    services,
    channel: str,
    text: str,
    provider_sid: str | None,
    phone: str | None,
    participant_id: int | None,
    now: datetime,
    screen,
    analysed: Analysis | None,
    *,
    lock: bool = False,
    media: int = 0,
    notified_at: datetime | None = None,
    delayed: bool = False,
    chat_id: int | None = None,
    early_notice: str | None = None,
) -> InboundResult:
    """`receive` from the first read to the last write (`lock`: the waiting run's row, as it is read;
    `notified_at`: when a new alert's first notices are queued, if not `now`; `delayed`: stored late;
    `chat_id`: the web chat it was typed in; `early_notice`: as `receive` takes it)."""
    # On PostgreSQL most messages are a read and one writing statement (`write_message`), which need no
    # transaction around them; whatever writes more, or locks, asks for one first (`need_transaction`).
    begin_when_needed()
    if delayed:
        need_transaction(session)  # the replay queues what they are owed with the message (`take_text`'s owed)
    if screen.risk:
        need_transaction(session)  # the alert is stored with the message, or neither is
    sender = _sender(session, services, phone=phone, participant_id=participant_id, now=now, lock=lock)
    participant = sender.participant
    situation = sender.situation(
        channel=channel, council=services.config.app.council_name, now=now, talk_for=talk_for(services.config)
    )
    if reads_last_run(situation, text):
        # Nothing waiting: START (or YES after STOP) may offer again the survey their STOP ended, YES may take up
        # an invitation they said no to, and "that survey has closed" holds only if it is the last they were asked.
        load_last_run(session, sender, now=now)
        situation = sender.situation(
            channel=channel, council=services.config.app.council_name, now=now, talk_for=talk_for(services.config)
        )
    # Text the screen cannot read (not English) is flagged for a person (its low-priority alert below), not
    # routed as a disclosure: the survey goes on if it answers the question, and nobody gets "didn't get that".
    unread = analysis.unread(screen)
    outcome = decide(situation, text, risk=screen.risk and not unread, unread=unread, pictures=media)
    concern = None if screen.risk else _concern(sender.survey, outcome)
    if concern is not None:
        need_transaction(session)  # the alert is stored with the answer, or neither is
    if isinstance(outcome, _WRITES_MORE):
        need_transaction(session)  # an opt-out, onboarding (a web chatter may join a round): ORM rows too
    # Writing back to the duty team (or a worker) while their alert is live: the duty routes are told.
    tell_duty = isinstance(outcome, ToPerson) and sender.alert_live and not screen.risk
    # A plea for help while their alert is live, a further disclosure too or not ("help me hes back"): added to
    # that alert, and the duty routes are told at once (`routing.pleads`, the rule's one home).
    plea = pleads(outcome) and sender.alert_live
    # Pictures while their alert is live (with words or without): added to that alert, as a plea is, since
    # nobody here can see them and the duty team must know something was sent.
    pictured = media > 0 and sender.alert_live and not sender.alert_unread and not screen.risk and not plea
    if tell_duty or plea or pictured:
        need_transaction(session)  # the notice is queued with the message, or neither is

    replies = texts.replies_for_person(
        _replies(services.config, outcome, now, passed_on=_passed_on(session, services.config, sender, outcome, now)),
        channel,
        adult=situation.adult,
        language=situation.language,
    )
    joined = _join_open_round(session, services, outcome, sender, channel=channel, now=now)
    if joined is not None:
        replies.append(joined[1])  # a retry gets the invitation too: it is stored with the message

    run_id = _run_of(sender, outcome)
    # Everything the message causes is worked out first (the ORM's rarer changes are made in the session;
    # a duplicate rolls them back), then the common rows go in together: one statement on PostgreSQL.
    planned = _apply(session, services, sender, outcome, text=text, screen=screen, analysed=analysed, now=now)
    transcript = [(reply, run_id) for reply in replies]
    message_id = write_message(
        session,
        inbound={
            "channel": channel,
            "provider_sid": provider_sid,
            "participant_id": participant.id,
            "run_id": run_id,
            "body": text,
            "replies": replies,
            "created_at": now,
            "wants_person": isinstance(outcome, WantsPerson) or "wants_person" in outcome.events,
            "media_count": media,
            "chat_session_id": chat_id,
        },
        responses=planned.responses,
        run=planned.run,
        run_changes=planned.run_changes,
        # The invitation of a round joined at the end of onboarding needs that run's id: written below.
        replies=transcript if joined is None else [],
        guard=None if lock else sender.run,
    )
    if message_id is None:
        # A retry of a message already handled: nothing new is written. What it was answered with is read first,
        # in this transaction (whose insert has just found it), then everything this attempt changed is rolled
        # back (read after the rollback, it took a transaction of its own: on SQLite the write lock again).
        earlier = earlier_result(session, channel=channel, provider_sid=provider_sid)
        sender_id = participant.id
        session.rollback()
        # The rule's one home: a retry is the same sender's (a participant is known by their number's hash, or
        # their chat). Checked only here, on the duplicate path: the first copy of a message pays nothing for it.
        if earlier.participant_id != sender_id:
            raise ProviderIdTaken(channel)
        return earlier

    result = InboundResult(replies=replies, participant_id=participant.id)
    message = None
    if screen.risk or concern is not None or plea or pictured:  # the stored message, for its alert
        message = StoredText(id=message_id, channel=channel, participant_id=participant.id, body=text)
    if message is not None and (screen.risk or concern is not None):
        result.alert_id = store_alert(
            session=session,
            vault=services.vault,
            config=services.config,
            message=message,
            participant=sender.participant,  # its id is all an alert needs: no ORM load
            categories=screen.categories if concern is None else (concern.concern_category,),
            priority=(getattr(screen, "priority", "") or "high") if concern is None else "low",
            reasons=(*getattr(screen, "reasons", ()), *([early_notice] if early_notice else []))
            if concern is None
            else (f"survey: {concern.heading}",),
            now=now,
            notified_at=notified_at,
            # A message stored late (the replay): the alert is delayed, and its first notices say so as they are
            # queued, in this transaction, so no dispatcher can send one without the mark.
            delayed=delayed,
            plea=plea,
            # A survey answer the screen cannot read in a run in another language (a Welsh answer in a Welsh run):
            # out of hours, for a person to read when the desk opens, only where the council chose so (off by
            # default: the screen cannot tell a Welsh disclosure from an answer, so none waits for Monday).
            wait_for_desk=unread
            and services.config.safeguarding.unread_answers_wait_for_office_hours
            and _answers_in_own_language(outcome),
        )
        result.events.append("alert")
    elif message is not None and (plea or pictured):
        pleaded = add_plea(
            session=session,
            vault=services.vault,
            config=services.config,
            message=message,
            now=now,
            reason=PLEA if plea else PICTURE,
        )
        result.alert_id = pleaded.id if pleaded is not None else None
    elif tell_duty:
        notify_reply(
            session=session, vault=services.vault, config=services.config, participant_id=saved_id(participant), now=now
        )
    result.events.extend(outcome.events)

    after = planned.after
    if joined is not None:
        session.flush()  # the joined run's id, for its invitation's transcript row (rare: end of onboarding)
        transcript[-1] = (joined[1], joined[0].id)
        invited = run_state(joined[0], joined[2])
        after = Situation(channel=channel, run=invited, survey=joined[2], language=invited.language)
        insert_replies(
            session, channel=channel, participant_id=participant.id, replies=transcript, now=now, chat_id=chat_id
        )
    session.flush()  # what the ORM holds (an alert, an opt-out, onboarding): nothing on most messages
    result.awaiting = awaiting(after)
    return result


def _answers_in_own_language(outcome: Outcome) -> bool:
    """True when the outcome stores the message as the answer to a question of a run in a language other than
    English (`safeguarding.store_alert`'s `wait_for_desk`)."""
    return isinstance(outcome, SurveyStep) and outcome.step.answer is not None and outcome.step.state.language != "en"


def _concern(survey: Survey | None, outcome: Outcome) -> Question | None:
    """The question whose `concern` this answer matches (the lowest "how safe do you feel where you live"),
    if any: the survey's own way of disclosing, raised as a low-priority alert."""
    answer = outcome.step.answer if isinstance(outcome, SurveyStep) else None
    if survey is None or answer is None or answer.skipped:
        return None
    question = survey.question(answer.question_id)
    return question if question.raises_concern(answer.value) else None


def talk_for(config) -> timedelta:
    """How long a worker's reply keeps a young person's messages going to that worker (`[schedule] talk_hours`)."""
    return timedelta(hours=config.schedule.talk_hours)


def storable(text: str) -> str:
    """The text without what a database cannot store: NUL (PostgreSQL refuses it) and lone surrogates.

    Called after the screen, which reads the text exactly as it came.
    """
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _passed_on(session: Session, config, sender: Sender, outcome: Outcome, now: datetime) -> bool:
    """True when, out of hours, the young person's alert is with the out-of-hours team (the escalation contacts):
    their live alert was escalated, or the alert this disclosure raises goes to them at once (`passes_on_at_once`).
    The reply then says so, not only when the office is back (trial 11, T11-10)."""
    if not isinstance(outcome, (Disclosure, WantsPerson, AfterDisclosure)) or office_reopens(config, now) is None:
        return False
    if sender.alert_live:
        return live_alert_escalated(session, sender.participant.id)
    return isinstance(outcome, Disclosure) and passes_on_at_once(config, now)


def _replies(config, outcome: Outcome, now: datetime, *, passed_on: bool = False) -> list[str]:
    """What to say back: the outcome's replies, or for a disclosure, a request for a person or a message
    after a disclosure, the reply that says honestly when someone will read it (`passed_on`: out of hours, that
    the out-of-hours team has their alert)."""
    if isinstance(outcome, Disclosure):
        return [disclosure_reply(config, now, plea=pleads(outcome), passed_on=passed_on)]
    if isinstance(outcome, WantsPerson):
        back = office_reopens(config, now)
        return [texts.wants_person_reply(back, after_disclosure=outcome.after_disclosure, passed_on=passed_on)]
    if isinstance(outcome, ToPerson) and outcome.unheld:
        # Nobody has their thread: a person will read it, with where help is and when the office is back.
        return [texts.unread_reply(office_reopens(config, now))]
    if isinstance(outcome, AfterDisclosure) and outcome.who_we_are:
        return [texts.who_after_disclosure_reply(outcome.who_we_are, texted_first=outcome.texted_first)]
    if isinstance(outcome, Unread) or (isinstance(outcome, SurveyStep) and outcome.unread):
        # Text the screen cannot read: a person reads it, with where help is (and when the office is back); then,
        # when a survey is under way, that its question still waits, or that it waits until they carry on.
        return [texts.unread_reply(office_reopens(config, now)), *outcome.replies[1:]]
    if isinstance(outcome, AfterDisclosure):
        if outcome.survey_paused:
            return [texts.SURVEY_PAUSED]  # an answer to their paused survey: how to carry on, and help
        if outcome.onboarding_paused:
            return [texts.ONBOARDING_PAUSED]  # likewise for onboarding's questions
        back = office_reopens(config, now)
        return [texts.after_disclosure_reply(back, nothing_waiting=outcome.nothing_waiting, passed_on=passed_on)]
    return list(outcome.replies)


def _after_disclosure(outcome: Outcome) -> bool:
    """True for a message of the conversation after a disclosure: what happens next, or a plea to the duty team."""
    return isinstance(outcome, AfterDisclosure) or (isinstance(outcome, WantsPerson) and outcome.after_disclosure)


def _run_of(sender: Sender, outcome: Outcome) -> int | None:
    """The run the message belongs to: the waiting run it answered, or the one a disclosure (or a plea) paused."""
    if sender.run is None:
        return None
    if isinstance(outcome, (SurveyStep, AfterDisclosure)) or (
        isinstance(outcome, (Disclosure, WantsPerson)) and outcome.paused is not None
    ):
        return sender.run.id
    return None


def _sender(
    session: Session, services, *, phone: str | None, participant_id: int | None, now: datetime, lock: bool
) -> Sender:
    """The sender's stored rows (`lock`: their waiting run's row too, on PostgreSQL); a number never seen
    before becomes a new participant (to be onboarded)."""
    if phone is not None:
        phone_hash = services.vault.hash(phone)
        sender = load_sender(session, phone_hash=phone_hash, lock=lock, now=now)
        if sender is not None:
            return sender
        need_transaction(session)  # the new participant and their first message are stored together
        participant = Participant(
            phone_hash=phone_hash,
            phone_encrypted=services.vault.encrypt(phone),
            source="text_in",
            created_at=now,
            updated_at=now,
        )
        session.add(participant)
        session.flush()  # a number racing in twice at once fails here, and the caller retries
        return Sender(participant, opted_out=False, run=None, survey=None, last_closed_at=None, new=True)
    sender = load_sender(session, participant_id=participant_id, lock=lock, now=now)
    if sender is None:
        raise LookupError(f"there is no participant {participant_id}")
    return sender


def earlier_result(session: Session, *, channel: str, provider_sid: str | None) -> InboundResult:
    """What a message already handled was answered with (for a webhook retry or a double-tapped Send)."""
    replies, participant_id = earlier_replies(session, channel=channel, provider_sid=provider_sid)
    return InboundResult(replies=replies, duplicate=True, participant_id=participant_id)


def _join_open_round(
    session: Session, services, outcome: Outcome, sender: Sender, *, channel: str, now: datetime
) -> tuple[Run, str, Survey] | None:
    """A web chatter who has just finished onboarding joins the newest open round meant for them."""
    if channel != "webchat" or not isinstance(outcome, Onboarded) or not outcome.step.profile:
        return None
    if not services.config.webchat.join_open_rounds:
        return None
    participant = sender.model(session)
    profile = outcome.step.profile  # applied now: the round's audience is chosen by it
    if profile.get("status"):
        participant.status = profile["status"]
    participant.age_band = profile.get("age_band")
    today = local_date(now, services.config.app.timezone)
    return join_open_round(
        session=session,
        participant=participant,
        now=now,
        today=today,
        channel=channel,
        council=services.config.app.council_name,
    )


@dataclass
class _Planned:
    """What a message will store beside itself, and the sender's situation afterwards."""

    after: Situation
    responses: list[dict] = field(default_factory=list)
    run: RunRow | None = None
    run_changes: dict | None = None


def _apply(
    session: Session,
    services,
    sender: Sender,
    outcome: Outcome,
    *,
    text: str,
    screen,
    analysed: Analysis | None,
    now: datetime,
) -> _Planned:
    """Work out what the outcome stores, in one place: the rarer changes go into the ORM session now, the
    common rows (Responses, the run's new state) are returned for `write_message`."""
    participant = sender.participant
    survey = sender.survey
    run = sender.run if _run_of(sender, outcome) is not None else None
    after_run: RunState | None = run_state(sender.run, sender.survey) if sender.run is not None else None
    opted_out = sender.opted_out
    responses: list[dict] = []
    changes: dict | None = None
    if isinstance(outcome, OptedOut):
        _opt_out(session, participant.id, participant.phone_hash, text, now, already=outcome.already)
        opted_out, after_run = True, None
        if outcome.onboarding is not None:
            participant = sender.model(session)
            participant.onboarding = outcome.onboarding.to_dict()
    elif isinstance(outcome, OptedIn):
        if sender.opted_out:
            opt_back_in(session, participant_id=participant.id, phone_hash=participant.phone_hash)
        opted_out = False
        if outcome.reopened is not None and sender.stopped is not None:
            _reopen(session, sender.stopped.id, outcome.reopened, now=now)
            after_run, survey = outcome.reopened, sender.stopped_survey
        if outcome.onboarding is not None:
            participant = sender.model(session)  # onboarding their STOP ended carries on where it stopped
            participant.onboarding = outcome.onboarding.to_dict()
    elif isinstance(outcome, ChangedMind) and sender.declined is not None:
        _reopen(session, sender.declined.id, outcome.step.state, now=now)
        after_run, survey = outcome.step.state, sender.declined_survey
    elif isinstance(outcome, OnboardingBegun):
        participant = sender.model(session)
        participant.onboarding = outcome.state.to_dict()
    elif isinstance(outcome, Onboarded):
        step = outcome.step
        participant = sender.model(session)
        participant.onboarding = step.state.to_dict()
        if step.state.status:
            # Kept as soon as they say it, not when onboarding ends: a disclosure before the age question
            # otherwise showed the duty team "in care or care leaver: not known" (new-user trial, 6 December).
            participant.status = step.state.status
        if step.profile:
            participant.age_band = step.profile.get("age_band")
    if isinstance(outcome, Disclosure) and outcome.onboarding is not None:
        participant = sender.model(session)  # onboarding carried on after an earlier disclosure waits again
        participant.onboarding = outcome.onboarding.to_dict()
    if isinstance(outcome, (Disclosure, WantsPerson, SurveyStep)) and run is not None:
        if isinstance(outcome, SurveyStep):
            state, answer, started = outcome.step.state, outcome.step.answer, "started" in outcome.step.events
        else:
            state, answer, started = outcome.paused or run_state(run), None, False  # never an answer
        changes = run_values(
            run,
            status=state.status,
            current=state.current,
            asked=state.asked,
            reasked=state.reasked,
            now=now,
            started=started,
            ended=state.status not in RunStatus.WAITING,
        )
        after_run = state
        if answer is not None and sender.survey is not None:
            responses.append(
                answer_response(
                    session=session,
                    catalogue=services.catalogue,
                    survey=sender.survey,
                    run=run,
                    participant_id=saved_id(participant),
                    answer=answer,
                    screen=screen,
                    analysed=analysed if answer.raw == text else None,
                    now=now,
                    directory=services.conversations_dir,
                )
            )
    if outcome.keep_text:
        kept = text_in_response(
            participant_id=saved_id(participant),
            text=text,
            screen=screen,
            analysed=analysed,
            now=now,
            # What they say to the duty team after a disclosure ("ok", "what happens now", "i need help") is kept,
            # with them and on their alert, but is no feedback on the survey their disclosure paused: never a
            # comment of its round, nor a quote for the panel (trial 9, T9-C).
            run=None if _after_disclosure(outcome) else run,
            during=sender.run,
            directory=services.conversations_dir,
        )
        if kept is not None:
            responses.append(kept)
    after = Situation(
        channel="",
        opted_out=opted_out,
        onboarding=pending_onboarding(participant.onboarding),
        declined_onboarding=declined_onboarding(participant.onboarding),
        run=after_run,
        survey=survey,
        # After a disclosure nothing is offered (no buttons), unless this message chose to go on with onboarding.
        alert_live=(sender.alert_live and not isinstance(outcome, Onboarded)) or isinstance(outcome, Disclosure),
        # A plea makes an alert that only flagged unread text one for a possible disclosure (`routing._plea`).
        alert_unread=sender.alert_unread and not isinstance(outcome, Disclosure) and not pleads(outcome),
        talking_to_person=isinstance(outcome, ToPerson),
        # As `Sender.situation` reads it: their run's language, else theirs (the chat's buttons are in it).
        language=after_run.language if after_run is not None else participant.language,
    )
    return _Planned(after, responses, run if changes is not None else None, changes)


def _reopen(session: Session, run_id: int, state: RunState, *, now: datetime) -> None:
    """Store a stopped run offered again (the engine's `reopen`), or a declined one taken up (`change_mind`):
    waiting again, so no end time; started now if it never had."""
    run = session.get(Run, run_id)
    if run is None:
        raise LookupError(f"there is no run {run_id}")
    run.status, run.current_question, run.reasked = state.status, state.current, state.reasked
    run.current_asked, run.stopped_from = state.asked, state.stopped_from
    run.ended_at = None
    if state.status == "active" and run.started_at is None:
        run.started_at = now
    run.updated_at = now


def _opt_out(
    session: Session, participant_id: int | None, phone_hash: str | None, keyword: str, now: datetime, *, already: bool
) -> None:
    """Record STOP (for their number, or with none on them: `participants.opt_outs`, whatever was running) and
    stop every waiting run (the engine's `stop`)."""
    opt_out(session, participant_id=participant_id, phone_hash=phone_hash, keyword=keyword, now=now, already=already)
    held_back.opted_out(session=session, participant_id=participant_id, now=now)  # no round that held them back
    waiting = session.exec(
        select(Run).where(col(Run.participant_id) == participant_id, col(Run.status).in_(RunStatus.WAITING))
    )
    for run in waiting:
        stopped = stop(run_state(run))
        run.status, run.current_question, run.reasked = stopped.status, stopped.current, stopped.reasked
        run.stopped_from = stopped.stopped_from
        run.ended_at = now
        run.updated_at = now
