"""A young person who has only ever used the web chat (no number) is invited by a later round in their open web chat,
in the chat's words; one no channel reaches (no number, no open chat) is counted and said as unreachable, never
skipped in silence; a STOP in the chat holds, as a number's STOP does (new-user trial: `launch_round` chose only
people with a number, so chat-only young people were never asked again). On SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import Session, col, select

from tests.factories import SMALL_SURVEY, add_participants, phone_number, small_survey
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.engine.onboarding import OnboardingState
from voice_service.models import ChatSession, Message, OutboxMessage, Participant, Run, RunStatus
from voice_service.participants.opt_outs import opt_out
from voice_service.rounds.launch import Cohort, EmptyCohort, LaunchResult, close_round, launch_round

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday morning; every date here is from it
CHAT_DAYS = 90  # `[webchat] session_max_age_days`, passed as the service passes it


def _chatter(services, *, seen: datetime | None, step: str = "done") -> int:
    """A young person who joined in the web chat (no number), with one chat last used at `seen` (None: no chat)."""
    with session_scope(services.engine) as session:
        person = Participant(
            source="webchat",
            status="in_care",
            age_band="16-17",
            onboarding=OnboardingState(step=step).to_dict(),  # type: ignore[arg-type]
            created_at=NOW - timedelta(days=200),
            updated_at=NOW - timedelta(days=200),
        )
        session.add(person)
        session.flush()
        assert person.id is not None
        if seen is not None:
            session.add(
                ChatSession(
                    token_hash=secrets.token_hex(32), participant_id=person.id, created_at=seen, last_seen_at=seen
                )
            )
        return person.id


def _texter(services, index: int) -> int:
    """A young person imported with a number."""
    add_participants(services, [{"phone": phone_number(index), "date_of_birth": "2009-06-01"}], today=NOW.date())
    with Session(services.engine) as session:
        wanted = services.vault.hash(phone_number(index))
        found = session.exec(select(Participant.id).where(col(Participant.phone_hash) == wanted)).one()
        assert found is not None
        return found


def _launch(services, *, now: datetime = NOW, allow_empty: bool = True) -> LaunchResult:
    with session_scope(services.engine) as session:
        result = launch_round(
            session=session,
            vault=services.vault,
            survey=small_survey(),
            source=SMALL_SURVEY,
            cohort=Cohort(),
            now=now,
            allow_empty=allow_empty,
            council=services.config.app.council_name,
            chat_days=CHAT_DAYS,
        )
        session.expunge(result.round)
        return result


def _said_in_chat(services, participant_id: int) -> list[Message]:
    with Session(services.engine) as session:
        return list(
            session.exec(
                select(Message).where(col(Message.participant_id) == participant_id, col(Message.channel) == "webchat")
            )
        )


def test_a_chat_only_young_person_is_invited_in_their_open_chat_in_the_chats_words(services):
    texter = _texter(services, 1)
    chatter = _chatter(services, seen=NOW - timedelta(days=3))
    result = _launch(services)
    assert (result.invited, result.in_chat, result.unreachable, result.opted_out) == (2, 1, 0, 0)
    assert result.queued_words == "1 invitation queued; 1 invited in their web chat"
    round_id = result.round.id
    with Session(services.engine) as session:
        runs = {run.participant_id: run for run in session.exec(select(Run).where(col(Run.round_id) == round_id))}
        queued = session.exec(select(OutboxMessage.participant_id).where(col(OutboxMessage.round_id) == round_id))
        assert list(queued) == [texter]  # no text to someone with no number
    assert runs[chatter].channel == "webchat" and runs[chatter].status == RunStatus.INVITED
    assert runs[texter].channel == "sms"
    [invitation] = _said_in_chat(services, chatter)
    assert invitation.provider_sid == f"invite:{round_id}:{chatter}" and invitation.run_id == runs[chatter].id
    assert invitation.chat_session_id is None  # every open chat of theirs shows it
    words = invitation.body
    assert "Tap Yes" in words, words
    for sms_only in ("STOP", "Reply", "text ", "Text "):
        assert sms_only not in words, words


def test_no_number_and_no_open_chat_is_counted_as_unreachable(services):
    _chatter(services, seen=NOW - timedelta(days=CHAT_DAYS, seconds=1))  # the chat has run out
    _chatter(services, seen=None)  # no chat kept at all
    _chatter(services, seen=NOW - timedelta(days=1), step="status")  # still at the welcome: not joined, not counted
    _chatter(services, seen=NOW - timedelta(days=1), step="declined")  # said no to the welcome: the same
    result = _launch(services)
    assert (result.invited, result.in_chat, result.unreachable) == (0, 0, 2)
    assert result.unreachable_words == "2 not invited: no phone number and no open web chat"
    with Session(services.engine) as session:
        assert session.exec(select(Message)).all() == []

    with pytest.raises(EmptyCohort) as refused:
        _launch(services, allow_empty=False)
    assert "2 not invited: no phone number and no open web chat" in str(refused.value)


def test_a_chat_used_on_the_last_day_is_still_open(services):
    chatter = _chatter(services, seen=NOW - timedelta(days=CHAT_DAYS))
    result = _launch(services)
    assert (result.in_chat, result.unreachable) == (1, 0)
    assert len(_said_in_chat(services, chatter)) == 1


def test_stop_in_the_chat_keeps_them_out_of_the_next_round(services):
    chatter = _chatter(services, seen=NOW - timedelta(days=1))
    first = _launch(services)
    assert first.in_chat == 1
    with session_scope(services.engine) as session:
        # What their STOP in the chat does (`inbound.receive._opt_out`): no number to register, so it is kept on
        # them (`participants.opt_outs.opt_out`), and their run stopped.
        stopped_at = NOW + timedelta(hours=1)
        opt_out(session, participant_id=chatter, phone_hash=None, keyword="STOP", now=stopped_at, already=False)
        run = session.exec(select(Run).where(col(Run.participant_id) == chatter)).one()
        run.status, run.stopped_from, run.ended_at = RunStatus.STOPPED, RunStatus.INVITED, stopped_at
        assert first.round.id is not None
        close_round(session=session, round_id=first.round.id, now=NOW + timedelta(days=14))
    second = _launch(services, now=NOW + timedelta(days=15))
    assert (second.invited, second.in_chat, second.opted_out, second.unreachable) == (0, 0, 1, 0)
    assert len(_said_in_chat(services, chatter)) == 1  # only the first round's invitation


def test_round_launch_says_who_was_invited_in_the_chat_and_who_nothing_reaches(services, monkeypatch):
    import voice_service.cli.rounds as cli_rounds

    monkeypatch.setattr(cli_rounds, "utcnow", lambda: NOW)
    monkeypatch.setattr("voice_service.rounds.launch.utcnow", lambda: NOW)
    _texter(services, 2)
    _chatter(services, seen=NOW - timedelta(days=2))
    _chatter(services, seen=None)
    launched = CliRunner().invoke(
        main,
        ["round", "launch", "--survey", "pulse"],
        env=environment(services.config) | {"VOICE_CONFIG": ""},
        catch_exceptions=False,
    )
    assert launched.exit_code == 0, launched.output
    first = launched.output.splitlines()[0]
    assert first.endswith(
        "1 invitation queued; 1 invited in their web chat, 1 not invited: no phone number and no open web chat"
    ), first


def test_the_check_before_launch_says_who_nothing_reaches(services):
    from voice_service.web.admin.rounds_service import preview_launch, read_launch_form

    _chatter(services, seen=NOW - timedelta(days=1))
    _chatter(services, seen=None)
    survey = small_survey()
    form = read_launch_form({"survey": survey.id}, surveys={survey.id: survey})
    with Session(services.engine) as session:
        preview = preview_launch(
            session=session, form=form, survey=survey, now=NOW, timezone="Europe/London", chat_days=CHAT_DAYS
        )
    assert preview.invited == 1
    assert preview.unreachable == "1 not invited: no phone number and no open web chat"
