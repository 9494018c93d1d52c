"""Clients trickling a byte a second cannot starve the real server's workers (gthread): texts still get answers."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import urllib.request
import uuid

import pytest

from tests.support.serving import production_settings, serving, sms_request

AUTH_TOKEN = "slow-client-token-0123456789abcdefg"  # as long as a real one (serve refuses less)
pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path, sqlite_template):
    shutil.copy(sqlite_template, tmp_path / "voice.db")
    env = production_settings(f"sqlite:///{tmp_path / 'voice.db'}", tmp_path / "spool", AUTH_TOKEN)
    with serving(tmp_path, env, "--workers", "2", attempts=600, interval=0.1) as started:
        yield started.port


def test_trickling_connections_do_not_starve_the_workers(server):
    port = server
    stop = threading.Event()
    slow = []
    for _ in range(4):  # twice the number of worker processes: with sync workers, every one would be held
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(
            b"POST /sms/inbound HTTP/1.1\r\nHost: voice.test\r\nContent-Length: 60000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\nBody="
        )
        slow.append(connection)

    def trickle():
        while not stop.wait(1):
            for connection in slow:
                try:
                    connection.sendall(b"a")  # a byte a second of a body that never ends
                except OSError:
                    pass

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    time.sleep(2)  # the slow requests are in the server now
    try:
        for number in range(5):
            form = {"MessageSid": f"SM{uuid.uuid4().hex}", "From": f"+4477009001{number:02d}", "Body": "hello"}
            # Not a speed limit: starved workers would never answer while the trickle goes on.
            with urllib.request.urlopen(sms_request(port, AUTH_TOKEN, form), timeout=20) as response:
                assert response.status == 200
    finally:
        stop.set()
        for connection in slow:
            connection.close()
