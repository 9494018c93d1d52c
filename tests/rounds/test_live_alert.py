"""No survey text to a young person whose safeguarding alert is live (open or acknowledged, not closed):
a new round's invitation and a reminder are held back, and counted (tester T14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import update
from sqlmodel import Session, col, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
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
