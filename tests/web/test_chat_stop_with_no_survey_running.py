"""A young person who only uses the web chat (no number) and says STOP there while no survey is running: there is no
number for the opt-out register and no run to stop, yet the STOP is kept (`participants.opt_outs`), so the next round
leaves them out and counts them as opted out; START in the chat clears it, as it takes a number off the register, and
the round after invites them in their chat again. The reply fits a chat (nothing about texts or replying), and a STOP
said again there is answered again. Through the real chat API; each launch takes its clock from the chat's own last
use. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from tests.web.test_chat_api import ChatUser
from tests.web.test_chat_invited_by_a_later_round import _joined, _last_used, _launch, _news
from tests.web.test_disclosure import RISKY, _close_alerts
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.engine.routing import OptedIn, OptedOut, Situation, decide
from voice_service.models import Participant, Run, RunStatus
from voice_service.summary.loop import took_part
from voice_service.web.admin.participants_service import search_participants


def _stop(user: ChatUser) -> str:
    [reply] = user.replies("STOP")
    assert reply == texts.for_channel(texts.STOP_CONFIRMED, texts.WEBCHAT)
    lowered = reply.lower()
    assert "text" not in lowered and "reply" not in lowered and "START" in reply
    return reply


def test_stop_with_no_survey_running_keeps_a_chatter_out_of_the_next_round(client, services):
    user = _joined(client)
    _stop(user)
    with Session(services.engine) as session:
        assert session.execute(select(Run)).all() == []  # no run was stopped: the STOP is kept all the same
    last = _news(client, user)["messages"][-1]["id"]

    now = _last_used(services) + timedelta(minutes=5)
    result = _launch(services, now)
    assert (result.invited, result.opted_out, result.in_chat, result.unreachable) == (0, 1, 0, 0)
    assert _news(client, user, last)["messages"] == []
    with Session(services.engine) as session:
        assert session.execute(select(Run.id).where(col(Run.round_id) == result.round.id)).all() == []
        # The participants page counts them as having said STOP too: the rule's one home.
        found = search_participants(session=session, vault=services.vault, opted_out=True, today=now.date())
        assert [row.said_stop for row in found.rows] == [True]


def test_start_in_the_chat_clears_the_stop_and_the_next_round_invites_them(client, services):
    user = _joined(client)
    _stop(user)
    [welcome] = user.replies("START")
    assert welcome == texts.for_channel(texts.START_WELCOME_BACK, texts.WEBCHAT)
    last = _news(client, user)["messages"][-1]["id"]

    result = _launch(services, _last_used(services) + timedelta(minutes=5))
    assert (result.invited, result.opted_out, result.in_chat) == (1, 0, 1)
    [invitation] = [m["text"] for m in _news(client, user, last)["messages"]]
    assert "Tap Yes" in invitation
    with Session(services.engine) as session:
        run = session.execute(select(Run)).scalars().one()
        assert (run.round_id, run.channel, run.status) == (result.round.id, "webchat", "invited")


def test_stop_said_again_in_the_chat_is_answered_again_and_still_holds(client, services):
    user = _joined(client)
    _stop(user)
    with Session(services.engine) as session:
        first = session.execute(select(Participant.chat_stopped_at)).scalar_one()
    _stop(user)  # never silence in a chat
    with Session(services.engine) as session:
        assert session.execute(select(Participant.chat_stopped_at)).scalar_one() == first  # the first STOP stands
    result = _launch(services, _last_used(services) + timedelta(minutes=5))
    assert (result.invited, result.opted_out) == (0, 1)


def test_a_stop_said_again_is_answered_in_the_chat_but_not_by_text():
    for channel, said in (("webchat", (texts.STOP_CONFIRMED,)), ("sms", ())):
        outcome = decide(Situation(channel=channel, opted_out=True), "STOP")
        assert isinstance(outcome, OptedOut) and outcome.already and outcome.replies == said
    assert isinstance(decide(Situation(channel="webchat", opted_out=True), "START"), OptedIn)


def test_a_chatter_who_said_stop_after_their_survey_is_not_thanked_when_the_round_closes(client, services):
    """Closing a round thanks those who took part (`loop.took_part`), never one whose STOP came in the web chat
    after their survey ended: the same rule as a round's invitations (`participants.opt_outs.said_stop`)."""
    user = _joined(client)
    round_id = _launch(services, _last_used(services) + timedelta(minutes=5)).round.id
    user.say("Yes, let's start")
    user.say("4")  # an answer to the first question
    ended = _last_used(services)
    with session_scope(services.engine) as session:
        assert [p.id for p in took_part(session=session, round_id=round_id)] != []
        for run in session.execute(select(Run)).scalars():
            run.status = RunStatus.FINISHED  # their survey ended: the STOP below stops no run
            run.ended_at = ended
    _stop(user)
    with Session(services.engine) as session:
        assert session.execute(select(Run.status)).scalar_one() == RunStatus.FINISHED
        assert took_part(session=session, round_id=round_id) == []


def test_a_chatter_held_back_who_said_stop_is_not_invited_when_their_alert_closes(client, services):
    """Closing their alert invites one a live alert held back (`rounds.held_back`), in their chat; not once they
    said STOP there."""
    user = _joined(client)
    user.say(RISKY)
    result = _launch(services, _last_used(services) + timedelta(minutes=5))
    assert result.held_back == 1
    user.say("STOP")  # answered with the help lines while their alert is live
    with Session(services.engine) as session:
        assert session.execute(select(Participant.chat_stopped_at)).scalar_one() is not None
    last = _news(client, user)["messages"][-1]["id"]
    _close_alerts(services)  # closing the alert invites whoever it held back (`invite_held_back`)
    assert _news(client, user, last)["messages"] == []
    with Session(services.engine) as session:
        assert session.execute(select(Run.id).where(col(Run.round_id) == result.round.id)).all() == []
