"""The panel's summary as Markdown, for email bodies, wikis and reading in a terminal."""

from __future__ import annotations

from .disclosure import HIDDEN_FIGURES_KEY, PRIMARY, UNTIL_CLOSED_LABEL
from .formatting import (
    capital,
    count,
    counted,
    day,
    figure,
    percent,
    period,
)
from .report import (
    ALL_AGES,
    FEELINGS_WITHHELD,
    FEW_THEMES,
    OWN_WORDS_NOTE,
    ActionLine,
    QuestionResult,
    Section,
    Summary,
    Trend,
    trend_words,
)


def _trend(trend: Trend | None, kind: str) -> str:
    """ ", up 9 points since last round (about the same)": as the HTML says it (`trend_words`), after its figure."""
    return f", {trend_words(trend, kind)}" if trend is not None else ""


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


def _question(q: QuestionResult) -> list[str]:
    out = [f"### {q.label}", "", f"We asked: \u201c{q.text}\u201d", ""]
    line = " ".join(q.answered) + "."
    if q.respondents == 0:
        line += " Nobody answered this question this round."
    else:
        if q.positive_share is not None:
            line += f" {percent(q.positive_share)} positive{_trend(q.positive_trend, 'share')}."
        if q.negative_share is not None:
            line += f" {percent(q.negative_share)} negative{_trend(q.negative_trend, 'share')}."
        if q.mean is not None and q.scale:
            line += f" Average {q.mean} out of {q.scale[1]}{_trend(q.mean_trend, 'mean')}."
    out += [line, ""]
    if q.distribution and q.respondents != 0:
        before = dict(q.previous_distribution)
        if before:
            out += ["| Answer | People | Last round |", "|---|---:|---:|"]
            out += [f"| {q.answer_words(a)} | {count(n)} | {count(before.get(a, 0))} |" for a, n in q.distribution]
            out.append("")
        else:
            out += ["| Answer | People |", "|---|---:|"]
            out += [f"| {q.answer_words(a)} | {count(n)} |" for a, n in q.distribution]
            out.append("")
    if q.withheld:
        out += [f"_{q.withheld.capitalize()}._", ""]
    return out


def _section(sec: Section, note: str = "") -> list[str]:
    out = [f"### {sec.title}", ""] + [note, ""] * bool(note)
    asked = [q for q in sec.questions if q.has_answers]
    if asked:
        out += ["Asked: " + "; ".join(f"{q.label} ({q.evidence})" for q in asked) + ".", ""]
    raised = [t for t in sec.themes if t.people != 0]
    if raised:
        out += [
            "Wrote about: " + "; ".join(f"{t.label} ({counted(t.people, bracketed=False)})" for t in raised) + ".",
            "",
        ]
    out += (_actions(sec.we_did + sec.we_will) or ["_No action recorded yet._"]) + [""]
    return out


def _not_evidenced(summary: Summary, kind: str) -> list[str]:
    """As the HTML: the pledges or messages nothing evidenced this round are named, never just left out."""
    quiet = summary.not_evidenced(kind)
    return [quiet, ""] if quiet else []


