"""A summary given out again after an erasure (trial 10, T10-12): the copy from before and the copy from after,
compared, would show the erased young person's answers, so whoever gives it out again is warned (the figures
still change: the erasure must reach them). Only the rounds the person was in, and only once a copy was out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, launch, phone_number
from tests.privacy.test_subject import _toml
from voice_service.audit import record
from voice_service.cli import main
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import Round
from voice_service.rounds.launch import close_round
from voice_service.summary.reissue import CHANGED_BY_ERASURE, PAGE_CHANGED_BY_ERASURE, REPORT_CHANGED_BY_ERASURE
from voice_service.web import create_app

ERASED, STAYS = phone_number(70), phone_number(71)


@pytest.fixture
def round_answered(database_url, tmp_path, monkeypatch):
    """Two young people in round 1, one of whom has answered; the CLI reads the same configuration."""
    yield from _answered(make_config(database_url), tmp_path, monkeypatch)


def _answered(config, tmp_path, monkeypatch):
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


def _summary(round_id: int, *more: str) -> str:
    result = CliRunner().invoke(main, ["summary", "--round", str(round_id), "--format", "md", *more])
    assert result.exit_code == 0, result.output
    return " ".join(result.stderr.split())


def _erase() -> None:
    erased = CliRunner().invoke(main, ["privacy", "erase", "--phone", ERASED, "--yes", "--by", "DPO"])
    assert erased.exit_code == 0, erased.output


def _year(services) -> int:
    """The year round 1 opened in (a report's rounds are chosen by the day each opened): never today's."""
    with session_scope(services.engine) as session:
        round_ = session.get(Round, 1)
        assert round_ is not None
        return round_.opened_on().year


def _second_round(services) -> None:
    """Round 2 of the same survey, with both young people in it: round 1 is closed first (telling no one, as
    `close_round` alone does), since nobody is in two open rounds of one survey."""
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=1)
    assert launch(services) == 2


def _report(year: int) -> str:
    """`report --year`, written to standard output; its warnings, on standard error, returned."""
    result = CliRunner().invoke(main, ["report", "--year", str(year), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Pledge coverage")  # written whatever it warns: nothing is refused
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


def test_a_years_report_given_out_again_after_an_erasure_warns_naming_its_rounds(round_answered):
    _second_round(round_answered)
    year = _year(round_answered)
    assert "Warning" not in _report(year)
    _erase()
    assert f"Warning (rounds 1 and 2): {REPORT_CHANGED_BY_ERASURE}" in _report(year)
    # The year's report carried round 1's figures: its own summary, given out now for the first time, warns too.
    assert f"Warning (round 1): {CHANGED_BY_ERASURE}" in _summary(1)
    # A round opened since, which the erased young person was never in, is not named.
    launch(round_answered)
    warned = _report(year)
    assert f"Warning (rounds 1 and 2): {REPORT_CHANGED_BY_ERASURE}" in warned and "3" not in warned.split(":")[0]


def test_a_years_report_names_only_the_rounds_given_out_before_the_erasure(round_answered):
    _second_round(round_answered)
    assert "Warning" not in _summary(2)  # round 2 given out; round 1 not yet
    _erase()
    assert f"Warning (round 2): {REPORT_CHANGED_BY_ERASURE}" in _report(_year(round_answered))


def test_no_warning_in_a_years_report_when_nothing_was_given_out_before(round_answered):
    _erase()
    year = _year(round_answered)
    assert "Warning" not in _report(year) and "Warning" not in _report(year)


def test_the_young_peoples_version_warns_once_their_page_was_sent_before_an_erasure(round_answered):
    """Closing sends those who took part the link to /r/<token>: that page was given out, though no file was."""
    phone = SmsPhone(create_app(services=round_answered).test_client(), STAYS)
    for text in ("yes", "4"):
        phone.send(text)
    closed = CliRunner().invoke(main, ["round", "close", "1"])
    assert closed.exit_code == 0, closed.output
    _erase()
    warned = _summary(1, "--audience", "young-people")
    assert f"Warning (round 1): {CHANGED_BY_ERASURE} {PAGE_CHANGED_BY_ERASURE}" in warned


def test_a_years_report_written_before_a_round_opened_did_not_give_that_round_out(round_answered):
    year = _year(round_answered)
    with session_scope(round_answered.engine) as session:
        round_ = session.get(Round, 1)
        assert round_ is not None
        # A report for the whole year, written the day before round 1 opened: round 1 was not in it.
        record(
            session=session,
            actor="cli:someone",
            action="report.download",
            subject_type="report",
            subject_id=f"{year}-01-01_{year}-12-31",
            now=round_.opens_at - timedelta(days=1),
        )
    _erase()
    assert "Warning" not in _report(year) and "Warning" not in _summary(1)


@pytest.fixture
def round_for_the_panels_folder(database_url, tmp_path, monkeypatch):
    """As `round_answered`, with `[panel] drop_dir` set: closing the round saves its summary there."""
    config = make_config(database_url, panel={"drop_dir": str(tmp_path / "panel")})
    yield from _answered(config, tmp_path, monkeypatch)


def _close(round_id: int) -> str:
    """`round close`; its warnings, on standard error, returned."""
    result = CliRunner().invoke(main, ["round", "close", str(round_id)])
    assert result.exit_code == 0, result.output
    assert "panel summary written to" in result.stdout  # written whatever it warns: nothing is refused
    return " ".join(result.stderr.split())


def test_a_summary_saved_in_the_panels_folder_was_given_out(round_for_the_panels_folder):
    # Closing the round saved the summary where the panel picks it up: given out, as a download is.
    assert "Warning" not in _close(1)
    _erase()
    assert f"Warning (round 1): {CHANGED_BY_ERASURE}" in _summary(1)


def test_closing_again_after_an_erasure_warns_before_the_panels_folder_is_written_over(round_for_the_panels_folder):
    assert "Warning" not in _close(1)
    _erase()
    # Closing an already closed round delivers the panel's summary again, rewriting the folder's files.
    assert f"Warning (round 1): {CHANGED_BY_ERASURE}" in _close(1)


def test_closing_a_round_after_an_erasure_warns_when_its_summary_was_downloaded_before(round_for_the_panels_folder):
    assert "Warning" not in _summary(1)  # given out while the round was open
    _erase()
    assert f"Warning (round 1): {CHANGED_BY_ERASURE}" in _close(1)


def test_no_warning_on_closing_when_nothing_was_given_out_before_the_erasure(round_for_the_panels_folder):
    _erase()
    assert "Warning" not in _close(1)
    assert "Warning" not in _close(1)
