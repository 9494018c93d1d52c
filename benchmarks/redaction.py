"""Quote redaction over ordinary replies: how many it changes (over-redaction), and its time per quote.

Ordinary replies in tests/data: risk_corpus/yp_replies.txt, surveys.txt and everyday.txt, messages.jsonl's
replies with no risk, and risk_corpus.jsonl's with no risk in its TRAIN and DEV splits (TEST is never looked
at). A reply with nothing identifying should come out as it went in; read the changed ones with
`python -m benchmarks.redaction --changed` (each as redacted). `summary.disclosure.redact` runs on every
quote a summary considers, so its time per quote is printed too.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from voice_service.summary.disclosure import redact

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def ordinary_replies() -> list[str]:
    """The ordinary replies, whitespace squeezed as the summary does before redacting."""
    texts: list[str] = []
    for name in ("yp_replies.txt", "surveys.txt", "everyday.txt"):
        for line in (DATA / "risk_corpus" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith(("#", "==")):
                texts.append(line)
    for name, splits in (("messages.jsonl", None), ("risk_corpus.jsonl", {"train", "dev"})):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if not row["risk"] and (splits is None or row["split"] in splits):
                texts.append(row["text"])
    return [" ".join(text.split()) for text in texts]


def run(show_changed: bool = False) -> None:
    texts = ordinary_replies()
    started = time.perf_counter()
    redact("moved to Droitwich near Reading with bex")  # reads every word list once
    first = time.perf_counter() - started
    started = time.perf_counter()
    redacted = [redact(text) for text in texts]
    each = (time.perf_counter() - started) / len(texts)
    changed = [after for before, after in zip(texts, redacted) if after != before]
    if show_changed:
        print("\n".join(changed))
    print(
        f"redaction  {len(changed)} of {len(texts)} ordinary replies changed ({100 * len(changed) / len(texts):.1f}%); "
        f"{1e6 * each:.0f} µs per quote; first call {first:.2f}s (reads the word lists)"
    )


if __name__ == "__main__":
    run(show_changed="--changed" in sys.argv)
