"""The year's pledge coverage across rounds: what evidences each pledge and top-ten message, how it
moved from round to round, what was done, and which pledges had no evidence at all.

This is the annual corporate parenting report a council writes by hand today. Every figure is a
round's own published (protected) figure: nothing is added up across rounds, so nothing hidden in
a round can be worked out from the year.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from ..dates import local_moment
from ..models import Round
from ..rounds.audience import round_words
from ..surveys.registry import parse_stored
from .aggregate import aggregate_rounds
from .disclosure import FOLLOW_UP, PROTECTING_LABEL, SECONDARY, SUPPRESSED_LABEL, UNTIL_CLOSED, Count, Hidden
from .formatting import ABOUT_THE_SAME, CHANGE_RULE, change_called, count, day, percent, period, plural, share_change
from .render_data import HIDDEN_FIGURE
from .report import ActionLine, Summary, build_summary, theme_called


@dataclass(frozen=True)
class RoundRef:
    """One round in the year."""

    id: int
    survey_title: str
    period_start: date
    period_end: date | None
    # Who it asked ("in care in East, aged 11 to 17", `rounds.audience.round_words`): rounds of different young
    # people sit side by side in one table, and the panel must see that (new-user trial, 6 December).
    asked: str = ""

    @property
    def described(self) -> str:
        """ "Round 3: How are things?, 1 to 31 March 2026, asked in care in East, aged 11 to 17"."""
        asked = f", asked {self.asked}" if self.asked else ""
        return f"Round {self.id}: {self.survey_title}, {period(self.period_start, self.period_end)}{asked}"


@dataclass(frozen=True)
class Point:
    """One round's published figure for a question or theme."""

    round_id: int
    value: float | None  # a share, None when hidden or nobody answered
    people: Count
    alike: bool = False  # its answers not broken down: a small group answered alike (`report.shows_alike`)
    # What the share is of, as its round showed it, when that is not `people`: a theme's is those who commented.
    of: Count | None = None

    @property
    def base(self) -> Count:
        """The number the share is of: who answered a question, or who commented (a theme)."""
        return self.people if self.of is None else self.of


@dataclass(frozen=True)
class Series:
    """A question (by survey and id) or theme across the year's rounds."""

    kind: str  # "question" | "theme"
    id: str
    label: str
    measure: str  # "positive" (share of answers) | "raised by" (share of commenters)
    points: list[Point]

    @property
    def change(self) -> float | None:
        """First shown value to last shown value, as they are shown (`share_change`), or None with fewer than two."""
        shown = [p.value for p in self.points if p.value is not None]
        return share_change(shown[-1], shown[0]) if len(shown) >= 2 else None

    @property
    def called(self) -> str:
        """The change in words, first shown value to last (`formatting.change_called`): "better", "worse" or
        "about the same"; for a theme "about the same" or "" (`report.theme_called`)."""
        shown = [p for p in self.points if p.value is not None]
        if len(shown) < 2:
            return ABOUT_THE_SAME
        called = change_called(shown[0].value, shown[-1].value, shown[0].base, shown[-1].base)
        return theme_called(called) if self.kind == "theme" else called


@dataclass(frozen=True)
class ActionItem:
    """An action recorded in one of the year's rounds, with its status now."""

    round_id: int
    said: str
    did: str
    status: str
    status_label: str
    owner: str | None
    # Why the worker's "You said" is not published ("" when it is): the round summary's rule, `said_kept_private`.
    kept_private: str = ""
    # The theme it was recorded against, in the council's words, when that (not a pledge or message) is why it is
    # listed where it is ("" when it was recorded against this pledge or message itself).
    through_theme: str = ""


@dataclass(frozen=True)
class Coverage:
    """One pledge or top-ten message over the year."""

    kind: str
    number: int
    title: str
    short: str
    rounds: list[int]  # the rounds that evidence it
    series: list[Series]
    actions: list[ActionItem]

    @property
    def has_evidence(self) -> bool:
        """True when any round asked about it or young people wrote about it."""
        return bool(self.rounds)


