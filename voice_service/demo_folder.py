"""Whether a demo's folder is in use, so `demo` never empties it under a running server or scheduler.

A server or scheduler on a demo's settings (`voice-service --config demo-output/config.toml serve` or
`scheduler`, and the ones `demo` runs itself) holds a shared lock on that config file for as long as it
runs; a scheduler on a SQLite database also holds its own lock file beside it. `demo` tries each of those
locks exclusively before emptying its folder: one it cannot take belongs to a running process (trial
finding 40). The operating system lets every lock go when its process ends, so a demo stopped any way
at all (Ctrl+C, a crash, kill -9) leaves nothing stale behind, and no timing is guessed.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import TextIO


def hold_demo_settings(path: Path | None) -> TextIO | None:
    """Hold a shared lock on a demo's config file while the returned file stays open (None: no file).
    Shared: the demo's server and its scheduler hold it at once; only `demo`'s check asks for it alone."""
    if path is None or not path.is_file():
        return None
    handle = open(path, encoding="utf-8")
    fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
    return handle


def _held(path: Path) -> bool:
    """True when a running process holds a lock on `path` (it is not taken here for more than a moment)."""
    try:
        handle = open(path, "rb")
    except OSError:  # gone, or not a file: nothing holds it
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


def demo_folder_in_use(out: Path) -> bool:
    """True while a server or scheduler runs on the demo in `out`: its config.toml's lock or a scheduler's
    lock file there is held."""
    if not out.is_dir():
        return False
    return any(_held(path) for path in (out / "config.toml", *sorted(out.glob("*.scheduler.lock"))))
