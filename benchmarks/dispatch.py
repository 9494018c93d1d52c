"""Dispatcher throughput against the fake Twilio API (`make bench`, or `python -m benchmarks dispatch`).

The fake API runs in its own process on loopback (as Twilio would be elsewhere), the
dispatcher here on a fresh SQLite database (and PostgreSQL too when
VOICE_TEST_DATABASE_URL is set), with the real twilio client, built exactly as
`voice-service outbox flush` builds it (`build_dispatcher`, `[schedule] send_concurrency`
connections). First it measures the fake API's own ceiling: a bare loop of keep-alive POSTs
over as many connections, with no database, no encryption and no twilio client, so that a
slow fake is not mistaken for a slow dispatcher. Then, for each database, messages per
second at a demanding real rate (and that over the configured rate: 1.00 means it kept up)
and unlimited (against the target of 500/s from issue 14, and as a share of the bare loop, run
again just before and after it and averaged, as the machine's load moves). Each line ends with
the machine's load average as it finished. BENCH_MESSAGES sets the count (3000).
"""

from __future__ import annotations

import base64
import http.client
import importlib.util
import multiprocessing
import os
import socket
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "3000"))
RATES = (250.0, 100_000.0)  # a demanding real rate, then "as fast as it goes"
CEILING_TARGET = 500.0


