"""What a reader can work out from a published summary, by brute force over every whole-number assignment
the page allows: the number invited, who answered (and its channel and age breakdowns), each question's
answered count and answers, the number who commented (known exactly once any theme's share of them is shown)
and each theme's count and feelings, with everything a reader knows about how they relate:

- a breakdown adds up to what it breaks down (answers to a question's count, feelings to a theme's count,
  channels and age bands to the number who answered);
- nobody answers a question, or comments, without taking part, and nobody takes part without being invited;
- a theme is raised by some of those who commented, and a question in their own words is answered by them.

"fewer than 5" is 1 to 4 (0 to 4 inside a count that is itself "fewer than 5"), "hidden to protect a smaller
group" is 5 or more. The summaries `read` and `read_knowing_the_rule` are used on have only yes/no and comment
questions answered; `read_every_truth` reads any page, a scale question's too, from every truth a round can have.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from voice_service.summary.disclosure import PRIMARY, THRESHOLD, Count, is_hidden
from voice_service.summary.report import ALL_ANSWERS, ALL_ANSWERS_ALIKE, Summary

CAP = 20  # no round drawn here has more than this many people, so "5 or more" is 5 to CAP


def possible(value: Count, cap: int = CAP, inside_small: bool = False) -> range:
    """What a reader knows of one figure on its own."""
    if not is_hidden(value):
        return range(value, value + 1)  # type: ignore[arg-type]
    if value == PRIMARY:
        return range(0 if inside_small else 1, THRESHOLD)
    return range(THRESHOLD, cap + 1)


def _tree(root: Count, cells: list[Count]) -> dict[int, list[set[int]]]:
    """A figure and the cells that add up to it: for each value it could take, what each cell could then be."""
    table: dict[int, list[set[int]]] = {}
    roots = set(possible(root))
    if not cells:
        return {r: [] for r in roots}
    for combo in itertools.product(*(possible(c, CAP, root == PRIMARY) for c in cells)):
        total = sum(combo)
        if total in roots:
            found = table.setdefault(total, [set() for _ in cells])
            for box, value in zip(found, combo, strict=True):
                box.add(value)
    return table


def _fits(table: dict[int, list[set[int]]], at_most: int) -> dict[int, list[set[int]]]:
    return {root: cells for root, cells in table.items() if root <= at_most}


class Figure:
    """One published figure: its name, what the page shows, its true value, and what a reader could make of it."""

    def __init__(self, name: str, shown: Count, true: int) -> None:
        self.name, self.shown, self.true = name, shown, true
        self.can_be: set[int] = set()

    def safe(self) -> bool:
        """A "fewer than 5" could still be anything from 1 to 4 (a zero is always safe); a "5 or more" is not pinned."""
        if not is_hidden(self.shown):
            return True
        if self.shown == PRIMARY:
            return self.true == 0 or (min(self.can_be) <= 1 and max(self.can_be) >= THRESHOLD - 1)
        return len(self.can_be) > 1

    def __repr__(self) -> str:
        return f"{self.name}: shown {self.shown}, true {self.true}, could be {sorted(self.can_be)}"


def read(summary: Summary, truth: dict[str, int]) -> list[Figure]:
    """Every figure of `summary` with what a reader could work out about it (`Figure.can_be`).

    `truth` holds the true values by the names used here: "invited", "responded", "channel:<name>",
    "age:<band>", "q:<id>", "q:<id>=<answer>", "theme:<id>", "theme:<id>:<feeling>" and "commenters"."""
    h = summary.header
    invited = Figure("invited", h.invited, truth["invited"])
    responded = Figure("responded", h.responded, truth["responded"])
    breakdowns = []
    for prefix, cells in (("channel", h.channels), ("age", h.age_bands)):
        breakdowns.append(
            [Figure(f"{prefix}:{k}", v, truth.get(f"{prefix}:{k}", truth["responded"])) for k, v in cells.items()]
        )
    questions = []  # (root figure, cell figures, table)
    for q in summary.questions:
        root = Figure(f"q:{q.id}", q.respondents, truth.get(f"q:{q.id}", 0))
        cells = [
            Figure(f"q:{q.id}={a}", v, truth.get(f"q:{q.id}={a}", truth.get(f"q:{q.id}", 0))) for a, v in q.distribution
        ]
        questions.append((q, root, cells, _tree(q.respondents, [c.shown for c in cells])))
    themes = []
    commenters: int | None = None
    for t in summary.themes:
        root = Figure(f"theme:{t.id}", t.people, truth.get(f"theme:{t.id}", 0))
        cells = [
            Figure(f"theme:{t.id}:{k}", v, truth.get(f"theme:{t.id}:{k}", truth.get(f"theme:{t.id}", 0)))
            for k, v in t.sentiment.items()
        ]
        themes.append((root, cells, _tree(t.people, [c.shown for c in cells])))
        if t.share is not None:
            commenters = round(t.people / t.share)  # type: ignore[operator]
    assert commenters is None or commenters == truth["commenters"]

    for r in possible(h.responded):
        if not any(i >= r for i in possible(h.invited)):
            continue
        header_fits = []
        for cells in breakdowns:
            combos = [
                combo
                for combo in itertools.product(*(possible(c.shown, r, h.responded == PRIMARY) for c in cells))
                if sum(combo) == r
            ]
            header_fits.append(combos)
        if not all(header_fits):
            continue
        question_fits = [_fits(table, r) for _, _, _, table in questions]
        if not all(question_fits):
            continue
        for c in [commenters] if commenters is not None else range(0, r + 1):
            if c > r:
                continue
            text_fits = [
                fits if q.kind != "text" else _fits(fits, c) for (q, _, _, _), fits in zip(questions, question_fits)
            ]
            theme_fits = [_fits(table, c) for _, _, table in themes]
            if not all(text_fits) or not all(theme_fits):
                continue
            invited.can_be |= {i for i in possible(h.invited) if i >= r}
            responded.can_be.add(r)
            for cells, combos in zip(breakdowns, header_fits, strict=True):
                for combo in combos:
                    for figure, value in zip(cells, combo, strict=True):
                        figure.can_be.add(value)
            for (_, root, cells, _), fits in zip(questions, text_fits, strict=True):
                _collect(root, cells, fits)
            for (root, cells, _), fits in zip(themes, theme_fits, strict=True):
                _collect(root, cells, fits)
    every = [invited, responded, *itertools.chain.from_iterable(breakdowns)]
    for _, root, cells, _ in questions:
        every += [root, *cells]
    for root, cells, _ in themes:
        every += [root, *cells]
    return every


def _collect(root: Figure, cells: list[Figure], fits: dict[int, list[set[int]]]) -> None:
    for value, boxes in fits.items():
        root.can_be.add(value)
        for figure, box in zip(cells, boxes, strict=True):
            figure.can_be |= box


def unsafe(figures: Iterable[Figure]) -> list[Figure]:
    """The hidden figures a reader could work out (and any whose true value the reader model rules out)."""
    return [f for f in figures if f.true not in f.can_be or not f.safe()]


# --- A reader who knows the rule -------------------------------------------------------------------------


def page(summary) -> tuple:
    """What a page publishes about who took part, each question and each theme, as plain data: two pages
    read the same exactly when these are equal (a hidden figure by its label)."""

    def said(value: Count) -> object:
        return value.label if is_hidden(value) else value

    h = summary.header
    return (
        said(h.invited),
        said(h.responded),
        tuple((k, said(v)) for k, v in h.channels.items()),
        tuple((k, said(v)) for k, v in h.age_bands.items()),
        tuple(
            (
                q.id,
                said(q.respondents),
                tuple((a, said(v)) for a, v in q.distribution),
                # A scale's (or yes/no's) positive and negative shares: with the number who answered, its bands.
                getattr(q, "positive_share", None),
                getattr(q, "negative_share", None),
            )
            for q in summary.questions
        ),
        tuple(
            (t.id, said(t.people), tuple((k, said(v)) for k, v in t.sentiment.items()), t.share) for t in summary.themes
        ),
    )


def _splits(total: int, keys: list[str], boxes: list[Iterable[int]]) -> Iterator[dict[str, int]]:
    """Every way `total` can be split over `keys`, each within its box."""
    if not keys:
        if total == 0:
            yield {}
        return
    for value in boxes[0]:
        if value <= total:
            for rest in _splits(total - value, keys[1:], boxes[1:]):
                yield {keys[0]: value, **rest}


def _withheld(rows: list[str]) -> bool:
    """True for a breakdown shown as one row, not broken down."""
    return len(rows) == 1 and "not broken down" in rows[0]


def candidates(summary, figures: list[Figure], *, channels: list[str], bands: list[str]) -> Iterator[dict[str, int]]:
    """Every truth (by the names `read` uses) that the page's own arithmetic allows: each figure within what
    `read` found it could be, breakdowns adding up. A breakdown not broken down may be split any way over
    `channels` or `bands` (names as `read` gives them: "channel:Text message", "age:11-15"), and a question's
    answers not broken down over yes and no. Yes/no and comment questions only, and no themes, as the pages this
    is used on have."""
    can = {f.name: sorted(f.can_be) for f in figures}
    h = summary.header
    for responded in can["responded"]:
        header: list[list[dict[str, int]]] = []
        for prefix, shown, every in (("channel", h.channels, channels), ("age", h.age_bands, bands)):
            rows = [f"{prefix}:{k}" for k in shown]
            if _withheld(rows):
                # Not broken down: split any way over every channel (or band), the one row being the total.
                header.append(
                    [{rows[0]: responded, **s} for s in _splits(responded, every, [range(responded + 1)] * len(every))]
                )
            else:
                header.append(list(_splits(responded, rows, [can[k] for k in rows])))
        questions: list[list[dict[str, int]]] = []
        for q in summary.questions:
            name = f"q:{q.id}"
            rows = [f"{name}={a}" for a, _ in q.distribution]
            options: list[dict[str, int]] = []
            for count in (c for c in can[name] if c <= responded):
                if not rows:
                    options.append({name: count})
                elif _withheld(rows):
                    answers = [f"{name}={a}" for a in ("Yes", "No")]
                    every = [range(count + 1)] * len(answers)
                    options += [{name: count, rows[0]: count, **s} for s in _splits(count, answers, every)]
                else:
                    options += [{name: count, **s} for s in _splits(count, rows, [can[k] for k in rows])]
            questions.append(options)
        for invited in (i for i in can["invited"] if i >= responded):
            for parts in itertools.product(*header, *questions):
                truth = {"invited": invited, "responded": responded}
                for part in parts:
                    truth |= part
                yield truth


def read_knowing_the_rule(
    summary,
    truth: dict[str, int],
    rebuild: Callable[[dict[str, int]], object],
    *,
    channels: list[str],
    bands: list[str],
    limit: int = 5_000,
) -> list[Figure] | None:
    """`read`, and then what a reader who knows how the summary hides figures adds: each truth the page's
    arithmetic allows (`candidates`) is published again (`rebuild` makes the page from a truth named as
    `truth` is), and only those that read the same as this page could be the truth ("had all 9 answered,
    the number would have been shown: so 8 did"). Each hidden figure can then be only what it is in those.

    Truths are tried until every hidden figure is seen to be safe (a "fewer than 5" at 1 or less and at 4 or
    more, anything else at two values), so a safe page is quick; None when more than `limit` truths would have
    to be tried."""
    plain = read(summary, truth)
    hidden = [f for f in plain if is_hidden(f.shown)]
    everything = list(itertools.islice(candidates(summary, plain, channels=channels, bands=bands), limit + 1))
    if len(everything) > limit:
        return None
    target = page(summary)
    seen: dict[str, set[int]] = {f.name: {f.true} for f in hidden}

    def settled(f: Figure) -> bool:
        values = seen[f.name]
        if f.shown == PRIMARY:
            return f.true == 0 or (min(values) <= 1 and max(values) >= THRESHOLD - 1)
        return len(values) > 1

    for other in everything:
        if all(settled(f) for f in hidden):
            break
        if all(other.get(f.name, 0) in seen[f.name] for f in hidden):
            continue  # would tell nothing new
        if page(rebuild(other)) == target:
            for f in hidden:
                seen[f.name].add(other.get(f.name, 0))
    knowing = []
    for f in plain:
        again = Figure(f.name, f.shown, f.true)
        again.can_be = seen.get(f.name, f.can_be)
        knowing.append(again)
    return knowing


def read_every_truth(
    truths: Iterable[dict[str, int]], rebuild: Callable[[dict[str, int]], object]
) -> list[tuple[dict[str, int], Figure]]:
    """A reader who knows the rule, and every truth a round can have: each truth's page is published
    (`rebuild`), and a hidden figure can be, to that reader, only what it is in the truths whose pages read the
    same (`page`). So nothing the page's arithmetic allows is missed, whatever kind of question it shows (a
    scale's points, its bands, through their shares, and its count), as long as `truths` holds every truth the
    rest of the page allows. The hidden figures a reader could work out ("fewer than 5" not still 1 to 4, a
    "5 or more" pinned), each with the truth whose page shows it: [] when none.

    Figures are named as `read` names them ("q:<id>", "q:<id>=<answer>"), and `truths` so too."""
    readings: dict[tuple, list[tuple[dict[str, int], dict[str, Count]]]] = {}
    for truth in truths:
        summary = rebuild(truth)
        shown: dict[str, Count] = {}
        for q in summary.questions:  # type: ignore[attr-defined]
            shown[f"q:{q.id}"] = q.respondents
            # A question not broken down is one row, its count again.
            shown |= {f"q:{q.id}={a}": v for a, v in q.distribution if a not in (ALL_ANSWERS, ALL_ANSWERS_ALIKE)}
        readings.setdefault(page(summary), []).append((truth, shown))
    found = []
    for same in readings.values():
        can_be: dict[str, set[int]] = {}  # what each figure is in the truths that read the same
        for truth, shown in same:
            for name, value in shown.items():
                if not is_hidden(value):
                    continue
                figure = Figure(name, value, truth.get(name, 0))
                if name not in can_be:
                    can_be[name] = {other.get(name, 0) for other, _ in same}
                figure.can_be = can_be[name]
                if not figure.safe():
                    found.append((truth, figure))
    return found
