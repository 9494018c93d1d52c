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
    """A voice-service process found in /proc: its id, command and start (seconds since the epoch)."""

    pid: int
    command: str
    started_at: float


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
        found.append(RunningProcess(int(entry.name), command, boot + start_ticks / ticks))
    return sorted(found, key=lambda process: process.pid)


def started_before(
    config_file: Path, *, proc: Path = Path("/proc"), own_pid: int | None = None
) -> list[RunningProcess]:
    """The `serve` and `scheduler` processes on this machine started before `config_file` last changed."""
    changed = config_file.stat().st_mtime
    # Start times are whole clock ticks: a second's grace so a process started just after the edit is not named.
    return [process for process in running_processes(proc=proc, own_pid=own_pid) if process.started_at < changed - 1]
