"""A running scheduler picks up changed send windows from its config file without a restart."""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from tests.conftest import make_config
from tests.outbox.helpers import queue, statuses
from voice_service.config import load
from voice_service.context import Services
from voice_service.models import OutboxMessage
from voice_service.outbox.waiting import WINDOW_HOLD
from voice_service.scheduler import run_scheduler
from voice_service.scheduler.config_watch import ConfigWatch

# Monday 2 March 2026, 10:00 in London (GMT): outside the default weekday window, 16:00-20:00.
MONDAY_MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
WINDOWS = {"weekday_window": "16:00-20:00", "weekend_window": "10:00-18:00", "school_hours": "08:30-15:30"}
DUTY = {"webhook_url": "http://127.0.0.1:9/duty"}


def _write(path: Path, config, **schedule) -> None:
    """The configuration as a TOML file, with these [schedule] keys changed; its mtime moved on a second."""
    values = config.as_dict()
    values["schedule"].update(schedule)
    lines = []
    for section, keys in values.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in keys.items()]
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text("\n".join(lines) + "\n")
    stamp = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(stamp, stamp))


def _held(services) -> int:
    with Session(services.engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.error_message == WINDOW_HOLD)).all()
        return len(rows)


def _until(condition, stop: threading.Event, seconds: float = 20) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        stop.wait(0.05)
    return condition()


def test_a_widened_window_sends_held_texts_without_a_restart(database_url, fake_twilio, tmp_path, caplog):
    """The scheduler holds invitations outside the window; the window is widened in the file and the same
    process sends them, saying in its log that the windows changed (no numbers, no names). A file that then
    fails to load keeps the windows in use, and the log names the key at fault."""
    caplog.set_level(logging.INFO, logger="voice_service")
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        schedule={**WINDOWS, "poll_seconds": 0.05},
        safeguarding=DUTY,
    )
    path = tmp_path / "config.toml"
    _write(path, config)
    config = load(path, environ={})
    services = Services.from_config(config)
    queue(services, 3, now=MONDAY_MORNING)
    stop, ready = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def target():
        try:
            run_scheduler(services, stop=stop, on_ready=ready.set, config_file=path, now=lambda: MONDAY_MORNING)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    try:
        assert ready.wait(20), errors
        assert _until(lambda: _held(services) == 3, stop), statuses(services)
        assert not fake_twilio.messages

        _write(path, config, weekday_window="09:00-20:00")
        assert _until(lambda: statuses(services) == {"sent": 3}, stop), statuses(services)
        assert len(fake_twilio.messages) == 3

        _write(path, config, weekday_window="20:00-09:00")  # not a window: the start is after the end
        assert _until(lambda: any("cannot be used" in r.getMessage() for r in caplog.records), stop)
        queue(services, 2, start=10, now=MONDAY_MORNING)
        assert _until(lambda: statuses(services) == {"sent": 5}, stop), statuses(services)  # still 09:00-20:00
    finally:
        stop.set()
        thread.join(30)
    assert not errors
    services.engine.dispose()
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("voice_service.scheduler")]
    changed = [line for line in lines if "send windows changed" in line]
    assert len(changed) == 1, lines
    assert "schedule.weekday_window 16:00-20:00 -> 09:00-20:00" in changed[0]
    assert "applied without a restart" in changed[0]
    broken = next(line for line in lines if "cannot be used" in line)
    assert "schedule.weekday_window" in broken and "keeps the settings it has" in broken


def test_only_the_windows_apply_at_once_and_other_changes_wait_for_a_restart(database_url, tmp_path, caplog):
    """A change to another key is named in the log as waiting for a restart, with no value (it may be a
    secret or a contact's address); a file with a bad address is refused without the address in the log;
    an unchanged file is not read again."""
    caplog.set_level(logging.INFO, logger="voice_service")
    config = make_config(database_url, schedule=WINDOWS, safeguarding=DUTY)
    path = tmp_path / "config.toml"
    _write(path, config)
    config = load(path, environ={})
    watch = ConfigWatch(path, config, environ={})
    assert watch.check() is None and not caplog.records  # nothing changed

    _write(path, config, rate_per_second=3.0)
    assert watch.check() is None  # no window changed: nothing to apply
    assert watch.config is config
    (waiting,) = [r.getMessage() for r in caplog.records]
    assert "schedule.rate_per_second take effect only when the scheduler is restarted" in waiting
    assert "3.0" not in waiting

    caplog.clear()
    _write(path, config, school_hours="off", reply_hours="09:00-20:00")
    applied = watch.check()
    assert applied is not None and watch.config is applied
    assert (applied.schedule.school_hours, applied.schedule.reply_hours) == ("off", "09:00-20:00")
    assert applied.schedule.rate_per_second == config.schedule.rate_per_second  # needs a restart: unchanged
    assert applied.privacy == config.privacy and applied.database == config.database
    message = " ".join(r.getMessage() for r in caplog.records)
    assert "schedule.school_hours 08:30-15:30 -> off" in message
    assert "schedule.reply_hours" in message and "schedule.weekday_window" not in message

    caplog.clear()
    values = applied.as_dict()
    values["panel"]["emails"] = ["jo.bloggs.at.example.org"]
    lines = []
    for section, keys in values.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in keys.items()]
    path.write_text("\n".join(lines) + "\n")
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))
    assert watch.check() is None and watch.config is applied
    (refused,) = [r.getMessage() for r in caplog.records]
    assert "cannot be used" in refused and "panel.emails" in refused and "jo.bloggs" not in refused


def test_a_file_caught_while_it_is_written_is_read_again_once_it_is_whole(database_url, tmp_path, caplog):
    """An editor (or `cat >`) truncates the file, then writes it. A check that came between read an empty file,
    which loads as every default: the windows went back to 16:00-20:00 with no one asking, and when the file
    was then saved with a mistake in it the defaults stayed ("cannot be used"). Held texts waited for a
    window nobody set (the widened-window test above failed so, under load). An empty file is not read, and
    the next check reads the file once it is written."""
    caplog.set_level(logging.INFO, logger="voice_service")
    config = make_config(database_url, schedule=WINDOWS, safeguarding=DUTY)
    path = tmp_path / "config.toml"
    _write(path, config, weekday_window="09:00-20:00")
    config = load(path, environ={})
    watch = ConfigWatch(path, config, environ={})

    path.write_text("")  # truncated, not yet written
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))
    assert watch.check() is None and watch.config is config
    assert not caplog.records  # nothing read, nothing said

    _write(path, config, weekday_window="09:00-21:00")  # now written whole
    applied = watch.check()
    assert applied is not None and applied.schedule.weekday_window == "09:00-21:00"
    assert "take effect only when" not in " ".join(r.getMessage() for r in caplog.records)
