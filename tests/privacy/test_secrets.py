"""Start-up refuses keys that protect nothing: the published demo keys once a real SMS provider is
configured (demo mode or not), placeholders, secrets too short to be keys, and phone keys that are not keys."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from tests.conftest import make_config
from voice_service.cli import main
from voice_service.config import ConfigError, load
from voice_service.web import create_app

STRONG = "s" * 32


def _config(**sections):
    return load(None, environ={}).with_overrides(**sections)


def test_demo_mode_with_twilio_is_refused_and_every_demo_key_named():
    config = _config(app={"demo": True}, sms={"provider": "twilio"})
    with pytest.raises(ConfigError) as refused:
        config.require_production_secrets()
    message = str(refused.value)
    for key in ("app.secret_key", "privacy.phone_key", "privacy.hash_key", "twilio.auth_token"):
        assert key in message
    assert "demo mode excuses nothing once" in message
    with pytest.raises(ConfigError):
        create_app(config)


def test_serve_with_demo_keys_and_twilio_stops_before_serving(tmp_path, monkeypatch):
    def must_not_serve(*args, **kwargs):
        raise AssertionError("serve started with the demo keys")

    monkeypatch.setattr("voice_service.cli.serve.run_gunicorn", must_not_serve)
    path = tmp_path / "config.toml"
    path.write_text('[app]\ndemo = true\n[sms]\nprovider = "twilio"\n[twilio]\nauth_token = "change-me"\n')
    result = CliRunner().invoke(main, ["--config", str(path), "serve", "--port", "1"])
    assert result.exit_code == 1 and "twilio.auth_token" in result.output and "refusing to start" in result.output


def test_the_console_demo_still_runs_on_its_demo_keys():
    _config(app={"demo": True}).require_production_secrets()


@pytest.mark.parametrize(
    ("section", "key", "value", "named"),
    [
        ("app", "secret_key", "Zq9", "app.secret_key is too short"),  # no word of the message holds it
        ("privacy", "hash_key", "short-hash-key", "privacy.hash_key is too short"),
        ("twilio", "auth_token", "abc", "twilio.auth_token is too short"),
        ("privacy", "phone_key", "not-a-fernet-key", "privacy.phone_key is not a Fernet key"),
    ],
)
def test_a_secret_that_cannot_be_a_key_is_refused_by_name(section, key, value, named):
    good = {
        "app": {"secret_key": STRONG},
        "privacy": {"phone_key": Fernet.generate_key().decode(), "hash_key": STRONG},
        "sms": {"provider": "twilio"},
        "twilio": {"auth_token": STRONG},
    }
    good[section][key] = value
    config = _config(**good)
    with pytest.raises(ConfigError, match=named) as refused:
        config.require_production_secrets()
    assert value not in str(refused.value).replace(named, "")  # the secret itself is never repeated
    # The fix-it one-liner runs on Debian 12 as it comes, which has python3 but no `python` (trial finding 14).
    assert "python -c" not in str(refused.value)
    assert "python3 -c '" in str(refused.value) or section == "twilio"  # Twilio's token is copied, not made


def test_an_old_phone_key_must_be_a_key_too():
    config = _config(
        app={"secret_key": STRONG},
        privacy={"phone_key": Fernet.generate_key().decode(), "hash_key": STRONG, "old_phone_keys": ["nope"]},
    )
    with pytest.raises(ConfigError, match=r"privacy.old_phone_keys\[0\] is not a Fernet key"):
        config.require_production_secrets()


def test_old_phone_keys_come_from_the_environment_comma_separated():
    keys = [Fernet.generate_key().decode() for _ in range(2)]
    config = load(None, environ={"VOICE_PRIVACY_OLD_PHONE_KEYS": ",".join(keys)})
    assert config.privacy.old_phone_keys == keys


def test_the_test_suites_own_configuration_passes(database_url):
    make_config(database_url).require_production_secrets()


@pytest.mark.parametrize("token", ["change-me", "abc"])
def test_serving_the_sms_webhook_needs_a_real_auth_token_even_on_the_console_provider(tmp_path, monkeypatch, token):
    """twilio.auth_token is what authenticates /sms/inbound: with "change-me" anyone could forge a young
    person's STOP or hide a disclosure, so `serve` refuses it outside the demo whatever sms.provider is."""

    def must_not_serve(*args, **kwargs):
        raise AssertionError("serve started with a placeholder auth_token")

    monkeypatch.setattr("voice_service.cli.serve.run_gunicorn", must_not_serve)
    path = tmp_path / "config.toml"
    path.write_text(
        f'[app]\nsecret_key = "{STRONG}"\n[privacy]\nphone_key = "{Fernet.generate_key().decode()}"\n'
        f'hash_key = "{STRONG}"\n[database]\nurl = "sqlite:///{tmp_path}/v.db"\n'
        f'[sms]\nprovider = "console"\n[twilio]\nauth_token = "{token}"\n'
        f'[safeguarding]\nwebhook_url = "http://127.0.0.1:9/hook"\nwebhook_secret = "{STRONG}"\n'
    )
    assert CliRunner().invoke(main, ["--config", str(path), "db", "upgrade"]).exit_code == 0
    result = CliRunner().invoke(main, ["--config", str(path), "serve", "--port", "1"])
    assert result.exit_code == 1 and "twilio.auth_token" in result.output and "refusing to start" in result.output
    with pytest.raises(ConfigError, match="twilio.auth_token"):
        create_app(load(path, environ={}))
    # Commands that answer no webhook (alerts list, exports) still run on the console provider.
    load(path, environ={}).require_production_secrets()


