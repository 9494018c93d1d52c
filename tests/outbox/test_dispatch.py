"""The dispatcher against the fake Twilio API: sends once, retries, holds, stops, reconciles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.outbox.helpers import Clock, dispatcher, number, queue, statuses
from voice_service.models import OptOut, OutboxMessage, OutboxStatus
from voice_service.outbox.lease import claim_batch


def test_sends_each_due_message_once_with_its_sid(api_services, fake_twilio):
    ids = queue(api_services, 25)
    report = dispatcher(api_services).flush()
    assert report.sent == 25
    assert sorted(fake_twilio.outbox_ids()) == sorted(ids)
    assert dispatcher(api_services).flush().sent == 0  # nothing twice
    with Session(api_services.engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    assert all(row.provider_sid and row.claimed_by is None and row.sent_at for row in rows)


def test_a_claim_takes_no_more_than_its_limit(api_services):
    queue(api_services, 5)
    now = datetime.now(UTC)
    first = claim_batch(api_services.engine, me="host:1:1", now=now, limit=2)
    second = claim_batch(api_services.engine, me="host:2:1", now=now, limit=2)
    assert len(first) == 2 and len(second) == 2 and not {r.id for r in first} & {r.id for r in second}
    assert statuses(api_services) == {"sending": 4, "pending": 1}


def test_a_number_blocked_in_one_batch_gets_nothing_from_the_batch_claimed_meanwhile(api_services, fake_twilio):
    # Batches of two over two threads: the second batch (a reminder to each number) is claimed
    # while the first is still going out, before anyone knows number 0 is opted out at the carrier.
    invitations = queue(api_services, 2)
    reminders = queue(api_services, 2, kind="reminder")
    fake_twilio.failing_numbers = {number(0): 21610}
    report = dispatcher(api_services, batch=2, concurrency=2).flush()
    assert (report.sent, report.failed, report.cancelled) == (2, 1, 1)
    assert sorted(fake_twilio.outbox_ids()) == [invitations[1], reminders[1]]
    with Session(api_services.engine) as session:
        cancelled = session.get(OutboxMessage, reminders[0])
    assert cancelled.status == OutboxStatus.CANCELLED and cancelled.claimed_by is None


def test_a_batch_claimed_ahead_goes_back_untouched_when_the_flush_stops(api_services, fake_twilio):
    ids = queue(api_services, 6)
    batches = []
    dispatch = dispatcher(api_services, batch=2, concurrency=2)
    report = dispatch.flush(on_progress=lambda r: batches.append(r.sent), stop=lambda: bool(batches))
    assert report.sent == 2 and len(fake_twilio.messages) == 2
    with Session(api_services.engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    # The next batch had been claimed while the first went out; stopping gave it straight back.
    assert [row.status for row in rows] == [OutboxStatus.SENT] * 2 + [OutboxStatus.PENDING] * 4
    assert all(row.claimed_by is None and row.attempts == 0 for row in rows[2:])
    # So the next flush sends the rest at once, with nothing left to reconcile.
    report = dispatcher(api_services).flush()
    assert report.sent == 4 and report.reconciled_pending == 0
    assert sorted(fake_twilio.outbox_ids()) == sorted(ids)


def test_a_429_storm_is_survived(api_services, fake_twilio):
    clock = Clock()
    ids = queue(api_services, 40, now=clock.now())
    fake_twilio.fail_next = [429] * 60 + [500, 503, 502]
    dispatch = dispatcher(api_services, clock)
    for _ in range(60):
        dispatch.flush()
        if statuses(api_services).get("sent") == 40:
            break
        clock.advance(minutes=5)
    assert statuses(api_services) == {"sent": 40}
    assert sorted(fake_twilio.outbox_ids()) == sorted(ids)
    assert clock.slept >= 1  # it paused after the 429s rather than hammering on


def test_retry_waits_with_backoff_then_gives_up_after_max_attempts(api_services, fake_twilio):
    clock = Clock()
    queue(api_services, 1, now=clock.now())
    fake_twilio.fail_next = [503] * 20
    dispatch = dispatcher(api_services, clock)
    assert dispatch.flush().retrying == 1
    assert dispatch.flush().retrying == 0  # not due again yet
    for _ in range(10):
        clock.advance(hours=2)
        dispatch.flush()
    assert statuses(api_services) == {"failed": 1}
    assert fake_twilio.messages == []


def test_carrier_opt_out_and_invalid_numbers_stop_that_number(api_services, fake_twilio):
    ids = queue(api_services, 3)
    fake_twilio.failing_numbers = {number(0): 21610, number(1): 21211}
    report = dispatcher(api_services).flush()
    assert (report.sent, report.failed) == (1, 2)
    with Session(api_services.engine) as session:
        blocked = {o.phone_hash: o.keyword for o in session.exec(select(OptOut)).all()}
    assert sorted(blocked.values()) == ["carrier", "invalid"]
    # A later message to either number is cancelled without asking Twilio.
    requests = fake_twilio.requests
    queue(api_services, 2, kind="reminder")
    report = dispatcher(api_services).flush()
    assert report.cancelled == 2 and report.sent == 0 and fake_twilio.requests == requests
    assert len(fake_twilio.outbox_ids()) == 1 and fake_twilio.outbox_ids()[0] == ids[2]


def test_a_live_dispatchers_rows_are_left_alone(api_services, fake_twilio):
    ids = queue(api_services, 2)
    with Session(api_services.engine) as session:
        row = session.get(OutboxMessage, ids[0])
        row.status, row.claimed_by, row.claimed_at = OutboxStatus.SENDING, "elsewhere:1:1", Clock().now()
        session.add(row)
        session.commit()
    clock = Clock()
    report = dispatcher(api_services, clock).flush()
    assert report.sent == 1 and report.waiting_on_others == 1
    assert fake_twilio.outbox_ids() == [ids[1]]


@pytest.mark.parametrize("reached_twilio", [True, False])
def test_an_expired_claim_is_reconciled_with_twilio_before_any_resend(api_services, fake_twilio, reached_twilio):
    clock = Clock()
    ids = queue(api_services, 1, now=clock.now())
    if reached_twilio:
        # The dead dispatcher's send got through, but it died before recording it.
        dispatcher(api_services, clock).flush()
        assert len(fake_twilio.messages) == 1
    with Session(api_services.engine) as session:
        row = session.get(OutboxMessage, ids[0])
        row.status, row.claimed_by, row.claimed_at = OutboxStatus.SENDING, "elsewhere:1:1", clock.now()
        row.provider_sid = None
        session.add(row)
        session.commit()
    clock.advance(minutes=5)  # past the lease
    report = dispatcher(api_services, clock).flush()
    assert fake_twilio.list_requests == 1
    assert (report.reconciled_sent, report.reconciled_pending) == ((1, 0) if reached_twilio else (0, 1))
    assert fake_twilio.outbox_ids() == ids  # exactly once either way
    assert statuses(api_services) == {"sent": 1}


def test_a_dead_local_dispatchers_claim_is_reconciled_at_once(api_services, fake_twilio):
    import socket
    import subprocess

    child = subprocess.Popen(["true"])
    child.wait()
    clock = Clock()
    ids = queue(api_services, 1, now=clock.now())
    with Session(api_services.engine) as session:
        row = session.get(OutboxMessage, ids[0])
        row.status, row.claimed_by, row.claimed_at = (
            OutboxStatus.SENDING,
            f"{socket.gethostname()}:{child.pid}:1",
            clock.now(),
        )
        session.add(row)
        session.commit()
    report = dispatcher(api_services, clock).flush()
    assert report.reconciled_pending == 1 and report.sent == 1
    assert fake_twilio.outbox_ids() == ids


def test_a_timed_out_send_is_looked_up_not_repeated(api_services, fake_twilio):
    clock = Clock()
    ids = queue(api_services, 1, now=clock.now())
    fake_twilio.accept_then_hang, fake_twilio.hang_seconds = 1, 3
    dispatch = dispatcher(api_services, clock, timeout=0.5)
    assert dispatch.flush().retrying == 1
    clock.advance(hours=1)
    report = dispatch.flush()
    assert report.reconciled_sent == 1 and report.sent == 0
    assert fake_twilio.outbox_ids() == ids
    assert statuses(api_services) == {"sent": 1}


def test_rate_is_respected(api_services, fake_twilio):
    clock = Clock()
    queue(api_services, 20, now=clock.now())
    dispatch = dispatcher(api_services, clock, rate_per_second=5)
    dispatch.limiter = type(dispatch.limiter)(5, clock=lambda: clock.current.timestamp(), sleep=clock.sleep)
    start = clock.now()
    assert dispatch.flush().sent == 20
    assert clock.now() - start >= timedelta(seconds=19 / 5 - 0.01)


def test_dispatchers_side_by_side_share_the_work_without_duplicates(api_services, fake_twilio):
    import threading

    ids = queue(api_services, 600)
    reports = []

    def work():
        # A long timeout: this is about sharing the work, and on a loaded machine (load 14, a year-ahead run) the fake
        # API took over the default 2 s for 7 of 600 texts, which then waited for a retry and the count fell short.
        reports.append(dispatcher(api_services, batch=50, timeout=30).flush())

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)  # a bound for a hang, not a speed target: a loaded machine takes its time
    assert not any(thread.is_alive() for thread in threads), "a dispatcher did not finish its flush"
    assert sum(r.sent for r in reports) == 600
    assert sorted(fake_twilio.outbox_ids()) == sorted(ids)
    if api_services.engine.dialect.name == "postgresql":
        assert all(r.sent for r in reports)  # SKIP LOCKED lets each claim its own batches


def test_a_misconfigured_account_keeps_messages_waiting_instead_of_failing_them(api_services, fake_twilio):
    """A 401 (wrong token) or any 4xx Twilio does not list as final is ours to fix: the message waits."""
    clock = Clock()
    queue(api_services, 1, now=clock.now())
    fake_twilio.fail_next = [401]
    dispatch = dispatcher(api_services, clock)
    assert dispatch.flush().retrying == 1
    clock.advance(hours=2)
    dispatch.flush()
    assert statuses(api_services) == {"sent": 1}


def test_a_batch_this_dispatcher_abandoned_is_settled_once_its_lease_runs_out(api_services, fake_twilio):
    """Rows left "sending" under our own id (an error mid-batch) are reconciled, not stuck for good."""
    from sqlalchemy import update

    clock = Clock()
    ids = queue(api_services, 2, now=clock.now())
    dispatch = dispatcher(api_services, clock)
    with Session(api_services.engine) as session:
        session.exec(
            update(OutboxMessage).values(
                status=OutboxStatus.SENDING, claimed_by=dispatch.me, claimed_at=clock.now(), attempts=1
            )
        )
        session.commit()
    assert dispatch.flush().sent == 0  # still within the lease: left alone
    clock.advance(hours=1)
    dispatch.flush()
    assert statuses(api_services) == {"sent": 2}
    assert sorted(fake_twilio.outbox_ids()) == sorted(ids)


def test_flush_with_another_phone_key_names_the_keys_and_leaves_nothing_sending(api_services, fake_twilio, tmp_path):
    """Numbers stored under another key: a clean message, no traceback, nothing sent and nothing stuck."""
    from click.testing import CliRunner
    from cryptography.fernet import Fernet

    from voice_service.cli import main

    clock = Clock()
    ids = queue(api_services, 3, now=clock.now())
    with Session(api_services.engine) as session:
        stuck = session.get(OutboxMessage, ids[0])  # left "sending" by the run that crashed before the fix
        stuck.status, stuck.claimed_by, stuck.claimed_at = OutboxStatus.SENDING, "elsewhere:1:1", clock.now()
        session.add(stuck)
        session.commit()
    other = api_services.config.with_overrides(privacy={"phone_key": Fernet.generate_key().decode()})
    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in other.as_dict().items()
        for k, v in values.items()
    }
    env["VOICE_SCHEDULE_CLAIM_LEASE_SECONDS"] = "10"
    env["VOICE_SCHEDULE_RECONCILE_SETTLE_SECONDS"] = "0"
    with Session(api_services.engine) as session:  # past the stale row's lease, on the real clock the CLI uses
        stuck = session.get(OutboxMessage, ids[0])
        stuck.claimed_at = clock.now() - timedelta(minutes=5)
        session.add(stuck)
        session.commit()
    result = CliRunner(env=env).invoke(main, ["outbox", "flush", "--quiet"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output  # a clean error
    assert "privacy.phone_key" in result.output and "privacy.old_phone_keys" in result.output
    assert fake_twilio.messages == [] and statuses(api_services) == {"pending": 3}
    with Session(api_services.engine) as session:
        rows = {row.id: row for row in session.exec(select(OutboxMessage)).all()}
    assert all(row.attempts == 0 and row.claimed_by is None for row in rows.values())
    assert rows[ids[0]].error_code == "unconfirmed"  # looked up at Twilio before it is ever sent
    # With the right key (the old one kept as an old key) everything goes, once.
    fixed = other.with_overrides(privacy={"old_phone_keys": [api_services.config.privacy.phone_key]})
    clock.advance(minutes=2)
    report = dispatcher(api_services, clock, config=fixed).flush()
    assert report.sent + report.reconciled_sent == 3 and report.unreadable == 0
    assert sorted(fake_twilio.outbox_ids()) == sorted(ids)


def test_a_numbers_texts_go_down_one_lane_in_order_and_lanes_stay_even():
    from voice_service.outbox.dispatch import split_into_lanes
    from voice_service.outbox.lease import COLUMN_NAMES, ClaimedRow

    def row(row_id: int, to_hash: str | None) -> ClaimedRow:
        values = dict.fromkeys(COLUMN_NAMES)
        values.update(id=row_id, to_hash=to_hash)
        return ClaimedRow(**values)

    numbers = ["a", "b", "a", "c", "d", "a", "e", "b", None, None, "f", "g"]
    rows = [row(index, to_hash) for index, to_hash in enumerate(numbers)]
    lanes = split_into_lanes(rows, 4)
    for to_hash in "abcdefg":
        holding = [lane for lane in lanes if any(r.to_hash == to_hash for r in lane)]
        assert len(holding) == 1
        ids = [r.id for r in holding[0] if r.to_hash == to_hash]
        assert ids == sorted(ids)
    assert sorted(r.id for lane in lanes for r in lane) == list(range(len(rows)))
    assert all(lane == sorted(lane, key=lambda r: r.id) for lane in lanes)  # claim order kept in each lane
    assert max(map(len, lanes)) - min(map(len, lanes)) <= 1
    # Different numbers are dealt out in turn, as before.
    distinct = [row(index, f"n{index}") for index in range(8)]
    assert [[r.id for r in lane] for lane in split_into_lanes(distinct, 4)] == [[0, 4], [1, 5], [2, 6], [3, 7]]


def test_texts_to_one_number_arrive_in_the_order_they_were_queued(api_services, fake_twilio):
    from tests.factories import phone_number
    from voice_service.db import session_scope
    from voice_service.outbox import enqueue

    with session_scope(api_services.engine) as session:
        for index in range(40):
            enqueue(
                session=session,
                vault=api_services.vault,
                key=f"order:{index}",
                kind="invitation",
                to=phone_number(index % 3),
                body=f"Text {index}",
            )
    assert dispatcher(api_services, concurrency=4).flush().sent == 40
    for lane in range(3):
        bodies = [m["body"] for m in fake_twilio.to(phone_number(lane))]
        assert bodies == [f"Text {index}" for index in range(lane, 40, 3)]


def test_a_batch_of_sends_is_written_in_one_go_keeping_what_status_callbacks_said(api_services):
    from sqlalchemy import update

    from voice_service.outbox.lease import OUTBOX
    from voice_service.outbox.outcomes import Outcomes, write

    ids = queue(api_services, 4)
    now = datetime.now(UTC)
    with api_services.engine.begin() as connection:
        connection.execute(update(OUTBOX).values(status=OutboxStatus.SENDING, claimed_by="me", claimed_at=now))
        # A delivery report came in before the batch was written; another dispatcher holds the last row.
        connection.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id == ids[1])
            .values(status=OutboxStatus.DELIVERED, provider_sid="SMcallback", sent_at=now - timedelta(seconds=5))
        )
        connection.execute(update(OUTBOX).where(OUTBOX.c.id == ids[3]).values(claimed_by="someone else"))
    outcomes = Outcomes()
    for index, row_id in enumerate(ids):
        outcomes.mark_sent(row_id, sid=f"SM{index}", when=now + timedelta(seconds=index), attempts=index + 1)
    write(api_services.engine, outcomes, me="me", now=now)
    with Session(api_services.engine) as session:
        rows = {row.id: row for row in session.exec(select(OutboxMessage))}
    first, reported, third, others = (rows[row_id] for row_id in ids)
    assert (first.status, first.provider_sid, first.attempts, first.claimed_by) == (OutboxStatus.SENT, "SM0", 1, None)
    assert first.sent_at == now and third.sent_at == now + timedelta(seconds=2) and third.provider_sid == "SM2"
    assert (reported.status, reported.provider_sid) == (OutboxStatus.DELIVERED, "SMcallback")
    assert reported.sent_at == now - timedelta(seconds=5) and reported.attempts == 2
    assert (others.status, others.provider_sid, others.claimed_by) == (OutboxStatus.SENDING, None, "someone else")
    with pytest.raises(Exception, match="naive"):
        naive = Outcomes()
        naive.mark_sent(ids[0], sid="SMx", when=now.replace(tzinfo=None), attempts=1)
        write(api_services.engine, naive, me="me", now=now)
