"""Exactly once across crashes: a 10,000-message round, the dispatcher SIGKILLed again and again.

Correctness only: how fast the dispatcher goes is measured by `make bench` (benchmarks/dispatch.py),
never asserted here, since a busy machine is slow without being wrong.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import insert, select

from tests.conftest import make_config
from tests.outbox.helpers import environment, number
from voice_service.context import Services
from voice_service.models import OutboxMessage, OutboxStatus, utcnow

TOTAL = 10_000
KILLS = 6
DISPATCHER = """
from voice_service.config import load
from voice_service.context import Services
from voice_service.outbox.dispatch import build_dispatcher
report = build_dispatcher(Services.from_config(load(None))).flush()
print(report)
"""


def queue_many(services, total: int) -> None:
    """Queue `total` invitations in one statement (the round launcher would take longer and test nothing more)."""
    now = utcnow()
    rows = [
        dict(
            key=f"invite:k:{i}",
            kind="invitation",
            channel="sms",
            to_encrypted=services.vault.encrypt(number(i)),
            to_hash=services.vault.hash(number(i)),
            body=f"Hi {i}, reply YES to start or STOP to opt out.",
            respect_window=True,
            under_16=False,
            status=OutboxStatus.PENDING,
            attempts=0,
            not_before=now,
            created_at=now,
            updated_at=now,
        )
        for i in range(total)
    ]
    with services.engine.begin() as connection:
        connection.execute(insert(OutboxMessage.__table__), rows)


@pytest.mark.slow
def test_every_message_sent_exactly_once_across_repeated_kills(database_url, fake_twilio, tmp_path):
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        schedule={"rate_per_second": 10_000.0, "reconcile_settle_seconds": 0.2},
    )
    services = Services.from_config(config)
    queue_many(services, TOTAL)
    env = environment(config)
    # What `voice-service outbox flush` runs, without the command line's other imports.
    command = [sys.executable, "-c", DISPATCHER]
    rng = random.Random(os.environ.get("VOICE_TEST_SEED", "kill"))
    kills = 0
    log = open(tmp_path / "dispatcher.log", "w")
    while kills < KILLS:
        before = len(fake_twilio.messages)
        child = subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=tmp_path)
        # Kill only once it is sending, at a random moment in its stride.
        deadline = time.monotonic() + 20
        while len(fake_twilio.messages) == before and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.05, 1.5))
        if child.poll() is not None:
            break  # it finished everything before we could kill it
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
    finished = subprocess.run(command, env=env, stdout=log, stderr=log, cwd=tmp_path, timeout=120)
    log.close()
    assert finished.returncode == 0, (tmp_path / "dispatcher.log").read_text()[-3000:]
    assert kills >= 3, "the dispatcher finished too fast to be killed: raise TOTAL"

    sent = Counter(fake_twilio.outbox_ids())
    duplicates = {outbox_id: n for outbox_id, n in sent.items() if n > 1}
    with services.engine.connect() as connection:
        rows = connection.execute(
            select(
                OutboxMessage.__table__.c.id, OutboxMessage.__table__.c.status, OutboxMessage.__table__.c.provider_sid
            )
        ).all()
    services.engine.dispose()
    assert duplicates == {}
    assert len(sent) == TOTAL and set(sent) == {row.id for row in rows}
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    by_sid = {m["sid"]: m for m in fake_twilio.messages}
    assert all(
        row.provider_sid in by_sid and by_sid[row.provider_sid]["status_callback"].endswith(f"outbox={row.id}")
        for row in rows
    )
