"""Turn a round's raw figures into the "You said, we did" summary: pure, and safe to publish.

Every count here has been through disclosure control (None means "fewer than 5"), every
quote has been redacted, and no figure is shown that would let a hidden one be worked out.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..dates import DEFAULT_TIMEZONE, local
from ..engine.answers import choose_branch
from ..models import ActionStatus
from ..surveys.model import Catalogue, Question, Survey, end_labels
from ..surveys.registry import parse_stored
from .aggregate import ActionRecord, RoundFigures
from .disclosure import (
    ALIKE_LABEL,
    FOLLOW_UP,
    GROUP_SIZE,
    INSIDE_LABEL,
    INSIDE_PRIMARY,
    NOT_BROKEN_DOWN_LABEL,
    PRIMARY,
    PROTECTING_LABEL,
    PROTECTING_WHY,
    SECONDARY,
    SMALL_RANGE,
    SUPPRESSED_LABEL,
    THRESHOLD,
    UNTIL_CLOSED,
    UNTIL_CLOSED_LABEL,
    Count,
    Hidden,
    is_hidden,
    is_small,
    mostly_redacted,
    protect,
    protect_none_too,
    redact,
    share,
    shown,
    suppress_count,
    suppress_partition,
)
from .formatting import (
    ABOUT_THE_SAME,
    CHANGE_RULE,
    capital,
    change_called,
    counted,
    figure,
    hidden_note,
    percent,
    plural,
    points,
    share_change,
)
from .open_round import OPEN_ROUND_NOTE, figures_final, while_open

QUOTES_PER_SECTION = 3
TOP_THEMES = 3
SENTIMENTS = ("positive", "neutral", "negative")
FINDINGS = 3
# Where a question stands on the first page, in the methods note (`first_page_home` is the rule itself).
FIRST_PAGE_RULE = (
    'On the first page each question is listed once at most: under "Going well" only when more than half of '
    'those who answered gave a good answer (and so more good answers than bad), otherwise under "Needs work" '
    "if its share of good or bad answers can be shown (half or fewer good answers needs work, however few were "
    "bad). This is judged only on the figures shown. Each list shows up to three."
)
NOTHING_NEEDS_WORK = "Every question with bad answers had more than half good answers, so it is under Going well."
# What the summary says when no problem raised is waiting for an action: the one wording, in every format
# (`nothing_still_open`). "Every problem ... has an action" only when at least one problem was raised.
# "In comments": what a young person said in danger goes to the duty team and is counted under safeguarding
# alerts, never here, so a panel must not read "no problems" as "nothing worrying happened" (outside trial 5, F10).
# Before the pledges or top-ten messages nothing evidenced this round (`Summary.not_evidenced`).
NOT_EVIDENCED = "Not asked or talked about this round: "
# A pledge or message whose questions the survey asks, but that nobody answered or wrote about (new-user trial: these
# read "Not asked or talked about", as if the survey had no question about them).
ASKED_NOT_ANSWERED = "Asked, but nobody answered or wrote about it this round: "
# While the round is open (`open_round`), what was written about anything is not shown yet: only "not asked" is known.
NOT_ASKED_WHILE_OPEN = f"Not asked this round (what young people wrote about it is {UNTIL_CLOSED_LABEL}): "
# "What young people wrote about" when no theme was raised (one home: the HTML and the Markdown; new-user trial: the
# HTML said there were no comments and the Markdown said nothing under its heading, while the CSV counted an answer
# to a question asked in their own words, whose words were about none of the themes).
NO_COMMENTS = "No comments in young people's own words this round."
NO_THEME_RAISED = (
    "Young people answered in their own words (how many, under What we asked), but none of what they wrote was "
    "about one of our themes."
)
# Under What we asked, before each question answered in their own words and how many answered it, as the CSV says it.
OWN_WORDS_NOTE = (
    "Questions young people answered in their own words. What they wrote is counted under the themes below, where it "
    "was about one of them:"
)
# Where no figure can be shown for too few answers, in every list that would show one: the first page's, and, where
# fewer than 5 answered the round, "What young people wrote about" and "Still open" (new-user trial: "School: fewer
# than 5 people" in a round for 2 chosen young people said what one of them wrote). The one wording.
TOO_FEW_ANSWERS = "Too few answers to show."
# Where fewer than 5 answered the round, before the pledges or top-ten messages nothing shown evidences: what they
# wrote is not shown, so these say only whether they were asked (`Summary.not_evidenced`).
ASKED_TOO_FEW = "Asked, but nobody answered it this round (what young people wrote is not shown: too few answered): "
NOT_ASKED_TOO_FEW = "Not asked this round (what young people wrote is not shown: too few answered): "
NO_PROBLEMS_RAISED = "No problems were raised in comments this round."
EVERY_PROBLEM_ACTED_ON = "Every problem raised in comments this round has an action recorded."
STATUS_LABELS = {ActionStatus.PLANNED: "Planned", ActionStatus.IN_PROGRESS: "In progress", ActionStatus.DONE: "Done"}
# Who took part, by the channel their answers came in on (each person once), in this order.
CHANNEL_LABELS = {"sms": "Text message", "webchat": "Web chat", "sms+webchat": "Text message and web chat"}
# The one row of a breakdown withheld because even its hidden cells would give a figure away.
ALL_CHANNELS = f"All channels (not broken down, {PROTECTING_WHY})"
ALL_AGES = f"all ages (not broken down, {PROTECTING_WHY})"
# A question's answers, or a theme's feelings, not broken down: a count at most the number invited (or who
# answered, or commented) would let a hidden answer or feeling be worked out however many cells were hidden.
ALL_ANSWERS = f"All answers (not broken down, {PROTECTING_WHY})"
ALL_FEELINGS = f"All feelings (not broken down, {PROTECTING_WHY})"
NOT_BROKEN_DOWN = f"not broken down by answer, {PROTECTING_WHY}"
# A question's answers not broken down because a small group answered alike (`shows_alike`): its own
# words, never "to protect a smaller group" (no smaller figure is at stake; a hidden cell says truly why it is hidden).
ALL_ANSWERS_ALIKE = (
    f"All answers (not broken down: fewer than {GROUP_SIZE} may have answered, all or all but one alike)"
)
ANSWERED_ALIKE = ALIKE_LABEL
# The rule in the methods note, in words.
ALIKE_RULE = (
    f"Where fewer than {GROUP_SIZE} may have answered a question and the figures it would show say that all of "
    "them, or all but one, answered alike (the same answer, or all a good or all a bad one), its answers, their "
    f'shares and average are not broken down, and it says so ("{ALIKE_LABEL}"): even "6 of 6" or "100%" would '
    "tell what each of them said. This is judged on the figures that would be shown, never on hidden ones."
)
FEELINGS_WITHHELD = f"not broken down, {PROTECTING_WHY}"
# A trend whose last-round figure that round's own summary hid; themes raised by 1 to 4 people, named only.
LAST_ROUND_HIDDEN = f"last round {PROTECTING_LABEL}"
FEW_THEMES = f"Also raised, each by {SUPPRESSED_LABEL} people (so not broken down or quoted): "
# A follow-up question whose number who answered is hidden with the answers it follows (`follow_up_gates`).
FOLLOW_UP_WITHHELD = "how many answered, and their answers, are hidden with the question this one follows"


@dataclass(frozen=True)
class Header:
    """Who was asked and who answered. The number invited is a group of young people like any other: 1 to 4
    reads "fewer than 5" (else every hidden figure under it would be pinned to at most that many)."""

    invited: Count
    responded: Count
    response_rate: float | None
    channels: dict[str, Count]
    age_bands: dict[str, Count]
    minimum_rate: float = 0.3

    @property
    def rate_met(self) -> bool | None:
        """True when the response rate reached the stated minimum (None when it can't be shown)."""
        return None if self.response_rate is None else self.response_rate >= self.minimum_rate

    @property
    def rate_verdict(self) -> str:
        """The words after the rate, in every format: "reached our minimum of 30%", or, when the
        rate is not shown, why not and what the minimum is (one home, so no format garbles it)."""
        minimum = f"{round(self.minimum_rate * 100)}%"
        if self.rate_met is None:
            why = "nobody was invited" if self.invited == 0 else PROTECTING_LABEL
            return f"{why}, so it cannot be compared with our minimum of {minimum}"
        return f"{'reached' if self.rate_met else 'below'} our minimum of {minimum}"

    @property
    def took_part(self) -> tuple[str, str]:
        """Who answered, in every format (one home): the figure that starts the sentence, with its
        capital ("46", "Fewer than 5", "Some"), and the words after it.

        When fewer than 5 were invited, that number is hidden too, and "Fewer than 5 of fewer than 5
        invited" reads as a mistake: it says "Some of the young people invited answered" instead, which
        hides no less (a hidden count is 1 to 4, so some)."""
        if is_hidden(self.invited) and is_hidden(self.responded):
            return (
                "Some",
                f"of the young people invited answered (both numbers are {SUPPRESSED_LABEL}, so they are hidden)",
            )
        invited = (
            f"{figure(self.invited)} young people"
            if is_hidden(self.invited)
            else f"{self.invited:,} young {'person' if self.invited == 1 else 'people'}"
        )
        return capital(figure(self.responded)), f"answered, of {invited} invited{hidden_note(self.responded)}"


@dataclass(frozen=True)
class AlertFigures:
    """Safeguarding alerts raised during the round: acknowledged within the target, missed it (acknowledged
    late, or still not acknowledged after it), or not yet acknowledged but still within it."""

    raised: Count
    in_time: Count
    late: Count
    target_minutes: int
    waiting: Count = 0

    @property
    def raised_words(self) -> str:
        """What follows the number raised: "safeguarding alerts raised" (one home for every format)."""
        noun = "safeguarding alert raised" if self.raised == 1 else "safeguarding alerts raised"
        return noun + hidden_note(self.raised)

    @property
    def outcome(self) -> str:
        """How the duty team did against the target, in words every format uses."""
        if self.raised == 0:
            return "none to acknowledge"
        minutes = plural(self.target_minutes, "minute")
        parts = [
            f"{figure(self.in_time)} acknowledged within {minutes}{hidden_note(self.in_time)}",
            f"{figure(self.late)} missed that target{hidden_note(self.late)}",
        ]
        if self.waiting != 0:
            parts.append(
                f"{figure(self.waiting)} not yet acknowledged, still within the {minutes}{hidden_note(self.waiting)}"
            )
        return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class Trend:
    """How a figure moved since the previous round of the same survey (None: can't be compared)."""

    previous_round_id: int
    previous: float | None
    change: float | None
    # True when `previous` is None because a figure behind it was hidden in that round (not for want of answers).
    previous_hidden: bool = False
    # A share's move in words (`formatting.change_called`, the sense already turned for a share where down is
    # better): "better", "worse" or "about the same"; "" where no word is given (an average, or a theme's share
    # that moved clear of chance: a theme is never better or worse, `theme_called`).
    called: str = ""


def trend_words(trend: Trend | None, kind: str) -> str:
    """How a figure moved since last round, in the words every format uses (one home: the HTML and PDF, and the
    Markdown): "up 9 points since last round (about the same)" for a share, with its better, worse or about the
    same (`Trend.called`); "up 0.3 since last round" for an average (`kind` "mean"), a figure only; "up 3 points
    since last round (about the same)" for a theme's share (`kind` "theme") within chance, and "up 12 points since
    last round" clear of it (its trend carries no word then: `theme_called`); "no change since last round"; or why
    there is no comparison. "" with no trend. The CSV gives the change as a figure only (docs/panel-csv.md)."""
    if trend is None:
        return ""
    if trend.change is None:
        # Last round's own summary hid it: say so, as the chart and the CSV do, not as if there were none.
        return LAST_ROUND_HIDDEN if trend.previous_hidden else "no comparable figure last round"
    direction = "up" if trend.change > 0 else "down"
    if kind == "mean":
        if round(trend.change, 1) == 0:
            return "no change since last round"
        # An average's move is a figure only: the better-or-worse rule is for shares (`formatting.change_called`).
        return f"{direction} {abs(trend.change):.1f} since last round"
    moved = round(abs(trend.change) * 100)
    if moved == 0:
        return "no change since last round"
    words = f"{direction} {plural(moved, 'point')} since last round"
    return f"{words} ({trend.called})" if trend.called else words


@dataclass(frozen=True)
class QuestionResult:
    """One question's published answers."""

    id: str
    text: str
    kind: str
    respondents: Count
    distribution: list[tuple[str, Count]]
    label: str = ""
    mean: float | None = None
    scale: tuple[int, int] | None = None
    positive: Count | None = None
    negative: Count | None = None
    positive_share: float | None = None
    negative_share: float | None = None
    withheld: str = ""
    mean_trend: Trend | None = None
    positive_trend: Trend | None = None
    negative_trend: Trend | None = None
    previous_distribution: list[tuple[str, Count]] = field(default_factory=list)
    previous_respondents: Count = 0
    # What the question's text says a scale's points mean ({1: "not safe", 5: "really safe"}: `end_labels`).
    ends: dict[int, str] = field(default_factory=dict)

    @property
    def has_answers(self) -> bool:
        """True when anyone answered (a hidden count means some did)."""
        return self.respondents != 0

    @property
    def answered_alike(self) -> bool:
        """True when its answers are not broken down because a small group answered alike (`shows_alike`): no chart,
        whose one bar would read "6 (100%)"."""
        return self.withheld == ANSWERED_ALIKE

    @property
    def not_broken_down(self) -> bool:
        """True when its answers are shown as one total (`ALL_ANSWERS`, `ALL_ANSWERS_ALIKE`), not answer by answer."""
        return self.withheld in (NOT_BROKEN_DOWN, ANSWERED_ALIKE)

    @property
    def mean_hidden(self) -> bool:
        """True when the average is not shown because some answers behind it are hidden."""
        return bool(self.withheld)

    def share_is_hidden(self, band: str) -> bool:
        """True when the "positive" or "negative" share is not shown because its band or the total is hidden."""
        return is_hidden(self.respondents) or is_hidden(getattr(self, band))

    def answer_words(self, label: str) -> str:
        """An answer as the young person saw it offered, in the duty page's words: a scale's point with the
        meaning the question gave it ("1 (Not safe)" from "Reply 1 (not safe) to 5 (really safe)"), else the
        label itself."""
        meaning = self.ends.get(int(label), "") if self.scale and label.isdigit() else ""
        return f"{label} ({meaning[:1].upper()}{meaning[1:]})" if meaning else label

    @property
    def scale_words(self) -> str:
        """A scale's two ends in the same words, "1 (Not safe) to 5 (Totally safe)"; empty for other kinds."""
        if not self.scale:
            return ""
        low, high = self.scale
        return f"{self.answer_words(str(low))} to {self.answer_words(str(high))}"

    @property
    def answered(self) -> tuple[str, str]:
        """How many answered it, in every format (one home): the figure that starts the sentence,
        with its capital ("46", "Fewer than 5"), and the words after it."""
        if self.respondents in (FOLLOW_UP, UNTIL_CLOSED):
            return "How many answered", f"is {self.respondents.label}"
        return capital(figure(self.respondents)), f"answered{hidden_note(self.respondents)}"

    @property
    def own_words(self) -> str:
        """A question answered in their own words, and how many answered it, as every format says it (the CSV's
        `respondents`): "One thing they would change: fewer than 5 answered"."""
        return f"{self.label}: {' '.join(self.answered).lower()}"

    @property
    def known_answered(self) -> bool:
        """True when the page says someone answered it: a count shown above 0, or hidden as 1 to 4 or 5 or more
        (not one hidden whatever it is, 0 too: with the question it follows, or until the round closes)."""
        return self.respondents != 0 and self.respondents not in (FOLLOW_UP, UNTIL_CLOSED)

    @property
    def evidence(self) -> str:
        """What follows its label where a pledge lists what was asked: "65% positive", "46 answered"
        (a choice has no good or bad answers), or that comments are counted under the themes."""
        if self.kind == "text":
            return "in their own words, counted under the themes"
        if self.respondents in (FOLLOW_UP, UNTIL_CLOSED):
            return f"how many answered {self.respondents.label}"
        if self.positive_share is not None:
            return f"{round(self.positive_share * 100)}% positive"
        return f"{figure(self.respondents)} answered{hidden_note(self.respondents, bracketed=False)}"


@dataclass(frozen=True)
class ThemeResult:
    """People whose comments carried a theme, with the split by feeling."""

    id: str
    label: str
    people: Count
    share: float | None
    sentiment: dict[str, Count]
    trend: Trend | None = None
    quotes: list[Quote] = field(default_factory=list)
    # True when `share` is None because the theme's count, or the number who commented, is hidden.
    share_hidden: bool = False
    # The number who commented, as shown (what `share` is a share of): the denominator `change_called` needs.
    commenters: Count = 0

    @property
    def feelings_withheld(self) -> bool:
        """True when its feelings are not broken down (`sentiment` is then {ALL_FEELINGS: people})."""
        return ALL_FEELINGS in self.sentiment

    @property
    def mostly_positive(self) -> bool:
        """True when, from the published figures alone, more than half of those raising it were positive.

        Such a theme is going well, not a problem waiting for action. Judged only on what is shown
        (a "fewer than 5" may be as low as 0 or as high as 4, a figure hidden to protect a smaller
        group is 5 or more), so the verdict gives nothing hidden away; when in doubt it needs action.
        Feelings not broken down are in doubt.
        """
        if self.feelings_withheld:
            return False
        positive = _known_range(self.sentiment["positive"])[0]
        others = _known_range(self.sentiment["neutral"])[1] + _known_range(self.sentiment["negative"])[1]
        return positive > others


def _known_range(value: Count | None) -> tuple[float, float]:
    """What a reader knows about a published count: itself, 0 to 4 ("fewer than 5", perhaps 0 under
    another hidden count), or 5 and up (hidden to protect a smaller group)."""
    if value is None or (isinstance(value, Hidden) and value.reason == "primary"):
        return 0, THRESHOLD - 1
    if value == SECONDARY:
        return THRESHOLD, math.inf
    if isinstance(value, Hidden):
        return 0, math.inf
    return value, value


@dataclass(frozen=True)
class Quote:
    """A short, redacted comment, shown for a theme at least 5 people raised."""

    text: str
    theme: str
    sentiment: str | None
    theme_label: str = ""


@dataclass(frozen=True)
class ActionLine:
    """A "we did / we will" line."""

    id: int
    said: str
    did: str
    owner: str | None
    status: str
    status_label: str
    due_on: date | None
    done_on: date | None
    theme: str | None = None
    pledge: int | None = None
    message: int | None = None
    # Why the worker's "You said" is not published ("" when it is): the small-number rule, as for quotes.
    kept_private: str = ""


@dataclass(frozen=True)
class Section:
    """What young people said about one pledge or top-ten message, and what was done."""

    kind: str  # "pledge" | "message"
    number: int
    title: str
    short: str
    questions: list[QuestionResult]  # the questions that evidence it (each shown once, under "What we asked")
    themes: list[ThemeResult]  # its themes young people raised (each shown once, under "What they wrote")
    we_did: list[ActionLine]
    we_will: list[ActionLine]

    @property
    def has_evidence(self) -> bool:
        """True when anything was asked or said about it this round."""
        return any(q.has_answers for q in self.questions) or any(t.people != 0 for t in self.themes)

    @property
    def has_actions(self) -> bool:
        """True when an action was recorded for it this round, done or under way."""
        return bool(self.we_did or self.we_will)

    @property
    def shown(self) -> bool:
        """True when the summary gives it a part of its own, in every format: something evidenced it this round, or
        an action was recorded for it. An action is the council's words, never a count, so it is shown whatever the
        numbers (new-user trial: in a round fewer than 5 answered, actions for a pledge the survey did not ask about
        were left out of the HTML, PDF and Markdown, while the CSV and the young people's page told them)."""
        return self.has_evidence or self.has_actions


@dataclass(frozen=True)
class Summary:
    """The whole "You said, we did" summary for one round, ready to render."""

    council: str
    round_id: int
    survey_id: str
    survey_title: str
    period_start: date
    period_end: date | None
    status: str
    header: Header
    previous_round_id: int | None
    previous_period: tuple[date, date | None] | None
    questions: list[QuestionResult]
    pledges: list[Section]
    messages: list[Section]
    themes: list[ThemeResult]
    still_open: list[ThemeResult]
    other_actions: list[ActionLine]
    methods: list[str]
    findings: Findings | None = None
    alerts: AlertFigures | None = None
    council_logo: str = ""  # a data: URI, so the file stays self-contained
    generated_on: date = field(default_factory=date.today)
    # The previous round's header (as its own summary protects it), for the CSV's `previous`; None: no earlier round.
    previous_header: Header | None = None
    # False while the round is open: every figure about answers reads UNTIL_CLOSED_LABEL (`open_round`).
    final: bool = True
    # Fewer than 5 answered the round: no theme is named anywhere (`themes` and `still_open` are empty, and each
    # section that would list them says TOO_FEW_ANSWERS), as on the first page (`Findings.too_few_answered`).
    too_few_answered: bool = False

    @property
    def own_words_questions(self) -> list[QuestionResult]:
        """The questions young people answered in their own words (each counted under What we asked)."""
        return [q for q in self.questions if q.kind == "text"]

    @property
    def no_theme_raised(self) -> str:
        """What "What young people wrote about" says when no theme was raised, in every format: that what they
        wrote is shown when the round closes, that they wrote but about no theme (as a question answered in their
        own words says), or that there were no comments; "" when a theme was raised."""
        if any(t.people != 0 for t in self.themes):
            return ""
        if not self.final:
            return f"What young people wrote is {UNTIL_CLOSED_LABEL}."
        if self.too_few_answered:
            return TOO_FEW_ANSWERS
        return NO_THEME_RAISED if any(q.known_answered for q in self.own_words_questions) else NO_COMMENTS

    @property
    def open_note(self) -> str:
        """What the summary says near its top while its round is open (`open_round.OPEN_ROUND_NOTE`), else ""."""
        return "" if self.final else OPEN_ROUND_NOTE

    @property
    def nothing_still_open(self) -> str:
        """What "Still open" says when it lists nothing: that nothing was raised, or that all has an action (or, while
        the round is open, that it is shown when the round closes)."""
        if not self.final:
            return capital(UNTIL_CLOSED_LABEL) + "."
        if self.too_few_answered:
            return TOO_FEW_ANSWERS
        return nothing_still_open(bool(raised_problems(self.themes)))

    def not_evidenced(self, kind: str) -> str:
        """The pledges (`kind` "pledge") or top-ten messages ("message") nothing evidenced this round, named in the
        council's words after those that were ("Not asked or talked about this round: message 9 (Know our
        rights)."), or "" when each was: the one wording, in every format, so a gap is seen, never just left out
        (new-user trial, C: the Markdown listed messages 1 to 8 and 10, and nothing of 9). Those the survey has a
        question about, that nobody answered or wrote about, are named apart ("Asked, but nobody answered or wrote
        about it this round: ..."): they were asked (new-user trial: they read "Not asked or talked about"). While
        the round is open only what was not asked is known (`open_round`): each question asked reads as asked. Where
        fewer than 5 answered the round, what they wrote is not shown, so neither says that nobody wrote about it.
        One with an action is shown in its own part instead (`Section.shown`), which says the same of it
        (`not_evidenced_note`), so each is named once."""
        quiet = [s for s in (self.pledges if kind == "pledge" else self.messages) if not s.shown]
        named = lambda sections: ", ".join(f"{s.kind} {s.number} ({s.short})" for s in sections) + "."  # noqa: E731
        asked = [s for s in quiet if s.questions]
        not_asked = [s for s in quiet if not s.questions]
        asked_words, not_asked_words = self._not_evidenced_words()
        return " ".join(
            [asked_words + named(asked)] * bool(asked) + [not_asked_words + named(not_asked)] * bool(not_asked)
        )

    def not_evidenced_note(self, section: Section) -> str:
        """What a pledge's or top-ten message's own part says when nothing evidenced it this round but it is shown
        for its actions (`Section.shown`): the words `not_evidenced` names it with ("Not asked this round (what
        young people wrote is not shown: too few answered)."), or "" when something evidenced it."""
        if section.has_evidence:
            return ""
        asked_words, not_asked_words = self._not_evidenced_words()
        return (asked_words if section.questions else not_asked_words).removesuffix(": ") + "."

    def _not_evidenced_words(self) -> tuple[str, str]:
        """The words before what nothing evidenced this round: (asked, not asked)."""
        if not self.final:
            return ASKED_NOT_ANSWERED, NOT_ASKED_WHILE_OPEN
        if self.too_few_answered:
            return ASKED_TOO_FEW, NOT_ASKED_TOO_FEW
        return ASKED_NOT_ANSWERED, NOT_EVIDENCED


@dataclass(frozen=True)
class Finding:
    """One line of the first page: what, the figure, and whether it is good or bad news."""

    text: str
    figure: str
    tone: str  # "better" | "worse" | "neutral"
    ref: str = ""  # the anchor of the question or theme it comes from


@dataclass(frozen=True)
class Findings:
    """The first page: best and worst results, biggest moves, and what is raised but not acted on."""

    best: list[Finding]
    worst: list[Finding]
    moves: list[Finding]
    open: list[Finding]
    praised: list[Finding] = field(default_factory=list)  # themes raised mostly in praise: going well
    shares_shown: bool = False  # some question's share of positive or negative answers is shown (not too few)
    bad_shown: bool = False  # some question's share of negative answers is shown and more than none
    problems_raised: bool = False  # some theme raised this round is a problem (not mostly praise)
    too_few_answered: bool = False  # fewer than 5 answered the round: no theme is listed on the first page

    def none_words(self, section: str, compared: bool) -> str:
        """What a first-page list says when it is empty, and why, in every format alike: `section` is "well",
        "worst", "moves" or "open"; `compared` when there is an earlier round to compare with. Where no answer's
        share can be shown, Going well and Needs work both say there were too few answers (new-user trial, C:
        "No question had enough negative answers" read as if nothing needed work), and where fewer than 5
        answered the round, so does the list of themes raised."""
        if section == "well":
            if self.shares_shown:
                return "No question had more than half good answers."
            return TOO_FEW_ANSWERS
        if section == "worst":
            if not self.shares_shown:
                return TOO_FEW_ANSWERS
            if self.bad_shown:
                # Its bad answers are shown, but each such question had more good ones: it is under Going well.
                return NOTHING_NEEDS_WORK
            return "No question had enough negative answers to show."
        if section == "moves":
            if compared:
                return "Nothing moved by a point or more that can be shown."
            return "No earlier round asked the same group of young people, so there is nothing to compare with."
        if self.too_few_answered:
            return TOO_FEW_ANSWERS
        return nothing_still_open(self.problems_raised)


def raised_problems(themes: list[ThemeResult]) -> list[ThemeResult]:
    """The themes raised as problems: raised by someone and not mostly in praise (praise is going well,
    not waiting for an answer)."""
    return [t for t in themes if t.people != 0 and not t.mostly_positive]


def nothing_still_open(problems_raised: bool) -> str:
    """What the summary says where no problem raised is waiting for an action, in every format: that none
    was raised (never "every problem has an action" about a round that raised none), or that each has one."""
    return EVERY_PROBLEM_ACTED_ON if problems_raised else NO_PROBLEMS_RAISED


def _day(moment: datetime | None, timezone: str | ZoneInfo) -> date | None:
    """The council's day of a stored (UTC) moment, as every other date the panel reads is (`dates.local`): a round
    opened at 00:30 British Summer Time opened that day, not the UTC day before."""
    return local(moment, timezone).date() if moment else None


def _answer_keys(question: Question, counts: Mapping[str, int]) -> list[tuple[str, str]]:
    """(stored answer, label) pairs in the order a reader expects, with any unexpected answers last."""
    if question.kind == "scale" and question.min is not None and question.max is not None:
        keys = [(str(v), str(v)) for v in range(question.min, question.max + 1)]
    elif question.kind == "yes_no":
        keys = [("yes", "Yes"), ("no", "No")]
    elif question.kind == "choice":
        keys = [(c, c) for c in question.choices]
    else:
        return []
    known = {k for k, _ in keys}
    return keys + [(k, k) for k in sorted(counts) if k not in known]


def _bands(question: Question, keys: list[str]) -> dict[str, list[str]] | None:
    """Which answers count as positive, neutral or negative; None where the answers have no direction."""
    if question.kind == "yes_no":
        return {"positive": ["yes"], "negative": ["no"]}
    if question.kind != "scale" or question.min is None or question.max is None:
        return None
    middle = (question.min + question.max) / 2
    bands: dict[str, list[str]] = {"negative": [], "neutral": [], "positive": []}
    for key in keys:
        try:
            value = int(key)
        except ValueError:
            continue
        bands["positive" if value > middle else "negative" if value < middle else "neutral"].append(key)
    return {name: members for name, members in bands.items() if members}


ROOT = ("total",)


@dataclass(frozen=True)
class _Tree:
    """A published count and what it breaks down into (each parent the sum of its children), unprotected."""

    values: dict[Any, int]
    children: dict[Any, list[Any]]
    root: Any


def _question_tree(question: Question, figures) -> tuple[_Tree, list[tuple[str, str]], dict[str, list[str]] | None]:
    """A question's answers as a tree: its total, the positive/neutral/negative bands, the answers (keys
    ("band", name) and ("answer", stored answer)); with the answers in reading order and the bands. A
    question answered in their own words (or with no answers to list) is its total alone."""
    counts = dict(figures.counts) if figures else {}
    ordered = _answer_keys(question, counts)
    cells = {key: counts.get(key, 0) for key, _ in ordered}
    if question.kind == "text" or not cells:
        return _Tree({ROOT: figures.respondents if figures else 0}, {}, ROOT), [], None
    bands = _bands(question, list(cells))
    values: dict[Any, int] = {ROOT: sum(cells.values()), **{("answer", k): v for k, v in cells.items()}}
    children: dict[Any, list[Any]] = {ROOT: []}
    for name, members in (bands or {}).items():
        values[("band", name)] = sum(cells[m] for m in members)
        children[("band", name)] = [("answer", m) for m in members]
        children[ROOT].append(("band", name))
    banded = {m for members in (bands or {}).values() for m in members}
    children[ROOT] += [("answer", k) for k in cells if k not in banded]
    return _Tree(values, children, ROOT), ordered, bands


def _theme_tree(theme: str, figures: RoundFigures) -> _Tree:
    """A theme's people and their feelings about it."""
    found = figures.themes.get(theme)
    cells = {s: (found.by_sentiment.get(s, 0) if found else 0) for s in SENTIMENTS}
    return _Tree({"people": sum(cells.values()), **cells}, {"people": list(SENTIMENTS)}, "people")


def _tree_bounds(tree: _Tree, published: Mapping[Any, Count], at_most: float) -> dict[Any, tuple[float, float]]:
    """What a reader can work out about every figure of a tree: the tightest [low, high] from the shown figures,
    the labels ("fewer than 5" is 1 to 4, or 0 to 4 inside another "fewer than 5"; "hidden to protect a smaller
    group" is 5 or more), every parent = the sum of its children, and what the page says of the total: at most
    `at_most`."""
    parent_of = {kid: parent for parent, kids in tree.children.items() for kid in kids}

    def inside_primary(key: Any) -> bool:
        while key in parent_of:
            key = parent_of[key]
            if published[key] == PRIMARY:
                return True
        return False

    box: dict[Any, tuple[float, float]] = {}
    for key, value in tree.values.items():
        if not is_hidden(published[key]):
            box[key] = (value, value)
        elif published[key] == PRIMARY:
            box[key] = (0 if inside_primary(key) else 1, THRESHOLD - 1)
        else:
            box[key] = (THRESHOLD, math.inf)
    box[tree.root] = (box[tree.root][0], min(box[tree.root][1], at_most))
    equations = [(parent, kids) for parent, kids in tree.children.items() if kids]
    for _ in range(4 * len(tree.values) + 4):
        before = dict(box)
        for parent, kids in equations:
            lows, highs = [box[k][0] for k in kids], [box[k][1] for k in kids]
            box[parent] = (max(box[parent][0], sum(lows)), min(box[parent][1], sum(highs)))
            p_low, p_high = box[parent]
            for index, kid in enumerate(kids):
                # Summed afresh, not subtracted: infinity minus infinity is not a number.
                others_low = sum(lows[:index]) + sum(lows[index + 1 :])
                others_high = sum(highs[:index]) + sum(highs[index + 1 :])
                box[kid] = (max(box[kid][0], p_low - others_high), min(box[kid][1], p_high - others_low))
        if box == before:
            break
    return box


def protect_within(
    tree: _Tree, *, at_most: float = math.inf, hidden: frozenset[Any] = frozenset()
) -> dict[Any, Count] | None:
    """A breakdown protected on its own (`disclosure.protect`) and then together with what the rest of the page
    says of its total: at most `at_most` (a question's count is at most the number who answered, a theme's at
    most the number who commented; both at most the number invited, as far as a reader can tell from the page).

    Beside a "fewer than 5", every other non-zero part of the same sum is hidden from the start, whatever its
    number (`protect`'s `beside_small`): a theme's feelings, a choice or yes/no question's answers, and a scale's
    answers inside each of its bands and its bands beside each other, a band hidden so with its answers (added
    up, they would give it). A scale's band whose answers are hidden is shown only where they would stay safe
    were it one more or one fewer; where it is hidden, every other non-zero band is hidden too, with its
    answers, not the smallest (which would say it was smaller than the one left shown). So which is hidden
    follows from what the page shows anyway, never from the hidden numbers.

    When a hidden cell can still be worked out against `at_most`, every other shown non-zero cell is hidden
    (never the total, whose bound hiding it would not loosen), not one chosen by its number; and when one still
    can ("5 or more" said yes and "fewer than 5" no, of at most 7 invited: the no is 1 or 2), None: the
    breakdown is not broken down at all, and only its total is shown (`ALL_ANSWERS`, `ALL_FEELINGS`).
    `hidden`: cells an earlier look hid, which stay hidden.
    """
    values = tree.values
    published = protect(values, tree.children, tree.root, beside_small=True)
    for key in hidden:
        if not is_hidden(published[key]):
            published[key] = SECONDARY
    if values[tree.root] > at_most:  # a bound that is not true tells a reader nothing true
        at_most = math.inf

    def failing(trial: dict[Any, Count]) -> bool:
        box = _tree_bounds(tree, trial, at_most)
        return any(not _bound_safe(values[k], trial[k], box[k]) for k in values)

    if failing(published):
        published = {
            k: SECONDARY if k != tree.root and not is_hidden(v) and values[k] > 0 else v for k, v in published.items()
        }
        if failing(published):
            return None
    return published


def _question_result(
    question: Question,
    figures,
    previous_figures=None,
    *,
    published: dict[Any, Count] | None | bool = True,
    at_most: float = math.inf,
    alike: bool = False,
) -> QuestionResult:
    """One question's published answers, from its protected tree (`_question_tree`, `protect_within`): the
    total, the positive/neutral/negative bands and the answers are protected as one tree, so no share, band or
    total lets a hidden answer be worked out; the average is shown only when every answer is. `published` is
    the protected tree (None: not broken down), or True to protect it here against `at_most`. With
    `previous_figures` ((round id, figures)), its trend against that round's answers, protected the same way.
    """
    tree, ordered, bands = _question_tree(question, figures)
    if published is True:
        published = protect_within(tree, at_most=at_most)
        alike = published is not None and shows_alike(tree, published, at_most)
    scale = (question.min, question.max) if question.kind == "scale" else None
    base: dict[str, Any] = dict(
        id=question.id,
        text=question.text,
        label=question.heading,
        kind=question.kind,
        scale=scale,
        ends=end_labels(question) if scale else {},
    )
    if published is None or published is False:
        total = suppress_count(tree.values[ROOT])
        result = QuestionResult(
            **base, respondents=total, distribution=[(ALL_ANSWERS, total)], withheld=NOT_BROKEN_DOWN
        )
    elif alike:
        # The total as it would have been shown beside the answers (hidden, where it was), and nothing inside it.
        total = published[ROOT]
        result = QuestionResult(
            **base, respondents=total, distribution=[(ALL_ANSWERS_ALIKE, total)], withheld=ANSWERED_ALIKE
        )
    elif not ordered:
        result = QuestionResult(**base, respondents=published[ROOT], distribution=[])
    else:
        total = published[ROOT]
        shown_cells = {key: published[("answer", key)] for key, _ in ordered}
        # Beside an answer that reads "0 to 4", one nobody gave reads "0 to 4" too, and so does one that would
        # read "fewer than 5" (an answer that is a whole band by itself, the middle of a scale): a question never
        # reads "0" for one true zero and "0 to 4" for another (trial 3, F21), nor "fewer than 5" (1 to 4) for
        # one answer and "0 to 4" for the rest, which told the panel that someone gave exactly the middle answer
        # while its busiest answer looked as if it might be empty (trial 6, F5). True, as each is 0 to 4, and it
        # tells a reader less than before, so it cannot leak.
        if any(isinstance(v, Hidden) and v.inside for v in shown_cells.values()):
            shown_cells = {key: INSIDE_PRIMARY if v == 0 or v == PRIMARY else v for key, v in shown_cells.items()}
        mean = None
        withheld = ""
        if figures and figures.mean is not None:
            if any(is_hidden(v) for v in shown_cells.values()) or is_hidden(total):
                withheld = "average not shown, because some answers are hidden"
            else:
                mean = round(figures.mean, 1)
        positive = published.get(("band", "positive")) if bands else None
        negative = published.get(("band", "negative")) if bands else None
        result = QuestionResult(
            **base,
            respondents=total,
            distribution=[(label, shown_cells[key]) for key, label in ordered],
            mean=mean,
            positive=positive,
            negative=negative,
            positive_share=share(positive, total) if bands else None,
            negative_share=share(negative, total) if bands else None,
            withheld=withheld,
        )
    if previous_figures is None or previous_figures[1] is None:
        return result
    prev_id, prev_question_figures = previous_figures
    return _question_trend(result, _question_result(question, prev_question_figures), prev_id)


def shows_alike(tree: _Tree, published: Mapping[Any, Count], at_most: float = math.inf) -> bool:
    """True when a question's answers are not broken down for group disclosure (`disclosure.GROUP_SIZE`): from its
    figures as they would be shown (`published`, the protected tree) and what the page says of its total (at most
    `at_most`), fewer than `GROUP_SIZE` may have answered it, and they would show that one of its answers or bands
    ("positive") holds all of them or all but one ("6 of 6", "100% positive"). Judged on what would be shown alone,
    as a reader can (`_tree_bounds`), never on the hidden numbers: two rounds whose figures would read the same are
    both broken down or neither, so the hiding tells a reader who knows this rule nothing more. Where a "fewer than
    5" is beside the rest, the figures say no such thing: it may be anything from 1 to 4 (`protect`). A total of 0
    has nothing to tell; one of "fewer than 5" hides everything inside it already."""
    total = published[tree.root]
    if total == 0 or total == PRIMARY or not tree.children.get(tree.root):
        return False
    box = _tree_bounds(tree, published, at_most)
    if box[tree.root][0] >= GROUP_SIZE:
        return False
    parent_of = {kid: parent for parent, kids in tree.children.items() for kid in kids}
    for key in parent_of:
        # The others: the parts beside it, and beside each sum it is in (a band's other answers, the other bands).
        others, node = [], key
        while node in parent_of:
            others += [k for k in tree.children[parent_of[node]] if k != node]
            node = parent_of[node]
        # The most they could hold: if 1 or none, the figures say this one is all of them, or all but one.
        if min(sum(box[k][1] for k in others), box[tree.root][1] - box[key][0]) <= 1:
            return True
    return False


def _question_trend(result: QuestionResult, before: QuestionResult, prev_id: int) -> QuestionResult:
    """A question's result with how it moved since `before`, the previous round's result as its own summary
    shows it. Answers are compared one by one only when both rounds break them down."""
    scale, bands = result.scale, result.kind in ("scale", "yes_no")
    if result.respondents == FOLLOW_UP:
        previous_distribution = []
    elif result.not_broken_down:
        previous_distribution = [(result.distribution[0][0], before.respondents)]
    elif before.not_broken_down:
        previous_distribution = []
    else:
        previous_distribution = before.distribution
    return QuestionResult(
        **{
            **result.__dict__,
            "mean_trend": Trend(prev_id, before.mean, _diff(result.mean, before.mean), before.mean_hidden)
            if scale
            else None,
            "positive_trend": Trend(
                prev_id,
                before.positive_share,
                share_change(result.positive_share, before.positive_share),
                before.share_is_hidden("positive"),
                change_called(before.positive_share, result.positive_share, before.respondents, result.respondents),
            )
            if bands
            else None,
            "negative_trend": Trend(
                prev_id,
                before.negative_share,
                share_change(result.negative_share, before.negative_share),
                before.share_is_hidden("negative"),
                _turned(
                    change_called(before.negative_share, result.negative_share, before.respondents, result.respondents)
                ),
            )
            if bands
            else None,
            "previous_distribution": previous_distribution,
            "previous_respondents": before.respondents,
        }
    )


def theme_called(called: str) -> str:
    """What is said beside a theme's move (`change_called`'s word for it): "about the same" within chance, else
    nothing. A theme raised more or less is neither better nor worse (praise and complaint alike are themes)."""
    return ABOUT_THE_SAME if called == ABOUT_THE_SAME else ""


def _turned(called: str) -> str:
    """`change_called`'s word for a share where down is better (the negative answers' share)."""
    return {"better": "worse", "worse": "better"}.get(called, called)


def _diff(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 3)


def _theme_result(
    theme: str, label: str, tree: _Tree, published: dict[Any, Count] | None, commenters: int
) -> ThemeResult:
    """One theme's published count, share of people who commented and feelings split, from its protected
    tree (`_theme_tree`, `protect_within`; None: its feelings are not broken down)."""
    if published is None:
        people: Count = suppress_count(tree.values["people"])
        sentiment: dict[str, Count] = {ALL_FEELINGS: people}
    else:
        people = published["people"]
        sentiment = {s: published[s] for s in SENTIMENTS}
    shown_commenters = suppress_count(commenters)
    return ThemeResult(
        id=theme,
        label=label,
        people=people,
        share=share(people, shown_commenters),
        share_hidden=is_hidden(people) or is_hidden(shown_commenters),
        sentiment=sentiment,
        commenters=shown_commenters,
    )


def _theme_trend(result: ThemeResult, before: ThemeResult, prev_id: int) -> ThemeResult:
    """A theme's result with how its share of those who commented moved since `before` (as its round showed it),
    and whether that move is clear of chance (`change_called`: a theme is never better or worse, but a move
    within chance reads "about the same", as a question's does)."""
    trend = Trend(
        prev_id,
        before.share,
        share_change(result.share, before.share),
        before.share_hidden,
        theme_called(change_called(before.share, result.share, before.commenters, result.commenters)),
    )
    return ThemeResult(**{**result.__dict__, "trend": trend})


def said_kept_private(
    *,
    responded: int,
    theme: str | None,
    pledge: int | None,
    message: int | None,
    themes: Mapping[str, ThemeResult],
    catalogue: Catalogue,
) -> str:
    """Why an action's "You said" may not be published, or "" when it may: the rule quotes follow.

    What a worker writes under "You said" is often one young person's words; in a round fewer than 5
    answered, or under a theme fewer than 5 raised, printing it would undo the suppression. The action
    is still published (what was done, and that young people said something), only not those words.

    An action with no theme is about its pledge's or top-ten message's themes (`catalogue`), and its words
    may be about any of them: they are printed only when at least one of those themes may be quoted (its
    published count is at least 5), else they would be the words of a group of fewer than 5 (trial 6, F2:
    three young people's words printed under a pledge whose one theme nobody raised).

    A theme's count hidden to protect a smaller group is 5 or more, yet not quotable (`quotable`): its action's
    words are kept private too, and the reason says so rather than "fewer than 5" (trial 6b, N1: the demo's
    family theme read "5 or more people" beside "(kept private: fewer than 5 young people raised this theme)").
    """
    if responded < THRESHOLD:
        return f"fewer than {THRESHOLD} young people answered this round"
    if theme is not None:
        people = themes[theme].people if theme in themes else 0
        if quotable(people):
            return ""
        if people == SECONDARY:
            return f"the exact number of young people who raised this theme is {PROTECTING_LABEL}"
        return f"fewer than {THRESHOLD} young people raised this theme"
    about = {
        kind: linked.themes
        for kind, linked in (
            ("pledge", catalogue.pledges.get(pledge) if pledge is not None else None),
            ("top-ten message", catalogue.messages.get(message) if message is not None else None),
        )
        if linked is not None
    }
    counts = [themes[t].people for linked in about.values() for t in linked if t in themes]
    if about and not any(quotable(people) for people in counts):
        whose = f"this {' and '.join(about)}'s themes"
        if SECONDARY in counts:
            return (
                f"each of {whose} was raised by fewer than {THRESHOLD} young people "
                f"or has its exact number {PROTECTING_LABEL}"
            )
        return f"fewer than {THRESHOLD} young people raised each of {whose}"
    return ""


def _action_line(action: ActionRecord, *, timezone: str | ZoneInfo, kept_private: str = "") -> ActionLine:
    return ActionLine(
        id=action.id,
        said=f"(kept private: {kept_private})" if kept_private else action.said,
        kept_private=kept_private,
        did=action.did,
        owner=action.owner,
        status=action.status,
        status_label=STATUS_LABELS.get(action.status, action.status),
        due_on=action.due_on,
        done_on=_day(action.done_at, timezone),
        theme=action.theme,
        pledge=action.pledge,
        message=action.message,
    )


def quotable(people: Count | None) -> bool:
    """True when a theme's published count allows quotes: shown, and at least 5 people.

    A hidden count never gets quotes, even one hidden to protect a smaller group: the quotes
    would say how many people (at least) raised it.
    """
    return isinstance(people, int) and people >= THRESHOLD


# A wording this long or longer that another quote's contains (or that contains another's) is that quote again:
# "more trips out in the holidays pls" beside "more trips out in the holidays pls, everyone else goes somewhere"
# (new-user trial, 6 December). A shorter one ("no", "its ok") is only a common phrase.
NEAR_DUPLICATE_CHARACTERS = 15


def _quoted_already(wording: str, used_texts: set[str]) -> bool:
    """True when `wording` (a quote's letters and digits, lower-cased) was quoted, or is within or around one that
    was (`NEAR_DUPLICATE_CHARACTERS`)."""
    if wording in used_texts:
        return True
    return any(
        min(len(wording), len(seen)) >= NEAR_DUPLICATE_CHARACTERS and (wording in seen or seen in wording)
        for seen in used_texts
    )


def select_quotes(
    figures: RoundFigures,
    themes: list[str],
    *,
    published: Mapping[str, Count],
    limit: int = QUOTES_PER_SECTION,
    used: set[int] | None = None,
    labels: Mapping[str, str] | None = None,
    used_texts: set[str] | None = None,
    hidden_feelings: frozenset[str | None] = frozenset(),
) -> list[Quote]:
    """Up to `limit` redacted quotes for these themes, only from those whose `published` count is `quotable`.

    One quote per person per section, a mix of feelings where there is one, and nothing that
    redaction has mostly blanked out. No comment, and no wording, is quoted twice, nor one within another
    (`_quoted_already`): `used` and `used_texts` carry what earlier sections quoted. At most one quote of a
    feeling whose count reads "fewer than 5" (`hidden_feelings`): two worried quotes under "fewer than 5
    negative" would say 2 to 4.
    """
    used = used if used is not None else set()
    used_texts = used_texts if used_texts is not None else set()
    eligible = [t for t in themes if quotable(published.get(t))]
    pool = [q for q in figures.quotes if q.theme in eligible and q.response_id not in used]
    chosen: list[Quote] = []
    people: set[int] = set()
    feelings: set[str | None] = set()
    # Two passes: first one per feeling, then fill up, so a section isn't all one voice.
    for fresh_feeling_only in (True, False):
        for candidate in pool:
            if len(chosen) >= limit:
                break
            if candidate.participant_id in people or candidate.response_id in used:
                continue
            if candidate.sentiment in feelings and (fresh_feeling_only or candidate.sentiment in hidden_feelings):
                continue
            text = redact(" ".join(candidate.text.split()), places=figures.areas)
            if mostly_redacted(text):
                continue
            if len(text) > 200:
                text = text[:197].rsplit(" ", 1)[0] + "…"
            wording = "".join(ch for ch in text.lower() if ch.isalnum())
            if _quoted_already(wording, used_texts):
                continue
            used_texts.add(wording)
            chosen.append(
                Quote(
                    text=text,
                    theme=candidate.theme,
                    sentiment=candidate.sentiment,
                    theme_label=(labels or {}).get(candidate.theme, candidate.theme),
                )
            )
            people.add(candidate.participant_id)
            feelings.add(candidate.sentiment)
            used.add(candidate.response_id)
    return chosen


def _top_themes(themes: list[ThemeResult], limit: int) -> list[ThemeResult]:
    """The most-mentioned themes, by what a reader can see of each count: a shown number as it is, a count hidden
    beside a small one ("5 or more") as 5, after shown ones, and one hidden as small ("fewer than 5") last. "Fewer than
    5" was listed above "5 or more" (trial 9, T9-8); ranking by the hidden numbers themselves would tell them."""
    raised = [t for t in themes if t.people != 0]

    def seen(t: ThemeResult) -> int:
        if not is_hidden(t.people):
            return shown(t.people) or 0
        return 0 if t.people == PRIMARY else THRESHOLD

    return sorted(raised, key=lambda t: (-seen(t), is_hidden(t.people), t.label))[:limit]


def _going_well(q: QuestionResult) -> bool:
    """A result is going well when more than half of those who answered said something good, as the share is
    shown (a whole percentage over 50), and more good than bad: never "42% positive" beside 27% negative and 31%
    in the middle (new-user trial, D), nor the least bad of a bad round. Judged on the shown shares alone (a
    hidden share is None), so where a question lands gives nothing hidden away."""
    good, bad = q.positive_share, q.negative_share
    if good is None or round(good * 100) <= 50:
        return False
    return bad is None or good > bad


def first_page_home(q: QuestionResult) -> str | None:
    """The one first-page list a question can be under (`FIRST_PAGE_RULE`): "well" (Going well) when more than half
    of its answers were good (`_going_well`), else "worst" (Needs work) when its good share or some bad answers are
    shown; None for neither (nothing shown to judge it by).

    A question once stood in both lists, "65% positive" under Going well and "30% negative" under Needs work
    (trial 13, T13-3). As many bad answers as good, or a good share hidden, is in doubt, and in doubt it needs
    work, as a theme does (`ThemeResult.mostly_positive`)."""
    if _going_well(q):
        return "well"
    if q.negative_share or q.positive_share is not None:
        return "worst"
    return None


def _needs_work_figure(q: QuestionResult) -> str:
    """Why a question needs work, in its shown shares: "42% positive, 27% negative" (either alone when the other
    is hidden), so a reader sees that half or fewer were good, not only how many were bad."""
    parts = [f"{percent(q.positive_share)} positive"] if q.positive_share is not None else []
    parts += [f"{percent(q.negative_share)} negative"] if q.negative_share is not None else []
    return ", ".join(parts)


def key_findings(
    questions: list[QuestionResult],
    themes: list[ThemeResult],
    still_open: list[ThemeResult],
    *,
    responded: int | None = None,
) -> Findings:
    """The first page: three best and three worst results (and the themes raised mostly in praise),
    the biggest moves, and the problems raised that have no action yet. Each question is under one of
    Going well and Needs work at most (`first_page_home`). Where fewer than 5 answered the round (`responded`, the
    number, which the page shows as 0 or "fewer than 5"), no theme is listed: "School: fewer than 5 people" in a
    round for 2 chosen young people says what one of them wrote (new-user trial, B)."""
    too_few = responded is not None and responded < THRESHOLD
    if too_few:
        themes, still_open = [], []
    rated = [q for q in questions if first_page_home(q) == "well"]
    best = sorted(rated, key=lambda q: (-(q.positive_share or 0), q.label))[:FINDINGS]
    worst_pool = [q for q in questions if first_page_home(q) == "worst"]
    worst = sorted(worst_pool, key=lambda q: (-(q.negative_share or 0), q.label))[:FINDINGS]
    moves: list[tuple[float, Finding]] = []
    for q in questions:
        t = q.positive_trend
        if t and t.change is not None and t.previous is not None and round(t.change * 100) != 0:
            # Better or worse only when clear of chance with the numbers behind it (`change_called`, in the trend).
            called = t.called
            tone = called if called in ("better", "worse") else "neutral"
            moves.append(
                (
                    abs(t.change),
                    Finding(
                        f"{q.label}: {percent(q.positive_share or 0)} positive, "
                        f"{'up' if t.change > 0 else 'down'} from {percent(t.previous)}",
                        # The word with the figure, in every format (the HTML and the Markdown alike).
                        f"{points(t.change)}, {called}",
                        tone,
                        f"q-{q.id}",
                    ),
                )
            )
    for theme in themes:
        t = theme.trend
        if t and t.change is not None and t.previous is not None and round(t.change * 100) != 0:
            moves.append(
                (
                    abs(t.change),
                    Finding(
                        f"{theme.label}: raised by {percent(theme.share or 0)} of those who wrote comments, "
                        f"{'up' if t.change > 0 else 'down'} from {percent(t.previous)}",
                        ", ".join(part for part in (points(t.change), t.called) if part),
                        "neutral",
                        f"theme-{theme.id}",
                    ),
                )
            )
    moves.sort(key=lambda pair: -pair[0])
    return Findings(
        best=[Finding(f"{q.label}", f"{percent(q.positive_share or 0)} positive", "better", f"q-{q.id}") for q in best],
        worst=[Finding(f"{q.label}", _needs_work_figure(q), "worse", f"q-{q.id}") for q in worst],
        moves=[finding for _, finding in moves[:FINDINGS]],
        praised=[
            Finding(t.label, f"{counted(t.people)}, mostly positive", "better", f"theme-{t.id}")
            for t in themes
            if t.people != 0 and t.mostly_positive
        ][:FINDINGS],
        open=[
            Finding(
                t.label,
                counted(t.people),
                "neutral",
                f"theme-{t.id}",
            )
            for t in still_open[:FINDINGS]
        ],
        shares_shown=any(q.positive_share is not None or q.negative_share is not None for q in questions),
        bad_shown=any(q.negative_share for q in questions),
        problems_raised=bool(raised_problems(themes)),
        too_few_answered=too_few,
    )


def alert_figures(
    alerts: tuple[tuple[datetime, datetime | None], ...],
    target_minutes: int,
    now: datetime,
    *,
    counted_until: datetime | None = None,
) -> AlertFigures:
    """Alerts raised, split by the target as it stands at `now`, protected like any other breakdown.

    An alert not yet acknowledged has missed the target only once the target time has passed. Under a hidden
    total of 1 to 4 each part reads "0 to 4", zeros too, as every part of a hidden figure does (a "0 missed
    that target" beside "fewer than 5 raised" broke that rule: trial 6, F5). Once the target has passed since
    the round stopped counting alerts (`counted_until`: when it closed), none can still be within it: that
    part is no part of the total, and reads 0 (it tells nothing of the others).
    """
    target = timedelta(minutes=target_minutes)
    in_time = sum(1 for raised, acked in alerts if acked is not None and acked - raised <= target)
    waiting = sum(1 for raised, acked in alerts if acked is None and now - raised <= target)
    cells = {"in_time": in_time, "late": len(alerts) - in_time - waiting}
    if counted_until is None or now - counted_until <= target:
        cells["waiting"] = waiting
    # Under 5 raised, none included, reads "0 to 4" (`protect_none_too`): "0" beside "fewer than 5" in a round for a
    # few chosen young people would say one of them disclosed (new-user trial, B).
    published = protect_none_too({"raised": len(alerts), **cells}, {"raised": list(cells)}, "raised")
    return AlertFigures(
        raised=published["raised"],
        in_time=published["in_time"],
        late=published["late"],
        waiting=published.get("waiting", 0),
        target_minutes=target_minutes,
    )


def _joint_bounds(
    total: tuple[int, Count],
    breakdowns: list[tuple[dict[Any, int], dict[Any, Count]]],
    outside: tuple[float, float] = (0, math.inf),
) -> tuple[tuple[float, float], list[dict[Any, tuple[float, float]]]]:
    """What a reader can work out about a total and the cells of every breakdown that adds up to it,
    from the shown figures, the labels ("fewer than 5" is 1 to 4, or 0 to 4 inside a total that is
    itself under 5; "hidden to protect a smaller group" is 5 or more), each breakdown's sum and what
    the rest of the page bounds the total by (`outside`: each question's answered count, invited)."""
    value, published = total
    small_total = is_small(value)

    def box(number: int, shown_as: Count, inside_small: bool) -> tuple[float, float]:
        if not is_hidden(shown_as):
            return (number, number)
        if shown_as == PRIMARY:
            return (0 if inside_small else 1, THRESHOLD - 1)
        return (THRESHOLD, math.inf)

    whole = box(value, published, False)
    whole = (max(whole[0], outside[0]), min(whole[1], outside[1]))
    cells = [{k: box(values[k], shown_[k], small_total) for k in values} for values, shown_ in breakdowns]
    for _ in range(8 * (1 + sum(len(c) for c in cells))):
        before = (whole, [dict(c) for c in cells])
        for part in cells:
            low, high = whole
            whole = (max(low, sum(b[0] for b in part.values())), min(high, sum(b[1] for b in part.values())))
            for key, (k_low, k_high) in part.items():
                others = [b for other, b in part.items() if other != key]
                others_low, others_high = sum(b[0] for b in others), sum(b[1] for b in others)
                part[key] = (max(k_low, whole[0] - others_high), min(k_high, whole[1] - others_low))
        if (whole, cells) == before:
            break
    return whole, cells


def _bound_safe(value: int, shown_as: Count, bounds: tuple[float, float]) -> bool:
    """A hidden figure is safe while a "fewer than 5" could still be anything from 1 to 4 and a
    "hidden to protect a smaller group" is not pinned to one value."""
    if not is_hidden(shown_as):
        return True
    low, high = bounds
    if shown_as == PRIMARY:
        return value == 0 or (low <= 1 and high >= THRESHOLD - 1)
    return high > low


def protect_breakdowns(
    total: int,
    breakdowns: list[dict[Any, int]],
    whole_names: Sequence[Any],
    *,
    at_least: int = 0,
    at_most: float = math.inf,
) -> tuple[Count, list[dict[Any, Count]]]:
    """A total (the number who answered) and the breakdowns of it (by channel, by age band), protected
    together: one home for the rule that once the total is hidden, no breakdown that adds up to it
    gives it away (complementary suppression), and no hidden cell can be worked out from the others.

    Each breakdown is first protected against its own sum, every other non-zero cell hidden beside a "fewer
    than 5" (whatever its number: which cell is hidden never tells a reader anything of the numbers). When one
    of them has to hide that sum and it is the total, the total is hidden everywhere, and every non-zero cell
    of each breakdown that adds up to it is hidden too, so each says only which of its cells are 0, "fewer
    than 5" or "5 or more". When those labels together still pin a figure (three "fewer than 5" channels beside
    two "5 or more" and two "fewer than 5" age bands can only be 12), none of those breakdowns is broken down:
    each is one row, named by `whole_names`, with the hidden total (withholding only the one that pinned it
    would say which did). Under a shown total, a breakdown whose labels still pin a figure is withheld on its
    own. A breakdown that does not add up to the total is protected on its own (`_protect_breakdowns_at`).

    `at_least` and `at_most` are what the rest of the page says about the total: it is at least the
    number shown answering any one question, and at most the number invited. They are part of the
    joint check, so a question answered by everyone ("7 answered" under a hidden total) cannot pin
    the total together with a breakdown's "fewer than 5" cells: the breakdowns are withheld where it
    would. When those two alone pin a hidden "5 or more" total (a question answered by all 7 of 7
    invited; 5 of 5 invited), no cell of the breakdowns can hide it any more,
    and hiding it would only make the page say less than a reader already knows: it is shown, and
    the breakdowns are then protected against a shown total like any other (hiding cells, or
    withholding a breakdown, so no "fewer than 5" inside it can be worked out). The alternative,
    hiding the question's count, would cost that question's answers (its cells add up to it) to
    save a figure that invited and the other questions may still give away. A "fewer than 5" total
    is never shown this way: every question's count under it is hidden too.

    Nor is a hidden total one that only the hiding itself gives away: a reader who knows this rule can ask, of
    each number the rest of the page allows, whether the header would then read the same. When no other number
    would (9 invited and a question "8 answered": had all 9 answered, the total would have been shown, so 8
    did, and exactly one invited young person did not take part; trial 6b, N1), the total is shown, as one the
    page gives away, and its breakdowns protected against it (`_reads_the_same_at`).
    """
    published_total, shown_cells = _protect_breakdowns_at(
        total, breakdowns, whole_names, at_least=at_least, at_most=at_most
    )
    if published_total == SECONDARY and not _reads_the_same_at(
        published_total, shown_cells, total, breakdowns, whole_names, at_least=at_least, at_most=at_most
    ):
        published_total, shown_cells = _protect_breakdowns_at(
            total, breakdowns, whole_names, at_least=total, at_most=total
        )
    return published_total, shown_cells


def _like(classes: Sequence[Any], keys: Sequence[Any], total: int) -> dict[Any, int] | None:
    """Some breakdown over `keys` adding up to `total` whose cells are of these classes (0, `PRIMARY` for 1 to
    4, `SECONDARY` for 5 or more), or None when there is none. Under a hidden total a breakdown is protected by
    its cells' classes alone (`_protect_breakdowns_at`), so any such one stands for all of them."""
    cells = {k: (0 if c == 0 else 1 if c == PRIMARY else THRESHOLD) for k, c in zip(keys, classes, strict=True)}
    left = total - sum(cells.values())
    if left < 0:
        return None
    large = [k for k, c in zip(keys, classes, strict=True) if c == SECONDARY]
    if large:
        cells[large[0]] += left
        return cells
    for k, c in zip(keys, classes, strict=True):
        if c == PRIMARY:
            more = min(left, THRESHOLD - 2)
            cells[k] += more
            left -= more
    return cells if left == 0 else None


def _reads_the_same_at(
    published_total: Count,
    shown_cells: list[dict[Any, Count]],
    total: int,
    breakdowns: list[dict[Any, int]],
    whole_names: Sequence[Any],
    *,
    at_least: int,
    at_most: float,
    reach: int = 6,
) -> bool:
    """True when some other number who answered, allowed by the rest of the page (`at_least`, `at_most`), with
    breakdowns that read as these do, would be published just as this one is: so a reader who knows the rule
    cannot tell the two apart. The others are tried nearest first, up to `reach` away. What is asked of each
    is only what the page shows: a breakdown shown under the hidden total is one of its labels' classes (0,
    "fewer than 5", "5 or more"), any breakdown of that number with them (`_like`); a withheld one may be any
    classes at all over its cells. Never the hidden numbers themselves: whether another number would read
    the same must not depend on them, or showing the total would say what they are (6 answered, by three
    channels each "fewer than 5", was shown when each was 2, and hidden when they were 1, 1 and 4)."""

    def said(cells: dict[Any, Count]) -> dict[Any, object]:
        return {k: (v.label if isinstance(v, Hidden) else v) for k, v in cells.items()}

    def class_of(value: Count) -> Any:
        return value if value == 0 else PRIMARY if value == PRIMARY else SECONDARY

    linked = [n for n, cells in enumerate(breakdowns) if cells and sum(cells.values()) == total]
    page = [said(cells) for cells in shown_cells]
    low, high = max(THRESHOLD, at_least), min(at_most, total + reach)
    for other in sorted(range(max(low, total - reach), int(high) + 1), key=lambda v: (abs(v - total), v)):
        if other == total:
            continue
        options: list[list[dict[Any, int]]] = []
        for n, cells in enumerate(breakdowns):
            if n not in linked:
                options.append([cells])
                continue
            keys = list(cells)
            every: Iterator[tuple[Any, ...]]
            if whole_names[n] in shown_cells[n]:
                every = itertools.product((0, PRIMARY, SECONDARY), repeat=len(keys))
            else:
                every = iter([tuple(class_of(shown_cells[n][k]) for k in keys)])
            options.append([like for classes in every if (like := _like(classes, keys, other)) is not None])
        for trial in itertools.product(*options):
            again_total, again_cells = _protect_breakdowns_at(
                other, list(trial), whole_names, at_least=at_least, at_most=at_most
            )
            if said({0: again_total}) == said({0: published_total}) and [said(c) for c in again_cells] == page:
                return True
    return False


def _protect_breakdowns_at(
    total: int,
    breakdowns: list[dict[Any, int]],
    whole_names: Sequence[Any],
    *,
    at_least: int = 0,
    at_most: float = math.inf,
) -> tuple[Count, list[dict[Any, Count]]]:
    """`protect_breakdowns` before its last look: the total hidden wherever a breakdown needs it hidden.

    What is hidden is chosen from what the page shows anyway, never from the hidden numbers, so the choice
    tells a reader who knows this rule nothing the page's arithmetic does not:

    - beside a "fewer than 5", every other non-zero cell of its breakdown is hidden too (`suppress_partition`'s
      `beside_small`), whatever its number, so the breakdown says only which cells are 0, "fewer than 5" or
      "5 or more";
    - under a hidden total, every non-zero cell of each breakdown that adds up to it is hidden, so each says
      only that too; and when those labels together still give a figure away, every such breakdown is withheld
      ("not broken down"), not one chosen by its cells, which would say which of them pinned it (7 of 7 by
      text and web chat, both "fewer than 5", with only the age bands withheld, would say that the bands alone
      had pinned it: that 6 or 7 answered, so neither channel is 1);
    - under a shown total each breakdown is on its own (the total ties them, and it is known), and one whose
      labels still give a figure away is withheld by itself.
    """
    own = [suppress_partition(cells, beside_small=True) if cells else (0, {}) for cells in breakdowns]
    linked = [n for n, cells in enumerate(breakdowns) if cells and sum(cells.values()) == total]
    shown_cells = [dict(cells) for _, cells in own]
    if not at_least <= total <= at_most:  # figures that disagree with the total tell a reader nothing true
        at_least, at_most = 0, math.inf

    published_total: Count = suppress_count(total)
    for n in linked:
        if is_hidden(own[n][0]) and not is_hidden(published_total):
            published_total = own[n][0]
    if published_total == SECONDARY and max(THRESHOLD, at_least) >= at_most:
        published_total = total  # pinned by the page's other figures alone: see above
    outside = (at_least, at_most) if published_total == SECONDARY else (0, math.inf)

    def unsafe(trial: list[dict[Any, Count]], among: list[int]) -> int:
        whole, boxes = _joint_bounds((total, published_total), [(breakdowns[n], trial[n]) for n in among], outside)
        failing = int(not _bound_safe(total, published_total, whole))
        for n, part in zip(among, boxes, strict=True):
            failing += sum(not _bound_safe(breakdowns[n][k], trial[n][k], part[k]) for k in part)
        return failing

    if published_total == SECONDARY:
        for n in linked:
            shown_cells[n] = {
                k: (PRIMARY if is_small(v) else SECONDARY) if v > 0 else 0 for k, v in breakdowns[n].items()
            }
    if is_hidden(published_total):
        if linked and unsafe(shown_cells, linked) > 0:
            for n in linked:
                shown_cells[n] = {whole_names[n]: published_total}
    else:
        for n in linked:
            if unsafe(shown_cells, [n]) > 0:
                shown_cells[n] = {whole_names[n]: published_total}
    return published_total, shown_cells


def _channel_cells(figures: RoundFigures) -> dict[str, int]:
    """Who answered by channel, in the order and words of `CHANNEL_LABELS`.

    A channel nobody answered by is left out, but not when fewer than 5 answered: then each channel reads
    "0 to 4", and one listed would say that someone used it (three listed under "fewer than 5" would each be
    1 or 2), so every channel is listed, those nobody used too. None are while the round is open (`while_open`
    counts no channel): each listed then read "0" beside "fewer than 5 answered" (new-user trial, 6 December)."""
    order = {key: n for n, key in enumerate(CHANNEL_LABELS)}
    counts = dict(figures.channels)
    if counts and is_small(figures.responded):
        counts = {**dict.fromkeys(CHANNEL_LABELS, 0), **counts}
    channels_in_order = sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    return {CHANNEL_LABELS.get(k, k): v for k, v in channels_in_order}


def _invited_at_most(figures: RoundFigures) -> int:
    """What a reader knows the number who answered is at most: the number invited, or 4 when that is hidden."""
    return figures.invited if not is_small(figures.invited) else THRESHOLD - 1


def who_took_part(
    figures: RoundFigures, minimum_rate: float = 0.3, answered: Sequence[Count] = (), *, at_least: int = 0
) -> Header:
    """A round's header: invited, who answered, the response rate, by channel and age band, protected together
    (`protect_breakdowns`), and with what the same page shows of each question's number who answered
    (`answered`), and anything else it shows that only those who answered are counted in (`at_least`: the
    themes, the number who commented), and of invited (1 to 4 invited reads "fewer than 5")."""
    responded, (channels, age_bands) = protect_breakdowns(
        figures.responded,
        [_channel_cells(figures), dict(figures.age_bands)],
        [ALL_CHANNELS, ALL_AGES],
        at_least=max([at_least, *(n for n in answered if isinstance(n, int))]),
        at_most=_invited_at_most(figures),
    )
    invited = suppress_count(figures.invited)
    return Header(
        invited=invited,
        responded=responded,
        response_rate=share(responded, invited),
        channels=channels,
        age_bands=age_bands,
        minimum_rate=minimum_rate,
    )


def _responded_at_most(figures: RoundFigures, header: Header, at_least: int) -> float:
    """The most a reader could take the number who answered to be, from the header and what else the page says
    of it (at least `at_least`, at most the number invited)."""
    total = figures.responded
    if not is_hidden(header.responded):
        return total
    pairs = [
        (original, shown)
        for original, shown in ((_channel_cells(figures), header.channels), (dict(figures.age_bands), header.age_bands))
        if original and sum(original.values()) == total and set(shown) == set(original)
    ]
    most = _invited_at_most(figures)
    outside = (at_least, most) if at_least <= total <= most else (0, most if total <= most else math.inf)
    whole, _ = _joint_bounds((total, header.responded), pairs, outside)
    return whole[1]


def _answer_value(question: Question, key: str) -> object:
    """A stored answer (a cell of `_question_tree`) as the value its branches are matched against."""
    if question.kind == "scale":
        return int(key)
    if question.kind == "yes_no":
        return key == "yes"
    return key


def follow_up_gates(survey: Survey) -> dict[str, frozenset[tuple[str, str]]]:
    """The follow-up questions: each question asked only after certain answers to earlier ones (a `when = "<= 2"`
    branch to it, and no other way in), with those answers as (question id, stored answer) pairs.

    Everyone who answered a follow-up gave one of those answers first, so together they are at least its number
    who answered: a reader who can tell it is a follow-up ("Sorry to hear that...") learns that much of them from
    that number (trial 13, T13-2: 7 answered "What would help them feel safer", asked only after 1 or 2, so two
    "fewer than 5" answers were 3 or 4 each). A question reached in file order, by `when = "any"`, or after a
    skipped or unread answer, is reached by anyone who reached the question before it: it is gated as that one
    is (a second follow-up after the first), or not at all. The first question is asked of everyone. Pure: from
    the survey's branches alone (`engine.answers.choose_branch`, the engine's own choice)."""
    ids = [q.id for q in survey.questions]
    if not ids:
        return {}
    # For each question, where each of its answers (and a skipped or unread one, None) goes next.
    routes: dict[str, list[tuple[str | None, str]]] = {}
    for question in survey.questions:
        keys: list[str | None] = [k for k, _ in _answer_keys(question, {})] if question.kind != "text" else []
        routes[question.id] = [
            (
                key,
                choose_branch(question, None if key is None else _answer_value(question, key))
                or survey.next_after(question.id),
            )
            for key in [*keys, None]
        ]
    # None: anyone may be asked it; a set: only those who gave one of these answers.
    gates: dict[str, frozenset[tuple[str, str]] | None] = {qid: frozenset() for qid in ids}
    gates[ids[0]] = None
    for _ in range(len(ids) + 1):
        changed = False
        for qid, outcomes in routes.items():
            for key, target in outcomes:
                if target not in gates or gates[target] is None:
                    continue
                came = gates[qid] if key is None else frozenset({(qid, key)})
                joined = None if came is None else gates[target] | came  # type: ignore[operator]
                if joined != gates[target]:
                    gates[target], changed = joined, True
        if not changed:
            break
    return {qid: gate for qid, gate in gates.items() if gate is not None and qid != ids[0]}


def _gate_shown(
    gate: frozenset[tuple[str, str]], survey: Survey, trees: Mapping[Any, tuple[_Tree, dict[Any, Count] | None]]
) -> bool:
    """True when every answer a follow-up's gate names is shown as it is (and so is any answer the survey does not
    list, which may have led there), so its number who answered tells a reader nothing of a hidden one."""
    for parent in {qid for qid, _ in gate}:
        published = trees[("question", parent)][1]
        if published is None:
            return False
        named = {key for qid, key in gate if qid == parent}
        listed = {key for key, _ in _answer_keys(survey.question(parent), {})}
        cells = {key[1]: value for key, value in published.items() if isinstance(key, tuple) and key[0] == "answer"}
        if not named <= set(cells):
            return False
        if any(is_hidden(value) for key, value in cells.items() if key in named or key not in listed):
            return False
    return True


@dataclass(frozen=True)
class _Page:
    """A round's figures as its summary publishes them: who took part, each question's answers, each theme."""

    header: Header
    questions: dict[str, QuestionResult]
    themes: dict[str, ThemeResult]


def _protect_page(figures: RoundFigures, survey: Survey, labels: Mapping[str, str], minimum_rate: float) -> _Page:
    """Every figure a round's summary shows about who took part, protected together: the joint check.

    A reader knows that nobody answers a question, or comments, without taking part, nor takes part without
    being invited, and that a theme is raised by some of those who commented (a theme's share of them, once
    shown, gives that number away). So the number who answered is at least each question's count, each theme's
    and the number who commented, as far as the page shows them (`who_took_part`'s `at_least`); and each
    question's count is at most the number who answered, each theme's at most the number who commented, as far
    as a reader can tell (`protect_within`'s `at_most`). Each side can hide more of the other's cells, or show a
    total a reader could work out anyway; they are protected in turn until neither changes (what is hidden stays
    hidden, so this ends).
    """
    questions = {q.id: (q, _question_tree(q, figures.questions.get(q.id))[0]) for q in survey.questions}
    themes = {theme: _theme_tree(theme, figures) for theme in labels}
    gates = follow_up_gates(survey)
    hidden: dict[Any, frozenset[Any]] = {}
    withheld: set[Any] = set()
    responded_most: float = _invited_at_most(figures)
    commented_known = False  # a theme's share of those who commented is shown: so that number is known
    looked: dict[tuple[Any, float, frozenset[Any]], dict[Any, Count] | None] = {}

    def protected(key: Any, tree: _Tree, at_most: float) -> dict[Any, Count] | None:
        """`protect_within`, once for each tree, bound and cells hidden before (most are the same each turn)."""
        if key in withheld:
            return None
        bound = at_most if tree.values[tree.root] <= at_most else math.inf
        seen = (key, bound, hidden.get(key, frozenset()))
        if seen not in looked:
            looked[seen] = protect_within(tree, at_most=bound, hidden=seen[2])
        return looked[seen]

    while True:
        trees: dict[Any, tuple[_Tree, dict[Any, Count] | None]] = {}
        for qid, (_, tree) in questions.items():
            trees[("question", qid)] = (tree, protected(("question", qid), tree, responded_most))
        for theme, tree in themes.items():
            commented_most = min(
                responded_most, figures.commenters if commented_known and figures.commenters >= THRESHOLD else math.inf
            )
            trees[("theme", theme)] = (tree, protected(("theme", theme), tree, commented_most))
        # A question whose figures could show a small group answering alike is not broken down (`shows_alike`):
        # the page shows its total as protected, and nothing inside it.
        alike = {
            key
            for key, (tree, published) in trees.items()
            if key[0] == "question" and published is not None and shows_alike(tree, published, responded_most)
        }
        as_shown = {key: (tree, None if key in alike else published) for key, (tree, published) in trees.items()}
        # A follow-up beside a hidden answer it follows is hidden whole (`follow_up_gates`): the page says nothing
        # of its count, so it bounds nothing here.
        kept = {("question", qid) for qid, gate in gates.items() if not _gate_shown(gate, survey, as_shown)}
        # What the page says the number who answered is at least: each count shown (or what its cells say of it).
        lows: list[float] = [0]
        for key, (tree, published) in trees.items():
            if key in kept:
                continue
            if tree.values[tree.root] > figures.responded:
                continue  # a count that is not among those who answered (a comment outside the survey's questions)
            if key in alike:
                total = shown(published[tree.root])  # type: ignore[index]
                lows.append(THRESHOLD if total is None else total)
            elif published is None:
                lows.append(tree.values[tree.root] if not is_small(tree.values[tree.root]) else 1)
            else:
                lows.append(_tree_bounds(tree, published, math.inf)[tree.root][0])
        shown_themes = any(
            key[0] == "theme"
            and tree.values["people"] > 0
            and (published is None or not is_hidden(published["people"]))
            for key, (tree, published) in trees.items()
        )
        if shown_themes and figures.commenters >= THRESHOLD and figures.commenters <= figures.responded:
            lows.append(figures.commenters)
        at_least = int(max(lows))
        header = who_took_part(figures, minimum_rate, at_least=at_least)
        now_hidden = {
            key: frozenset(k for k, v in (published or {}).items() if is_hidden(v))
            for key, (_, published) in trees.items()
        }
        now_withheld = {key for key, (_, published) in trees.items() if published is None}
        most = min(responded_most, _responded_at_most(figures, header, at_least))
        if (
            now_hidden == hidden
            and now_withheld == withheld
            and most == responded_most
            and commented_known == shown_themes
        ):
            break
        hidden, withheld, responded_most, commented_known = now_hidden, now_withheld, most, shown_themes
    return _Page(
        header=header,
        questions={
            qid: _kept_with_parent(question)
            if ("question", qid) in kept
            else _question_result(
                question,
                figures.questions.get(qid),
                published=trees[("question", qid)][1],
                alike=("question", qid) in alike,
            )
            for qid, (question, _) in questions.items()
        },
        themes={
            theme: _theme_result(theme, labels[theme], tree, trees[("theme", theme)][1], figures.commenters)
            for theme, tree in themes.items()
        },
    )


def _kept_with_parent(question: Question) -> QuestionResult:
    """A follow-up question hidden with the answers it follows: how many answered, whatever it is (0 too), and so
    every answer, share and average (they add up to it), reads `FOLLOW_UP`."""
    scaled = question.kind == "scale" and question.min is not None and question.max is not None
    return QuestionResult(
        id=question.id,
        text=question.text,
        label=question.heading,
        kind=question.kind,
        scale=(question.min, question.max) if scaled else None,  # type: ignore[arg-type]
        ends=end_labels(question) if scaled else {},
        respondents=FOLLOW_UP,
        distribution=[],
        withheld=FOLLOW_UP_WITHHELD if question.kind != "text" else "",
    )


def _until_closed(question: Question) -> QuestionResult:
    """A question while its round is open (`open_round`): how many answered, whatever it is (0 too), and so every
    answer, share and average, reads `UNTIL_CLOSED`."""
    scaled = question.kind == "scale" and question.min is not None and question.max is not None
    return QuestionResult(
        id=question.id,
        text=question.text,
        label=question.heading,
        kind=question.kind,
        scale=(question.min, question.max) if scaled else None,  # type: ignore[arg-type]
        ends=end_labels(question) if scaled else {},
        respondents=UNTIL_CLOSED,
        distribution=[],
        withheld=f"its answers are {UNTIL_CLOSED_LABEL}" if question.kind != "text" else "",
    )


def build_summary(
    *,
    current: RoundFigures,
    previous: RoundFigures | None,
    catalogue: Catalogue,
    theme_labels: Mapping[str, str],
    council: str = "the council",
    council_logo: str = "",
    minimum_rate: float = 0.3,
    alert_target_minutes: int = 60,
    now: datetime,
    timezone: str | ZoneInfo = DEFAULT_TIMEZONE,
) -> Summary:
    """The publishable summary for a round from its figures (and the previous round's, for trends),
    as it stands at `now` (the clock is passed in: alerts still inside their target are not late). Its dates
    (the round's, the one compared with, the day it was produced) are days in the council's `timezone`.

    While the round is open, only who was invited and how many answered are counted (`open_round`): every
    figure about answers reads "shown when the round closes", so that two copies cannot be compared."""
    survey: Survey = parse_stored(current.survey_source, f"{current.survey_id}.toml")
    label = lambda theme: theme_labels.get(theme, theme.replace("_", " ").capitalize())  # noqa: E731
    all_themes = sorted(set(theme_labels) | set(current.themes) | set(previous.themes if previous else ()))
    labels = {t: label(t) for t in all_themes}
    # Every figure about who took part, their answers and their comments, protected together (the joint
    # check); the previous round's as its own summary protects them, for the trends and the CSV's `previous`.
    final = figures_final(current.status)
    page = _protect_page(current if final else while_open(current), survey, labels, minimum_rate)
    before = _protect_page(previous, survey, labels, minimum_rate) if previous is not None else None
    questions = dict(page.questions) if final else {q.id: _until_closed(q) for q in survey.questions}
    theme_results = dict(page.themes) if final else {}
    if final and previous is not None and before is not None:
        for qid, result in questions.items():
            if previous.questions.get(qid) is not None:
                questions[qid] = _question_trend(result, before.questions[qid], previous.round_id)
        theme_results = {t: _theme_trend(r, before.themes[t], previous.round_id) for t, r in theme_results.items()}

    # Quotes: each theme gets its own, once, and no comment is quoted twice anywhere.
    used_quotes: set[int] = set()
    used_texts: set[str] = set()
    ranked = _top_themes(list(theme_results.values()), len(theme_results))
    themed = [
        ThemeResult(
            **{
                **t.__dict__,
                "quotes": select_quotes(
                    current,
                    [t.id],
                    published={t.id: t.people},
                    used=used_quotes,
                    labels={t.id: t.label},
                    used_texts=used_texts,
                    hidden_feelings=frozenset(s for s, n in t.sentiment.items() if n == PRIMARY),
                ),
            }
        )
        for t in ranked
    ]
    by_id = {t.id: t for t in themed}
    # Where fewer than 5 answered the round, no theme is named anywhere, not even as "fewer than 5 people": in a
    # round for 2 chosen young people, that says what one of them wrote (new-user trial). An action's "You said" is
    # kept private then whatever its theme (`said_kept_private`), so only the summary's own lists change.
    too_few = final and current.responded < THRESHOLD
    shown_themes = [] if too_few else themed
    shown_by_id = {t.id: t for t in shown_themes}

    actions = [
        _action_line(
            a,
            timezone=timezone,
            # While the round is open, whether a theme may be quoted would move with each answer (`open_round`).
            kept_private=said_kept_private(
                responded=current.responded,
                theme=a.theme,
                themes=by_id,
                pledge=a.pledge,
                message=a.message,
                catalogue=catalogue,
            )
            if final
            else UNTIL_CLOSED_LABEL,
        )
        for a in current.actions
    ]

    def section(kind: str, number: int, text: str, short: str, themes: tuple[str, ...]) -> Section:
        linked = [
            questions[q.id] for q in survey.questions if number in (q.pledges if kind == "pledge" else q.messages)
        ]
        mine = [a for a in actions if (a.pledge if kind == "pledge" else a.message) == number]
        prefix = "Pledge" if kind == "pledge" else "Message"
        return Section(
            kind=kind,
            number=number,
            title=f"{prefix} {number}: {text}",
            short=short or text,
            questions=linked,
            themes=[shown_by_id[t] for t in themes if t in shown_by_id][:TOP_THEMES],
            we_did=[a for a in mine if a.status == ActionStatus.DONE],
            we_will=[a for a in mine if a.status != ActionStatus.DONE],
        )

    pledges = [
        section("pledge", p.number, p.text, p.short, p.themes)
        for p in sorted(catalogue.pledges.values(), key=lambda p: p.number)
    ]
    messages = [
        section("message", m.number, m.text, m.short, m.themes)
        for m in sorted(catalogue.messages.values(), key=lambda m: m.number)
    ]

    covered = _covered_themes(current.actions, catalogue)
    # Still open: problems raised with no action. Praise is going well, not waiting for an answer.
    still_open = [t for t in raised_problems(shown_themes) if t.id not in covered]
    other = [a for a in actions if a.pledge is None and a.message is None]

    ordered_questions = [questions[q.id] for q in survey.questions]
    header = page.header
    previous_period = (
        (local(previous.opens_at, timezone).date(), _day(previous.closed_at or previous.closes_at, timezone))
        if previous
        else None
    )
    return Summary(
        council=council,
        council_logo=council_logo,
        round_id=current.round_id,
        survey_id=current.survey_id,
        survey_title=survey.title,
        period_start=local(current.opens_at, timezone).date(),
        period_end=_day(current.closed_at or current.closes_at, timezone),
        status=current.status,
        header=header,
        previous_round_id=previous.round_id if previous else None,
        previous_period=previous_period,
        questions=ordered_questions,
        pledges=pledges,
        messages=messages,
        themes=shown_themes,
        still_open=still_open,
        other_actions=other,
        methods=methods_note(previous is not None, minimum_rate, alert_target_minutes),
        findings=key_findings(ordered_questions, shown_themes, still_open, responded=current.responded)
        if final
        else None,
        alerts=alert_figures(
            current.alerts, alert_target_minutes, now, counted_until=current.closed_at or current.closes_at
        )
        if final
        else None,
        generated_on=local(now, timezone).date(),
        previous_header=before.header if before else None,
        final=final,
        too_few_answered=too_few,
    )


def _covered_themes(actions: tuple[ActionRecord, ...], catalogue: Catalogue) -> set[str]:
    """Themes with an action: named directly, or through the pledge or message an action is for."""
    covered: set[str] = set()
    for action in actions:
        if action.theme:
            covered.add(action.theme)
            continue
        if action.pledge in catalogue.pledges:
            covered.update(catalogue.pledges[action.pledge].themes)
        if action.message in catalogue.messages:
            covered.update(catalogue.messages[action.message].themes)
    return covered


def methods_note(has_previous: bool, minimum_rate: float = 0.3, alert_target_minutes: int = 60) -> list[str]:
    """The short methods note printed at the end of every summary."""
    note = [
        "Young people answered a short survey by text message or web chat. Every question could be skipped, "
        "so the number answering each question differs.",
        "Counts are of people, not messages. Who took part is counted by the way each person answered, "
        "whichever way they were invited; someone who answered both by text and in the web chat is counted once, "
        'as "Text message and web chat". Themes come from what young people wrote in their own words, '
        "tagged automatically against the council's theme list; one comment can carry several themes. "
        "Someone who wrote about a theme more than once is counted once, under the most worried of their comments.",
        "On rating scales, answers above the middle count as positive and below it as negative; "
        "for yes/no questions, yes counts as positive.",
        FIRST_PAGE_RULE,
        f"We aim for at least {round(minimum_rate * 100)}% of the young people invited to answer "
        "(the Bright Spots programme asks councils for 30%).",
        f"Safeguarding alerts are counted for the young people in this round while it was open; the target is "
        f"for the duty team to acknowledge each one within {alert_target_minutes} "
        f"minute{'' if alert_target_minutes == 1 else 's'}. An alert not yet "
        "acknowledged counts as missing the target only once that time has passed. "
        f'Fewer than {THRESHOLD} alerts, none included, read "{INSIDE_LABEL}", as does each part of them, so that '
        "a round with none cannot be told from one with a few.",
        f"To protect young people's privacy, any figure describing {SMALL_RANGE} people is shown as "
        f'"{SUPPRESSED_LABEL}", and each part of it (such as the answers inside it) as "{INSIDE_LABEL}", '
        f'since one of those parts may be none; where any answer to a question reads "{INSIDE_LABEL}", so '
        f"does every other answer to it that {SUPPRESSED_LABEL} gave. Where that figure could be worked out "
        f"from the others (by subtraction, or from a percentage), more figures are hidden and marked "
        f'"{PROTECTING_LABEL}", or a breakdown (by age, by answer, by feeling) is {NOT_BROKEN_DOWN_LABEL}. '
        "This includes what a reader knows without being told: nobody answers or comments without taking part, "
        "nor takes part without being invited. An average is shown only when every answer behind it is shown.",
        ALIKE_RULE,
        "Quotes are short extracts with names, contact details, addresses, schools, children's homes and "
        "other named places, and social media handles removed by an automatic check (which can miss an "
        f"unusual spelling), shown only for themes raised by at least {THRESHOLD} people, and never repeated. "
        "Messages that raised a safeguarding concern are never quoted; they were passed to the duty team.",
    ]
    if has_previous:
        note.append(
            "Changes compare with the previous round of the same survey; percentage changes are in percentage points. "
            + CHANGE_RULE
        )
    return note
