"""Welsh questions (trial finding 33): a "Language" column in the import is what sends a young person the
`text_cy` of each question that has one; a question without it goes in English; a value the importer cannot
place is a bad row, saying what to write."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from tests.conftest import SmsPhone
from tests.factories import launch, phone_number
from voice_service.db import session_scope
from voice_service.models import Participant
from voice_service.participants.importer import import_participants

NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # a Monday evening, inside the send window
PULSE = (Path(__file__).resolve().parents[2] / "conversations" / "surveys" / "pulse.toml").read_text()
WELSH_FIRST = "Pa mor ddiogel wyt ti'n teimlo lle rwyt ti'n byw?"
ENGLISH_FIRST = "How safe do you feel where you live?"


def _import(services, text: str):
    with session_scope(services.engine) as session:
        return import_participants(session=session, vault=services.vault, handle=io.StringIO(text))


def _languages(services) -> dict[str | None, str]:
    with Session(services.engine) as session:
        people = session.exec(select(Participant).order_by(col(Participant.id))).all()
        return {person.first_name: person.language for person in people}


def test_a_welsh_speaker_gets_the_welsh_questions_and_others_english(client, services):
    report = _import(
        services,
        "Mobile number,First Name,Status,DOB,Preferred Language\n"
        f"{phone_number(501)},Siân,In care,2012-01-01,Cymraeg\n"
        f"{phone_number(502)},Sam,In care,2012-01-01,\n"
        f"{phone_number(503)},Ela,In care,2012-01-01,CY\n"
        f"{phone_number(504)},Tom,In care,2012-01-01,english\n",
    )
    assert report.ok and report.created == 4, report.problems
    assert _languages(services) == {"Siân": "cy", "Sam": "en", "Ela": "cy", "Tom": "en"}
    launch(services, survey_source=PULSE, now=NOW)
    assert SmsPhone(client, phone_number(501)).send("yes")[0].startswith(WELSH_FIRST)
    assert SmsPhone(client, phone_number(502)).send("yes")[0].startswith(ENGLISH_FIRST)
    # Every pulse question is in Welsh (a question without `text_cy` would go in English: tests/engine/
    # test_conversation.py), and a Welsh yes answers a Welsh yes/no question.
    welsh = SmsPhone(client, phone_number(501))
    assert welsh.send("4")[0].startswith("Sut wyt ti wedi bod yn teimlo'n ddiweddar?")
    assert welsh.send("4")[0].startswith("Sut mae pethau'n mynd yn yr ysgol")
    assert welsh.send("4")[0].startswith("Wyt ti'n cael gweld dy weithiwr cymdeithasol")
    assert welsh.send("ie")[0].startswith("Wyt ti'n gallu gwneud pethau arferol")


def test_a_language_it_cannot_place_is_a_bad_row_that_says_what_to_write(services):
    report = _import(
        services,
        f"phone,status,language\n{phone_number(511)},in_care,French\n{phone_number(512)},in_care,welsh\n",
    )
    assert report.created == 1
    (line, problem), *others = report.problems
    assert not others and line == 2
    assert "language must be English (en) or Welsh (cy, Cymraeg)" in problem and "'French'" in problem


def test_a_file_without_the_column_leaves_a_welsh_speaker_welsh(services):
    assert _import(services, f"phone,status,language\n{phone_number(521)},in_care,cy\n").ok
    report = _import(services, f"phone,status,area\n{phone_number(521)},in_care,North\n")
    assert report.ok and report.updated == 1
    assert list(_languages(services).values()) == ["cy"]
    assert _import(services, f"phone,status,language\n{phone_number(521)},in_care,\n").ok  # blank is English
    assert list(_languages(services).values()) == ["en"]
