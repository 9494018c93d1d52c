"""The dashboard saves a recurring round whose rounds would overlap, its own or another's of the same survey, and
says so in one warning banner with the words `round schedule` prints (`rounds.schedule.schedule_warnings`); a
cadence whose rounds never overlap has a success banner and no warning."""

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
    saved_but = "Recurring round saved, but rounds would overlap: &#39;every day&#39; launches rounds as little as 1"
    assert saved_but in page and "Success" not in page  # one banner, "Important", not a green one beside it

    # Its own rounds never overlap, but the daily one's are open when each launches: said in the same way.
    quarterly = {"survey": "pulse", "cadence": "every 3 months on the first tuesday", "open_days": "14"}
    assert worker.post_form("/admin/rounds/schedule", quarterly).status_code == 303
    page = worker.get("/admin/rounds").get_data(as_text=True)
    assert "Recurring round saved, but rounds would overlap with recurring round 1 (&#39;every day&#39;)" in page
    for stopped in (1, 2):
        assert worker.post_form(f"/admin/rounds/schedules/{stopped}/stop", {}).status_code in (302, 303)
    worker.get("/admin/rounds")
    monthly = {"survey": "pulse", "cadence": "monthly on the 1st", "open_days": "14"}
    assert worker.post_form("/admin/rounds/schedule", monthly).status_code == 303
    page = worker.get("/admin/rounds").get_data(as_text=True)  # the others are stopped
    assert "Recurring round saved: the scheduler launches each one" in page and "overlap" not in page
