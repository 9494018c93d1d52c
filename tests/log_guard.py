"""No phone number, name or message text in any log line any test produces.

Every test's log records are kept (cheaply: the record objects, formatted only at the end)
and, when the test finishes, searched for
- any phone number written as E.164 (+447700900123), and any number in Ofcom's drama range
  (the only numbers tests use) however it is written: 07700 900123, 447700900123, 7700900123;
- what this test gave the service: every number, first name and message text passed through
  the shared helpers (`remember`), and what its database held at the end (first names,
  inbound messages, answers, alert excerpts), read just before the database is dropped.
Short texts ("yes", "4", "STOP") are not searched for: they are also words the service itself
logs (keywords, events); nor is a text that is part of one of the service's own log messages: Hypothesis
draws strings from the code under test ("web chat started"), and the service logging its own words is no leak.
A match fails the test and shows the line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, text

from voice_service.db import normalise_url

E164 = re.compile(r"\+\d{10,15}\b")
DRAMA = re.compile(r"(?<![0-9A-Za-z])(?:\+?44[\s-]?|0)?7700[\s-]?900[\s-]?\d{3}(?!\d)")
MIN_TEXT = 10
MIN_NAME = 3

_known: dict[str, set[str]] = {"number": set(), "name": set(), "text": set()}


def remember(*values: object, kind: str = "text") -> None:
    """Note numbers ("+44..." are always numbers), names or texts this test hands the service."""
    for value in values:
        if isinstance(value, str) and value.strip():
            value = value.strip()
            _known["number" if E164.fullmatch(value) else kind].add(value)


def remember_names(*values: object) -> None:
    """Note first names this test gives the service."""
    remember(*values, kind="name")


def forget_all() -> None:
    """Start a test with nothing remembered."""
    for values in _known.values():
        values.clear()


def harvest(url: str) -> None:
    """Remember what a test's database holds about people, just before the database goes."""
    queries = (
        ("name", "SELECT first_name FROM participant WHERE first_name IS NOT NULL"),
        ("text", "SELECT body FROM message WHERE direction = 'in'"),
        ("text", "SELECT answer FROM response"),
        ("text", "SELECT excerpt FROM alert"),
    )
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            for kind, query in queries:
                try:
                    remember(*connection.execute(text(query)).scalars(), kind=kind)
                except Exception:  # a table this test never created or dropped
                    connection.rollback()
    except Exception:
        pass  # no database to read (a test that removed it): the remembered values still count
    finally:
        engine.dispose()


# The message of a logging call in the service's code: `log.info("web chat started: invited=%s", ...)`.
_LOG_CALL = re.compile(r"""\blog(?:ger)?\.(?:debug|info|warning|error|exception|critical)\(\s*f?(["'])(.+?)\1""")


@cache
def _log_messages() -> tuple[str, ...]:
    """The fixed words of the service's own log lines: each logging call's message, and that message after the name
    of the module's logger (`logging.getLogger(__name__)`) as a line shows it ("voice_service.web.chat.api: web chat
    started: invited=%s"). Hypothesis draws strings from the code under test, "voice_service" among them, and a
    chat message of just that would otherwise be found in every line of that logger's."""
    root = Path(__file__).resolve().parents[1]
    found = []
    for path in sorted((root / "voice_service").rglob("*.py")):
        module = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for match in _LOG_CALL.finditer(path.read_text()):
            found += [match.group(2), f"{module}: {match.group(2)}"]
    return tuple(found)


def _theirs(value: str) -> bool:
    """True for a text long enough to look for that is not part of one of the service's own log messages."""
    return len(value) >= MIN_TEXT and not any(value in message for message in _log_messages())


def _patterns(known: dict[str, set[str]]) -> list[re.Pattern]:
    words = []
    for value in known.get("number", ()):
        national = value.removeprefix("+44")
        words += [re.escape(value), re.escape(value[1:]), re.escape("0" + national)]
    words += [re.escape(value) for value in known.get("text", ()) if _theirs(value)]
    # A first name, as a whole word with its capital (so "Sam" does not match "same").
    words += [r"\b" + re.escape(value) + r"\b" for value in known.get("name", ()) if len(value) >= MIN_NAME]
    if not words:
        return [E164, DRAMA]
    # Longest first, so a text is reported rather than a name inside it.
    words.sort(key=len, reverse=True)
    return [E164, DRAMA, re.compile("|".join(words))]


def find_leaks(lines: Iterable[str], known: dict[str, set[str]] | None = None) -> list[str]:
    """The log lines that carry a phone number, or a name or text this test used."""
    patterns = _patterns(known or {})
    return [line for line in lines if any(pattern.search(line) for pattern in patterns)]


class Recorder(logging.Handler):
    """Keeps every log record of one test; formats them only when they are checked."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> list[str]:
        """Each record as the service would write it: message, then any traceback."""
        result = []
        for record in self.records:
            try:
                line = f"{record.name}: {record.getMessage()}"
            except Exception:
                line = f"{record.name}: {record.msg!r} {record.args!r}"
            if record.exc_info:
                line += "\n" + self._formatter.formatException(record.exc_info)
            result.append(line)
        return result

    def leaks(self) -> list[str]:
        """The lines that must not have been logged."""
        return find_leaks(self.lines(), _known)

    def clear(self) -> None:
        """Forget what was recorded (for the guard's own test)."""
        self.records.clear()
