"""Warming a server before it answers anyone: what each worker's first text would otherwise do lazily.

`warm_up_master(app)` runs once in gunicorn's master, before the fork, so the workers share what it
builds (copy-on-write): the analysis word lists, the conversations catalogue and phone vault,
SQLAlchemy's mappers and compiled statements (the inbound path's own, and the ORM's for the rarer
paths: a new number, an alert and its notices), the surveys that waiting runs are pinned to,
phone-number metadata, the signature check, the replacement templates of a few regular expressions
(the re module parses each on first use), and Flask's and werkzeug's first-request work (the URL
map's matcher, form parsing, the request limits). Then it freezes the heap.

`warm_up_worker(app)` runs in each worker after the fork: what cannot cross a fork, a database
connection (made with the settings the inbound path's deadline gives it), is opened there; then the
rehearsal runs again there, so the pages a first text would copy from the master are copied before it.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import io
import logging
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy.engine import Engine
from sqlalchemy.orm import configure_mappers
from sqlmodel import Session

from .. import analysis
from ..db import SQLITE_BUSY_MS, _SQLiteConnection, deadline, will_write

log = logging.getLogger(__name__)

# Never a stored number: stored numbers are all valid E.164, this is not (so the rehearsal can meet no one).
REHEARSAL_PHONE = "+440000000000"
REHEARSAL_TEXT = "i want to kill myself"  # a disclosure: the path that writes the most (alert, notices)
# The young person the rehearsal adds (never committed), with a number no one can have either.
REHEARSAL_KNOWN_PHONE = "+440000000001"
REHEARSAL_TEXT_IN = "the food at my placement is nice but i miss my friends"
REHEARSAL_ANSWERS = ("yes", "3", "it is ok i guess")
REHEARSAL_SID = "SMwarmup"  # never a real MessageSid (Twilio's are SM + 32 hex digits)


def warm_up_master(app) -> None:
    """Do in the master, once, what each worker's first text would otherwise do, then freeze the heap."""
    warm_up(app)
    # Objects alive now are moved out of the collector's reach: a collection in a worker would otherwise
    # touch (and so copy) every shared page.
    gc.collect()
    gc.freeze()


def warm_up_gunicorn(cfg) -> None:
    """gunicorn's own first-request work, once in the master: a request read by its HTTP parser, which on
    first use looks for its optional C parser (an import that fails, after searching every folder on
    sys.path) and reads the proxies it trusts (`forwarded_allow_ips`) into networks."""
    from gunicorn.http.parser import RequestParser

    raw = b"POST /sms/inbound HTTP/1.1\r\nHost: warm.up\r\nContent-Length: 0\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n"
    try:
        next(RequestParser(cfg, iter([raw]), ("127.0.0.1", 0)))
        cfg.forwarded_allow_networks()
    except Exception as error:  # another gunicorn: only a head start
        log.warning("warm-up skipped a step (gunicorn): %s", type(error).__name__)


# The loggers of a handled text: a rehearsed one is no one's ("inbound sms handled: ... alert=1" in serve's log,
# before it listens, read as a real alert raised at start-up).
HANDLED_LOGGERS = ("voice_service.web.sms.routes", "voice_service.web.chat.api", "voice_service.web.chat.pages")


@contextlib.contextmanager
def _unlogged() -> Iterator[None]:
    """The rehearsed texts are not logged as handled (the loggers are off only while the server is not listening)."""
    loggers = [logging.getLogger(name) for name in HANDLED_LOGGERS]
    was = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, disabled in zip(loggers, was, strict=True):
            logger.disabled = disabled


def warm_up(app) -> None:
    """Build and compile what a first text of each kind would (see the module notes); no connection is kept."""
    with _unlogged():
        _warm_up(app)


def _warm_up(app) -> None:
    services = app.extensions["voice"]
    analysis.warm_up(services.conversations_dir)
    configure_mappers()
    _ = services.catalogue, services.vault
    for step in (_phone_and_signature, _templates, _sender_and_writes, _waiting_surveys, _rehearsal, _edge, _request):
        try:
            step(app, services)
        except Exception as error:  # only a head start: a worker does all of this itself if need be
            log.warning("warm-up skipped a step (%s): %s", step.__name__.strip("_"), type(error).__name__)
    services.engine.dispose()  # no connection may cross the fork