@dataclass(frozen=True)
class YearReport:
    """The whole report, ready to render."""

    council: str
    start: date
    end: date
    rounds: list[RoundRef]
    pledges: list[Coverage]
    messages: list[Coverage]
    generated_on: date  # the council's day it was produced on: given by whoever asks for it (`year_report`)
    # Actions linked to no pledge or top-ten message, not even through their theme (a council's own theme that no
    # pledge or message lists, or none): listed on their own, so no action recorded in the period is left out.
    other_actions: list[ActionItem] = field(default_factory=list)

    @property
    def whole_year(self) -> bool:
        """True when the period is one calendar year (`--year`), false for any other `--from`/`--to`."""
        return self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)

    @property
    def span(self) -> str:
        """The period in words for headings: "in 2026", or "from 1 April 2026 to 31 March 2027"."""
        return f"in {self.start.year}" if self.whole_year else f"from {day(self.start)} to {day(self.end)}"

    @property
    def without_evidence(self) -> list[Coverage]:
        """Pledges nothing evidenced in the period."""
        return [c for c in self.pledges if not c.has_evidence]

    @property
    def messages_without_evidence(self) -> list[Coverage]:
        """Top-ten messages nothing evidenced in the period."""
        return [c for c in self.messages if not c.has_evidence]

    @property
    def gaps(self) -> list[tuple[str, Coverage]]:
        """Every pledge, then every top-ten message, nothing evidenced in the period, each with its name in the
        council's words ("Pledge 4", "Message 9"): the "no evidence" box lists both, so a message with no
        evidence is seen as a gap, not missed (new-user trial, C: the box said "every pledge had evidence" and
        named no message)."""
        return [(f"Pledge {c.number}", c) for c in self.without_evidence] + [
            (f"Message {c.number}", c) for c in self.messages_without_evidence
        ]


def year_report(*, session: Session, services, start: date, end: date, today: date) -> YearReport:
    """Build the pledge coverage report for rounds that opened between `start` and `end` (inclusive), produced on
    `today` (the council's day: the clock is passed in, never read here). The days are the council's, as
    `round list` shows them (`[app] timezone`): a round opened at 00:30 British Summer Time on 1 April is in the
    year from 1 April, though it was still 31 March in UTC."""
    from . import theme_labels

    config = services.config
    zone = config.app.timezone
    since = local_moment(start, time.min, zone)
    until = local_moment(end + timedelta(days=1), time.min, zone)  # the first moment after `end`
    rounds = list(
        session.execute(
            select(Round)
            .where(col(Round.opens_at) >= since, col(Round.opens_at) < until)
            .order_by(col(Round.opens_at), col(Round.id))
        ).scalars()
    )
    round_ids = [r.id for r in rounds if r.id is not None]
    figures = (
        aggregate_rounds(
            session=session,
            round_ids=round_ids,
            quotes=False,
        )
        if round_ids
        else {}
    )
    labels = theme_labels(config.conversations.folder)
    summaries: list[Summary] = [
        # Alerts are not part of this report; `now` is the period's end, never today.
        build_summary(
            current=figures[rid],
            previous=None,
            catalogue=services.catalogue,
            theme_labels=labels,
            now=until,
            timezone=zone,
        )
        for rid in round_ids
    ]
    asked = {
        r.id: round_words(r.cohort, parse_stored(figures[r.id].survey_source, f"{figures[r.id].survey_id}.toml"))
        for r in rounds
        if r.id is not None
    }
    # Each action as its round's summary publishes it: one small-number rule (`report.said_kept_private`)
    # keeps the worker's "You said" private where fewer than 5 answered the round, or its theme's count is hidden.
    actions = _published_actions(summaries)

    def coverage(kind: str, number: int, title: str, short: str, linked_themes: tuple[str, ...]) -> Coverage:
        evidencing: list[int] = []
        questions: dict[tuple[str, str], Series] = {}
        asked_in: dict[tuple[str, str], str] = {}  # each question's survey, by its title
        themes: dict[str, Series] = {}
        for summary in summaries:
            section = next(s for s in getattr(summary, kind + "s") if s.number == number)
            if not section.has_evidence:
                continue
            evidencing.append(summary.round_id)
            for q in section.questions:
                if not q.has_answers:
                    continue
                key = (summary.survey_id, q.id)
                measure = "positive" if q.kind in ("scale", "yes_no") else "answered"
                series = questions.setdefault(key, Series("question", q.id, q.label, measure, []))
                asked_in.setdefault(key, summary.survey_title)
                series.points.append(Point(summary.round_id, q.positive_share, q.respondents, q.answered_alike))
            for t in section.themes:
                if t.people == 0:
                    continue
                series = themes.setdefault(t.id, Series("theme", t.id, t.label, "raised by", []))
                series.points.append(Point(summary.round_id, t.share, t.people, of=t.commenters))
        return Coverage(
            kind=kind,
            number=number,
            title=title,
            short=short,
            rounds=evidencing,
            series=_told_apart(questions, asked_in) + list(themes.values()),
            actions=[
                _item(rid, a, labels if a.pledge is None and a.message is None else None)
                for rid, a in actions
                if _answers(a, kind, number, linked_themes)
            ],
        )

    catalogue = services.catalogue
    linked = {t for entry in [*catalogue.pledges.values(), *catalogue.messages.values()] for t in entry.themes}
    return YearReport(
        council=config.app.council_name,
        start=start,
        end=end,
        rounds=[
            RoundRef(s.round_id, s.survey_title, s.period_start, s.period_end, asked[s.round_id]) for s in summaries
        ],
        pledges=[
            coverage("pledge", p.number, f"Pledge {p.number}: {p.text}", p.short or p.text, p.themes)
            for p in sorted(catalogue.pledges.values(), key=lambda p: p.number)
        ],
        messages=[
            coverage("message", m.number, f"Message {m.number}: {m.text}", m.short or m.text, m.themes)
            for m in sorted(catalogue.messages.values(), key=lambda m: m.number)
        ],
        generated_on=today,
        other_actions=[
            _item(rid, a, labels)
            for rid, a in actions
            if a.pledge is None and a.message is None and (a.theme is None or a.theme not in linked)
        ],
    )


