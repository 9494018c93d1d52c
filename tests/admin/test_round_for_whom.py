"""A round's "For" says who it was for (trial 12, finding 12): a round of the pulse (written for young people in care,
11 to 17) launched with no status or ages said "For: everyone", though the survey's own audience left every care
leaver out. It says "in care, aged 11 to 17", the words a round launched with those choices has."""

from __future__ import annotations

from html import unescape

from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from voice_service.context import REPO_CONVERSATIONS
from voice_service.rounds.membership import Cohort
from voice_service.web.admin.rounds_service import rounds_overview

PULSE = (REPO_CONVERSATIONS / "surveys" / "pulse.toml").read_text()
CARE_LEAVERS = (REPO_CONVERSATIONS / "surveys" / "care-leavers.toml").read_text()


def _people(services):
    add_participants(
        services,
        [
            {"phone": phone_number(701), "age": 14, "status": "in_care"},
            {"phone": phone_number(702), "age": 20, "status": "care_leaver"},
        ],
    )


def test_a_round_for_everyone_says_whom_the_surveys_own_audience_left_in(services, admin_client):
    _people(services)
    everyone = launch(services, survey_source=PULSE)
    chosen = launch(services, survey_source=CARE_LEAVERS, cohort=Cohort(min_age=20))
    with Session(services.engine) as session:
        who = {row.round.id: row.who for row in rounds_overview(session=session)}
    assert who == {everyone: "in care, aged 11 to 17", chosen: "care leavers, aged 20 to 25"}
    worker = admin_client("worker")
    listed = unescape(worker.client.get("/admin/rounds").get_data(as_text=True))
    assert "in care, aged 11 to 17" in listed and ">everyone<" not in listed
    page = unescape(worker.client.get(f"/admin/rounds/{everyone}").get_data(as_text=True))
    assert "in care, aged 11 to 17" in page
    # The check before a launch says it in the same words, above whom the survey leaves out.
    check = unescape(worker.post_form("/admin/rounds/new", {"survey": "pulse"}).get_data(as_text=True))
    assert "in care, aged 11 to 17</dd>" in check and "not in care" in check


def test_a_round_of_a_survey_for_anyone_is_for_everyone_still(services):
    _people(services)
    launch(services)  # the small survey: no audience, no ages
    with Session(services.engine) as session:
        assert [row.who for row in rounds_overview(session=session)] == ["everyone"]
