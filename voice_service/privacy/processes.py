"""Which `serve` and `scheduler` processes on this machine predate the configuration file.

`privacy rotate-key` uses this to refuse while a process that read the configuration before the
key change is still running: such a process encrypts new numbers with the old `phone_key` and
cannot read what the rotation rewrites (trial U19). It reads Linux's /proc (the process list and
each start time; never a process's environment, so no secret of another process is read). It sees
only this machine, and only keys set in the file: processes elsewhere, or keys set through
VOICE_* environment variables, are for the person to restart, as docs/data-protection.md says.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

COMMANDS = ("serve", "scheduler")
PROGRAMS = ("voice-service", "voice_service")


@dataclass(frozen=True)
class RunningProcess:
    """A voice-service process found in /proc: its id, command and start (seconds since the epoch), and the
    configuration file its command line names with --config (resolved against its working directory), else None:
    one it reads from $VOICE_CONFIG or ./config.toml, which is not told from outside without its environment."""

    pid: int
    command: str
    started_at: float
    config: Path | None = None


def _config_named(argv: list[str], cwd: Path | None) -> Path | None:
    """The file `--config PATH` (or `--config=PATH`) names in argv, made absolute from `cwd`; None when none is."""
    for index, arg in enumerate(argv):
        value = argv[index + 1] if arg == "--config" and index + 1 < len(argv) else None
        if arg.startswith("--config="):
            value = arg.removeprefix("--config=")
        if value:
            named = Path(value)
            if not named.is_absolute():
                if cwd is None:
                    return None
                named = cwd / named
            return Path(os.path.normpath(named))
    return None


def _command(argv: list[str]) -> str | None:
    """`serve` or `scheduler` when argv runs voice-service (console script or `python -m`), else None."""
    for index, arg in enumerate(argv):
        if os.path.basename(arg) in PROGRAMS:
            for later in argv[index + 1 :]:
                if later in COMMANDS:
                    return later
            return None
    return None


def _boot_time(proc: Path) -> float | None:
    """When the machine started, on this process's own clock (`time.time()` less the uptime), which
    is the clock a file's modification time is read on too; else the kernel's `btime`."""
    try:
        return time.time() - float((proc / "uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    try:
        for line in (proc / "stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except OSError:
        return None
    return None


def running_processes(*, proc: Path = Path("/proc"), own_pid: int | None = None) -> list[RunningProcess]:
    """Every `voice-service serve` or `scheduler` process this user can see on this machine (none if no /proc)."""
    boot = _boot_time(proc)
    if boot is None:
        return []
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    own_pid = os.getpid() if own_pid is None else own_pid
    found = []
    for entry in proc.iterdir() if proc.is_dir() else ():
        if not entry.name.isdigit() or int(entry.name) == own_pid:
            continue
        try:
            argv = [part for part in (entry / "cmdline").read_bytes().decode("utf-8", "replace").split("\0") if part]
            command = _command(argv)
            if command is None:
                continue
            stat = (entry / "stat").read_text()
            start_ticks = int(stat[stat.rindex(")") + 2 :].split()[19])  # field 22, counted after "pid (comm)"
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile, or not ours to read
        try:
            cwd: Path | None = Path(os.readlink(entry / "cwd"))
        except OSError:
            cwd = None
        config = _config_named(argv, cwd)
        found.append(RunningProcess(int(entry.name), command, boot + start_ticks / ticks, config))
    return sorted(found, key=lambda process: process.pid)


def started_before(
    config_file: Path, *, proc: Path = Path("/proc"), own_pid: int | None = None
) -> list[RunningProcess]:
    """The `serve` and `scheduler` processes on this machine started before `config_file` last changed. A process
    whose command line names another file with --config (the demo's, say) reads another configuration and is not
    counted (trial 10, T10-5); one that names none may read this file through $VOICE_CONFIG, so it is."""
    changed = config_file.stat().st_mtime
    this = config_file.resolve()
    # Start times are whole clock ticks: a second's grace so a process started just after the edit is not named.
    return [
        process
        for process in running_processes(proc=proc, own_pid=own_pid)
        if process.started_at < changed - 1 and (process.config is None or _same_file(process.config, this))
    ]


def _same_file(named: Path, this: Path) -> bool:
    try:
        return named.resolve() == this
    except OSError:
        return True  # cannot tell: counted, as the safe side
