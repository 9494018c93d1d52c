"""ACK from a duty phone for an alert that is closed, acknowledged or not there: the reply says so plainly and links
only to pages there are.

"ACK 99" for an alert already closed was answered "To acknowledge alert #99, sign in at .../admin/alerts/99", as if it
waited, and for an alert number that is no alert's the same link led to a 404. Now the reply names the alert's state
(closed or acknowledged already, with when, in the council's time; who did it is on its page, never in a text any
sender could draw) and links to its page only when there is one, else to the alerts page. Each link is followed by a
signed-in duty worker. Signed webhooks; SQLite and PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from tests.conftest import PUBLIC_URL, SmsPhone, make_config
from voice_service.dates import uk_date_time
from voice_service.db import session_scope
from voice_service.engine.gsm import fits_one_segment
from voice_service.models import Alert, AlertStatus
from voice_service.safeguarding import acknowledge, close
from voice_service.safeguarding.duty_replies import NOBODY, named_alert, reply_for

DUTY_PHONE = "+447700900901"
EDT_PHONE = "+447700900902"
ALERTS = f"{PUBLIC_URL}/admin/alerts"
LINK = re.compile(re.escape(PUBLIC_URL) + r"(/\S*)")


@pytest.fixture
def config(database_url):
    """A duty phone (the alerts' route) and an escalation phone, as a council has them."""
    return make_config(database_url, safeguarding={"duty_phones": [DUTY_PHONE], "escalation_phones": [EDT_PHONE]})


def _rows(services) -> dict[str, int]:
    """How many rows each table holds, but the audit log (the duty worker's page views are audited)."""
    with Session(services.engine) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
            if table.name != "auditevent"
        }


def _followed(duty, reply: str) -> str:
    """The one link in `reply`, followed by a signed-in duty worker: it must be a page there is."""
    links = LINK.findall(reply)
    assert len(links) == 1, reply
    assert duty.client.get(links[0]).status_code == 200, links[0]
    return links[0]


def test_ack_for_a_closed_or_acknowledged_alert_says_so_and_links_only_to_pages_there_are(
    services, disclose, admin_client
):
    closed = disclose("i want to kill myself tonight", number="+447700900321")
    held = disclose("he hits me every night", number="+447700900322")
    duty = admin_client("duty")
    with session_scope(services.engine) as session:
        done = dict(session=session, vault=services.vault, config=services.config, by=duty.account.email)
        acknowledge(alert_id=closed.alert_id, **done)
        close(alert_id=closed.alert_id, action="called", note="Called her, she is safe with her carer", **done)
        acknowledge(alert_id=held.alert_id, **done)
    with Session(services.engine) as session:
        closed_alert, held_alert = session.get(Alert, closed.alert_id), session.get(Alert, held.alert_id)
        assert closed_alert.status == AlertStatus.CLOSED and held_alert.status == AlertStatus.ACKNOWLEDGED
        closed_at = uk_date_time(closed_alert.closed_at, services.config.app.timezone)
        acked_at = uk_date_time(held_alert.acknowledged_at, services.config.app.timezone)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d", closed_at), closed_at
    before = _rows(services)

    edt = SmsPhone(duty.client, EDT_PHONE)
    [said] = edt.send(f"ACK {closed.alert_id}")
    assert (
        said
        == f"{NOBODY}Alert #{closed.alert_id} is closed already ({closed_at}). See it at {ALERTS}/{closed.alert_id}"
    )
    assert "To acknowledge" not in said and fits_one_segment(said)
    assert _followed(duty, said) == f"/admin/alerts/{closed.alert_id}"

    [said] = SmsPhone(duty.client, DUTY_PHONE).send(f"ack #{held.alert_id} thanks")
    assert (
        said
        == f"{NOBODY}Alert #{held.alert_id} was acknowledged already ({acked_at}). See it at {ALERTS}/{held.alert_id}"
    )
    assert _followed(duty, said) == f"/admin/alerts/{held.alert_id}"

    # An alert number that is no alert's: its page would be a 404, so the reply says so and links the queue.
    missing = closed.alert_id + held.alert_id + 97
    assert duty.client.get(f"/admin/alerts/{missing}").status_code == 404
    [said] = edt.send(f"ACK {missing}")
    assert said == f"{NOBODY}There is no alert #{missing}. To see the alerts, sign in at {ALERTS}"
    assert _followed(duty, said) == "/admin/alerts"

    # Who closed or acknowledged it is on its page, never in a text (a sender's number may be forged).
    for reply in (edt.send(f"ACK {closed.alert_id}")[0], edt.send(f"ACK {held.alert_id}")[0]):
        assert duty.account.email not in reply and duty.account.email.split("@")[0] not in reply
    # A text still acknowledges, closes and keeps nothing.
    assert _rows(services) == before


def test_ack_for_an_open_alert_still_says_where_to_acknowledge(services, disclose, admin_client):
    alert = disclose("i want to kill myself tonight")
    duty = admin_client("duty")
    [said] = SmsPhone(duty.client, DUTY_PHONE).send(f"ACK {alert.alert_id}")
    assert said == f"{NOBODY}To acknowledge alert #{alert.alert_id}, sign in at {ALERTS}/{alert.alert_id}"
    assert _followed(duty, said) == alert.link_path
    with Session(services.engine) as session:
        assert session.get(Alert, alert.alert_id).status == AlertStatus.OPEN


@pytest.mark.parametrize(
    ("text", "number"),
    [("ACK 6", 6), ("ack #012 thanks", 12), ("Acknowledged alert 7", 7), ("on #3", 3), ("ok", None), ("ACK", None)],
)
def test_the_alert_a_text_names(text, number):
    assert named_alert(text) == number


@pytest.mark.parametrize("status", [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.CLOSED, None])
def test_each_reply_is_one_segment_at_a_councils_long_address(database_url, status):
    from datetime import UTC, datetime

    config = make_config(database_url, app={"public_url": "https://voice-service.childrens-services.example.gov.uk"})
    when = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    alert = None
    if status is not None:
        alert = Alert(id=123456, status=status, excerpt="", acknowledged_at=when, closed_at=when)
    reply = reply_for(config, "ACK 123456", alert)
    assert fits_one_segment(reply), (len(reply), reply)
    assert reply.endswith("/admin/alerts" + ("/123456" if alert is not None else ""))
    if status == AlertStatus.CLOSED:
        assert "closed already (30 Nov 2026 14:05)" in reply  # in the council's time (UTC in November)