def test_a_one_off_command_on_placeholder_keys_refuses_to_go_on_not_to_start(tmp_path):
    """`alerts list` on a settings file with no keys is refused, naming the keys, in words for a command that runs
    once and stops (a trial read "refusing to start" for a list as a server that would not come up)."""
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/v.db"\n')
    result = CliRunner().invoke(main, ["--config", str(path), "alerts", "list"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "refusing to go on" in result.output and "refusing to start" not in result.output, result.output
    assert "privacy.phone_key" in result.output


def test_serve_port_out_of_range_is_a_clear_error():
    result = CliRunner().invoke(main, ["serve", "--port", "99999"])
    assert result.exit_code == 2 and "99999" in result.output and "Traceback" not in result.output


def test_participants_import_help_names_every_date_form_it_reads():
    # Trial finding 14: --help said "YYYY-MM-DD or DD/MM/YYYY"; 12.06.2012 and "3 April 2009" are read too.
    shown = CliRunner().invoke(main, ["participants", "import", "--help"])
    assert shown.exit_code == 0 and "12.06.2012" in shown.output and "3 April 2009" in shown.output


def test_demo_mode_with_twilio_still_needs_a_duty_route_and_warns_out_of_hours():
    """Trial 14: `demo = true` kept from the demo's config.toml, with Twilio keys added, started with no duty
    route at all, so a disclosure would alert nobody. Demo mode excuses nothing once texts really go."""
    live_demo = _config(app={"demo": True}, sms={"provider": "twilio"})
    assert not live_demo.sandbox
    assert any(
        problem.startswith("safeguarding alerts would reach nobody") for problem in live_demo.duty_route_problems()
    )
    assert "escalation_phones" in (live_demo.out_of_hours_warning() or "")
    sandbox = _config(app={"demo": True}, sms={"provider": "console"})
    assert sandbox.sandbox and sandbox.duty_route_problems() == [] and sandbox.out_of_hours_warning() is None


def test_a_secret_left_out_of_the_file_is_said_to_be_not_set(tmp_path):
    """A trial deleted app.secret_key from its file and was told it was "still 'change-me'", and looked for a line
    that was not there."""
    path = tmp_path / "config.toml"
    path.write_text('[app]\ncouncil_name = "Testshire County Council"\n')
    problems = load(path, environ={}).secret_problems()
    assert any(problem.startswith("app.secret_key is not set (or is still the placeholder") for problem in problems)
    assert not any("is still 'change-me'" in problem for problem in problems), problems
