"""The privacy commands' words (trial finding 17): an erase counts in words that agree with their numbers,
and `purge --as-of` reads a date the way every other date option does."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, launch, phone_number
from tests.privacy.test_subject import _toml
from voice_service.cli import main
from voice_service.context import Services
from voice_service.web import create_app

ONE = phone_number(60)


@pytest.fixture
def one_answer(database_url, tmp_path, monkeypatch):
    """One young person in a round, who has given one answer; the CLI reads the same configuration."""
    config = make_config(database_url)
    services = Services.from_config(config)
    add_participants(services, [{"phone": ONE, "first_name": "Ffion", "age": 15}])
    launch(services)
    phone = SmsPhone(create_app(services=services).test_client(), ONE)
    for text in ("yes", "2"):
        phone.send(text)
    path = tmp_path / "config.toml"
    path.write_text(_toml(config.as_dict()))
    monkeypatch.setenv("VOICE_CONFIG", str(path))
    yield services
    services.engine.dispose()


def test_erase_says_1_answer_not_1_answers(one_answer):
    result = CliRunner().invoke(main, ["privacy", "erase", "--phone", ONE, "--yes", "--by", "DPO"])
    assert result.exit_code == 0, result.output
    assert "erased: 1 participant, " in result.output and ", 1 answer, " in result.output
    assert ", 1 run, " in result.output and "0 alerts kept" in result.output
    assert "1 answers" not in result.output and "(s)" not in result.output


@pytest.mark.parametrize("typed", ["1/1/2000", "1 Jan 2000", "1 January 2000", "2000-01-01"])
def test_purge_as_of_takes_a_date_as_every_other_option_does(one_answer, typed):
    result = CliRunner().invoke(main, ["privacy", "purge", "--as-of", typed, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "as of 2000-01-01), dry run, nothing removed" in result.output


def test_purge_as_of_refuses_a_two_digit_year_with_the_usual_words(one_answer):
    result = CliRunner().invoke(main, ["privacy", "purge", "--as-of", "1/1/28", "--dry-run"])
    assert result.exit_code == 2 and "--as-of" in result.output and "year" in result.output.lower()
