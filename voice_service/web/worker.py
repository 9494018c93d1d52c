"""The gunicorn worker `serve` (and the demo) runs: gthread's, which reads each request whole before a thread takes
it, and whose quick stop runs once however often it is asked."""

from __future__ import annotations

import errno
import selectors
import time
from functools import partial

from gunicorn.http2 import negotiation
from gunicorn.workers.gthread import ThreadWorker as GthreadWorker

# A request's head larger than this, or a body longer than the app takes (`web.app.MAX_BODY`), is handed to a
# thread as soon as its head is in: gunicorn and the app refuse it from there without reading it all.
HEAD_LIMIT = 64 * 1024
# How long a client has to send a whole request, once its first bytes have come (nginx's client_header_timeout
# and client_body_timeout are 60 s each). A client still sending after this is closed, unanswered.
READ_SECONDS = 30.0
CHUNK = 65536


def request_complete(data: bytes, body_limit: int) -> bool:
    """Whether `data`, the start of what a connection has sent, holds a whole HTTP/1 request, or as much of one as
    a thread should wait for: its head, then the body its Content-Length gives (or a chunked body's last chunk).
    A head that is too long, a body longer than `body_limit`, an unreadable length and `Expect: 100-continue`
    (the client waits to be told to send its body) are handed on at the head, for the usual refusal or answer."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return len(data) > HEAD_LIMIT
    body = len(data) - end - 4
    length = 0
    for line in data[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"expect":
            return True
        if name == b"transfer-encoding":  # chunked: whole at its last chunk ("0", maybe an extension and trailers)
            chunks = data[end + 2 :]
            return b"chunked" not in value.lower() or (chunks.endswith(b"\r\n\r\n") and b"\r\n0" in chunks)
        if name == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return True
    return length > body_limit or body >= length


class ThreadWorker(GthreadWorker):
    """gthread's worker, with two changes.

    **A request is read whole before a thread takes it.** gthread hands a connection to one of its threads once
    the first bytes of a request come, and the thread then waits for the rest: a client sending a byte a second
    holds a thread for as long as it likes, and as many such clients as a worker has threads starve it (with 2
    threads, four of them stopped the server answering texts). Here the worker's main thread, which already
    waits on every idle connection, also reads what each sends (non-blocking, as it comes) until the request is
    whole (`request_complete`), and only then gives it to a thread, with the bytes read so far put back in front
    of gunicorn's parser. A thread is then never waiting on a client, so a worker needs only as many threads as
    it has requests to work on at once, and a client that has not sent its whole request in `READ_SECONDS`
    is closed. TLS and HTTP/2 connections (neither is used by `serve`) go to a thread as gthread sends them.

    **Stopped once by SIGINT and SIGQUIT together.** Ctrl+C in a terminal signals the whole process group, so a
    worker gets SIGINT from the terminal and, a moment later, SIGQUIT from its master, often both before its
    main thread runs again. Python runs the second handler inside the first, and gthread's stop, interrupted
    while it held its pool's shutdown lock (`ThreadPoolExecutor.shutdown`), then waited on that lock for ever,
    until the master killed it after graceful_timeout ("Worker (pid:...) was sent SIGKILL! Perhaps out of
    memory?"). The first is already stopping the worker, so a second is let go."""

    stopping = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reading: set = set()  # connections whose request is still coming
        self.body_limit = HEAD_LIMIT

    def init_process(self) -> None:
        from .app import MAX_BODY

        self.body_limit = MAX_BODY
        super().init_process()

    def handle_quit(self, sig, frame) -> None:
        """SIGINT or SIGQUIT: stop now (gthread's quick stop), once."""
        if self.stopping:
            return
        self.stopping = True
        super().handle_quit(sig, frame)

    def enqueue_req(self, conn) -> None:
        """Every way into the pool (a new connection, a kept-alive one sending again, bytes left over from the last
        request) comes here: read what the client has sent, without waiting; a whole request goes to a thread,
        and part of one waits in the poller for the rest."""
        if self.cfg.is_ssl or negotiation.prior_knowledge_allowed(self.cfg, conn.client):
            super().enqueue_req(conn)
            return
        if not hasattr(conn, "read_ahead"):
            conn.read_ahead = b""
            conn.reading_since = None
        if conn.parser is not None:  # bytes gunicorn read past the last request (pipelined): they come first
            conn.read_ahead = conn.parser.unreader.take_buffered() + conn.read_ahead
        self._read(conn)

    def _read(self, conn) -> None:
        """Take what the connection has sent so far, then hand the request on, wait for more, or close."""
        closed = False
        read_limit = HEAD_LIMIT + self.body_limit  # the most a whole request can be (a chunked body has no length)
        try:
            conn.sock.setblocking(False)
            while len(conn.read_ahead) <= read_limit:
                chunk = conn.sock.recv(CHUNK)
                if not chunk:
                    closed = True
                    break
                conn.read_ahead += chunk
                if request_complete(conn.read_ahead, self.body_limit):
                    break
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as error:
            if error.errno not in (errno.ECONNRESET, errno.EPIPE, errno.ENOTCONN, errno.ETIMEDOUT):
                self.log.debug("socket error reading a request: %s", error)
            self._drop(conn)
            return
        if closed and not conn.read_ahead:  # gone before sending anything (or between kept-alive requests)
            self._drop(conn)
        elif closed or request_complete(conn.read_ahead, self.body_limit) or len(conn.read_ahead) > read_limit:
            conn.reading_since = None
            conn.data_ready = True  # a thread never waits for the first bytes: they are here
            super().enqueue_req(conn)  # what a closed connection sent is answered (or refused) as far as it goes
        else:
            if conn.reading_since is None:
                conn.reading_since = time.monotonic()
                conn.timeout = conn.reading_since + READ_SECONDS
            self.reading.add(conn)
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn, client) -> None:
        self.poller.unregister(client)
        self.reading.remove(conn)
        self._read(conn)

    def _drop(self, conn) -> None:
        self.nr_conns -= 1
        conn.close()

    def handle(self, conn):
        """In a thread: put what the main thread read back in front of gunicorn's parser, then gthread's own."""
        data = getattr(conn, "read_ahead", b"")
        if data:
            conn.read_ahead = b""
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(data)
        return super().handle(conn)

    def murder_pending(self) -> None:
        """gthread's, and close every connection that has not sent its whole request in `READ_SECONDS`."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [conn for conn in self.reading if conn.timeout <= now]:
            self.reading.remove(conn)
            try:
                self.poller.unregister(conn.sock)
            except (OSError, KeyError, ValueError):
                pass
            self._drop(conn)
