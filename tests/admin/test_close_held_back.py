"""A round's thank-you is held back from a young person whose safeguarding alert is still open (tester T14).

The rule that pauses their survey after a disclosure (an alert not yet closed) also holds back "thanks for
taking part!"; the worker is told so before closing and in the banner, and the duty team sees it on the alert.
Closing the alert sends it then, as their survey may carry on then.
"""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import Session, col, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from voice_service.cli import main
from voice_service.models import Alert, AlertStatus, Message, OutboxMessage, Run


def _cli(services, *args: str):
    """The real command on this test's database (configured from the environment)."""
    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    result = CliRunner(env=env).invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _loop_rows(services) -> list[OutboxMessage]:
    with Session(services.engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "loop")).all())


def _round_with_a_disclosure(services, app, admin_client):
    add_participants(
        services,
        [
            {"phone": phone_number(1), "age": 14, "first_name": "Amy"},
            {"phone": phone_number(2), "age": 14, "first_name": "Ben"},
        ],
    )
    worker = admin_client("worker")
    worker.post_form("/admin/rounds/launch", {"survey": "pulse"})
    for text in ("yes", "4"):
        SmsPhone(app.test_client(), phone_number(1)).send(text)
    ben = SmsPhone(app.test_client(), phone_number(2))
    for text in ("yes", "4"):
        ben.send(text)
    replies = ben.send("my foster carer hits me when nobody is home")
    assert any("Childline" in reply for reply in replies), replies
    with Session(services.engine) as session:
        alert = session.exec(select(Alert)).one()
        assert alert.status == AlertStatus.OPEN
        return worker, alert.id, alert.participant_id


def test_closing_a_round_holds_back_the_thank_you_while_an_alert_is_open(services, app, admin_client):
    worker, alert_id, ben = _round_with_a_disclosure(services, app, admin_client)
    check = worker.get("/admin/rounds/1/close").get_data(as_text=True)
    assert "1 text to those who answered by text" in check
    assert "1 held back: an open safeguarding alert" in check
    closed = worker.post_form("/admin/rounds/1/close", follow_redirects=True).get_data(as_text=True)
    assert "1 held back: an open safeguarding alert" in closed
    rows = _loop_rows(services)
    assert len(rows) == 1 and rows[0].participant_id != ben and "Amy" in rows[0].body
    # Closing the round again still holds it back: the alert is open.
    assert "1 held back: an open safeguarding alert" in _cli(services, "round", "close", "1")
    assert len(_loop_rows(services)) == 1

    # The duty team sees what is held back before closing the alert; acknowledging it does not release it.
    duty = admin_client("duty")
    page = duty.get(f"/admin/alerts/{alert_id}").get_data(as_text=True)
    assert "Their thank-you message for round 1" in page and "Closing the alert sends it" in page
    duty.post_form(f"/admin/alerts/{alert_id}/acknowledge", {"note": ""})
    assert len(_loop_rows(services)) == 1
    done = duty.post_form(f"/admin/alerts/{alert_id}/close", {"action": "called", "note": ""}, follow_redirects=True)
    assert "held back while the alert was open, now goes to them" in done.get_data(as_text=True)
    rows = _loop_rows(services)
    assert sorted(row.participant_id for row in rows)[-1] == ben and len(rows) == 2
    held = next(row for row in rows if row.participant_id == ben)
    assert held.key == f"loop:1:{ben}" and "Ben" in held.body and "/r/" in held.body and held.under_16
    # Nothing is sent twice: closing the round again, or the alert page after, queues nothing new.
    worker.post_form("/admin/rounds/1/close", follow_redirects=True)
    assert len(_loop_rows(services)) == 2
    assert "Their thank-you message" not in duty.get(f"/admin/alerts/{alert_id}").get_data(as_text=True)


