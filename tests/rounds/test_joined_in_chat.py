"""Trial 3, F12: `round status` printed "invited 7" beside "invitations: 5 of 5 sent (100%)" when two web
chatters had joined the round (`[webchat] join_open_rounds`); nothing said where the other two came from.
The invitations line (the CLI's and the dashboard's) now counts them: "...; 2 in the web chat"."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from tests.rounds.test_cli import _run
from voice_service.db import session_scope
from voice_service.models import Participant, Run
from voice_service.rounds.progress import RoundProgress, round_progress


def test_round_status_says_how_many_joined_in_the_web_chat(services):
    add_participants(services, [{"phone": phone_number(i), "age": 16} for i in range(60, 65)])
    round_id = launch(services)
    with session_scope(services.engine) as session:
        version = session.exec(select(Run.survey_version_id).where(Run.round_id == round_id)).first()
        for name in ("Ash", "Bo"):  # web chatters: no number, joined after onboarding
            chatter = Participant(first_name=name)
            session.add(chatter)
            session.flush()
            session.add(Run(participant_id=chatter.id, round_id=round_id, survey_version_id=version, channel="webchat"))
    with Session(services.engine) as session:
        progress = round_progress(session=session, round_id=round_id)
    assert (progress.invited, progress.invitations, progress.in_chat) == (7, 5, 2)
    status = _run(services.config, "round", "status", str(round_id))
    assert status.exit_code == 0, status.output
    line = next(text for text in status.output.splitlines() if "invited" in text)
    assert line.split()[:2] == ["invited", "7"] and line.endswith("; 2 in the web chat"), line


def test_a_round_only_in_the_web_chat_has_no_text_invitations():
    progress = RoundProgress(round_id=1, status="open", invited=1, in_chat=1)
    assert progress.invitations_line() == "no text invitations; 1 in the web chat"
    assert RoundProgress(round_id=1, status="open").invitations_line() == "no invitations"
