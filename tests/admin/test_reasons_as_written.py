"""Trial finding 7: "Why it was raised" quoted the screen's normalised words ("hell hurt me") where the young
person wrote "he'll hurt me". The duty page and `alerts show` now quote the matched words as written, found
in the messages that raised the alert (`words.as_written`), and fall back to the screen's words when they
cannot be found. The screen's decision is not touched, and the notices still carry none of it."""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner
from sqlmodel import Session, col, select

from tests.admin.conftest import duty_config
from voice_service.models import Alert, OutboxMessage
from voice_service.web.admin.words import alert_reasons, as_written

SAID = "he said he'll hurt me if i tell anyone"


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


@pytest.mark.parametrize(
    ("phrase", "said", "written"),
    [
        ("hell hurt me", ["He said he\u2019ll HURT me if i tell"], "he\u2019ll HURT me"),
        ("going to kill myself", ["ok", "im gonna kill myself tonight"], "gonna kill myself"),
        ("he is drunk", ["he HITS me when hes drunk"], "hes drunk"),
        ("hurts me and my mum", ["my dad hurts me & my mum"], "hurts me & my mum"),
        ("i am scared", ["Im scared!!"], "Im scared"),
        ("want to die", ["i feel fine"], None),  # not in these messages (erased, say)
        ("want to die", [], None),
    ],
)
def test_the_matched_words_as_written(phrase, said, written):
    assert as_written(phrase, said) == written


def test_reasons_quote_the_young_persons_words_or_the_screens_when_not_found():
    reasons = ["lexicon: abuse (hurt me)", "lexicon: violence (hell hurt me)", "model: 1.00"]
    assert alert_reasons(reasons, 0.5, [SAID]) == [
        "Words about abuse: 'hurt me'",
        "Words about violence or threats: 'he'll hurt me'",
        "The screening model also judged it likely (score 1.00)",
    ]
    assert alert_reasons(reasons, 0.5)[1] == "Words about violence or threats: 'hell hurt me'"
    # A typo the screen read past is kept beside the words as written.
    typo = ["lexicon: self_harm (want to die; dye read as die)"]
    assert alert_reasons(typo, 0.5, ["i want to dye"]) == ["Words about self-harm: 'want to dye (dye read as die)'"]
    other = ["lexicon: self_harm, someone else at risk (my sister: wants to die)"]
    assert alert_reasons(other, 0.5, ["My sister WANTS to die"]) == [
        "Words about self-harm for someone else (my sister): 'WANTS to die'"
    ]


def test_the_duty_page_and_alerts_show_quote_what_was_written(services, disclose, admin_client, users):
    raised = disclose(SAID)
    with Session(services.engine) as session:
        alert = session.get(Alert, raised.alert_id)
        assert alert is not None and "lexicon: violence (hell hurt me)" in alert.reasons  # the screen as it was
        notices = session.exec(select(OutboxMessage).where(col(OutboxMessage.alert_id) == raised.alert_id)).all()
    assert notices and all("hurt" not in notice.body for notice in notices)  # notices carry no words

    page = html.unescape(admin_client("duty").get(f"/admin/alerts/{raised.alert_id}").get_data(as_text=True))
    assert "Words about violence or threats: 'he'll hurt me'" in page
    assert "'hell hurt me'" not in page

    from voice_service.cli import main

    users("duty", email="dee@council.test", name="Dee Duty")
    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    shown = CliRunner(env=env).invoke(main, ["alerts", "show", str(raised.alert_id), "--by", "Dee Duty"])
    assert shown.exit_code == 0, shown.output
    assert "Words about violence or threats: 'he'll hurt me'" in shown.output
    assert "hell hurt me" not in shown.output


def test_an_alert_raised_by_two_messages_says_which_reason_is_whose(services, disclose, admin_client, users):
    """Trial 3, F7: two disclosures on one alert read "The screening model also judged it likely (score 1.00);
    The screening model also judged it likely (score 0.98)". Each message's reasons now come under its
    number and time, the time the "They said (...)" line shows beside its words."""
    first = disclose("my foster dad hits me when hes drunk")
    second = disclose("he said if i tell anyone he will kill me")
    assert second.alert_id == first.alert_id
    with Session(services.engine) as session:
        alert = session.get(Alert, first.alert_id)
        assert alert is not None and alert.message_count == 2
        assert sum(str(reason).startswith("model: ") for reason in alert.reasons) == 2, alert.reasons
    line = re.compile(r"Message (\d) \((\w{3} \d{1,2} \w{3} \d\d:\d\d)\): Words about (\w+)")

    page = html.unescape(admin_client("duty").get(f"/admin/alerts/{first.alert_id}").get_data(as_text=True))
    reasons = page.split('id="reasons"')[1].split("</ul>")[0]
    assert [(m[1], m[3]) for m in line.finditer(reasons)] == [("1", "abuse"), ("2", "violence")], reasons
    assert reasons.count("also judged it likely") == 2 and "'hits me'" in reasons

    from voice_service.cli import main

    users("duty", email="dee@council.test", name="Dee Duty")
    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    shown = CliRunner(env=env).invoke(main, ["alerts", "show", str(first.alert_id), "--by", "Dee Duty"])
    assert shown.exit_code == 0, shown.output
    why = shown.output.split("Why:\n")[1].split("\n")[:2]
    found = [line.search(text) for text in why]
    assert [(m[1], m[3]) for m in found if m] == [("1", "abuse"), ("2", "violence")], why
    said = re.findall(r"They said \(([^)]*)\): ", shown.output)
    assert said == [m[2] for m in found if m], shown.output
