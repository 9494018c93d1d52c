"""Clients trickling a byte a second cannot starve the real server's workers: each worker reads a request whole
before a thread takes it (`web.worker`), so texts still get answers however few threads a worker has."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import urllib.request
import uuid

import pytest

from tests.support.serving import production_settings, serving, sms_request
from voice_service.web.worker import request_complete

AUTH_TOKEN = "slow-client-token-0123456789abcdefg"  # as long as a real one (serve refuses less)
pytestmark = pytest.mark.slow

BODY_START = (
    b"POST /sms/inbound HTTP/1.1\r\nHost: voice.test\r\nContent-Length: 60000\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n\r\nBody="
)
HEAD_START = b"POST /sms/inbound HTTP/1.1\r\nHost: voice.test\r\nX-Slow: "
KEPT_ALIVE = b"GET /healthz HTTP/1.1\r\nHost: voice.test\r\n\r\n"


@pytest.fixture
def server(tmp_path, sqlite_template):
    shutil.copy(sqlite_template, tmp_path / "voice.db")
    env = production_settings(f"sqlite:///{tmp_path / 'voice.db'}", tmp_path / "spool", AUTH_TOKEN)
    # Two threads a worker, four in all: with gthread as it comes, four trickling clients held every one.
    with serving(tmp_path, env, "--workers", "2", "--threads", "2", attempts=600, interval=0.1) as started:
        yield started.port


def _kept_alive_then_slow(port: int) -> socket.socket:
    """A connection whose first request is answered, and whose second then trickles in."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    connection.sendall(KEPT_ALIVE)
    assert _answer(connection).startswith(b"HTTP/1.1 200")
    connection.sendall(BODY_START)
    return connection


def _answer(connection: socket.socket) -> bytes:
    """One whole response (with a Content-Length) read from `connection`."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = connection.recv(65536)
        assert chunk, "no answer came"
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = connection.recv(65536)
        assert chunk, "the answer was cut short"
        body += chunk
    return answer


def test_trickling_connections_do_not_starve_the_workers(server):
    port = server
    stop = threading.Event()
    slow = []
    # Three times the server's threads: bodies, heads and a kept-alive connection's second request, each trickling.
    for start in [BODY_START] * 4 + [HEAD_START] * 4:
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(start)
        slow.append(connection)
    slow += [_kept_alive_then_slow(port) for _ in range(4)]

    def trickle():
        while not stop.wait(1):
            for connection in slow:
                try:
                    connection.sendall(b"a")  # a byte a second of a request that never ends
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


def test_a_request_sent_in_pieces_is_answered_once_whole(server):
    """Read ahead is not read instead: a request that comes in pieces, slowly, is answered when its last byte comes."""
    request = KEPT_ALIVE
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        for piece in (request[:5], request[5:20], request[20:]):
            connection.sendall(piece)
            time.sleep(0.3)
        answer = _answer(connection)
    assert answer.startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize(
    ("data", "whole"),
    [
        (b"GET / HTTP/1.1\r\nHost: a\r\n", False),
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", True),
        (b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", False),
        (b"POST / HTTP/1.1\r\ncontent-length: 5\r\n\r\nabcde", True),
        (b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcdeGET / HTTP/1.1\r\n", True),  # pipelined: the first is whole
        (b"POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\n", True),  # over the limit: refused from its head
        (b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", True),  # unreadable: gunicorn says so
        (b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n", True),  # waits to be asked
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n", False),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n", True),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\nX-Sum: 1\r\n\r\n", True),  # trailers
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0;ext=1\r\n\r\n", True),  # an empty body
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 70000, True),  # a head too long: gunicorn refuses it
    ],
)
def test_a_request_is_whole_once_its_head_and_body_are_in(data, whole):
    assert request_complete(data, 64 * 1024) is whole


@pytest.fixture
def worker(monkeypatch):
    """A worker of our own (no server, no threads: nothing may reach one), on a clock the test moves."""
    from gunicorn import glogging
    from gunicorn.config import Config

    from voice_service.web import worker as worker_module

    cfg = Config()
    made = worker_module.ThreadWorker(0, 0, [], None, 60, cfg, glogging.Logger(cfg))
    made.tpool = None
    made.poller = worker_module.selectors.DefaultSelector()
    made.method_queue.init()
    made.clock = [1000.0]
    monkeypatch.setattr(worker_module.time, "monotonic", lambda: made.clock[0])
    yield made
    made.poller.close()
    made.method_queue.close()


def test_a_client_that_never_finishes_its_request_is_closed_after_the_read_time(worker):
    """Part of a request waits in the poller, holding no thread, until `READ_SECONDS` after its first bytes;
    then it is closed, unanswered, and no longer counted."""
    from voice_service.web.worker import READ_SECONDS

    with socket.create_server(("127.0.0.1", 0)) as listener:
        with socket.create_connection(listener.getsockname(), timeout=10) as client:
            client.sendall(HEAD_START)
            time.sleep(0.2)
            worker.accept(listener)
            assert worker.nr_conns == 1 and len(worker.reading) == 1
            client.sendall(b"more")
            worker.wait_for_and_dispatch_events(timeout=5)  # read, and still not whole: waits again
            assert len(worker.reading) == 1
            worker.clock[0] += READ_SECONDS - 1
            worker.murder_pending()
            assert worker.nr_conns == 1
            worker.clock[0] += 1
            worker.murder_pending()
            assert worker.nr_conns == 0 and not worker.reading
            assert client.recv(100) == b""  # closed, unanswered


def test_a_large_request_still_short_of_its_length_waits_for_the_rest(worker):
    """A body the app takes, longer than a head may be: the worker waits for all of it, never a thread."""
    from voice_service.web.app import MAX_BODY

    worker.body_limit = MAX_BODY
    head = f"POST /sms/inbound HTTP/1.1\r\nHost: voice.test\r\nContent-Length: {MAX_BODY}\r\n\r\n".encode()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        with socket.create_connection(listener.getsockname(), timeout=10) as client:
            client.sendall(head + b"a" * (MAX_BODY - 10))
            time.sleep(0.2)
            worker.accept(listener)
            while worker.reading and len(next(iter(worker.reading)).read_ahead) < len(head) + MAX_BODY - 10:
                worker.wait_for_and_dispatch_events(timeout=1)
            assert len(worker.reading) == 1  # all but its last 10 bytes read, and still waiting in the poller
            for connection in list(worker.reading):
                worker.reading.remove(connection)
                worker.poller.unregister(connection.sock)
                connection.close()
