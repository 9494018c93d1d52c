"""A survey file changed while the service runs (trial, 7 December): the Surveys pages showed the file as it is, but
the dashboard launched it as the process first read it (the old invitation went out), and a survey added since was
"not loaded" (400). What a worker reads is now what is launched, through the dashboard as by the command."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import Session, select

from tests.conftest import make_config
from tests.factories import add_participants, phone_number
from voice_service.context import REPO_CONVERSATIONS
from voice_service.models import OutboxMessage, Round

NEW_SURVEY = """id = "voice-check"
title = "Being heard"
audience = ["in_care"]
intro = "Hi {first_name}, the Voice team at {council} here. Can we ask 1 question? Reply YES or STOP."
outro = "Thank you!"

[[questions]]
id = "heard"
kind = "yes_no"
label = "Feeling listened to"
text = "Do you feel listened to? Reply YES or NO."
pledges = [2]
"""


@pytest.fixture
def config(database_url, tmp_path):
    """This module's configuration: a copy of the shipped conversations folder, for the tests to change."""
    shutil.copytree(REPO_CONVERSATIONS, tmp_path / "conversations")
    return make_config(database_url, conversations={"path": str(tmp_path / "conversations")})


def _invitations(services) -> list[str]:
    with Session(services.engine) as session:
        found = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).all()
        return [message.body for message in found]


def _launch(worker, survey: str) -> None:
    form = {"survey": survey, "status": "in_care", "min_age": "11", "max_age": "15"}
    assert worker.post_form("/admin/rounds/new", form).status_code == 200
    launched = worker.post_form("/admin/rounds/launch", form | {"previewed": "1"})
    assert launched.status_code == 303, launched.data


def test_an_edited_survey_is_launched_as_its_file_says_now(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "age": 14}])
    worker = admin_client("worker")
    assert b"We&#39;d love to know how you are" in worker.get("/admin/surveys/pulse").data
    _ = services.catalogue  # read once, as a running service has
    pulse = services.conversations_dir / "surveys" / "pulse.toml"
    pulse.write_text(
        pulse.read_text(encoding="utf-8").replace("We'd love to know how you are.", "How are you doing?"),
        encoding="utf-8",
    )
    assert b"How are you doing?" in worker.get("/admin/surveys/pulse").data
    _launch(worker, "pulse")
    [invitation] = _invitations(services)
    assert "How are you doing?" in invitation and "We'd love to know" not in invitation


def test_a_survey_added_while_running_can_be_launched_and_is_named_by_its_title(services, admin_client):
    add_participants(services, [{"phone": phone_number(2), "age": 14}])
    worker = admin_client("worker")
    _ = services.catalogue
    (services.conversations_dir / "surveys" / "voice-check.toml").write_text(NEW_SURVEY, encoding="utf-8")
    assert b"Being heard" in worker.get("/admin/surveys").data
    _launch(worker, "voice-check")
    [invitation] = _invitations(services)
    assert "Can we ask 1 question?" in invitation
    with Session(services.engine) as session:
        [round_] = session.exec(select(Round)).all()
    assert b"Being heard" in worker.get(f"/admin/rounds/{round_.id}").data
