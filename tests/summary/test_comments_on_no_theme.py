"""New-user trial: a round's summary said "No comments" in the HTML, and nothing at all under the Markdown's "What
young people wrote about", while its CSV counted one answer to a question asked in their own words whose words were
about none of the themes. Every format now gives how many answered each such question (the CSV's `respondents`, as
protected there), and says they wrote but about no theme; "No comments" only when nobody wrote. Counted on SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import html as html_module
import io

from tests.summary import data
from tests.summary.data import figures, summary_of
from voice_service.db import session_scope
from voice_service.summary import render, summarise
from voice_service.summary.report import NO_COMMENTS, NO_THEME_RAISED

WROTE = "## What young people wrote about"


def _pages(summary) -> dict[str, str]:
    return {
        "html": html_module.unescape(" ".join(render(summary, "html").decode().split())),
        "md": render(summary, "md").decode(),
        "csv": render(summary, "csv").decode(),
    }


def _under_wrote(markdown: str) -> str:
    """What the Markdown says under "What young people wrote about", up to the next heading."""
    return markdown.split(WROTE, 1)[1].split("\n## ", 1)[0].strip()


def test_an_answer_in_their_own_words_on_no_theme_is_counted_alike_in_every_format(services):
    ids = data.people(services, 8)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids[:6], [4, 4, 4, 5, 5, 5])
    data.comments(services, round_id, ids[:1], ["dunno really"], [], sentiment="neutral")
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    pages = _pages(summary)
    rows = csv.DictReader(io.StringIO(pages["csv"]))
    assert [r["value"] for r in rows if r["item"] == "one_thing" and r["measure"] == "respondents"] == ["fewer than 5"]
    label = next(q.label for q in summary.questions if q.id == "one_thing")
    for fmt in ("html", "md"):
        assert f"{label}: fewer than 5 answered" in pages[fmt], fmt
        assert NO_THEME_RAISED in pages[fmt] and NO_COMMENTS not in pages[fmt], fmt
    assert _under_wrote(pages["md"]) == NO_THEME_RAISED


def test_no_comments_is_said_only_when_nobody_wrote_and_never_an_empty_heading():
    summary = summary_of(figures({}))
    pages = _pages(summary)
    for fmt in ("html", "md"):
        assert NO_COMMENTS in pages[fmt] and NO_THEME_RAISED not in pages[fmt], fmt
    assert _under_wrote(pages["md"]) == NO_COMMENTS
