"""One `texts.for_person(text, channel, adult=...)` at every place a young person gets words: replies, the
chat's prompts and opening, invitations, reminders and "You said, we did" messages. A care leaver of 18 or
over is never pointed to Childline (under 19s only); a web chat never says "text" or "reply STOP"; an SMS
never says "click"; and a text that was one SMS segment stays one."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.engine.conversation import begin
from voice_service.engine.routing import Situation, awaiting
from voice_service.models import Message, OutboxMessage, OutboxStatus, Participant, Run
from voice_service.rounds.launch import close_round, run_state
from voice_service.surveys.loader import parse_survey

NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # a Monday, inside the weekday send window
ADULT_DOB, CHILD_DOB = "2006-03-01", "2012-05-01"  # 20 and 14 on NOW (and for years after)
SURVEYS = sorted((Path(__file__).parents[1] / "conversations" / "surveys").glob("*.toml"))

# A survey whose own words name Childline and say how to reply by text, at the start and in its question.
HELP_SURVEY = """\
id = "help-check"
title = "Help check"
intro = "Hi {first_name}! Need to talk? Call Childline free on 0800 1111. Reply YES to start, or STOP to opt out."
outro = "Thank you! You can text us any time."

[[questions]]
id = "what_helps"
kind = "text"
text = "What would help you most? If you need to talk now, call Childline free on 0800 1111."
pledges = [1]
"""

# Words that only make sense in a text message: they must never reach a web chat.
TEXTING_WORDS = re.compile(r"\b(?:text|reply) (?:STOP|YES|START|NO)\b|\bSTOP to\b|\btexts? (?:from )?us\b", re.I)


def _survey_texts(survey) -> list[str]:
    said = [survey.intro.replace("{first_name}", "Sam"), survey.outro]
    return said + [question.text for question in survey.questions]


def _every_text() -> list[str]:
    fixed = list(texts.ALL.values()) + list(texts.CHAT_WORDING)
    fixed += [texts.WELCOME.format(council="Royal Borough of Windsor and Maidenhead")]
    surveys = [parse_survey(path.read_bytes(), path.name) for path in SURVEYS]
    surveys.append(parse_survey(HELP_SURVEY.encode(), "help-check.toml"))
    return fixed + [text for survey in surveys for text in _survey_texts(survey)]


@pytest.mark.parametrize("text", _every_text(), ids=lambda text: text[:40])
def test_every_text_fits_the_person_and_the_channel_and_stays_one_segment(text):
    for channel in ("sms", texts.WEBCHAT):
        adult, child = (texts.for_person(text, channel, adult=flag) for flag in (True, False))
        assert "childline" not in adult.lower(), adult
        if "childline" in text.lower():
            assert "Samaritans" in adult
        if channel == texts.WEBCHAT:
            assert not TEXTING_WORDS.search(adult) and not TEXTING_WORDS.search(child), child
        else:
            assert "click" not in adult.lower() and adult == texts.for_age(text, adult=True)
            assert texts.sms_segments(adult) <= texts.sms_segments(text)
            assert texts.sms_segments(child) <= texts.sms_segments(text)


def test_help_lines_named_other_ways_are_for_adults_too_and_sms_says_tap():
    said = "Talk to Childline, or call Childline on 0800 1111. Click the link: https://x.test/r/ab-click"
    adult = texts.for_person(said, "sms", adult=True)
    assert adult == "Talk to Samaritans, or call Samaritans on 116 123. Tap the link: https://x.test/r/ab-click"


def test_the_chat_prompt_is_for_their_age():
    survey = parse_survey(HELP_SURVEY.encode(), "help-check.toml")
    state = begin(survey, first_name="Sam").state
    asked = replace(state, status="active", current="what_helps")
    situation = Situation(channel=texts.WEBCHAT, run=asked, survey=survey)
    assert "Childline free on 0800 1111" in awaiting(situation).prompt
    adult = awaiting(replace(situation, adult=True)).prompt
    assert "Childline" not in adult and "Samaritans free on 116 123" in adult


@pytest.fixture
def people(services):
    """An adult care leaver and a child in care, each invited by text to the help survey at NOW."""
    adult, child = phone_number(401), phone_number(402)
    add_participants(
        services,
        [
            {"phone": adult, "date_of_birth": ADULT_DOB, "status": "care_leaver"},
            {"phone": child, "date_of_birth": CHILD_DOB, "status": "in_care"},
        ],
    )
    round_id = launch(services, survey_source=HELP_SURVEY, now=NOW)
    return {"adult": (1, adult), "child": (2, child), "round": round_id}


def _bodies(services, kind: str) -> dict[int, str]:
    with Session(services.engine) as session:
        rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.kind) == kind)).all()
        return {row.participant_id: row.body for row in rows if row.participant_id is not None}


def test_an_invitation_by_text_names_the_help_line_that_takes_their_call(services, people):
    invitations = _bodies(services, "invitation")
    assert "Samaritans free on 116 123" in invitations[1] and "Childline" not in invitations[1]
    assert "Childline free on 0800 1111" in invitations[2]
    assert all(texts.sms_segments(body) == 1 and "Reply YES" in body for body in invitations.values())


def test_a_reminder_names_the_help_line_that_takes_their_call(services, people, monkeypatch):
    from voice_service.rounds import reminders

    monkeypatch.setattr(
        reminders, "NOT_STARTED", "Hi again! Reply YES to start. Need to talk? Childline free on 0800 1111."
    )
    with session_scope(services.engine) as session:
        session.exec(update(OutboxMessage).values(status=OutboxStatus.SENT, sent_at=NOW))
    with session_scope(services.engine) as session:
        report = reminders.queue_reminders(
            session=session, vault=services.vault, after_days=3, max_reminders=1, now=NOW + timedelta(days=4)
        )
    assert report.queued == 2
    sent = _bodies(services, "reminder")
    assert "Samaritans free on 116 123" in sent[1] and "Childline" not in sent[1]
    assert "Childline free on 0800 1111" in sent[2]


def test_the_chat_opening_and_prompt_of_an_invited_adult_are_in_chat_words_for_their_age(services, people):
    from voice_service.web.chat.sessions import send, start_chat, waiting_for

    with session_scope(services.engine) as session:
        adult = session.get(Participant, 1)
        started = start_chat(session=session, services=services, invited=adult, now=NOW)
        opening = started.replies[0]
        assert "Samaritans free on 116 123" in opening and "Childline" not in opening
        assert "Tap Yes to start" in opening and not TEXTING_WORDS.search(opening)
        turn = send(session=session, services=services, chat=started.chat, text="yes", now=NOW)
        assert any("Samaritans free on 116 123" in reply for reply in turn.replies)
        prompt = waiting_for(session=session, services=services, participant=session.get(Participant, 1)).prompt
        assert "Samaritans free on 116 123" in prompt and "Childline" not in prompt
    with session_scope(services.engine) as session:
        child = session.get(Participant, 2)
        opening = start_chat(session=session, services=services, invited=child, now=NOW).replies[0]
        assert "Childline free on 0800 1111" in opening and "Tap Yes to start" in opening


def test_you_said_we_did_messages_name_the_help_line_that_takes_their_call(services, client, people, monkeypatch):
    from voice_service.summary import loop

    for _, number in (people["adult"], people["child"]):
        phone = SmsPhone(client, number)
        phone.send("yes")
        phone.send("someone to talk to when things are hard")
    with session_scope(services.engine) as session:
        run = session.exec(select(Run).where(col(Run.participant_id) == 2)).one()
        run.channel = "webchat"  # the child answered in the web chat: the channel of their answers decides
        for message in session.exec(
            select(Message).where(col(Message.participant_id) == 2, col(Message.direction) == "in")
        ).all():
            message.channel = "webchat"
    said = "Thanks for taking part! Need to talk? Call Childline free on 0800 1111. Text us any time: {link}"
    monkeypatch.setattr(loop, "loop_sms", lambda summary, *, first_name, link: said.format(link=link))
    monkeypatch.setattr(loop, "chat_text", lambda link, **_: said.format(link=link))
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=people["round"], now=NOW + timedelta(days=7))
        assert (
            loop.on_round_closed(
                session=session, services=services, round_id=people["round"], now=NOW + timedelta(days=7)
            ).count
            == 2
        )
    text = _bodies(services, "loop")[1]
    assert "Samaritans free on 116 123" in text and "Childline" not in text and "Text us" in text
    with Session(services.engine) as session:
        chat = session.exec(select(Message).where(col(Message.provider_sid).startswith("loop:"))).one()
    assert "Childline free on 0800 1111" in chat.body and "message us here" in chat.body.lower()
    assert not TEXTING_WORDS.search(chat.body)


def test_a_chat_refused_before_anyone_is_known_names_both_lines_with_who_each_is_for():
    from voice_service.web.chat.security import SLOW_DOWN, TOO_MANY_CHATS

    for refusal in (SLOW_DOWN, TOO_MANY_CHATS):
        assert texts.ANY_AGE_LINES in refusal  # the rule's one wording


@pytest.mark.parametrize("name", [name for name, text in texts.ALL.items() if "Childline" in text])
def test_every_help_reply_to_someone_of_unknown_age_says_who_childline_is_for(name):
    # Trial finding 10: the first reply to a disclosure named "Childline 0800 1111, Samaritans 116 123" to
    # a new number, without "if under 19", while the next reply had it. One rule, for every help reply.
    for channel in ("sms", texts.WEBCHAT):
        said = texts.for_person(texts.ALL[name], channel, adult=None)
        assert said.count(texts.ANY_AGE_LINES) == 1 and said.count("Childline") == 1, said
        assert said.count("Samaritans") == 1, said


def test_the_first_help_reply_to_a_disclosure_costs_no_more_than_the_rule_takes():
    # "Childline 0800 1111, Samaritans 116 123" becomes the rule's words in place: 12 letters more, no more.
    for reply in (texts.disclosure_reply(None), texts.disclosure_reply("Mon 9am")):
        unknown = texts.for_age(reply, adult=None)
        assert len(unknown) - len(reply) == len(" if under 19")
        assert texts.is_gsm7(unknown) and texts.sms_segments(unknown) <= 2


def test_ages_are_taken_on_the_day_not_today():
    someone = Participant(date_of_birth=date(2008, 12, 1))
    assert not someone.adult_on(date(2026, 11, 30)) and someone.adult_on(date(2026, 12, 1))
    assert run_state  # the launch module's engine view is what `new_run` feeds
