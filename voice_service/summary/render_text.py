"""The panel's summary as Markdown, for email bodies, wikis and reading in a terminal."""

from __future__ import annotations

from .formatting import count, day, mean_change, percent, period, points
from .report import ActionLine, Section, Summary, Trend


def _trend(trend: Trend | None, kind: str) -> str:
    if trend is None:
        return ""
    if trend.change is None:
        return " (no comparable figure last round)"
    return f" ({mean_change(trend.change) if kind == 'mean' else points(trend.change)} since last round)"


def _actions(lines: list[ActionLine]) -> list[str]:
    out = []
    for a in lines:
        verb = "We did" if a.status == "done" else "We will"
        extra = "; ".join(
            x
            for x in (
                f"owner: {a.owner}" if a.owner else "",
                f"done {day(a.done_on)}" if a.done_on else (f"due {day(a.due_on)}" if a.due_on else ""),
            )
            if x
        )
        out.append(f"- **{a.status_label}.** You said: {a.said} {verb}: {a.did}" + (f" ({extra})" if extra else ""))
    return out


def _section(sec: Section) -> list[str]:
    out = [f"### {sec.title}", ""]
    for q in sec.questions:
        line = f"**\u201c{q.text}\u201d** {count(q.respondents)} answered."
        if q.mean is not None:
            line += f" Average {q.mean} out of {q.scale[1]}{_trend(q.mean_trend, 'mean')}."
        if q.respondents == 0:
            line += " Nobody answered this question this round."
        elif q.positive_share is not None or q.negative_share is not None:
            line += (
                f" {percent(q.positive_share, empty='share hidden')} positive, "
                f"{percent(q.negative_share, empty='share hidden')} negative"
                f"{_trend(q.positive_trend, 'share')}."
            )
        out += [line, ""]
        if q.distribution and q.respondents != 0:
            out += ["| Answer | People |", "|---|---:|"] + [f"| {a} | {count(n)} |" for a, n in q.distribution] + [""]
        if q.withheld:
            out += [f"_{q.withheld.capitalize()}._", ""]
    if sec.themes:
        out += [
            "| Theme | People | Of those who commented | Positive / neutral / negative | Change |",
            "|---|---:|---:|---|---|",
        ]
        for t in sec.themes:
            s = t.sentiment
            out.append(
                f"| {t.label} | {count(t.people)} | {percent(t.share)} | {count(s['positive'])} / "
                f"{count(s['neutral'])} / {count(s['negative'])} | {_trend(t.trend, 'share').strip(' ()')} |"
            )
        out.append("")
    for quote in sec.quotes:
        out += [f"> \u201c{quote.text}\u201d \u2014 a young person, on {quote.theme_label.lower()}", ""]
    out += ["**We did / We will**", ""] + (_actions(sec.we_did + sec.we_will) or ["_No action recorded yet._"]) + [""]
    return out


def render_markdown(summary: Summary) -> str:
    """The summary as Markdown, in the same order as the HTML."""
    h = summary.header
    out = [
        f"# You said, we did: {summary.survey_title}, round {summary.round_id}",
        "",
        f"{summary.council}. Report to the Corporate Parenting Panel. {period(summary.period_start, summary.period_end)}.",  # noqa: E501
        "",
    ]
    if summary.previous_round_id:
        out += [f"Compared with round {summary.previous_round_id} ({period(*summary.previous_period)}).", ""]
    out += [
        "## Who took part",
        "",
        f"- Invited: {h.invited:,}",
        f"- Answered at least one question: {count(h.responded)}",
        f"- Response rate: {percent(h.response_rate)}",
    ]
    out += [f"- {name}: {count(n)}" for name, n in h.channels.items()]
    out += [f"- Aged {name}: {count(n)}" for name, n in h.age_bands.items()] + [""]
    out += ["## What you told us, and what we did: our pledges", ""]
    for sec in summary.pledges:
        if sec.has_evidence:
            out += _section(sec)
    out += ["## The top ten messages from care-experienced people", ""]
    for sec in summary.messages:
        if sec.has_evidence:
            out += _section(sec)
    if summary.other_actions:
        out += ["## Other things we did", ""] + _actions(summary.other_actions) + [""]
    out += ["## Still open", ""]
    if summary.still_open:
        out += ["Themes raised this round with no action recorded yet:", ""]
        out += [f"- {t.label}: {count(t.people)} people" for t in summary.still_open]
    else:
        out += ["Every theme raised this round has an action recorded."]
    out += ["", "## How we did this", ""] + [f"- {line}" for line in summary.methods]
    return "\n".join(out) + "\n"
