"""New-user trial: in a round for 2 chosen young people, the summary named the theme one of them wrote about
("Also raised ...: school", "Still open: School"). Through the service, as the panel reads it on the dashboard and
downloads it, no theme is named where fewer than 5 answered (tests/summary/test_first_page.py: every format)."""

from __future__ import annotations

from tests.summary import data
from voice_service.summary.report import TOO_FEW_ANSWERS


def test_the_dashboard_names_no_theme_when_too_few_answered(services, admin_client):
    ids = data.people(services, 2)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids, [2, 4])
    data.comments(services, round_id, ids[:1], ["lessons are too hard"], ["school"])
    data.closed(services, round_id)
    panel = admin_client("panel")
    page = panel.get(f"/admin/summaries/{round_id}/summary.html").get_data(as_text=True)
    sheet = panel.get(f"/admin/summaries/{round_id}/summary.csv").get_data(as_text=True)
    for words in (page, sheet):
        assert "School" not in words and "theme-" not in words and "theme_people" not in words
        assert TOO_FEW_ANSWERS in words
