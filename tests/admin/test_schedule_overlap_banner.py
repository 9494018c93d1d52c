"""The dashboard saves a recurring round whose rounds would overlap, and says so in a warning banner with the
words `round schedule` prints (`rounds.schedule.overlap_words`); a cadence whose rounds never overlap has none."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import add_participants, phone_number

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def test_an_overlapping_schedule_is_saved_with_a_warning(services, admin_client, monkeypatch):
    monkeypatch.setattr("voice_service.rounds.schedule.utcnow", lambda: START)
    add_participants(services, [{"phone": phone_number(1), "age": 14}])
    worker = admin_client("worker")
    made = worker.post_form("/admin/rounds/schedule", {"survey": "pulse", "cadence": "every day", "open_days": "14"})
    assert made.status_code == 303
    page = worker.get("/admin/rounds").get_data(as_text=True)
    assert "Rounds would overlap: &#39;every day&#39; launches rounds as little as 1 day apart" in page
    assert "Recurring round saved" in page

    quarterly = {"survey": "pulse", "cadence": "every 3 months on the first tuesday", "open_days": "14"}
    assert worker.post_form("/admin/rounds/schedule", quarterly).status_code == 303
    page = worker.get("/admin/rounds").get_data(as_text=True)
    assert "Recurring round saved" in page and "overlap" not in page
