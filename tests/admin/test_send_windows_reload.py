"""The dashboard's pages that describe the send windows follow the config file without a restart, as the
running scheduler does (trial finding: after an edit the pages and the scheduler disagreed until `serve` was
restarted). The pages read the windows through the same `scheduler.config_watch` the scheduler uses."""

from __future__ import annotations

import logging

from tests.admin.conftest import csrf_from, sign_in
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from tests.scheduler.test_config_watch import _write
from voice_service.config import load
from voice_service.context import Services
from voice_service.web import create_app

ALL_DAY = "Invitations go at once: the send windows are open all day and school hours are off."
EVENINGS = (
    "Invitations wait for the send window (weekdays 16:00-20:00, weekends 10:00-18:00), and are never sent "
    "to under-16s in school hours (08:30-15:30 on weekdays)."
)


def test_the_pages_describing_the_send_windows_follow_an_edited_config_file(config, services, users, tmp_path, caplog):
    path = tmp_path / "config.toml"
    _write(path, config)  # the test's settings as a file: every window open all day, school hours off
    from_file = Services.from_config(load(path, environ={}), engine=services.engine)
    app = create_app(services=from_file)  # as `serve` builds it from its --config file
    client = app.test_client()
    assert sign_in(client, users("worker", "duty")).status_code == 303
    csrf = csrf_from(client.get("/admin/").data)

    def launch_check() -> str:
        page = client.post("/admin/rounds/new", data={"survey": "pulse", "csrf_token": csrf})
        assert page.status_code == 200
        return page.get_data(as_text=True)

    add_participants(from_file, [{"phone": phone_number(80), "age": 14}])
    SmsPhone(client, phone_number(80)).send("can i ask something about my placement")  # a text-in for the inbox
    assert ALL_DAY in launch_check()
    all_day = client.get("/admin/inbox/1").get_data(as_text=True)
    assert "A text goes at once, day or night." in all_day and "between 00:00-24:00" not in all_day  # trial 7, G8c

    # Edited while serving: evening windows, school hours on, replies 09:00-21:00, and a key that waits for a
    # restart. No restart: the next page drawn says what the scheduler now sends by.
    with caplog.at_level(logging.INFO, logger="voice_service"):
        _write(
            path,
            config,
            weekday_window="16:00-20:00",
            weekend_window="10:00-18:00",
            school_hours="08:30-15:30",
            reply_hours="09:00-21:00",
        )
        assert EVENINGS in launch_check()
    assert "send windows changed" in caplog.text
    thread = client.get("/admin/inbox/1").get_data(as_text=True)
    assert "A text goes at once between 09:00-21:00 (for under-16s, not in school hours, 08:30-15:30);" in thread

    # A file that no longer loads keeps the windows in use, as the scheduler keeps them.
    path.write_text("[schedule]\nweekday_window = 'teatime'\n")
    assert EVENINGS in launch_check()


def test_without_a_config_file_the_pages_use_the_settings_they_started_with(app, users):
    client = app.test_client()
    assert sign_in(client, users("worker")).status_code == 303
    csrf = csrf_from(client.get("/admin/").data)
    page = client.post("/admin/rounds/new", data={"survey": "pulse", "csrf_token": csrf}).get_data(as_text=True)
    assert ALL_DAY in page
