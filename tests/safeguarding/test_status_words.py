"""Trial 11, T11-8: for a young person whose status is not known, the alert page showed a bare "unknown" on its own
line and `alerts show` said "(name not known, unknown, area not known)". Both now label it: "In care or care leaver:
not known" (one home, `participants.groups.status_words`), and a known status in words ("in care", not "in_care")."""

from __future__ import annotations

import html

from sqlmodel import Session

from tests.safeguarding.test_duty_rules import PASSWORD, _account, cli, config, raise_alert  # noqa: F401
from voice_service.models import Alert, Participant

UNKNOWN = "in care or care leaver: not known"


def _set_status(services, alert_id: int, status: str) -> None:
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        person = session.get(Participant, alert.participant_id)  # type: ignore[union-attr]
        person.status = status  # type: ignore[union-attr]
        session.add(person)
        session.commit()


def test_alerts_show_labels_a_status_not_known(services, raise_alert, cli):  # noqa: F811
    alert_id = raise_alert()
    _set_status(services, alert_id, "unknown")
    shown = cli("alerts", "show", str(alert_id), "--by", "sam").output
    line = next(line for line in shown.splitlines() if line.startswith("Young person: "))
    assert f"(Jo, {UNKNOWN}, area North, age 14)" in line, line
    assert ", unknown," not in line
    _set_status(services, alert_id, "care_leaver")
    line = next(
        line for line in cli("alerts", "show", str(alert_id), "--by", "sam").output.splitlines() if "Jo," in line
    )
    assert "(Jo, care leaver, area North" in line, line


def test_the_alert_page_labels_a_status_not_known(app, services, raise_alert):  # noqa: F811
    from tests.admin.conftest import SignedInClient, StaffAccount, sign_in

    alert_id = raise_alert()
    _set_status(services, alert_id, "unknown")
    _account(services, "me@council.test", "duty", name="Sam Duty")
    account = StaffAccount(0, "me@council.test", PASSWORD, ("duty",))
    client = app.test_client()
    assert sign_in(client, account).status_code == 303
    page = html.unescape(SignedInClient(client, account).get(f"/admin/alerts/{alert_id}").get_data(as_text=True))
    person = page.split(">Young person</dt>")[1].split("</dd>")[0]
    assert "In care or care leaver: not known" in person, person
    assert "unknown" not in person.replace("not known", ""), person
    _set_status(services, alert_id, "in_care")
    page = html.unescape(SignedInClient(client, account).get(f"/admin/alerts/{alert_id}").get_data(as_text=True))
    person = page.split(">Young person</dt>")[1].split("</dd>")[0]
    assert "In care" in person and "in_care" not in person, person
