"""The command line as a user meets it: help, surveys check, clean errors."""

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from voice_service.cli import main


def test_help_lists_the_contract_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "demo", "serve", "surveys", "participants", "round", "outbox", "responses", "analyse"):
        assert command in result.output


def test_help_says_the_built_in_defaults_are_placeholders_not_the_demo():
    """Trial 3, F2: --help said "else built-in demo defaults", but with no file serve refuses the placeholders;
    the demo's settings are only the demo's."""
    result = CliRunner().invoke(main, ["--help"])
    text = " ".join(result.output.split())
    assert "demo defaults" not in text
    assert "built-in defaults, placeholders that serve, scheduler and commands reading live data refuse" in text


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "voice_service", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "Usage" in result.stdout


def test_surveys_check_passes_on_the_shipped_files():
    result = CliRunner().invoke(main, ["surveys", "check", "--strict"], env={"VOICE_CONFIG": ""})
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


COUNCIL_SURVEY = """id = "council"
title = "Your home"
audience = ["care_leaver"]
min_age = 18
max_age = 25
intro = "Hi {first_name}, it\u2019s the leaving care team. Quick questions about your home? Reply YES"
outro = "Thanks!"

[[questions]]
id = "flat"
kind = "scale"
text = "How is your flat? Reply 1 to 5"
min = 1
max = 5

[[questions]]
id = "home_help"
kind = "choice"
text = "What would help?"
choices = ["Repairs", "Money"]
"""


def test_surveys_check_warns_about_an_invitation_without_stop_and_unlisted_choices(tmp_path):
    # Tester U20: "ok" for an invitation with no way to say no and a choice question that never lists
    # its choices (and an invitation made two texts by a curly apostrophe).
    path = tmp_path / "council.toml"
    path.write_text(COUNCIL_SURVEY, encoding="utf-8")
    result = CliRunner().invoke(main, ["surveys", "check", str(path)], env={"VOICE_CONFIG": ""})
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 3, result.output
    assert "field 'intro': the invitation gives no way to say no: add 'or STOP to opt out'" in warnings[0]
    assert "field 'intro': is 2 texts long, not one" in warnings[1]
    assert "question 'home_help' field 'text': never lists its choices ('Repairs', 'Money' not said)" in warnings[2]
    assert "'Reply 1 Repairs; 2 Money'" in warnings[2]
    assert "ok (3 warnings):" in result.output
    strict = CliRunner().invoke(main, ["surveys", "check", "--strict", str(path)], env={"VOICE_CONFIG": ""})
    assert strict.exit_code == 1
    fixed = COUNCIL_SURVEY.replace("\u2019", "'").replace("Reply YES", "Reply YES, or STOP to opt out")
    path.write_text(fixed.replace("What would help?", "What would help? Reply 1 Repairs or 2 Money"))
    clean = CliRunner().invoke(main, ["surveys", "check", "--strict", str(path)], env={"VOICE_CONFIG": ""})
    assert clean.exit_code == 0 and "warning" not in clean.output, clean.output


def test_surveys_check_names_file_and_field_and_exits_1(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'id = "Bad Id"\ntitle = "t"\nintro = "Hi"\noutro = "Bye"\n[[questions]]\nid = "q1"\nkind = "scale"\ntext = "Rate 1 to 5"\nmin = 5\nmax = 1\n'
    )
    result = CliRunner().invoke(main, ["surveys", "check", str(bad)], env={"VOICE_CONFIG": ""})
    assert result.exit_code == 1
    assert "bad.toml" in result.output and "'id'" in result.output and "q1" in result.output


