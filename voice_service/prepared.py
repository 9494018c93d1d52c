"""The statements every inbound message runs (and a disclosure's alert), compiled once per process and run on the
driver's own cursor.

Every message runs the same few statements. Through `Connection.execute` each costs SQLAlchemy's
cache look-up, an execution context, parameter processing and a result object: about as much
CPU as the database's own work on SQLite. Here a Core statement is compiled once per dialect;
each run converts its parameters with the type processors SQLAlchemy itself would use (JSON,
the UTC timestamps, booleans), calls the DBAPI cursor of the session's connection (so it is in
the session's transaction), and converts the row back the same way. sqlite3 keeps the prepared
statement in its per-connection cache; psycopg prepares it on the server from its fifth use on
a connection.

On PostgreSQL (psycopg) a statement is compiled with PostgreSQL's own `$1` placeholders and run on a
`psycopg.RawCursor`, which sends it as it is. (On an ordinary cursor psycopg rewrites `%(name)s` into
`$1` on every run, remembering the rewrite only for statements under 4,096 characters and 50
parameters: a survey answer's one writing statement is longer, and was split up again on every message,
about as many Python calls as the rest of the answer.) The values of the placeholders a statement casts
(`$1::INTEGER`, `::TIMESTAMP WITH TIME ZONE`, `::JSON`) go as text of no declared type, so that each
compiled statement is one prepared statement on the server, whatever its values (`_as_text`).

Listeners of the engine's `before_cursor_execute` / `after_cursor_execute` events (SQL logging,
tracing, a test counting statements) still see each statement. They are looked up once per Connection (on
the inbound path, one transaction): a listener added to or removed from a Connection after its first compiled
statement counts from the next Connection.
"""

from __future__ import annotations

import copy
import functools
import json
import operator
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from json.encoder import encode_basestring_ascii
from typing import Any, cast

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement, sqltypes
from sqlalchemy.sql.compiler import SQLCompiler

try:
    from psycopg import RawCursor
    from psycopg.types.json import Json, Jsonb
except ImportError:  # psycopg not installed (SQLite only), or older than 3.2
    RawCursor = None  # type: ignore[assignment,misc]
    Json = Jsonb = None  # type: ignore[assignment,misc]

_CAST = re.compile(r"\$(\d+)::")  # a placeholder the statement casts to its column's type


def _raw(dialect: Dialect) -> bool:
    """True when statements for this dialect run on psycopg's RawCursor (`$1` placeholders, sent as they are)."""
    return dialect.name == "postgresql" and dialect.driver == "psycopg" and RawCursor is not None


@functools.lru_cache(maxsize=8)
def _numbered(dialect: Dialect) -> Dialect:
    """The same dialect, compiling PostgreSQL's own `$1, $2 ...` placeholders (and `%` left single)."""
    sibling = copy.copy(dialect)
    sibling.paramstyle = "numeric_dollar"
    sibling.positional = True
    sibling.identifier_preparer = sibling.preparer(sibling)
    return sibling


