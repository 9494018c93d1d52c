"""No survey text to a young person whose safeguarding alert is live (open or acknowledged, not closed):
a new round's invitation and a reminder are held back, and counted (tester T14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import update
from sqlmodel import Session, col, select

from tests.conftest import SmsPhone
from tests.factories import SMALL_SURVEY, add_participants, launch, phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import Alert, OutboxMessage, OutboxStatus, Run
from voice_service.rounds.launch import Cohort, EmptyCohort, launch_round
from voice_service.safeguarding.alerts import acknowledge, close
from voice_service.scheduler import jobs
from voice_service.web import create_app

BEN, JACK, CARA, DAN = 1, 2, 3, 4  # participant ids, in import order
DISCLOSURE = "my carer hits me when hes angry"


def _people(services) -> None:
    add_participants(
        services, [{"phone": phone_number(i), "first_name": name, "age": 17} for i, name in enumerate("BJCD", 1)]
    )


def _disclose(services, person: int) -> int:
    """The young person texts a disclosure through the signed webhook; returns their alert's id."""
    phone = SmsPhone(create_app(services=services).test_client(), phone_number(person))
    phone.send(DISCLOSURE)
    with Session(services.engine) as session:
        return session.exec(select(Alert.id).where(Alert.participant_id == person)).one()


def _alerts(services) -> None:
    """Ben's alert open, Jack's acknowledged, Cara's closed, Dan none."""
    _disclose(services, BEN)
    jack = _disclose(services, JACK)
    cara = _disclose(services, CARA)
    with session_scope(services.engine) as session:
        acknowledge(session=session, vault=services.vault, config=services.config, alert_id=jack, by="Duty Worker")
        close(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=cara,
            by="Duty Worker",
            action="called",
        )


def _cli(config, *args):
    return CliRunner().invoke(main, list(args), env=environment(config) | {"VOICE_CONFIG": ""}, catch_exceptions=False)


def test_a_new_round_holds_back_everyone_whose_alert_is_not_closed(api_services, fake_twilio):
    _people(api_services)
    _alerts(api_services)
    launched = _cli(api_services.config, "round", "launch", "--survey", "pulse", "--status", "in_care")
    assert launched.exit_code == 0, launched.output
    assert "2 invitations queued, 2 held back (open safeguarding alert)" in launched.output
    round_id = int(launched.output.strip().splitlines()[-1])
    with Session(api_services.engine) as session:
        runs = session.exec(select(Run.participant_id).where(Run.round_id == round_id)).all()
    assert sorted(runs) == [CARA, DAN]  # no run either: a YES from Ben starts nothing
    flushed = _cli(api_services.config, "outbox", "flush")
    assert flushed.exit_code == 0, flushed.output
    assert fake_twilio.to(phone_number(BEN)) == [] and fake_twilio.to(phone_number(JACK)) == []
    assert len(fake_twilio.to(phone_number(CARA))) == 1 and len(fake_twilio.to(phone_number(DAN))) == 1


def test_a_round_of_only_live_alerts_is_refused_with_the_reason(services):
    _people(services)
    _disclose(services, BEN)
    survey, source = services.survey_source("pulse")
    with session_scope(services.engine) as session:
        with pytest.raises(EmptyCohort, match="1 held back with an open safeguarding alert"):
            launch_round(
                session=session,
                vault=services.vault,
                survey=survey,
                source=source,
                cohort=Cohort(participant_ids=(BEN,)),
                allow_empty=False,
            )


