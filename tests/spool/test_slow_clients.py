"""Clients trickling a byte a second cannot starve the real server's workers (gthread): texts still get answers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from cryptography.fernet import Fernet
from twilio.request_validator import RequestValidator

from tests.support.ports import free_port

AUTH_TOKEN = "slow-client-token-0123456789abcdefg"  # as long as a real one (serve refuses less)
PUBLIC_URL = "http://voice.test"
pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path, sqlite_template):
    shutil.copy(sqlite_template, tmp_path / "voice.db")
    port = free_port()
    env = {
        **os.environ,
        "VOICE_CONFIG": "",
        "VOICE_DATABASE_URL": f"sqlite:///{tmp_path / 'voice.db'}",
        "VOICE_APP_PUBLIC_URL": PUBLIC_URL,
        "VOICE_APP_COUNCIL_NAME": "Testshire County Council",  # serve refuses the example's "the council"
        "VOICE_APP_SECRET_KEY": uuid.uuid4().hex,
        "VOICE_PRIVACY_PHONE_KEY": Fernet.generate_key().decode(),
        "VOICE_PRIVACY_HASH_KEY": uuid.uuid4().hex,
        "VOICE_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "VOICE_SAFEGUARDING_DUTY_EMAILS": "duty@council.test",
        "VOICE_SMTP_HOST": "127.0.0.1",  # an email route needs a mail server to start
        "VOICE_SPOOL_DIR": str(tmp_path / "spool"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "voice_service", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        assert process.poll() is None, "the server exited"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=30)


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
    validator = RequestValidator(AUTH_TOKEN)
    try:
        for number in range(5):
            form = {"MessageSid": f"SM{uuid.uuid4().hex}", "From": f"+4477009001{number:02d}", "Body": "hello"}
            signature = validator.compute_signature(PUBLIC_URL + "/sms/inbound", form)
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/sms/inbound",
                data=urllib.parse.urlencode(form).encode(),
                headers={"X-Twilio-Signature": signature},
            )
            # Not a speed limit: starved workers would never answer while the trickle goes on.
            with urllib.request.urlopen(request, timeout=20) as response:
                assert response.status == 200
    finally:
        stop.set()
        for connection in slow:
            connection.close()
