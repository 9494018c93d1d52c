"""The demo's simulated young people behave as people do: after a disclosure pauses the survey they
choose once (GO ON, or STOP), worrying messages are few and distinct, and the tour says so."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from voice_service.demo import TRANSCRIPTS_SHOWN, run_demo
from voice_service.engine import texts
from voice_service.models import Alert, Direction, Message, Run, RunStatus


def test_after_a_disclosure_they_choose_once_and_alerts_are_few_and_distinct(services, tmp_path):
    lines: list[str] = []
    produced = run_demo(services, out_dir=tmp_path, participants=24, echo=lines.append)
    with Session(services.engine) as session:
        alerts = session.exec(select(Alert)).scalars().all()
        inbound = session.exec(select(Message).where(Message.direction == Direction.IN)).scalars().all()
        runs = session.exec(select(Run).where(Run.round_id == produced["round_id"])).scalars().all()
        excerpts = [session.get(Message, alert.message_id).body for alert in alerts if alert.message_id is not None]
    assert produced["alerts"] == len(alerts) == 2
    assert len(set(excerpts)) == 2  # two different worries, not the same one again and again
    # Nobody texts a paused survey over and over: no "thanks for your message" loops.
    said_back = [reply for message in inbound for reply in message.replies or []]
    assert texts.TEXT_IN_THANKS not in said_back and texts.PAUSED_OFFER not in said_back
    assert not [run for run in runs if run.status == RunStatus.PAUSED]
    # The tour, honestly: Priya's help reply, then GO ON and the next question; the count as it is.
    priya = lines[next(i for i, line in enumerate(lines) if "--- Priya, 15 (East) ---" in line) :]
    helped = next(i for i, line in enumerate(priya) if texts.is_disclosure_reply(line.removeprefix("   Voice: ")))
    assert priya[helped + 1] == "   Priya: GO ON" and priya[helped + 2].startswith("   Voice: ")
    assert f"... and {24 - TRANSCRIPTS_SHOWN} more conversations like these, 1 with a worrying message" in "".join(
        lines
    )
    assert any("2 safeguarding alert(s)" in line for line in lines)
