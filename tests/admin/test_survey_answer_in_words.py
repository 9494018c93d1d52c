"""A survey answer that raised an alert, on the duty page and in `alerts show` (tester U14): a bare "1" with
"survey: Feeling safe where they live" made a duty worker scroll to the conversation to learn that 1 meant
"not safe". The answer reads with its meaning and its question; the reason reads in words. Notices, which
never carry what was said, are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from tests.admin.conftest import duty_config
from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.models import Alert, OutboxMessage

PULSE = (Path(__file__).parents[2] / "conversations" / "surveys" / "pulse.toml").read_text()
SAID = "Answered 1 (Not safe) to “How safe do you feel where you live?”"
WHY = "An answer the survey flags for the duty team: Feeling safe where they live"


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def test_a_survey_answer_reads_with_its_meaning_and_question(client, services, admin_client, users):
    from voice_service.cli import main

    add_participants(services, [{"phone": phone_number(140), "age": 16}])
    launch(services, survey_source=PULSE)
    phone = SmsPhone(client, phone_number(140))
    phone.send("yes")
    phone.send("1")
    with Session(services.engine) as session:
        [alert] = session.exec(select(Alert)).all()
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "alert")).all()
    assert alert.reasons == ["survey: Feeling safe where they live"]  # stored as the code's, shown in words

    page = admin_client("duty").get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    said = page.split('id="what-they-said"')[1].split("</section>")[0]
    assert SAID in said
    assert WHY in page and "survey: " not in page

    users("duty", email="dee@council.test", name="Dee Duty")
    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    shown = CliRunner(env=env).invoke(main, ["alerts", "show", str(alert.id), "--by", "Dee Duty"])
    assert shown.exit_code == 0, shown.output
    assert f"): {SAID}\n" in shown.output and f"Why: {WHY}\n" in shown.output, shown.output
    assert "survey: " not in shown.output

    assert notices  # the duty team was told, without what was said
    assert not any("How safe" in (n.body or "") or "Not safe" in (n.body or "") for n in notices)


def test_other_answers_in_words():
    from voice_service.surveys.loader import parse_survey
    from voice_service.web.admin.words import answer_words

    pulse = parse_survey(PULSE.encode(), "pulse.toml")
    assert answer_words(pulse.question("safe_home"), "3", value_number=3) == (
        "Answered 3 to “How safe do you feel where you live?”"
    )
    assert answer_words(pulse.question("listened"), "2", value_text="Sometimes") == (
        "Answered 2 (Sometimes) to “When decisions are made about you, do you feel listened to?”"
    )
    assert answer_words(pulse.question("safe_help"), "he hits me") == "he hits me"
