"""The lowest answer to a safety question ("How safe do you feel where you live?" 1 = not safe) is the
survey's own way of disclosing: it raises a low-priority alert (the question's `concern`), even if they
skip the follow-up, and the follow-up carries help numbers (tester finding: nothing at all happened)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import SMALL_SURVEY, add_participants, launch, phone_number
from voice_service.models import Alert
from voice_service.surveys.loader import parse_survey

WITH_CONCERN = SMALL_SURVEY.replace(
    "messages = [4]\noptional = true\n", 'messages = [4]\noptional = true\nconcern = "<= 1"\n', 1
)
PULSE = Path(__file__).parents[2] / "conversations" / "surveys" / "pulse.toml"


def test_not_safe_where_they_live_raises_a_low_priority_alert(client, services):
    add_participants(services, [{"phone": phone_number(80)}, {"phone": phone_number(81)}])
    launch(services, survey_source=WITH_CONCERN)
    unsafe, fine = SmsPhone(client, phone_number(80)), SmsPhone(client, phone_number(81))
    unsafe.send("yes")
    assert unsafe.send("1") == ["Sorry to hear that. What would help you feel safer?"]
    unsafe.send("skip")
    fine.send("yes")
    fine.send("2")
    with Session(services.engine) as session:
        [alert] = session.exec(select(Alert)).all()
    assert alert.priority == "low" and alert.categories == ["unsafe_home"]


def test_the_pulse_survey_gives_help_numbers_after_not_safe():
    pulse = parse_survey(PULSE.read_bytes(), "pulse.toml")
    assert pulse.question("safe_home").raises_concern(1) and not pulse.question("safe_home").raises_concern(2)
    assert "Childline" in pulse.question("safe_help").text