def test_surveys_check_names_a_file_it_cannot_read_without_a_stray_colon(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("not toml [[[")
    missing = tmp_path / "missing.toml"
    result = CliRunner().invoke(main, ["surveys", "check", str(broken), str(missing)], env={"VOICE_CONFIG": ""})
    assert result.exit_code == 1
    assert f"error: {broken}: this isn't valid TOML" in result.output
    assert f"error: {missing}: there is no such file or folder" in result.output
    assert "::" not in result.output


def test_commands_refuse_placeholder_secrets(tmp_path):
    result = CliRunner().invoke(main, ["participants", "import", "-"], input="phone\n", env={"VOICE_CONFIG": ""})
    assert result.exit_code != 0
    assert "privacy.phone_key" in result.output


def test_an_unmigrated_database_says_what_to_do(tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text(
        f'[app]\nsecret_key = "{"x" * 32}"\n[privacy]\nphone_key = "{__import__("cryptography.fernet").fernet.Fernet.generate_key().decode()}"\nhash_key = "{"y" * 32}"\n[database]\nurl = "sqlite:///{tmp_path}/new.db"\n'
    )
    result = CliRunner().invoke(main, ["--config", str(config), "round", "list"])
    assert result.exit_code != 0 and "db upgrade" in result.output
    result = CliRunner().invoke(main, ["--config", str(config), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(main, ["--config", str(config), "round", "list"])
    # Trial: an empty list printed nothing at all, as if the database were the wrong one.
    assert listed.exit_code == 0 and "no rounds yet" in listed.output


def test_help_lists_every_command_with_its_own_help_line():
    """The lazy listing (nothing imported for --help) says what each command's docstring says."""
    from voice_service.cli import COMMANDS

    ctx = main.make_context("voice-service", ["--help"], resilient_parsing=True)
    for name, (_, _, listed) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None, name
        assert command.get_short_help_str(limit=500) == listed, name
    output = CliRunner().invoke(main, ["--help"]).output
    assert all(f"  {name} " in output for name in COMMANDS)


def test_help_imports_no_subcommand_or_database_code():
    """`voice-service --help` stays fast because it loads neither SQLAlchemy nor any subcommand module."""
    probe = (
        "import sys; from voice_service.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'sqlmodel', 'nltk', 'gunicorn'))"
        " or (m.startswith('voice_service.cli.') and m != 'voice_service.cli'))\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_text_in_imports_no_database_code(tmp_path):
    """`voice-service text-in` only signs and posts a form: it took 3.8 s a text for the demo's imports and the
    models that reading the configuration pulled in (trial 11, T11-12). It loads no SQLAlchemy, no models."""
    config = tmp_path / "config.toml"
    config.write_text(
        '[app]\npublic_url = "http://127.0.0.1:1"\n[safeguarding]\nduty_emails = ["duty@council.example"]\n'
    )
    probe = (
        "import sys; from voice_service.cli import main\n"
        f"try:\n    main(['--config', {str(config)!r}, 'text-in', 'hi'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'sqlmodel', 'voice_service.models',"
        " 'voice_service.demo', 'flask')))\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "cannot reach http://127.0.0.1:1" in result.stderr  # it ran: the configuration was read, the post tried
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_a_stopped_server_lets_its_workers_finish_for_less_than_gunicorns_default():
    """A stop waits for answers in flight (seconds at most), then the workers are made to go, so a
    worker held up on a busy machine cannot keep a restart (or a test's 30 s wait) waiting."""
    from voice_service.cli.serve import gunicorn_options

    options = gunicorn_options(host="127.0.0.1", port=5000, workers=2)
    assert 5 <= options["graceful_timeout"] < 30


# A stand-in for gunicorn's master: it forks a "worker" that ties itself to it (as serve's post_fork does),
# says its pid, and both wait for ever.
MASTER_AND_WORKER = """
import os, signal
from voice_service.cli.serve import die_with_master
master = os.getpid()
if os.fork() == 0:
    die_with_master(master)
    print(os.getpid(), flush=True)
signal.pause()
"""


def _running(pid: int) -> bool:
    try:  # a zombie (dead, its exit not yet collected) is not running
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def test_a_worker_goes_when_its_master_is_killed():
    """Trial finding T12: gunicorn's master crashed and its worker ran on alone, holding the port. A worker
    is tied to its master (PR_SET_PDEATHSIG): however the master goes, the kernel ends the worker too."""
    if not sys.platform.startswith("linux"):
        return
    master = subprocess.Popen([sys.executable, "-c", MASTER_AND_WORKER], stdout=subprocess.PIPE, text=True)
    worker = 0
    try:
        assert master.stdout is not None
        worker = int(master.stdout.readline())
        assert _running(worker)
        master.kill()
        master.wait(60)
        deadline = time.monotonic() + 60
        while _running(worker):
            assert time.monotonic() < deadline, "the worker outlived its master"
            time.sleep(0.1)
    finally:
        master.kill()
        master.wait(60)
        if worker and _running(worker):
            os.kill(worker, signal.SIGKILL)


def test_the_scheduler_does_not_log_a_line_for_every_job_run(caplog):
    """APScheduler narrates every run ("Running job ...", "... executed successfully") at INFO, about ten lines a
    minute: in the demo's terminal they buried the texts it prints. Its warnings (a missed run) and errors (a job
    that raised) still show."""
    narrator = logging.getLogger("apscheduler.executors.default")
    try:
        CliRunner().invoke(main, ["db", "--help"], env={"VOICE_CONFIG": ""})
        narrator.info("Running job close_rounds")
        narrator.warning("Run time of job close_rounds was missed by 0:02:00")
        narrator.error("Job close_rounds raised an exception")
        messages = [r.getMessage() for r in caplog.records if r.name.startswith("apscheduler")]
        assert messages == [
            "Run time of job close_rounds was missed by 0:02:00",
            "Job close_rounds raised an exception",
        ]
    finally:
        logging.getLogger("apscheduler").setLevel(logging.NOTSET)


def test_scheduler_help_names_every_job_it_runs():
    """Trial 12, finding 11: `scheduler --help` left out escalation (and the spool's replay), which it runs."""
    from voice_service.scheduler.runner import job_specs

    said = {
        "rounds": "scheduled rounds",
        "spool": "spool",
        "close": "closing",
        "reminders": "reminders",
        "alerts": "alert re-notification",
        "escalate": "escalation",
        "retention": "retention",
    }
    assert {spec["id"] for spec in job_specs()} == set(said)
    output = CliRunner().invoke(main, ["scheduler", "--help"]).output
    for words in (*said.values(), "outbox dispatcher"):
        assert words in " ".join(output.split()), words  # the top-level list is the same words (test above)
