"""An alert says who did what and when (new-user trial on alert 3): Dan acknowledges it with a note, records calling
the placement, hands it over to Dee; Dee closes it with the referral she made. Every note, action and change of state
keeps its worker and its time, the outcome given at closing is stored beside the call made before, and the inbox
never gives Dan's call to Dee. The clock is passed in: nothing here depends on today's date."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlmodel import Session, select

from tests.support.alert_routes import RAISED, as_duty, disclose, young_person
from voice_service import safeguarding
from voice_service.accounts import create_user
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.inbox.threads import answered_at_alert_words, answering_step, reached_by_alerts
from voice_service.models import Alert, AlertEntry, AlertStep
from voice_service.privacy.retention import purge_expired
from voice_service.safeguarding.history import ESCALATED, done, history, notes

DAN, DEE = "dan@council.test", "dee@council.test"
ACKED, CALLED, HANDED, CLOSED = (RAISED + timedelta(minutes=m) for m in (3, 20, 45, 90))
REFERRAL = "Referred to children's social care front door, ref 12345"


def _duty(services, email: str, name: str) -> None:
    with session_scope(services.engine) as session:
        create_user(session=session, email=email, roles=["duty"], password="correct horse battery staple", name=name)


def _alert_three(services) -> int:
    """The trial's alert: acknowledged, acted on and handed over by Dan, closed by Dee with her referral."""
    _duty(services, DAN, "Dan Duty")
    _duty(services, DEE, "Dee Duty")
    alert_id = disclose(services, young_person(services), when=RAISED)
    as_duty(services, safeguarding.acknowledge, alert_id, by=DAN, note="Calling the placement now", now=ACKED)
    as_duty(services, safeguarding.record_action, alert_id, by=DAN, action="called", note="Carer says safe", now=CALLED)
    as_duty(services, safeguarding.hand_over, alert_id, by=DAN, to=DEE, note="Off shift, please refer", now=HANDED)
    as_duty(services, safeguarding.close, alert_id, by=DEE, action="referred", note=REFERRAL, now=CLOSED)
    return alert_id


def test_every_step_keeps_its_worker_its_time_and_its_note(services):
    alert_id = _alert_three(services)
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        steps = [(s.kind, s.by, s.at, s.action, s.handed_to, s.note) for s in history(session=session, alert=alert)]
        assert steps == [
            (AlertStep.ACKNOWLEDGED, DAN, ACKED, None, None, "Calling the placement now"),
            (AlertStep.ACTION, DAN, CALLED, "called", None, "Carer says safe"),
            (AlertStep.HANDED_OVER, DAN, HANDED, None, DEE, "Off shift, please refer"),
            (AlertStep.CLOSED, DEE, CLOSED, "referred", None, REFERRAL),
        ]
        # The outcome at closing is stored beside the call, each under its own worker's name.
        assert [(s.action, s.by) for s in done(history(session=session, alert=alert))] == [
            ("called", DAN),
            ("referred", DEE),
        ]
        assert alert.action_taken == "referred"
        assert notes(session=session, alert=alert)[-1] == REFERRAL


def test_a_note_alone_and_a_pick_up_by_acting_are_steps_too(services):
    _duty(services, DAN, "Dan Duty")
    _duty(services, DEE, "Dee Duty")
    alert_id = disclose(services, None, when=RAISED)
    as_duty(services, safeguarding.hand_over, alert_id, by=DAN, to=DEE, now=ACKED)  # picks it up, then hands over
    with session_scope(services.engine) as session:
        _, added = safeguarding.add_note(session=session, alert_id=alert_id, note="Ringing at 4", by=DEE, now=CALLED)
        again = safeguarding.add_note(session=session, alert_id=alert_id, note="Ringing at 4", by=DEE, now=HANDED)
        assert added and not again[1]  # the same note twice (a command sent twice) is kept once
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        assert [(s.kind, s.by, s.at) for s in history(session=session, alert=alert)] == [
            (AlertStep.ACKNOWLEDGED, DAN, ACKED),
            (AlertStep.HANDED_OVER, DAN, ACKED),
            (AlertStep.NOTE, DEE, CALLED),
        ]


