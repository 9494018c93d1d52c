"""Surveys pages with a broken file in the folder: the others still list, and the problems are shown."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import make_config
from voice_service.context import REPO_CONVERSATIONS


@pytest.fixture
def config(database_url, tmp_path):
    """This module's configuration: a conversations folder with one broken survey file."""
    folder = tmp_path / "conversations"
    shutil.copytree(REPO_CONVERSATIONS, folder)
    (folder / "surveys" / "broken.toml").write_text(
        'id = "broken"\ntitle = "Broken"\nintro = "Hi"\noutro = "Bye"\n\n'
        '[[questions]]\nid = "q"\nkind = "scale"\ntext = "?"\n',
        encoding="utf-8",
    )
    # Loads, but its invitation offers no STOP and its choice question never says the choices (tester U20).
    (folder / "surveys" / "council.toml").write_text(
        'id = "council"\ntitle = "Your home"\nintro = "Hi {first_name}, questions about your home? Reply YES"\n'
        'outro = "Thanks"\n\n[[questions]]\nid = "home_help"\nkind = "choice"\ntext = "What would help?"\n'
        'choices = ["Repairs", "Money"]\n',
        encoding="utf-8",
    )
    return make_config(database_url, conversations={"path": str(folder)})


def test_problems_are_listed_and_the_good_surveys_still_open(admin_client):
    worker = admin_client("worker")
    listing = worker.get("/admin/surveys")
    assert listing.status_code == 200
    assert b"The survey files have problems" in listing.data and b"broken.toml" in listing.data
    assert b"/admin/surveys/pulse" in listing.data and b"/admin/surveys/broken" not in listing.data
    assert worker.get("/admin/surveys/pulse").status_code == 200


def test_a_survey_young_people_would_trip_on_is_warned_about(admin_client):
    worker = admin_client("worker")
    page = worker.get("/admin/surveys/council").get_data(as_text=True)
    assert 'id="warnings"' in page and "the invitation gives no way to say no" in page
    assert "Question home_help, text: never lists its choices" in page
    assert 'id="warnings"' not in worker.get("/admin/surveys/pulse").get_data(as_text=True)
