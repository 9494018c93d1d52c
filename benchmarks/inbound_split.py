"""Where the serving workers' CPU goes: each part of a request, served, beside the bare endpoint and in process.

`benchmarks.inbound` prints the workers' CPU per request; `benchmarks.inbound_cost` prints a text's CPU
in one process, texts handed to the WSGI app back to back. The first is far above the second. This
splits the first into its parts, for SQLite and then PostgreSQL (the same set-up as `inbound`): it
starts `voice-service serve` and the bare endpoint (the same worker settings) under
`benchmarks/_split_serve.py`, which adds up each part's thread CPU time in the workers, drives each with
`wrk -t2 -c16` in interleaved blocks (the same traffic as `inbound`), and prints the medians, in ms per
request:

- workers (all threads): what `inbound` prints as the workers' CPU per request;
- the request pool's threads: handling requests (gunicorn's `handle`: reading and parsing the request,
  building the WSGI environ, the app itself (for the service, `take_text`, the text's own work, within it),
  sending the answer, the access log line, the rest of gunicorn's handling), and their work around them
  (taking a request from the pool's queue, handing its connection back to the main thread);
- the main thread (its event loop: accepting, handing requests to the pool and kept-alive connections back
  to the poller), and the other threads (the database watchdog, SQLite's checkpointer, the split's own
  writer, five times a second).

Then, in one process, the service's WSGI app on the same mix of texts: back to back (as `inbound_cost`
measures), and with a pause between texts (BENCH_SPLIT_PAUSE_MS, default 2), as a server meets them: other
threads and processes run between two texts and leave the CPU's caches holding their own memory, and the
same code then costs more.

Knobs as `inbound` (BENCH_SECONDS, default 8; BENCH_BLOCKS, default 3; BENCH_DATABASES; BENCH_THREADS), and
BENCH_SPLIT_TEXTS (texts in process, each way, default 600). Needs `wrk`.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .inbound import (
    BLOCKS,
    ROOT,
    SECONDS,
    THREADS,
    WORKERS,
    Traffic,
    _database,
    _environment,
    _free_port,
    _seed,
    _settled,
    _stop,
    _wait_up,
    _workers,
    _wrk,
)

PAUSE_MS = float(os.environ.get("BENCH_SPLIT_PAUSE_MS", "2"))
TEXTS = int(os.environ.get("BENCH_SPLIT_TEXTS", "600"))
# (label, how it is worked out from the totals), in the order printed; "  " marks a part of the line above.
ROWS = (
    ("workers (all threads)", lambda t: t["process"]),
    ("  request pool's threads", lambda t: t["threads: pool"]),
    ("   handling requests", lambda t: t["handle"]),
    ("    parse the request", lambda t: t["parse"]),
    ("    WSGI environ", lambda t: t["environ"]),
    ("    app", lambda t: t["request"] - t["environ"] - t["respond"] - t["access log"]),
    ("      take_text", lambda t: t.get("take_text")),
    ("    send the answer", lambda t: t["respond"]),
    ("    access log", lambda t: t["access log"]),
    ("    rest", lambda t: t["handle"] - t["parse"] - t["request"]),
    ("   around them", lambda t: t["threads: pool"] - t["handle"]),
    ("  main thread", lambda t: t["threads: main"]),
    ("   its event loop", lambda t: t["main thread"]),
    ("  other threads", lambda t: t["threads: other"]),
)


def _totals(folder: Path, workers: list[int]) -> dict[str, float]:
    """The workers' totals so far, added together."""
    summed: dict[str, float] = {}
    for pid in workers:
        try:
            totals = json.loads((folder / str(pid)).read_text())
        except (OSError, ValueError):
            continue
        for part, value in totals.items():
            summed[part] = summed.get(part, 0.0) + value
    return summed


