"""One acknowledgement target: the panel's summary judges alerts against the duty team's own
(`[safeguarding] acknowledge_within_minutes`, the one the duty pages show) unless the council
deliberately sets `[panel] alert_target_minutes`."""

from __future__ import annotations

import pytest

from tests.conftest import make_config
from tests.summary import data
from voice_service.config import ConfigError, load
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.summary import render, summarise


def test_by_default_the_panel_target_is_the_duty_team_target():
    config = load(None, environ={})
    assert config.safeguarding.acknowledge_within_minutes == 15 and config.panel_alert_target_minutes == 15
    moved = config.with_overrides(safeguarding={"acknowledge_within_minutes": 20})
    assert moved.panel_alert_target_minutes == 20
    chosen = load(None, environ={"VOICE_PANEL_ALERT_TARGET_MINUTES": "60"})
    assert chosen.panel_alert_target_minutes == 60, "a target the council sets on purpose still wins"
    with pytest.raises(ConfigError, match="panel.alert_target_minutes"):
        load(None, environ={"VOICE_PANEL_ALERT_TARGET_MINUTES": "-5"})


@pytest.mark.parametrize(("sections", "minutes"), [({}, 15), ({"panel": {"alert_target_minutes": 60}}, 60)])
def test_the_summary_judges_alerts_against_the_configured_target(database_url, sections, minutes):
    services = Services.from_config(make_config(database_url, **sections))
    try:
        round_id = data.round_at(services)
        with session_scope(services.engine) as session:
            summary = summarise(session=session, services=services, round_id=round_id)
        markdown = render(summary, "md").decode()
        assert f"for the duty team to acknowledge each one within {minutes} minutes" in markdown
    finally:
        services.engine.dispose()
