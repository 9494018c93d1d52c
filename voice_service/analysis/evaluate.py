"""Measure the analysis: the risk screen on held-out data, and themes/sentiment on the old set.

`make eval` runs `python -m voice_service.analysis.evaluate`, which prints

1. RISK on the TEST split of tests/data/risk_corpus.jsonl (never tuned on), per
   category, for the lexicon alone, the model alone and both combined (what ships);
2. the same on the DEV split (thresholds were chosen on it, so it is not a result);
3. false alarms per 1,000 ORDINARY replies on the TEST split (the ordinary survey-reply
   and everyday care-life families, train.ORDINARY_FAMILIES), and per 1,000 everyday
   sentences (tests/data/everyday/fortunes.txt, never trained on);
4. the HOLDOUT (tests/data/holdout/, see its SOURCES.md): disclosures written independently
   from issue 10's description of kinds and public everyday text, never tuned on; its lines
   are never printed, only figures and the kinds the combined screen misses most; then an UNSEEN
   AUTHOR (tests/data/risk_corpus/pending/y9_*.txt, never learned from or tuned on; see
   docs/risk-screen.md, "The ninth author"), built as its lines would be if learned, by figures only;
   then an ELEVENTH AUTHOR (tests/data/eleventh_author/, see its SOURCES.md): its CHECK half, never read
   or tuned on, by figures only, and its TUNE half, which the lexicon was tuned on (not a result);
5. the older report on tests/data/messages.jsonl (themes, sentiment, risk), which the
   lexicon was TUNED ON, beside raw TextBlob and VADER;
6. sentiment on the TEST split of tests/data/complaints/messages.jsonl (plain complaints with
   no negative word, pleas for help, and matched neutral/positive controls; never tuned on),
   macro-F1 beside TextBlob and VADER and accuracy per kind.

`python -m voice_service.analysis.evaluate FILE.jsonl` prints only part 5 for FILE;
`python -m voice_service.analysis.evaluate --complaints` prints only part 6;
`python -m voice_service.analysis.evaluate --no-holdout` prints every part but the test-only everyday
text (fortunes.txt), the holdout and the unseen author (4): for choosing between models, which must
never see those; `-v` lists every miss and false alarm outside the holdout, and `--help` the options.
The labelled sets are synthetic, so their text is printed alongside misses; never
point this at real young people's messages.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from voice_service.analysis import analyse
from voice_service.analysis.lexicon import RISK_CATEGORIES, THEME_IDS
from voice_service.analysis.model import RiskModel, risk_model
from voice_service.analysis.risk import RiskResult, RiskScreen, lexicon_screen, risk_screen, screen_normalised
from voice_service.analysis.sentiment import LABELS
from voice_service.analysis.text import normalise
from voice_service.analysis.train import ordinary

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
CORPUS = DATA / "risk_corpus.jsonl"
EVERYDAY = DATA / "everyday" / "fortunes.txt"
OLD_SET = DATA / "messages.jsonl"
COMPLAINTS = DATA / "complaints" / "messages.jsonl"
HOLDOUT = DATA / "holdout"
# An author the model never learned from, measured as another holdout: never tuned on (see docs/risk-screen.md).
UNSEEN_AUTHOR = "y9"
# Lines an eleventh author wrote without reading the screen; half of them never read (see its SOURCES.md).
ELEVENTH_AUTHOR = DATA / "eleventh_author" / "lines.jsonl"
SCREENS = ("lexicon", "model", "combined")

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


def complaints_metrics(path: Path = COMPLAINTS, split: str = "test") -> dict:
    """Sentiment on one split of the complaints set: macro-F1 beside the raw baselines, accuracy per kind."""
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    rows = [r for r in load(path) if r["split"] == split]
    vader = SentimentIntensityAnalyzer()
    gold = [r["sentiment"] for r in rows]
    results = [analyse(r["text"]) for r in rows]
    kinds: dict[str, list[int]] = {}
    for r, a in zip(rows, results):
        kinds.setdefault(r["kind"], [0, 0])[r["sentiment"] == a.sentiment] += 1
    return {
        "n": len(rows),
        "split": split,
        "project": _multiclass(gold, [a.sentiment for a in results]),
        "textblob": _multiclass(gold, [_label(TextBlob(r["text"]).sentiment.polarity) for r in rows]),
        "vader": _multiclass(gold, [_label(vader.polarity_scores(r["text"])["compound"]) for r in rows]),
        "kinds": {kind: (right, wrong + right) for kind, (wrong, right) in sorted(kinds.items())},
        "errors": [
            (r["id"], r["sentiment"], a.sentiment, a.score, r["text"])
            for r, a in zip(rows, results)
            if r["sentiment"] != a.sentiment
        ],
    }


def complaints_report(metrics: dict, *, verbose: bool = False) -> str:
    """Part 6 as plain text: the set is synthetic, so -v may list the misses' text."""
    rel = COMPLAINTS.relative_to(DATA.parents[1])
    out = [
        f"SENTIMENT on plain complaints and pleas, {metrics['split'].upper()} split of {rel} (never tuned on)",
        f"  {metrics['n']} messages; macro-F1 project {metrics['project']['macro_f1']:.3f}"
        f"  TextBlob {metrics['textblob']['macro_f1']:.3f}  VADER {metrics['vader']['macro_f1']:.3f}"
        f"; accuracy project {metrics['project']['accuracy']:.3f}",
        "  right by kind: " + ", ".join(f"{k} {r}/{n}" for k, (r, n) in metrics["kinds"].items()),
    ]
    if verbose:
        out.extend(f"    {e[0]} {e[1]:8} {e[2]:8} {e[3]:+.3f} {e[4]}" for e in metrics["errors"])
    return "\n".join(out)


