"""The lean HTTP client under the twilio client: one write per request, kept connections replaced when
the server has closed them, answers read in every framing, nothing sent twice, TLS checked."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import socket
import ssl
import threading
from urllib.parse import urlencode

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import make_config
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioServer
from voice_service.outbox.channels import Outgoing, TransientFailure
from voice_service.outbox.keepalive import KeepAliveHttp, ProtocolError, _read_response, form
from voice_service.outbox.sms import TwilioSms

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


def _post(http: KeepAliveHttp, url: str, body: str = "Hello") -> object:
    return http.request(
        "POST",
        url + MESSAGES,
        data={"To": "+447700900001", "From": "+447700900000", "Body": body},
        auth=(ACCOUNT_SID, AUTH_TOKEN),
    )


class _Spy:
    """Stands in for a connection's socket and counts the writes."""

    def __init__(self, sock: socket.socket):
        self._sock = sock
        self.writes: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.writes.append(bytes(data))
        self._sock.sendall(data)

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


def test_each_request_is_written_in_one_piece(fake_twilio):
    """Headers then body in two writes would cost a packet and a wake-up at each end for every text."""
    http = KeepAliveHttp(timeout=5)
    assert _post(http, fake_twilio.url).status_code == 201
    spy = _Spy(http._connection.sock)
    http._connection.sock = spy
    answer = _post(http, fake_twilio.url, body="Second text")
    assert answer.status_code == 201 and '"body": "Second text"' in answer.text
    assert len(spy.writes) == 1
    head, _, body = spy.writes[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST " + MESSAGES.encode() + b" HTTP/1.1\r\n")
    assert body == b"To=%2B447700900001&From=%2B447700900000&Body=Second+text"
    assert http.connections_opened == 1


def _one_answer_server(answers: list[bytes]):
    """A server that reads one request per connection, answers it, and closes the connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    requests: list[bytes] = []
    closed = threading.Event()

    def serve() -> None:
        for answer in answers:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            requests.append(data)
            connection.sendall(answer)
            connection.close()
            closed.set()

    threading.Thread(target=serve, daemon=True).start()
    return listener, requests, closed


def test_a_kept_connection_the_server_closed_is_replaced_before_the_next_request():
    ok = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    listener, requests, closed = _one_answer_server([ok, ok])
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        http = KeepAliveHttp(timeout=5)
        assert _post(http, url).status_code == 201
        closed.wait(5)  # the server has closed the connection the client keeps
        assert _post(http, url).status_code == 201  # sent once, on a new connection, not failed
        assert http.connections_opened == 2 and len(requests) == 2
    finally:
        listener.close()


def test_connection_close_is_honoured():
    answer = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"
    listener, requests, _ = _one_answer_server([answer, answer])
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        http = KeepAliveHttp(timeout=5)
        assert _post(http, url).text == "{}"
        assert http._connection is None
        assert _post(http, url).text == "{}"
        assert http.connections_opened == 2
    finally:
        listener.close()


def test_an_answer_cut_short_fails_and_is_not_resent():
    listener, requests, _ = _one_answer_server([b'HTTP/1.1 201 Created\r\nContent-Length: 50\r\n\r\n{"sid"'])
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        http = KeepAliveHttp(timeout=5)
        with pytest.raises(ProtocolError):
            _post(http, url)
        assert len(requests) == 1 and http._connection is None
    finally:
        listener.close()


def test_header_values_cannot_start_headers_of_their_own():
    http = KeepAliveHttp(timeout=5)
    with pytest.raises(ValueError):
        http.request("GET", "http://127.0.0.1:9/x", headers={"X-Test": "a\r\nX-Injected: 1"})
    with pytest.raises(ValueError):
        http.request("GET", "http://127.0.0.1:9/x y")
    assert http.connections_opened == 0


@pytest.mark.parametrize(
    ("raw", "status", "body", "keep"),
    [
        (b'HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\n{"a":1}', 201, b'{"a":1}', True),
        (
            b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{"a\r\n4\r\n":1}\r\n0\r\nT: 1\r\n\r\n',
            200,
            b'{"a":1}',
            True,
        ),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}", 201, b"{}", True),
        (b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"to":"end"}', 200, b'{"to":"end"}', False),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", 200, b"{}", False),
        (b"HTTP/1.1 204 No Content\r\n\r\n", 204, b"", True),
        (b"HTTP/1.1 429 Too Many Requests\r\nContent-Length: 2\r\nConnection: Close\r\n\r\n{}", 429, b"{}", False),
    ],
)
def test_answers_in_every_framing(raw, status, body, keep):
    got_status, headers, got_body, got_keep = _read_response(io.BufferedReader(io.BytesIO(raw)), "POST")
    assert (got_status, got_body, got_keep) == (status, body, keep)


def test_headers_keep_their_names_and_join_repeats():
    raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Seen: a\r\nx-seen: b\r\nContent-Length: 0\r\n\r\n"
    _, headers, _, _ = _read_response(io.BufferedReader(io.BytesIO(raw)), "GET")
    assert headers == {"Content-Type": "application/json", "X-Seen": "a, b", "Content-Length": "0"}


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"SMTP ready\r\n\r\n",
        b"HTTP/1.1 2x0 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Len",
    ],
)
def test_what_is_not_an_http_answer_is_refused(raw):
    with pytest.raises(ProtocolError):
        _read_response(io.BufferedReader(io.BytesIO(raw)), "POST")


text = st.text(st.characters(codec="utf-8"), max_size=40)


@given(st.dictionaries(text, st.one_of(st.none(), text, st.integers(), st.lists(text, max_size=3)), max_size=6))
def test_form_encoding_is_urlencode(values):
    expected = urlencode([(key, value) for key, value in values.items() if value is not None], doseq=True)
    assert form(values) == expected


def _certificates(tmp_path):
    """A certificate authority and a certificate for 127.0.0.1 signed by it (PEM files)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Voice test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_file, cert_file, key_file


def test_https_sends_with_the_certificate_checked(tmp_path, monkeypatch):
    ca_file, cert_file, key_file = _certificates(tmp_path)
    server = FakeTwilioServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    with server as api:
        url = api.url.replace("http://", "https://")
        config = make_config("sqlite://", sms={"provider": "twilio"}, twilio={"api_base_url": url})
        message = Outgoing(outbox_id=1, kind="invitation", to="+447700900001", body="Hello over TLS")
        # Not signed by any authority the default bundle trusts: refused before anything is sent.
        with pytest.raises(TransientFailure):
            TwilioSms(config, timeout=5).send(message)
        assert api.messages == []
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))
        sender = TwilioSms(config, timeout=5)
        sids = [sender.send(message).provider_id for _ in range(3)]
        assert [m["sid"] for m in api.messages] == sids
        assert sender._client().http_client.connections_opened == 1


def test_query_parameters_join_the_urls_own_query():
    ok = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"
    listener, requests, _ = _one_answer_server([ok, ok])
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        http = KeepAliveHttp(timeout=5)
        http.request("GET", url + "/x?a=1", params={"To": "+44 7700", "PageSize": None})
        http.request("GET", url + "/y", params={"PageSize": None})
        assert requests[0].startswith(b"GET /x?a=1&To=%2B44+7700 HTTP/1.1\r\n")
        assert requests[1].startswith(b"GET /y HTTP/1.1\r\n")
    finally:
        listener.close()