def _fake_module():
    """tests/fake_twilio.py, loaded by path (the tests folder is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_fake_twilio", ROOT / "tests" / "fake_twilio.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _serve(queue) -> None:
    """Child process: run the fake API until killed, reporting its URL."""
    fake = _fake_module()
    server = fake.FakeTwilioServer()
    api = server.__enter__()
    queue.put(api.url)
    while True:
        time.sleep(3600)


def _bare_loop(api_url: str, messages: int, connections: int) -> float:
    """Messages per second the fake API takes from a bare loop: keep-alive POSTs, nothing else.

    Each request goes in one write, as the dispatcher's HTTP client sends it (http.client writes the
    headers and the body apart, which costs the fake a second wake-up per request).
    """
    fake = sys.modules.get("bench_fake_twilio") or _fake_module()
    address = urlsplit(api_url)
    path = f"/2010-04-01/Accounts/{fake.ACCOUNT_SID}/Messages.json"
    token = base64.b64encode(f"{fake.ACCOUNT_SID}:{fake.AUTH_TOKEN}".encode()).decode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\nAuthorization: Basic {token}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
    )
    failures: list[int] = []

    def lane(first: int) -> None:
        sock = socket.create_connection((address.hostname, address.port), timeout=15)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(first, messages, connections):
            body = urlencode({"To": f"+4477009{i:05d}", "From": "+447700900000", "Body": "Hi from the bench"})
            sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n{body}".encode())
            answer = http.client.HTTPResponse(sock, method="POST")
            answer.begin()
            answer.read()
            if answer.status != 201:
                failures.append(answer.status)
        sock.close()

    lanes = [threading.Thread(target=lane, args=(first,)) for first in range(connections)]
    started = time.perf_counter()
    for thread in lanes:
        thread.start()
    for thread in lanes:
        thread.join()
    elapsed = time.perf_counter() - started
    assert not failures, failures[:5]
    return messages / elapsed


def _database_urls(tmp: Path) -> list[tuple[str, str]]:
    urls = [("sqlite", f"sqlite:///{tmp / 'bench.db'}")]
    pg = os.environ.get("VOICE_TEST_DATABASE_URL")
    if pg:
        from sqlalchemy import create_engine, text

        from voice_service.db import normalise_url

        name = f"voice_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(normalise_url(pg), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        urls.append(("postgresql", normalise_url(pg).rsplit("/", 1)[0] + "/" + name))
    return urls


def _drop(url: str) -> None:
    """Remove the benchmark's PostgreSQL database."""
    from sqlalchemy import create_engine, text

    base, name = url.rsplit("/", 1)
    admin = create_engine(normalise_admin(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def normalise_admin(base: str) -> str:
    """The maintenance database on the same server."""
    return base + "/postgres"


def _concurrency() -> int:
    """`[schedule] send_concurrency` as `outbox flush` reads it."""
    from voice_service.config import load

    return load(None, environ={}).schedule.send_concurrency


def _one(label: str, url: str, api_url: str, rate: float) -> float:
    """Queue MESSAGES invitations, flush them all, return messages per second."""
    from cryptography.fernet import Fernet
    from sqlalchemy import delete, insert

    from voice_service.config import load
    from voice_service.context import Services
    from voice_service.db import upgrade
    from voice_service.models import OutboxMessage, utcnow
    from voice_service.outbox.dispatch import build_dispatcher

    fake = sys.modules.get("bench_fake_twilio") or _fake_module()
    upgrade(url)
    config = load(None, environ={}).with_overrides(
        app={"public_url": "http://voice.test", "secret_key": "bench"},
        database={"url": url},
        privacy={"phone_key": Fernet.generate_key().decode(), "hash_key": "bench"},
        sms={"provider": "twilio"},
        twilio={
            "account_sid": fake.ACCOUNT_SID,
            "auth_token": fake.AUTH_TOKEN,
            "from_number": "+447700900000",
            "api_base_url": api_url,
        },
        schedule={"weekday_window": "00:00-24:00", "weekend_window": "00:00-24:00", "rate_per_second": rate},
    )
    services = Services.from_config(config)
    table = OutboxMessage.__table__
    now = utcnow()
    rows = [
        dict(
            key=f"bench:{uuid.uuid4().hex}",
            kind="invitation",
            channel="sms",
            to_encrypted=services.vault.encrypt(f"+4477009{i:05d}"),
            to_hash=services.vault.hash(f"+4477009{i:05d}"),
            body="Hi, it's the Voice team. Reply YES to start, or STOP to opt out.",
            respect_window=True,
            under_16=False,
            status="pending",
            attempts=0,
            not_before=now,
            created_at=now,
            updated_at=now,
        )
        for i in range(MESSAGES)
    ]
    with services.engine.begin() as connection:
        connection.execute(delete(table))
        connection.execute(insert(table), rows)
    dispatcher = build_dispatcher(services)
    started = time.perf_counter()
    report = dispatcher.flush()
    elapsed = time.perf_counter() - started
    dispatcher.close()
    services.engine.dispose()
    assert report.sent == MESSAGES, report
    return MESSAGES / elapsed


def run() -> None:
    """Measure and print dispatcher throughput for each database and rate."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    server = context.Process(target=_serve, args=(queue,), daemon=True)
    server.start()
    try:
        api_url = queue.get(timeout=30)
        connections = _concurrency()
        bare = _bare_loop(api_url, MESSAGES, connections)
        print(
            f"dispatch fake API bare loop ({connections} keep-alive connections, no database): "
            f"{MESSAGES} messages at {bare:7.1f}/s  (the ceiling here); load {os.getloadavg()[0]:.1f}"
        )
        with tempfile.TemporaryDirectory() as tmp:
            for label, url in _database_urls(Path(tmp)):
                try:
                    for rate in RATES:
                        if rate < 10_000:
                            per_second = _one(label, url, api_url, rate)
                            ratio = f"ratio to configured rate {per_second / rate:.2f}"
                        else:
                            # The bare loop again just before and after, so that the share compares like
                            # with like on a machine whose load moves.
                            before = _bare_loop(api_url, MESSAGES, connections)
                            per_second = _one(label, url, api_url, rate)
                            beside = (before + _bare_loop(api_url, MESSAGES, connections)) / 2
                            verdict = "meets" if per_second >= CEILING_TARGET else "MISSES"
                            ratio = (
                                f"(ceiling; {verdict} the {CEILING_TARGET:.0f}/s target; "
                                f"{per_second / beside:.2f} of the bare loop run beside it, {beside:.0f}/s)"
                            )
                        shown = "unlimited" if rate >= 10_000 else f"{rate:.0f}/s"
                        print(
                            f"dispatch {label:<10} rate {shown:>9}: {MESSAGES} messages at {per_second:7.1f}/s  "
                            f"{ratio}; load {os.getloadavg()[0]:.1f}",
                            flush=True,
                        )
                finally:
                    if label == "postgresql":
                        _drop(url)
    finally:
        server.kill()
        server.join()


if __name__ == "__main__":
    run()