def _answers(action: ActionLine, kind: str, number: int, themes: tuple[str, ...]) -> bool:
    """True when an action belongs under this pledge or top-ten message: recorded against it, or, recorded against
    a theme alone, against one of the themes that evidence it (the mapping in `conversations/`, as themes.md has
    it), as the round summary counts a theme's action as answering it (`_covered_themes`)."""
    if action.pledge is None and action.message is None:
        return action.theme is not None and action.theme in themes
    return (action.pledge if kind == "pledge" else action.message) == number


def _item(round_id: int, action: ActionLine, theme_labels: Mapping[str, str] | None) -> ActionItem:
    """An action as the year lists it; with `theme_labels`, named by its theme (why it is listed there)."""
    theme = ""
    if theme_labels is not None and action.theme:
        theme = theme_labels.get(action.theme, action.theme.replace("_", " ").capitalize())
    return ActionItem(
        round_id,
        action.said,
        action.did,
        action.status,
        action.status_label,
        action.owner,
        kept_private=action.kept_private,
        through_theme=theme,
    )


def _told_apart(questions: dict[tuple[str, str], Series], asked_in: dict[tuple[str, str], str]) -> list[Series]:
    """The questions' series, each named so no two read alike under one pledge or message: a label shared by
    questions of different surveys (pulse's and care leavers' "How they have been feeling", asked of different
    young people, so never one trend), or of one survey's versions, says which rounds, and which survey, asked it.
    One question (one survey, one id) is one series across rounds and versions already."""
    shared = Counter(s.label for s in questions.values())
    named = []
    for key, series in questions.items():
        if shared[series.label] > 1:
            rounds = [p.round_id for p in series.points]
            which = (
                f"round {rounds[0]}"
                if len(rounds) == 1
                else "rounds " + ", ".join(map(str, rounds[:-1])) + f" and {rounds[-1]}"
            )
            series = replace(series, label=f"{series.label} ({which}: {asked_in[key]})")
        named.append(series)
    return named


def _published_actions(summaries: list[Summary]) -> list[tuple[int, ActionLine]]:
    """Every action of the year's rounds as its round's summary publishes it, with its round, in the order
    recorded (an action for both a pledge and a message is listed in both sections, and once here)."""
    found: dict[int, tuple[int, ActionLine]] = {}
    for summary in summaries:
        sections = summary.pledges + summary.messages
        for line in summary.other_actions + [a for s in sections for a in s.we_did + s.we_will]:
            found[line.id] = (summary.round_id, line)
    return [found[action_id] for action_id in sorted(found)]


# --- Rendering -------------------------------------------------------------------------------


