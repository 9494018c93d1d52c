"""Whether a demo's folder is in use, so `demo` never empties it under a running server or scheduler.

A server or scheduler on a demo's settings (`voice-service --config demo-output/config.toml serve` or
`scheduler`, and the ones `demo` runs itself) holds a shared lock on that config file for as long as it
runs; a scheduler on a SQLite database also holds its own lock file beside it. `demo` tries each of those
locks exclusively before emptying its folder: one it cannot take belongs to a running process (trial
finding 40). The operating system lets every lock go when its process ends, so a demo stopped any way
at all (Ctrl+C, a crash, kill -9) leaves nothing stale behind, and no timing is guessed.

`demo` empties only a folder an earlier demo wrote (trial 8, H3: it ran `shutil.rmtree` on any folder it was
given, so `--out .` deleted the repo): one holding the marker file each demo writes first (`MARKER`), or the
`config.toml` an older demo wrote (its first line is `DEMO_CONFIG_FIRST_LINE`); an empty folder or a new path
is used as it is. Any other folder is refused, untouched (`demo_folder_refusal`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import TextIO

# Written first by every demo into its folder: what lets the next demo empty it.
MARKER = ".voice-service-demo"
MARKER_TEXT = (
    "This folder was written by `voice-service demo`. The next demo run with --out on this folder empties it\n"
    "first: keep nothing of your own here.\n"
)
# The first line of the config.toml every demo writes (older demos wrote no marker; this line is theirs alone).
DEMO_CONFIG_FIRST_LINE = (
    "# Written by `voice-service demo`: the tour's settings, with demo keys. Never use these for real."
)


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


def _first_line(path: Path) -> str:
    """The first line of a file (at most a few hundred bytes read), or "" when it is not a readable file."""
    if path.is_symlink() or not path.is_file():
        return ""
    try:
        with open(path, "rb") as handle:
            return handle.readline(400).decode("utf-8", "replace").rstrip("\r\n")
    except OSError:
        return ""


def written_by_a_demo(out: Path) -> bool:
    """True when `out` holds the demo's marker, or the config.toml an older demo wrote (its first line)."""
    marker = out / MARKER
    return (marker.is_file() and not marker.is_symlink()) or _first_line(out / "config.toml") == DEMO_CONFIG_FIRST_LINE


def demo_folder_refusal(out: Path, given: str) -> str | None:
    """Why `demo` must not use `out` (`given` as typed), or None: a new path, an empty folder and a folder an
    earlier demo wrote may be used; any other folder is never emptied."""
    if not out.is_dir() or not any(out.iterdir()) or written_by_a_demo(out):
        return None
    where = given if os.path.abspath(given) == given else f"{given} ({os.path.abspath(given)})"
    return (
        f"{where} is not empty and was not written by an earlier demo, so it was left as it is (nothing deleted). "
        "Give --out a new or empty folder (the default is demo-output), or move that folder's files elsewhere."
    )


def empty_demo_folder(out: Path) -> None:
    """Make `out` an empty folder holding only the demo's marker: its earlier contents (a folder an earlier
    demo wrote, or nothing: `demo_folder_refusal` said so first) are deleted, a link among them as a link only."""
    if out.is_dir():
        for child in list(out.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