def _start(kind: str, env: dict[str, str], cwd: Path, split: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    if kind == "service":
        args = ["serve", "--port", str(port), "--workers", str(WORKERS), "--threads", str(THREADS)]
    else:
        args = [
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--preload",
            "--no-control-socket",
            "benchmarks._bare:app",
        ]
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._split_serve", kind, *args],
        env={**env, "BENCH_SPLIT_DIR": str(split), "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path[1:]])},
        cwd=cwd if kind == "service" else ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_up(port, process, "/healthz" if kind == "service" else "/")
    return process, port


def _served(kind: str, env: dict[str, str], folder: Path) -> dict[str, list[dict[str, float]]]:
    """Per request, each block's parts for the service and the bare endpoint."""
    split = folder / "split"
    split.mkdir()
    servers: dict[str, tuple[subprocess.Popen, int]] = {}
    runs: dict[str, list[dict[str, float]]] = {"service": [], "bare": []}
    traffic = Traffic()
    try:
        for name in ("bare", "service"):
            servers[name] = _start(name, env, folder, split)
        for block in range(BLOCKS):
            for name in ("service", "bare") if block % 2 == 0 else ("bare", "service"):
                process, port = servers[name]
                workers = _workers(process.pid)
                _settled(workers)
                before = _totals(split, workers)
                result = _wrk(port, traffic.file(folder, int(SECONDS * 3000)))
                time.sleep(0.6)  # totals written since the last request was answered
                after = _totals(split, workers)
                count = after.get("requests", 0) - before.get("requests", 0)
                if count <= 0:
                    raise RuntimeError(f"{name}: no request counted")
                if result["errors"]:
                    print(f"  ({name}: {result['errors']} of {result['requests']} requests failed in a block)")
                runs[name].append({part: (after[part] - before.get(part, 0.0)) * 1000 / count for part in after})
    finally:
        for process, _ in servers.values():
            _stop(process)
    return runs


def _in_process(env: dict[str, str]) -> tuple[float, float]:
    """The service's WSGI app in this process on the mix of texts: thread CPU ms a text back to back, and with
    a pause between texts."""
    from voice_service.config import load
    from voice_service.context import Services
    from voice_service.web.app import create_app
    from voice_service.web.warm_up import warm_up, warm_up_worker

    from .inbound_cost import _environ

    config = load(None, environ={k: v for k, v in env.items() if k.startswith("VOICE_")})
    services = Services.from_config(config)
    app = create_app(services=services)
    warm_up(app)
    warm_up_worker(app)
    traffic = Traffic()
    traffic.count = 10**6  # numbers and survey steps after those the served texts used

    def post(line: str) -> None:
        status: list[str] = []
        b"".join(app(_environ(line), lambda s, h, *a: status.append(s)))
        if not status or not status[0].startswith("200"):
            raise RuntimeError(f"the webhook answered {status}")

    spent = {0.0: [], PAUSE_MS: []}  # type: dict[float, list[float]]
    for block in range(4):
        for pause in (0.0, PAUSE_MS) if block % 2 == 0 else (PAUSE_MS, 0.0):
            used = 0.0
            for _ in range(TEXTS // 2):
                line = traffic.next()
                if pause:
                    time.sleep(pause / 1000)
                started = time.thread_time()
                post(line)
                used += time.thread_time() - started
            spent[pause].append(used * 1000 / (TEXTS // 2))
    services.engine.dispose()
    return statistics.median(spent[0.0]), statistics.median(spent[PAUSE_MS])


def split_database(kind: str) -> None:
    """Every figure for one database."""
    folder = Path(tempfile.mkdtemp(prefix=f"voice-split-{kind}-"))
    url, drop = _database(kind, folder)
    try:
        env = _environment(url, folder / "spool")
        _seed(env)
        runs = _served(kind, env, folder)
        print(
            f"[{kind}] thread CPU per request, ms (medians of {BLOCKS} interleaved wrk -t2 -c16 blocks of "
            f"{SECONDS:g} s, load {os.getloadavg()[0]:.1f}):"
        )
        print(f"  {'':28s} {'service':>8s} {'bare':>8s}")
        for label, part in ROWS:
            figures = []
            for name in ("service", "bare"):
                values = [part(run) for run in runs[name]]
                figures.append(
                    f"{statistics.median(values):8.3f}" if all(v is not None for v in values) else f"{'':8s}"
                )
            print(f"  {label:28s} {figures[0]} {figures[1]}")
        back_to_back, paused = _in_process(env)
        print(
            f"  in one process, the app on the same mix: {back_to_back:.3f} ms a text back to back, {paused:.3f} ms "
            f"with {PAUSE_MS:g} ms between texts (load {os.getloadavg()[0]:.1f})"
        )
    finally:
        drop()
        shutil.rmtree(folder, ignore_errors=True)


def run() -> None:
    """Print the figures for each database (see the module docstring)."""
    for kind in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(","):
        split_database(kind.strip())


if __name__ == "__main__":
    run()
