"""Tester finding: the Responses page's "Safeguarding risk: Flagged" listed answers flagged only as not in English
(a language flag, not a risk). It now means a safeguarding risk, as the export's `risk` column does (one rule:
`Response.unread`, in SQL `models.response.disclosure_sql`), and answers not in English have a filter of their own."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.exports import export_rows
from voice_service.models import Response, Role
from voice_service.web.admin.responses_service import ResponseFilter, filter_responses

WHEN = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
# The answer's words, and how the screen flagged it: (risk, categories).
ANSWERS = {
    "my stepdad hits me": (True, ["physical_abuse"]),
    "Rydw i'n drist iawn heddiw": (True, []),  # the screen could not read it: not in English, not a risk
    "all good at school": (False, []),
    "Dw i ddim yn gwybod": (True, None),  # no categories at all (JSON null): not in English too
}


def _answers(services) -> int:
    """The answers, as free text in one round (stored in one statement); the round's id."""
    add_participants(services, [{"phone": phone_number(31)}])
    round_id = launch(services, now=WHEN)
    rows = [
        {"participant_id": 1, "round_id": round_id, "kind": "text", "answer": words, "created_at": WHEN}
        | {"risk": risk, "risk_categories": categories}
        for words, (risk, categories) in ANSWERS.items()
    ]
    with session_scope(services.engine) as session:
        session.execute(insert(Response), rows)
    return round_id


def _found(services, **filters) -> set[str]:
    with Session(services.engine) as session:
        page = filter_responses(
            session=session, catalogue=services.catalogue, filters=ResponseFilter(**filters), disclosures=True
        )
    return {row.response.answer for row in page.rows}


def test_risk_yes_is_a_safeguarding_risk_as_the_export_says_and_not_in_english_is_its_own_filter(services):
    round_id = _answers(services)
    assert _found(services, risk=True) == {"my stepdad hits me"}
    assert _found(services, risk=False) == set(ANSWERS) - {"my stepdad hits me"}
    assert _found(services, not_in_english=True) == {"Rydw i'n drist iawn heddiw", "Dw i ddim yn gwybod"}
    assert _found(services, risk=True, not_in_english=True) == set()
    # The same rule as the export's `risk` column, answer by answer.
    with Session(services.engine) as session:
        exported = {row["answer"]: row for row in export_rows(session=session, round_id=round_id, disclosures=True)}
    assert set(exported) == set(ANSWERS)
    assert {words for words, row in exported.items() if row["risk"]} == _found(services, risk=True)
    assert {words for words, row in exported.items() if row["not_in_english"]} == _found(services, not_in_english=True)


def test_the_query_string_reads_the_language_filter_and_keeps_it_in_links():
    filters = ResponseFilter.from_args({"risk": "yes", "language": "not-english"})
    assert (filters.risk, filters.not_in_english, filters.narrowed) == (True, True, True)
    assert filters.as_args() == {"risk": "yes", "language": "not-english"}
    assert not ResponseFilter.from_args({"language": "klingon"}).not_in_english


def test_the_page_lists_only_risks_under_flagged_and_offers_not_in_english(services, admin_client):
    _answers(services)
    duty = admin_client(Role.WORKER, Role.DUTY)
    flagged = duty.get("/admin/responses?risk=yes").get_data(as_text=True)
    assert "1 answer." in flagged and "my stepdad hits me" in flagged and ">Not in English</strong>" not in flagged
    welsh = duty.get("/admin/responses?language=not-english").get_data(as_text=True)
    assert "2 answers." in welsh and welsh.count(">Not in English</strong>") == 2 and ">Risk</strong>" not in welsh
    assert '<option value="not-english" selected>Not in English</option>' in welsh
