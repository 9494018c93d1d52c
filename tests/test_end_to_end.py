"""A new user's walk, black-box: the real command line, gunicorn on loopback, the real twilio
client sending to a fake Twilio API, and signed webhook posts over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from xml.etree import ElementTree

import pytest
from cryptography.fernet import Fernet
from twilio.request_validator import RequestValidator

from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioServer

pytestmark = pytest.mark.slow

SURVEY = """\
id = "listening"
title = "Are we listening?"
intro = "Hi {first_name}, it's the Voice team. Three quick questions. Reply YES to start, or STOP to opt out."
outro = "Thanks! We'll tell you what changes."

[[questions]]
id = "heard"
kind = "scale"
text = "Do you feel heard at your reviews? 1 = never, 5 = always"
min = 1
max = 5
pledges = [9]
messages = [8]
optional = true

[[questions]]
id = "worker"
kind = "yes_no"
text = "Do you know how to reach your social worker? YES or NO"
pledges = [6, 7]

[[questions]]
id = "change"
kind = "text"
text = "What one thing should we change?"
pledges = [9]
optional = true
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(env, *args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "voice_service", *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


@pytest.fixture
def workspace(tmp_path, database_url):
    """A council's set-up: a conversations folder with a new survey, and a config file."""
    import shutil
    from pathlib import Path

    conversations = tmp_path / "conversations"
    shutil.copytree(Path(__file__).parent.parent / "conversations", conversations)
    (conversations / "surveys" / "listening.toml").write_text(SURVEY)
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(f"""
[app]
public_url = "https://voice.council.test"
council_name = "Testshire County Council"
secret_key = "{uuid.uuid4().hex}"
[database]
url = "{database_url}"
[conversations]
path = "{conversations}"
[sms]
provider = "twilio"
[twilio]
account_sid = "{ACCOUNT_SID}"
auth_token = "{AUTH_TOKEN}"
from_number = "+447700900000"
[schedule]
weekday_window = "00:00-24:00"
weekend_window = "00:00-24:00"
school_hours = "00:00-00:01"
rate_per_second = 200
[privacy]
phone_key = "{Fernet.generate_key().decode()}"
hash_key = "{uuid.uuid4().hex}"
[safeguarding]
duty_emails = ["duty@council.test"]
[smtp]
host = "127.0.0.1"
""")
    env = {**os.environ, "VOICE_CONFIG": str(config)}
    env.pop("VOICE_DATABASE_URL", None)
    return {"env": env, "port": port, "dir": tmp_path}


class HttpPhone:
    def __init__(self, port: int, number: str):
        self.base = f"http://127.0.0.1:{port}"
        self.number = number
        self.validator = RequestValidator(AUTH_TOKEN)

    def post(self, body: str, sid: str | None = None, signature: str | None = None) -> tuple[int, list[str]]:
        form = {"MessageSid": sid or "SM" + uuid.uuid4().hex, "From": self.number, "To": "+447700900000", "Body": body}
        signature = signature or self.validator.compute_signature("https://voice.council.test/sms/inbound", form)
        request = urllib.request.Request(
            self.base + "/sms/inbound",
            data=urllib.parse.urlencode(form).encode(),
            headers={"X-Twilio-Signature": signature},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                root = ElementTree.fromstring(response.read())
                return response.status, [m.text for m in root.iter("Message")]
        except urllib.error.HTTPError as error:
            return error.code, []


def test_new_users_walk(workspace):
    env, port, folder = workspace["env"], workspace["port"], workspace["dir"]
    cli(env, "db", "upgrade")
    assert "listening" in cli(env, "surveys", "list").stdout
    csv = folder / "people.csv"
    csv.write_text(
        "phone,first_name,status,date_of_birth,area\n"
        "07700 900301,Amira,in_care,2011-03-04,North\n"
        "+447700900302,Jay,in_care,2010-06-01,South\n"
        "not a phone,Bad,in_care,2010-01-01,North\n"
        "07700900303,Kai,sometimes,2010-01-01,North\n"
    )
    result = cli(env, "participants", "import", str(csv), check=False)
    assert result.returncode == 1
    assert "people.csv:4:" in result.stderr and "people.csv:5:" in result.stderr
    assert "2 new" in result.stdout

    with FakeTwilioServer() as twilio:
        env["VOICE_TWILIO_API_BASE_URL"] = twilio.url
        launched = cli(env, "round", "launch", "--survey", "listening", "--status", "in_care")
        round_id = launched.stdout.strip().splitlines()[-1]
        assert round_id.isdigit()
        cli(env, "outbox", "flush")
        assert {m["to"] for m in twilio.messages} == {"+447700900301", "+447700900302"}
        assert "Amira" in twilio.to("+447700900301")[0]["body"]

        server = subprocess.Popen(
            [sys.executable, "-m", "voice_service", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            _wait_for(port, server)
            amira = HttpPhone(port, "+447700900301")
            assert amira.post("hello", signature="forged")[0] == 403
            status, replies = amira.post("ye")
            assert status == 200 and "heard" in replies[0]
            amira.post("four/5", sid="SMonce")
            assert amira.post("four/5", sid="SMonce")[1][0].startswith("Do you know")  # replay: same reply
            amira.post("nope")
            amira.post("let us choose our own placements 🙏")
            jay = HttpPhone(port, "+447700900302")
            jay.post("yes")
            jay.post("STOP")
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=30)
        assert "+44770090030" not in output and "Amira" not in output, "personal data in server logs"

        exported = cli(env, "responses", "export", "--round", round_id, "--format", "jsonl").stdout
        answers = [json.loads(line) for line in exported.splitlines()]
        assert [(a["question_id"], a["value"]) for a in answers] == [
            ("heard", 4),
            ("worker", "no"),
            ("change", "let us choose our own placements 🙏"),
        ]
        assert all(a["participant"].startswith("P-") for a in answers)
        csv_export = cli(env, "responses", "export", "--round", round_id, "--format", "csv").stdout
        assert csv_export.splitlines()[0].startswith("participant,question_id,answer")

        # The first round closes first: while it is open, a second round of the survey leaves its people out.
        cli(env, "round", "close", round_id)
        cli(env, "outbox", "flush")
        before = len(twilio.messages)
        second = cli(env, "round", "launch", "--survey", "listening").stdout.strip().splitlines()[-1]
        cli(env, "outbox", "flush")
        assert [m["to"] for m in twilio.messages[before:]] == ["+447700900301"], "opted-out number was texted"
        assert second != round_id


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stdout.read())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not start")
