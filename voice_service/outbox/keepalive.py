"""A lean HTTP/1.1 client for the twilio REST client: one kept-alive connection, one write per request.

twilio's default client (requests) spends most of a send preparing the request and re-reading
its environment; urllib3 alone spends much of the rest on pool bookkeeping, and http.client on
parsing the answer's headers with the email parser. A Messages call needs none of that: a
form body, basic auth, and a small JSON answer with a Content-Length. `KeepAliveHttp` does
only that, and what keeps it safe: the request is written in one piece (headers and body in
one packet), a kept connection the server has closed is noticed before reuse and replaced, a
request is never retried (a repeated POST could send a text twice: a failure goes up to the
caller, which looks the message up before any resend), and nothing is logged (the query of a
look-up carries a phone number). Chunked answers, answers ended by closing, and interim 1xx
answers are read too.
"""

from __future__ import annotations

import base64
import functools
import re
import select
import socket
import ssl
import zlib
from typing import Any, BinaryIO
from urllib.parse import urlencode, urlsplit

MAX_LINE = 65536  # as http.client: a longer status or header line is not an HTTP answer
MAX_HEADERS = 100
HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
# What urllib.parse.quote_plus leaves as it is (a space becomes "+"); everything else is %XX-escaped.
FORM_UNSAFE = re.compile(rb"[^A-Za-z0-9_.~ -]")
# A CR or LF (or other control character) in a header would start a header of its own, or a second request.
UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class ProtocolError(Exception):
    """The server's answer was not HTTP/1.x, or the connection ended part-way through it."""


def form(values: dict | None) -> str:
    """Form-encode exactly as urlencode(..., doseq=True) does (and so requests): lists as repeated keys,
    None values left out; text goes through a quicker quoting that gives the same result."""
    if not values:
        return ""
    pairs = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(key, str) and isinstance(value, str):
            pairs.append(f"{_quoted_name(key)}={_quote_plus(value)}")
        else:
            pairs.append(urlencode([(key, value)], doseq=True))
    return "&".join(pair for pair in pairs if pair)


def _quote_plus(text: str) -> str:
    """urllib.parse.quote_plus(text), quicker for text that is mostly letters and digits."""
    data = text.encode("utf-8")
    if not FORM_UNSAFE.search(data):
        return data.replace(b" ", b"+").decode("ascii")
    return FORM_UNSAFE.sub(_escape, data).replace(b" ", b"+").decode("ascii")


@functools.lru_cache(maxsize=256)
def _quoted_name(name: str) -> str:
    """A form field's name, quoted once (twilio sends the same few names every time)."""
    return _quote_plus(name)


@functools.lru_cache(maxsize=64)
def _split(url: str) -> tuple[str, str, int, str, str]:
    """Scheme, host, port, Host header and request target of a URL (twilio asks for the same few each time)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("only http and https URLs can be requested")
    port = parts.port or (443 if scheme == "https" else 80)
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    return scheme, parts.hostname, port, parts.netloc.rpartition("@")[2], target


def _escape(match: re.Match[bytes]) -> bytes:
    return b"%%%02X" % match[0][0]


class _Connection:
    """One open connection: its socket and a buffered reader over it."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.reader: BinaryIO = sock.makefile("rb")
        self._timeout = sock.gettimeout()

    def wait(self, timeout: float) -> None:
        """Give up on a send or an answer after `timeout` seconds (set on the socket only when it changes)."""
        if timeout != self._timeout:
            self.sock.settimeout(timeout)
            self._timeout = timeout

    def close(self) -> None:
        try:
            self.reader.close()
        finally:
            self.sock.close()


