"""Measure each theme's own feeling on mixed messages: one sentiment for all themes, against one per clause.

`python -m voice_service.analysis.evaluate_themes [--split dev|test] [-v]` reads
tests/data/theme_sentiment/messages.jsonl: synthetic mixed messages written from a grid of
theme pairs (the families) and clause patterns ("but", "although", "though", "except", a
full stop, a semicolon or comma, "and", text speak with no punctuation, and controls where
both themes share a feeling), each with the expected feeling of each of its themes. Families
are split between dev (the clause rules were shaped on it) and test (not). It prints, for
the split (test by default), the share of (message, theme) pairs whose feeling is right:

- before: every theme takes the message's one sentiment (what the summary counted before);
- after: each theme takes the feeling of its own clause(s) (`Analysis.theme_sentiments`).

Pairs are counted where the tagger found the theme; how many it found is printed too.
`make eval` prints the same at its end.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from voice_service.analysis import analyse

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "theme_sentiment" / "messages.jsonl"


def load(split: str, path: Path = DATA) -> list[dict]:
    """The labelled mixed messages of one split ("dev" or "test")."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row["split"] == split]


def measure(rows: list[dict]) -> dict:
    """Before/after accuracy over the (message, theme) pairs the tagger found, and the misses."""
    pairs = found = before = after = 0
    misses: list[tuple[str, str, str, str, str]] = []
    for row in rows:
        result = analyse(row["text"])
        own = dict(result.theme_sentiments)
        for theme, label in row["themes"].items():
            pairs += 1
            if theme not in own:
                continue
            found += 1
            before += result.sentiment == label
            after += own[theme] == label
            if own[theme] != label:
                misses.append((row["id"], theme, label, own[theme], row["text"]))
    return {
        "messages": len(rows),
        "pairs": pairs,
        "found": found,
        "before": before / found if found else 0.0,
        "after": after / found if found else 0.0,
        "misses": misses,
    }


def report(split: str = "test", *, verbose: bool = False) -> str:
    """The per-theme feeling section, as `make eval` prints it."""
    m = measure(load(split))
    lines = [
        f"PER-THEME FEELING on {split.upper()} of {DATA.relative_to(DATA.parents[3])}",
        f"  {m['messages']} mixed messages, {m['pairs']} (message, theme) pairs, {m['found']} with the theme tagged",
        f"  before (the message's one sentiment for every theme): {m['before']:.3f}",
        f"  after  (each theme's own clauses):                    {m['after']:.3f}",
    ]
    if verbose:
        for row_id, theme, label, got, text in m["misses"]:
            lines.append(f"    miss {row_id} {theme}: expected {label}, got {got} | {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the section for --split (default test); -v lists the misses (synthetic text only)."""
    args = list(sys.argv[1:] if argv is None else argv)
    split = "test"
    if "--split" in args:
        split = args[args.index("--split") + 1]
    print(report(split, verbose="-v" in args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
