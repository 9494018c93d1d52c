"""A young person who joined in the web chat, with no round open then, is invited by the next round launched: the
invitation comes into their open chat (the chat's one path, `say_in_chat`, read by its check for news) with its
Yes / Not now buttons, and Yes starts the survey. A live alert holds them back as a text would be, and closing it
invites them in the chat; their STOP in the chat keeps them out of the next round (new-user trial). The chat runs on
the real clock; each launch takes its clock from the chat's own last use. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from tests.factories import SMALL_SURVEY, small_survey
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import RISKY, _close_alerts
from voice_service.db import session_scope
from voice_service.models import ChatSession, HeldBack, Run, as_utc
from voice_service.rounds.held_back import invite_held_back
from voice_service.rounds.launch import Cohort, LaunchResult, close_round, launch_round
from voice_service.web.chat.quick_replies import invitation_replies


def _joined(client) -> ChatUser:
    """A newcomer who says yes in the chat, and who they are; no round is open, so nothing is offered yet."""
    user = ChatUser(client)
    user.start()
    user.say("yes")
    user.say("In care")
    done = user.say("16-17")
    assert [m["text"] for m in done["messages"]] and "Tap Yes to start" not in done["messages"][-1]["text"]
    return user


def _last_used(services) -> datetime:
    with Session(services.engine) as session:
        seen = session.execute(select(ChatSession.last_seen_at)).scalar_one()
    stamp = as_utc(seen)
    assert stamp is not None
    return stamp


def _launch(services, now: datetime) -> LaunchResult:
    with session_scope(services.engine) as session:
        result = launch_round(
            session=session,
            vault=services.vault,
            survey=small_survey(),
            source=SMALL_SURVEY,
            cohort=Cohort(),
            now=now,
            council=services.config.app.council_name,
            chat_days=services.config.webchat.session_max_age_days,
        )
        session.expunge(result.round)
        return result


def _news(client, user: ChatUser, after: int = 0) -> dict:
    response = client.get(f"/api/chat/sessions/{user.session}/messages?after={after}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_next_round_invites_a_chat_only_young_person_in_their_open_chat(client, services):
    user = _joined(client)
    last = _news(client, user)["messages"][-1]["id"]
    result = _launch(services, _last_used(services) + timedelta(minutes=5))
    assert (result.invited, result.in_chat, result.unreachable) == (1, 1, 0)

    news = _news(client, user, last)
    [invitation] = [m["text"] for m in news["messages"]]
    assert "Tap Yes" in invitation and "STOP" not in invitation and "Reply" not in invitation
    buttons = [reply["value"] for reply in news["quick_replies"]]
    assert buttons == [reply.value for reply in invitation_replies()]  # "Yes, let's start", "Not now"
    started = user.say(buttons[0])
    assert "How safe" in started["messages"][0]["text"]
    with Session(services.engine) as session:
        run = session.execute(select(Run)).scalars().one()
    assert (run.round_id, run.channel, run.status) == (result.round.id, "webchat", "active")


def test_a_live_alert_holds_a_chatter_back_and_closing_it_invites_them_in_the_chat(client, services):
    user = _joined(client)
    user.say(RISKY)
    result = _launch(services, _last_used(services) + timedelta(minutes=5))
    assert (result.invited, result.held_back) == (0, 1)
    with Session(services.engine) as session:
        held = session.execute(select(HeldBack)).scalars().one()
    assert (held.round_id, held.channel) == (result.round.id, "webchat")
    last = _news(client, user)["messages"][-1]["id"]

    _close_alerts(services)
    with session_scope(services.engine) as session:
        invited = invite_held_back(
            session=session,
            vault=services.vault,
            participant_id=held.participant_id,
            now=_last_used(services) + timedelta(hours=1),
            council=services.config.app.council_name,
        )
    assert invited == [result.round.id]
    [invitation] = [m["text"] for m in _news(client, user, last)["messages"]]
    assert "Tap Yes" in invitation and "STOP" not in invitation


def test_stop_in_the_chat_keeps_a_chatter_out_of_the_next_round(client, services):
    user = _joined(client)
    first = _launch(services, _last_used(services) + timedelta(minutes=5))
    assert first.in_chat == 1
    user.say("STOP")
    stopped_at = _last_used(services)
    with session_scope(services.engine) as session:
        assert session.execute(select(Run.status)).scalar_one() == "stopped"
        assert first.round.id is not None
        close_round(session=session, round_id=first.round.id, now=stopped_at + timedelta(days=1))
    last = _news(client, user)["messages"][-1]["id"]
    second = _launch(services, stopped_at + timedelta(days=2))
    assert (second.invited, second.opted_out, second.unreachable) == (0, 1, 0)
    assert _news(client, user, last)["messages"] == []
    with Session(services.engine) as session:
        runs = session.execute(select(Run.round_id).where(col(Run.round_id) == second.round.id)).all()
    assert runs == []
