"""The demo's closing lines print commands a newcomer can paste as they are: `make demo` never puts .venv/bin on
PATH, so they say `.venv/bin/voice-service`, not a bare `voice-service` (trial 3, F27: "command not found")."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from voice_service.cli.demo import runnable_command

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_is_named_as_it_can_be_run_from_here():
    script = "/home/kim/voice/.venv/bin/voice-service"
    nowhere = lambda name: None  # noqa: E731
    assert (
        runnable_command(".venv/bin/voice-service", cwd="/home/kim/voice", which=nowhere) == ".venv/bin/voice-service"
    )
    assert runnable_command(script, cwd="/home/kim/voice", which=nowhere) == ".venv/bin/voice-service"
    assert runnable_command(script, cwd="/tmp", which=nowhere) == script
    # On PATH and the same script (an activated .venv, a pipx install): the short form.
    assert runnable_command(script, cwd="/tmp", which=lambda name: script) == "voice-service"
    # Another voice-service on PATH is not this one.
    assert runnable_command(script, cwd="/tmp", which=lambda name: "/usr/bin/voice-service") == script
    # python -m voice_service
    python = "/home/kim/voice/.venv/bin/python"
    module = runnable_command("/home/kim/voice/voice_service/__main__.py", cwd="/home/kim/voice", executable=python)
    assert module == ".venv/bin/python -m voice_service"


def test_make_demos_closing_commands_run_as_printed_without_venv_on_path(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("VOICE_")}
    env["PATH"] = "/usr/bin:/bin"  # a new terminal: .venv never activated
    script = Path(".venv/bin/voice-service")
    if not (ROOT / script).exists():  # the suite's own python, whatever its folder is called
        script = Path(os.path.relpath(Path(sys.executable).parent / "voice-service", ROOT))
    out = tmp_path / "demo-output"
    run = [str(script), "demo", "--no-serve", "--participants", "2", "--out", str(out)]
    result = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    printed = re.findall(r"`([^`]*alerts list)`", result.stdout)
    assert printed and printed[0].startswith(f"{script} --config "), result.stdout[-800:]
    assert "`voice-service " not in result.stdout
    pasted = subprocess.run(shlex.split(printed[0]), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert pasted.returncode == 0, pasted.stderr