def _no_patterns():
    from voice_service.analysis.risk import PatternSet

    return PatternSet((), {}, ())


@lru_cache(maxsize=1)
def _without_patterns() -> RiskScreen:
    """The screen with no lexicon patterns, built once: a new one per message would be held by the
    screen's typo cache (65,536 of them filled the memory on a 22,000-line file)."""
    return dataclasses.replace(risk_screen(), strong=_no_patterns(), weak=_no_patterns())


def _model_alone(norm, model: RiskModel) -> RiskResult:
    """What the model would say with no lexicon (the combined screen minus the lexicon's floor)."""
    return screen_normalised(norm, _without_patterns(), model)


def screens(text: str) -> dict[str, RiskResult]:
    """The lexicon alone, the model alone and the combined screen (what ships) for one text."""
    norm = normalise(text)
    table, model = risk_screen(), risk_model()
    return {
        "lexicon": lexicon_screen(norm, table),
        "model": _model_alone(norm, model),
        "combined": screen_normalised(norm, table, model),
    }


def risk_metrics(rows: list[dict]) -> dict:
    """Any-risk and per-category P/R/F1 for each screen, and the combined screen's misses and false alarms."""
    results = [screens(r["text"]) for r in rows]
    out: dict = {"n": len(rows), "risky": sum(bool(r["risk"]) for r in rows)}
    for name in SCREENS:
        preds = [res[name] for res in results]
        out[name] = {
            "any": _prf(
                sum(r["risk"] and p.risk for r, p in zip(rows, preds)),
                sum(not r["risk"] and p.risk for r, p in zip(rows, preds)),
                sum(r["risk"] and not p.risk for r, p in zip(rows, preds)),
            ),
            "categories": _multilabel(
                [set(r["risk_categories"]) for r in rows], [set(p.categories) for p in preds], RISK_CATEGORIES
            )["per_class"],
        }
    combined = [res["combined"] for res in results]
    out["low_priority"] = sum(p.priority == "low" for p in combined)
    out["misses"] = [(r["id"], r["text"]) for r, p in zip(rows, combined) if r["risk"] and not p.risk]
    out["false_alarms"] = [
        (r["id"], ", ".join(p.reasons), r["text"]) for r, p in zip(rows, combined) if p.risk and not r["risk"]
    ]
    return out


