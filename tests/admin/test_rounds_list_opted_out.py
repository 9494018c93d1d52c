"""The rounds list counts who opted out (said STOP) as its own figure, apart from who said no to the
invitation (trial finding 17: "Said no 0" while 8 had said STOP)."""

from __future__ import annotations

import re

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number


def test_the_rounds_list_shows_how_many_opted_out(services, client, admin_client):
    add_participants(services, [{"phone": phone_number(i), "age": 15} for i in range(1, 5)])
    launch(services)
    for person in (1, 2):
        SmsPhone(client, phone_number(person)).send("STOP")
    SmsPhone(client, phone_number(3)).send("no")
    html = admin_client("worker").get("/admin/rounds").get_data(as_text=True)
    assert "Opted out (STOP)</th>" in html
    assert re.search(r'data-count="opted-out">2<', html)