def test_reminders_skip_open_and_acknowledged_alerts_and_resume_once_closed(services):
    _people(services)
    sent_at = datetime.now(UTC) - timedelta(days=10)
    round_id = launch(services, now=sent_at - timedelta(minutes=5))
    with session_scope(services.engine) as session:
        session.exec(update(OutboxMessage).values(status=OutboxStatus.SENT, sent_at=sent_at))
    # Ben and Jack carried on with the survey after their disclosure (their runs are active again), as
    # the tester's did; the reminder would still be a survey text to them.
    _alerts(services)
    with session_scope(services.engine) as session:
        session.exec(update(Run).values(status="active", current_question="safe_home", started_at=sent_at))
    due = sent_at + timedelta(days=4)
    assert jobs.send_reminders(services, now=due) == 2
    with Session(services.engine) as session:
        reminded = session.exec(
            select(OutboxMessage.participant_id).where(
                OutboxMessage.kind == "reminder", OutboxMessage.round_id == round_id
            )
        ).all()
        ben_alert = session.exec(select(Alert.id).where(Alert.participant_id == BEN)).one()
    assert sorted(reminded) == [CARA, DAN]
    # Once the duty team closes Ben's alert, his reminder goes with the next run of the job; Jack's still waits.
    with session_scope(services.engine) as session:
        close(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=ben_alert,
            by="Duty Worker",
            action="called",
        )
    assert jobs.send_reminders(services, now=due + timedelta(hours=1)) == 1
    with Session(services.engine) as session:
        reminded = session.exec(select(OutboxMessage.participant_id).where(col(OutboxMessage.kind) == "reminder")).all()
    assert sorted(reminded) == [BEN, CARA, DAN]


def _raise(services, person: int, at: datetime) -> int:
    """An alert about this young person, raised at `at` (the test's clock); returns its id."""
    with session_scope(services.engine) as session:
        alert = Alert(participant_id=person, excerpt="worrying words", created_at=at)
        session.add(alert)
        session.flush()
        return alert.id


def _invitations(services, round_id: int) -> dict[int, OutboxMessage]:
    with Session(services.engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "invitation", OutboxMessage.round_id == round_id)
        ).all()
    return {row.participant_id: row for row in rows}


def _runs(services, round_id: int) -> list[int]:
    with Session(services.engine) as session:
        return sorted(session.exec(select(Run.participant_id).where(Run.round_id == round_id)).all())


def test_closing_the_alert_while_the_round_is_open_invites_them_then(services):
    """Held back at launch, invited when the duty team closes the alert, if the round is still open: a run and
    an invitation that waits for the send window like any other; a round closed meanwhile sends nothing."""
    from voice_service.models import OptOut, Participant
    from voice_service.rounds.held_back import held_back_rounds, invite_held_back
    from voice_service.rounds.launch import close_round

    _people(services)
    base = datetime.now(UTC)  # the test's clock starts once everyone is on the list
    alerts = {person: _raise(services, person, base) for person in (BEN, JACK, DAN)}
    # A round of a survey leaves out whoever an open round of it holds back, so the closed one goes first.
    closed = launch(services, now=base + timedelta(minutes=1))
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=closed, now=base + timedelta(minutes=2))
    still_open = launch(services, now=base + timedelta(minutes=3))
    assert _runs(services, still_open) == [CARA] and _runs(services, closed) == [CARA]
    with session_scope(services.engine) as session:
        dan = session.get(Participant, DAN)
        session.add(OptOut(phone_hash=dan.phone_hash, keyword="STOP", opted_out_at=base + timedelta(minutes=20)))

    later = base + timedelta(hours=2)
    with session_scope(services.engine) as session:
        # While the alert is live nothing is invited, even if asked.
        assert invite_held_back(session=session, vault=services.vault, participant_id=BEN, now=later) == []
        assert [r.id for r, _ in held_back_rounds(session=session, participant_id=BEN, now=later)] == [still_open]
        for person in (BEN, DAN):
            close(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alerts[person],
                by="Duty Worker",
                action="called",
                now=later,
            )
        assert invite_held_back(session=session, vault=services.vault, participant_id=BEN, now=later) == [still_open]
        assert invite_held_back(session=session, vault=services.vault, participant_id=DAN, now=later) == []  # STOP
        # Once invited, never twice.
        assert invite_held_back(session=session, vault=services.vault, participant_id=BEN, now=later) == []
    assert _runs(services, still_open) == [BEN, CARA] and _runs(services, closed) == [CARA]
    invitation = _invitations(services, still_open)[BEN]
    assert invitation.key == f"invite:{still_open}:{BEN}" and invitation.respect_window
    assert invitation.status == OutboxStatus.PENDING and "YES" in invitation.body
    assert BEN not in _invitations(services, closed)
    with Session(services.engine) as session:
        run = session.exec(select(Run).where(Run.round_id == still_open, Run.participant_id == BEN)).one()
    assert run.status == "invited"
    # Jack's alert is still live: nothing for him.
    with session_scope(services.engine) as session:
        assert invite_held_back(session=session, vault=services.vault, participant_id=JACK, now=later) == []