def warm_up_worker(app) -> None:
    """In a worker just forked: open its first database connection, set up as the inbound path wants it (on
    SQLite, with the write-ahead log begun: `_start_the_log`), and rehearse texts through it (see
    `_in_the_worker`); on PostgreSQL once more, preparing their statements on that connection (`_preparing`);
    then touch every word the master looked up (`analysis.warm_up` again)."""
    with _unlogged():
        _warm_up_worker(app)


def _warm_up_worker(app) -> None:
    services = app.extensions["voice"]
    if _connection(services):
        _start_the_log(services)
        _in_the_worker(app, services, again=1 if services.engine.dialect.name == "postgresql" else 0)
        try:
            _edge(app, services)
        except Exception as error:  # only a head start, as in the master
            log.warning("worker warm-up skipped a step (edge): %s", type(error).__name__)
        # Every word the master looked up, looked up again here (each found done: about 0.1 s of CPU): its
        # cached entries' pages are copied into this worker now (about 10 MB), not on the first texts using them.
        analysis.warm_up(services.conversations_dir)
        # The rehearsal's transactions ran outside the deadline on PostgreSQL, which sets the connection's
        # timeouts back: set it up for a text again.
        _connection(services)


def warm_up_pool(app, pool, threads: int, worker=None) -> None:
    """In a worker just forked, in its pool of `threads` threads that answer requests: make every thread now
    (all wait at a barrier, so each task has a thread of its own); each opens a connection of its own, set up
    under the inbound deadline's length (`_held_connection`), and holds it until all have one, so `threads`
    connections are open; then, in turn, each puts its connection back in the pool (the only one idle there,
    so its turn's rehearsals run on it, and on PostgreSQL leave it with its statements prepared and its
    timeouts set) and takes it back after its turn, holding it until every turn is done; in turn, the first runs
    `warm_up_worker` and each other rehearses the texts once (`warm_up_thread`), and each answers the refused
    webhook through the worker's own request handling (`warm_up_connection`, given gunicorn's `worker`).
    A thread's first text would otherwise pay for its stack, its own memory allocator's arena (glibc gives
    each thread one) and its first run through the code: with the rehearsal in one thread only, a worker's
    first SQLite text still cost 624 page faults and 25 ms of CPU (docs/architecture.md)."""
    started = time.perf_counter()
    services = app.extensions["voice"]
    made, held, finished = (threading.Barrier(threads) for _ in range(3))
    turn = threading.Lock()
    first = [True]

    def wait(barrier: threading.Barrier) -> None:
        try:
            barrier.wait(timeout=30)
        except threading.BrokenBarrierError:  # a pool smaller than asked: the threads it has still warm up
            pass

    def warm() -> None:
        wait(made)
        own = _held_connection(services)
        wait(held)  # every thread holds a connection of its own: `threads` are open, set up for a text
        with turn:
            if own is not None:  # back to the pool, the only one idle there: this turn's rehearsals run on it
                own.close()
            if first:
                first.clear()
                warm_up_worker(app)
            else:
                warm_up_thread(app)
            if worker is not None:
                try:
                    warm_up_connection(worker, app)
                except Exception as error:  # another gunicorn: only a head start
                    log.warning("worker warm-up skipped a step (connection): %s", type(error).__name__)
            own = _held_connection(services, again=True) if own is not None else None  # the same one, held
        wait(finished)  # until every thread has had its turn, so no turn finds another's connection idle
        if own is not None:
            own.close()

    for done in [pool.submit(warm) for _ in range(threads)]:
        done.result()
    log.info("worker warmed up in %.0f ms (%d threads)", (time.perf_counter() - started) * 1000, threads)


def warm_up_connection(worker, app) -> None:
    """The refused webhook (`_request`) sent to this gunicorn worker's own request handling, on a loopback
    connection of its own: gunicorn's parser, WSGI environ and response, the lean edge and the Flask app
    all run in this process before its first text (not in the access log: it is no one's request)."""
    from gunicorn.workers.gthread import TConn

    request = _refused_request(app.extensions["voice"])
    with socket.create_server(("127.0.0.1", 0)) as listener:
        server = listener.getsockname()
        client = socket.create_connection(server, timeout=10)
        served, address = listener.accept()
    worker.log.access = lambda *args, **kwargs: None  # an instance attribute over the class's, for now
    try:
        with client:
            client.sendall(request)
            conn = TConn(worker.cfg, served, address, server)
            try:
                worker.handle(conn)
            finally:
                conn.close()
            while client.recv(65536):
                pass
    finally:
        del worker.log.access


