"""What one text costs in the request: statements, database round trips and CPU, per kind of text.

In one process (no server, no load generator), for SQLite and then PostgreSQL (a database this
benchmark creates and drops, on VOICE_TEST_DATABASE_URL's server, else
postgresql://postgres@127.0.0.1:5432/test): seeds the inbound benchmark's young people and survey
round, builds the app as `serve` does (warmed as its master is), and hands its WSGI app signed
webhooks of four kinds, one after another: a survey answer, an ordinary text-in (no waiting run),
a worrying text (an alert), and a retried MessageSid (a duplicate). For each kind it prints

- statements: what the driver was asked to run, counted on SQLite by its trace callback (BEGIN and
  COMMIT included) and on PostgreSQL by libpq's protocol trace (each Query or Sync the client sends
  is a round trip to the server, BEGIN and COMMIT included);
- calls: the Python function calls a text makes (cProfile's count over a further 50 of the kind),
  the same on any machine however busy;
- CPU per text: this process's CPU time (user + system) over the texts, divided by their number,
  which a busy machine changes far less than it changes throughput (the database server's own CPU
  is not in it; PostgreSQL's is a separate process);
- on PostgreSQL, the server's CPU per text: the user + system CPU of the server processes serving the
  benchmark's database over the same texts (from pg_stat_activity and /proc, as `benchmarks inbound` reads
  them), divided by their number: like the CPU per text, far steadier on a busy machine than throughput.

Knobs: COST_TEXTS (texts of each kind, default 300), COST_DATABASES (default "sqlite,postgresql").
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from .inbound import Traffic, _backends, _database, _environment, _seed

TEXTS = int(os.environ.get("COST_TEXTS", "300"))
CALLS = 50  # texts of each kind run under cProfile, to count function calls
KINDS = ("answer", "text-in", "disclosure", "duplicate")


def _environ(line: str) -> dict:
    signature, body = line.split("\t", 1)
    raw = body.encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/sms/inbound",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(raw)),
        "HTTP_X_TWILIO_SIGNATURE": signature,
        "HTTP_HOST": "bench.test",
        "SERVER_NAME": "bench.test",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(raw),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


class _Counter:
    """Statements the driver runs (SQLite: its trace callback; PostgreSQL: libpq's trace of Query and Sync)."""

    def __init__(self, engine, folder: Path):
        self.engine = engine
        self.sqlite: list[str] = []
        self.trace_path = folder / "libpq.trace"
        self._traced: dict[int, object] = {}
        self._known: dict[int, object] = {}
        self._trace_at = 0
        self._trace_file = None
        self.on = False
        self.seen: list[str] = []  # what SQLAlchemy's cursor events saw (COST_SHOW)
        event.listen(engine, "before_cursor_execute", self._cursor)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", self._sqlite_connect)
        else:
            self._trace_file = self.trace_path.open("w")
            event.listen(engine, "checkout", self._pg_checkout)

    def _cursor(self, _connection, _cursor, statement, *_args) -> None:
        if self.on:
            self.seen.append(statement)

    def _sqlite_connect(self, dbapi_connection, _record):
        dbapi_connection.set_trace_callback(self._sqlite_statement)

    def _sqlite_statement(self, sql: str) -> None:
        if self.on:
            self.sqlite.append(sql)

    def _pg_checkout(self, dbapi_connection, _record, _proxy):
        self._known[id(dbapi_connection)] = dbapi_connection
        if self.on and id(dbapi_connection) not in self._traced:
            self._trace(dbapi_connection)

    def _trace(self, dbapi_connection) -> None:
        if self._trace_file is not None and not dbapi_connection.closed:
            self._traced[id(dbapi_connection)] = dbapi_connection
            dbapi_connection.pgconn.trace(self._trace_file.fileno())

    def start(self) -> None:
        self.sqlite.clear()
        self.seen.clear()
        if self._trace_file is not None:
            self._trace_at = self.trace_path.stat().st_size
            for dbapi_connection in list(self._known.values()):
                self._trace(dbapi_connection)
        self.on = True

    def stop(self) -> list[str]:
        self.on = False
        if self._trace_file is None:
            return list(self.sqlite)
        for dbapi_connection in self._traced.values():
            if not dbapi_connection.closed:
                dbapi_connection.pgconn.untrace()  # flushes libpq's buffer
        self._traced.clear()
        sent = []
        with self.trace_path.open() as trace:
            trace.seek(self._trace_at)
            # libpq's trace: "<time> F <length> Query "BEGIN"" or "... F 4 Sync": one round trip each.
            for line in trace:
                fields = line.rstrip("\n").split("\t")
                if len(fields) < 4 or fields[1] != "F":
                    continue
                if fields[3] == "Query":
                    sent.append(fields[4].strip().strip('"'))
                elif fields[3] == "Parse":
                    parsed = fields[4].strip().split('"')
                    sent.append("~" + (parsed[3] if len(parsed) > 3 else "?"))
                elif fields[3] == "Sync":
                    sent.append("Sync")
        # A statement in the extended protocol is Parse/Bind/Execute ... Sync: counted once, at its Sync.
        named, pending = [], "(prepared)"
        for item in sent:
            if item.startswith("~"):
                pending = item[1:]
            elif item == "Sync":
                named.append(pending)
                pending = "(prepared)"
            else:
                named.append(item)
        return named


def _lines(traffic: Traffic, kind: str, count: int, start: int) -> list[str]:
    if kind == "answer":
        return [traffic.of("answer", start + n) for n in range(count)]
    if kind == "disclosure":
        return [traffic.of("disclosure", start + n) for n in range(count)]
    # Texts-in from numbers that never disclose and have no waiting run.
    return [traffic.of("text-in", 100 + (start + n) % 100) for n in range(count)]


def _server_cpu(before, after, texts: int) -> str:
    """The PostgreSQL server's CPU per text over a kind's timed texts, as words ("" on SQLite, or when /proc
    did not show it)."""
    if before is None or after is None:
        return ""
    spent = sum(after[0][pid] - before[0][pid] for pid in before[0] if pid in after[0])
    return f"  server CPU {spent / texts * 1000:5.2f} ms"


def cost_database(kind: str) -> None:
    """Every figure for one database."""
    from voice_service.config import load
    from voice_service.context import Services
    from voice_service.web.app import create_app
    from voice_service.web.warm_up import warm_up, warm_up_worker

    folder = Path(tempfile.mkdtemp(prefix=f"voice-cost-{kind}-"))
    url, drop = _database(kind, folder)
    try:
        env = _environment(url, folder / "spool")
        _seed(env)
        config = load(None, environ={k: v for k, v in env.items() if k.startswith("VOICE_")})
        services = Services.from_config(config)
        app = create_app(services=services)
        warm_up(app)
        counter = _Counter(services.engine, folder)
        warm_up_worker(app)
        traffic = Traffic()

        def post(line: str) -> bytes:
            status = []
            body = b"".join(app(_environ(line), lambda s, h, *a: status.append(s)))
            if not status or not status[0].startswith("200"):
                raise RuntimeError(f"the webhook answered {status}: {body[:200]!r}")
            return body

        print(f"[{kind}] per text ({TEXTS} of each kind after 10 to warm, one process, load {os.getloadavg()[0]:.1f}):")
        seen: dict[str, list[str]] = {}
        for text_kind in KINDS:
            if text_kind == "duplicate":
                lines = seen["text-in"] + seen["text-in"][:CALLS]
            else:
                lines = _lines(traffic, text_kind, 10 + TEXTS + CALLS, 0)
                for line in lines[:10]:  # warm: the first of a kind compiles what it needs
                    post(line)
                lines = lines[10:]
            timed, profiled = lines[:TEXTS], lines[TEXTS:]
            seen[text_kind] = timed
            server = _backends(url)
            counter.start()
            cpu, wall = time.process_time(), time.perf_counter()
            for line in timed:
                post(line)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            statements = counter.stop()
            server_words = _server_cpu(server, _backends(url), len(timed))
            # A further few under cProfile, for the Python function calls a text makes (the same on any machine).
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for line in profiled:
                post(line)
            profile.disable()
            stats = pstats.Stats(profile)
            per = len(statements) / len(timed)
            shape = " | ".join(s.split()[0].upper() for s in statements[: round(per)])
            print(
                f"  {text_kind:10s} {per:5.2f} statements  {stats.total_calls / len(profiled):6.0f} calls  "  # type: ignore[attr-defined]
                f"CPU {cpu / len(timed) * 1000:5.2f} ms{server_words}  "
                f"(wall {wall / len(timed) * 1000:5.2f} ms)  {shape}"
            )
            if os.environ.get("COST_PROFILE") == text_kind:
                stats.sort_stats(os.environ.get("COST_SORT", "tottime")).print_stats(45)
            if os.environ.get("COST_SHOW"):
                for statement in counter.seen[: round(per) + 2]:
                    print("      " + " ".join(statement.split())[:160])
        services.engine.dispose()
    finally:
        drop()
        shutil.rmtree(folder, ignore_errors=True)


def run() -> None:
    """Print the figures for each database (see the module docstring)."""
    for kind in os.environ.get("COST_DATABASES", "sqlite,postgresql").split(","):
        cost_database(kind.strip())


if __name__ == "__main__":
    run()
