"""The summary as JSON (for other systems) and CSV (one figure per row, for spreadsheets)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime

from ..exports import safe_cell
from .disclosure import Hidden
from .formatting import count
from .report import QuestionResult, Section, Summary, ThemeResult, Trend

SCHEMA_VERSION = 2


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"can't write {type(value).__name__} as JSON")


def _data(value):
    """Dataclasses as dicts; a hidden count as {"hidden": "primary"|"secondary", "label": ...}."""
    if isinstance(value, Hidden):
        return {"hidden": value.reason, "label": value.label}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    return value


def summary_dict(summary: Summary) -> dict:
    """The summary as plain JSON-ready data; a hidden count is an object saying why it is hidden."""
    data = _data(summary)
    for question in data["questions"]:
        question["distribution"] = [{"answer": a, "people": n} for a, n in question["distribution"]]
        question["previous_distribution"] = [{"answer": a, "people": n} for a, n in question["previous_distribution"]]
    for kind in ("pledges", "messages"):
        for plain, section in zip(data[kind], getattr(summary, kind)):
            plain["has_evidence"] = section.has_evidence
            # Figures live once, under "questions" and "themes"; sections point to them.
            plain["questions"] = [q.id for q in section.questions]
            plain["themes"] = [t.id for t in section.themes]
    data["still_open"] = [t.id for t in summary.still_open]
    return {
        "schema": "voice-service/you-said-we-did",
        "schema_version": SCHEMA_VERSION,
        "hidden_means": {
            "primary": "fewer than 5 people",
            "secondary": "5 or more, hidden so that a smaller figure cannot be worked out",
        },
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


def _question_rows(question: QuestionResult):
    base = {"section": "question", "number": "", "title": question.label}
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
    for measure, value, trend in (
        ("share_positive", question.positive_share, question.positive_trend),
        ("share_negative", question.negative_share, question.negative_trend),
    ):
        if value is not None or trend is not None:
            previous, change = _trend(trend)
            yield {
                **base,
                "measure": measure,
                "item": question.id,
                "value": "" if value is None else round(value, 3),
                "previous": previous,
                "change": change,
            }


def _theme_rows(theme: ThemeResult):
    base = {"section": "theme", "number": "", "title": theme.label}
    previous, change = _trend(theme.trend)
    yield {
        **base,
        "measure": "theme_people",
        "item": theme.id,
        "value": count(theme.people),
        "previous": previous,
        "change": change,
    }
    for feeling, people in theme.sentiment.items():
        yield {**base, "measure": f"theme_{feeling}", "item": theme.id, "value": count(people)}
    for quote in theme.quotes:
        yield {**base, "measure": "quote", "item": theme.id, "value": safe_cell(quote.text)}


def _section_rows(section: Section):
    base = {"section": section.kind, "number": section.number, "title": section.title}
    for question in section.questions:
        yield {**base, "measure": "evidence_question", "item": question.id, "value": question.label}
    for theme in section.themes:
        yield {**base, "measure": "evidence_theme", "item": theme.id, "value": count(theme.people)}
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
    if summary.alerts:
        for measure, value in (
            ("alerts_raised", summary.alerts.raised),
            ("alerts_acknowledged_in_time", summary.alerts.in_time),
            ("alerts_missed_target", summary.alerts.late),
            ("alerts_open_within_target", summary.alerts.waiting),
        ):
            writer.writerow({**head, "measure": measure, "value": count(value)})
    for question in summary.questions:
        for row in _question_rows(question):
            writer.writerow(row)
    for theme in summary.themes:
        for row in _theme_rows(theme):
            writer.writerow(row)
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
