"""The invitation names the council (trial U5): a young person texted from a number they do not know is told
who is texting. A survey's intro may say {council}, filled in from `[app] council_name` in one place
(`engine.conversation.intro_text`) for a text, the web chat and the dashboard's preview; the shipped intros
say "it's the Voice team at {council}" and stay one text for a long name and a long council name."""

from __future__ import annotations

import dataclasses

from click.testing import CliRunner
from sqlmodel import Session, col, select

from tests.factories import add_participants, phone_number, small_survey
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.context import REPO_CONVERSATIONS
from voice_service.engine.conversation import begin, intro_text
from voice_service.engine.gsm import is_gsm7, sms_segments
from voice_service.models import OutboxMessage
from voice_service.surveys.advice import SAMPLE_COUNCIL, SAMPLE_NAME, survey_advice
from voice_service.surveys.loader import check_paths, load_catalogue
from voice_service.web.admin.surveys_service import preview_survey

COUNCIL = "Testshire County Council"  # the test config's [app] council_name


def _with_intro(intro: str):
    return dataclasses.replace(small_survey(), intro=intro)


def test_the_intro_names_the_council_where_it_says_council():
    survey = _with_intro("Hi {first_name}, it's the Voice team at {council}. Reply YES to start, or STOP to opt out.")
    said = begin(survey, first_name="Jade", council=COUNCIL).replies[0]
    assert said == f"Hi Jade, it's the Voice team at {COUNCIL}. Reply YES to start, or STOP to opt out."
    assert intro_text(survey, "Jade", "  ").startswith("Hi Jade, it's the Voice team at the council.")
    # A first name is sent as it is, even one that reads like a placeholder.
    assert intro_text(survey, "{council}", COUNCIL).startswith("Hi {council}, it's the Voice team at Testshire")


def test_the_shipped_invitations_name_the_council_in_one_text():
    catalogue = load_catalogue(REPO_CONVERSATIONS)
    assert len(SAMPLE_COUNCIL) == 46  # the longest council name the fixed texts are kept one segment for
    for survey in catalogue.surveys.values():
        assert "it's the Voice team at {council}." in survey.intro, survey.id
        for council in (COUNCIL, SAMPLE_COUNCIL, "the council"):
            text = intro_text(survey, SAMPLE_NAME, council)
            assert is_gsm7(text) and sms_segments(text) == 1, (survey.id, council, len(text))
        assert survey_advice(survey) == [], survey.id
    assert check_paths([str(REPO_CONVERSATIONS)]) == []  # {council} is a placeholder the loader allows


def test_surveys_check_counts_the_council_in_an_intros_length():
    long = "Hi {first_name}, it's the Voice team at {council}. " + "x" * 70 + " Reply YES to start, or STOP to opt out."
    assert len(long.replace("{council}", "").replace("{first_name}", "")) < 160  # fits without the names
    assert any(w.field == "intro" and "text" in w.message for w in survey_advice(_with_intro(long)))


def test_the_dashboards_preview_names_the_council():
    survey = _with_intro("Hi {first_name}, it's the Voice team at {council}. Reply YES to start, or STOP to opt out.")
    assert f"Voice team at {COUNCIL}." in preview_survey(survey, council=COUNCIL).intro.text


def test_round_launch_sends_invitations_naming_the_configured_council(services):
    add_participants(services, [{"phone": phone_number(i), "status": "care_leaver", "age": 19} for i in range(2)])
    result = CliRunner().invoke(
        main,
        ["round", "launch", "--survey", "care-leavers", "--status", "care_leaver"],
        env=environment(services.config) | {"VOICE_CONFIG": ""},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    with Session(services.engine) as session:
        bodies = session.exec(select(OutboxMessage.body).where(col(OutboxMessage.kind) == "invitation")).all()
    assert len(bodies) == 2
    for body in bodies:
        assert f"it's the Voice team at {COUNCIL}." in body and "{council}" not in body
        assert sms_segments(body) == 1
