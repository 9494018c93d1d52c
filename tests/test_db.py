"""The database layer's deadline mode: SQLite writers take turns, PostgreSQL timeouts and one watchdog."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session

from voice_service.db import deadline, make_engine, will_write


def _write(engine, body: str) -> None:
    with Session(engine) as session:
        session.connection().execute(
            text(
                "INSERT INTO message (direction, channel, body, created_at, wants_person) "
                "VALUES ('in', 'sms', :b, :t, false)"
            ),
            {"b": body, "t": "2026-01-01 00:00:00+00:00"},
        )
        session.commit()


def test_work_that_will_write_takes_the_sqlite_lock_at_its_first_statement(tmp_path, sqlite_template):
    import shutil
    import sqlite3

    path = tmp_path / "voice.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with deadline(2), Session(engine) as session:
            will_write()
            session.connection().execute(text("SELECT count(*) FROM message")).scalar_one()
            # Only a read so far, yet no other connection may write: the lock was taken up front, so the
            # read cannot go stale before this transaction writes.
            other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()
            session.rollback()
    finally:
        engine.dispose()


def test_sqlite_deadline_work_sets_the_busy_timeout_only_when_its_step_changes(tmp_path, sqlite_template):
    import shutil

    from sqlalchemy import event

    path = tmp_path / "voice.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    sent: list[str] = []
    event.listen(engine, "connect", lambda raw, _record: raw.set_trace_callback(sent.append))
    try:
        with engine.connect() as connection:  # opened (and its pragmas set) before the budgets start
            connection.execute(text("SELECT 1"))
        sent.clear()
        for spent in (0.0, 0.012, 0.024):  # each begins 12 ms further into its budget than the one before
            with deadline(3) as budget:
                budget.expires = time.monotonic() + 2.95 - spent
                will_write()
                with Session(engine) as session:
                    session.connection().execute(text("SELECT 1"))
                    session.commit()
        # 2.95 s less what each had spent, rounded down to 100 ms: 2.9 s for every one of them, so set once.
        assert [s for s in sent if "busy_timeout" in s] == ["PRAGMA busy_timeout=2900"]
    finally:
        engine.dispose()


def test_a_transaction_that_fails_gives_back_the_turn(database_url):
    engine = make_engine(database_url)
    try:
        with deadline(2), Session(engine) as session:
            will_write()
            with pytest.raises((ProgrammingError, OperationalError)):
                session.connection().execute(text("SELECT * FROM no_such_table"))
        done = []

        def writer() -> None:
            with deadline(2):
                will_write()
                _write(engine, "after a failure")
                done.append(True)

        thread = threading.Thread(target=writer)
        thread.start()
        thread.join(timeout=10)
        assert done == [True], "the next writer never got its turn"
    finally:
        engine.dispose()


def test_writers_in_one_process_take_turns_and_all_commit(database_url):
    engine = make_engine(database_url)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with deadline(5):
                    will_write()
                    _write(engine, f"{n}-{i}")
        except BaseException as error:  # collected: a thread's failure must fail the test
            errors.append(error)

    try:
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors[:2]
        with Session(engine) as session:
            assert session.connection().execute(text("SELECT count(*) FROM message")).scalar_one() == 60
    finally:
        engine.dispose()


def _timeouts(engine) -> tuple[str, str]:
    with Session(engine) as session:
        connection = session.connection()
        return (
            connection.execute(text("SHOW statement_timeout")).scalar_one(),
            connection.execute(text("SHOW lock_timeout")).scalar_one(),
        )


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # PostgreSQL's own timeouts
def test_postgres_timeouts_hold_under_a_deadline_and_go_after_it(database_url):
    engine = make_engine(database_url)
    try:
        before = _timeouts(engine)
        for _ in range(3):  # set once for the pooled connection, and still there on the next transactions
            with deadline(2.5):
                assert _timeouts(engine) == ("2500ms", "2500ms")
        assert _timeouts(engine) == before  # ordinary work on the same connection gets the defaults back
        with deadline(2.5), Session(engine) as session:
            session.connection().execute(text("SELECT 1"))
            session.rollback()  # the transaction that set them was undone: set again next time
        with deadline(2.5):
            assert _timeouts(engine) == ("2500ms", "2500ms")
    finally:
        engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # PostgreSQL's own timeouts
def test_postgres_timeouts_set_outside_a_transaction_survive_its_rollback(database_url):
    from sqlalchemy import event

    from voice_service.db import begin_when_needed

    engine = make_engine(database_url)
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, statement, *_: sent.append(statement))
    try:
        for _ in range(3):  # work begun late (the inbound path) that ends in a rollback (a duplicate text)
            with deadline(2.5), Session(engine) as session:
                begin_when_needed()
                session.connection().execute(text("SELECT 1"))
                session.rollback()
        # Set once, in autocommit, so the rollbacks did not undo them and nothing sent them again.
        assert sum("set_config" in statement for statement in sent) == 1
        with deadline(2.5):
            assert _timeouts(engine) == ("2500ms", "2500ms")
    finally:
        engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # the watchdog watches PostgreSQL sockets
def test_deadlines_share_one_watchdog_thread(database_url):
    engine = make_engine(database_url)
    try:
        with deadline(5), Session(engine) as session:
            session.connection().execute(text("SELECT 1"))
        threads = threading.active_count()
        started = time.monotonic()
        for _ in range(30):
            with deadline(5), Session(engine) as session:
                session.connection().execute(text("SELECT 1"))
        assert threading.active_count() <= threads, "a thread per deadline"
        assert time.monotonic() - started < 5  # nothing waited for a deadline to expire
    finally:
        engine.dispose()


def test_the_watchdog_does_not_wake_for_each_deadline_that_ended_in_time():
    from voice_service.db import Deadline, _Watchdog

    watchdog = _Watchdog()
    # Thirty texts' deadlines, each ended in time, expiring 10 ms apart: passed over together, not woken for
    # one by one (a wake of the watchdog's thread for every text).
    for n in range(30):
        budget = Deadline(0.01 * (n + 1))
        budget.close()
        watchdog.add(budget)
    for _ in range(500):  # until the watchdog has emptied its queue
        with watchdog._wake:
            if not watchdog._queue:
                break
        time.sleep(0.01)
    assert not watchdog._queue
    # Woken for each, it woke 30 times; passing them over, 1 or 2. A year ahead under libfaketime (as
    # `faketime -f '+365d' make test` runs), whose timed waits can end early, 3 to 7.
    assert watchdog.wakes < 15


def test_the_watchdog_still_cuts_a_deadline_queued_behind_ones_that_ended():
    from voice_service.db import Deadline, _Watchdog

    class Connection:
        interrupted = False

        def interrupt(self):
            self.interrupted = True

    watchdog = _Watchdog()
    ended = Deadline(0.01)
    ended.close()
    watchdog.add(ended)
    late = Deadline(0.05)
    connection = Connection()
    late._connections[id(connection)] = (connection, {}, None)  # a SQLite connection in use (no socket)
    late._watched = True
    watchdog.add(late)
    for _ in range(500):
        if connection.interrupted:
            break
        time.sleep(0.01)
    assert connection.interrupted and late.expired


def test_sqlite_deadline_writers_hold_the_workers_shared_lock_file_until_they_end(tmp_path, sqlite_template):
    import fcntl
    import os
    import shutil

    from voice_service.db import writers_lock_path

    path = tmp_path / "voice.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")

    def free() -> bool:
        # Another open file description stands for another worker process.
        fd = os.open(writers_lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)  # closing lets go of a lock taken here
        return True

    try:
        for end in ("commit", "rollback"):
            with deadline(2), Session(engine) as session:
                will_write()
                session.connection().execute(text("SELECT count(*) FROM message")).scalar_one()
                assert not free(), "a second worker could write at the same time"
                getattr(session, end)()
                assert free(), f"the lock file was kept after the {end}"
        # Ordinary work (no deadline) leaves the lock file alone: the web workers' turns are theirs.
        _write(engine, "ordinary")
        assert free()
    finally:
        engine.dispose()


def test_a_worker_waits_for_the_shared_lock_file_and_then_writes(tmp_path, sqlite_template):
    import fcntl
    import os
    import shutil

    from voice_service.db import writers_lock_path

    path = tmp_path / "voice.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    holder = os.open(writers_lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another worker is writing
    done = threading.Event()

    def writer() -> None:
        with deadline(5):
            will_write()
            _write(engine, "after the other worker")
        done.set()

    thread = threading.Thread(target=writer)
    try:
        thread.start()
        assert not done.wait(0.3), "wrote while another worker held the lock file"
        os.close(holder)  # that worker commits (or dies)
        assert done.wait(10)
    finally:
        thread.join(timeout=10)
        engine.dispose()


def test_sqlite_checkpoints_run_in_a_thread_of_their_own_not_inside_a_writers_commit(tmp_path, monkeypatch):
    from voice_service import db

    monkeypatch.setattr(db, "CHECKPOINT_EVERY_COMMITS", 4)
    path = tmp_path / "voice.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            # SQLite would otherwise checkpoint inside the COMMIT, fsyncs and all, while that writer holds
            # the turn every other message is waiting for.
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
            connection.exec_driver_sql("CREATE TABLE blob (data BLOB)")
            connection.commit()
        checkpointer = db._checkpointers[str(path.resolve())]
        for _ in range(8):
            with deadline(2), Session(engine) as session:
                will_write()
                session.connection().exec_driver_sql("INSERT INTO blob VALUES (zeroblob(65536))")
                session.commit()
        # A checkpoint copies the rows from the log into the database file itself. The first may have run
        # after the third row (the table's own commit counts too) and before the rest: waited for until one
        # has copied more than four, which the checkpoint woken by the eighth commit does.
        for _ in range(100):
            if checkpointer.runs >= 1 and path.stat().st_size > 4 * 65536:
                break
            time.sleep(0.05)
        assert checkpointer.runs >= 1
        assert path.stat().st_size > 4 * 65536
    finally:
        engine.dispose()


def test_a_server_worker_s_threads_keep_their_pooled_connections(database_url):
    """A web worker answers with `serve --threads` threads (8 here, as an operator may set): each keeps a pooled
    connection, never closed and opened again between texts (SQLAlchemy's default pool kept 5 and closed the rest
    as they came back, so on PostgreSQL a busy worker forked new server processes, and lost their prepared
    statements, all the time)."""
    from sqlalchemy import event

    threads = 8
    engine = make_engine(database_url)
    opened = []
    event.listen(engine, "connect", lambda *args: opened.append(1))
    barrier = threading.Barrier(threads)
    failed: list[BaseException] = []

    def busy() -> None:
        try:
            for _ in range(3):  # all the threads at once, three times over
                connection = engine.raw_connection()  # checked out of the pool (no transaction: SQLite's would lock)
                try:
                    barrier.wait(timeout=30)
                finally:
                    connection.close()  # back to the pool
                barrier.wait(timeout=30)
        except BaseException as error:
            failed.append(error)

    try:
        workers = [threading.Thread(target=busy) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert failed == []
        assert len(opened) == threads
    finally:
        engine.dispose()
