"""A changed config file, picked up by the running scheduler (and `serve`'s pages) without a restart.

Before each dispatcher pass the scheduler looks at its config file's modification time (a `stat`,
nothing read). The web app does the same, with its own `ConfigWatch`, whenever a dashboard page that
describes the send windows is drawn or a worker's reply is timed (`web.admin.security.live_config`), so
those pages and the scheduler go by the same windows. When the file has changed it is loaded and
validated again exactly as at start-up (`config.load`, environment overrides included). The send
windows (`LIVE_KEYS`) take effect at once: the dispatcher judges every text by them from its next
pass, and texts held for the old windows are brought forward where the new ones open sooner. Every
other key is read only when a process starts; the log names any that changed (never their values:
some are secrets or contact details) as waiting for a restart. A file that fails to load leaves the
settings in use as they were, and the log says why. A file caught while it is being written (empty, or
changed while it was read) is not used: it is read again, whole, at the next check.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config, ConfigError, load

if TYPE_CHECKING:
    from ..outbox.dispatch import Dispatcher

log = logging.getLogger(__name__)

# [schedule] keys a running scheduler applies without a restart: together they are its send windows.
LIVE_KEYS = ("weekday_window", "weekend_window", "school_hours", "reply_hours")

# The value a reason quotes (Python's repr: single quotes, or double around a single quote) and long
# numbers are left out of the log: a value may be a secret, an address or a phone number; the key's
# name says where to look. The form a reason asks for ("16:00-20:00") is kept.
_VALUE = re.compile(r"'[^']*'|\"[^\"]*'[^\"]*\"|\d{6,}")


def _reason(exc: Exception) -> str:
    return _VALUE.sub("…", str(exc))


def _changed(before: Config, after: Config) -> list[str]:
    """Names ("section.key") of the keys whose values differ."""
    old, new = before.as_dict(), after.as_dict()
    return [f"{section}.{key}" for section in new for key in new[section] if old[section][key] != new[section][key]]


class ConfigWatch:
    """A process's config file and the settings it runs on; `check` picks up a change to the file."""

    def __init__(
        self,
        path: Path | None,
        config: Config,
        *,
        environ: Mapping[str, str] | None = None,
        process: str = "scheduler",
    ):
        """`path`: the file the process was started with (None: no file, nothing to watch); `process`: what
        the log calls the process ("scheduler", "serve")."""
        self.path = path
        self.config = config
        self.process = process
        self._environ = environ
        self._lock = threading.Lock()  # a web worker's threads check at once; one reads the file
        self._seen = self._stamp()

    def _stamp(self) -> tuple[int, int, int] | None:
        if self.path is None:
            return None
        try:
            status = self.path.stat()
        except OSError:
            return None
        # Size and inode too: an editor that saves by renaming, or two saves within the clock's tick.
        return status.st_mtime_ns, status.st_size, status.st_ino

    def current(self) -> Config:
        """The settings to go by now: the send windows as the file says (a change picked up first: `check`),
        every other key as when the process started."""
        self.check()
        return self.config

    def check(self) -> Config | None:
        """The settings to run on from now, when the file changed and its send windows with it; else None.

        Logs what changed: the windows' old and new values, and the names of changed keys that wait for
        a restart. A file that cannot be read or fails validation keeps the settings in use."""
        if self.path is None:
            return None
        with self._lock:
            return self._check()

    def _check(self) -> Config | None:
        stamp = self._stamp()
        if stamp == self._seen:
            return None
        if stamp is not None and stamp[1] == 0:
            # Empty: caught between an editor's truncating the file and writing it (an empty file would load
            # as every default). Read it again at the next check, once it has been written.
            return None
        try:
            fresh = load(self.path, environ=self._environ)
        except (ConfigError, ValueError, OSError) as exc:  # ValueError: e.g. a file that is not UTF-8
            if self._stamp() != stamp:
                return None  # still being written: read it again at the next check
            self._seen = stamp  # a broken file is reported once, not at every pass, and read again when saved again
            log.warning(
                "config file %s changed but cannot be used (%s); the %s keeps the settings it has",
                self.path,
                _reason(exc),
                self.process,
            )
            return None
        if self._stamp() != stamp:
            return None  # written to while it was read: read it again, whole, at the next check
        self._seen = stamp
        live = {key: getattr(fresh.schedule, key) for key in LIVE_KEYS}
        current = self.config
        updated = replace(current, schedule=replace(current.schedule, **live))
        waiting = _changed(updated, fresh)
        if waiting:
            log.warning(
                "config file %s changed: %s take effect only when the %s is restarted",
                self.path,
                ", ".join(waiting),
                self.process,
            )
        windows = [
            f"schedule.{key} {getattr(current.schedule, key)} -> {live[key]}"
            for key in LIVE_KEYS
            if getattr(current.schedule, key) != live[key]
        ]
        if not windows:
            return None
        self.config = updated
        log.info("send windows changed (%s): %s; applied without a restart", self.path, "; ".join(windows))
        return updated


def apply_windows(dispatcher: Dispatcher, config: Config) -> int:
    """Send by `config`'s windows from the dispatcher's next pass; texts held for the old windows are due
    when the new ones open, where that is sooner. Returns how many were brought forward."""
    from ..outbox.waiting import release_for_window
    from ..outbox.windows import Windows

    dispatcher.windows = Windows.from_config(config)
    released = release_for_window(engine=dispatcher.engine, windows=dispatcher.windows, now=dispatcher.now())
    if released:
        log.info("%s text(s) held for the send window are due sooner under the new windows", released)
    return released
