"""Measure the analysis against a labelled JSONL set, beside raw TextBlob and raw VADER.

Run as `python -m voice_service.analysis.evaluate tests/data/messages.jsonl`
(what `make eval` does). The labelled set is synthetic, so its text is printed
alongside misses; never point this at real young people's messages.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from voice_service.analysis import analyse
from voice_service.analysis.lexicon import RISK_CATEGORIES, THEME_IDS
from voice_service.analysis.sentiment import LABELS

# The usual thresholds for the raw baselines: TextBlob and VADER's own +-0.05.
BASELINE_THRESHOLD = 0.05


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined), plus support."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn}


def _label(score: float) -> str:
    if score >= BASELINE_THRESHOLD:
        return "positive"
    if score <= -BASELINE_THRESHOLD:
        return "negative"
    return "neutral"


def _multiclass(gold: list[str], pred: list[str]) -> dict:
    """Per-class P/R/F1, macro-F1 and accuracy for single-label predictions."""
    per = {}
    for cls in LABELS:
        tp = sum(g == cls and p == cls for g, p in zip(gold, pred))
        fp = sum(g != cls and p == cls for g, p in zip(gold, pred))
        fn = sum(g == cls and p != cls for g, p in zip(gold, pred))
        per[cls] = _prf(tp, fp, fn)
    return {
        "per_class": per,
        "macro_f1": sum(v["f1"] for v in per.values()) / len(per),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / max(1, len(gold)),
    }


def _multilabel(gold: list[set[str]], pred: list[set[str]], classes: Iterable[str]) -> dict:
    """Per-class P/R/F1 plus micro- and macro-F1 for multi-label predictions."""
    per, total = {}, [0, 0, 0]
    for cls in classes:
        tp = sum(cls in g and cls in p for g, p in zip(gold, pred))
        fp = sum(cls not in g and cls in p for g, p in zip(gold, pred))
        fn = sum(cls in g and cls not in p for g, p in zip(gold, pred))
        per[cls] = _prf(tp, fp, fn)
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
    micro = _prf(*total)
    return {
        "per_class": per,
        "micro_f1": micro["f1"],
        "micro_precision": micro["precision"],
        "micro_recall": micro["recall"],
        "macro_f1": sum(v["f1"] for v in per.values()) / max(1, len(per)),
    }


def load(path: str | Path) -> list[dict]:
    """Read the labelled JSONL set."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(path: str | Path) -> dict:
    """Return every metric for the labelled set at path (used by `make eval` and the quality tests)."""
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    rows = load(path)
    vader = SentimentIntensityAnalyzer()
    results = [analyse(r["text"]) for r in rows]
    gold_sent = [r["sentiment"] for r in rows]
    sentiment = {
        "project": _multiclass(gold_sent, [a.sentiment for a in results]),
        "textblob": _multiclass(gold_sent, [_label(TextBlob(r["text"]).sentiment.polarity) for r in rows]),
        "vader": _multiclass(gold_sent, [_label(vader.polarity_scores(r["text"])["compound"]) for r in rows]),
    }
    themes = _multilabel([set(r["themes"]) for r in rows], [set(a.themes) for a in results], THEME_IDS)
    risk_overall = _prf(
        sum(r["risk"] and a.risk for r, a in zip(rows, results)),
        sum(not r["risk"] and a.risk for r, a in zip(rows, results)),
        sum(r["risk"] and not a.risk for r, a in zip(rows, results)),
    )
    # What "negative sentiment means risk" would do: the reason sentiment never decides risk.
    naive = {
        name: _prf(
            sum(r["risk"] and lab == "negative" for r, lab in zip(rows, preds)),
            sum(not r["risk"] and lab == "negative" for r, lab in zip(rows, preds)),
            sum(r["risk"] and lab != "negative" for r, lab in zip(rows, preds)),
        )
        for name, preds in (
            ("textblob", [_label(TextBlob(r["text"]).sentiment.polarity) for r in rows]),
            ("vader", [_label(vader.polarity_scores(r["text"])["compound"]) for r in rows]),
        )
    }
    risk_cats = _multilabel(
        [set(r["risk_categories"]) for r in rows], [set(a.risk_categories) for a in results], RISK_CATEGORIES
    )
    return {
        "n": len(rows),
        "sentiment": sentiment,
        "themes": themes,
        "risk": {
            "overall": risk_overall,
            "categories": risk_cats,
            "negative_sentiment_as_risk": naive,
            "misses": [(r["id"], r["text"]) for r, a in zip(rows, results) if r["risk"] and not a.risk],
            "false_alarms": [(r["id"], r["text"]) for r, a in zip(rows, results) if a.risk and not r["risk"]],
        },
        "errors": {
            "sentiment": [
                (r["id"], r["sentiment"], a.sentiment, a.score, r["text"])
                for r, a in zip(rows, results)
                if r["sentiment"] != a.sentiment
            ],
            "themes": [
                (r["id"], sorted(set(r["themes"]) - set(a.themes)), sorted(set(a.themes) - set(r["themes"])), r["text"])
                for r, a in zip(rows, results)
                if set(r["themes"]) != set(a.themes)
            ],
        },
    }