def everyday_false_alarms(path: Path = EVERYDAY) -> dict:
    """Alerts per 1,000 everyday sentences (one a line) for each screen."""
    return _false_alarms([line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()])


def ordinary_false_alarms(rows: list[dict]) -> dict:
    """Alerts per 1,000 ordinary replies (ordinary-reply families of the corpus) for each screen."""
    return _false_alarms([r["text"] for r in rows if ordinary(r)])


def _false_alarms(lines: list[str]) -> dict:
    """Alerts per 1,000 of these lines, none of them risky, for each screen, and the combined screen's alarms."""
    results = [screens(line) for line in lines]
    out: dict = {"n": len(lines)}
    for name in SCREENS:
        out[name] = 1000 * sum(res[name].risk for res in results) / max(1, len(lines))
    out["alarms"] = [
        (", ".join(res["combined"].reasons), line) for res, line in zip(results, lines) if res["combined"].risk
    ]
    return out


def corpus_split(split: str, path: Path = CORPUS) -> list[dict]:
    """Rows of one split (train, dev or test) of the risk corpus."""
    return [r for r in load(path) if r["split"] == split]


def risk_report(metrics: dict, title: str, *, verbose: bool = False) -> str:
    """Per-category precision and recall for lexicon, model and combined, side by side."""
    out = [
        title,
        f"{metrics['n']} messages, {metrics['risky']} risky; "
        f"the combined screen raised {metrics['low_priority']} low-priority alerts",
    ]
    out.append(f"{'':16} {'lexicon P':>9} {'R':>6} | {'model P':>7} {'R':>6} | {'combined P':>10} {'R':>6} | {'n':>4}")
    keys = ["any risk", *RISK_CATEGORIES]
    for key in keys:
        cells = []
        for name in SCREENS:
            m = metrics[name]["any"] if key == "any risk" else metrics[name]["categories"][key]
            cells.append((m["precision"], m["recall"], m["support"]))
        (lp, lr, n), (mp, mr, _), (cp, cr, _) = cells
        out.append(f"{key:16} {lp:9.3f} {lr:6.3f} | {mp:7.3f} {mr:6.3f} | {cp:10.3f} {cr:6.3f} | {n:4d}")
    if verbose:
        out.append(f"  misses ({len(metrics['misses'])}):")
        out.extend(f"    {i}: {t}" for i, t in metrics["misses"])
        out.append(f"  false alarms ({len(metrics['false_alarms'])}):")
        out.extend(f"    {i} [{why}]: {t}" for i, why, t in metrics["false_alarms"])
    else:
        out.append(f"  ({len(metrics['misses'])} misses, {len(metrics['false_alarms'])} false alarms; -v lists them)")
    return "\n".join(out)


def holdout_rows(path: Path = HOLDOUT / "disclosures.jsonl") -> list[dict]:
    """The independently written disclosures, shaped as risk_metrics reads them (id, risk_categories)."""
    return [
        {**r, "id": f"holdout-{i}", "risk_categories": [r["category"]] if r["category"] else []}
        for i, r in enumerate(load(path), 1)
    ]


def _worst_by(rows: list[dict], risky: bool, what: str, field: str, wrong: set[str]) -> str:
    """One line of a figures-only report: how many of the risky (or not) rows of each kind or style the screen
    got wrong, worst share first, never the rows themselves."""
    groups: dict[str, list[int]] = {}
    for r in rows:
        if r["risk"] == risky:
            groups.setdefault(r[field], [0, 0])[r["id"] in wrong] += 1
    worst = sorted(((k, w, n + w) for k, (n, w) in groups.items() if w), key=lambda t: (-t[1] / t[2], t[0]))
    return f"  {what} by {field}, worst first: " + ", ".join(f"{k} {w}/{n}" for k, w, n in worst)


