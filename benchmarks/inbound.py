"""The inbound path under load, beside its ceiling: the real server against a bare Flask+TwiML endpoint.

For SQLite and then PostgreSQL (a database this benchmark creates and drops, on
VOICE_TEST_DATABASE_URL's server, else postgresql://postgres@127.0.0.1:5432/test):

- starts `voice-service serve --workers 2` (gunicorn, the settings users get) on a fresh
  database with 600 imported young people, 200 of them invited to the `pulse` survey, and
  the bare endpoint (`benchmarks/_bare.py`) under gunicorn with the same worker settings;
- drives each, in interleaved blocks, with `wrk -t2 -c16` from its own process, replaying
  pre-signed webhooks with a new MessageSid each (10% survey answers, 4.5% worrying texts,
  the rest texts-in); prints throughput, p50 and p99 for each and the ratio;
- runs an open-loop test at a steady 200 messages a second (`benchmarks/_openloop.py`, a
  constant-arrival generator in its own process) and prints p50, p99 and errors, and on PostgreSQL how many
  WAL segments the server entered meanwhile against how many files it had ready (a segment made on the spot
  holds every commit while 16 MB are written and synced: docs/benchmarks.md, Inbound);
- prints the CPU the workers spent per request (service and bare, from /proc), which the
  machine's other load does not change the way it changes throughput, and on PostgreSQL the CPU
  the server's backends for the benchmark's database spent per request (it shares the cores);
- prints the memory of each worker (PSS, and what is private to it), the first texts'
  latency after a start against the steady median (and the workers' CPU and minor page faults
  for each, which the machine's other load moves less, and on PostgreSQL the server's CPU for
  each: a statement planned or a catalogue read on a first text costs there), and
  `voice-service --help`'s time.

Targets (issue 14; printed, never asserted in tests): >= 40% of the bare endpoint on
PostgreSQL and >= 25% on SQLite; p99 < 100 ms at 200/s with no errors; < 150 MB a worker;
`--help` < 0.5 s. Needs `wrk` (Debian: `apt-get install wrk`). Knobs: BENCH_SECONDS (per
wrk run, default 8), BENCH_BLOCKS (default 3), BENCH_RATE (default 200), BENCH_DATABASES
(default "sqlite,postgresql"), BENCH_THREADS (per worker, both servers, default serve's, 2),
BENCH_FIRST_ONLY=1 (only the first texts after a start, for each database).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy.pool import NullPool
from twilio.request_validator import RequestValidator

from voice_service.cli import serve

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
AUTH_TOKEN = "bench-token-0123456789abcdef0123456789"  # as long as a real one (serve refuses less)
PUBLIC_URL = "http://bench.test"
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
BLOCKS = int(os.environ.get("BENCH_BLOCKS", "3"))
RATE = float(os.environ.get("BENCH_RATE", "200"))
# Only the first texts after a start against the steady medians (no bare endpoint, wrk or open loop): quick.
FIRST_ONLY = os.environ.get("BENCH_FIRST_ONLY", "") not in ("", "0")
WORKERS = 2
THREADS = int(os.environ.get("BENCH_THREADS", str(serve.THREADS)))  # serve's default; both servers get the same
TEXT_INS = [
    "my sw changed again thats the 3rd one this year",
    "more trips out in the holidays pls",
    "camhs waiting list is ages tbh",
    "carers are sound they actually listen to me",
    "can i have sleepovers at my mates without waiting weeks",
    "this survey is killing me lol",
    "school is going better now i have a tutor",
    "wifi at my placement is rubbish",
]
RISKY = [
    "i dont see the point anymore",
    "hes older and buys me stuff says not to tell anyone",
    "i want to kill myself",
]
ANSWERS = ["yes", "4", "my carers help me with homework", "3", "yes", "no", "5", "more clubs"]
TEXT_IN_PHONES = [f"+447700900{n:03d}" for n in range(400)]
SURVEY_PHONES = [f"+447700900{n:03d}" for n in range(400, 600)]  # Ofcom's drama range: 900000-900999
KINDS = ("text-in", "answer", "disclosure")
FIRST_TEXTS_IN = 4  # after a start, before any other kind (both workers are likely to have had one)
# Texts sent after a pause as long as the settling a first text waits for (`_settled`: two quiet quarter
# seconds), to a worker long warmed up: what any text costs that comes when the service was idle. Texts-in and
# answers only, each from a number that has not texted before: a disclosure from a fresh number is not to be had
# (the first and steady texts use every one of DISCLOSING), and one on an open alert does more.
PAUSED_TEXTS, PAUSE_SECONDS, PAUSED_KINDS = 5, 0.6, ("text-in", "answer")
# The numbers the mix sends its worrying texts from (n % 200 < 9), and numbers it never does: the first and
# steady texts of each kind come from these, so a text-in is not answered as one after a disclosure.
DISCLOSING = [n for n in range(len(TEXT_IN_PHONES)) if n % 200 < 9]
NEVER_DISCLOSING = range(100, 200)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Traffic:
    """Signed webhook bodies with unique MessageSids: 10% survey answers, 4.5% risky, the rest texts-in."""

    def __init__(self) -> None:
        self.validator = RequestValidator(AUTH_TOKEN)
        self.count = 0
        self.answered: dict[str, int] = {}

    def next(self) -> str:
        """One line of the mix: signature TAB form body."""
        self.count += 1
        n = self.count
        if n % 10 == 0:
            return self.of("answer", n // 10)
        if n % 200 < 9:  # 9 in 200 = 4.5%
            return self.of("disclosure", n)
        return self.of("text-in", n)

    def of(self, kind: str, n: int) -> str:
        """One line of one kind (KINDS): the `n`th number of its list, and a text chosen by `n`."""
        if kind == "answer":
            phone = SURVEY_PHONES[n % len(SURVEY_PHONES)]
            step = self.answered.get(phone, 0)
            self.answered[phone] = step + 1
            body = ANSWERS[step % len(ANSWERS)]
        elif kind == "disclosure":
            phone, body = TEXT_IN_PHONES[n % len(TEXT_IN_PHONES)], RISKY[n % len(RISKY)]
        elif kind == "text-in":
            phone, body = TEXT_IN_PHONES[n % len(TEXT_IN_PHONES)], TEXT_INS[n % len(TEXT_INS)]
        else:
            raise ValueError(f"no such kind of text: {kind}")
        form = {
            "MessageSid": f"SM{uuid.uuid4().hex}",
            "From": phone,
            "To": "+447700900999",
            "Body": body,
            "AccountSid": "AC" + "0" * 32,
            "NumMedia": "0",
        }
        signature = self.validator.compute_signature(PUBLIC_URL + "/sms/inbound", form)
        return signature + "\t" + urllib.parse.urlencode(form)

    def file(self, folder: Path, count: int) -> Path:
        """A file of `count` fresh requests."""
        path = folder / f"requests-{uuid.uuid4().hex[:8]}.txt"
        with path.open("w") as handle:
            for _ in range(count):
                handle.write(self.next() + "\n")
        return path


def _environment(database_url: str, spool: Path) -> dict[str, str]:
    return {
        **os.environ,
        "VOICE_CONFIG": "",
        "VOICE_DATABASE_URL": database_url,
        "VOICE_APP_PUBLIC_URL": PUBLIC_URL,
        "VOICE_APP_COUNCIL_NAME": "Bench Borough Council",  # serve refuses the placeholder
        "VOICE_APP_SECRET_KEY": uuid.uuid4().hex,
        "VOICE_APP_LOG_LEVEL": "WARNING",
        "VOICE_PRIVACY_PHONE_KEY": Fernet.generate_key().decode(),
        "VOICE_PRIVACY_HASH_KEY": uuid.uuid4().hex,
        "VOICE_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "VOICE_SAFEGUARDING_DUTY_EMAILS": "duty@council.test",
        "VOICE_SMTP_HOST": "127.0.0.1",  # an email route needs a mail server to start
        "VOICE_SPOOL_DIR": str(spool),
        "VOICE_WEBCHAT_RATE_LIMIT_STORAGE": "memory://",
    }


def _seed(env: dict[str, str]) -> None:
    """Migrate, import the young people and launch the survey round, with the service's own code."""
    from voice_service.config import load
    from voice_service.context import Services
    from voice_service.db import session_scope, upgrade
    from voice_service.participants.importer import import_participants, rows_to_csv
    from voice_service.rounds.launch import Cohort, launch_round

    upgrade(env["VOICE_DATABASE_URL"])
    config = load(None, environ={k: v for k, v in env.items() if k.startswith("VOICE_")})
    services = Services.from_config(config)
    rows = [
        {"phone": p, "first_name": "Sam", "status": "in_care", "date_of_birth": "2011-01-01", "area": "North"}
        for p in TEXT_IN_PHONES
    ] + [
        {"phone": p, "first_name": "Alex", "status": "in_care", "date_of_birth": "2011-01-01", "area": "Survey"}
        for p in SURVEY_PHONES
    ]
    with session_scope(services.engine) as session:
        report = import_participants(session=session, vault=services.vault, handle=io.StringIO(rows_to_csv(rows)))
    if not report.ok:
        raise RuntimeError(f"seeding failed: {report.problems[:3]}")
    survey, source = services.survey_source("pulse")
    with session_scope(services.engine) as session:
        launch_round(session=session, vault=services.vault, survey=survey, source=source, cohort=Cohort(area="Survey"))
    services.engine.dispose()


