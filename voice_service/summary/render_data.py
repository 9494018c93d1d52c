"""The summary as JSON (for other systems) and CSV (one figure per row, for spreadsheets)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import date, datetime

from ..exports import safe_cell
from .formatting import count
from .report import Section, Summary, Trend

SCHEMA_VERSION = 1


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"can't write {type(value).__name__} as JSON")


def summary_dict(summary: Summary) -> dict:
    """The summary as plain JSON-ready data; a null count means "fewer than 5"."""
    data = asdict(summary)
    for kind in ("pledges", "messages"):
        for plain, section in zip(data[kind], getattr(summary, kind)):
            plain["has_evidence"] = section.has_evidence
            for question in plain["questions"]:
                question["distribution"] = [{"answer": a, "people": n} for a, n in question["distribution"]]
    return {
        "schema": "voice-service/you-said-we-did",
        "schema_version": SCHEMA_VERSION,
        "null_means": "fewer than 5 people (hidden to protect privacy)",
        **data,
    }


def render_json(summary: Summary) -> str:
    """The summary as indented JSON."""
    return json.dumps(summary_dict(summary), default=_plain, indent=2, ensure_ascii=False) + "\n"


CSV_FIELDS = ("section", "number", "title", "measure", "item", "value", "previous", "change")


def _trend(trend: Trend | None) -> tuple[str, str]:
    if trend is None:
        return "", ""
    fmt = lambda v: "" if v is None else f"{v:.3f}".rstrip("0").rstrip(".")  # noqa: E731
    return fmt(trend.previous), fmt(trend.change)


def _section_rows(section: Section):
    base = {"section": section.kind, "number": section.number, "title": section.title}
    for question in section.questions:
        yield {**base, "measure": "respondents", "item": question.id, "value": count(question.respondents)}
        for answer, people in question.distribution:
            yield {**base, "measure": "answer", "item": f"{question.id}={answer}", "value": count(people)}
        if question.scale:
            previous, change = _trend(question.mean_trend)
            yield {
                **base,
                "measure": "mean",
                "item": question.id,
                "value": "" if question.mean is None else question.mean,
                "previous": previous,
                "change": change,
            }
        if question.positive_share is not None or question.positive_trend is not None:
            previous, change = _trend(question.positive_trend)
            yield {
                **base,
                "measure": "share_positive",
                "item": question.id,
                "value": "" if question.positive_share is None else round(question.positive_share, 3),
                "previous": previous,
                "change": change,
            }
            yield {
                **base,
                "measure": "share_negative",
                "item": question.id,
                "value": "" if question.negative_share is None else round(question.negative_share, 3),
            }
    for theme in section.themes:
        previous, change = _trend(theme.trend)
        yield {
            **base,
            "measure": "theme_people",
            "item": theme.id,
            "value": count(theme.people),
            "previous": previous,
            "change": change,
        }
    for quote in section.quotes:
        yield {**base, "measure": "quote", "item": quote.theme, "value": safe_cell(quote.text)}
    for action in section.we_did + section.we_will:
        yield {
            **base,
            "measure": f"action_{action.status}",
            "item": safe_cell(action.said),
            "value": safe_cell(action.did),
        }


def render_csv(summary: Summary) -> str:
    """One row per published figure: section, number, title, measure, item, value, previous, change."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    head = {"section": "round", "number": summary.round_id, "title": summary.survey_title}
    header = summary.header
    writer.writerow({**head, "measure": "invited", "value": header.invited})
    writer.writerow({**head, "measure": "responded", "value": count(header.responded)})
    writer.writerow(
        {
            **head,
            "measure": "response_rate",
            "value": "" if header.response_rate is None else round(header.response_rate, 3),
        }
    )
    for name, people in header.channels.items():
        writer.writerow({**head, "measure": "channel", "item": name, "value": count(people)})
    for name, people in header.age_bands.items():
        writer.writerow({**head, "measure": "age_band", "item": name, "value": count(people)})
    for section in summary.pledges + summary.messages:
        for row in _section_rows(section):
            writer.writerow(row)
    for theme in summary.still_open:
        writer.writerow(
            {"section": "still_open", "measure": "theme_people", "item": theme.id, "value": count(theme.people)}
        )
    for action in summary.other_actions:
        writer.writerow(
            {
                "section": "other_actions",
                "measure": f"action_{action.status}",
                "item": safe_cell(action.said),
                "value": safe_cell(action.did),
            }
        )
    return out.getvalue()
