"""Score the screen on the fresh6 set: `.venv/bin/python tests/data/fresh6/score.py`.

Each line goes through `voice_service.analysis.analyse`, as `voice-service analyse --lines` sends it. A
disclosure counts as caught when the screen flags any risk, whatever category it names; an everyday line
flagged is a false alarm. Prints recall (overall, per category, per kind), false alarms per kind, and
precision over both files together. Never prints a line. See SOURCES.md: this set is TUNED ON since e3df28d.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from voice_service.analysis import analyse

HERE = Path(__file__).resolve().parent


def _lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    disclosures, everyday = _lines("disclosures.jsonl"), _lines("everyday.jsonl")
    caught = [analyse(d["text"]).risk for d in disclosures]
    alarms = [analyse(e["text"]).risk for e in everyday]
    hit, fp = sum(caught), sum(alarms)
    print(f"fresh6 disclosures caught {hit}/{len(disclosures)}: recall {hit / len(disclosures):.3f}")
    print(f"fresh6 everyday false alarms {fp}/{len(everyday)}; precision (both files) {hit / max(hit + fp, 1):.3f}")
    for key in ("category", "kind"):
        total, got = Counter(d[key] for d in disclosures), Counter(d[key] for d, c in zip(disclosures, caught) if c)
        print(f"recall by {key}: " + ", ".join(f"{k} {got[k]}/{n}" for k, n in sorted(total.items())))
    total, got = Counter(e["kind"] for e in everyday), Counter(e["kind"] for e, a in zip(everyday, alarms) if a)
    print("false alarms by kind: " + ", ".join(f"{k} {got[k]}/{n}" for k, n in sorted(total.items())))


if __name__ == "__main__":
    main()