START_SECONDS = 300  # the master builds and warms the app before it listens: a minute or more on a busy machine


def _wait_up(port: int, process: subprocess.Popen, path: str = "/healthz") -> None:
    give_up = time.monotonic() + START_SECONDS
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start in {START_SECONDS} s")


def _start_service(env: dict[str, str], folder: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voice_service",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
        ],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_up(port, process)
    return process, port


def _start_bare(folder: Path) -> tuple[subprocess.Popen, int]:
    from voice_service.cli.serve import gunicorn_options

    port = _free_port()
    options = gunicorn_options(host="127.0.0.1", port=port, workers=WORKERS, threads=THREADS)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        options["bind"],
        "--workers",
        str(WORKERS),
        "--worker-class",
        options["worker_class"],
        "--threads",
        str(THREADS),
        "--preload",
        "--no-control-socket",
        "benchmarks._bare:app",
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(port, process, "/")
    except RuntimeError:
        # Older gunicorn has no --no-control-socket.
        command.remove("--no-control-socket")
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_up(port, process, "/")
    return process, port


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _wrk(port: int, requests: Path) -> dict:
    """One closed-loop wrk run: requests/s, p50 and p99 (ms), errors."""
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c16",
            f"-d{SECONDS:g}s",
            "--timeout",
            "15s",
            "-s",
            str(HERE / "_wrk.lua"),
            f"http://127.0.0.1:{port}/sms/inbound",
            "--",
            str(requests),
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
    )
    line = next((row for row in result.stdout.splitlines() if row.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError("wrk gave no result: " + result.stdout[-500:] + result.stderr[-500:])
    count, duration_us, status_errors, socket_errors, p50_us, p99_us, wraps = map(int, line.split()[1:])
    return {
        "rps": count / (duration_us / 1e6),
        "requests": count,
        "p50": p50_us / 1000,
        "p99": p99_us / 1000,
        "errors": status_errors + socket_errors,
        "wrapped": wraps,
    }


def _cpu_seconds(master: int) -> float:
    """User + system CPU seconds used so far by a gunicorn master's workers (from /proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _workers(master):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _backends(url: str) -> tuple[dict[int, float], int] | None:
    """For PostgreSQL: the user + system CPU seconds used so far by each server process serving this database's
    connections (its backends, from pg_stat_activity and /proc; not the server's background writers, which
    serve every database on it), and how many connections to it have been opened so far
    (pg_stat_database.sessions). None for SQLite, or when /proc does not show the backends."""
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import create_engine, text

    from voice_service.db import normalise_url

    engine = create_engine(normalise_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            pids = list(
                connection.execute(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                    )
                ).scalars()
            )
            sessions = connection.execute(
                text("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
            ).scalar_one()
    finally:
        engine.dispose()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return cpu, int(sessions)


def _wal_position(url: str) -> tuple[int, int] | None:
    """For PostgreSQL: the number of the WAL segment the whole server is writing, and how many segment files lie
    ready beyond it (recycled at a checkpoint). A segment entered with none ready is made on the spot, 16 MB
    written and synced while every commit waits (docs/benchmarks.md, Inbound). None for SQLite, or when the
    server will not list its WAL folder (pg_ls_waldir needs a superuser or pg_monitor)."""
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    from voice_service.db import normalise_url

    engine = create_engine(normalise_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            segment, ready = connection.execute(
                text(
                    "SELECT ((pg_current_wal_lsn() - '0/0'::pg_lsn) / s.setting::bigint)::bigint, "
                    "(SELECT count(*) FROM pg_ls_waldir() w WHERE w.name ~ '^[0-9A-F]{24}$' "
                    "AND w.name > pg_walfile_name(pg_current_wal_lsn())) "
                    "FROM pg_settings s WHERE s.name = 'wal_segment_size'"
                )
            ).one()
    except DBAPIError:
        return None
    finally:
        engine.dispose()
    return int(segment), int(ready)


def _backends_cost(before: tuple[dict[int, float], int], after: tuple[dict[int, float], int], requests: int) -> dict:
    """The connections opened during a run and, when none was opened or closed (else a backend's CPU is missed),
    the backends' CPU per request in ms."""
    opened = after[1] - before[1] - 1  # less the one `_backends` itself opened
    cost: dict = {"db_connections": opened}
    if opened == 0 and set(before[0]) <= set(after[0]):
        cost["db_cpu_ms"] = sum(after[0][pid] - before[0][pid] for pid in before[0]) * 1000 / max(1, requests)
    return cost


def _workers(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found]


def _memory(pid: int) -> tuple[float, float]:
    """(PSS, private) in MB, from /proc/PID/smaps_rollup."""
    fields = {}
    for row in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = row.split()
        fields[name.rstrip(":")] = int(value)
    private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return fields.get("Pss", 0) / 1024, private / 1024


def _post_timed(port: int, line: str) -> float:
    signature, body = line.split("\t", 1)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sms/inbound", data=body.encode(), headers={"X-Twilio-Signature": signature}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=15) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def _worker_cost(workers: list[int]) -> tuple[float, int]:
    """CPU milliseconds (every thread's, from /proc/PID/task/*/schedstat, in ns) and minor page faults the
    workers have had so far: what a text cost them, whatever else the machine was doing."""
    cpu_ns = faults = 0
    for pid in workers:
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                cpu_ns += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
            faults += int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[7])  # minflt
        except OSError:
            continue
    return cpu_ns / 1e6, faults


# kind, wall ms, workers' CPU ms, workers' minor page faults, and on PostgreSQL the CPU ms of the server's
# processes for the service's connections (else None)
Timed = tuple[str, float, float, int, float | None]


def _backend_pids(url: str) -> set[int] | None:
    """For PostgreSQL, the server processes serving this database's connections (its backends); else None."""
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import create_engine, text

    from voice_service.db import normalise_url

    engine = create_engine(normalise_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return set(
                connection.execute(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                    )
                ).scalars()
            )
    finally:
        engine.dispose()


def _backends_cpu_ms(pids: set[int]) -> float:
    """CPU milliseconds the backends `pids` have used so far (/proc/PID/schedstat, in ns): what a text cost the
    database server (planning, its catalogue caches, the statements themselves), which the workers' CPU misses."""
    ns = 0
    for pid in pids:
        try:
            ns += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
        except OSError:
            continue
    return ns / 1e6


def _settled(workers: list[int], limit: float = 60.0) -> float:
    """Wait until the workers have finished starting (their warm-up: under 5 ms of CPU in each of two quarter
    seconds running); the seconds waited. The server answers as soon as one worker is up, and the workers'
    CPU that a first text is charged with would otherwise include another worker still warming up."""
    started = time.monotonic()
    quiet = 0
    before, _ = _worker_cost(workers)
    while quiet < 2 and time.monotonic() - started < limit:
        time.sleep(0.25)
        now, _ = _worker_cost(workers)
        quiet = quiet + 1 if now - before < 5 else 0
        before = now
    return time.monotonic() - started


def _first_and_steady(
    port: int, traffic: Traffic, workers: list[int], url: str = ""
) -> tuple[list[Timed], dict[str, list[Timed]], dict[str, list[Timed]]]:
    """The first texts after a start (every worker fresh, its warm-up done): a few texts-in, then the first
    survey answer and the first disclosure; then 20 of each kind, in turn, for the steady figures they are
    compared with; then PAUSED_TEXTS of each of PAUSED_KINDS, each after a pause (PAUSE_SECONDS), as a first
    text comes after the workers settle. On PostgreSQL each is also charged the CPU of the server's processes for the
    service's connections (all opened by the workers' warm-up; if one came or went meanwhile, those figures are
    dropped)."""
    print(f"  (the workers finished starting {_settled(workers):.1f} s after the server first answered)")
    backends = _backend_pids(url)

    def line(kind: str, n: int) -> str:
        index = {"text-in": NEVER_DISCLOSING[n], "disclosure": DISCLOSING[n % len(DISCLOSING)]}.get(kind, n)
        return traffic.of(kind, index)

    def timed(kind: str, n: int) -> Timed:
        request = line(kind, n)
        server = _backends_cpu_ms(backends) if backends else 0.0
        cpu, faults = _worker_cost(workers)
        ms = _post_timed(port, request)
        cpu_after, faults_after = _worker_cost(workers)
        server_ms = _backends_cpu_ms(backends) - server if backends else None
        return kind, ms, cpu_after - cpu, faults_after - faults, server_ms

    first = [timed("text-in", n) for n in range(FIRST_TEXTS_IN)]
    first += [timed(kind, 0) for kind in KINDS[1:]]
    steady: dict[str, list[Timed]] = {kind: [] for kind in KINDS}
    for n in range(1, 21):
        for kind in KINDS:
            steady[kind].append(timed(kind, FIRST_TEXTS_IN + n if kind == "text-in" else n))
    paused: dict[str, list[Timed]] = {kind: [] for kind in PAUSED_KINDS}
    for n in range(21, 21 + PAUSED_TEXTS):
        for kind in PAUSED_KINDS:
            time.sleep(PAUSE_SECONDS)
            paused[kind].append(timed(kind, FIRST_TEXTS_IN + n if kind == "text-in" else n))
    if backends is not None and _backend_pids(url) != backends:  # a connection came or went: its CPU is missed
        print("  (the service's connections changed during these texts: no database server figures)")
        first = [timed_[:4] + (None,) for timed_ in first]
        steady = {kind: [timed_[:4] + (None,) for timed_ in times] for kind, times in steady.items()}
    return first, steady, paused


def _first_words(first: list[Timed], steady: dict[str, list[Timed]], paused: dict[str, list[Timed]]) -> str:
    """The first texts' latencies, workers' CPU and page faults beside the steady medians of their kinds, and
    the slowest's ratio to its median (by the wall clock, and by the workers' CPU, which other load moves less);
    then beside the medians of texts sent after a pause to a worker long warm. Back to back, a text finds the
    processor's caches full of the last one's work; after a pause, as a first text is sent, it does not: the
    second ratio is the start-up's own cost."""
    walls = {kind: statistics.median(t[1] for t in times) for kind, times in steady.items()}
    cpus = {kind: statistics.median(t[2] for t in times) for kind, times in steady.items()}
    faults = {kind: statistics.median(t[3] for t in times) for kind, times in steady.items()}
    worst = max(ms / walls[kind] for kind, ms, *_ in first)
    worst_cpu = max(cpu / cpus[kind] for kind, _, cpu, *_ in first)
    server = ""
    if all(t[4] is not None for t in first) and all(t[4] is not None for times in steady.values() for t in times):
        servers = {kind: statistics.median(t[4] for t in times) for kind, times in steady.items()}
        worst_server = max(t[4] / max(servers[t[0]], 0.01) for t in first)  # type: ignore[operator]
        server = (
            "\n  database server's CPU for those first texts: "
            + ", ".join(f"{t[4]:.1f}" for t in first)
            + " ms; steady medians: "
            + ", ".join(f"{kind} {ms:.1f}" for kind, ms in servers.items())
            + f" ms (slowest first / its kind's median: {worst_server:.1f}x)"
        )
    paused_walls = {kind: statistics.median(t[1] for t in times) for kind, times in paused.items()}
    paused_cpus = {kind: statistics.median(t[2] for t in times) for kind, times in paused.items()}
    worst_paused = max(ms / paused_walls[kind] for kind, ms, *_ in first if kind in paused)
    worst_paused_cpu = max(cpu / paused_cpus[kind] for kind, _, cpu, *_ in first if kind in paused)
    server += (
        f"\n  after a pause of {PAUSE_SECONDS:g} s, a warm worker's medians: "
        + ", ".join(f"{kind} {ms:.1f}" for kind, ms in paused_walls.items())
        + " ms, workers' CPU "
        + ", ".join(f"{kind} {cpu:.1f}" for kind, cpu in paused_cpus.items())
        + f" ms (slowest first text-in or answer / its kind's paused median: {worst_paused:.1f}x, by CPU"
        f" {worst_paused_cpu:.1f}x)"
    )
    return (
        "first texts after start: "
        + ", ".join(f"{kind} {ms:.1f}" for kind, ms, *_ in first)
        + " ms; steady medians: "
        + ", ".join(f"{kind} {ms:.1f}" for kind, ms in walls.items())
        + f" ms (slowest first / its kind's median: {worst:.1f}x)\n"
        + "  workers' CPU for those first texts: "
        + ", ".join(f"{cpu:.1f}" for _, _, cpu, *_ in first)
        + " ms; steady medians: "
        + ", ".join(f"{kind} {cpu:.1f}" for kind, cpu in cpus.items())
        + f" ms (slowest first / its kind's median: {worst_cpu:.1f}x); minor page faults: "
        + ", ".join(str(t[3]) for t in first)
        + "; steady medians: "
        + ", ".join(f"{kind} {n:g}" for kind, n in faults.items())
        + server
    )


def _database(kind: str, folder: Path):
    """(url, drop) for a fresh database of this kind."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}", lambda: None
    from sqlalchemy import create_engine, text

    from voice_service.db import normalise_url

    admin_url = normalise_url(os.environ.get("VOICE_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"voice_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.rpartition("/")[0] + "/" + name, drop


def bench_database(kind: str, traffic: Traffic) -> None:
    """Every figure for one database."""
    folder = Path(tempfile.mkdtemp(prefix=f"voice-bench-{kind}-"))
    url, drop = _database(kind, folder)
    service = bare = None
    try:
        env = _environment(url, folder / "spool")
        _seed(env)
        if FIRST_ONLY:
            service, port = _start_service(env, folder)
            print(f"[{kind}] " + _first_words(*_first_and_steady(port, traffic, _workers(service.pid), url)))
            return
        bare, bare_port = _start_bare(folder)
        service, port = _start_service(env, folder)

        first, steady, paused = _first_and_steady(port, traffic, _workers(service.pid), url)

        service_runs, bare_runs = [], []
        for _ in range(BLOCKS):
            for runs, process, at, per_second in (
                (bare_runs, bare, bare_port, 600),
                (service_runs, service, port, 3000),  # room for a fast run: every text unique
            ):
                before = _cpu_seconds(process.pid)
                db_before = _backends(url) if process is service else None
                run = _wrk(at, traffic.file(folder, int(SECONDS * per_second)))
                run["cpu_ms"] = (_cpu_seconds(process.pid) - before) * 1000 / max(1, run["requests"])
                db_after = _backends(url) if db_before is not None else None
                if db_before is not None and db_after is not None:
                    run.update(_backends_cost(db_before, db_after, run["requests"]))
                runs.append(run)

        def median(runs: list[dict], key: str) -> float:
            return statistics.median(run[key] for run in runs)

        ratio = median(service_runs, "rps") / median(bare_runs, "rps")
        target = 0.40 if kind == "postgresql" else 0.25
        print(f"[{kind}] wrk -t2 -c16, {BLOCKS} interleaved blocks of {SECONDS:g} s, medians:")
        for name, runs in (("bare Flask+TwiML", bare_runs), ("voice-service serve", service_runs)):
            errors = sum(run["errors"] for run in runs)
            print(
                f"  {name:20s} {median(runs, 'rps'):8.0f} req/s  p50 {median(runs, 'p50'):7.1f} ms  "
                f"p99 {median(runs, 'p99'):7.1f} ms  errors {errors}"
            )
        # What a request costs the workers in CPU, whatever else the machine was doing (the database
        # server's own CPU is not in it): the throughput ratio the cores would allow if they were free.
        bare_cpu, service_cpu = median(bare_runs, "cpu_ms"), median(service_runs, "cpu_ms")
        print(
            f"  workers' CPU per request: bare {bare_cpu:.2f} ms, service {service_cpu:.2f} ms "
            f"(bare/service {bare_cpu / service_cpu:.1%})"
        )
        if all("db_connections" in run for run in service_runs):
            opened = [run["db_connections"] for run in service_runs]
            print(f"  PostgreSQL connections opened during each service run: {', '.join(map(str, opened))}")
        measured = [run for run in service_runs if "db_cpu_ms" in run]
        if measured:
            # The database server shares the machine's cores: what a text costs it is beside the workers' cost.
            db_cpu = median(measured, "db_cpu_ms")
            print(
                f"  PostgreSQL backends' CPU per request (median of the {len(measured)} run(s) in which no "
                f"connection was opened or closed): {db_cpu:.2f} ms; workers + backends "
                f"{service_cpu + db_cpu:.2f} ms (bare/that {bare_cpu / (service_cpu + db_cpu):.1%})"
            )
        elif any("db_connections" in run for run in service_runs):
            print("  PostgreSQL backends' CPU per request: not measured (connections came and went in every run)")
        if any(run["wrapped"] for run in service_runs):
            print("  NOTE: the service run outran its unique requests; some were retries (duplicates)")
        verdict = "met" if ratio >= target else "NOT met"
        print(f"  ratio: {ratio:.1%} of the bare endpoint (target >= {target:.0%}: {verdict})")

        wal_before = _wal_position(url)
        openloop = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks._openloop",
                str(port),
                f"{RATE:g}",
                "10",
                str(traffic.file(folder, int(RATE * 10))),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        row = next((r for r in openloop.stdout.splitlines() if r.startswith("OPENLOOP ")), None)
        if row is None:
            print(f"  open loop failed: {openloop.stderr[-500:]}")
        else:
            sent, ok, errors = map(int, row.split()[1:4])
            p50, p99, worst = map(float, row.split()[4:7])
            late = int(row.split()[7])
            met = p99 < 100 and errors == 0
            print(
                f"  open loop {RATE:g} msg/s for 10 s: sent {sent}, errors {errors}, p50 {p50:.1f} ms, "
                f"p99 {p99:.1f} ms, max {worst:.1f} ms, later than Twilio's 15 s {late} "
                f"(target p99 < 100 ms, 0 errors: {'met' if met else 'NOT met'})"
            )
        wal_after = _wal_position(url) if wal_before is not None else None
        if wal_before is not None and wal_after is not None:
            entered = wal_after[0] - wal_before[0]
            print(
                f"  WAL during the open loop (the whole server's): {entered} new segment(s) entered, "
                f"{wal_before[1]} ready beforehand (one entered with none ready is made then: 16 MB written and "
                "synced while every commit waits)"
            )

        sizes = [_memory(pid) for pid in _workers(service.pid)]
        master_pss, _ = _memory(service.pid)
        worst_pss = max(pss for pss, _ in sizes)
        print(
            f"  memory: master PSS {master_pss:.0f} MB; workers PSS "
            + ", ".join(f"{pss:.0f} MB (private {private:.0f})" for pss, private in sizes)
            + f" (target < 150 MB: {'met' if worst_pss < 150 else 'NOT met'})"
        )
        print("  " + _first_words(first, steady, paused))
    finally:
        for process in (service, bare):
            if process is not None:
                _stop(process)
        drop()
        shutil.rmtree(folder, ignore_errors=True)


def bench_help() -> None:
    """`voice-service --help` wall time, median of five."""
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "voice-service"), "--help"], capture_output=True, check=True)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"voice-service --help: {median:.2f} s median of 5 (target < 0.5 s: {'met' if median < 0.5 else 'NOT met'})")


def run() -> None:
    """Print every inbound figure (see the module docstring)."""
    if not FIRST_ONLY:
        bench_help()
    if shutil.which("wrk") is None and not FIRST_ONLY:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    traffic = Traffic()
    for kind in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(","):
        bench_database(kind.strip(), traffic)


if __name__ == "__main__":
    run()