def holdout_report(directory: Path = HOLDOUT) -> str:
    """Part 4: the screens on text nobody tuned on, by figures and kinds only (never the lines)."""
    rows = holdout_rows(directory / "disclosures.jsonl")
    metrics = risk_metrics(rows)
    title = (
        "RISK, HOLDOUT tests/data/holdout/disclosures.jsonl: written independently from the issue's kinds,"
        " never tuned on"
    )
    # risk_report's last line offers -v for the lines; the holdout never prints them.
    out = risk_report(metrics, title).splitlines()[:-1]
    wrong = {i for i, _ in metrics["misses"]} | {i for i, _, _ in metrics["false_alarms"]}
    for risky, what, field in ((True, "missed", "kind"), (True, "missed", "style"), (False, "false alarms", "kind")):
        out.append(_worst_by(rows, risky, what, field, wrong))
    fa = everyday_false_alarms(directory / "everyday.txt")
    out.append(
        f"FALSE ALARMS per 1,000 HOLDOUT everyday sentences ({fa['n']} public reviews, tweets, news; never tuned on)"
    )
    out.append("  " + "   ".join(f"{name} {fa[name]:.1f}" for name in SCREENS) + "   (target <= 5 combined)")
    return "\n".join(out)


def _corpus_builder():
    """tests/data/risk_corpus/build.py as a module (it is a script beside its data, not part of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("risk_corpus_build", CORPUS.parent / "risk_corpus" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unseen_author_report(author: str = UNSEEN_AUTHOR) -> str:
    """Part 4, after the holdout: the screens on an author's pending/ lines, which nothing learned from or was
    tuned on; figures only, as for the holdout, so that nobody tunes on them by reading misses."""
    rows = _corpus_builder().pending(author, load(CORPUS))
    title = (
        f"RISK, UNSEEN AUTHOR tests/data/risk_corpus/pending/{author}_*.txt (with their texting and buried"
        " variants): never learned from, never tuned on"
    )
    out = risk_report(risk_metrics(rows), title).splitlines()[:-1]
    oa = ordinary_false_alarms(rows)
    out.append(f"FALSE ALARMS per 1,000 ordinary replies ({oa['n']} of the unseen author's)")
    out.append("  " + "   ".join(f"{name} {oa[name]:.1f}" for name in SCREENS) + "   (target <= 10 combined)")
    return "\n".join(out)


def eleventh_author_rows(half: str, path: Path = ELEVENTH_AUTHOR) -> list[dict]:
    """One half ("check" or "tune") of the eleventh author's lines, shaped as risk_metrics reads them."""
    return [
        {**r, "id": f"y11-{i}", "risk_categories": [r["category"]] if r["category"] else []}
        for i, r in enumerate(load(path), 1)
        if r["half"] == half
    ]


def eleventh_author_report(path: Path = ELEVENTH_AUTHOR) -> str:
    """Part 4, last: the eleventh author's CHECK half (never read or tuned on) by figures and kinds only, as for
    the holdout, then its TUNE half's headline, which the lexicon was tuned on."""
    rows = eleventh_author_rows("check", path)
    metrics = risk_metrics(rows)
    title = (
        "RISK, ELEVENTH AUTHOR tests/data/eleventh_author/ CHECK half: written without reading the screen,"
        " never read or tuned on"
    )
    out = risk_report(metrics, title).splitlines()[:-1]
    alarmed = {i for i, _, _ in metrics["false_alarms"]}
    wrong = {i for i, _ in metrics["misses"]} | alarmed
    out += [_worst_by(rows, risky, what, "kind", wrong) for risky, what in ((True, "missed"), (False, "false alarms"))]
    safe = [r for r in rows if not r["risk"]]
    out.append(
        f"  its {len(safe)} lines that are no risk (topics, sport, negations, a past that is over, other senses,"
        f" ordinary replies, everyday text): {len(alarmed)} alerted"
    )
    tuned = risk_metrics(eleventh_author_rows("tune", path))["combined"]["any"]
    out.append(
        f"  (its TUNE half, which the lexicon was tuned on, not a result: combined P {tuned['precision']:.3f}"
        f" R {tuned['recall']:.3f})"
    )
    return "\n".join(out)