def test_only_those_the_round_held_back_are_invited_when_their_alert_closes(services):
    """Someone added after the round opened, or whose alert was raised after it opened, or who no longer
    belongs to the round's cohort, was not held back by it: closing their alert invites them nowhere."""
    from sqlalchemy import update as sql_update

    from voice_service.models import Participant
    from voice_service.rounds.held_back import invite_held_back
    from voice_service.rounds.launch import Cohort

    _people(services)
    base = datetime.now(UTC)
    round_id = launch(services, cohort=Cohort(participant_ids=(BEN, JACK, CARA)), now=base + timedelta(minutes=1))
    assert _runs(services, round_id) == [BEN, JACK, CARA]
    with session_scope(services.engine) as session:
        session.exec(sql_update(Run).where(Run.participant_id == CARA).values(round_id=None))  # as if never invited
    raised_after = _raise(services, CARA, base + timedelta(minutes=5))
    outside = _raise(services, DAN, base)  # not in the round's list of people
    later = base + timedelta(hours=1)
    with session_scope(services.engine) as session:
        for alert_id in (raised_after, outside):
            close(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alert_id,
                by="Duty Worker",
                action="called",
                now=later,
            )
        for person in (CARA, DAN):
            assert invite_held_back(session=session, vault=services.vault, participant_id=person, now=later) == []
    # Added to the list after the round opened, with an alert raised before: not held back by it either.
    add_participants(services, [{"phone": phone_number(9), "first_name": "E", "age": 17}])
    with session_scope(services.engine) as session:
        eve = session.exec(select(Participant.id).where(Participant.id > DAN)).one()
        session.exec(
            sql_update(Participant).where(Participant.id == eve).values(created_at=base + timedelta(minutes=2))
        )
    eves = _raise(services, eve, base)
    with session_scope(services.engine) as session:
        close(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=eves,
            by="Duty Worker",
            action="called",
            now=later,
        )
        assert invite_held_back(session=session, vault=services.vault, participant_id=eve, now=later) == []
    assert _runs(services, round_id) == [BEN, JACK]


def test_alerts_close_says_they_are_now_invited(api_services):
    """The duty team's command says that closing the alert invited them to the round that held them back."""
    from voice_service.accounts import create_user

    _people(api_services)
    ben = _disclose(api_services, BEN)
    launched = _cli(api_services.config, "round", "launch", "--survey", "pulse", "--status", "in_care")
    round_id = int(launched.output.strip().splitlines()[-1])
    with session_scope(api_services.engine) as session:
        create_user(
            session=session,
            email="duty@council.test",
            roles=["duty"],
            password="correct horse battery staple",
            name="Dee",
        )
    output = _cli(api_services.config, "alerts", "close", str(ben), "--by", "duty@council.test", "--action", "called")
    assert output.exit_code == 0, output.output
    assert f"They are now invited to round {round_id}, held back while the alert was open" in output.output
    assert "wait" in output.output and "send window" in output.output
    assert BEN in _invitations(api_services, round_id)


