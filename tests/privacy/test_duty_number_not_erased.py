"""`privacy erase --phone` refuses one of the duty team's own numbers (trial 14): it is nobody's to erase, and
erasing it deleted every alert's notice to it, the record of who was told, and marked it as an erased number."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import Session, col, func, select

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, phone_number
from tests.privacy.test_subject import _toml
from voice_service.cli import main
from voice_service.context import Services
from voice_service.models import ErasedNumber, OutboxKind, OutboxMessage
from voice_service.web import create_app

DUTY = "+447700900555"


def test_a_duty_number_is_refused_and_every_alert_keeps_who_was_told(database_url, tmp_path, monkeypatch):
    config = make_config(database_url, safeguarding={"duty_phones": [DUTY], "duty_emails": []})
    services = Services.from_config(config)
    try:
        add_participants(services, [{"phone": phone_number(61), "first_name": "Ffion", "age": 15}])
        SmsPhone(create_app(services=services).test_client(), phone_number(61)).send("my dad punches me")
        path = tmp_path / "config.toml"
        path.write_text(_toml(config.as_dict()))
        monkeypatch.setenv("VOICE_CONFIG", str(path))
        notices = select(func.count()).where(
            col(OutboxMessage.kind) == OutboxKind.ALERT, col(OutboxMessage.to_hash) == services.vault.hash(DUTY)
        )
        with Session(services.engine) as session:
            assert session.exec(notices).one() == 1

        result = CliRunner().invoke(main, ["privacy", "erase", "--phone", "07700 900555", "--yes", "--by", "DPO"])

        assert result.exit_code == 1, result.output
        assert "one of the duty team's own" in result.output and "Traceback" not in result.output
        with Session(services.engine) as session:
            assert session.exec(notices).one() == 1
            assert session.exec(select(func.count()).select_from(ErasedNumber)).one() == 0
    finally:
        services.engine.dispose()
