"""Closing the loop: the young people's version, their texts on close, and the panel's delivery."""

from __future__ import annotations

from datetime import timedelta

import pytest
import textstat
from sqlalchemy import select

from tests.conftest import make_config
from tests.summary import data
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import Action, ActionStatus, Message, OptOut, OutboxMessage, Round, Run, utcnow
from voice_service.rounds.launch import close_round
from voice_service.summary import summarise
from voice_service.summary.aggregate import aggregate_round
from voice_service.summary.loop import (
    chat_text,
    deliver_panel_summary,
    fits_one_sms,
    loop_sms,
    loop_sms_in,
    on_round_closed,
    took_part,
    top_things,
    young_people_text,
)


def _busy_round(services):
    ids = data.people(services, 20)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids[:15], [4] * 10 + [2] * 5)
    data.comments(services, round_id, ids[:8], ["I do not feel safe on the bus home at night"] * 8, ["safety"])
    data.comments(
        services,
        round_id,
        ids[8:14],
        ["I want more time to see my brother and sister"] * 6,
        ["family_and_friends"],
        question="safe_home_why",
    )
    data.comments(
        services, round_id, ids[:6], ["there is nothing fun to do at weekends"] * 6, ["leisure"], question="listened"
    )
    with session_scope(services.engine) as session:
        session.add(
            Action(
                round_id=round_id,
                pledge=1,
                said="The bus home at night feels unsafe",
                did="we gave taxi passes for late trips home",
                status=ActionStatus.DONE,
                done_at=utcnow(),
            )
        )
        session.add(
            Action(
                round_id=round_id,
                theme="family_and_friends",
                said="Not enough family time",
                did="we will set up more visits with brothers and sisters",
                status=ActionStatus.PLANNED,
            )
        )
    return ids, round_id


@pytest.fixture
def offline_textstat(monkeypatch):
    """textstat looks words up in NLTK's CMU dictionary, downloading it on first use; there is no
    network here, so count syllables with its own Pyphen fallback instead."""
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    _count_syllables.count_syllables.cache_clear() if hasattr(_count_syllables.count_syllables, "cache_clear") else None


def test_young_people_text_is_short_and_easy_to_read(services, offline_textstat):
    _, round_id = _busy_round(services)
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    text = young_people_text(summary, link="https://voice.example/chat")
    assert len(text.split()) < 300
    assert textstat.flesch_reading_ease(text) >= 80 or textstat.flesch_kincaid_grade(text) <= 4, text
    assert "feeling safe" in text and "taxi passes" in text and "family and friends" in text
    assert "fun things to do" in text and "still working out" in text
    # Top three only, in order of how many raised them.
    assert text.index("feeling safe") < text.index("family and friends")


def test_young_people_text_with_too_few_answers_keeps_them_private(services):
    ids = data.people(services, 3)
    round_id = data.round_at(services)
    data.comments(services, round_id, ids, ["not safe on the bus"] * 3, ["safety"])
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    text = young_people_text(summary)
    assert "feeling safe" not in text and "private" in text
    closing = loop_sms(summary, first_name="Sam", link="https://voice.example/r/abcdefghijkl")
    assert fits_one_sms(closing)
    # The page keeps what they said private, so neither the text nor the chat promises it (trial, 7 December).
    assert "See what we are doing" in closing and "what you said" not in closing
    assert "what you told us" not in chat_text("https://voice.example/r/abcdefghijkl", said=bool(top_things(summary)))
    welsh = loop_sms_in(summary, first_name="Sam", link="https://voice.example/r/abcdefghijkl", language="cy")
    assert "ddwedoch chi" not in welsh and fits_one_sms(welsh)


def test_closing_queues_one_text_per_young_person_who_took_part(services):
    ids, round_id = _busy_round(services)
    with session_scope(services.engine) as session:
        # One who answered has since said STOP.
        opted = session.get(__import__("voice_service.models", fromlist=["Participant"]).Participant, ids[0])
        session.add(OptOut(phone_hash=opted.phone_hash, keyword="STOP"))
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id)
        queued = on_round_closed(session=session, services=services, round_id=round_id)
    assert queued.count == 14  # 15 answered, 1 opted out; the 5 who never answered get nothing
    with session_scope(services.engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "loop")).scalars().all()
        assert len(rows) == 14
        assert {r.key for r in rows} == {f"loop:{round_id}:{pid}" for pid in ids[1:15]}
        token = session.get(Round, round_id).public_token
        assert token and len(token) >= 12
        assert all(r.round_id == round_id and f"/r/{token}" in r.body and fits_one_sms(r.body) for r in rows)
        assert services.vault.decrypt(rows[0].to_encrypted) == data.phone(1)
    # Closing again queues nothing new.
    with session_scope(services.engine) as session:
        on_round_closed(session=session, services=services, round_id=round_id)
        assert session.exec(select(OutboxMessage).where(OutboxMessage.kind == "loop")).scalars().all().__len__() == 14


def test_texts_are_queued_in_the_same_transaction_as_the_close(services):
    _, round_id = _busy_round(services)
    with pytest.raises(RuntimeError):
        with session_scope(services.engine) as session:
            close_round(session=session, round_id=round_id)
            on_round_closed(session=session, services=services, round_id=round_id)
            raise RuntimeError("crash before commit")
    with session_scope(services.engine) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.kind == "loop")).scalars().all() == []


