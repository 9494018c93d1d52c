"""The dashboard's rounds list said only "Closed 9 March 2026" for a round closed a week early, where `round list`
says it closed early (new-user trial): both take `rounds.membership.planned_if_closed_early`."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import add_participants, phone_number
from tests.rounds.test_list_closed_early import OPENED, PLANNED, _close, _round


def test_the_dashboards_rounds_list_says_a_round_closed_early_as_round_list_does(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "date_of_birth": "2010-05-01"}], today=OPENED.date())
    early = _round(services, closes_at=PLANNED)
    _close(services, early, datetime(2026, 3, 9, 15, 0, tzinfo=UTC))
    on_time = _round(services, closes_at=PLANNED)
    _close(services, on_time, PLANNED)
    html = admin_client("worker").get("/admin/rounds").get_data(as_text=True)
    assert "Closed 9 March 2026 (closed early; planned 16 March 2026)" in html
    assert html.count("closed early") == 1 and "Closed 16 March 2026<" in html
