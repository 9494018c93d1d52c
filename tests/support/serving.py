"""The real server, `voice-service serve`, started in a test as an operator would: its settings, waiting for it
to answer /healthz, signed texts to it, and stopping it however the test ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from twilio.request_validator import RequestValidator

from tests.support.ports import free_port

PUBLIC_URL = "http://voice.test"


def production_settings(database_url: str, spool_dir: Path, auth_token: str, **more: str) -> dict[str, str]:
    """A production-shaped configuration, all in the environment (no file); `more` adds VOICE_* settings.

    `auth_token` must be as long as a real one (serve refuses less)."""
    return {
        **os.environ,
        "VOICE_CONFIG": "",  # no file: these settings only
        "VOICE_DATABASE_URL": database_url,
        "VOICE_APP_PUBLIC_URL": PUBLIC_URL,
        "VOICE_APP_COUNCIL_NAME": "Testshire County Council",  # serve refuses the example's "the council"
        "VOICE_APP_SECRET_KEY": uuid.uuid4().hex,
        "VOICE_PRIVACY_PHONE_KEY": Fernet.generate_key().decode(),
        "VOICE_PRIVACY_HASH_KEY": uuid.uuid4().hex,
        "VOICE_TWILIO_AUTH_TOKEN": auth_token,
        "VOICE_SPOOL_DIR": str(spool_dir),
        "VOICE_SAFEGUARDING_DUTY_EMAILS": "duty@council.test",
        "VOICE_SMTP_HOST": "127.0.0.1",  # an email route needs a mail server to start
        **more,
    }


def healthz(port: int, timeout: float = 5) -> tuple[int, dict]:
    """/healthz's status and body; (0, {}) while nothing answers on the port."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return 0, {}


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path  # the server's standard error


@contextmanager
def serving(
    cwd: Path,
    env: dict[str, str],
    *options: str,
    ready: Callable[[int], bool] = lambda status: status == 200,
    attempts: int = 300,
    interval: float = 0.2,
    health_timeout: float = 2,
) -> Iterator[Server]:
    """`voice-service serve --port <a free one> *options`, run in `cwd` with `env` as its whole environment.

    Waits until /healthz's status passes `ready` (by default a 200), asking up to `attempts` times,
    `interval` seconds apart, each waiting up to `health_timeout` seconds for an answer; fails with the
    end of the server's log (`cwd`/server.log) if the server exits or never becomes ready. Terminated
    when the block ends, however it ends."""
    port = free_port()
    log = cwd / "server.log"
    with open(log, "w") as stderr:  # the server keeps its own copy of the file
        process = subprocess.Popen(
            [sys.executable, "-m", "voice_service", "serve", "--port", str(port), *options],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        if not _became_ready(process, port, ready, attempts, interval, health_timeout):
            process.kill()
            process.wait(timeout=30)
            raise AssertionError("the server did not start: " + log.read_text()[-2000:])
        yield Server(process, port, log)
    finally:
        process.terminate()  # nothing, if it has already been killed and waited for
        process.wait(timeout=30)


def _became_ready(
    process: subprocess.Popen,
    port: int,
    ready: Callable[[int], bool],
    attempts: int,
    interval: float,
    health_timeout: float,
) -> bool:
    for _ in range(attempts):
        if process.poll() is not None:
            return False
        if ready(healthz(port, health_timeout)[0]):
            return True
        time.sleep(interval)
    return False


def sms_request(port: int, auth_token: str, form: dict[str, str]) -> urllib.request.Request:
    """A POST of `form` to the server's /sms/inbound, signed as Twilio signs it."""
    signature = RequestValidator(auth_token).compute_signature(PUBLIC_URL + "/sms/inbound", form)
    return urllib.request.Request(
        f"http://127.0.0.1:{port}/sms/inbound",
        data=urllib.parse.urlencode(form).encode(),
        headers={"X-Twilio-Signature": signature},
    )
