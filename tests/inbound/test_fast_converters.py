"""The inbound statements' quicker value converters give what SQLAlchemy's own give, value for value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine
from sqlalchemy.sql import sqltypes

from voice_service.inbound.responses import response_columns
from voice_service.inbound.writes import _insert_inbound, _insert_response, _write_chain
from voice_service.prepared import _CAST, Prepared, _as_text, _numbered, _then_as_text

VALUES = [
    None,
    [],
    ["Thanks for your message. The Voice team will read it."],
    ['quote " back\\slash é — 😀 \n tab\t', "", "<Message>&</Message>"],
    ["lone \ud800 surrogate"],
    [1, "a"],
    ["a", None],
    {},
    {"school": 0.4, "carers": [-0.2]},
    True,
    False,
    0,
    1,
    -0.4,
    "text",
    datetime(2026, 12, 1, 9, 53, 57, 242558, tzinfo=UTC),
    datetime(2026, 12, 1, 9, 53, 57, tzinfo=UTC),
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, 0, 7, tzinfo=timezone(timedelta(hours=1))),
]
DIALECTS = ["sqlite://", "postgresql+psycopg://nobody@127.0.0.1/none"]


def _statements(dialect_name: str):
    response = tuple(name for name in response_columns() if name != "message_id")
    yield _insert_inbound(dialect_name)
    yield _insert_response((*response, "message_id"))
    if dialect_name == "postgresql":
        yield _write_chain((response,), 1, True, True)


def _sqlalchemy_own(bind, name: str, prepared: Prepared, dialect):
    """The converter `Prepared` had before its quicker ones: SQLAlchemy's, then text for a cast placeholder."""
    impl = bind.type.dialect_impl(dialect)
    process = impl.bind_processor(dialect)
    order = prepared._order or ()
    cast_names = {order[int(n) - 1] for n in _CAST.findall(prepared.sql)} if prepared._raw else set()
    if name in cast_names and not isinstance(impl, sqltypes.String):
        return _as_text if process is None else _then_as_text(process)
    return process


@pytest.mark.parametrize("url", DIALECTS)
def test_each_converter_gives_what_sqlalchemys_gives(url):
    dialect = create_engine(url).dialect
    checked = quicker = 0
    for statement in _statements(dialect.name):
        prepared = Prepared(statement, dialect)
        compiled = statement.compile(dialect=_numbered(dialect) if prepared._raw else dialect)
        for bind, name in compiled.bind_names.items():
            own = _sqlalchemy_own(bind, name, prepared, dialect)
            process = prepared._bind.get(name)
            if own is None:
                assert process is None
                continue
            quicker += process.__qualname__.startswith("_fast_")  # one of prepared's quicker converters
            for value in VALUES:
                try:
                    want = own(value)
                except Exception as error:  # refused by SQLAlchemy's: refused the same way
                    with pytest.raises(type(error)):
                        process(value)
                    continue
                got = process(value)
                assert type(got) is type(want), (name, value)
                if hasattr(want, "obj"):  # psycopg's Json wrapper: compared by what it wraps
                    assert got.obj == want.obj, (name, value)
                else:
                    assert got == want, (name, value)
                checked += 1
    assert checked > 50
    # The replies, the themes, the booleans and the timestamps go through the quicker converters.
    assert quicker >= 6