# A share hidden because too few answered, or too few raised a theme: words, never "fewer than 5" in a
# column of percentages (read as "fewer than 5%"), as the summary's "Too few answers to show".
# A share not shown because a small group answered alike: why, never "N answered" alone, nor "hidden to protect".
ALIKE_POINT = "not broken down: all or all but one answered alike"
TOO_FEW = {
    "positive": "too few answers",
    "raised by": f"raised by {SUPPRESSED_LABEL}",
    "answered": f"{SUPPRESSED_LABEL} answered",
}


# The box of what nothing evidenced in the period, and what it says when that is nothing, in every format.
NO_EVIDENCE_HEADING = "Pledges and top-ten messages with no evidence"
EVERY_ONE_EVIDENCED = "Every pledge and top-ten message had evidence from at least one round."
# The heading of the actions linked to no pledge or top-ten message, in every format.
OTHER_ACTIONS = "Other actions"


def _point(p: Point, measure: str = "positive") -> str:
    if p.alike and measure == "positive":  # its round's summary says why, in the same words
        return ALIKE_POINT
    if p.value is None and isinstance(p.people, int):
        # Enough answered, but the share is hidden because a count behind it is (its positive answers): in the
        # round summary's words for such a share (`render_data.HIDDEN_FIGURE`), never "48 answered" in a column
        # of shares (new-user trial, B). A question with no good or bad answers is counted by who answered.
        return f"{count(p.people)} answered" if measure == "answered" else HIDDEN_FIGURE
    if p.value is not None:
        return percent(p.value)
    if p.people == SECONDARY:  # 5 or more, hidden beside a smaller group: not "too few" (trial 6b, N1)
        return PROTECTING_LABEL
    if p.people == FOLLOW_UP:  # any number, hidden with the answers it follows: its round's summary says so too
        return FOLLOW_UP.label
    if p.people == UNTIL_CLOSED:  # a round still open shows nothing about answers (`summary.open_round`)
        return UNTIL_CLOSED.label
    return TOO_FEW[measure] if isinstance(p.people, Hidden) else "not shown"


def _measure_words(series: Series) -> str:
    return {
        "positive": "positive answers",
        # Comment and choice questions alike: neither has good or bad answers to share out.
        "answered": "how many answered",
        "raised by": "share of comments raising it",
    }[series.measure]


def _trend_words(series: Series, rounds: list[int] | None = None) -> str:
    """The change from its first shown figure to its last, in words; naming those rounds when they are not the
    first and last of `rounds` (the table's columns), so a trend beside a later round whose figure is hidden or
    missing is not read as that round's (new-user trial, 6 December: round 1 to 2 sat beside round 3)."""
    change = series.change
    if series.measure == "answered":
        return ""
    if change is None:
        return "one round only" if len(series.points) < 2 else "not comparable"
    points = round(change * 100)
    shown = [p.round_id for p in series.points if p.value is not None]
    between = ""
    if rounds and (shown[0], shown[-1]) != (rounds[0], rounds[-1]):
        between = f" from round {shown[0]} to round {shown[-1]}"
    if points == 0:
        return "no change" + between
    moved = f"{'up' if points > 0 else 'down'} {plural(abs(points), 'point')}{between}"
    return f"{moved} ({series.called})" if series.called else moved


def render_year_markdown(report: YearReport) -> str:
    """The report as Markdown."""
    out = [
        f"# Pledge coverage: {day(report.start)} to {day(report.end)}",
        "",
        f"{report.council}. What young people told us about each pledge and top-ten message, "
        f"across every feedback round {report.span}, and what was done.",
        "",
        CHANGE_RULE,
        "",
        "## Rounds",
        "",
    ]
    out += [f"- {r.described}" for r in report.rounds] or ["- No rounds in this period."]
    out.append("")
    out += [f"## {NO_EVIDENCE_HEADING} {report.span}", ""]
    out += [f"- {name}: {c.short}" for name, c in report.gaps] or [f"- None: {EVERY_ONE_EVIDENCED.lower()}"]
    out.append("")
    for heading, items in (("Pledges", report.pledges), ("Top ten messages", report.messages)):
        out += [f"## {heading}", ""]
        for c in items:
            out += [f"### {c.title}", ""]
            if not c.has_evidence:
                out += ["No evidence in this period.", ""]
            else:
                out += [f"Evidence from round(s) {', '.join(map(str, c.rounds))}.", ""]
                out += ["| Question or theme | " + " | ".join(f"Round {r}" for r in c.rounds) + " | Trend |"]
                out += ["|---|" + "---:|" * len(c.rounds) + "---|"]
                for s in c.series:
                    by_round = {p.round_id: _point(p, s.measure) for p in s.points}
                    cells = " | ".join(by_round.get(r, "–") for r in c.rounds)
                    what = f"{s.label} ({_measure_words(s)})"
                    out.append(f"| {what} | {cells} | {_trend_words(s, c.rounds)} |")
                out.append("")
            out += [_action_markdown(a) for a in c.actions] or ["- No action recorded."]
            out.append("")
    if report.other_actions:
        out += [f"## {OTHER_ACTIONS}", ""] + [_action_markdown(a) for a in report.other_actions] + [""]
    # As the HTML's footer says it: a panel paper made from the Markdown says when it was produced (new-user trial).
    out += [f"Produced by Voice Service for {report.council} on {day(report.generated_on)}.", ""]
    return "\n".join(out) + "\n"


