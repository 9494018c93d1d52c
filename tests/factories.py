"""One place that builds test data: participants, surveys and rounds."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from tests.log_guard import remember, remember_names
from voice_service.db import session_scope
from voice_service.participants.importer import import_participants, rows_to_csv
from voice_service.rounds.launch import Cohort, launch_round
from voice_service.surveys.loader import parse_survey

TODAY = date.today()

SMALL_SURVEY = """\
id = "check-in"
title = "Quick check-in"
intro = "Hi {first_name}, it's the Voice team. Reply YES to start, or STOP to opt out."
outro = "Thank you! You can text us any time."

[[questions]]
id = "safe_home"
kind = "scale"
text = "How safe do you feel where you live? 1 = not safe, 5 = totally safe"
min = 1
max = 5
pledges = [1]
messages = [4]
optional = true

  [[questions.branch]]
  when = "<= 2"
  goto = "safe_home_why"

  [[questions.branch]]
  when = "any"
  goto = "listened"

[[questions]]
id = "safe_home_why"
kind = "text"
text = "Sorry to hear that. What would help you feel safer?"
pledges = [1]

[[questions]]
id = "listened"
kind = "yes_no"
text = "Do you feel listened to at your reviews? Reply YES or NO."
pledges = [9]
messages = [8]
optional = true

[[questions]]
id = "contact"
kind = "choice"
text = "How often do you see your family? 1 Not enough 2 About right 3 Too much"
choices = ["Not enough", "About right", "Too much"]
pledges = [6]
messages = [3]
optional = true

[[questions]]
id = "one_thing"
kind = "text"
text = "If you could change one thing about care, what would it be?"
pledges = [9]
messages = [8]
optional = true
"""


def dob(age: int) -> str:
    """A date of birth making someone `age` today."""
    return date(TODAY.year - age, 1, 1).isoformat()


def phone_number(index: int) -> str:
    """A distinct UK mobile number for each index (07700 900200 up): Ofcom's drama range while index < 800."""
    return f"+4477009{200 + index:05d}"


def add_participants(services, people: list[dict], *, today: date | None = None) -> None:
    """Import participants through the real importer; `today`, the day their ages are checked on (a test that
    gives a date of birth and pins its clock passes that day, so it holds a year from now too)."""
    rows = [
        {
            "phone": p["phone"],
            "first_name": p.get("first_name", "Sam"),
            "status": p.get("status", "in_care"),
            "date_of_birth": p.get("date_of_birth", dob(p.get("age", 14))),
            "area": p.get("area", "North"),
        }
        | ({"language": p["language"]} if "language" in p else {})
        for p in people
    ]
    remember(*(row["phone"] for row in rows))
    remember_names(*(row["first_name"] for row in rows))
    with session_scope(services.engine) as session:
        report = import_participants(
            session=session, vault=services.vault, handle=io.StringIO(rows_to_csv(rows)), today=today
        )
    assert report.ok, report.problems


def small_survey(source: str = SMALL_SURVEY):
    """The small test survey, parsed."""
    return parse_survey(source.encode(), "check-in.toml")


def launch(
    services, *, survey_source: str = SMALL_SURVEY, cohort: Cohort | None = None, now: datetime | None = None
) -> int:
    """Launch a round of a survey and return its id."""
    survey = parse_survey(survey_source.encode(), "check-in.toml")
    with session_scope(services.engine) as session:
        result = launch_round(
            session=session,
            vault=services.vault,
            survey=survey,
            source=survey_source,
            cohort=cohort or Cohort(),
            now=now,
            council=services.config.app.council_name,  # as every launch in the service passes it
        )
        return result.round.id


def days(n: int) -> timedelta:
    """Shorthand for a number of days."""
    return timedelta(days=n)
