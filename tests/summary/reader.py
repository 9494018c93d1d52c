"""What a reader can work out from a published summary, by brute force over every whole-number assignment
the page allows: the number invited, who answered (and its channel and age breakdowns), each question's
answered count and answers, the number who commented (known exactly once any theme's share of them is shown)
and each theme's count and feelings, with everything a reader knows about how they relate:

- a breakdown adds up to what it breaks down (answers to a question's count, feelings to a theme's count,
  channels and age bands to the number who answered);
- nobody answers a question, or comments, without taking part, and nobody takes part without being invited;
- a theme is raised by some of those who commented, and a question in their own words is answered by them.

"fewer than 5" is 1 to 4 (0 to 4 inside a count that is itself "fewer than 5"), "hidden to protect a smaller
group" is 5 or more. The summaries these checks are made on have only yes/no and comment questions answered.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from voice_service.summary.disclosure import PRIMARY, THRESHOLD, Count, is_hidden
from voice_service.summary.report import Summary

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
