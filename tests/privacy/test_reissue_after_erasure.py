"""A summary given out again after an erasure (trial 10, T10-12): the copy from before and the copy from after,
compared, would show the erased young person's answers, so whoever gives it out again is warned (the figures
still change: the erasure must reach them). Only the rounds the person was in, and only once a copy was out."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, launch, phone_number
from tests.privacy.test_subject import _toml
from voice_service.cli import main
from voice_service.context import Services
from voice_service.summary.reissue import CHANGED_BY_ERASURE
from voice_service.web import create_app

ERASED, STAYS = phone_number(70), phone_number(71)


@pytest.fixture
def round_answered(database_url, tmp_path, monkeypatch):
    """Two young people in round 1, one of whom has answered; the CLI reads the same configuration."""
    config = make_config(database_url)
    services = Services.from_config(config)
    add_participants(services, [{"phone": ERASED, "first_name": "Ffion", "age": 15}, {"phone": STAYS, "age": 15}])
    launch(services)
    phone = SmsPhone(create_app(services=services).test_client(), ERASED)
    for text in ("yes", "2"):
        phone.send(text)
    path = tmp_path / "config.toml"
    path.write_text(_toml(config.as_dict()))
    monkeypatch.setenv("VOICE_CONFIG", str(path))
    yield services
    services.engine.dispose()


def _summary(round_id: int) -> str:
    result = CliRunner().invoke(main, ["summary", "--round", str(round_id), "--format", "md"])
    assert result.exit_code == 0, result.output
    return " ".join(result.stderr.split())


def test_a_summary_given_out_again_after_an_erasure_warns(round_answered):
    assert "Warning" not in _summary(1)
    erased = CliRunner().invoke(main, ["privacy", "erase", "--phone", ERASED, "--yes", "--by", "DPO"])
    assert erased.exit_code == 0, erased.output
    assert f"Warning (round 1): {CHANGED_BY_ERASURE}" in _summary(1)
    # A round they were never in, or one first given out after the erasure, has nothing to compare.
    launch(round_answered)
    assert "Warning" not in _summary(2) and "Warning" not in _summary(2)


def test_no_warning_when_no_copy_was_given_out_before(round_answered):
    erased = CliRunner().invoke(main, ["privacy", "erase", "--phone", ERASED, "--yes", "--by", "DPO"])
    assert erased.exit_code == 0, erased.output
    assert "Warning" not in _summary(1) and "Warning" not in _summary(1)
