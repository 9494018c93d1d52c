"""A spooled message is stored whatever changed since it came in; one that cannot be is never lost silently.

Its Twilio signature was checked once, when it came in (the spool's encryption refuses a line changed
since), so a rotated auth token or a moved public_url does not fail its replay. A record that fails for
another reason can be retried, makes /healthz "degraded", and, if the screen finds a risk in it,
raises an alert anyway: the young person had the help reply, so they believe someone was told.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone, make_config
from voice_service.cli import main
from voice_service.context import Services
from voice_service.engine import texts
from voice_service.models import Alert, Direction, Message, OutboxKind, OutboxMessage, utcnow
from voice_service.models.base import as_utc
from voice_service.spool import Spool
from voice_service.spool.replay import UNSTORED_REASON, replay
from voice_service.web import create_app

# /healthz on safeguarding notices when none has waited past [safeguarding] unsent_notice_minutes.
NO_UNSENT = {"unsent": 0, "oldest_minutes": 0, "after_minutes": 2}

WORRYING = "i cant take it anymore im going to end it tonight"


@pytest.fixture
def spooled(tmp_path, sqlite_template):
    """Services on a SQLite file, and a phone whose texts are spooled while another process holds the lock."""
    path = tmp_path / "voice.db"
    shutil.copy(sqlite_template, path)
    config = make_config(
        f"sqlite:///{path}", spool={"deadline_seconds": 0.5}, safeguarding={"duty_emails": ["duty@council.test"]}
    )
    services = Services.from_config(config)
    client = create_app(services=services).test_client()
    phone = SmsPhone(client, "+447700900209")

    def send_while_down(*bodies: str) -> list[list[str]]:
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        try:
            return [phone.send(body, sid=f"SM{uuid.uuid4().hex}") for body in bodies]
        finally:
            locker.execute("ROLLBACK")
            locker.close()

    yield services, client, send_while_down
    services.engine.dispose()


def _alerts(services) -> list[Alert]:
    with Session(services.engine) as session:
        return list(session.exec(select(Alert)).scalars())


def _inbound(services) -> list[str]:
    with Session(services.engine) as session:
        return [m.body for m in session.exec(select(Message).where(Message.direction == Direction.IN)).scalars()]


def test_a_rotated_auth_token_and_a_moved_public_url_do_not_lose_spooled_texts(spooled):
    services, _, send_while_down = spooled
    (helped,) = send_while_down(WORRYING)
    assert texts.is_disclosure_reply(helped[0])
    # Meanwhile the council rotates the Twilio auth token and moves the service.
    moved = Services.from_config(
        services.config.with_overrides(
            app={"public_url": "https://voice.moved.example"}, twilio={"auth_token": "rotated-" + uuid.uuid4().hex}
        )
    )
    try:
        report = replay(moved)
        assert (report.stored, report.failed, report.pending) == (1, 0, 0)
        (alert,) = _alerts(moved)
        assert alert.delayed and alert.message_id is not None
        assert _inbound(moved) == [WORRYING]
    finally:
        moved.engine.dispose()


def test_a_changed_spool_line_is_refused_by_its_encryption_not_replayed(spooled):
    services, _, send_while_down = spooled
    send_while_down(WORRYING)
    spool = Spool.from_config(services.config)
    line = (spool.directory / "inbound.spool").read_bytes()
    (spool.directory / "inbound.spool").write_bytes(line[:20] + (b"A" if line[20:21] != b"A" else b"B") + line[21:])
    report = replay(services)
    assert report.stored == 0 and _inbound(services) == []
    assert spool.depth().pending == 1  # kept for a person to look at, never dropped


def test_a_failed_worrying_record_raises_an_alert_and_can_be_retried(spooled, monkeypatch):
    services, client, send_while_down = spooled
    send_while_down("more trips out pls", WORRYING)
    from voice_service.web.sms import routes

    real = routes.receive

    def broken(**kwargs):
        raise RuntimeError("a fault in this version")

    monkeypatch.setattr(routes, "receive", broken)
    (arrived,) = [r.received_at for r in Spool.from_config(services.config).records()[0] if r.text == WORRYING]
    replayed_from = utcnow()
    report = replay(services)
    assert (report.stored, report.failed, report.alerts) == (0, 2, 1)
    (alert,) = _alerts(services)
    # The duty team is told, with the words they need and the reason it has no conversation.
    assert alert.message_id is None and alert.delayed and alert.excerpt == WORRYING
    # Raised when they wrote it (its wait counts from then), notified when the replay queued the notices.
    assert as_utc(alert.created_at) == arrived and as_utc(alert.last_message_at) == arrived
    assert as_utc(alert.last_notified_at) >= replayed_from
    assert alert.reasons[-1] == UNSTORED_REASON and alert.categories
    with Session(services.engine) as session:
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.alert_id == alert.id)).scalars().all()
        assert notices and all(notice.kind == OutboxKind.ALERT for notice in notices)
    health = client.get("/healthz")
    assert health.status_code == 200  # it still takes messages: a load balancer keeps it
    assert health.get_json()["status"] == "degraded" and health.get_json()["spool"] == {
        "pending": 0,
        "failed": 2,
        "worrying": 0,  # a failed one's alert was raised
        "unwarned": 0,
    }

    # The scheduler's replay leaves failed records alone; a retry that fails again raises no second alert.
    assert replay(services).failed == 0
    assert replay(services, retry_failed=True).failed == 2 and len(_alerts(services)) == 1

    monkeypatch.setattr(routes, "receive", real)  # the fault is fixed
    assert replay(services, retry_failed=True).summary() == "stored 2, already stored 0, failed 0, waiting 0"
    assert sorted(_inbound(services)) == sorted(["more trips out pls", WORRYING])
    from voice_service.scheduler.heartbeat import record_heartbeat

    record_heartbeat(services.engine, utcnow())  # the scheduler is running beside this server
    assert client.get("/healthz").get_json() == {
        "status": "ok",
        "database": "ok",
        "spool": {"pending": 0, "failed": 0, "worrying": 0, "unwarned": 0},
        "duty_notices": NO_UNSENT,
        "scheduler": {"last_run_minutes": 0, "after_minutes": 5},
    }
    assert not (Spool.from_config(services.config).directory / "inbound.spool").exists()


def test_replay_help_names_retry_failed():
    result = CliRunner().invoke(main, ["spool", "replay", "--help"])
    assert result.exit_code == 0 and "--retry-failed" in result.output
