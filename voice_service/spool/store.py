"""The spool file: inbound messages the database could not take, kept on local disk until it can.

One folder (`[spool] dir`) holds:

- `inbound.spool`: one line per message, a Fernet token (`privacy.phone_key`) of the JSON
  record, so neither a phone number nor a word is readable at rest. Appended with O_APPEND
  under a lock and fsynced before the holding reply goes back: a record exists on disk or
  the sender was never told it was kept.
- `done`: the ids of records stored (or found already stored), appended and fsynced the same
  way. Pending = spooled minus done, in arrival order.
- `failed`: ids of records that could not be replayed for a reason other than the database
  (kept in the spool file for a person to look at; never retried in a loop, only when a person
  asks: `spool replay --retry-failed`). A failed record stored later is done, no longer failed.
- `worrying`: ids of records the screen found worrying as they were spooled (the sender had the help
  reply): counted, without decrypting anything, for /healthz and `spool status`.
- `early`: what became of each worrying record's early notice (`spool.early`: the duty routes told at once, with
  no database, trial 13, T13-5), one JSON line per try of a route: the record's id, the sender's keyed hash (so a
  second worrying message of theirs in the same outage sends no second notice), the route's name in the settings
  ("duty_phones:0"), its channel, "sent" or "failed" and the sender's short kind of error. No address, no word.

When every record is done, the files are removed under the lock (the spool is empty again).

The Fernet token is the spool's integrity check: a line changed on disk does not decrypt, so it
is never replayed. A spooled SMS was signed by Twilio when it came in (the webhook checked it
before spooling it), so its replay does not check the signature again against today's settings.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

SPOOL_FILE = "inbound.spool"
DONE_FILE = "done"
FAILED_FILE = "failed"
WORRYING_FILE = "worrying"
EARLY_FILE = "early"
LOCK_FILE = "spool.lock"
REPLAY_LOCK_FILE = "replay.lock"


class SpoolError(OSError):
    """The spool could not keep a record (no space, not writable)."""


@dataclass(frozen=True)
class Record:
    """One spooled inbound message: its id, when it arrived, and the request as received."""

    id: str
    received_at: datetime
    channel: str  # "sms" or "webchat"
    data: dict[str, Any]

    def form(self) -> dict[str, str]:
        """An SMS's webhook form (empty for a chat message)."""
        return {str(key): str(value) for key, value in self.data.get("form", [])}

    @property
    def text(self) -> str:
        """What the young person wrote: an SMS's Body, a chat message's text."""
        if self.channel == "sms":
            return self.form().get("Body", "")
        return str(self.data.get("text", ""))


@dataclass(frozen=True)
class Depth:
    """How many records wait, how many could not be replayed, how many of those waiting are worrying, and how many
    of those no duty route has heard of (their early notice not sent)."""

    pending: int
    failed: int
    worrying: int = 0
    unwarned: int = 0  # of the worrying ones, those whose early notice has reached no route (yet)


