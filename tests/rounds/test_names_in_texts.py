"""A young person's first name in the texts a round sends (tester T19): a letter GSM-7 lacks ("Zoë",
"Łukasz", "Siân") would send the whole invitation as UCS-2 and double its cost, so an SMS carries the
name's plain form; GSM-7's own accented letters ("Chloé", "Renée") are kept, and the web chat shows the
name exactly as written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from tests.factories import add_participants, launch, phone_number
from tests.summary import data
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.models import OutboxMessage, Participant
from voice_service.summary import summarise
from voice_service.summary.loop import fits_one_sms, loop_sms

NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # a Monday evening, inside the send window, after school
PULSE = (Path(__file__).resolve().parents[2] / "conversations" / "surveys" / "pulse.toml").read_text()
NAMES = {1: "Zoë", 2: "Chloé", 3: "Renée", 4: "Łukasz", 5: "Siân"}
IN_A_TEXT = {1: "Zoe", 2: "Chloé", 3: "Renée", 4: "Lukasz", 5: "Sian"}


def _invite_everyone(services) -> None:
    add_participants(services, [{"phone": phone_number(300 + i), "first_name": NAMES[i]} for i in NAMES])
    launch(services, survey_source=PULSE, now=NOW)


def test_a_round_launched_to_zoe_sends_an_invitation_of_one_segment(services):
    _invite_everyone(services)
    with Session(services.engine) as session:
        rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.kind) == "invitation")).all()
        bodies = {row.participant_id: row.body for row in rows}
    assert bodies[1].startswith("Hi Zoe, it's the Voice team at Testshire County Council.")
    assert bodies[1].endswith("or STOP to opt out.")
    for participant_id, body in bodies.items():
        assert body.startswith(f"Hi {IN_A_TEXT[participant_id]}, "), body
        assert texts.is_gsm7(body) and texts.sms_segments(body) == 1, body
    # With the name as written, the same invitation would be two texts or more (UCS-2: 67 characters a segment).
    assert texts.sms_segments(bodies[1].replace("Zoe", "Zoë")) >= 2


def test_the_web_chat_keeps_the_name_exactly_as_written(services):
    from voice_service.web.chat.sessions import start_chat

    _invite_everyone(services)
    with session_scope(services.engine) as session:
        for participant_id in (1, 4):
            invited = session.get(Participant, participant_id)
            opening = start_chat(session=session, services=services, invited=invited, now=NOW).replies[0]
            assert opening.startswith(f"Hi {NAMES[participant_id]}, "), opening


def test_the_thank_you_text_greets_zoe_by_name_in_one_segment(services):
    ids = data.people(services, 3)
    round_id = data.round_at(services)
    data.comments(services, round_id, ids, ["not safe on the bus"] * 3, ["safety"])
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    link = "https://voice.example/r/abcdefghijkl"
    for name, greeting in (("Zoë", "Hi Zoe, thanks"), ("Chloé", "Hi Chloé, thanks"), ("Łukasz", "Hi Lukasz, thanks")):
        text = loop_sms(summary, first_name=name, link=link)
        assert text.startswith(greeting) and fits_one_sms(text) and text.endswith(link), text
