"""The demo never reads a council's settings, so its synthetic alerts reach no real duty team."""

from click.testing import CliRunner

from voice_service.cli import main


def test_demo_ignores_a_config_file_and_the_environment_beside_it(tmp_path, monkeypatch):
    # A council's real settings in the folder and the environment: a duty mailbox and a webhook.
    (tmp_path / "config.toml").write_text(
        '[app]\ncouncil_name = "Testshire Council"\n'
        '[safeguarding]\nduty_emails = ["duty@testshire.example"]\nwebhook_url = "http://127.0.0.1:9/hook"\n'
        '[smtp]\nhost = "127.0.0.1"\nport = 9\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOICE_CONFIG", raising=False)
    monkeypatch.setenv("VOICE_APP_COUNCIL_NAME", "Envshire Council")
    monkeypatch.setenv("VOICE_SAFEGUARDING_DUTY_EMAILS", '["edt@envshire.example"]')
    out = tmp_path / "demo-output"
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--participants", "8", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = (out / "config.toml").read_text()
    assert "Demoshire County Council" in written and "Testshire" not in written and "Envshire" not in written
    assert "Testshire" not in result.output and "Envshire" not in result.output
    assert "testshire" not in written and "envshire" not in written
