"""PostgreSQL killed and frozen under a steady stream of signed texts to the real server: nothing is lost.

The test starts its own PostgreSQL cluster (its own data directory and port, from
/usr/lib/postgresql/*/bin; never the shared server), serves the app with `voice-service
serve`, sends signed texts from four threads, kills the cluster (immediate shutdown, then
crash recovery) and freezes it (SIGSTOP on every process), then runs `voice-service spool
replay`. Every text must have had a 2xx answer and be stored exactly once; after the
database is back, texts are answered normally again (the pool recovered by itself).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import skip_or_fail
from tests.support.ports import free_port
from tests.support.serving import production_settings, serving, sms_request
from voice_service.db import upgrade
from voice_service.spool.guard import HOLDING_REPLY

AUTH_TOKEN = "outage-test-token-0123456789abcdef"  # as long as a real one (serve refuses less)
pytestmark = pytest.mark.slow


class Cluster:
    """A throwaway PostgreSQL cluster: initdb, start, kill, freeze, thaw."""

    def __init__(self, root: Path):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            skip_or_fail("PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
        self.bin = Path(found[-1]).parent
        self.data = root / "pgdata"
        self.sockets = root / "pgsock"
        self.log = root / "pg.log"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        root.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir()
        if self.as_postgres:
            shutil.chown(root, "postgres")
            shutil.chown(self.sockets, "postgres")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def kill(self) -> None:
        """An immediate shutdown: every backend gone at once, crash recovery on the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)

    def _pids(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        return [postmaster, *map(int, children)]

    def freeze(self) -> list[int]:
        """SIGSTOP the postmaster and every backend: connections stay open and nothing answers."""
        pids = self._pids()
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    @staticmethod
    def thaw(pids: list[int]) -> None:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/voice"


class Sender:
    """Signed texts from several phones, each with a new MessageSid; records every answer."""

    def __init__(self, port: int):
        self.port = port
        self.results: list[tuple[str, int, list[str]]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def send(self, phone: str, body: str) -> tuple[str, int, list[str]]:
        sid = f"SM{uuid.uuid4().hex}"
        form = {"MessageSid": sid, "From": phone, "To": "+447700900000", "Body": body}
        try:
            # Twilio gives up on a webhook after 15 s.
            with urllib.request.urlopen(sms_request(self.port, AUTH_TOKEN, form), timeout=14) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, b""
        except OSError:
            status, payload = 0, b""
        replies = []
        if status == 200:
            replies = [m.text or "" for m in ElementTree.fromstring(payload).iter("Message")]
        result = (sid, status, replies)
        with self.lock:
            self.results.append(result)
        return result

    def loop(self, index: int) -> None:
        bodies = ["more trips out pls", "my sw changed again", "i dont see the point anymore", "camhs is ages"]
        count = 0
        while not self.stop.is_set():
            count += 1
            self.send(f"+44770090{index:04d}", f"{bodies[count % len(bodies)]} {count}")
            self.stop.wait(0.4)


@pytest.fixture
def cluster():
    # Not under pytest's tmp folder: that is private to root, and the cluster runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="voice-outage-pg-"))
    cluster = Cluster(root)
    cluster.init()
    cluster.start()
    admin = create_engine(
        cluster.url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/postgres",
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE voice"))
    admin.dispose()
    upgrade(cluster.url)
    yield cluster
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


def _stored_counts(url: str) -> dict[str, int]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT provider_sid, count(*) FROM message WHERE direction = 'in' GROUP BY provider_sid")
        ).all()
    engine.dispose()
    return {sid: count for sid, count in rows}


def test_killed_and_frozen_postgres_loses_nothing(tmp_path, cluster):
    env = production_settings(cluster.url, tmp_path / "spool", AUTH_TOKEN, VOICE_SPOOL_DEADLINE_SECONDS="1.5")
    with serving(tmp_path, env, "--workers", "2") as server:
        sender = Sender(server.port)
        threads = [threading.Thread(target=sender.loop, args=(n,), daemon=True) for n in range(4)]
        try:
            for thread in threads:
                thread.start()
            time.sleep(2)
            cluster.kill()  # down for a few seconds, then crash recovery
            time.sleep(4)
            cluster.start()
            time.sleep(3)
            pids = cluster.freeze()  # longer than the deadline: the watchdog must cut the hung connections
            time.sleep(5)
            cluster.thaw(pids)
            time.sleep(3)
        finally:
            sender.stop.set()
            for thread in threads:
                thread.join(timeout=30)

        # After the database is back the pool recovers by itself: answered normally, nothing held.
        after = [sender.send("+447700900099", f"all good now {n}") for n in range(5)]
        assert all(status == 200 for _, status, _ in sender.results), sorted(
            {status for _, status, _ in sender.results}
        )
        held = [sid for sid, _, replies in sender.results if HOLDING_REPLY in replies]
        assert held, "nothing was spooled: the outage did not happen?"
        assert not any(HOLDING_REPLY in replies for _, _, replies in after)

        replay = subprocess.run(
            [sys.executable, "-m", "voice_service", "spool", "replay"],
            env=env,  # the same settings as the server
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert replay.returncode == 0, replay.stdout + replay.stderr
        counts = _stored_counts(cluster.url)
        sent = [sid for sid, _, _ in sender.results]
        assert {sid: counts.get(sid, 0) for sid in sent} == {sid: 1 for sid in sent}