def warm_up_main_loop(worker, app) -> None:
    """The gthread worker's main thread's part of a request, in its main thread before its loop runs: a
    connection accepted (`accept`: the socket, `TConn`), given to the pool (`enqueue_req`: a future and its
    callback) and finished once answered (`finish_request`, run from the worker's queue of callbacks, as its
    loop runs it), for the refused webhook on a loopback listener of its own, once closed after the answer and
    once kept alive (then closed as an idle one is). The threads' own part is `warm_up_connection`'s; without
    this, a worker's first text ran this code for the first time. Not in the access log."""
    import select

    services = app.extensions["voice"]
    open_before = worker.nr_conns
    worker.log.access = lambda *args, **kwargs: None  # an instance attribute over the class's, for now
    try:
        with socket.create_server(("127.0.0.1", 0)) as listener:
            for keep_alive in (False, True):
                with socket.create_connection(listener.getsockname(), timeout=10) as client:
                    client.sendall(_refused_request(services, keep_alive=keep_alive))
                    worker.accept(listener)  # the connection is waiting: taken, and handed to a thread
                    _read_response(client)
                # Closed first: a connection the worker closes waits (up to 2 s) for the client to close its end.
                if not select.select([worker.method_queue.fileno()], [], [], 10)[0]:
                    raise TimeoutError("the refused webhook was not answered")
                worker.method_queue.run_callbacks(None)
            worker.murder_keepalived(force=True)
    finally:
        del worker.log.access
    if worker.nr_conns != open_before:
        raise RuntimeError("the worker still counts a rehearsed connection")


