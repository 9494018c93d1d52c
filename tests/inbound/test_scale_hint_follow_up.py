"""A free-text answer's feeling comes from its own words; a scale answer informs it only when the question was
asked because of that answer (a branch such as pulse's "what would help?"), never from an unrelated earlier rating.

Trial 13, T13-11: two young people answered pulse alike but for "How is school going?" (5 against 1), then both
wrote "I want to see my brother more often" to the last question; it was stored as positive for one, negative for
the other, and `voice-service analyse` said neither. Through the real webhook (signed), on both databases.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service import analysis
from voice_service.models import Participant, Response
from voice_service.surveys.loader import parse_survey
from voice_service.surveys.scoring import scale_score

BROTHER = "I want to see my brother more often"


def _pulse(services) -> str:
    return (services.conversations_dir / "surveys" / "pulse.toml").read_text(encoding="utf-8")


def _stored(services, number: str, question_id: str) -> Response:
    """The young person's stored answer to one question."""
    with Session(services.engine) as session:
        rows = session.exec(select(Response).where(Response.question_id == question_id)).scalars().all()
    (row,) = [row for row in rows if row.participant_id == _participant_of(services, number)]
    return row


def _participant_of(services, number: str) -> int:
    with Session(services.engine) as session:
        people = session.exec(select(Participant)).scalars().all()
    (person,) = [p for p in people if p.phone_hash == services.vault.hash(number)]
    assert person.id is not None
    return person.id


def test_an_unrelated_earlier_rating_leaves_a_comments_feeling_alone(client, services):
    numbers = {5: phone_number(40), 1: phone_number(41)}  # each young person's "How is school going?"
    add_participants(services, [{"phone": number} for number in numbers.values()])
    launch(services, survey_source=_pulse(services))
    for school, number in numbers.items():
        phone = SmsPhone(client, number)
        for body in ("yes", "4", "4", str(school), "yes", "yes", "2", BROTHER):
            phone.send(body)
    alone = analysis.analyse(BROTHER, directory=services.conversations_dir)
    for number in numbers.values():
        row = _stored(services, number, "one_thing")
        assert (row.sentiment, row.score, row.theme_sentiments) == (
            alone.sentiment,
            alone.score,
            dict(alone.theme_sentiments) or None,
        )


def test_an_answer_to_the_question_a_rating_branched_to_takes_that_rating(client, services):
    """pulse's "What would help?" is asked because "How have you been feeling?" was 2 or less: the comment is read
    with that rating, as the README says, and `analyse` given the same hint gives what was stored."""
    number = phone_number(42)
    add_participants(services, [{"phone": number}])
    launch(services, survey_source=_pulse(services))
    phone = SmsPhone(client, number)
    for body in ("yes", "4", "1", "my sw"):
        phone.send(body)
    row = _stored(services, number, "feeling_help")
    feeling = parse_survey(_pulse(services).encode(), "pulse.toml").question("feeling")
    hinted = analysis.analyse("my sw", scale_hint=scale_score(1, feeling), directory=services.conversations_dir)
    assert (row.sentiment, row.score) == (hinted.sentiment, hinted.score) == ("negative", row.score)
    assert analysis.analyse("my sw", directory=services.conversations_dir).sentiment == "neutral"


CLUBS = """\
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

[[questions]]
id = "clubs_more"
kind = "text"
text = "Anything else about clubs?"
"""


def test_a_question_next_in_the_file_is_asked_whatever_the_rating_and_reads_its_own_words(client, services):
    """Asked after every answer (no branch to it), it is no follow-up of the rating just before it."""
    number = phone_number(43)
    add_participants(services, [{"phone": number}])
    launch(services, survey_source=CLUBS)
    phone = SmsPhone(client, number)
    for body in ("yes", "5", "more of them"):
        phone.send(body)
    row = _stored(services, number, "clubs_more")
    alone = analysis.analyse("more of them", directory=services.conversations_dir)
    assert (row.sentiment, row.score) == (alone.sentiment, alone.score)
    assert analysis.analyse("more of them", scale_hint=1.0, directory=services.conversations_dir).score != row.score