def render_markdown(summary: Summary) -> str:
    """The summary as Markdown, in the same order as the HTML."""
    h = summary.header
    out = [
        f"# You said, we did: {summary.survey_title}, round {summary.round_id}",
        "",
        f"{summary.council}. Report to the Corporate Parenting Panel. "
        f"{period(summary.period_start, summary.period_end)}.",
        "",
    ]
    if summary.previous_round_id and summary.previous_period:
        out += [f"Compared with round {summary.previous_round_id} ({period(*summary.previous_period)}).", ""]
    out += ["## At a glance", "", HIDDEN_FIGURES_KEY, ""]
    if summary.open_note:
        out += [summary.open_note, ""]
    # A hidden figure ("fewer than 5") starts these sentences, so each is given its capital.
    out += ["- " + " ".join(h.took_part) + "."]
    out += [f"- Response rate {percent(h.response_rate)}: {h.rate_verdict}."]
    if summary.alerts:
        a = summary.alerts
        out += [f"- {capital(figure(a.raised))} {a.raised_words}: {a.outcome}."]
    out.append("")
    f = summary.findings
    if f:
        compared = bool(summary.previous_round_id)
        for title, section, items in (
            ("Going well", "well", f.best + f.praised),
            ("Needs work", "worst", f.worst),
            ("Biggest changes since last round", "moves", f.moves),
            ("Raised most, with no action yet", "open", f.open),
        ):
            # A move reads as in the HTML, "... up from 33% (+31 points, better)"; the others "label: figure".
            shape = "- {0} ({1})" if section == "moves" else "- {0}: {1}"
            lines = [shape.format(x.text, x.figure) for x in items] or [f.none_words(section, compared)]
            out += [f"**{title}**", ""] + lines + [""]
    out += ["## Who took part", ""]
    out += [f"- {name}: {count(n)}" for name, n in h.channels.items()]
    out += [f"- {capital(name) if name == ALL_AGES else f'Aged {name}'}: {count(n)}" for name, n in h.age_bands.items()]
    if not summary.final:
        out += [f"How they answered, and their ages, are {UNTIL_CLOSED_LABEL}."]
    out += [""]
    out += ["## What we asked", ""]
    for q in summary.questions:
        if q.kind != "text":
            out += _question(q)
    if summary.own_words_questions:
        # As the HTML, and as the CSV counts them: how many answered each question asked in their own words.
        out += [OWN_WORDS_NOTE, ""] + [f"- {q.own_words}." for q in summary.own_words_questions] + [""]
    out += ["## What young people wrote about", ""]
    # As the HTML: a theme raised by 1 to 4 people is named in one line, neither broken down nor quoted.
    few = [t for t in summary.themes if t.people == PRIMARY]
    for t in summary.themes:
        if t.people == 0 or t in few:
            continue
        s = t.sentiment
        line = f"### {t.label}\n\n{counted(t.people)}"
        if t.share is not None:
            line += f" ({percent(t.share)} of those who wrote comments)"
        if t.trend:
            line += f"; {trend_words(t.trend, 'theme')}"
        if t.feelings_withheld:
            line += f". Feelings: {FEELINGS_WITHHELD}."
        else:
            line += (
                ". Feelings: "
                + ", ".join(counted(s[feeling], feeling, feeling) for feeling in ("positive", "neutral", "negative"))
                + "."
            )
        out += [line, ""]
        for quote in t.quotes:
            out += [f"> \u201c{quote.text}\u201d", ""]
    if few:
        out += [FEW_THEMES + ", ".join(t.label.lower() for t in few) + ".", ""]
    if summary.no_theme_raised:
        out += [summary.no_theme_raised, ""]  # as the HTML: never a heading with nothing under it
    out += ["## What you told us, and what we did: our pledges", ""]
    for sec in summary.pledges:
        if sec.shown:
            out += _section(sec, summary.not_evidenced_note(sec))
    out += _not_evidenced(summary, "pledge")
    out += ["## The top ten messages from care-experienced people", ""]
    for sec in summary.messages:
        if sec.shown:
            out += _section(sec, summary.not_evidenced_note(sec))
    out += _not_evidenced(summary, "message")
    if summary.other_actions:
        out += ["## Other things we did", ""] + _actions(summary.other_actions) + [""]
    out += ["## Still open", ""]
    if summary.still_open:
        out += [
            "Problems raised this round with no action recorded yet "
            "(themes raised mostly in praise are under Going well):",
            "",
        ]
        out += [f"- {t.label}: {counted(t.people)}" for t in summary.still_open]
    else:
        out += [summary.nothing_still_open]
    out += ["", "## How we did this", ""] + [f"- {line}" for line in summary.methods]
    # As the HTML's footer says it: a panel paper made from the Markdown says when it was produced.
    out += ["", f"Produced by Voice Service for {summary.council} on {day(summary.generated_on)}."]
    return "\n".join(out) + "\n"
