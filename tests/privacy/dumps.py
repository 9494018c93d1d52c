"""Whole-database dumps for searching: the SQLite file's raw bytes (free pages and WAL included), or `pg_dump`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from voice_service.db import normalise_url


def dump_database(url: str) -> str:
    """Everything the database holds, as text to search (undecodable bytes kept as escapes)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists())
        return raw.decode("utf-8", errors="backslashreplace")
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed to dump the PostgreSQL test database"
    command = [pg_dump, "--no-owner", "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432)]
    command += ["-U", parsed.username or "postgres", parsed.database or ""]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout


def number_forms(e164: str) -> list[str]:
    """Every way a UK number might be written: +447700900123, 447700900123, 07700900123, 07700 900123,
    07700 900 123, +44 7700 900123, and the bare 7700900123."""
    national = e164.removeprefix("+44")
    return [
        e164,
        e164[1:],
        "0" + national,
        f"0{national[:4]} {national[4:]}",
        f"0{national[:4]} {national[4:7]} {national[7:]}",
        f"+44 {national[:4]} {national[4:]}",
        national,
    ]


def find_numbers(text: str, numbers: list[str]) -> list[str]:
    """Which forms of which numbers appear in the text."""
    found = []
    for number in numbers:
        found += [form for form in number_forms(number) if form in text]
    return found


# Any number in Ofcom's drama range, however it is spaced: what the demo and the tests use.
DRAMA_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\+?44\s?|0)?7700\s?900\s?\d{3}(?!\d)")
