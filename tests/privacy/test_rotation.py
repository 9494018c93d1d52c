"""Key rotation: numbers re-encrypted under a new phone_key in committed batches; interrupted, it carries on."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from voice_service.models import OutboxMessage, Participant
from voice_service.privacy import PhoneVault
from voice_service.privacy.rotation import rotate_keys


class Interrupted(Exception):
    """Stands in for Ctrl+C or a killed process between two batches."""


def _stored(services) -> list[str]:
    with Session(services.engine) as session:
        numbers = [p.phone_encrypted for p in session.exec(select(Participant)).all()]
        return numbers + [o.to_encrypted for o in session.exec(select(OutboxMessage)).all()]


def _readable(vault: PhoneVault, tokens: list[str]) -> int:
    count = 0
    for token in tokens:
        try:
            vault.decrypt(token)
            count += 1
        except ValueError:
            pass
    return count


def test_an_interrupted_rotation_carries_on_where_it_stopped(services):
    add_participants(services, [{"phone": phone_number(60 + i)} for i in range(5)])
    launch(services)  # 5 invitations: 10 stored numbers in all
    old_key, new_key = services.config.privacy.phone_key, Fernet.generate_key().decode()
    hash_key = services.config.privacy.hash_key
    rotating = PhoneVault(new_key, hash_key, [old_key])
    new_only, old_only = PhoneVault(new_key, hash_key), PhoneVault(old_key, hash_key)
    before = _stored(services)
    assert len(before) == 10 and _readable(new_only, before) == 0

    def stop_after_three(report):
        if report.batches == 3:
            raise Interrupted

    with pytest.raises(Interrupted):
        rotate_keys(engine=services.engine, vault=rotating, batch_size=2, after_batch=stop_after_three)
    halfway = _stored(services)
    # Three committed batches (2 + 2 + 1 participants); the service still reads every number with both keys configured.
    assert _readable(new_only, halfway) == 5 and _readable(old_only, halfway) == 5
    assert _readable(rotating, halfway) == 10
    assert sorted(rotating.decrypt(t) for t in halfway) == sorted(old_only.decrypt(t) for t in before)

    report = rotate_keys(engine=services.engine, vault=rotating, batch_size=2)
    assert (report.rotated, report.already_current, report.unreadable) == (5, 5, 0) and report.finished
    after = _stored(services)
    assert _readable(new_only, after) == 10
    assert sorted(new_only.decrypt(t) for t in after) == sorted(old_only.decrypt(t) for t in before)
    # Look-ups are by the keyed hash, which rotation never changes.
    with Session(services.engine) as session:
        hashes = {p.phone_hash for p in session.exec(select(Participant)).all()}
    assert hashes == {new_only.hash(phone_number(60 + i)) for i in range(5)}


def test_a_number_under_a_key_nobody_configured_is_reported_not_lost(services):
    add_participants(services, [{"phone": phone_number(70)}])
    stranger = PhoneVault(Fernet.generate_key().decode(), "h" * 32)
    report = rotate_keys(engine=services.engine, vault=stranger)
    assert report.unreadable == 1 and not report.finished
    assert _readable(PhoneVault.from_config(services.config), _stored(services)) == 1


@pytest.mark.parametrize(
    "argv, command",
    [
        (["/srv/voice/.venv/bin/python", "/srv/voice/.venv/bin/voice-service", "--config", "c.toml", "serve"], "serve"),
        (["python3", "-m", "voice_service", "scheduler"], "scheduler"),
        (["voice-service", "--config", "serve.toml", "privacy", "rotate-key"], None),
        (["gunicorn", "serve"], None),
    ],
)
def test_serve_and_scheduler_are_recognised_by_their_command_line(argv, command):
    from voice_service.privacy.processes import _command

    assert _command(argv) == command


def test_rotate_key_refuses_while_serve_predates_the_key_change(services, tmp_path, monkeypatch):
    """Trial U19: a `serve` started before config.toml changed still writes new numbers under the old key."""
    import os
    import subprocess
    import sys
    import time

    from click.testing import CliRunner

    import voice_service.cli.privacy as privacy_cli
    from voice_service.cli import main

    add_participants(services, [{"phone": phone_number(70 + i)} for i in range(3)])
    old_key, new_key = services.config.privacy.phone_key, Fernet.generate_key().decode()
    values = services.config.as_dict()
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'[privacy]\nphone_key = "{new_key}"\nold_phone_keys = ["{old_key}"]\n'
        f'hash_key = "{services.config.privacy.hash_key}"\n'
    )
    env = {f"VOICE_APP_{k.upper()}": v for k, v in values["app"].items() if isinstance(v, str)}
    env |= {f"VOICE_DATABASE_{k.upper()}": v for k, v in values["database"].items() if isinstance(v, str)}
    # A real process whose command line is `voice-service serve` (it only sleeps).
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "voice-service", "serve"])
    try:
        real = privacy_cli.started_before
        # Only this test's process counts (other people's processes on a shared machine must not).
        monkeypatch.setattr(privacy_cli, "started_before", lambda file: [p for p in real(file) if p.pid == child.pid])
        os.utime(config_file, (time.time() + 60, time.time() + 60))  # the keys changed after serve started
        for _ in range(100):  # until the child has started Python and /proc shows its command line
            if any(p.pid == child.pid for p in real(config_file)) or child.poll() is not None:
                break
            time.sleep(0.05)
        runner = CliRunner()
        refused = runner.invoke(main, ["--config", str(config_file), "privacy", "rotate-key"], env=env)
        assert refused.exit_code == 1, refused.output
        assert f"serve (pid {child.pid}) started before {config_file} last changed" in refused.output
        assert "Restart serve and scheduler" in refused.output and "--force" in refused.output
        assert _readable(PhoneVault(new_key, services.config.privacy.hash_key), _stored(services)) == 0, "untouched"

        forced = runner.invoke(main, ["--config", str(config_file), "privacy", "rotate-key", "--force"], env=env)
        assert forced.exit_code == 0, forced.output
        assert "warning (--force)" in forced.output and "3 re-encrypted" in forced.output

        os.utime(config_file, (time.time() - 600, time.time() - 600))  # serve restarted after the change
        again = runner.invoke(main, ["--config", str(config_file), "privacy", "rotate-key"], env=env)
        assert again.exit_code == 0 and "0 re-encrypted, 3 already under the new key" in again.output, again.output
        assert "Remove privacy.old_phone_keys only once every serve and scheduler" in again.output
    finally:
        child.kill()
        child.wait()


def test_a_process_on_another_configuration_file_is_not_counted(tmp_path):
    """Trial 10, T10-5: the demo's scheduler (`--config demo-output/config.toml`) stopped a rotation of ./config.toml.
    A process naming another file with --config is not counted; one naming this file, or none, is."""
    import os
    import subprocess
    import sys
    import time

    from voice_service.privacy.processes import started_before

    ours, other = tmp_path / "config.toml", tmp_path / "demo" / "config.toml"
    other.parent.mkdir()
    ours.write_text("")
    other.write_text("")
    sleep = [sys.executable, "-c", "import time; time.sleep(120)", "voice-service"]
    children = {
        "other": subprocess.Popen([*sleep, "--config", str(other), "scheduler"]),
        "ours, relative": subprocess.Popen([*sleep, "--config=config.toml", "serve"], cwd=tmp_path),
        "none named": subprocess.Popen([*sleep, "serve"]),
    }
    try:
        os.utime(ours, (time.time() + 60, time.time() + 60))  # the keys changed after they all started
        pids = {child.pid: name for name, child in children.items()}
        for _ in range(100):  # until each child has started Python and /proc shows its command line
            named = {pids[p.pid] for p in started_before(ours) if p.pid in pids}
            if len(named) >= 2 or any(child.poll() is not None for child in children.values()):
                break
            time.sleep(0.05)
        assert named == {"ours, relative", "none named"}
    finally:
        for child in children.values():
            child.kill()
            child.wait()