class KeepAliveHttp:
    """twilio's HttpClient interface (`request`, `is_async`) over one kept-alive connection per client.

    One instance serves one thread (the SMS sender keeps one per sending thread).
    """

    def __init__(self, *, timeout: float, ca_certs: str | None = None):
        self.is_async = False
        self.timeout = timeout
        self._ca_certs = ca_certs
        self._tls: ssl.SSLContext | None = None
        self._origin: tuple[str, str, int] | None = None
        self._connection: _Connection | None = None
        self.connections_opened = 0

    def request(
        self,
        method: str,
        url: str,
        params: dict | None = None,
        data: dict | None = None,
        headers: dict | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Any:
        """Make one request and return twilio's Response (status, text, headers); redirects are not followed."""
        from twilio.http.response import Response

        method = method.upper()
        scheme, host, port, host_header, target = _split(url)
        query = form(params)
        if query:
            target = f"{target}{'&' if '?' in target else '?'}{query}"
        sent = {"Host": host_header, "Accept-Encoding": "identity", **(headers or {})}
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            sent["Authorization"] = f"Basic {token}"
        body = b""
        if method in ("POST", "PUT", "PATCH") or data:
            body = form(data).encode("utf-8")
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
            sent["Content-Length"] = str(len(body))
        lines = [f"{method} {target} HTTP/1.1", *(f"{name}: {value}" for name, value in sent.items())]
        if " " in target or UNSAFE.search("".join(lines)):
            raise ValueError("refusing a request line or header with a space or control character in it")
        raw = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body
        connection = self._connect(scheme, host, port)
        try:
            connection.wait(timeout if timeout is not None else self.timeout)
            connection.sock.sendall(raw)
            status, answer, content, keep = _read_response(connection.reader, method)
        except BaseException:
            # Half-written or half-read, this connection is finished; the request is not sent again here.
            self.close()
            raise
        if not keep:
            self.close()
        return Response(status, content.decode("utf-8"), answer)

    def _connect(self, scheme: str, host: str, port: int) -> _Connection:
        """The kept connection to this origin, or a new one (when there is none, it is to another origin,
        or the server has closed it: an idle connection with something to read has been closed)."""
        origin = (scheme, host, port)
        connection = self._connection
        if connection is not None and (self._origin != origin or _readable(connection.sock)):
            self.close()
            connection = None
        if connection is None:
            sock = socket.create_connection((host, port), timeout=self.timeout)
            try:
                # One write per request already; and no waiting on delayed acknowledgements either way.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if scheme == "https":
                    sock = self._context().wrap_socket(sock, server_hostname=host)
            except BaseException:
                sock.close()
                raise
            connection = _Connection(sock)
            self._connection, self._origin = connection, origin
            self.connections_opened += 1
        return connection

    def _context(self) -> ssl.SSLContext:
        """Certificate and host name checked, against certifi's bundle unless another is given."""
        if self._tls is None:
            import certifi

            self._tls = ssl.create_default_context(cafile=self._ca_certs or certifi.where())
        return self._tls

    def close(self) -> None:
        """Close the kept connection (the next request opens another)."""
        connection, self._connection, self._origin = self._connection, None, None
        if connection is not None:
            connection.close()


def _readable(sock: socket.socket) -> bool:
    """True when an idle connection has something to read: the server closed it (or broke the protocol)."""
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _line(reader: BinaryIO) -> bytes:
    line = reader.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise ProtocolError("answer line too long")
    if not line.endswith(b"\n"):
        raise ProtocolError("connection closed part-way through an answer")
    return line


def _read_response(reader: BinaryIO, method: str) -> tuple[int, dict[str, str], bytes, bool]:
    """Read one answer: status, headers (first spelling of each name, repeats joined), body, and whether
    the connection may carry another request."""
    while True:
        first = reader.readline(MAX_LINE + 1)
        if not first:
            raise ProtocolError("connection closed before an answer")
        version, _, rest = first.decode("latin-1").rstrip("\r\n").partition(" ")
        code = rest[:3]
        if not version.startswith("HTTP/1.") or len(rest) < 3 or not code.isdigit() or rest[3:4] not in ("", " "):
            raise ProtocolError("not an HTTP/1.x answer")
        status = int(code)
        headers: dict[str, str] = {}
        lower: dict[str, str] = {}
        while True:
            line = _line(reader)
            if line in (b"\r\n", b"\n"):
                break
            if len(headers) >= MAX_HEADERS:
                raise ProtocolError("too many headers")
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon or not name or name != name.strip():
                raise ProtocolError("malformed header")
            value = value.strip()
            key = name.lower()
            if key in lower:
                headers[lower[key]] += ", " + value
            else:
                lower[key] = name
                headers[name] = value
        if not 100 <= status < 200:
            break
        # An interim answer (100 Continue, 103 Early Hints): the real one follows.
    fields = {key: headers[name] for key, name in lower.items()}
    tokens = {token.strip().lower() for token in fields.get("connection", "").split(",")}
    keep = "close" not in tokens and (version != "HTTP/1.0" or "keep-alive" in tokens)
    if method == "HEAD" or status in (204, 304):
        body = b""
    elif "chunked" in fields.get("transfer-encoding", "").lower():
        body = _read_chunked(reader)
    elif "content-length" in fields:
        length_text = fields["content-length"].split(",")[0].strip()
        if not length_text.isascii() or not length_text.isdigit():
            raise ProtocolError("bad Content-Length")
        body = _read_exactly(reader, int(length_text))
    else:
        body = reader.read()  # ended by closing the connection
        keep = False
    encoding = fields.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        try:
            body = zlib.decompress(body)
        except zlib.error:
            body = zlib.decompress(body, -zlib.MAX_WBITS)
    return status, headers, body, keep


def _read_exactly(reader: BinaryIO, length: int) -> bytes:
    body = reader.read(length)
    if len(body) != length:
        raise ProtocolError("connection closed part-way through an answer")
    return body


def _read_chunked(reader: BinaryIO) -> bytes:
    parts = []
    while True:
        size_text = _line(reader).split(b";", 1)[0].strip()
        if not HEX.fullmatch(size_text):
            raise ProtocolError("bad chunk size")
        size = int(size_text, 16)
        if size == 0:
            break
        parts.append(_read_exactly(reader, size))
        if _line(reader).strip():
            raise ProtocolError("chunk not followed by a line end")
    while _line(reader) not in (b"\r\n", b"\n"):  # trailers, read and dropped
        pass
    return b"".join(parts)