def test_a_web_chat_thank_you_is_held_back_too_and_the_cli_releases_it(services, app, admin_client, users):
    worker, alert_id, ben = _round_with_a_disclosure(services, app, admin_client)
    with Session(services.engine) as session:
        # Everyone answered in the web chat: the thank-you goes by the channel of their answers (`loop.answered_on`).
        for run in session.exec(select(Run)).all():
            run.channel = "webchat"
            session.add(run)
        for message in session.exec(select(Message).where(col(Message.direction) == "in")).all():
            message.channel = "webchat"
            session.add(message)
        session.commit()
    assert "1 held back" in worker.post_form("/admin/rounds/1/close", follow_redirects=True).get_data(as_text=True)

    def chats() -> list[int | None]:
        with Session(services.engine) as session:
            found = select(Message.participant_id).where(col(Message.provider_sid).startswith("loop:1:"))
            return sorted(session.exec(found).all())

    assert ben not in chats() and len(chats()) == 1
    users("duty", email="duty@council.test", name="Dee")
    output = _cli(services, "alerts", "close", str(alert_id), "--by", "duty@council.test", "--action", "called")
    assert "round 1, held back while the alert was open, now goes to them" in output
    assert ben in chats() and len(chats()) == 2


def test_closing_an_alert_sends_nothing_for_a_round_closed_before_it_was_raised(services):
    from datetime import timedelta

    from tests.summary import data
    from voice_service.db import session_scope
    from voice_service.models import Round, utcnow
    from voice_service.safeguarding.alerts import close
    from voice_service.summary.loop import close_and_tell, held_rounds, release_held

    (ben,) = data.people(services, 1)
    earlier = data.round_at(services, days_ago=10)  # closed nine days ago, by hand: nobody was told
    data.scale_answers(services, earlier, [ben], [4])
    later = data.round_at(services)  # launched before the alert: a live alert holds back a new round's invitation
    with session_scope(services.engine) as session:
        raised = session.get(Round, earlier).closed_at + timedelta(days=1)
        session.add(Alert(participant_id=ben, excerpt="worrying words", created_at=raised))
    data.scale_answers(services, later, [ben], [4])
    assert close_and_tell(services, later).told.held == 1
    with session_scope(services.engine) as session:
        assert held_rounds(session=session, participant_id=ben) == [later]
        alert = session.exec(select(Alert)).one()
        close(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=alert.id,
            by="Dee",
            action="called",
            now=utcnow(),
        )
        assert release_held(session=session, services=services, participant_id=ben) == [later]
    assert [row.key for row in _loop_rows(services)] == [f"loop:{later}:{ben}"]


def test_the_alert_page_says_closing_it_invites_them_to_the_round_that_held_them_back(services, app, admin_client):
    """A round launched while their alert was open held back their invitation; the alert page says closing the
    alert invites them (while the round is open), and the banner says they are now invited."""
    add_participants(
        services, [{"phone": phone_number(i), "age": 17, "first_name": n} for i, n in ((1, "Amy"), (2, "Ben"))]
    )
    SmsPhone(app.test_client(), phone_number(2)).send("my foster carer hits me when nobody is home")
    with Session(services.engine) as session:
        alert = session.exec(select(Alert)).one()
    worker = admin_client("worker")
    launched = worker.post_form("/admin/rounds/launch", {"survey": "pulse"})
    assert launched.status_code == 303

    def invited() -> list[int | None]:
        with Session(services.engine) as session:
            return sorted(session.exec(select(OutboxMessage.participant_id).where(OutboxMessage.kind == "invitation")))

    assert invited() == [1]
    duty = admin_client("duty")
    page = duty.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert "Their invitation to round 1" in page and "Closing the alert invites them" in page
    done = duty.post_form(f"/admin/alerts/{alert.id}/close", {"action": "called", "note": ""}, follow_redirects=True)
    assert "They are now invited to round 1, held back while the alert was open" in done.get_data(as_text=True)
    assert invited() == [1, alert.participant_id]
    assert "Their invitation to round 1" not in duty.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)


def test_the_words_agree_with_how_many_thank_yous_were_held():
    from voice_service.summary.loop import held_words

    assert held_words([2], now_sent=True).endswith(
        "message for round 2, held back while the alert was open, now goes to them."
    )
    assert held_words([2, 3], now_sent=True).endswith(
        "messages for round 2 and round 3, held back while the alert was open, now go to them."
    )
