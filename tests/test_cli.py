"""The command line as a user meets it: help, surveys check, clean errors."""

import subprocess
import sys

from click.testing import CliRunner

from voice_service.cli import main


def test_help_lists_the_contract_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "demo", "serve", "surveys", "participants", "round", "outbox", "responses", "analyse"):
        assert command in result.output


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "voice_service", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "Usage" in result.stdout


def test_surveys_check_passes_on_the_shipped_files():
    result = CliRunner().invoke(main, ["surveys", "check"], env={"VOICE_CONFIG": ""})
    assert result.exit_code == 0, result.output


def test_surveys_check_names_file_and_field_and_exits_1(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'id = "Bad Id"\ntitle = "t"\nintro = "Hi"\noutro = "Bye"\n[[questions]]\nid = "q1"\nkind = "scale"\ntext = "Rate 1 to 5"\nmin = 5\nmax = 1\n'
    )
    result = CliRunner().invoke(main, ["surveys", "check", str(bad)], env={"VOICE_CONFIG": ""})
    assert result.exit_code == 1
    assert "bad.toml" in result.output and "'id'" in result.output and "q1" in result.output


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
    assert CliRunner().invoke(main, ["--config", str(config), "round", "list"]).exit_code == 0


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


def test_a_stopped_server_lets_its_workers_finish_for_less_than_gunicorns_default():
    """A stop waits for answers in flight (seconds at most), then the workers are made to go, so a
    worker held up on a busy machine cannot keep a restart (or a test's 30 s wait) waiting."""
    from voice_service.cli.serve import gunicorn_options

    options = gunicorn_options(host="127.0.0.1", port=5000, workers=2)
    assert 5 <= options["graceful_timeout"] < 30
