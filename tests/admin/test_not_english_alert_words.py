"""A Welsh text from a number never seen before (trial finding 16): the young person is told a person will read
it (not the English welcome: onboarding has not begun), and the low alert it raised reads
"not in English – needs a person" where its category goes, in `alerts list`, `alerts show` and the dashboard,
instead of a blank."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from tests.admin.conftest import duty_config
from tests.conftest import SmsPhone
from voice_service.analysis import NOT_ENGLISH_REASON
from voice_service.engine import texts
from voice_service.models import Alert, Participant
from voice_service.safeguarding.alerts import NOT_ENGLISH_CATEGORY
from voice_service.web.admin.words import alert_categories

NEW_NUMBER = "+447700900888"
WELSH = "Rydw i'n drist iawn"  # I am very sad


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _cli(services, *args: str) -> str:
    from voice_service.cli import main

    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    result = CliRunner(env=env).invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_welsh_from_a_new_number_is_read_by_a_person_and_named_so(client, services, users, admin_client):
    phone = SmsPhone(client, NEW_NUMBER)
    (said,) = phone.send(WELSH)
    assert texts.is_unread_reply(said)
    with Session(services.engine) as session:
        alert = session.exec(select(Alert)).one()
    assert (alert.priority, alert.categories, alert.reasons) == ("low", [], [NOT_ENGLISH_REASON])
    with Session(services.engine) as session:
        assert session.exec(select(Participant.onboarding)).one() is None  # still new: welcomed later

    listed = [line for line in _cli(services, "alerts", "list").splitlines() if line.startswith(f"#{alert.id} ")]
    assert len(listed) == 1 and NOT_ENGLISH_CATEGORY in listed[0]
    users("duty", email="dee@council.test", name="Dee Duty")
    shown = _cli(services, "alerts", "show", str(alert.id), "--by", "Dee Duty")
    assert f"Categories: {NOT_ENGLISH_CATEGORY}\n" in shown

    duty = admin_client("duty")
    assert NOT_ENGLISH_CATEGORY in duty.get("/admin/alerts").get_data(as_text=True)
    page = duty.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert "Not in English \u2013 needs a person" in page
    # The home page's list of alerts waiting says it too, not "possible risk" (trial finding 1).
    home = duty.get("/admin/").get_data(as_text=True)
    assert f"Alert {alert.id}</a>: {NOT_ENGLISH_CATEGORY}," in home and "possible risk" not in home


def test_category_words():
    assert alert_categories(["self_harm", "violence"], ["lexicon: self_harm"]) == "self harm, violence"
    assert alert_categories([], [NOT_ENGLISH_REASON]) == NOT_ENGLISH_CATEGORY
    assert alert_categories([], []) == "possible risk"
    assert alert_categories([], [NOT_ENGLISH_REASON], capital=True) == "Not in English \u2013 needs a person"


def test_its_duty_notice_names_it_so_in_plain_sms_letters(client, services):
    """The notice the duty team gets says what the pages say (one home, `category_names`), not "possible risk",
    in GSM-7 letters so it stays one plain SMS."""
    from voice_service.engine.gsm import is_gsm7
    from voice_service.models import OutboxMessage

    SmsPhone(client, NEW_NUMBER).send(WELSH)
    with Session(services.engine) as session:
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "alert")).all()
    assert notices
    for notice in notices:
        assert "not in English - needs a person" in notice.body and "possible risk" not in notice.body
    assert any(is_gsm7(notice.body) for notice in notices)
