"""A worrying chat message over 1,600 characters, sent while the database is away (trial 8, H6): the spool
keeps it as the chat API would have stored it, answers with the help reply, and the replay stores it whole,
its alert raised. Another connection holds the database; PostgreSQL and SQLite."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import make_config
from tests.spool.test_deadline_cut import Blocker
from tests.web.test_chat_api import ChatUser
from tests.web.test_chat_long_message import DISCLOSURE, inbound_bodies, long_text
from voice_service import analysis
from voice_service.context import Services
from voice_service.engine.texts import is_disclosure_reply
from voice_service.models import Alert
from voice_service.spool.replay import replay
from voice_service.web import create_app


def test_a_long_disclosure_held_in_the_spool_is_stored_whole(database_url):
    services = Services.from_config(make_config(database_url, spool={"deadline_seconds": 1.5}))
    analysis.warm_up(services.conversations_dir)
    try:
        user = ChatUser(create_app(services=services).test_client())
        user.start()
        text = long_text(DISCLOSURE, 2400)
        blocker = Blocker(database_url, "sqlite-lock" if database_url.startswith("sqlite") else "pg-lock")
        try:
            held = user.say(text, expect=202)
        finally:
            blocker.release()
        assert held["held"] and [is_disclosure_reply(m["text"]) for m in held["messages"]] == [True]
        report = replay(services)
        assert (report.stored, report.failed, report.pending) == (1, 0, 0)
        assert inbound_bodies(services) == [text]
        with Session(services.engine) as session:
            assert session.exec(select(Alert)).scalars().one().delayed
    finally:
        services.engine.dispose()
