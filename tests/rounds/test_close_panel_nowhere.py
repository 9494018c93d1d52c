"""Closing a round with no [panel] emails and no drop_dir gave the panel's summary to nobody and said nothing, so a
council took it as sent (a trial). Now the command and the dashboard's banner say it went nowhere, and where to get it.
"""

from __future__ import annotations

from click.testing import CliRunner

from tests.conftest import make_config
from tests.outbox.helpers import environment
from tests.summary import data
from voice_service.context import Services
from voice_service.summary.loop import NOWHERE_WORDS


def _closed_by_the_command(config) -> str:
    from voice_service.cli import main

    services = Services.from_config(config)
    try:
        ids = data.people(services, 5)
        round_id = data.round_at(services)
        data.scale_answers(services, round_id, ids, [4] * 5)
        closed = CliRunner().invoke(
            main, ["round", "close", str(round_id)], env=environment(config) | {"VOICE_CONFIG": ""}
        )
        assert closed.exit_code == 0, closed.output
        return " ".join(closed.output.split())
    finally:
        services.engine.dispose()


def test_with_nowhere_to_send_it_closing_says_the_summary_was_not_sent(database_url):
    said = _closed_by_the_command(make_config(database_url, panel={"emails": [], "drop_dir": ""}))
    assert f"note: {NOWHERE_WORDS}" in said, said
    assert "[panel] emails and drop_dir are both empty" in said


def test_with_a_panel_folder_it_says_where_the_files_are_and_nothing_about_nowhere(database_url, tmp_path):
    said = _closed_by_the_command(make_config(database_url, panel={"emails": [], "drop_dir": str(tmp_path)}))
    assert "panel summary written to" in said and "not sent" not in said, said