def _read_response(client: socket.socket) -> None:
    """Read one HTTP response (with a Content-Length) from `client`."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            return
        body += chunk


def warm_up_thread(app) -> None:
    """Rehearse the texts once (without the retry: see `_roll_back`) and the refused webhook, in this thread
    (another of a worker's threads, after `warm_up_worker`)."""
    services = app.extensions["voice"]
    _in_the_worker(app, services, retry=False)
    _connection(services)


def _connection(services) -> bool:
    """Open (or check out) a connection under the inbound deadline's length; False if the database is not up."""
    try:
        # Under the inbound deadline's length, so the connection's timeouts (PostgreSQL) are already the ones
        # a webhook's transaction asks for; committed, so they stay set when it goes back to the pool.
        with deadline(services.config.spool.deadline_seconds), services.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
            connection.commit()
    except Exception as error:  # the first request connects itself (or spools) if the database is not up yet
        log.warning("worker warm-up could not reach the database: %s", type(error).__name__)
        return False
    return True


def _held_connection(services, *, again: bool = False):
    """A connection checked out and kept (the caller closes it): opened and set up as `_connection` does, or
    (`again`) taken back from the pool as it is; None if the database is not up."""
    try:
        if again:
            return services.engine.connect()
        with deadline(services.config.spool.deadline_seconds):
            connection = services.engine.connect()
            try:
                connection.exec_driver_sql("SELECT 1")
                connection.commit()
            except BaseException:
                connection.close()
                raise
        return connection
    except Exception as error:  # the first request connects itself (or spools) if the database is not up yet
        log.warning("worker warm-up could not reach the database: %s", type(error).__name__)
        return None


def _start_the_log(services) -> None:
    """On SQLite, begin the write-ahead log now if it is empty, with a commit that changes nothing (the database's
    user_version written back as it is): the first commit into an empty log writes its header and syncs it to
    disk, and syncs the log file's folder when the file is new (the last connection to close a database folds
    the log back in and deletes it), two fsyncs of 3 to 10 ms on a busy disk that would otherwise fall on the
    first text either worker stores. Later commits only add to the log (until a checkpoint has folded it all
    back in; see `db._Checkpointer`). Under the inbound deadline, in turn with the writers, as a text is."""
    engine = services.engine
    if engine.dialect.name != "sqlite":
        return
    try:
        with deadline(services.config.spool.deadline_seconds):
            will_write()
            with engine.connect() as connection:
                version = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
                connection.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
                connection.commit()
    except Exception as error:  # only a head start: the first text begins the log itself
        log.warning("worker warm-up skipped a step (log): %s", type(error).__name__)


def _in_the_worker(app, services, *, retry: bool = True, again: int = 0) -> None:
    """The master's rehearsal (`retry`: with its retried text) and refused webhook again, in the worker, before
    its first text; then `again` more rehearsals without the retry, which prepare their statements on
    PostgreSQL (see `_preparing` and `_roll_back`).

    A forked worker shares the master's memory until it writes to it: the first time it touches an object
    (a reference count, a function's specialised bytecode), a cache or an allocator's page, the kernel
    copies that page for it: about 1,600 pages (6 MB) on a worker's first text-in, counted by its minor
    page faults. A process also opens some files once (SQLite's writers' lock), and PostgreSQL's server
    process for a new connection reads the catalogue of each table a statement touches once. Done here,
    at the worker's start, none of that falls on a young person's first text.
    """

    def rehearse_again(app, services) -> None:
        _rehearsal_in_turn(app, services, retry=False)

    steps = [functools.partial(_rehearsal_in_turn, retry=retry)] + [rehearse_again] * again + [_request]
    for step in steps:
        try:
            step(app, services)
        except Exception as error:  # only a head start, as in the master
            name = getattr(step, "__name__", "rehearsal_in_turn").strip("_")
            log.warning("worker warm-up skipped a step (%s): %s", name, type(error).__name__)


def _rehearsal_in_turn(app, services, *, retry: bool = True) -> None:
    """The rehearsal; on SQLite under the inbound deadline, as a webhook's text is, so the worker also takes
    (and opens, once) the writers' lock the workers share. (Not on PostgreSQL: there a deadline runs a text's
    first statements each on its own, committed, and the rehearsal must store nothing.)"""
    if services.engine.dialect.name != "sqlite":
        _rehearsal(app, services, retry=retry)
        return
    with deadline(services.config.spool.deadline_seconds):
        will_write()  # its transaction begins as a text's does: in turn, with the write lock
        _rehearsal(app, services, retry=retry)


def _phone_and_signature(app, services) -> None:
    from twilio.request_validator import RequestValidator

    from ..privacy import normalise_phone

    normalise_phone("+447700900000")
    RequestValidator("warm-up").compute_signature("http://warm.up/", {"a": "b"})


def _templates(app, services) -> None:
    """The replacement templates ("\\1") the re module parses on first use: the access log's blanked tokens,
    the yes/no reading of a survey answer ("yesss"), and the analysis's squeezed spellings."""
    from ..analysis.text import squeeze
    from ..engine.answers import parse_yes_no
    from .access_log import redact_path

    redact_path("/r/warm-up")
    parse_yes_no("yesss")
    squeeze("sooo")


def _sender_and_writes(app, services) -> None:
    from ..inbound.situation import load_sender
    from ..inbound.writes import prepare
    from ..safeguarding.alerts import prepare as prepare_alerts

    with Session(services.engine) as session:
        load_sender(session, phone_hash="warm-up", lock=False)  # compiles the sender query; finds no one
    prepare(services.engine.dialect)  # and what most messages write
    prepare_alerts(services.engine.dialect)  # and a disclosure's new alert


def _waiting_surveys(app, services) -> None:
    from ..surveys.registry import load_waiting_versions

    with Session(services.engine) as session:
        load_waiting_versions(session)


def _rehearsal(app, services, *, retry: bool = True) -> None:
    """Each kind of text through the whole inbound core, in one transaction rolled back, so nothing stays (on
    PostgreSQL, where a rolled-back insert still takes its number from the table's sequence, the transaction
    writes to temporary tables that shadow the council's: `_shadow_for_the_transaction`): a disclosure from a
    number no one has (a new participant, an alert and its notices) and a second, added to that live alert;
    then, from a young person added for it, a text-in, a survey's YES and answers, and (`retry`) a retry of one
    (the duplicate, last: it rolls the transaction back). Every statement a text runs is compiled, every code
    path a text takes has run, and PostgreSQL's server has read the catalogue of every table and index (making
    their shadows); without the retry, every statement is also prepared on the connection (`_preparing`), and
    stays prepared (`_roll_back`)."""
    from ..inbound import receive
    from ..models import Participant

    with Session(services.engine) as session, _preparing(session) if not retry else contextlib.nullcontext():
        try:
            _shadow_for_the_transaction(session)
            session.get(Participant, 0)  # as an alert loads a known sender (there is no participant 0)
            for sid in ("0", "0b"):  # the second is added to the first's alert, still live
                receive(
                    session=session,
                    services=services,
                    channel="sms",
                    text=REHEARSAL_TEXT,
                    provider_sid=REHEARSAL_SID + sid,
                    phone=REHEARSAL_PHONE,
                )
            _rehearse_a_young_person(session, services, retry=retry)
        finally:
            _roll_back(session)


@contextlib.contextmanager
def _preparing(session: Session) -> Iterator[None]:
    """On PostgreSQL, psycopg prepares a statement on the server from its fifth use on a connection (its
    `prepare_threshold`), and a text's statements are the same every time: a rehearsal in this block has
    every statement it runs prepared at once, as the steady texts find theirs."""
    raw = session.connection().connection.dbapi_connection
    threshold = getattr(raw, "prepare_threshold", None)
    if threshold is None or session.connection().dialect.name != "postgresql":
        yield
        return
    raw.prepare_threshold = 0  # type: ignore[union-attr]
    try:
        yield
    finally:
        raw.prepare_threshold = threshold  # type: ignore[union-attr]


def _roll_back(session: Session) -> None:
    """Roll the rehearsal back. psycopg forgets (and deallocates on the server) every statement it has
    prepared on a connection whenever that connection rolls back, in case the transaction made an object a
    statement names, which the same name could later find changed. The rehearsal's only objects are its
    shadows, which the rollback drops: a statement prepared on one is analysed again by the server on its
    next run, finding the council's table of that name, made alike (the same columns, so the same result).
    So on PostgreSQL it is rolled back on the connection itself, below psycopg, and what the rehearsals
    prepared stays prepared for the texts (which commit). A retried text's own rollback (in `receive`) clears
    them, so only the first rehearsal in a process has one."""
    try:
        connection = session.connection()
        raw = connection.connection.dbapi_connection
        if connection.dialect.name == "postgresql" and raw is not None and not raw.closed:
            raw.pgconn.exec_(b"ROLLBACK")
    finally:
        session.rollback()  # psycopg's own ROLLBACK, if the one above did not happen


def _rehearse_a_young_person(session: Session, services, *, retry: bool) -> None:
    """A young person (never committed) with a run waiting on a survey: a text-in, YES, answers (`retry`: and
    Twilio's retry of the text-in)."""
    from ..inbound import receive
    from ..models import Participant, utcnow

    now = utcnow()
    person = Participant(
        phone_hash=services.vault.hash(REHEARSAL_KNOWN_PHONE),
        phone_encrypted=services.vault.encrypt(REHEARSAL_KNOWN_PHONE),
        created_at=now,
        updated_at=now,
    )
    session.add(person)
    session.flush()

    def text(body: str, sid: str) -> None:
        receive(
            session=session,
            services=services,
            channel="sms",
            text=body,
            provider_sid=REHEARSAL_SID + sid,
            phone=REHEARSAL_KNOWN_PHONE,
            now=now,
        )

    text(REHEARSAL_TEXT_IN, "1")
    if _open_run(session, services, person, now):
        for n, answer in enumerate(REHEARSAL_ANSWERS, start=2):
            text(answer, str(n))
    # Twilio's retry of the text-in: its insert finds the first and rolls the transaction back, so the reply
    # it would be answered with is gone too (LookupError); the statements have still run.
    if retry:
        with contextlib.suppress(LookupError):
            text(REHEARSAL_TEXT_IN, "1")


def _request(app, services) -> None:
    """A signed webhook through the whole Flask app that is refused before the database (its From is no
    valid number): routing, form parsing, the request limits, the signature check, the error answer."""
    form = _refused_form()
    app.test_client().post("/sms/inbound", data=form, headers={"X-Twilio-Signature": _signature(services, form)})


def _refused_request(services, *, keep_alive: bool = False) -> bytes:
    """The refused webhook (`_request`) as it comes over HTTP."""
    form = _refused_form()
    body = urlencode(form).encode()
    head = (
        f"POST /sms/inbound HTTP/1.1\r\nHost: warm.up\r\nConnection: {'keep-alive' if keep_alive else 'close'}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Twilio-Signature: {_signature(services, form)}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _refused_form() -> dict[str, str]:
    # Its From (escaped "%2B...") also builds urllib's table for unquoting, as a real text's "+44..." would.
    return {"MessageSid": "SM" + "0" * 32, "From": REHEARSAL_PHONE, "To": "warm-up", "Body": "warm up"}


def _signature(services, form: dict[str, str]) -> str:
    from twilio.request_validator import RequestValidator

    url = services.config.app.public_url.rstrip("/") + "/sms/inbound"
    return RequestValidator(services.config.twilio.auth_token).compute_signature(url, form)


# The lean edge's rehearsal. Numbers from Ofcom's drama range: they only ever reach a stand-in database.
EDGE_KNOWN_PHONE = "+447700900998"  # a young person the stand-in is seeded with
EDGE_NEW_PHONE = "+447700900997"  # a number the stand-in has never seen (a disclosure makes them a participant)
EDGE_TEXTS = (
    (EDGE_KNOWN_PHONE, REHEARSAL_TEXT_IN),  # a text-in
    (EDGE_KNOWN_PHONE, "yes"),  # YES with nothing waiting: their last run is read (`load_last_run`)
    # (a survey's run is made waiting for them here: `_seed_stand_in`)
    (EDGE_KNOWN_PHONE, REHEARSAL_ANSWERS[0]),  # YES to the invitation
    *((EDGE_KNOWN_PHONE, answer) for answer in REHEARSAL_ANSWERS[1:]),  # answers
    (EDGE_NEW_PHONE, REHEARSAL_TEXT),  # a disclosure from a new number: a participant, an alert, its notices
    (EDGE_NEW_PHONE, REHEARSAL_TEXT),  # and another, added to that live alert
)
EDGE_RUN_AFTER = 2  # the waiting run is made after this many texts


@dataclass
class EdgeRehearsal:
    """What `rehearse_the_edge` did: each text's status line (the last is Twilio's retry of the first), and
    how many texts it stored, all into the stand-in database."""

    answers: list[str] = field(default_factory=list)
    stored: int = 0


def rehearse_the_edge(app) -> EdgeRehearsal:
    """Texts through the lean SMS edge (`sms.fast.FastInbound`: the form, the signature, `take_text`, its lean
    session, the COMMIT, the TwiML), as a young person's would go, each committed, into a stand-in database
    (`stand_in`) and never the council's: a text-in, YES with nothing waiting, a survey's YES and answers, two
    disclosures from a new number, and Twilio's retry of the first. The rehearsal above rolls back, so without
    this a worker's first text ran that code (and wrote to its pages) for the first time: about 4 ms of CPU and
    300 page faults more than the next one."""
    from .sms.fast import FORM_TYPE, PATH, FastInbound

    services = app.extensions["voice"]
    done = EdgeRehearsal()
    with stand_in(services.engine) as engine:
        standing_in = copy.copy(services)  # its cached catalogue and vault too
        object.__setattr__(standing_in, "engine", engine)
        # The edge as the app has it, but on the stand-in, with no spool (a text the stand-in could not take is
        # never kept, so never replayed into the council's database) and nothing behind it but `_not_rehearsed`.
        behind = types.SimpleNamespace(config=app.config, extensions={"voice": standing_in, "voice_spool": _NoSpool()})
        edge = FastInbound(_not_rehearsed, behind)
        person = _seed_stand_in(standing_in)

        def text(phone: str, body: str, sid: str) -> None:
            form = {"MessageSid": sid, "From": phone, "To": "warm-up", "Body": body}
            raw = urlencode(form).encode()
            environ = {
                "PATH_INFO": PATH,
                "REQUEST_METHOD": "POST",
                "QUERY_STRING": "",
                "CONTENT_TYPE": FORM_TYPE,
                "CONTENT_LENGTH": str(len(raw)),
                "wsgi.input": io.BytesIO(raw),
                "HTTP_X_TWILIO_SIGNATURE": _signature(standing_in, form),
            }
            status: list[str] = []
            b"".join(edge(environ, lambda line, headers: status.append(line)))
            done.answers.append(status[0] if status else "")

        sids = ["SM" + f"{n:032x}" for n in range(len(EDGE_TEXTS))]
        for n, ((phone, body), sid) in enumerate(zip(EDGE_TEXTS, sids, strict=True)):
            if n == EDGE_RUN_AFTER:
                _waiting_run(standing_in, person)
            text(phone, body, sid)
        text(*EDGE_TEXTS[0], sids[0])  # Twilio's retry: the reply it was first answered with
        done.stored = _messages(engine)
    return done


def _edge(app, services) -> None:
    rehearse_the_edge(app)


class _NoSpool:
    """The rehearsed edge's spool: it keeps nothing, and ends the rehearsal."""

    def append(self, kind: str, data: dict, *, worrying: bool = False) -> None:
        raise RuntimeError("a rehearsed text is never spooled")


def _not_rehearsed(environ, start_response):
    """The Flask app's place behind the rehearsed edge: a text the edge would hand on is marked, not answered."""
    start_response("599 NOT REHEARSED", [("Content-Type", "text/plain")])
    return [b""]


def _seed_stand_in(services) -> int:
    """The young person the edge's texts come from, committed into the stand-in; their id."""
    from ..models import Participant, utcnow

    now = utcnow()
    with Session(services.engine) as session:
        person = Participant(
            phone_hash=services.vault.hash(EDGE_KNOWN_PHONE),
            phone_encrypted=services.vault.encrypt(EDGE_KNOWN_PHONE),
            created_at=now,
            updated_at=now,
        )
        session.add(person)
        session.commit()
        assert person.id is not None
        return person.id


def _waiting_run(services, person_id: int) -> None:
    """A round of the first survey, with a run waiting for the young person, committed into the stand-in."""
    from ..models import Participant, utcnow

    with Session(services.engine) as session:
        person = session.get(Participant, person_id)
        assert person is not None
        if _open_run(session, services, person, utcnow()):
            session.commit()


def _open_run(session: Session, services, person, now) -> bool:
    """A round of the first survey with a run waiting for `person`, flushed; False when there is no survey."""
    from ..models import Round
    from ..rounds.launch import new_run
    from ..surveys.registry import store_version

    surveys = services.catalogue.surveys
    if not surveys:
        return False
    survey, source = services.survey_source(min(surveys))
    version = store_version(session=session, survey=survey, source=source)
    assert version.id is not None  # a flushed row
    round_ = Round(survey_id=survey.id, survey_version_id=version.id, opens_at=now)
    session.add(round_)
    session.flush()
    run, _ = new_run(survey, round_, version.id, person, first_name="", today=now.date())
    session.add(run)
    session.flush()
    return True


def _messages(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM message WHERE direction = 'in'").scalar_one())


@contextlib.contextmanager
def stand_in(engine: Engine) -> Iterator[Engine]:
    """An engine that works as `engine` does (the same dialect, compiled statements and events, the same kind
    of pool) on a database of its own with the same tables, empty, so what is committed through it never
    reaches the council's:

    - on SQLite, a new file (in /dev/shm where there is one) with the database's schema, deleted afterwards;
    - on PostgreSQL, connections to the same database on which every table of its schema is shadowed by an
      empty temporary table (the server looks in pg_temp first for a name), with sequences of its own, and
      which are then read-only (a read-only transaction may still write to temporary tables, never to any
      other: an unshadowed table could not be written to). They are closed afterwards, which drops them.
    """
    folder: str | None = None
    if engine.dialect.name == "sqlite":
        # In memory where there is a place for files there (no disk syncs), else the temporary folder.
        shared_memory = Path("/dev/shm")
        folder = tempfile.mkdtemp(prefix="voice-warm-up-", dir=shared_memory if shared_memory.is_dir() else None)
        creator = _sqlite_stand_in(engine, Path(folder) / "stand-in.db")
    elif engine.dialect.name == "postgresql":
        creator = _postgres_stand_in(engine)
    else:
        raise ValueError(f"no stand-in for {engine.dialect.name}")
    pool = engine.pool.recreate()  # the same kind and settings, and the pool's events (a copy of them)
    pool._creator = creator
    # An Engine of its own (an OptionEngine would share, and its `pool =` replace, `engine`'s pool), with
    # `engine`'s dialect, compiled statements and (copied) events.
    standing_in = Engine(pool, engine.dialect, engine.url, hide_parameters=engine.hide_parameters, query_cache_size=0)
    standing_in._compiled_cache = engine._compiled_cache
    standing_in.dispatch._update(engine.dispatch, only_propagate=False)
    standing_in._has_events = engine._has_events
    standing_in._execution_options = engine._execution_options
    if engine.pool is pool or standing_in.pool is not pool:
        raise RuntimeError("the stand-in would share the engine's pool")
    try:
        yield standing_in
    finally:
        pool.dispose()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _sqlite_stand_in(engine: Engine, path: Path):
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ValueError("no stand-in for an in-memory SQLite database")
    source = sqlite3.connect(f"file:{Path(database).resolve()}?mode=ro", uri=True)
    try:
        schema = [
            row[0]
            for row in source.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            )
        ]
    finally:
        source.close()
    made = sqlite3.connect(path)
    try:
        made.executescript("PRAGMA journal_mode=WAL; BEGIN;\n" + ";\n".join(schema) + ";\nCOMMIT;")  # one sync
    finally:
        made.close()
    cargs, cparams = engine.dialect.create_connect_args(engine.url.set(database=str(path)))
    # As `db._sqlite_engine` connects.
    cparams.update(check_same_thread=False, timeout=SQLITE_BUSY_MS / 1000, factory=_SQLiteConnection)

    def connect():
        return engine.dialect.connect(*cargs, **cparams)

    return connect


def _postgres_stand_in(engine: Engine):
    connect = engine.pool._creator

    def shadowed(record):
        raw = connect(record)
        try:
            _shadow_every_table(raw)
        except BaseException:
            raw.close()
            raise
        return raw

    return shadowed


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _shadow_every_table(raw) -> None:
    """On a new psycopg connection (the stand-in's): every table shadowed for the whole session (`_shadow`); then
    the connection's transactions are read-only (and commit without waiting for the disk)."""
    with raw.cursor() as cursor:
        _shadow(cursor)
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.execute("SET synchronous_commit TO off")  # nothing it commits needs to outlast it
    raw.commit()


def _shadow_for_the_transaction(session: Session) -> None:
    """On PostgreSQL, the rest of the session's transaction (a rehearsal, rolled back) writes to temporary tables
    only, which go with it: every table shadowed (`_shadow`, until the transaction ends), then the transaction made
    read-only, so a table missed could not be written to, nor its sequence asked for a number (a sequence never
    gives a number back, even to a transaction rolled back: every start of `serve` took about 19 of each table's,
    which showed as gaps in the alert and round numbers)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    raw = connection.connection.driver_connection  # psycopg's, in this transaction
    assert raw is not None
    with raw.cursor() as cursor:
        _shadow(cursor, until_the_transaction_ends=True)
        cursor.execute("SET TRANSACTION READ ONLY", prepare=False)


def _shadow(cursor, *, until_the_transaction_ends: bool = False) -> None:
    """An empty temporary table for every table of the current schema, made like it (its defaults, constraints and
    indexes, though not its foreign keys), whose serial columns draw on temporary sequences of their own (owned by
    those columns, so they go with the tables); checked to shadow every one. `until_the_transaction_ends`: the
    tables are dropped at the transaction's commit, as at its rollback, never left in the session. (Made LIKE the
    council's, they also load each table's and index's description into the server's caches for this connection.)"""
    cursor.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
        "AND c.relkind IN ('r', 'p')",
        prepare=False,
    )
    tables = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT c.relname, a.attname FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid "
        "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
        "WHERE c.relnamespace = current_schema()::regnamespace AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%'",
        prepare=False,
    )
    serials = cursor.fetchall()
    cursor.execute("SELECT current_schema()", prepare=False)
    schema = cursor.fetchone()[0]
    until = " ON COMMIT DROP" if until_the_transaction_ends else ""
    made = [
        f"CREATE TEMPORARY TABLE {_quoted(table)} (LIKE {_quoted(schema)}.{_quoted(table)} INCLUDING DEFAULTS "
        f"INCLUDING CONSTRAINTS INCLUDING INDEXES INCLUDING IDENTITY INCLUDING GENERATED){until}"
        for table in tables
    ]
    for n, (table, column) in enumerate(serials):
        sequence = _quoted(f"stand_in_{n}")
        made.append(f"CREATE TEMPORARY SEQUENCE {sequence} OWNED BY pg_temp.{_quoted(table)}.{_quoted(column)}")
        quoted = ("pg_temp." + sequence).replace("'", "''")
        made.append(
            f"ALTER TABLE pg_temp.{_quoted(table)} ALTER COLUMN {_quoted(column)} SET DEFAULT nextval('{quoted}')"
        )
    cursor.execute(";\n".join(made), prepare=False)
    cursor.execute(
        "SELECT count(*) FROM unnest(%s::text[]) AS t(name) WHERE to_regclass(quote_ident(name)) IS NULL "
        "OR (SELECT relnamespace FROM pg_class WHERE oid = to_regclass(quote_ident(name))) <> pg_my_temp_schema()",
        (tables,),
        prepare=False,
    )
    if cursor.fetchone()[0] != 0:
        raise RuntimeError("a table was not shadowed")
