"""Every "we did" action for a round is in the panel's summary, in every format, whatever was asked (new-user trial).

In a round fewer than 5 answered, actions recorded against a pledge the survey did not ask about were left out of
the HTML, the PDF and the Markdown: the pledge was named only in "Not asked this round (...too few answered)",
while the CSV, the young people's page and the year's report told them. A pledge's or top-ten message's part is
shown when something evidenced it or an action was recorded for it (`report.Section.shown`), and says then that
it was not asked (`Summary.not_evidenced_note`). An action is the council's words, not a count: showing it
shows no figure, and its "You said" is still kept private where fewer than 5 answered.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import launch
from tests.summary import data
from tests.summary.data import figures, summary_of
from voice_service.db import session_scope
from voice_service.models import Action, ActionStatus, Round
from voice_service.summary import render, summarise
from voice_service.summary.aggregate import ActionRecord
from voice_service.summary.loop import young_people_text
from voice_service.summary.report import NOT_ASKED_TOO_FEW, NOT_EVIDENCED

OPENED = datetime(2026, 3, 2, 9, tzinfo=UTC)
CLOSED = OPENED + timedelta(days=14)

SAID = "Nobody comes to see me"
MEET = "Monthly meetings with your social worker and carer"  # pledge 4: not asked by pulse, nor the test survey
LEAFLET = "A leaflet on your rights in every welcome pack"  # message 9: not asked either
ASKED = "Your IRO now checks the house rules with you"  # pledge 2: pulse asks it; here nobody answered it


def _record(id: int, *, pledge: int | None = None, message: int | None = None, did: str, done: bool) -> ActionRecord:
    return ActionRecord(
        id=id,
        round_id=2,
        pledge=pledge,
        message=message,
        theme=None,
        said=SAID,
        did=did,
        owner=None,
        status="done" if done else "in_progress",
        due_on=None if done else date(2026, 6, 30),
        done_at=CLOSED if done else None,
    )


ACTIONS = (
    _record(1, pledge=4, did=MEET, done=False),
    _record(2, message=9, did=LEAFLET, done=True),
    _record(3, pledge=2, did=ASKED, done=False),
)


def _reads(summary, fmt: str, tmp_path) -> str:
    """The summary's words as the panel reads them, whitespace made single (a PDF's by pdftotext)."""
    if fmt == "pdf":
        path = tmp_path / "summary.pdf"
        path.write_bytes(render(summary, "pdf"))
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    else:
        text = render(summary, fmt).decode("utf-8")
        if fmt == "html":
            text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.replace("\u2019", "'").split())


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
@pytest.mark.parametrize("responded", [3, 40])
def test_actions_for_what_was_not_asked_are_in_every_format(fmt, responded, tmp_path):
    summary = summary_of(replace(figures({}, actions=ACTIONS), responded=responded))
    assert summary.too_few_answered == (responded < 5)
    words = _reads(summary, fmt, tmp_path)
    heading = {"md": "### ", "html": "", "pdf": ""}[fmt]
    not_asked = (NOT_ASKED_TOO_FEW if responded < 5 else NOT_EVIDENCED).removesuffix(": ") + "."
    # Each action under its own pledge or message, which says it was not asked, before the list of the others.
    pledge_4 = f"{heading}Pledge 4: {summary.pledges[3].title.split(': ', 1)[1]} {not_asked}"
    message_9 = f"{heading}Message 9: {summary.messages[8].title.split(': ', 1)[1]} {not_asked}"
    for part, did, next_part in ((pledge_4, MEET, "The top ten messages"), (message_9, LEAFLET, "Still open")):
        assert part in words, fmt
        assert did in words.split(part, 1)[1].split(next_part)[0], fmt
    assert ASKED in words.split("Pledge 2:", 1)[1].split("Pledge 3:")[0], fmt
    # Each pledge and message is named once: shown for its actions, or in the list of those nothing evidenced.
    assert "pledge 4 (" not in words and "message 9 (" not in words and "pledge 2 (" not in words, fmt
    assert "pledge 5 (" in words and "message 6 (" in words, fmt
    if responded < 5:
        assert SAID not in words, fmt  # a worker's "You said" is kept private in a round fewer than 5 answered


def test_a_pledge_with_no_action_and_no_evidence_is_only_listed():
    summary = summary_of(replace(figures({}, actions=ACTIONS), responded=3))
    shown = [s.number for s in summary.pledges if s.shown]
    assert shown == [2, 4]
    assert summary.not_evidenced_note(summary.pledges[4]) == NOT_ASKED_TOO_FEW.removesuffix(": ") + "."


def _token(services, round_id: int) -> str:
    with session_scope(services.engine) as session:
        return session.execute(select(Round.public_token).where(Round.id == round_id)).scalar_one()


def test_a_small_rounds_actions_on_an_unasked_pledge_read_as_the_csv_and_young_peoples_page(services, client, tmp_path):
    """The trial's steps: a round few answered, an action in progress for a pledge its survey did not ask about
    (pledge 4: the test survey asks pledges 1, 6 and 9), the round closed. Every action the CSV lists is in the
    HTML, the PDF and the Markdown, as on the young people's page."""
    ids = data.people(services, 3)
    round_id = launch(services, now=OPENED)
    data.scale_answers(services, round_id, ids, [4, 4, 2])
    with session_scope(services.engine) as session:
        session.add(Action(round_id=round_id, pledge=4, said=SAID, did=MEET, status=ActionStatus.IN_PROGRESS))
        session.add(
            Action(round_id=round_id, message=9, said=SAID, did=LEAFLET, status=ActionStatus.DONE, done_at=CLOSED)
        )
    data.closed(services, round_id, CLOSED)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id, now=CLOSED + timedelta(days=1))
    assert summary.too_few_answered
    rows = list(csv.DictReader(io.StringIO(render(summary, "csv").decode("utf-8"))))
    in_csv = {row["value"] for row in rows if row["measure"].startswith("action_")}
    assert in_csv == {MEET, LEAFLET}
    page = " ".join(client.get(f"/r/{_token(services, round_id)}").get_data(as_text=True).split())
    for where, words in {
        "md": _reads(summary, "md", tmp_path),
        "html": _reads(summary, "html", tmp_path),
        "pdf": _reads(summary, "pdf", tmp_path),
        "young people's page": page,
        "young people's text": young_people_text(summary),
    }.items():
        assert all(did in words for did in in_csv), where
        assert SAID not in words, where
