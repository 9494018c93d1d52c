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

import gc
import logging

from sqlalchemy.orm import configure_mappers
from sqlmodel import Session

from .. import analysis
from ..db import deadline, will_write

log = logging.getLogger(__name__)

# Never a stored number: stored numbers are all valid E.164, this is not (so the rehearsal can meet no one).
REHEARSAL_PHONE = "+440000000000"
REHEARSAL_TEXT = "i want to kill myself"  # a disclosure: the path that writes the most (alert, notices)


def warm_up_master(app) -> None:
    """Do in the master, once, what each worker's first text would otherwise do, then freeze the heap."""
    warm_up(app)
    # Objects alive now are moved out of the collector's reach: a collection in a worker would otherwise
    # touch (and so copy) every shared page.
    gc.collect()
    gc.freeze()


def warm_up(app) -> None:
    """Build and compile what a first text of each kind would (see the module notes); no connection is kept."""
    services = app.extensions["voice"]
    analysis.warm_up(services.conversations_dir)
    configure_mappers()
    _ = services.catalogue, services.vault
    for step in (_phone_and_signature, _templates, _sender_and_writes, _waiting_surveys, _rehearsal, _request):
        try:
            step(app, services)
        except Exception as error:  # only a head start: a worker does all of this itself if need be
            log.warning("warm-up skipped a step (%s): %s", step.__name__.strip("_"), type(error).__name__)
    services.engine.dispose()  # no connection may cross the fork


def warm_up_worker(app) -> None:
    """In a worker just forked: open its first database connection, set up as the inbound path wants it,
    and rehearse a text through it (see `_in_the_worker`)."""
    services = app.extensions["voice"]
    if _connection(services):
        _in_the_worker(app, services)
        # The rehearsal's transactions ran outside the deadline on PostgreSQL, which sets the connection's
        # timeouts back: set it up for a text again.
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


def _in_the_worker(app, services) -> None:
    """The master's rehearsal and refused webhook again, in the worker, before its first text.

    A forked worker shares the master's memory until it writes to it: the first time it touches an object
    (a reference count), a cache or an allocator's page, the kernel copies that page for it: about 1,600
    pages (6 MB) on a worker's first text-in, counted by its minor page faults. A process also opens some
    files once (SQLite's writers' lock). Done here, at the worker's start, none of that falls on a young
    person's first text.
    """
    for step in (_rehearsal_in_turn, _request):
        try:
            step(app, services)
        except Exception as error:  # only a head start, as in the master
            log.warning("worker warm-up skipped a step (%s): %s", step.__name__.strip("_"), type(error).__name__)


def _rehearsal_in_turn(app, services) -> None:
    """The rehearsal; on SQLite under the inbound deadline, as a webhook's text is, so the worker also takes
    (and opens, once) the writers' lock the workers share. (Not on PostgreSQL: there a deadline runs a text's
    first statements each on its own, committed, and the rehearsal must store nothing.)"""
    if services.engine.dialect.name != "sqlite":
        _rehearsal(app, services)
        return
    with deadline(services.config.spool.deadline_seconds):
        will_write()  # its transaction begins as a text's does: in turn, with the write lock
        _rehearsal(app, services)


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


def _rehearsal(app, services) -> None:
    """A disclosure from a number no one has, through the whole inbound core, rolled back: nothing stays
    (on PostgreSQL each table's id sequence moves on by one), but every statement it runs is compiled."""
    from ..inbound import receive
    from ..models import Participant

    with Session(services.engine) as session:
        try:
            session.get(Participant, 0)  # as an alert loads a known sender (there is no participant 0)
            receive(session=session, services=services, channel="sms", text=REHEARSAL_TEXT, phone=REHEARSAL_PHONE)
        finally:
            session.rollback()


def _request(app, services) -> None:
    """A signed webhook through the whole Flask app that is refused before the database (its From is no
    valid number): routing, form parsing, the request limits, the signature check, the error answer."""
    from twilio.request_validator import RequestValidator

    # Its From (escaped "%2B...") also builds urllib's table for unquoting, as a real text's "+44..." would.
    form = {"MessageSid": "SM" + "0" * 32, "From": REHEARSAL_PHONE, "To": "warm-up", "Body": "warm up"}
    url = services.config.app.public_url.rstrip("/") + "/sms/inbound"
    signature = RequestValidator(services.config.twilio.auth_token).compute_signature(url, form)
    app.test_client().post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})
