"""The server's warm-up: the master builds and compiles what first texts would, and leaves nothing stored;
each worker opens its first connection before its first text (issue 14: a first request as fast as the rest)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.sql import compiler
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.models import Alert, Message, OutboxMessage, Participant, Response, Run
from voice_service.surveys import registry
from voice_service.web.warm_up import warm_up, warm_up_worker

STORED = (Participant, Message, Response, Alert, OutboxMessage, Run)


def _counts(services) -> dict[str, int]:
    with Session(services.engine) as session:
        return {m.__name__: session.execute(select(func.count()).select_from(m)).scalar_one() for m in STORED}


def test_the_warm_up_stores_nothing_and_parses_the_surveys_runs_wait_on(app, services, monkeypatch):
    monkeypatch.setattr(registry, "_BY_VERSION", {})
    add_participants(services, [{"phone": phone_number(90)}])
    launch(services)
    before = _counts(services)
    warm_up(app)
    assert _counts(services) == before  # the rehearsed disclosure (a number no one has) was rolled back
    with Session(services.engine) as session:
        waiting = session.execute(select(Run.survey_version_id)).scalars().all()
    assert waiting and len(registry._BY_VERSION) == 1


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """Every SQL statement compiled from here on (SQLAlchemy compiles a statement only on a cache miss)."""
    seen: list[str] = []
    original = compiler.SQLCompiler.__init__

    def counting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        seen.append(self.string)

    monkeypatch.setattr(compiler.SQLCompiler, "__init__", counting)
    return seen


def test_after_the_warm_up_a_first_text_answer_and_disclosure_compile_no_sql(app, client, services, compiles):
    add_participants(services, [{"phone": phone_number(91)}, {"phone": phone_number(92)}])
    launch(services)  # both invited
    warm_up(app)
    compiles.clear()
    SmsPhone(client, phone_number(91)).send("yes")  # an answer (the survey starts)
    SmsPhone(client, phone_number(92)).send("more trips out in the holidays pls")
    SmsPhone(client, phone_number(92)).send("i want to kill myself")  # an alert and its notices
    assert compiles == []


def test_a_worker_s_first_text_finds_its_connection_open_and_set_up(app, client, services):
    add_participants(services, [{"phone": phone_number(93)}])
    warm_up(app)
    warm_up_worker(app)
    assert services.engine.pool.checkedin() == 1
    statements: list[str] = []
    event.listen(services.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    connects: list[object] = []
    event.listen(services.engine, "connect", lambda *args: connects.append(args[0]))
    SmsPhone(client, phone_number(93)).send("wifi at my placement is rubbish")
    assert connects == []
    # PostgreSQL: the deadline's timeouts were set (and committed) by the warm-up, not on the first text.
    assert not [sql for sql in statements if "set_config" in sql]


def test_a_worker_rehearses_a_text_before_its_first(app, services, monkeypatch):
    """The worker's warm-up runs the rehearsed disclosure itself, so the pages and caches a first text
    would write to (after the fork, copied from the master's) are its own before a young person texts."""
    from voice_service import inbound

    rehearsed: list[str] = []
    real = inbound.receive
    monkeypatch.setattr(inbound, "receive", lambda **kwargs: rehearsed.append(kwargs["text"]) or real(**kwargs))
    before = _counts(services)
    warm_up_worker(app)
    assert rehearsed == ["i want to kill myself"]
    assert _counts(services) == before  # rolled back


def test_a_worker_s_first_text_opens_no_file(app, client, services, monkeypatch):
    """On SQLite the workers share a writers' lock file, opened once per process: the worker's rehearsal
    (under the inbound deadline, as a text is) opens it, not its first text."""
    import os

    add_participants(services, [{"phone": phone_number(94)}])
    warm_up(app)
    warm_up_worker(app)
    opened: list[str] = []
    real = os.open
    monkeypatch.setattr(os, "open", lambda path, *args, **kw: opened.append(str(path)) or real(path, *args, **kw))
    SmsPhone(client, phone_number(94)).send("wifi at my placement is rubbish")
    assert opened == []


def test_the_warm_up_builds_the_table_a_text_s_escaped_form_is_read_with(app, monkeypatch):
    """urllib builds its table for unquoting "%2B" on first use: a signed form's From ("+44...") needs it."""
    import urllib.parse

    monkeypatch.setattr(urllib.parse, "_hextobyte", None)
    warm_up(app)
    assert urllib.parse._hextobyte is not None


def test_the_warm_up_parses_the_replacement_templates_a_first_request_would(app):
    """The re module parses a sub() template ("\\1") on its first use, in each process that has not: the access
    log's blanked tokens, a survey answer's yes/no reading and the analysis's squeezed spellings."""
    import re

    from voice_service.analysis.text import squeeze
    from voice_service.engine.answers import parse_yes_no
    from voice_service.web.access_log import redact_path

    re._compile_repl.cache_clear()
    warm_up(app)
    parsed = re._compile_repl.cache_info().misses
    redact_path("/chat/abc")
    parse_yes_no("noooo")
    squeeze("gooood")
    assert re._compile_repl.cache_info().misses == parsed
