"""The summary as JSON (for other systems) and CSV (one figure per row, for spreadsheets)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime

from ..exports import safe_cell
from .disclosure import (
    HIDDEN_MEANS,
    NOT_BROKEN_DOWN_LABEL,
    PROTECTING_LABEL,
    SUPPRESSED_LABEL,
    UNTIL_CLOSED,
    Count,
    Hidden,
    is_hidden,
)
from .formatting import count, plural
from .report import ALL_AGES, ALL_FEELINGS, TOO_FEW_ANSWERS, QuestionResult, Section, Summary, ThemeResult, Trend

SCHEMA_VERSION = 2
STILL_OPEN_TITLE = "Problems raised with no action recorded yet"


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
        del question["ends"]  # in the text already; the CSV says it beside each answer (schema unchanged)
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
        "hidden_means": dict(HIDDEN_MEANS),
        **data,
    }


def render_json(summary: Summary) -> str:
    """The summary as indented JSON."""
    return json.dumps(summary_dict(summary), default=_plain, indent=2, ensure_ascii=False) + "\n"


# Each row, for a reader: the section and its title, what the figure is (`figure`) and what it is about (`about`:
# the answer as offered, the channel, the age band, the theme or what was said) in words, then the figure, last
# round's and the change. `measure` and `item` carry the same in codes and ids (safe_home=1, theme_people,
# carers) for joining to other data; `unit` says what kind of figure `value`, `previous` and `change` hold on
# that row, which is one kind per row (a theme's count and its share of those who commented are two rows, not
# a count beside shares: trial finding). docs/panel-csv.md explains every column and measure.
CSV_FIELDS = (
    "section",
    "number",
    "title",
    "figure",
    "about",
    "value",
    "previous",
    "change",
    "measure",
    "item",
    "unit",
)

# What each `measure` is, in the words the summary's pages use.
MEASURE_WORDS = {
    "invited": "Young people invited",
    "responded": "Young people who answered",
    "response_rate": "Response rate: the share of those invited who answered (0 to 1)",
    "channel": "Young people who answered, by how they answered",
    "age_band": "Young people who answered, by age",
    "alerts_raised": "Safeguarding alerts raised",
    "alerts_acknowledged_in_time": "Safeguarding alerts acknowledged within the target",
    "alerts_missed_target": "Safeguarding alerts that missed the target",
    "alerts_open_within_target": "Safeguarding alerts not yet acknowledged, still within the target",
    "respondents": "People who answered",
    "answer": "People who gave this answer",
    "mean": "Average answer",
    "share_positive": "Share of answers that were positive (0 to 1)",
    "share_negative": "Share of answers that were negative (0 to 1)",
    "theme_people": "People who raised this theme",
    "theme_share": "Share of those who wrote comments who raised this theme (0 to 1)",
    "theme_positive": "People who raised it, feeling positive",
    "theme_neutral": "People who raised it, feeling neutral",
    "theme_negative": "People who raised it, feeling negative",
    "theme_feelings": "People who raised it, whatever their feelings",
    "quote": "What a young person wrote (redacted)",
    "evidence_question": "Question asked",
    "evidence_theme": "People who raised this theme",
    "action_done": "Action done: what we did",
    "action_in_progress": "Action in progress: what we will do",
    "action_planned": "Action planned: what we will do",
    "themes_not_shown": f"Themes raised: not shown, as {SUPPRESSED_LABEL} answered the round",
}
# What kind of figure each `measure` is, for the `unit` column: a number of people or of alerts, a share from
# 0 to 1, an average on the question's scale, or words.
PEOPLE, ALERTS, SHARE, AVERAGE, WORDS = "people", "alerts", "share (0 to 1)", "average", "words"
MEASURE_UNITS = {
    **{m: PEOPLE for m in MEASURE_WORDS if not m.startswith(("alerts_", "action_"))},
    **{m: ALERTS for m in MEASURE_WORDS if m.startswith("alerts_")},
    **{m: WORDS for m in MEASURE_WORDS if m.startswith("action_")},
    "response_rate": SHARE,
    "share_positive": SHARE,
    "share_negative": SHARE,
    "theme_share": SHARE,
    "mean": AVERAGE,
    "quote": WORDS,
    "evidence_question": WORDS,
    "themes_not_shown": WORDS,
}
# A CSV cell never leaves a hidden figure blank, where it would read as zero or as no data. A hidden count
# says what the pages say ("fewer than 5", "hidden to protect a smaller group"); a share, average, rate or
# change that is not shown because a count behind it is hidden reads "hidden to protect a smaller group"
# (the methods note: more figures are hidden where a small one could be worked out, "from a percentage").
# An empty cell means there was nothing to show: nobody answered or was invited, or no round to compare with.
HIDDEN_FIGURE = PROTECTING_LABEL


def _derived(value: float | None, *, hidden: bool, digits: int | None = 3) -> float | str:
    """A share, average or rate for a cell: the number, HIDDEN_FIGURE when hidden, "" when there is none."""
    if value is None:
        return HIDDEN_FIGURE if hidden else ""
    return value if digits is None else round(value, digits)


def _side(value: float | None, hidden: bool) -> str:
    return "shown" if value is not None else "hidden" if hidden else "none"


def _trend(trend: Trend | None, now: float | None = None, *, now_hidden: bool = False) -> tuple[str, str]:
    """The previous round's figure and the change, for their cells (`now`, `now_hidden`: this round's figure,
    and whether it is hidden). A change is hidden when a side is hidden; with nothing on a side there is none."""
    if trend is None:
        return "", ""
    fmt = lambda v: f"{v:.3f}".rstrip("0").rstrip(".")  # noqa: E731
    before = _side(trend.previous, trend.previous_hidden)
    previous = fmt(trend.previous) if trend.previous is not None else HIDDEN_FIGURE if before == "hidden" else ""
    if trend.change is not None:
        return previous, fmt(trend.change)
    sides = (before, _side(now, now_hidden))
    return previous, HIDDEN_FIGURE if "none" not in sides else ""


def _count_trend(now: Count, before: Count | None) -> dict[str, object]:
    """`previous` and `change` for a count the pages compare with last round's (None: no earlier round): the
    earlier count as its own summary shows it, and the change, hidden when either count is hidden."""
    if before is None:
        return {}
    if is_hidden(now) or is_hidden(before):
        return {"previous": count(before), "change": HIDDEN_FIGURE}
    return {"previous": before, "change": now - before}  # type: ignore[operator]


def _question_rows(question: QuestionResult):
    base = {"section": "question", "number": "", "title": question.label}
    # The pages compare a question's answers with last round's where it has them (the Markdown's "Last round"
    # column, the chart's grey bars), an answer not given last round as 0: so does `previous` here.
    before = dict(question.previous_distribution) if question.previous_distribution else None
    yield {
        **base,
        "measure": "respondents",
        "item": question.id,
        "value": count(question.respondents),
        **_count_trend(question.respondents, question.previous_respondents if before is not None else None),
    }
    if question.respondents == UNTIL_CLOSED:
        return  # the round is open: nothing about its answers is counted yet (`summary.open_round`)
    for answer, people in question.distribution:
        yield {
            **base,
            "measure": "answer",
            "about": question.answer_words(answer),
            "item": f"{question.id}={answer}",
            "value": count(people),
            **_count_trend(people, before.get(answer, 0) if before is not None else None),
        }
    if question.answered_alike:
        # Not broken down because a small group answered alike: its average and shares, and their changes, say so;
        # never a blank (nothing to show) nor "hidden to protect a smaller group" (no smaller figure is at stake).
        alike = [("mean", question.mean_trend)] * bool(question.scale) + [
            ("share_positive", question.positive_trend),
            ("share_negative", question.negative_trend),
        ] * (question.kind in ("scale", "yes_no"))
        for measure, trend in alike:
            previous = _trend(trend, None, now_hidden=True)[0] if trend else ""
            yield {
                **base,
                "measure": measure,
                "item": question.id,
                "value": NOT_BROKEN_DOWN_LABEL,
                "previous": previous,
                "change": NOT_BROKEN_DOWN_LABEL if trend else "",
            }
        return
    if question.scale:
        hidden = question.mean_hidden
        previous, change = _trend(question.mean_trend, question.mean, now_hidden=hidden)
        yield {
            **base,
            "measure": "mean",
            "figure": f"Average answer ({question.scale[0]} to {question.scale[1]})",
            "item": question.id,
            "value": _derived(question.mean, hidden=hidden, digits=None),
            "previous": previous,
            "change": change,
        }
    for measure, band, value, trend in (
        ("share_positive", "positive", question.positive_share, question.positive_trend),
        ("share_negative", "negative", question.negative_share, question.negative_trend),
    ):
        hidden = question.share_is_hidden(band)
        if value is not None or trend is not None or hidden:
            previous, change = _trend(trend, value, now_hidden=hidden)
            yield {
                **base,
                "measure": measure,
                "item": question.id,
                "value": _derived(value, hidden=hidden),
                "previous": previous,
                "change": change,
            }


def _theme_rows(theme: ThemeResult):
    base = {"section": "theme", "number": "", "title": theme.label}
    # The pages compare a theme by its share of those who commented, not by its count: the count's row has no
    # `previous` or `change`, and the share has a row of its own, every cell a share.
    yield {**base, "measure": "theme_people", "item": theme.id, "value": count(theme.people)}
    if theme.share is not None or theme.share_hidden or theme.trend is not None:
        previous, change = _trend(theme.trend, theme.share, now_hidden=theme.share_hidden)
        yield {
            **base,
            "measure": "theme_share",
            "item": theme.id,
            "value": _derived(theme.share, hidden=theme.share_hidden),
            "previous": previous,
            "change": change,
        }
    if theme.feelings_withheld:
        yield {
            **base,
            "measure": "theme_feelings",
            "about": ALL_FEELINGS,
            "item": theme.id,
            "value": count(theme.people),
        }
    else:
        for feeling, people in theme.sentiment.items():
            yield {**base, "measure": f"theme_{feeling}", "item": theme.id, "value": count(people)}
    for quote in theme.quotes:
        yield {**base, "measure": "quote", "item": theme.id, "value": safe_cell(quote.text)}


def _section_rows(section: Section):
    base = {"section": section.kind, "number": section.number, "title": section.title}
    for question in section.questions:
        yield {**base, "measure": "evidence_question", "item": question.id, "value": question.label}
    for theme in section.themes:
        yield {
            **base,
            "measure": "evidence_theme",
            "about": theme.label,
            "item": theme.id,
            "value": count(theme.people),
        }
    for action in section.we_did + section.we_will:
        yield {
            **base,
            "measure": f"action_{action.status}",
            "about": safe_cell(f"You said: {action.said}"),
            "item": safe_cell(action.said),
            "value": safe_cell(action.did),
        }


class _Words:
    """A csv.DictWriter that fills a row's `figure` from its `measure` when the row does not say it, and its
    `unit` from its `measure`."""

    def __init__(self, writer: csv.DictWriter) -> None:
        self._writer = writer

    def writeheader(self) -> None:
        self._writer.writeheader()

    def writerow(self, row: dict) -> None:
        if not row.get("figure"):
            row = {**row, "figure": MEASURE_WORDS.get(row["measure"], row["measure"])}
        row = {**row, "unit": MEASURE_UNITS[row["measure"]]}
        self._writer.writerow(row)


def render_csv(summary: Summary) -> str:
    """One row per published figure: section, number, title, figure and about (in words), value, previous,
    change, then measure and item (codes and ids, for joining) and unit (the kind of figure in value, previous
    and change); a hidden figure is never a blank cell (see HIDDEN_FIGURE)."""
    out = io.StringIO()
    writer = _Words(csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n"))
    writer.writeheader()
    head = {"section": "round", "number": summary.round_id, "title": summary.survey_title}
    header = summary.header
    before = summary.previous_header
    writer.writerow(
        {
            **head,
            "measure": "invited",
            "value": count(header.invited),
            **_count_trend(header.invited, before.invited if before else None),
        }
    )
    writer.writerow(
        {
            **head,
            "measure": "responded",
            "value": count(header.responded),
            **_count_trend(header.responded, before.responded if before else None),
        }
    )
    rate_trend = {}
    if before is not None:
        hidden_before = is_hidden(before.responded)
        change = None
        if header.response_rate is not None and before.response_rate is not None:
            change = round(header.response_rate - before.response_rate, 3)
        either_hidden = hidden_before or is_hidden(header.responded)
        rate_trend = {
            "previous": _derived(before.response_rate, hidden=hidden_before),
            "change": _derived(change, hidden=either_hidden),
        }
    writer.writerow(
        {
            **head,
            "measure": "response_rate",
            "value": _derived(header.response_rate, hidden=is_hidden(header.responded)),
            **rate_trend,
        }
    )
    for name, people in header.channels.items():
        writer.writerow({**head, "measure": "channel", "about": name, "item": name, "value": count(people)})
    for name, people in header.age_bands.items():
        about = name if name in ("other", "not known", ALL_AGES) else f"{name} years"
        writer.writerow({**head, "measure": "age_band", "about": about, "item": name, "value": count(people)})
    if summary.alerts:
        for measure, value in (
            ("alerts_raised", summary.alerts.raised),
            ("alerts_acknowledged_in_time", summary.alerts.in_time),
            ("alerts_missed_target", summary.alerts.late),
            ("alerts_open_within_target", summary.alerts.waiting),
        ):
            words = MEASURE_WORDS[measure]
            if measure != "alerts_raised":
                words += f" ({plural(summary.alerts.target_minutes, 'minute')})"
            writer.writerow({**head, "measure": measure, "figure": words, "value": count(value)})
    for question in summary.questions:
        for row in _question_rows(question):
            writer.writerow(row)
    for theme in summary.themes:
        for row in _theme_rows(theme):
            writer.writerow(row)
    for section in summary.pledges + summary.messages:
        for row in _section_rows(section):
            writer.writerow(row)
    if summary.too_few_answered:
        # As the pages say it under What young people wrote about and Still open: no theme is named, not even as
        # "fewer than 5" (in a round for 2 chosen young people, that says what one of them wrote).
        for part, title in (("theme", "What young people wrote about"), ("still_open", STILL_OPEN_TITLE)):
            writer.writerow({"section": part, "title": title, "measure": "themes_not_shown", "value": TOO_FEW_ANSWERS})
    for theme in summary.still_open:
        writer.writerow(
            {
                "section": "still_open",
                "title": STILL_OPEN_TITLE,
                "measure": "theme_people",
                "about": theme.label,
                "item": theme.id,
                "value": count(theme.people),
            }
        )
    for action in summary.other_actions:
        writer.writerow(
            {
                "section": "other_actions",
                "title": "Other actions",
                "measure": f"action_{action.status}",
                "about": safe_cell(f"You said: {action.said}"),
                "item": safe_cell(action.said),
                "value": safe_cell(action.did),
            }
        )
    return out.getvalue()