def _fmt(m: dict | None) -> str:
    if m is None:
        return f"{'n/a':>6} {'n/a':>6} {'n/a':>6}"
    return f"{m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"


def report(metrics: dict, *, verbose: bool = False) -> str:
    """Render the metrics as side-by-side plain-text tables."""
    out: list[str] = []
    head = f"{'':24} {'project P':>9} {'R':>6} {'F1':>6} | {'TextBlob P':>10} {'R':>6} {'F1':>6} | {'VADER P':>7} {'R':>6} {'F1':>6} | {'n':>4}"  # noqa: E501
    sent = metrics["sentiment"]
    out.append(f"Labelled messages: {metrics['n']}\n")
    out.append("SENTIMENT (baselines: raw polarity / compound, +-0.05)")
    out.append(head)
    for cls in LABELS:
        rows = [sent[k]["per_class"][cls] for k in ("project", "textblob", "vader")]
        out.append(
            f"{cls:24} {_fmt(rows[0]):>22} | {_fmt(rows[1]):>22} | {_fmt(rows[2]):>20} | {rows[0]['support']:4d}"
        )
    out.append(
        f"{'macro-F1':24} {sent['project']['macro_f1']:22.3f} | {sent['textblob']['macro_f1']:22.3f} | {sent['vader']['macro_f1']:20.3f} |"  # noqa: E501
    )
    out.append(
        f"{'accuracy':24} {sent['project']['accuracy']:22.3f} | {sent['textblob']['accuracy']:22.3f} | {sent['vader']['accuracy']:20.3f} |"  # noqa: E501
    )
    themes = metrics["themes"]
    out.append("\nTHEMES (raw TextBlob and VADER have no themes)")
    out.append(head)
    for theme in THEME_IDS:
        m = themes["per_class"][theme]
        out.append(f"{theme:24} {_fmt(m):>22} | {_fmt(None):>22} | {_fmt(None):>20} | {m['support']:4d}")
    out.append(
        f"{'micro-F1':24} {themes['micro_f1']:22.3f} | {'n/a':>22} | {'n/a':>20} |   (P {themes['micro_precision']:.3f}, R {themes['micro_recall']:.3f})"  # noqa: E501
    )
    out.append(f"{'macro-F1':24} {themes['macro_f1']:22.3f} | {'n/a':>22} | {'n/a':>20} |")
    risk = metrics["risk"]
    naive = risk["negative_sentiment_as_risk"]
    out.append("\nRISK (baselines: 'negative sentiment = risk', to show why sentiment never decides risk)")
    out.append(head)
    out.append(
        f"{'any risk':24} {_fmt(risk['overall']):>22} | {_fmt(naive['textblob']):>22} | {_fmt(naive['vader']):>20} | {risk['overall']['support']:4d}"  # noqa: E501
    )
    for cat in RISK_CATEGORIES:
        m = risk["categories"]["per_class"][cat]
        out.append(f"{cat:24} {_fmt(m):>22} | {_fmt(None):>22} | {_fmt(None):>20} | {m['support']:4d}")
    out.append(f"\nRisk misses ({len(risk['misses'])}):")
    out.extend(f"  {i}: {t}" for i, t in risk["misses"])
    out.append(f"False alarms ({len(risk['false_alarms'])}):")
    out.extend(f"  {i}: {t}" for i, t in risk["false_alarms"])
    if verbose:
        out.append("\nSentiment errors (id gold pred score text):")
        out.extend(f"  {e[0]} {e[1]:8} {e[2]:8} {e[3]:+.3f} {e[4]}" for e in metrics["errors"]["sentiment"])
        out.append("\nTheme errors (id missing extra text):")
        out.extend(f"  {e[0]} -{e[1]} +{e[2]} {e[3]}" for e in metrics["errors"]["themes"])
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Entry point: print the report for the labelled set given on the command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    path = args[0] if args else "tests/data/messages.jsonl"
    print(report(evaluate(path), verbose=verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