def test_an_alert_from_before_says_who_and_when_from_itself(services):
    """An alert acknowledged, escalated and closed before steps were kept (no `AlertEntry`): its own columns say who
    and when, and its notes are kept apart as earlier notes."""
    alert_id = disclose(services, None, when=RAISED)
    with session_scope(services.engine) as session:
        alert = session.get(Alert, alert_id)
        alert.status, alert.acknowledged_by, alert.acknowledged_at = "closed", DAN, ACKED
        alert.escalated_at, alert.closed_by, alert.closed_at = CALLED, DEE, CLOSED
        alert.action_taken, alert.note = "called", "Old note one\nOld note two"
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        steps = history(session=session, alert=alert)
        assert [(s.kind, s.by, s.at) for s in steps] == [
            (AlertStep.ACKNOWLEDGED, DAN, ACKED),
            (ESCALATED, None, CALLED),
            (AlertStep.CLOSED, DEE, CLOSED),
        ]
        assert steps[1].words({}) == "Escalated to the escalation contacts by the service"
        assert notes(session=session, alert=alert) == ["Old note one", "Old note two"]


def test_alerts_show_names_who_and_when_for_every_note_and_change(services):
    alert_id = _alert_three(services)
    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    shown = CliRunner(env=env).invoke(main, ["alerts", "show", str(alert_id), "--by", "Dee Duty"])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    # 1 Dec 2026 is GMT: the council's time is UTC's.
    assert "Handed over to Dee Duty by Dan Duty at 1 Dec 2026 14:50\n" in out
    assert (
        "What was done: Called them (Dan Duty, 1 Dec 2026 14:25); Referred them on (Dee Duty, 1 Dec 2026 15:35)" in out
    )
    assert "  1 Dec 2026 14:08 Acknowledged by Dan Duty: Calling the placement now\n" in out
    assert "  1 Dec 2026 14:25 Called them (recorded by Dan Duty): Carer says safe\n" in out
    assert "  1 Dec 2026 14:50 Handed over to Dee Duty by Dan Duty: Off shift, please refer\n" in out
    assert f"  1 Dec 2026 15:35 Closed by Dee Duty, recording: Referred them on: {REFERRAL}\n" in out
    assert "@council.test" not in out


def test_the_inbox_gives_the_call_to_who_made_it_not_to_who_closed(services):
    alert_id = _alert_three(services)
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        # Closed "referred", but a call was recorded on it before: a person spoke with them.
        assert reached_by_alerts(session, [alert.participant_id])[alert.participant_id].id == alert_id
        step = answering_step(session, alert)
        assert step is not None and (step.by, step.action) == (DAN, "called")
        words = answered_at_alert_words(alert, step, {DAN: "Dan Duty", DEE: "Dee Duty"}, "Europe/London")
    assert words == (
        f"Dan Duty recorded that they called them on alert #{alert_id}, 1 Dec 2026 14:25; "
        "Dee Duty closed it, 1 Dec 2026 15:35"
    )
    assert "Dee Duty closed alert" not in words


def test_the_closer_who_called_is_still_said_so(services):
    _duty(services, DEE, "Dee Duty")
    alert_id = disclose(services, young_person(services), when=RAISED)
    as_duty(services, safeguarding.close, alert_id, by=DEE, action="called", now=CLOSED)
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        step = answering_step(session, alert)
        assert step is not None
        words = answered_at_alert_words(alert, step, {DEE: "Dee Duty"}, "Europe/London")
    assert words == f"Dee Duty closed alert #{alert_id}, 1 Dec 2026 15:35, recording that they called them"


def test_retention_clears_the_notes_on_each_step_and_keeps_who_and_when(services):
    alert_id = _alert_three(services)
    with session_scope(services.engine) as session:
        purge_expired(session=session, retention_days=30, now=CLOSED + timedelta(days=60))
    with Session(services.engine) as session:
        entries = session.exec(select(AlertEntry).where(AlertEntry.alert_id == alert_id).order_by(AlertEntry.id)).all()
        assert [entry.note for entry in entries] == [None] * 4
        assert [(entry.kind, entry.by) for entry in entries][-1] == (AlertStep.CLOSED, DEE)
