"""The twilio client's HTTP path: one keep-alive connection per thread, never a silent second POST."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from twilio.http.http_client import TwilioHttpClient

from tests.conftest import make_config
from voice_service.outbox.channels import Outgoing, TransientFailure
from voice_service.outbox.sms import KeepAliveHttp, TwilioSms


def _config(url: str):
    return make_config("sqlite://", sms={"provider": "twilio"}, twilio={"api_base_url": url})


def _message(index: int, body: str = "Hello, reply YES to start") -> Outgoing:
    return Outgoing(outbox_id=index, kind="invitation", to=f"+447700900{index:03d}", body=body)


def test_sends_and_look_ups_share_one_kept_alive_connection(fake_twilio):
    sender = TwilioSms(_config(fake_twilio.url), timeout=5)
    sids = [sender.send(_message(i)).provider_id for i in range(5)]
    assert [m["sid"] for m in fake_twilio.messages] == sids
    assert fake_twilio.messages[0]["body"] == "Hello, reply YES to start"
    # The look-up's query (To, DateSent>) reaches the fake and filters as Twilio would.
    since = datetime.now(UTC) - timedelta(minutes=1)
    assert sender.find_sent(_message(3), since) == [sids[3]]
    http = sender._client().http_client
    assert isinstance(http, KeepAliveHttp)
    assert http.connections_opened == 1


def test_a_connection_dropped_after_the_request_is_not_retried():
    """The provider may have taken the text: a silent second POST could send it twice."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    received: list[bytes] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            received.append(connection.recv(65536))
            connection.close()  # read the request, then drop it without an answer

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        sender = TwilioSms(_config(f"http://127.0.0.1:{listener.getsockname()[1]}"), timeout=5)
        with pytest.raises(TransientFailure) as failure:
            sender.send(_message(1))
        assert failure.value.answered is False  # so the dispatcher looks it up before any resend
        assert len(received) == 1 and received[0].startswith(b"POST ")
    finally:
        listener.close()


def test_a_proxy_in_the_environment_keeps_requests(monkeypatch, fake_twilio):
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    sender = TwilioSms(_config("http://api.twilio.test"), timeout=5)
    assert isinstance(sender._client().http_client, TwilioHttpClient)
