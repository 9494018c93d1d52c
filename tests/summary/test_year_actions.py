"""The year's report lists every action of its rounds where the panel looks for it: one recorded against a theme
alone under the pledges and top-ten messages that theme evidences, one linked to none of them on its own."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import UTC, date, datetime

import pytest

from tests.factories import launch
from tests.summary import data
from voice_service.db import session_scope
from voice_service.models import Action, ActionStatus
from voice_service.summary.year import OTHER_ACTIONS, render_year, year_report

SPRING = datetime(2026, 3, 2, 10, tzinfo=UTC)

REPORT_DAY = date(2027, 1, 4)  # the day the report is produced on ("Produced ... on")


def _report(services):
    with session_scope(services.engine) as session:
        return year_report(
            session=session, today=REPORT_DAY, services=services, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )


def _round_with_actions(services) -> int:
    ids = data.people(services, 10)
    round_id = launch(services, now=SPRING)
    data.scale_answers(services, round_id, ids, [5] * 6 + [1] * 4)
    data.comments(services, round_id, ids[:6], ["my foster carer is always there for me"] * 6, ["carers"])
    with session_scope(services.engine) as session:
        session.add(
            Action(
                round_id=round_id,
                theme="carers",
                said="Carers need more support",
                did="A carers' support group meets every month",
                status=ActionStatus.DONE,
                done_at=SPRING,
            )
        )
        session.add(
            Action(
                round_id=round_id,
                theme="our_own_theme",  # a council's own theme, evidencing no pledge or message
                said="The bus pass runs out too soon",
                did="We are asking for bus passes to last the school year",
                status=ActionStatus.IN_PROGRESS,
            )
        )
        session.add(
            Action(
                round_id=round_id,
                pledge=1,
                theme="carers",  # recorded against a pledge: listed under that pledge alone, as it always was
                said="Home does not feel safe",
                did="Every home checked by the IRO",
                status=ActionStatus.DONE,
                done_at=SPRING,
            )
        )
    return round_id


def test_an_action_recorded_against_a_theme_is_listed_under_the_pledges_and_messages_of_that_theme(services):
    round_id = _round_with_actions(services)
    report = _report(services)
    carers = "A carers' support group meets every month"
    # themes.md: carers evidences pledges 5 and 6, and top-ten messages 1 and 3.
    assert [c.number for c in report.pledges if any(a.did == carers for a in c.actions)] == [5, 6]
    assert [c.number for c in report.messages if any(a.did == carers for a in c.actions)] == [1, 3]
    item = next(a for c in report.pledges if c.number == 5 for a in c.actions)
    assert (item.round_id, item.status, item.through_theme) == (round_id, "done", "Carers")
    # One recorded against a pledge is listed there only, and not said to be there through its theme.
    [safe] = next(c for c in report.pledges if c.number == 1).actions
    assert safe.did == "Every home checked by the IRO" and safe.through_theme == ""
    assert not any(a.did == safe.did for c in report.pledges + report.messages if c.number != 1 for a in c.actions)
    # One whose theme evidences nothing is not lost: it is listed on its own.
    assert [a.did for a in report.other_actions] == ["We are asking for bus passes to last the school year"]
    assert not any(a.did == report.other_actions[0].did for c in report.pledges + report.messages for a in c.actions)


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_an_action_recorded_against_a_theme_is_in_every_format(services, fmt):
    _round_with_actions(services)
    text = render_year(_report(services), fmt).decode()
    if fmt == "json":
        document = json.loads(text)
        [carers] = [a for a in document["pledges"][4]["actions"] if a["did"].startswith("A carers'")]
        assert document["pledges"][4]["number"] == 5 and carers["through_theme"] == "Carers"
        assert [a["did"] for a in document["other_actions"]] == ["We are asking for bus passes to last the school year"]
        return
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        carers = [
            (r["section"], r["number"]) for r in rows if r["value"] == "A carers' support group meets every month"
        ]
        assert carers == [("pledge", "5"), ("pledge", "6"), ("message", "1"), ("message", "3")]
        other = [r for r in rows if r["section"] == "other"]
        assert [(r["measure"], r["value"]) for r in other] == [
            ("action_in_progress", "We are asking for bus passes to last the school year")
        ]
        return
    plain = html.unescape(" ".join(text.split()))
    pledge_5 = plain.split("Pledge 5:")[-1].split("Pledge 6:")[0]  # its section, after any list naming it
    assert "recorded against the theme Carers" in pledge_5 and "A carers' support group meets every month" in pledge_5
    other = plain.split(OTHER_ACTIONS)[-1]
    assert "We will: We are asking for bus passes to last the school year" in other.replace("**", "").replace(
        "</strong>", ""
    ).replace("<strong>", "")
