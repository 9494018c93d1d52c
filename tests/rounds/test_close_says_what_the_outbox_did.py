"""`round close` says what became of the panel's email as the outbox has it (tester U17): closing again
said "already emailed" while the email still waited in the outbox, unsent. And a one-off command that
queues email warns when smtp.host is not set, the check `serve` and `scheduler` refuse to start on."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import col, select

from tests.conftest import make_config
from tests.summary import data
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import OutboxMessage, OutboxStatus


def test_closing_again_says_queued_until_the_email_has_left(database_url, tmp_path):
    from voice_service.cli import main

    config = make_config(database_url, panel={"emails": ["panel@council.example"], "drop_dir": str(tmp_path)})
    assert config.smtp.host == ""  # as config.example.toml ships
    services = Services.from_config(config)
    try:
        ids = data.people(services, 6)
        round_id = data.round_at(services)
        data.scale_answers(services, round_id, ids, [4] * 6)
        env = {
            f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
            for s, values in config.as_dict().items()
            for k, v in values.items()
        }
        runner = CliRunner(env=env)
        first = runner.invoke(main, ["round", "close", str(round_id)])
        assert first.exit_code == 0, first.output
        assert "panel summary queued to email to 1 recipient" in first.stdout
        warning = "warning: panel.emails send email but smtp.host is not set: the email waits in the outbox"
        assert warning in first.stderr

        again = runner.invoke(main, ["round", "close", str(round_id)])
        assert again.exit_code == 0, again.output
        assert "panel summary already queued for 1 recipient (not sent yet): not queued again" in again.stdout
        assert "emailed" not in again.stdout and warning in again.stderr

        with session_scope(services.engine) as session:
            [row] = session.exec(select(OutboxMessage).where(col(OutboxMessage.kind) == "summary")).all()
            row.status = OutboxStatus.SENT
        sent = runner.invoke(main, ["round", "close", str(round_id)], env={"VOICE_SMTP_HOST": "smtp.council.example"})
        assert sent.exit_code == 0, sent.output
        assert "panel summary already sent to 1 recipient: not queued again" in sent.stdout
        assert "warning" not in sent.stderr  # with smtp.host set, nothing to warn about
    finally:
        services.engine.dispose()
