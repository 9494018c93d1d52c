"""Responses page functions: filters use the tags to trust, a worker's correction over the machine's."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.labels import correct_labels
from voice_service.models import Response
from voice_service.web.admin.responses_service import ResponseFilter, filter_responses


def test_filters_by_round_pledge_theme_sentiment_and_risk(services, client):
    add_participants(services, [{"phone": phone_number(1)}, {"phone": phone_number(2)}])
    round_id = launch(services)
    for index, (scale, words) in enumerate((("1", "my carers shout at me"), ("5", "all good"))):
        texter = SmsPhone(client, phone_number(index + 1))
        texter.send("yes")
        texter.send(scale)
        if scale == "1":
            texter.send(words)
    catalogue = services.catalogue
    with Session(services.engine) as session:
        everything = filter_responses(session=session, catalogue=catalogue, filters=ResponseFilter(round_id=round_id))
        assert everything.total == 3
        assert {r.question for r in everything.rows} == {"safe home", "safe home why"}
        pledge_one = filter_responses(session=session, catalogue=catalogue, filters=ResponseFilter(pledge=1))
        assert pledge_one.total == 3  # every answer here is to a question asked for pledge 1
        none = filter_responses(session=session, catalogue=catalogue, filters=ResponseFilter(round_id=round_id + 1))
        assert none.total == 0
        negative = filter_responses(session=session, catalogue=catalogue, filters=ResponseFilter(sentiment="negative"))
        why = session.exec(select(Response).where(Response.question_id == "safe_home_why")).one()
    with session_scope(services.engine) as session:
        correct_labels(
            session=session,
            response_id=why.id,
            themes=["housing"],
            sentiment="positive",
            known_themes=["housing"],
            by="w",
        )
    with Session(services.engine) as session:
        housing = filter_responses(session=session, catalogue=catalogue, filters=ResponseFilter(theme="housing"))
        assert [r.response.id for r in housing.rows] == [why.id] and housing.rows[0].corrected
        now_negative = filter_responses(
            session=session, catalogue=catalogue, filters=ResponseFilter(sentiment="negative")
        )
        assert why.id not in [r.response.id for r in now_negative.rows]
        assert now_negative.total == negative.total - (1 if why.id in [r.response.id for r in negative.rows] else 0)
        risky = filter_responses(session=session, catalogue=catalogue, filters=ResponseFilter(risk=True))
        assert risky.total == 0


def test_filters_from_the_query_string_ignore_nonsense():
    f = ResponseFilter.from_args(
        {"round": "3", "pledge": "x", "sentiment": "angry", "risk": "yes", "theme": " safety "}
    )
    assert f == ResponseFilter(round_id=3, pledge=None, theme="safety", sentiment=None, risk=True)


def _answers(services, themes_of: list[list[str]]) -> list[int]:
    """Text-ins from one young person with the machine's themes given, stored in one statement; their ids."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    add_participants(services, [{"phone": phone_number(9)}])
    when = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    rows = [
        {"participant_id": 1, "kind": "text", "answer": f"answer {i}", "themes": themes, "created_at": when}
        for i, themes in enumerate(themes_of)
    ]
    with session_scope(services.engine) as session:
        session.execute(insert(Response), rows)
        return list(session.exec(select(Response.id).order_by(Response.id)).all())


def test_every_matching_answer_is_counted_and_a_correction_counts_there_as_in_the_summary(services):
    """The theme filter and its count are by the tags to trust (labels), over every answer, not a first few
    thousand: the same rule (`labels.judged_themes`) the panel's summary counts by."""
    from voice_service.labels import judged_themes
    from voice_service.summary import aggregate

    assert aggregate.judged_themes is judged_themes  # one rule, one home
    ids = _answers(services, [["housing"]] * 5003 + [["safety"], ["money_x"]])
    with session_scope(services.engine) as session:
        for response_id in ids[:3]:  # a worker took housing off three, and put safety on one of them
            themes = ["safety"] if response_id == ids[0] else []
            correct_labels(
                session=session, response_id=response_id, themes=themes, sentiment=None, known_themes=["safety"], by="w"
            )
    catalogue = services.catalogue
    with Session(services.engine) as session:

        def count(**kwargs) -> int:
            return filter_responses(session=session, catalogue=catalogue, filters=ResponseFilter(**kwargs)).total

        assert count() == 5005
        assert count(theme="housing") == 5000
        assert count(theme="safety") == 2
        assert count(theme="money") == 0 and count(theme="money_") == 0  # a whole id, no wildcards
        page = filter_responses(
            session=session, catalogue=catalogue, filters=ResponseFilter(theme="safety"), offset=0, limit=50
        )
        assert [row.response.id for row in page.rows] == [ids[-2], ids[0]]
        assert page.rows[1].themes == ["safety"] and page.rows[1].corrected