def test_an_invitation_queued_before_their_disclosure_waits_until_the_alert_is_closed(api_services, fake_twilio):
    """Invitations wait in the outbox (for the send window, or the dispatcher's turn); a young person who texts
    a disclosure meanwhile gets none of them while the alert is live, for any round. Once it is closed they go
    (a round closed meanwhile cancels its own, as ever)."""
    from tests.outbox.helpers import Clock, dispatcher
    from voice_service.outbox.dispatch import ALERT_RECHECK

    _people(api_services)
    launch(api_services)
    # A second open round, of another survey (one survey invites nobody twice): an invitation to it waits too.
    launch(api_services, survey_source=SMALL_SURVEY.replace('id = "check-in"', 'id = "check-in-2"'))
    alert = _disclose(api_services, BEN)  # before the invitations have gone; his newest run pauses
    flushed = _cli(api_services.config, "outbox", "flush")
    assert flushed.exit_code == 0, flushed.output
    assert "sent 6, held for send window 0" in flushed.output
    assert "held while a safeguarding alert is open 2 (they go once it is closed)" in flushed.output
    assert fake_twilio.to(phone_number(BEN)) == []
    assert all(len(fake_twilio.to(phone_number(person))) == 2 for person in (JACK, CARA, DAN))
    clock = Clock()
    assert dispatcher(api_services, clock).flush().held_for_alert == 0  # not due again yet
    with Session(api_services.engine) as session:
        waiting = session.exec(select(OutboxMessage).where(OutboxMessage.participant_id == BEN)).all()
    assert [row.status for row in waiting] == [OutboxStatus.PENDING] * 2
    clock.advance(seconds=ALERT_RECHECK.total_seconds() + 1)
    report = dispatcher(api_services, clock).flush()
    assert (report.sent, report.held_for_alert) == (0, 2)  # still live: still waiting
    with session_scope(api_services.engine) as session:
        close(
            session=session,
            vault=api_services.vault,
            config=api_services.config,
            alert_id=alert,
            by="Duty Worker",
            action="called",
        )
    clock.advance(seconds=ALERT_RECHECK.total_seconds() + 1)
    assert dispatcher(api_services, clock).flush().sent == 2
    assert len(fake_twilio.to(phone_number(BEN))) == 2


def _held_back(services, round_id: int) -> dict[int, str]:
    """Who the round recorded as held back, and what became of it."""
    from voice_service.models import HeldBack

    with Session(services.engine) as session:
        rows = session.exec(select(HeldBack).where(HeldBack.round_id == round_id)).all()
    return {row.participant_id: row.status for row in rows}


def _close(services, alert_ids: list[int], now: datetime) -> None:
    with session_scope(services.engine) as session:
        for alert_id in alert_ids:
            close(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alert_id,
                by="Duty Worker",
                action="called",
                now=now,
            )


def test_someone_who_had_said_stop_at_launch_is_not_invited_once_they_opt_back_in_and_their_alert_closes(services):
    """A launch records whom it holds back; Dan, who had said STOP, was left out, not held back: texting START
    later and having his alert closed does not invite him into that round. Ben, held back, is invited."""
    from voice_service.rounds.held_back import invite_held_back

    _people(services)
    base = datetime.now(UTC)
    alerts = {person: _raise(services, person, base) for person in (BEN, DAN)}
    app = create_app(services=services).test_client()
    SmsPhone(app, phone_number(DAN)).send("STOP")
    round_id = launch(services, now=base + timedelta(minutes=1))
    assert _held_back(services, round_id) == {BEN: "held"}
    SmsPhone(app, phone_number(DAN)).send("START")  # opted back in, alert still live: nothing offered yet
    later = base + timedelta(hours=1)
    _close(services, list(alerts.values()), later)
    with session_scope(services.engine) as session:
        assert invite_held_back(session=session, vault=services.vault, participant_id=DAN, now=later) == []
        assert invite_held_back(session=session, vault=services.vault, participant_id=BEN, now=later) == [round_id]
    assert _runs(services, round_id) == [BEN, JACK, CARA]
    assert _held_back(services, round_id) == {BEN: "invited"}


def test_someone_held_back_who_says_stop_meanwhile_is_not_invited_even_after_opting_back_in(services):
    """Held back at launch, then STOP, then START while the alert is live: they said STOP since, so closing
    the alert invites them nowhere (the next round invites them as usual)."""
    from voice_service.rounds.held_back import invite_held_back

    _people(services)
    base = datetime.now(UTC)
    alert = _raise(services, BEN, base)
    round_id = launch(services, now=base + timedelta(minutes=1))
    app = create_app(services=services).test_client()
    for word in ("STOP", "START"):
        SmsPhone(app, phone_number(BEN)).send(word)
    assert _held_back(services, round_id) == {BEN: "opted_out"}
    later = base + timedelta(hours=1)
    _close(services, [alert], later)
    with session_scope(services.engine) as session:
        assert invite_held_back(session=session, vault=services.vault, participant_id=BEN, now=later) == []
    assert BEN not in _runs(services, round_id) and BEN not in _invitations(services, round_id)
