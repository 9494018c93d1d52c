"""The SMS path's transaction is a Core connection; an ORM Session joins it only on the rarer paths."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select
from werkzeug.datastructures import MultiDict

from tests.factories import add_participants, launch, phone_number
from voice_service.db import retrying
from voice_service.models import Message, OptOut, Participant, Run
from voice_service.surveys.registry import load_waiting_versions
from voice_service.web.sms.routes import take_text


def _text(services, body: str, sid: str, index: int):
    form = MultiDict({"MessageSid": sid, "From": phone_number(index), "To": "+447700900000", "Body": body})
    return retrying(lambda: take_text(services, form), seconds=services.config.spool.deadline_seconds)


@contextmanager
def _orm_sessions() -> Iterator[list[object]]:
    """Every ORM Session that begins a transaction inside the block."""
    begun: list[object] = []

    def record(session, *_args) -> None:
        begun.append(session)

    event.listen(OrmSession, "after_begin", record)
    try:
        yield begun
    finally:
        event.remove(OrmSession, "after_begin", record)


def test_a_text_in_an_answer_and_a_retry_need_no_orm_session(services):
    add_participants(services, [{"phone": phone_number(90)}, {"phone": phone_number(91)}])
    launch(services)
    with Session(services.engine) as session:
        load_waiting_versions(session)  # as the server's warm-up does: a first answer parses no survey
    with _orm_sessions() as begun:
        _text(services, "yes", "SMlean1", 90)  # starts the survey
        _text(services, "4", "SMlean2", 90)  # an answer
        _text(services, "more trips out pls", "SMlean3", 91)  # a text-in
        assert _text(services, "4", "SMlean2", 90).duplicate  # a retry, answered from the stored message
    assert begun == []
    with Session(services.engine) as session:
        assert len(session.exec(select(Message).where(Message.provider_sid.startswith("SMlean"))).all()) == 3
        (started,) = session.exec(select(Run).where(Run.started_at.is_not(None))).all()  # type: ignore[union-attr]
        assert started.status == "active" and started.current_question is not None


def test_a_text_in_an_answer_and_a_retry_make_no_core_connection(services):
    """They run on the pooled DB-API connection (`LeanConnection`), with the engine's begin and commit listeners."""
    add_participants(services, [{"phone": phone_number(93)}, {"phone": phone_number(94)}])
    launch(services)
    with Session(services.engine) as session:
        load_waiting_versions(session)
    made: list[object] = []
    transactions: list[str] = []

    def connected(connection) -> None:
        made.append(connection)

    def began(_connection) -> None:
        transactions.append("begin")

    def committed(_connection) -> None:
        transactions.append("commit")

    event.listen(services.engine, "engine_connect", connected)
    event.listen(services.engine, "begin", began)
    event.listen(services.engine, "commit", committed)
    try:
        _text(services, "yes", "SMcore1", 93)
        _text(services, "4", "SMcore2", 93)
        _text(services, "more trips out pls", "SMcore3", 94)
        assert _text(services, "4", "SMcore2", 93).duplicate
    finally:
        event.remove(services.engine, "engine_connect", connected)
        event.remove(services.engine, "begin", began)
        event.remove(services.engine, "commit", committed)
    assert made == []
    assert transactions == ["begin", "commit"] * 3 + ["begin"]  # the retry is rolled back


def test_a_new_number_and_a_stop_join_an_orm_session_to_the_same_transaction(services):
    with _orm_sessions() as begun:
        first = _text(services, "hello", "SMlean4", 92)  # a new number: the participant and the message together
        stopped = _text(services, "STOP", "SMlean5", 92)  # an opt-out: ORM rows beside the message
    assert len(begun) == 2
    assert first.participant_id is not None and stopped.participant_id == first.participant_id
    with Session(services.engine) as session:
        person = session.get(Participant, first.participant_id)
        assert person is not None and person.phone_hash == services.vault.hash(phone_number(92))
        assert session.exec(select(OptOut).where(OptOut.phone_hash == person.phone_hash)).one()
        sids = session.exec(select(Message.provider_sid).where(Message.participant_id == person.id)).all()
        assert {"SMlean4", "SMlean5"} <= set(sids)


SCALE_THEN_TEXT = """\
id = "clubs"
title = "Clubs"
intro = "Hi {first_name}, it's the Voice team. Reply YES to start, or STOP to opt out."
outro = "Thank you!"

[[questions]]
id = "clubs_score"
kind = "scale"
text = "How good are the clubs near you? 1 = rubbish, 5 = great"
min = 1
max = 5

  [[questions.branch]]
  when = "<= 2"
  goto = "clubs_why"

  [[questions.branch]]
  when = "any"
  goto = "end"

[[questions]]
id = "clubs_why"
kind = "text"
text = "What would make them better?"
"""


def test_a_free_text_answer_after_a_scale_needs_no_orm_session_and_takes_its_hint(services):
    """The question a low scale answer branched to is analysed with that scale as its hint, read without an ORM
    session."""
    from voice_service import analysis
    from voice_service.models import Response

    add_participants(services, [{"phone": phone_number(93)}])
    launch(services, survey_source=SCALE_THEN_TEXT)
    with Session(services.engine) as session:
        load_waiting_versions(session)
    _text(services, "yes", "SMlean6", 93)  # starts the survey
    _text(services, "1", "SMlean7", 93)  # its scale, low: on to "what would make them better?"
    with _orm_sessions() as begun:
        _text(services, "more of them", "SMlean8", 93)
    assert begun == []
    with Session(services.engine) as session:
        rows = session.exec(select(Response).order_by(Response.id)).all()  # type: ignore[arg-type]
    assert [(row.question_id, row.kind) for row in rows] == [("clubs_score", "scale"), ("clubs_why", "text")]
    hinted = analysis.analyse("more of them", scale_hint=-1.0, directory=services.conversations_dir)
    assert (rows[1].score, rows[1].sentiment) == (hinted.score, hinted.sentiment)
    assert hinted.score != analysis.analyse("more of them", directory=services.conversations_dir).score
