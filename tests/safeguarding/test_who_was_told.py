"""Trial 5, F4: "New message on alert #N" notices went to the duty routes but were never listed where duty staff
look: `alerts show`'s Notices and the alert page's "Who was told" listed the first notice, reminders, the
escalation, updates and acknowledgements only. Each one is listed now, as its own line (two can share an attempt:
replies to a worker are not counted as messages on the alert), sent through the real routes on a passed-in clock."""

from __future__ import annotations

import html
from datetime import timedelta

from click.testing import CliRunner

from tests.admin.conftest import StaffAccount, sign_in
from tests.outbox.helpers import Clock
from tests.support.alert_routes import RAISED, as_duty, disclose, flush_outbox, young_person
from voice_service.accounts.service import create_user
from voice_service.db import session_scope
from voice_service.safeguarding import alerts as safeguarding
from voice_service.web import create_app

PASSWORD = "correct horse battery staple"
NEW_MESSAGE = "duty team told of a new message (text, email, webhook)"


def _duty_account(services) -> StaffAccount:
    with session_scope(services.engine) as session:
        user = create_user(session=session, email="dee@council.test", roles=["duty"], password=PASSWORD)
        assert user.id is not None
        return StaffAccount(user.id, user.email, PASSWORD, ("duty",))


def _reply_from_them(services, person: int, when) -> None:
    """They wrote back after a worker's reply (`ToPerson`): the duty routes hear (`notify_reply`)."""
    with session_scope(services.engine) as session:
        safeguarding.notify_reply(
            session=session, vault=services.vault, config=services.config, participant_id=person, now=when
        )


def test_every_new_message_notice_is_listed_in_alerts_show_and_who_was_told(routes, fake_twilio):
    services, _, _ = routes
    person = young_person(services)
    alert_id = disclose(services, person, when=RAISED)  # Tue 1 Dec 14:05
    clock = Clock(RAISED)
    flush_outbox(services, clock)
    as_duty(services, safeguarding.acknowledge, alert_id, by="Kim Duty", now=RAISED + timedelta(minutes=40))
    for minutes, tell in (
        (62, lambda when: disclose(services, person, when=when)),  # a further disclosure, once acknowledged
        (95, lambda when: _reply_from_them(services, person, when)),
        (130, lambda when: _reply_from_them(services, person, when)),  # the same attempt as the one before
    ):
        clock.current = RAISED + timedelta(minutes=minutes)
        tell(clock.current)
        flush_outbox(services, clock)
    assert sum(text["body"].startswith("New message on alert") for text in fake_twilio.messages) == 3
    account = _duty_account(services)
    listed = [f"Tue 1 Dec {time}: {NEW_MESSAGE}" for time in ("15:07", "15:40", "16:15")]

    from voice_service.cli import main

    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    shown = CliRunner(env=env).invoke(main, ["alerts", "show", str(alert_id), "--by", account.email])
    assert shown.exit_code == 0, shown.output
    # Read in another year, a time keeps its year ("Tue 1 Dec 2026 15:07"): the same line.
    notices = [line.strip().replace("Dec 2026 ", "Dec ") for line in shown.output.split("Notices:\n")[1].splitlines()]
    assert [line for line in notices if NEW_MESSAGE in line] == listed, notices
    assert notices[0].endswith("duty team notified (text, email, webhook)"), notices

    client = create_app(services=services).test_client()
    assert sign_in(client, account).status_code == 303
    page = html.unescape(client.get(f"/admin/alerts/{alert_id}").get_data(as_text=True))
    told = page.split('id="notice-history">')[1].split("</ul>")[0]
    assert told.count(NEW_MESSAGE) == 3, told
