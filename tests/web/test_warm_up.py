"""The server's warm-up: the master builds and compiles what first texts would, and leaves nothing stored;
each worker opens its first connection before its first text (issue 14: a first request as fast as the rest)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.sql import compiler
from sqlmodel import Session, SQLModel

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.models import Run, SurveyVersion
from voice_service.surveys import registry
from voice_service.web.warm_up import (
    EDGE_TEXTS,
    HANDLED_LOGGERS,
    rehearse_the_edge,
    stand_in,
    warm_up,
    warm_up_connection,
    warm_up_gunicorn,
    warm_up_main_loop,
    warm_up_pool,
    warm_up_worker,
)

REHEARSED = [
    "i want to kill myself",  # a disclosure from a new number
    "i want to kill myself",  # and another, added to its live alert
    "the food at my placement is nice but i miss my friends",  # a text-in from a young person
    "yes",  # their survey starts
    "3",
    "it is ok i guess",
    "the food at my placement is nice but i miss my friends",  # Twilio's retry of the text-in
]


def _counts(services) -> dict[str, int]:
    """Rows in every table the service has (bar Alembic's)."""
    with Session(services.engine) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def test_the_warm_up_stores_nothing_and_parses_the_surveys_runs_wait_on(app, services, monkeypatch):
    monkeypatch.setattr(registry, "_BY_VERSION", {})
    add_participants(services, [{"phone": phone_number(90)}])
    launch(services)
    before = _counts(services)
    warm_up(app)
    assert _counts(services) == before  # every rehearsed text (from numbers no one has) was rolled back
    with Session(services.engine) as session:
        waiting = session.execute(
            select(SurveyVersion.survey_id, SurveyVersion.version).where(
                SurveyVersion.id.in_(select(Run.survey_version_id))  # type: ignore[union-attr]
            )
        ).all()
    assert waiting and all(tuple(row) in registry._BY_VERSION for row in waiting)


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
    SmsPhone(client, phone_number(92)).send("i want to kill myself")  # added to their live alert
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


def test_a_worker_rehearses_each_kind_of_text_before_its_first(app, services, monkeypatch):
    """The worker's warm-up runs each kind of text itself (a disclosure from a new number, a text-in, a
    survey's YES and answers, a retry), so the pages and caches a first text would write to (after the
    fork, copied from the master's) are its own before a young person texts; on PostgreSQL once more, with
    their statements prepared on its connection."""
    from voice_service import inbound

    rehearsed: list[str] = []
    real = inbound.receive
    monkeypatch.setattr(inbound, "receive", lambda **kwargs: rehearsed.append(kwargs["text"]) or real(**kwargs))
    before = _counts(services)
    warm_up_worker(app)
    again = 1 if services.engine.dialect.name == "postgresql" else 0
    assert rehearsed == REHEARSED + REHEARSED[:-1] * again  # a retry's rollback would unprepare them
    assert _counts(services) == before  # rolled back


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # psycopg's server-side prepared statements
def test_on_postgresql_a_worker_s_connection_has_a_text_s_statements_prepared(app, services):
    from voice_service.inbound.situation import load_sender

    warm_up_worker(app)
    with Session(services.engine) as session:
        load_sender(session, phone_hash="no one", lock=False)
        prepared = session.execute(select(func.count()).select_from(text("pg_prepared_statements"))).scalar_one()
    # The sender's read and a text-in's writes at least, on the connection a text takes.
    assert prepared >= 3


def test_a_warmed_pool_has_every_thread_made_and_stores_nothing(app, services):
    """Every thread of the pool that answers texts is made, and rehearses, before the worker takes a text."""
    from concurrent.futures import ThreadPoolExecutor

    add_participants(services, [{"phone": phone_number(95)}])
    launch(services)
    before = _counts(services)
    with ThreadPoolExecutor(max_workers=3) as pool:
        warm_up_pool(app, pool, 3)
        assert len(pool._threads) == 3
    assert _counts(services) == before


def test_a_worker_s_own_request_handling_answers_a_refused_webhook_unlogged(app, services, monkeypatch):
    """gunicorn's parser, environ and response and the lean edge run in the worker before its first text;
    the rehearsed request is refused before the database and is not in the access log."""
    from gunicorn import glogging
    from gunicorn.config import Config
    from gunicorn.workers.gthread import ThreadWorker

    logged: list[object] = []
    monkeypatch.setattr(glogging.Logger, "access", lambda self, *args, **kwargs: logged.append(args))
    cfg = Config()
    worker = ThreadWorker(1, 0, [], None, 30, cfg, glogging.Logger(cfg))
    answered: list[str] = []

    def wsgi(environ, start_response):
        def start(status, headers, *rest):
            answered.append(status)
            return start_response(status, headers, *rest)

        return app.wsgi_app(environ, start)

    worker.wsgi = wsgi
    before = _counts(services)
    warm_up_connection(worker, app)
    assert answered == ["400 BAD REQUEST"] and logged == []
    assert "access" not in vars(worker.log)  # the access log is the class's again
    assert _counts(services) == before


def test_the_master_reads_gunicorn_s_first_request_settings():
    """gunicorn looks for its C parser (a failing import) and reads its trusted proxies on a first request."""
    from gunicorn.config import Config
    from gunicorn.http import message

    cfg = Config()
    message._fast_parser_available = None
    warm_up_gunicorn(cfg)
    assert message._fast_parser_available is not None and cfg._forwarded_allow_networks is not None


def test_a_worker_looks_up_the_vocabulary_again_itself(app, monkeypatch):
    """After the fork each word the master looked up sits in memory the worker shares until it touches it (a
    reference count is a write: the kernel copies the page then): the worker's warm-up looks every word up
    again, so those copies are made before its first text, not on it."""
    from voice_service import analysis

    warm_up(app)
    looked_up: list[object] = []
    real = analysis.warm_up
    monkeypatch.setattr(analysis, "warm_up", lambda directory=None: looked_up.append(directory) or real(directory))
    warm_up_worker(app)
    assert looked_up == [app.extensions["voice"].conversations_dir]


def test_the_analysis_has_looked_up_every_word_of_the_vocabulary(app):
    """A first text finds every word the model knows looked up already (in the master, shared), the rarer ones
    ("tutor", "sleepovers") and a scale answer's number too, as a later text does."""
    from voice_service.analysis import common_words, risk_model

    warm_up(app)
    words = common_words(len(risk_model().words.index))
    assert {"tutor", "sleepovers", "4", "10pm"} <= set(words)
    assert set(words) <= set(risk_model()._tokens)


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


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_s_warm_up_begins_sqlite_s_write_ahead_log(app, services):
    """The first commit into an empty write-ahead log syncs its header (and the new file's folder) to disk: the
    worker's warm-up makes that commit, changing nothing, so that no text's commit does."""
    from pathlib import Path

    add_participants(services, [{"phone": phone_number(95)}])
    warm_up(app)  # the master's last connection closes: SQLite folds the log back in and deletes it
    log = Path(f"{services.engine.url.database}-wal")
    assert not log.exists() or log.stat().st_size == 0
    before = _counts(services)
    with services.engine.connect() as connection:
        version = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
    warm_up_worker(app)
    assert log.stat().st_size > 0
    assert _counts(services) == before
    with services.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA user_version").scalar_one() == version


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


def test_a_warmed_pool_has_a_connection_set_up_for_each_thread(app, services):
    """Each thread of the pool opens a connection of its own in the warm-up (held across a barrier, so they are
    all open at once) and rehearses on it: a worker's threads, answering texts together, open none on their
    first texts, and on PostgreSQL each finds its timeouts set and a text's statements prepared."""
    import contextlib
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:
        warm_up_pool(app, pool, 3)
    assert services.engine.pool.checkedin() == 3
    connects: list[object] = []
    event.listen(services.engine, "connect", lambda *args: connects.append(args[0]))
    with contextlib.ExitStack() as stack:
        connections = [stack.enter_context(services.engine.connect()) for _ in range(3)]
        assert connects == []
        if services.engine.dialect.name == "postgresql":
            for connection in connections:
                assert connection.connection.info.get("pg_timeouts") is not None
                prepared = connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar_one()
                assert prepared >= 3


def _sequences(services) -> dict[str, tuple]:
    """On PostgreSQL, where each table's id sequence stands (a rolled-back insert moves it too); else none."""
    if services.engine.dialect.name != "postgresql":
        return {}
    with services.engine.connect() as connection:
        names = connection.exec_driver_sql(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
        ).scalars()
        return {
            name: tuple(connection.exec_driver_sql(f'SELECT last_value, is_called FROM "{name}"').one())
            for name in names
        }


def test_a_server_s_warm_up_takes_no_number_so_the_first_round_and_alert_are_number_1(app, client, services, caplog):
    """PostgreSQL never gives back a number a sequence has handed out, even to a transaction rolled back: the
    rehearsals, rolled back on the council's tables, took about 19 of every table's numbers at each start of
    `serve` (the first round on a new database was "round 20", and alert numbers jumped by 19 at each restart:
    gaps an inspection reads as lost alerts). The master's and a worker's pool's warm-ups leave every sequence
    where it was, with no step skipped, and the first round and alert after them are number 1."""
    from concurrent.futures import ThreadPoolExecutor

    from voice_service.models import Alert, Participant

    sequences = _sequences(services)
    caplog.set_level(logging.WARNING)
    warm_up(app)
    with ThreadPoolExecutor(max_workers=3) as pool:
        warm_up_pool(app, pool, 3)
    assert not [record.getMessage() for record in caplog.records if "skipped" in record.getMessage()]
    assert _sequences(services) == sequences
    add_participants(services, [{"phone": phone_number(98)}])
    round_id = launch(services)
    SmsPhone(client, phone_number(98)).send("i want to kill myself")  # on a connection the warm-up rehearsed on
    with Session(services.engine) as session:
        people = session.execute(select(Participant.id)).scalars().all()
        alerts = session.execute(select(Alert.id)).scalars().all()
    assert (people, round_id, alerts) == ([1], 1, [1])


def test_the_edge_s_rehearsal_commits_each_text_through_the_lean_edge_into_a_stand_in(app, services, monkeypatch):
    """Texts go through the lean SMS edge as a young person's do, each answered and committed (so a worker's first
    text runs no code for the first time), into a stand-in database: the council's is left as it was."""
    from voice_service.transactions import LeanSession
    from voice_service.web.sms.fast import FastInbound

    add_participants(services, [{"phone": phone_number(96)}])
    launch(services)
    before, sequences = _counts(services), _sequences(services)
    commits: list[object] = []
    answered: list[bytes] = []
    real_commit, real_answer = LeanSession.commit, FastInbound._answer
    monkeypatch.setattr(LeanSession, "commit", lambda self: commits.append(self) or real_commit(self))

    def answer(self, *args):
        result = real_answer(self, *args)
        answered.append(result and result[2])
        return result

    monkeypatch.setattr(FastInbound, "_answer", answer)
    pool, creator = services.engine.pool, services.engine.pool._creator
    done = rehearse_the_edge(app)
    assert services.engine.pool is pool and pool._creator is creator
    assert done.answers == ["200 OK"] * (len(EDGE_TEXTS) + 1)  # and Twilio's retry of the first
    assert all(body and body.startswith(b"<?xml") for body in answered)
    assert len(commits) == len(EDGE_TEXTS) + 1 and done.stored == len(EDGE_TEXTS)  # the retry stores nothing
    assert _counts(services) == before and _sequences(services) == sequences
    assert services.engine.pool.checkedout() == 0


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgresql_a_stand_in_connection_cannot_write_to_the_council_s_tables(app, services):
    """The stand-in's tables are temporary ones that shadow the real ones; its transactions are read-only, which
    still allows writing to temporary tables but to no other, so an unshadowed table could not be written to."""
    import sqlalchemy.exc

    with stand_in(services.engine) as engine, engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()")
        assert schema.scalar_one().startswith("pg_temp")
        insert = "INSERT INTO {}optout (phone_hash, keyword, opted_out_at) VALUES ('stand-in', 'STOP', now())"
        connection.exec_driver_sql(insert.format(""))  # into its temporary table
        with pytest.raises(sqlalchemy.exc.InternalError, match="read-only"):
            connection.exec_driver_sql(insert.format("public."))
    with services.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM optout").scalar_one() == 0


def test_the_master_and_each_worker_put_texts_through_the_lean_edge_and_commit_them(app, services, monkeypatch):
    """The rehearsals of `warm_up` and `warm_up_worker` roll back; each also puts texts through the lean edge,
    committed (into a stand-in), so a first text runs no code the warm-up has not (issue 14)."""
    from voice_service.transactions import LeanSession

    add_participants(services, [{"phone": phone_number(97)}])
    launch(services)
    before = _counts(services)
    commits: list[object] = []
    real_commit = LeanSession.commit
    monkeypatch.setattr(LeanSession, "commit", lambda self: commits.append(self) or real_commit(self))
    warm_up(app)
    assert len(commits) == len(EDGE_TEXTS) + 1
    warm_up_worker(app)
    assert len(commits) == 2 * (len(EDGE_TEXTS) + 1)
    assert _counts(services) == before


def test_a_rehearsed_text_the_stand_in_cannot_take_is_never_spooled(app, services, monkeypatch):
    """Were the stand-in unavailable (locked, down), the lean edge would spool the text to be replayed later into
    the council's database: the rehearsal's edge has no spool, so the rehearsal ends there and nothing is kept."""
    import sqlalchemy.exc

    from voice_service.spool import guard

    def unavailable(work, *, seconds):
        raise sqlalchemy.exc.OperationalError("BEGIN IMMEDIATE", None, Exception("database is locked"))

    monkeypatch.setattr(guard, "retrying", unavailable)  # as the lean edge's `InboundDeadline` calls it
    spool = app.extensions["voice_spool"]
    before = _counts(services)
    with pytest.raises(RuntimeError, match="never spooled"):  # `warm_up` logs it and goes on
        rehearse_the_edge(app)
    assert spool.depth().pending == 0 and spool.depth().failed == 0
    assert _counts(services) == before


def test_a_worker_s_main_thread_accepts_hands_over_and_finishes_a_refused_webhook(app, services, monkeypatch):
    """gthread's main thread's part of a request (accepting the connection, handing it to the pool, finishing it
    from its queue of callbacks, closed and kept alive) runs in the worker before its first text; the worker
    counts no connection after, and the requests are not in the access log."""
    import selectors

    from gunicorn import glogging
    from gunicorn.config import Config
    from gunicorn.workers.gthread import ThreadWorker

    logged: list[object] = []
    monkeypatch.setattr(glogging.Logger, "access", lambda self, *args, **kwargs: logged.append(args))
    finished: list[object] = []
    real_finish = ThreadWorker.finish_request
    monkeypatch.setattr(
        ThreadWorker, "finish_request", lambda self, *args: finished.append(args) or real_finish(self, *args)
    )
    cfg = Config()
    worker = ThreadWorker(1, 0, [], None, 30, cfg, glogging.Logger(cfg))
    worker.tpool, worker.poller = worker.get_thread_pool(), selectors.DefaultSelector()  # as init_process makes them
    worker.method_queue.init()
    answered: list[str] = []

    def wsgi(environ, start_response):
        def start(status, headers, *rest):
            answered.append(status)
            return start_response(status, headers, *rest)

        return app.wsgi_app(environ, start)

    worker.wsgi = wsgi
    before = _counts(services)
    try:
        warm_up_main_loop(worker, app)
    finally:
        worker.tpool.shutdown()
        worker.method_queue.close()
    assert answered == ["400 BAD REQUEST"] * 2 and len(finished) == 2 and logged == []
    assert worker.nr_conns == 0 and not worker.keepalived_conns and not worker.poller.get_map()
    assert "access" not in vars(worker.log)
    assert _counts(services) == before


def test_serve_s_workers_warm_their_pool_then_their_main_thread(config, monkeypatch):
    """`voice-service serve`'s post_worker_init: the pool's threads (`warm_up_pool`), then the main thread's part of
    a request (`warm_up_main_loop`), in the worker's main thread before its loop runs."""
    import types

    from gunicorn.app.base import BaseApplication

    from voice_service.cli.serve import run_gunicorn
    from voice_service.web import warm_up as module

    servers: list[BaseApplication] = []
    calls: list[str] = []
    monkeypatch.setattr(BaseApplication, "run", lambda self: servers.append(self))
    monkeypatch.setattr(module, "warm_up_gunicorn", lambda cfg: None)
    monkeypatch.setattr(module, "warm_up_master", lambda app: None)
    monkeypatch.setattr(module, "warm_up_pool", lambda app, pool, threads, worker: calls.append("pool"))
    monkeypatch.setattr(module, "warm_up_main_loop", lambda worker, app: calls.append("main loop"))
    run_gunicorn(config, host="127.0.0.1", port=5999, workers=1, threads=2)
    (server,) = servers
    app = server.load()
    server.cfg.post_worker_init(types.SimpleNamespace(tpool=object(), cfg=types.SimpleNamespace(threads=2)))
    assert calls == ["pool", "main loop"]
    app.extensions["voice"].engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # psycopg's server-side prepared statements
def test_on_postgresql_a_health_check_leaves_a_warmed_connection_prepared_and_set_up(app, client, services):
    """A load balancer's /healthz between texts takes the worker's pooled connections: its reads end with a
    COMMIT under the texts' deadline, so each connection keeps the statements the warm-up prepared on it (psycopg
    deallocates them all at a rollback) and the timeouts a text wants (a read outside the deadline set them back,
    and the next text sent them again)."""
    import contextlib
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        warm_up_pool(app, pool, 2)
    assert client.get("/healthz").status_code == 200
    with contextlib.ExitStack() as stack:
        connections = [stack.enter_context(services.engine.connect()) for _ in range(2)]
        for connection in connections:  # the health check had both: one for its SELECT 1, one for its reads
            assert connection.connection.info.get("pg_timeouts") not in (None, "unknown")
            prepared = connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar_one()
            assert prepared >= 3


def test_the_rehearsed_texts_are_not_logged_as_handled(app, services, caplog):
    """serve's log before it listens said "inbound sms handled: ... events=alert,disclosure alert=1", in the
    master and in each worker: an operator read it as a real alert raised at start-up."""
    caplog.set_level(logging.DEBUG)
    warm_up(app)
    warm_up_worker(app)
    assert not [record.getMessage() for record in caplog.records if "handled" in record.getMessage()]
    assert not [name for name in HANDLED_LOGGERS if logging.getLogger(name).disabled]  # on again after