class Prepared:
    """One Core statement, compiled for one dialect, with the converters its values and columns need."""

    def __init__(self, statement: ClauseElement, dialect: Dialect):
        self._raw = _raw(dialect)
        compiled = cast(SQLCompiler, statement.compile(dialect=_numbered(dialect) if self._raw else dialect))
        self.sql = compiled.string
        # The values the statement carries itself (its literals); the caller gives the rest by name.
        self._defaults = {name: bind.effective_value for bind, name in compiled.bind_names.items() if not bind.required}
        self._order: tuple[str, ...] | None = tuple(compiled.positiontup or ()) if compiled.positional else None
        # The positional parameters in order, taken in one call (itemgetter gives a bare value for one name).
        self._take: Callable[[Mapping[str, Any]], Any] | None = (
            operator.itemgetter(*self._order) if self._order else None
        )
        self._bind: dict[str, Callable[[Any], Any]] = {}
        # PostgreSQL: the values of the placeholders the statement casts ($1::INTEGER ...) go as text, typed by
        # the cast (see `_as_text`), whether or not they are None.
        cast_names = {self._order[int(n) - 1] for n in _CAST.findall(self.sql)} if self._raw and self._order else set()
        for bind, name in compiled.bind_names.items():
            impl = bind.type.dialect_impl(dialect)
            process: Callable[[Any], Any] | None = impl.bind_processor(dialect)
            if name in cast_names and not isinstance(impl, sqltypes.String):  # a str goes as text already
                process = _as_text if process is None else _then_as_text(process)
            if process is not None:
                process = _faster(process, impl)
                self._bind[name] = process
        columns = getattr(statement, "exported_columns", ())
        results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
        self._results: tuple[Callable[[Any], Any] | None, ...] | None = tuple(results) if any(results) else None

    def arguments(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """The driver's parameters for these values (the statement's own literals filled in)."""
        merged = {**self._defaults, **values}
        for name, process in self._bind.items():
            merged[name] = process(merged[name])
        if self._order is None:
            return merged
        if self._take is None:
            return ()
        taken = self._take(merged)
        return taken if len(self._order) > 1 else (taken,)

    def row(self, raw: Sequence[Any] | None) -> tuple | None:
        """A row as SQLAlchemy would have returned it (None stays None)."""
        if raw is None or self._results is None:
            return tuple(raw) if raw is not None else None
        return tuple([value if process is None else process(value) for process, value in zip(self._results, raw)])

    def cursor(self, dbapi_connection: Any) -> Any:
        """A new driver cursor that runs `sql` as compiled (psycopg: a RawCursor, for the `$1` placeholders)."""
        return RawCursor(dbapi_connection) if self._raw else dbapi_connection.cursor()

    def _cursor(self, connection: Connection) -> Any:
        """The cursor to run on: with psycopg, the one kept for this driver connection (made on its first
        statement); else a new one, closed after its statement (`_done`).

        A psycopg cursor keeps what it has looked up for each type of value it sends and reads (its adapters):
        a new RawCursor for each statement cost about 10 us more than running on the same one, twice a text. A
        psycopg cursor holds nothing on the server (its result is read in full), so keeping one is safe. (An
        SQLite cursor is not kept: one left with a SELECT not stepped to its end holds the database's read
        snapshot.)"""
        pooled = connection.connection
        dbapi_connection = pooled.dbapi_connection
        if not self._raw:
            return dbapi_connection.cursor()  # type: ignore[union-attr]
        info = pooled.info
        kept = info.get(_KEPT_CURSOR)
        if kept is not None and kept[0] is dbapi_connection and not kept[1].closed:
            return kept[1]
        cursor = RawCursor(dbapi_connection)  # type: ignore[call-overload]
        info[_KEPT_CURSOR] = (dbapi_connection, cursor)
        return cursor

    def _done(self, cursor: Any) -> None:
        """The statement's rows are read: close its cursor, unless it is one kept for its connection."""
        if not self._raw:
            cursor.close()

    def execute(self, connection: Connection, values: Mapping[str, Any] | None = None):
        """Run on this connection's driver cursor, in its transaction; the cursor, to fetch from (then `_done`)."""
        arguments = self.arguments(values or {})
        cursor = self._cursor(connection)
        before, after = _cursor_listeners(connection)
        for listener in before:
            listener(connection, cursor, self.sql, arguments, None, False)
        try:
            cursor.execute(self.sql, arguments)
        except BaseException as error:
            cursor.close()  # a kept one too: the next statement makes a new one
            # The error SQLAlchemy would have raised (IntegrityError, OperationalError ...), with the pool told
            # when the connection is dead, so the callers' retries and the spool work as with `execute`.
            connection._handle_dbapi_exception(error, self.sql, arguments, cursor, None)
            raise
        for listener in after:
            listener(connection, cursor, self.sql, arguments, None, False)
        return cursor

    def first(self, connection: Connection, values: Mapping[str, Any] | None = None) -> tuple | None:
        """The first row (converted), or None."""
        cursor = self.execute(connection, values)
        try:
            return self.row(cursor.fetchone())
        finally:
            self._done(cursor)

    def scalar(self, connection: Connection, values: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.first(connection, values)
        return None if row is None else row[0]

    def run(self, connection: Connection, values: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> None:
        """Run for one set of values, or once per set (a write; nothing is returned)."""
        if isinstance(values, dict) or isinstance(values, Mapping):  # a dict without the ABC's check, most often
            self._done(self.execute(connection, values))
            return
        for one in values:
            self._done(self.execute(connection, one))


# In a pooled connection's info (it lasts as long as the pool's record): (driver connection, its kept cursor).
_KEPT_CURSOR = "voice_kept_cursor"


def _as_text(value: Any) -> Any:
    """A value psycopg sends as text of no declared type, for a placeholder the statement casts to its column's
    type: the same value once the server has cast it, sent as psycopg sends a str.

    psycopg prepares a statement on the server per query and per its parameters' types, and gives each
    parameter the type of its value: a None has none, an int the smallest integer type that holds it, a
    datetime `timestamptz`, a JSON value `json`. So one compiled statement was several statements on the
    server, one per pattern of None and of number sizes (a text-in without a JSON value, an id past 32,767),
    each run unprepared until its own fifth use on a connection, and the warm-up prepared only the patterns it
    rehearsed. With the cast's type taken from the statement, each compiled statement is one prepared statement.
    """
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is datetime:
        return value.isoformat()  # aware (UTC) here: the UTCDateTime columns
    if kind is Json or kind is Jsonb:
        return (value.dumps or json.dumps)(value.obj)  # what psycopg's JSON dumper sends
    return value


def _then_as_text(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: _as_text(process(value))


def _faster(process: Callable[[Any], Any], impl: Any) -> Callable[[Any], Any]:
    """`process`, or a quicker converter giving the very same value for what the inbound path binds most: a
    JSON column's None, empty list or list of strings (a message's replies, a response's themes), a boolean,
    a UTC timestamp. SQLAlchemy's own converters make two or three Python calls each (json.dumps builds an
    encoder on every call), about a tenth of a text's statements' work in Python. Each quicker one is used only
    when it gives what `process` gives, value and type, on a set of probes covering its fast cases (a dialect or
    serializer that converts otherwise keeps `process`); anything else goes to `process` itself."""
    fast: Callable[[Any], Any] | None = None
    probes: tuple[Any, ...] = ()
    if isinstance(impl, sqltypes.JSON):
        fast, probes = _fast_json(process), _JSON_PROBES
    elif isinstance(impl, sqltypes.Boolean):
        fast, probes = _fast_bool(process), (True, False, None)
    elif isinstance(getattr(impl, "impl", None), sqltypes.DateTime):  # a TypeDecorator over a timestamp
        for candidate in _UTC_FORMATS:
            fast, probes = _fast_utc(process, candidate), _UTC_PROBES
            if _same(fast, process, probes):
                return fast
        return process
    return fast if fast is not None and _same(fast, process, probes) else process


def _same(fast: Callable[[Any], Any], process: Callable[[Any], Any], probes: Sequence[Any]) -> bool:
    """True when `fast` gives what `process` gives (equal, and of the same type) for every probe."""
    try:
        for probe in probes:
            want, got = process(probe), fast(probe)
            if type(want) is not type(got) or want != got:
                return False
    except Exception:  # a probe `process` refuses: not a converter to stand in for
        return False
    return True


_JSON_PROBES: tuple[Any, ...] = (
    None,
    [],
    ["a"],
    ['Thanks, "you" \u00e9\n\u2014 \U0001f600', "", "\\", "\ud800"],
    [1],
    {},
    {"a": [1]},
)


def _fast_json(process: Callable[[Any], Any]) -> Callable[[Any], Any] | None:
    """A JSON column's converter: None and [] as `process` gives them (worked out once), a list of strings
    written as json.dumps writes it, anything else by `process`."""
    try:
        none_out, empty_out = process(None), process([])
    except Exception:
        return None
    if not isinstance(none_out, str | None) or not isinstance(empty_out, str):  # e.g. psycopg's Json wrapper
        return None

    def fast(value: Any) -> Any:
        if value is None:
            return none_out
        if type(value) is list:
            if not value:
                return empty_out
            for item in value:
                if type(item) is not str:
                    return process(value)
            return "[" + ", ".join(map(encode_basestring_ascii, value)) + "]"
        return process(value)

    return fast


def _fast_bool(process: Callable[[Any], Any]) -> Callable[[Any], Any] | None:
    """A boolean's converter: True and False as `process` gives them (worked out once)."""
    try:
        true_out, false_out = process(True), process(False)
    except Exception:
        return None

    def fast(value: Any) -> Any:
        if value is True:
            return true_out
        if value is False:
            return false_out
        return process(value)

    return fast


# How a UTC timestamp's converter may write an aware UTC datetime: SQLite's storage format (naive, to the
# microsecond), or PostgreSQL's text for a cast placeholder (`_as_text`: isoformat).
_UTC_FORMATS: tuple[Callable[[datetime], Any], ...] = (
    lambda value: value.replace(tzinfo=None).isoformat(" ", "microseconds"),
    lambda value: value.isoformat(),
)
_UTC_PROBES = (
    datetime(2026, 12, 1, 9, 53, 57, 242558, tzinfo=UTC),
    datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime(999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    datetime(2026, 6, 1, 12, 0, 0, 5, tzinfo=timezone(timedelta(hours=1))),
    None,
)


def _fast_utc(process: Callable[[Any], Any], write: Callable[[datetime], Any]) -> Callable[[Any], Any]:
    """A UTC timestamp column's converter: an aware datetime in UTC written by `write`, anything else by `process`."""

    def fast(value: Any) -> Any:
        if type(value) is datetime and value.tzinfo is UTC:
            return write(value)
        return process(value)

    return fast


_LISTENERS = "_voice_cursor_listeners"


def _cursor_listeners(connection: Connection) -> tuple[tuple[Callable, ...], tuple[Callable, ...]]:
    """The engine's and connection's `before_cursor_execute` and `after_cursor_execute` listeners, looked up once
    per Connection (one transaction of the inbound path) and kept on it, not through SQLAlchemy's joined
    dispatch for every statement (several calls each time, about a tenth of a statement's work in Python)."""
    found = connection.__dict__.get(_LISTENERS)
    if found is None:
        dispatch = connection.dispatch
        found = (tuple(dispatch.before_cursor_execute), tuple(dispatch.after_cursor_execute))
        connection.__dict__[_LISTENERS] = found
    return found


@functools.lru_cache(maxsize=512)
def prepared(build: Callable[..., ClauseElement], dialect: Dialect, *args: Hashable) -> Prepared:
    """`build(*args)`'s statement compiled for `dialect`, once per process (per engine's dialect)."""
    return Prepared(build(*args), dialect)