def _parser() -> argparse.ArgumentParser:
    """The command line: the full report by default, or one part of it."""
    parser = argparse.ArgumentParser(
        prog="python -m voice_service.analysis.evaluate",
        description="Measure the risk screen, themes and sentiment (`make eval`; see docs/risk-screen.md). With"
        " no arguments: risk on the TEST and DEV splits, false alarms on ordinary replies and everyday"
        " sentences, the holdout and the unseen author (figures only), the older tuned-on set, complaints"
        " and per-theme feelings.",
        epilog="The labelled sets are synthetic, so -v prints their text; never point this at real young"
        " people's messages.",
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="a labelled JSONL file like tests/data/messages.jsonl (id, text, themes, sentiment, risk,"
        " risk_categories): print only the older set's report (themes, sentiment, risk) for it",
    )
    parser.add_argument(
        "--complaints",
        action="store_true",
        help="print only sentiment on the TEST split of tests/data/complaints/messages.jsonl",
    )
    parser.add_argument(
        "--no-holdout",
        action="store_true",
        help="in the full report, leave out fortunes.txt, the holdout, the unseen author and the eleventh author"
        " (neither read nor printed): for choosing between models, which must never see them",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every miss and false alarm, with its text (never the holdout's, the unseen author's or the"
        " eleventh author's)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: the full report (see the module docstring), or part 5 for a file given."""
    parser = _parser()
    opts = parser.parse_args(sys.argv[1:] if argv is None else argv)
    verbose, no_holdout = opts.verbose, opts.no_holdout
    if opts.complaints and opts.file is not None:
        parser.error("--complaints and a FILE are two different reports: give one")
    if opts.complaints:
        print(complaints_report(complaints_metrics(), verbose=verbose))
        return 0
    if opts.file is not None:
        print(report(evaluate(opts.file), verbose=verbose))
        return 0
    print(
        risk_report(
            risk_metrics(corpus_split("test")),
            "RISK, TEST split of tests/data/risk_corpus.jsonl (held out: never tuned on)",
            verbose=verbose,
        )
    )
    print()
    print(
        risk_report(
            risk_metrics(corpus_split("dev")),
            "RISK, DEV split (thresholds chosen here: a guide, not a result)",
            verbose=verbose,
        )
    )
    print()
    for split, note in (("test", "held out"), ("dev", "budget chosen here")):
        oa = ordinary_false_alarms(corpus_split(split))
        print(f"FALSE ALARMS per 1,000 ordinary replies ({oa['n']} in the {split.upper()} split, {note})")
        print("  " + "   ".join(f"{name} {oa[name]:.1f}" for name in SCREENS) + "   (target <= 10 combined)")
        if verbose and split == "dev":
            print("\n".join(f"    [{why}] {t}" for why, t in oa["alarms"]))
    if no_holdout:
        print(
            "(--no-holdout: the holdout, fortunes.txt and the unseen and eleventh authors are neither read nor printed)"
        )
    else:
        fa = everyday_false_alarms()
        print(
            f"FALSE ALARMS per 1,000 everyday sentences ({fa['n']} from tests/data/everyday/fortunes.txt,"
            " never trained on)"
        )
        print("  " + "   ".join(f"{name} {fa[name]:.1f}" for name in SCREENS) + "   (target <= 5 combined)")
        if verbose:
            out = [f"    [{why}] {t}" for why, t in fa["alarms"]]
            print("\n".join(out))
        print()
        print(holdout_report())
        print()
        print(unseen_author_report())
        print()
        print(eleventh_author_report())
    print()
    print("=" * 100)
    print(
        "OLDER SET tests/data/messages.jsonl: the lexicon was TUNED ON these lines; its risk figures are not a result"
    )
    print(report(evaluate(OLD_SET), verbose=verbose))
    print()
    print(complaints_report(complaints_metrics(), verbose=verbose))
    _theme_feelings_section(verbose)
    return 0


def _theme_feelings_section(verbose: bool) -> None:
    """Print each theme's own feeling on mixed messages, before and after clauses (evaluate_themes)."""
    from voice_service.analysis.evaluate_themes import report as theme_feelings

    print()
    print("=" * 100)
    print(theme_feelings("test", verbose=verbose))


if __name__ == "__main__":
    raise SystemExit(main())
