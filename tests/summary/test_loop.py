"""Closing the loop: the young people's version, their texts on close, and the panel's delivery."""

from __future__ import annotations

import email
import socketserver
import threading

import pytest
import textstat
from sqlalchemy import select

from tests.conftest import make_config
from tests.summary import data
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import Action, ActionStatus, OptOut, OutboxMessage, utcnow
from voice_service.rounds.launch import close_round
from voice_service.summary import summarise
from voice_service.summary.loop import deliver_panel_summary, loop_sms, on_round_closed, young_people_text


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
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    text = young_people_text(summary)
    assert "feeling safe" not in text and "private" in text
    assert len(loop_sms(summary, first_name="Sam", link="https://voice.example/chat")) <= 306


def test_closing_queues_one_text_per_young_person_who_took_part(services):
    ids, round_id = _busy_round(services)
    with session_scope(services.engine) as session:
        # One who answered has since said STOP.
        opted = session.get(__import__("voice_service.models", fromlist=["Participant"]).Participant, ids[0])
        session.add(OptOut(phone_hash=opted.phone_hash, keyword="STOP"))
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id)
        queued = on_round_closed(session=session, services=services, round_id=round_id)
    assert queued == 14  # 15 answered, 1 opted out; the 5 who never answered get nothing
    with session_scope(services.engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "loop")).scalars().all()
        assert len(rows) == 14
        assert {r.key for r in rows} == {f"loop:{round_id}:{pid}" for pid in ids[1:15]}
        assert all(r.round_id == round_id and "/chat" in r.body and "feeling safe" in r.body for r in rows)
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


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one message."""

    def handle(self):
        self.wfile.write(b"220 fake ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 fake\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go on\r\n")
                body = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(chunk)
                self.server.messages.append(b"".join(body))
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.server.envelope.append(command)
                self.wfile.write(b"250 ok\r\n")


def test_panel_summary_is_emailed_with_the_pdf(database_url):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages, server.envelope = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = make_config(
        database_url,
        panel={"emails": ["panel@council.example"]},
        smtp={"host": "127.0.0.1", "port": server.server_address[1], "starttls": False},
    )
    services = Services.from_config(config)
    try:
        _, round_id = _busy_round(services)
        delivery = deliver_panel_summary(services, round_id)
    finally:
        services.engine.dispose()
        server.shutdown()
        server.server_close()
    assert delivery.emailed == ["panel@council.example"]
    assert any("PANEL@COUNCIL.EXAMPLE" in line for line in server.envelope)
    message = email.message_from_bytes(server.messages[0])
    assert "You said, we did" in message["Subject"]
    attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert attachments and attachments[0].get_payload(decode=True).startswith(b"%PDF")


def test_nothing_is_delivered_without_panel_recipients(services):
    _, round_id = _busy_round(services)
    delivery = deliver_panel_summary(services, round_id)
    assert delivery.files == [] and delivery.emailed == []
