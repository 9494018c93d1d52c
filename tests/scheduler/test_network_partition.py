"""A network partition between the scheduler and PostgreSQL: the scheduler's side of its lock's session breaks,
but the server does not know yet, so the old session lives on and still holds the lock.

The scheduler then found the lock held and stopped, as if another scheduler had taken it ("another scheduler
took the lock while the database was away"), with exit status 0, so nothing sent duty notices until someone
restarted it (the server ends such a session only when its TCP keepalive notices, two hours by default). The
holder was its own old session: it ends that session and takes the lock again.

The partition is a relay between the service and PostgreSQL that shuts the service's side of every link and
leaves the database's side open and silent, as a partition leaves it.
"""

from __future__ import annotations

import os
import socket
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import make_config
from tests.scheduler.running import DUTY, scheduler_running
from voice_service.context import Services
from voice_service.db import normalise_url
from voice_service.scheduler import AlreadyRunning, run_scheduler


class Relay:
    """A TCP relay to the database whose links can be cut on the service's side only (`partition`)."""

    def __init__(self, host: str, port: int):
        self._target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._links: list[tuple[socket.socket, socket.socket]] = []
        self._far: list[socket.socket] = []  # the database's side of cut links: kept open, silent
        self._guard = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                near, _ = self._listener.accept()
            except OSError:
                return
            far = socket.create_connection(self._target)
            with self._guard:
                self._links.append((near, far))
            threading.Thread(target=self._pump, args=(near, far), daemon=True).start()
            threading.Thread(target=self._pump, args=(far, near), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # either side cut: a partition closes nothing on the other

    def partition(self) -> None:
        """Cut every link on the service's side; the database's side stays open and hears nothing more."""
        with self._guard:
            links, self._links = self._links, []
        for near, far in links:
            self._far.append(far)
            near.shutdown(socket.SHUT_RDWR)
            near.close()

    def close(self) -> None:
        """Close everything (the database then ends the sessions left behind)."""
        self._listener.close()
        with self._guard:
            links, self._links = self._links, []
        for sock in [s for link in links for s in link] + self._far:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_scheduler_takes_its_lock_back_from_its_own_session_left_behind_by_a_partition(database_url):
    direct = make_url(normalise_url(database_url))
    relay = Relay(direct.host or "127.0.0.1", direct.port or 5432)
    relayed = direct.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    services = Services.from_config(make_config(relayed, schedule={"poll_seconds": 0.05}, safeguarding=DUTY))
    try:
        with scheduler_running(services, database_url) as running:
            first = running.holder()
            assert first is not None
            relay.partition()
            again = running.new_holder(first)  # a new session holds it within a few passes
            assert running.thread.is_alive(), "the scheduler stopped, taking its own old session for another scheduler"
            assert again is not None and again != first, "the scheduler did not take its lock again"
            with pytest.raises(AlreadyRunning):  # held for real: a second scheduler is still refused
                run_scheduler(Services.from_config(services.config), stop=threading.Event(), dispatch=False)
    finally:
        relay.close()
        services.engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_lock_held_by_another_schedulers_session_still_stops_this_one(database_url):
    """Only the scheduler's own old session is ended: another's lock is left alone, and this one stops."""
    from voice_service.scheduler.lock import SchedulerLock

    services = Services.from_config(make_config(database_url))
    other = Services.from_config(make_config(database_url))
    try:
        mine = SchedulerLock(services.engine).acquire()
        # This one's session ends (as a restart ends it), and another scheduler takes the lock meanwhile.
        with create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT").connect() as admin:
            pid = mine._connection.execute(text("SELECT pg_backend_pid()")).scalar()
            mine._connection.commit()
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        theirs = None
        for _ in range(600):  # the ended session lets the lock go within moments
            try:
                theirs = SchedulerLock(other.engine).acquire()
                break
            except AlreadyRunning:
                threading.Event().wait(0.05)
        assert theirs is not None
        assert not mine.healthy()
        with pytest.raises(AlreadyRunning):
            mine.reacquire()
        assert theirs.healthy()
        theirs.release()
        mine.release()
    finally:
        services.engine.dispose()
        other.engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_connection_gives_up_on_a_server_that_stopped_answering(database_url):
    """A partition that drops packets (a host gone in a failover) left the lock check's SELECT 1 waiting about
    15 minutes, the kernel's retransmissions, with nothing dispatched meanwhile and SIGTERM unheard: the
    socket now gives up after 30 s unacknowledged, and an idle one is probed."""
    services = Services.from_config(make_config(database_url))
    try:
        with services.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            sock = socket.socket(fileno=os.dup(raw.fileno()))
            try:
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 30_000
                assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 30
            finally:
                sock.close()  # a duplicate descriptor: the connection's own stays open
    finally:
        services.engine.dispose()
