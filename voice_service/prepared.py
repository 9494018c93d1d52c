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
from datetime import datetime
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
        """A driver cursor that runs `sql` as compiled (psycopg: a RawCursor, for the `$1` placeholders)."""
        return RawCursor(dbapi_connection) if self._raw else dbapi_connection.cursor()

    def execute(self, connection: Connection, values: Mapping[str, Any] | None = None):
        """Run on this connection's driver cursor, in its transaction; the cursor, to fetch from."""
        arguments = self.arguments(values or {})
        cursor = self.cursor(connection.connection.dbapi_connection)
        before, after = _cursor_listeners(connection)
        for listener in before:
            listener(connection, cursor, self.sql, arguments, None, False)
        try:
            cursor.execute(self.sql, arguments)
        except BaseException as error:
            cursor.close()
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
            cursor.close()

    def scalar(self, connection: Connection, values: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.first(connection, values)
        return None if row is None else row[0]

    def run(self, connection: Connection, values: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> None:
        """Run for one set of values, or once per set (a write; nothing is returned)."""
        if isinstance(values, dict) or isinstance(values, Mapping):  # a dict without the ABC's check, most often
            self.execute(connection, values).close()
            return
        for one in values:
            self.execute(connection, one).close()


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