def test_panel_summary_is_dropped_as_html_and_pdf(database_url, tmp_path):
    services = Services.from_config(make_config(database_url, panel={"drop_dir": str(tmp_path / "drop")}))
    try:
        _, round_id = _busy_round(services)
        delivery = deliver_panel_summary(services, round_id)
    finally:
        services.engine.dispose()
    names = sorted(p.name for p in delivery.files)
    assert names == [f"you-said-we-did-round-{round_id}.html", f"you-said-we-did-round-{round_id}.pdf"]
    assert (tmp_path / "drop" / names[1]).read_bytes().startswith(b"%PDF")
    assert not list((tmp_path / "drop").glob("*.part"))


def test_panel_email_goes_through_the_outbox_once_with_the_pdf(database_url, tmp_path):
    config = make_config(database_url, panel={"emails": ["panel@council.example"], "drop_dir": str(tmp_path)})
    services = Services.from_config(config)
    try:
        _, round_id = _busy_round(services)
        first = deliver_panel_summary(services, round_id)
        second = deliver_panel_summary(services, round_id)
        with session_scope(services.engine) as session:
            rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "summary")).scalars().all()
            assert len(rows) == 1 and rows[0].channel == "email" and rows[0].round_id == round_id
            assert services.vault.decrypt(rows[0].to_encrypted) == "panel@council.example"
            assert "You said, we did" in rows[0].subject and rows[0].html_body.startswith("<!DOCTYPE html>")
            attachment = rows[0].attachments[0]
            assert attachment["content_type"] == "application/pdf"
            assert open(attachment["path"], "rb").read().startswith(b"%PDF")
    finally:
        services.engine.dispose()
    assert first.emailed == second.emailed == ["panel@council.example"]
    assert first.already == [] and second.already == ["panel@council.example"]  # said honestly, sent once


def test_the_closing_text_is_one_sms_with_the_link_whatever_the_name(services):
    _, round_id = _busy_round(services)
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    link = "https://voice.worcestershire.gov.uk/r/Ab3dE6gH9jK_"
    for name in (None, "Sam", "Maximilianne-Josephine", "Zoë"):
        text = loop_sms(summary, first_name=name, link=link)
        assert fits_one_sms(text) and text.endswith(link), text
        assert "CAMHS" not in text


def test_web_chat_users_see_the_link_in_their_chat_once(services):
    ids, round_id = _busy_round(services)
    with session_scope(services.engine) as session:
        run = session.exec(select(Run).where(Run.round_id == round_id, Run.participant_id == ids[2])).scalars().one()
        run.channel = "webchat"
    for _ in range(2):
        with session_scope(services.engine) as session:
            close_round(session=session, round_id=round_id)
            on_round_closed(session=session, services=services, round_id=round_id)
    with session_scope(services.engine) as session:
        token = session.get(Round, round_id).public_token
        chat = session.exec(select(Message).where(Message.channel == "webchat")).scalars().all()
        assert [(m.participant_id, m.direction) for m in chat] == [(ids[2], "out")]
        assert f"/r/{token}" in chat[0].body
        keys = session.exec(select(OutboxMessage.key).where(OutboxMessage.kind == "loop")).scalars().all()
        assert f"loop:{round_id}:{ids[2]}" not in keys and len(keys) == len(set(keys)) == 14


def test_nothing_is_delivered_without_panel_recipients(services):
    _, round_id = _busy_round(services)
    delivery = deliver_panel_summary(services, round_id)
    assert delivery.files == [] and delivery.emailed == []


def test_the_scheduler_closes_a_due_round_through_the_same_path_and_tells_people_once(services):
    from voice_service.scheduler.jobs import close_rounds
    from voice_service.summary.loop import close_and_tell

    ids, round_id = _busy_round(services)
    with session_scope(services.engine) as session:
        round_ = session.get(Round, round_id)
        round_.closes_at = round_.opens_at + timedelta(days=1)
        due = round_.closes_at + timedelta(minutes=1)
    assert close_rounds(services, now=due) == [round_id]
    with session_scope(services.engine) as session:
        assert session.get(Round, round_id).status == "closed"
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "loop")).scalars().all()
        assert len(rows) == 15 and all("/r/" in r.body for r in rows)
    # The scheduler running again, or someone pressing close after it: nobody is told twice.
    assert close_rounds(services, now=due + timedelta(minutes=1)) == []
    assert close_and_tell(services, round_id).told.count == 0
    with session_scope(services.engine) as session:
        assert len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "loop")).scalars().all()) == 15


def test_a_reply_to_the_invitation_is_not_taking_part(services):
    ids, round_id = _busy_round(services)
    newcomer = data.people(services, 1, start=60)[0]
    with session_scope(services.engine) as session:
        data.answer(session, round_id, newcomer, None, text="3", free_text=True)  # "Just reply YES to start"
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        told = {p.id for p in took_part(session=session, round_id=round_id)}
        figures = summarise(session=session, services=services, round_id=round_id)
    assert newcomer not in told and len(told) == 15
    assert figures.header.responded == 15


def test_an_invited_person_whose_only_text_was_a_reply_to_the_invitation_is_not_counted(services):
    ids, round_id = _busy_round(services)  # 20 invited, the first 15 answered
    with session_scope(services.engine) as session:
        data.answer(session, round_id, ids[15], None, text="3", free_text=True)
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id, quotes=False)
        told = {p.id for p in took_part(session=session, round_id=round_id)}
    assert ids[15] not in told
    assert figures.responded == 15
    assert sum(figures.channels.values()) == 15 and sum(figures.age_bands.values()) == 15
