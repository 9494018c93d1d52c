"""Rounds page functions: the launch form read strictly, and the previewed count is the count launched."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlmodel import Session

from tests.factories import TODAY, add_participants, phone_number, small_survey
from voice_service.context import REPO_CONVERSATIONS
from voice_service.db import session_scope
from voice_service.models import OptOut, Participant
from voice_service.rounds.audience import cohort_words
from voice_service.surveys.loader import load_catalogue
from voice_service.web.admin.rounds_service import FormError, preview_launch, read_launch_form

SURVEYS = {"check-in": small_survey()}
# Noon UTC on the factories' day, so ages made with dob() hold whatever the time zone.
NOW = datetime.combine(TODAY, time(12, 0), tzinfo=UTC)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"survey": "nope"}, "survey"),
        ({"survey": "check-in", "status": "adults"}, "status"),
        ({"survey": "check-in", "min_age": "ten"}, "min_age"),
        ({"survey": "check-in", "min_age": "17", "max_age": "12"}, "min_age"),
        ({"survey": "check-in", "closes": "19/12/26"}, "closes"),
        ({"survey": "check-in", "closes-day": "19", "closes-year": "2026"}, "closes"),
    ],
)
def test_launch_form_names_the_wrong_field(form, field):
    with pytest.raises(FormError) as caught:
        read_launch_form(form, surveys=SURVEYS)
    assert caught.value.field == field


def test_preview_counts_who_launch_invites(services):
    add_participants(
        services,
        # A child in care is under 18 (the importer refuses an older one: trial 10, T10-8), so 17 is the one too old.
        [{"phone": phone_number(i), "age": age, "status": "in_care"} for i, age in enumerate((12, 14, 16, 17))],
    )
    with session_scope(services.engine) as session:
        first = session.get(Participant, 1)
        session.add(OptOut(phone_hash=first.phone_hash, keyword="STOP"))
    form = read_launch_form({"survey": "check-in", "status": "in_care", "max_age": "16"}, surveys=SURVEYS)
    assert cohort_words(form.cohort) == "in care, aged any to 16"
    with Session(services.engine) as session:
        preview = preview_launch(
            session=session, form=form, survey=SURVEYS["check-in"], now=NOW, timezone="Europe/London"
        )
    assert (preview.invited, preview.opted_out) == (2, 1)


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"status": "in_care"}, "status", "written for care leavers, not young people in care"),
        ({"max_age": "14"}, "max_age", "the oldest age is 14"),
        ({"min_age": "16"}, "min_age", "the youngest age 16 is below that"),
    ],
)
def test_a_cohort_outside_the_surveys_audience_is_refused_in_plain_words(services, form, field, words):
    surveys = load_catalogue(REPO_CONVERSATIONS).surveys
    read = read_launch_form({"survey": "care-leavers"} | form, surveys=surveys)
    with Session(services.engine) as session, pytest.raises(FormError) as caught:
        preview_launch(session=session, form=read, survey=surveys["care-leavers"], now=NOW, timezone="Europe/London")
    assert caught.value.field == field
    assert words in str(caught.value) and "--" not in str(caught.value)
