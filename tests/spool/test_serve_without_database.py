"""`voice-service serve` started while the database cannot be reached: it listens, spools, and recovers.

A server restarted during an outage (a deploy, a crash, a host reboot during a failover) used to
refuse to start, so every text sent until the database came back met a closed port and was lost.
Here the real server starts with its database unreachable (SQLite: a folder where its file
should be; PostgreSQL: a closed loopback port, where the test later starts a TCP proxy to the test
database), takes a signed text into the spool with the holding reply, answers /healthz 503; then the
database comes back, the server answers normally by itself, and the replay stores the text once.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy.engine import make_url

from tests.support.messages import stored
from tests.support.ports import free_port
from tests.support.serving import healthz, production_settings, serving, sms_request
from voice_service.config import load
from voice_service.context import Services
from voice_service.spool.guard import HOLDING_REPLY
from voice_service.spool.replay import replay

AUTH_TOKEN = "outage-test-token-0123456789abcdef"  # as long as a real one (serve refuses less)
pytestmark = pytest.mark.slow


class Proxy:
    """A TCP forwarder on a loopback port to the test's PostgreSQL, started when the "database" comes back."""

    def __init__(self, port: int, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", port))
        self.stopped = threading.Event()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=10)
            upstream.settimeout(None)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()
        for end in self.sockets:
            end.close()


@pytest.fixture
def unreachable(database_url, tmp_path):
    """(the URL serve is given, while nothing answers there; a function that brings the database back there)."""
    if database_url.startswith("sqlite"):
        real = Path(make_url(database_url).database or "")
        # A folder where the file should be: SQLite cannot open it (serve would make a missing file, and then
        # refuse it as not set up, rightly). The database "comes back" when the file is put there.
        missing = tmp_path / "elsewhere" / "voice.db"
        missing.mkdir(parents=True)

        def back() -> None:
            missing.rmdir()
            shutil.copy(real, missing)

        yield f"sqlite:///{missing}", back
        return
    url = make_url(database_url)
    port = free_port()  # closed: connection refused
    proxies: list[Proxy] = []

    def back() -> None:
        proxies.append(Proxy(port, (url.host or "127.0.0.1", url.port or 5432)))

    yield url.set(host="127.0.0.1", port=port).render_as_string(hide_password=False), back
    for proxy in proxies:
        proxy.close()


def _settings(tmp_path: Path, database_url: str) -> dict[str, str]:
    """A production-shaped configuration, all in the environment (no file)."""
    return production_settings(database_url, tmp_path / "spool", AUTH_TOKEN, VOICE_SPOOL_DEADLINE_SECONDS="1.5")


def _text(port: int, body: str) -> tuple[str, list[str]]:
    sid = f"SM{uuid.uuid4().hex}"
    form = {"MessageSid": sid, "From": "+447700900123", "To": "+447700900000", "Body": body}
    with urllib.request.urlopen(sms_request(port, AUTH_TOKEN, form), timeout=14) as response:
        assert response.status == 200
        return sid, [m.text or "" for m in ElementTree.fromstring(response.read()).iter("Message")]


def test_serve_starts_without_the_database_spools_and_recovers(tmp_path, unreachable):
    url, back = unreachable
    env = _settings(tmp_path, url)
    # Started once /healthz answers at all: with the database unreachable, that is a 503.
    answers = lambda status: status != 0  # noqa: E731
    with serving(tmp_path, env, "--workers", "1", "--threads", "2", ready=answers, health_timeout=5) as server:
        port = server.port
        log = server.log.read_text()
        assert "cannot reach the database" in log
        assert "VOICE_DATABASE_URL environment variable" in log  # where the URL came from
        status, health = healthz(port)
        assert (status, health["database"]) == (503, "unreachable")

        held, replies = _text(port, "the food at my placement is nice")
        assert replies == [HOLDING_REPLY]
        assert healthz(port)[1]["spool"]["pending"] == 1

        back()
        for _ in range(50):  # the worker connects by itself once the database is back
            if healthz(port)[0] == 200:
                break
            time.sleep(0.2)
        assert healthz(port)[0] == 200
        answered, replies = _text(port, "and my sw is nice too")
        assert replies and HOLDING_REPLY not in replies

        services = Services.from_config(load(None, environ=env))  # the server's own settings
        try:
            assert replay(services).stored == 1
            assert (stored(services, held), stored(services, answered)) == (1, 1)
            assert replay(services).stored == 0  # nothing twice
        finally:
            services.engine.dispose()


def test_other_commands_still_refuse_and_name_where_the_url_came_from(tmp_path, unreachable):
    url, _ = unreachable
    env = _settings(tmp_path, url)
    for command in (["spool", "replay"], ["db", "upgrade"]):
        result = subprocess.run(
            [sys.executable, "-m", "voice_service", *command], env=env, cwd=tmp_path, capture_output=True, text=True
        )
        assert result.returncode == 1, result.stderr
        assert "cannot reach the database" in result.stderr
        assert "check the VOICE_DATABASE_URL environment variable" in result.stderr


def test_serve_still_refuses_a_database_it_reaches_that_is_not_set_up(tmp_path):
    env = _settings(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}")  # made empty on connecting: no tables
    result = subprocess.run(
        [sys.executable, "-m", "voice_service", "serve", "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    said = " ".join(result.stderr.split())
    named = f"the SQLite file {tmp_path / 'empty.db'}"
    assert f"the database is not set up yet ({named}): run `voice-service db upgrade` first" in said