class Spool:
    """The spool folder: append a record, list what is pending, mark records done or failed."""

    def __init__(self, directory: str | Path, key: str, old_keys: Sequence[str] = ()):
        self.directory = Path(directory)
        # Old keys still read records spooled before a `privacy rotate-key`; new ones use `key`.
        self._fernet = MultiFernet([Fernet(k.encode()) for k in (key, *old_keys)])

    @classmethod
    def from_config(cls, config) -> Spool:
        """The spool `[spool] dir` names, encrypted with `privacy.phone_key` (`old_phone_keys` still read)."""
        return cls(config.spool.dir, config.privacy.phone_key, config.privacy.old_phone_keys)

    def _path(self, name: str) -> Path:
        return self.directory / name

    @contextmanager
    def _locked(self, name: str = LOCK_FILE, *, blocking: bool = True) -> Iterator[bool]:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path(name), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)  # also releases the lock

    def _append_line(self, name: str, line: bytes) -> None:
        """Append one whole line and fsync it (the caller holds the lock)."""
        path = self._path(name)
        created = not path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            view = memoryview(line)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            # The new file's name must survive a crash too.
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def append(
        self, channel: str, data: dict[str, Any], *, now: datetime | None = None, worrying: bool = False
    ) -> Record:
        """Keep one inbound request durably; raises SpoolError if the disk will not take it.

        `worrying`: the screen found a risk in it (counted by `depth` until it is stored)."""
        record = Record(id=uuid.uuid4().hex, received_at=now or datetime.now(UTC), channel=channel, data=data)
        payload = json.dumps(
            {"id": record.id, "received_at": record.received_at.isoformat(), "channel": channel, "data": data},
            ensure_ascii=True,
        ).encode()
        line = self._fernet.encrypt(payload) + b"\n"
        try:
            with self._locked():
                self._append_line(SPOOL_FILE, line)
                if worrying:
                    self._append_line(WORRYING_FILE, record.id.encode() + b"\n")
        except OSError as error:
            raise SpoolError(error.errno, f"could not write to the spool: {error.strerror}") from error
        return record

    def _ids(self, name: str) -> list[str]:
        path = self._path(name)
        if not path.exists():
            return []
        return [line for line in path.read_text().splitlines() if line]

    def _lines(self) -> list[bytes]:
        path = self._path(SPOOL_FILE)
        if not path.exists():
            return []
        # A last line without its newline was never acknowledged to anyone (the write did not finish).
        return [line for line in path.read_bytes().split(b"\n")[:-1] if line]

    def records(self) -> tuple[list[Record], int]:
        """Every readable record in arrival order, and how many lines could not be read (wrong key, damage)."""
        records, unreadable = [], 0
        for line in self._lines():
            try:
                raw = json.loads(self._fernet.decrypt(line))
            except (InvalidToken, ValueError):
                unreadable += 1
                continue
            records.append(
                Record(
                    id=raw["id"],
                    received_at=datetime.fromisoformat(raw["received_at"]),
                    channel=raw["channel"],
                    data=raw["data"],
                )
            )
        return records, unreadable

    def pending(self, *, retry_failed: bool = False) -> list[Record]:
        """Records not yet stored or failed (with `retry_failed`, failed ones too), oldest first."""
        done, failed = self.finished()
        finished = done if retry_failed else done | failed
        records, _ = self.records()
        return [record for record in records if record.id not in finished]

    def depth(self) -> Depth:
        """Counts for /healthz, without decrypting anything."""
        done, failed = self.finished()
        worrying = set(self._ids(WORRYING_FILE)) - done - failed
        early = self.early()
        warned = {line["record"] for line in early if line.get("state") in ("sent", "covered")}
        return Depth(
            pending=max(0, len(self._lines()) - len(done | failed)),
            failed=len(failed),
            worrying=len(worrying),
            unwarned=len(worrying - warned),
        )

    def begin_early(self, record_id: str, *, sender: str) -> str | None:
        """Note that this record's early notice is starting; or, when an earlier record of the same sender's still
        waits and had one (started, sent or failed), note this one "covered" by it and return that record's id.
        Checked and noted under the lock, so two workers taking two texts of theirs at once send one notice."""
        try:
            with self._locked():
                theirs = [
                    line["record"]
                    for line in self.early()
                    if line.get("sender") == sender and line.get("state") in ("started", "sent", "failed")
                ]
                # Usually there is none, and nothing is decrypted.
                waiting = {record.id for record in self.pending()} if theirs else set()
                earlier = next((record_id for record_id in theirs if record_id in waiting), None)
                line = {"record": record_id, "sender": sender, "route": "", "channel": "", "error": ""}
                line |= {"state": "covered", "by": earlier} if earlier else {"state": "started", "by": ""}
                self._append_line(EARLY_FILE, json.dumps(line, ensure_ascii=True).encode() + b"\n")
                return earlier
        except OSError as error_:
            raise SpoolError(error_.errno, f"could not write to the spool: {error_.strerror}") from error_

    def note_early(
        self,
        record_id: str,
        *,
        sender: str,
        state: str,
        route: str = "",
        channel: str = "",
        error: str = "",
        by: str = "",
    ) -> None:
        """Record one try of a worrying record's early notice on one route ("sent" or "failed", with the sender's
        short kind of error), or that it was "covered" `by` an earlier record's notice (the same sender)."""
        line = {
            "record": record_id,
            "sender": sender,
            "route": route,
            "channel": channel,
            "state": state,
            "error": error,
            "by": by,
        }
        try:
            with self._locked():
                self._append_line(EARLY_FILE, json.dumps(line, ensure_ascii=True).encode() + b"\n")
        except OSError as error_:
            raise SpoolError(error_.errno, f"could not write to the spool: {error_.strerror}") from error_

    def early(self) -> list[dict[str, str]]:
        """Every early-notice line (`note_early`), oldest first; a damaged line is skipped."""
        path = self._path(EARLY_FILE)
        if not path.exists():
            return []
        lines = []
        for raw in path.read_bytes().split(b"\n")[:-1]:
            try:
                lines.append(json.loads(raw))
            except ValueError:
                continue
        return lines

    def waiting(self, record_id: str) -> bool:
        """True while this record is in the spool and neither stored nor failed (its early notice is worth
        retrying: once it is stored its alert's own notices take over)."""
        done, failed = self.finished()
        if record_id in done or record_id in failed:
            return False
        records, _ = self.records()
        return any(record.id == record_id for record in records)

    def mark_done(self, record: Record) -> None:
        """The record is in the database now."""
        with self._locked():
            self._append_line(DONE_FILE, record.id.encode() + b"\n")

    def mark_failed(self, record: Record) -> None:
        """The record cannot be replayed (kept in the spool file for a person to look at)."""
        with self._locked():
            self._append_line(FAILED_FILE, record.id.encode() + b"\n")

    def finished(self) -> tuple[set[str], set[str]]:
        """The ids of records already stored (done) and of records that could not be replayed (failed)
        and have not been stored since."""
        done = set(self._ids(DONE_FILE))
        return done, set(self._ids(FAILED_FILE)) - done

    def remove(self, ids: set[str]) -> int:
        """Delete these records from the spool for good (a privacy erasure); returns how many went."""
        if not ids:
            return 0
        with self._locked():
            kept, removed = [], 0
            for line in self._lines():
                try:
                    record_id = json.loads(self._fernet.decrypt(line))["id"]
                except (InvalidToken, ValueError, KeyError):
                    record_id = None
                if record_id in ids:
                    removed += 1
                else:
                    kept.append(line + b"\n")
            self._rewrite(SPOOL_FILE, kept)
            for name in (DONE_FILE, FAILED_FILE, WORRYING_FILE):
                if self._path(name).exists():
                    self._rewrite(name, [f"{i}\n".encode() for i in self._ids(name) if i not in ids])
            if self._path(EARLY_FILE).exists():
                kept_early = [line for line in self.early() if line.get("record") not in ids]
                self._rewrite(EARLY_FILE, [json.dumps(line, ensure_ascii=True).encode() + b"\n" for line in kept_early])
        return removed

    def _rewrite(self, name: str, lines: list[bytes]) -> None:
        """Replace a file with these lines, atomically and durably (the caller holds the lock)."""
        path = self._path(name)
        temporary = path.with_name(path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(b"".join(lines))
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
        dir_fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def compact(self) -> bool:
        """Remove the files once every record is done (none failed); True if the spool is now empty."""
        with self._locked():
            done, failed = self.finished()
            if failed:
                return False
            lines = self._lines()
            if len(lines) > len(done):
                return False
            records, unreadable = self.records()
            if unreadable or any(record.id not in done for record in records):
                return False
            for name in (SPOOL_FILE, DONE_FILE, FAILED_FILE, WORRYING_FILE, EARLY_FILE):
                self._path(name).unlink(missing_ok=True)
            return True

    @contextmanager
    def replaying(self) -> Iterator[bool]:
        """Hold the replay lock (one replayer at a time); yields False if another process holds it."""
        with self._locked(REPLAY_LOCK_FILE, blocking=False) as acquired:
            yield acquired
