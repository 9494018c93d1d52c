"""Export a round's answers as JSONL or CSV: pseudonyms only, never phone numbers or names.

Each answer carries the machine's themes and sentiment and, beside them, any worker's correction; then,
extensions of the contract's fields, `theme_sentiments`, the machine's feeling per theme (from the clause that
raised it; null where it was not worked out), and last `not_in_english`: true for an answer flagged only because
the screen could not read it (`Response.unread`), which the Responses page marks "Not in English", not "Risk".
`risk` is true for a possible safeguarding disclosure alone, so such an answer has `risk` false.

Every export, the dashboard's downloads and `responses export`/`responses corrections` alike, withholds the
words of a safeguarding disclosure (a response flagged as a risk) unless it is made for the duty team
(`accounts.may_see_disclosure`): the row stays, with `accounts.WITHHELD_DISCLOSURE` in place of the words, and
nothing of its themes, feeling or risk categories, machine's or worker's (`accounts.withholds`): only that the duty
team holds it.
Words flagged only because the screen could not read them (not in English: `Response.unread`) are withheld
alike, under `accounts.WITHHELD_UNREAD`, and are not counted as disclosures. Withheld is the default
(`disclosures=False`); the caller decides who is asking and records the export on the audit log under
`export_action`, which says whether disclosures' words went out."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from sqlalchemy import Select
from sqlmodel import Session, col, select

from .accounts.service import WITHHELD_DISCLOSURE, WITHHELD_UNREAD, disclosure_words, withholds
from .labels import corrections
from .models import Participant, Response

FIELDS = (
    "participant",
    "question_id",
    "answer",
    "value",
    "skipped",
    "themes",
    "sentiment",
    "score",
    "risk",
    "risk_categories",
    "human_themes",
    "human_sentiment",
    "created_at",
    "theme_sentiments",
    "not_in_english",
)


def export_action(kind: str, *, disclosures: bool) -> str:
    """The audit action for an export (`kind`: "export" for a round's answers, "export_corrections"): with
    "_disclosures" after it when it was made for the duty team, so the log shows who took disclosures' words
    out of the service."""
    return f"response.{kind}{'_disclosures' if disclosures else ''}"


def withheld_count(rows: list[dict], field: str = "answer") -> tuple[int, int]:
    """How many rows of an export had their words withheld: (disclosures, answers not in English)."""
    return (
        sum(1 for row in rows if row.get(field) == WITHHELD_DISCLOSURE),
        sum(1 for row in rows if row.get(field) == WITHHELD_UNREAD),
    )


def flagged_count(rows: list[dict]) -> tuple[int, int]:
    """How many rows of an export are flagged: (disclosures, answers only not in English)."""
    return sum(1 for row in rows if row["risk"]), sum(1 for row in rows if row["not_in_english"])


def export_rows(
    *, session: Session, round_id: int, only: Select | None = None, disclosures: bool = False
) -> list[dict]:
    """Every answer in a round, oldest first, as plain dicts; `only` (a query of response ids, such as the
    dashboard's filters and search) narrows it to those answers. Unless `disclosures` (the one it is for may
    read them: `accounts.may_see_disclosure`), each row of a safeguarding disclosure is kept with
    `accounts.WITHHELD_DISCLOSURE` in place of its words (`answer`, and `value` when that is its words), and
    each flagged only as not in English with `accounts.WITHHELD_UNREAD`."""
    query = (
        select(Response, col(Participant.pseudonym))
        .join(Participant, col(Participant.id) == col(Response.participant_id))
        .where(col(Response.round_id) == round_id)
        .order_by(col(Response.id))
    )
    if only is not None:
        query = query.where(col(Response.id).in_(only))
    rows = []
    for response, pseudonym in session.exec(query).all():
        # A scale answer is its number; yes/no, choice and text answers are their words.
        value = response.value_number if response.kind == "scale" else response.value_text
        if isinstance(value, str) and (response.kind == "text" or response.free_text):
            value = disclosure_words(value, risk=response.risk, may_see=disclosures, unread=response.unread)
        row = {
            "participant": pseudonym,
            "question_id": response.question_id,
            "answer": disclosure_words(
                response.answer, risk=response.risk, may_see=disclosures, unread=response.unread
            ),
            "value": value,
            "skipped": response.skipped,
            "themes": list(response.themes or []),
            "sentiment": response.sentiment,
            "score": response.score,
            # A possible disclosure; an answer the screen could not read is `not_in_english` instead.
            "risk": response.risk and not response.unread,
            "risk_categories": list(response.risk_categories or []),
            # A worker's correction, beside the machine's tags (null where nobody corrected them).
            "human_themes": list(response.human_themes) if response.human_themes is not None else None,
            "human_sentiment": response.human_sentiment,
            "created_at": response.created_at.isoformat(),
            "theme_sentiments": dict(response.theme_sentiments) if response.theme_sentiments else None,
            "not_in_english": response.unread,
        }
        if withholds(risk=response.risk, may_see=disclosures):
            row |= _nothing_of_it()
        rows.append(row)
    return rows


def _nothing_of_it() -> dict:
    """What an exported answer withheld from its reader shows of its tags: nothing (`accounts.withholds`)."""
    return {
        "themes": [],
        "sentiment": None,
        "score": None,
        "risk_categories": [],
        "human_themes": None,
        "human_sentiment": None,
        "theme_sentiments": None,
    }


def correction_rows(*, session: Session, round_id: int | None = None, disclosures: bool = False) -> list[dict]:
    """Workers' corrections as labelled examples (`labels.corrections`), with a disclosure's words withheld
    (`text`) as in `export_rows` unless `disclosures`, and its labels too, the worker's and the machine's."""
    rows = corrections(session=session, round_id=round_id)
    if disclosures or not rows:
        return rows
    risky = {
        response.id: response
        for response in session.exec(
            select(Response).where(col(Response.risk).is_(True), col(Response.labelled_at).is_not(None))
        )
    }

    def withheld(row: dict) -> dict:
        # A correction's id ends "-r<response id>" (`labels.corrections`).
        response = risky.get(int(row["id"].rsplit("-r", 1)[1]))
        if response is None:
            return row
        text = disclosure_words(row["text"], risk=True, may_see=False, unread=response.unread)
        labels: dict[str, object] = {"themes": [], "sentiment": None, "machine_themes": [], "machine_sentiment": None}
        return {**row, "text": text, **labels}

    return [withheld(row) for row in rows]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet will show, not run: a leading = + - @ (or tab, CR) gets a ' before it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_jsonl(rows: list[dict], out: TextIO) -> None:
    """One JSON object per line."""
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows: list[dict], out: TextIO) -> None:
    """A header and one row per answer; lists are joined with ';', per-theme feelings as 'theme:feeling;...'."""
    writer = csv.DictWriter(out, fieldnames=list(FIELDS))
    writer.writeheader()
    for row in rows:
        # Young people's words go into spreadsheets: never let one start a formula.
        writer.writerow({k: _cell(v) for k, v in row.items()})


def _cell(value):
    """One CSV cell: lists joined with ';', a theme -> feeling mapping as 'theme:feeling;...'."""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    return safe_cell(value)