def _action_markdown(a: ActionItem) -> str:
    return f"- **{a.status_label}** ({action_where(a)}). You said: {a.said} {action_verb(a)}: {a.did}"


def action_where(a: ActionItem) -> str:
    """Which round an action was recorded in, and the theme it was recorded against when that is why it is listed
    under a pledge or message: "round 3", "round 3, recorded against the theme Carers"."""
    theme = f", recorded against the theme {a.through_theme}" if a.through_theme else ""
    return f"round {a.round_id}{theme}"


def action_verb(a: ActionItem) -> str:
    """The verb before what was done: "We did" when it is done, "We will" when planned or under way."""
    return "We did" if a.status == "done" else "We will"


def year_dict(report: YearReport) -> dict:
    """The report as plain JSON-ready data (a hidden count says why it is hidden)."""
    from .render_data import _data

    data = _data(report)
    data["without_evidence"] = [c.number for c in report.without_evidence]
    data["messages_without_evidence"] = [c.number for c in report.messages_without_evidence]
    return {"schema": "voice-service/pledge-coverage", "schema_version": 1, **data}


def render_year_json(report: YearReport) -> str:
    """The report as indented JSON."""
    return json.dumps(year_dict(report), default=lambda v: v.isoformat(), indent=2, ensure_ascii=False) + "\n"


def render_year_csv(report: YearReport) -> str:
    """One row per figure: section, number, item, round, value, status."""
    from ..exports import safe_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "number", "title", "measure", "item", "round", "value"])
    for c in report.pledges + report.messages:
        base = [c.kind, c.number, c.short]
        writer.writerow(base + ["has_evidence", "", "", "yes" if c.has_evidence else "no"])
        for s in c.series:
            for p in s.points:
                writer.writerow(
                    base + [f"{s.kind}_{s.measure.replace(' ', '_')}", s.id, p.round_id, _point(p, s.measure)]
                )
        for a in c.actions:
            writer.writerow(base + [f"action_{a.status}", safe_cell(a.said), a.round_id, safe_cell(a.did)])
    for a in report.other_actions:
        writer.writerow(
            ["other", "", OTHER_ACTIONS, f"action_{a.status}", safe_cell(a.said), a.round_id, safe_cell(a.did)]
        )
    return out.getvalue()


def render_year_html(report: YearReport) -> str:
    """The report as one self-contained, accessible HTML document."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("voice_service.summary", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(day=day)
    env.globals.update(
        period=period,
        point=_point,
        trend=_trend_words,
        measure=_measure_words,
        change_rule=CHANGE_RULE,
        action_where=action_where,
        action_verb=action_verb,
    )
    return env.get_template("year.html").render(
        r=report,
        no_evidence_heading=NO_EVIDENCE_HEADING,
        every_one_evidenced=EVERY_ONE_EVIDENCED,
        other_actions_heading=OTHER_ACTIONS,
    )


def render_year(report: YearReport, fmt: str) -> bytes:
    """The report in one of the summary's formats, as bytes."""
    if fmt == "md":
        return render_year_markdown(report).encode("utf-8")
    if fmt == "json":
        return render_year_json(report).encode("utf-8")
    if fmt == "csv":
        return render_year_csv(report).encode("utf-8")
    if fmt == "html":
        return render_year_html(report).encode("utf-8")
    if fmt == "pdf":
        from .pdf import weasyprint_html

        return weasyprint_html()(string=render_year_html(report), base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    raise ValueError(f"unknown format {fmt!r}")
