"""Trial 5, F12: the duty notice email said "Voice Service is how the council hears from children in care" whatever
`[app] council_name` was. It names the council now, as its staff know it, through the real SMTP route."""

from __future__ import annotations

from tests.outbox.helpers import Clock
from tests.support.alert_routes import RAISED, disclose, flush_outbox, nothing_said, open_routes, young_person

COUNCIL = "Borsetshire Council"  # not the tests' usual name: this one comes from the config given


def test_the_notice_email_names_the_council(database_url, fake_twilio, webhook, smtp_server):
    with open_routes(database_url, fake_twilio, webhook, smtp_server, app={"council_name": COUNCIL}) as opened:
        services, _, mails = opened
        disclose(services, young_person(services), when=RAISED)
        flush_outbox(services, Clock(RAISED))
    [mail] = [mail for mail in mails if mail["To"] == "duty@council.test"]
    text = mail.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")
    assert f"Voice Service is how {COUNCIL} hears from children in care and care leavers" in text, text
    assert "the council" not in text
    nothing_said([text])
