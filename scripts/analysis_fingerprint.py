"""A fingerprint of what analysis says about every line of the labelled and corpus data, to keep a speed-up honest.

Hashes the full `analyse()` output (with and without a scale hint) and the full `screen()` result
(verdict, categories, matched words, priority, reasons, score) for every line of
tests/data/risk_corpus/*.txt, tests/data/risk_corpus/train/*, tests/data/messages.jsonl,
tests/data/everyday/* (never fortunes.txt) and tests/data/theme_sentiment/*, plus long messages built
from them (the screen's long-text path). The lines are run in order, then again in reverse order, so
a cache that kept a stale result would change the second pass. Never reads tests/data/holdout.

    PYTHONPATH=$PWD .venv/bin/python scripts/analysis_fingerprint.py > before.txt
    ... change analysis ...
    PYTHONPATH=$PWD .venv/bin/python scripts/analysis_fingerprint.py | diff before.txt -
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from voice_service.analysis import analyse, screen, warm_up

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
HINTS = (None, -1.0, -0.4, 0.5, 1.0)


def _files() -> list[Path]:
    files = sorted((DATA / "risk_corpus").glob("*.txt")) + sorted((DATA / "risk_corpus" / "train").iterdir())
    files += [DATA / "messages.jsonl"]
    files += sorted(p for p in (DATA / "everyday").iterdir() if p.name != "fortunes.txt")
    files += sorted((DATA / "theme_sentiment").iterdir())
    assert not any("holdout" in p.parts or p.name == "fortunes.txt" for p in files)
    return files


def _lines(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if path.suffix == ".jsonl" and line.strip():
            out.append(json.loads(line).get("text", ""))
        else:
            out.append(line)
    return out


def _long(lines: list[str], count: int = 60) -> list[str]:
    """Messages of about 1,600 and about 3,000 characters (the screen's long-text path), cut from the lines."""
    out, message, width = [], "", 1600
    for line in lines:
        if not line.strip():
            continue
        message = f"{message}. {line}" if message else line
        if len(message) >= width:
            out.append(message)
            message = ""
            width = 3000 if width == 1600 else 1600
            if len(out) >= count:
                break
    return out


def _one(text: str, n: int) -> str:
    hint = HINTS[n % len(HINTS)]
    plain = analyse(text).to_dict()
    hinted = analyse(text, scale_hint=hint).to_dict() if hint is not None else None
    risk = screen(text)
    return repr((plain, hinted, risk))


def main() -> None:
    warm_up()
    groups = {path.relative_to(DATA).as_posix(): _lines(path) for path in _files()}
    everything = [line for lines in groups.values() for line in lines]
    groups["(long messages)"] = _long(everything)
    total = hashlib.sha256()
    for name, lines in groups.items():
        results = [_one(line, n) for n, line in enumerate(lines)]
        digest = hashlib.sha256("\n".join(results).encode())
        again = [_one(line, n) for n, line in reversed(list(enumerate(lines)))][::-1]
        if again != results:
            changed = sum(a != b for a, b in zip(again, results))
            print(f"{name}: {changed} results changed in reverse order", file=sys.stderr)
        print(f"{digest.hexdigest()[:16]} {len(lines):6d} {name}")
        total.update(digest.digest())
    print(f"{total.hexdigest()[:16]} total")


if __name__ == "__main__":
    main()
