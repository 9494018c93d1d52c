"""`voice-service text-in` and the demo's config file: trying the service from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import Session, select

from tests.conftest import AUTH_TOKEN, PUBLIC_URL
from voice_service.cli import main
from voice_service.cli.demo import write_demo_config
from voice_service.config import load
from voice_service.engine import texts
from voice_service.models import Alert


def _config_file(tmp_path, token: str):
    path = tmp_path / "trial.toml"
    path.write_text(f'[app]\npublic_url = "{PUBLIC_URL}"\n\n[twilio]\nauth_token = "{token}"\n')
    return str(path)


def test_text_in_takes_the_real_signed_path_and_prints_the_replies(live_server, services, tmp_path):
    config = _config_file(tmp_path, AUTH_TOKEN)
    said = CliRunner().invoke(main, ["--config", config, "text-in", "--url", live_server, "hi", "there"])
    assert said.exit_code == 0, said.output
    assert "Voice team" in said.output  # a number never seen before is welcomed and asked for consent
    risky = CliRunner().invoke(main, ["--config", config, "text-in", "--url", live_server, "i want to kill myself"])
    assert risky.exit_code == 0, risky.output
    assert texts.is_disclosure_reply(risky.output.strip())
    with Session(services.engine) as session:
        assert len(session.exec(select(Alert)).all()) == 1


def test_text_in_with_the_wrong_token_says_so(live_server, tmp_path):
    config = _config_file(tmp_path, "not-the-servers-token")
    said = CliRunner().invoke(main, ["--config", config, "text-in", "--url", live_server, "hello"])
    assert said.exit_code != 0 and "403" in said.output and "auth_token" in said.output


def test_a_refused_signature_names_public_url_as_well_as_the_token(live_server, tmp_path, caplog):
    """Tester U18: with the right token but another app.public_url (the usual mix-up behind a proxy), the
    command blamed only the token and the server's log named neither."""
    path = tmp_path / "elsewhere.toml"
    path.write_text(f'[app]\npublic_url = "https://voice.testshire.gov.uk"\n\n[twilio]\nauth_token = "{AUTH_TOKEN}"\n')
    with caplog.at_level("WARNING", logger="voice_service.web.sms.routes"):
        said = CliRunner().invoke(main, ["--config", str(path), "text-in", "--url", live_server, "hello there"])
    assert said.exit_code != 0 and "403" in said.output
    assert "check twilio.auth_token, and that app.public_url is the address Twilio posts to" in said.output
    assert "signed for https://voice.testshire.gov.uk" in said.output
    [logged] = [r.getMessage() for r in caplog.records if r.name == "voice_service.web.sms.routes"]
    assert logged == (
        "rejected /sms/inbound: missing or invalid Twilio signature; check twilio.auth_token, and that "
        f"app.public_url ({PUBLIC_URL}) is the address Twilio posts to"
    )
    assert "hello there" not in logged and "7700" not in logged


def test_the_demo_writes_a_config_that_points_every_command_at_its_database(tmp_path):
    tour = load(None, environ={}).with_overrides(
        app={"demo": True, "council_name": 'Demoshire "County" Council', "public_url": "http://127.0.0.1:5099"},
        database={"url": f"sqlite:///{tmp_path}/voice-demo.db"},
    )
    again = load(str(write_demo_config(tmp_path, tour)), environ={})
    assert again.app.demo and again.app.council_name == 'Demoshire "County" Council'
    assert again.database.url == tour.database.url and again.app.public_url == "http://127.0.0.1:5099"
    assert again.sms.provider == "console"


def test_text_in_passes_on_the_servers_reason_for_a_refusal(live_server, tmp_path):
    config = _config_file(tmp_path, AUTH_TOKEN)
    said = CliRunner().invoke(main, ["--config", config, "text-in", "--url", live_server, "--from", "999", "hello"])
    assert said.exit_code != 0 and "400" in said.output
    assert "From is not a phone number we can reply to" in said.output


def test_report_refuses_a_year_beside_from_and_to(tmp_path):
    said = CliRunner().invoke(main, ["report", "--year", "2026", "--from", "2026-01-01", "--to", "2026-02-01"])
    assert said.exit_code == 2 and "not both" in said.output


def test_an_address_without_http_is_a_clear_usage_error_not_a_traceback(tmp_path):
    """Trial 9, T9-6: `--url 127.0.0.1:5391` (or `notaurl`) ended in urllib's traceback."""
    for address in ("notaurl", "127.0.0.1:5391"):
        said = CliRunner().invoke(main, ["text-in", "--url", address, "hi"])
        assert said.exit_code == 2 and "must start with http:// or https://" in said.output
        assert "Traceback" not in said.output and said.exception is None or isinstance(said.exception, SystemExit)
