"""Two texts at once from one person are applied one after the other (issue 13 part 2): 40 pairs,
each pair sent from two threads released together, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.models import Response, Run

PAIRS = 40


def test_forty_simultaneous_pairs_are_applied_one_after_the_other(app, services):
    add_participants(services, [{"phone": phone_number(100 + i)} for i in range(PAIRS)])
    launch(services)
    for i in range(PAIRS):
        SmsPhone(app.test_client(), phone_number(100 + i)).send("yes")  # each run waits on the scale question

    errors: list[BaseException] = []

    def text(number: str, body: str, gate: threading.Barrier) -> None:
        try:
            phone = SmsPhone(app.test_client(), number)
            gate.wait(timeout=30)
            phone.send(body)
        except BaseException as error:  # collected: a thread's failure must fail the test
            errors.append(error)

    threads = []
    for i in range(PAIRS):
        gate = threading.Barrier(2)
        # Both answer the scale question. Applied in turn, the first does and the second is re-asked
        # at the next question (yes or no); read at once, both would be stored for the same question.
        for body in ("4", "5"):
            threads.append(threading.Thread(target=text, args=(phone_number(100 + i), body, gate)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]

    with Session(services.engine) as session:
        answers = session.exec(select(Response.run_id, Response.question_id)).all()
        runs = session.exec(select(Run)).scalars().all()
    per_question = Counter((run_id, question_id) for run_id, question_id in answers if question_id)
    assert per_question and max(per_question.values()) == 1, "two answers stored for one question"
    assert sorted(question for _, question in per_question) == ["safe_home"] * PAIRS
    # Each run took both texts in turn: moved on once, then re-asked its next question once.
    assert all((run.current_question, run.reasked) == ("listened", True) for run in runs)


def test_a_disclosure_with_a_nul_is_screened_answered_and_stored(client, services):
    from voice_service.engine.texts import is_disclosure_reply
    from voice_service.models import Alert, Message

    replies = SmsPhone(client, phone_number(99)).send("i want to kill\x00 myself")
    assert len(replies) == 1 and is_disclosure_reply(replies[0])
    with Session(services.engine) as session:
        assert session.exec(select(Alert)).scalars().one()
        body = session.exec(select(Message.body).where(Message.direction == "in")).scalars().one()
    assert body == "i want to kill myself"


def test_an_over_long_message_sid_is_refused_before_the_database(client, services):
    SmsPhone(client, phone_number(98)).send("hello", sid="SM" + "a" * 70, expect=400)
    with Session(services.engine) as session:
        assert session.exec(select(Response)).scalars().all() == []
