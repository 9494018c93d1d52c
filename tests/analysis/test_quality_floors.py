"""Quality floors on the labelled set, so accuracy cannot silently regress."""

from pathlib import Path

import pytest

from voice_service.analysis.evaluate import (
    corpus_split,
    evaluate,
    everyday_false_alarms,
    load,
    ordinary_false_alarms,
    risk_metrics,
)
from voice_service.analysis.lexicon import THEME_IDS

DATA = Path(__file__).resolve().parents[1] / "data" / "messages.jsonl"
CORPUS = Path(__file__).resolve().parents[1] / "data" / "risk_corpus.jsonl"


@pytest.fixture(scope="module")
def metrics():
    return evaluate(DATA)


def test_labelled_set_is_big_and_broad_enough():
    rows = load(DATA)
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert sum(r["risk"] for r in rows) >= 60
    assert {t for r in rows for t in r["themes"]} >= set(THEME_IDS)
    assert {r["sentiment"] for r in rows} == {"positive", "neutral", "negative"}


def test_risk_on_the_set_the_lexicon_was_tuned_on(metrics):
    # Tuned on: this only guards against regressions, it is not a measure of quality.
    risk = metrics["risk"]
    assert risk["overall"]["recall"] >= 0.99, risk["misses"]
    assert risk["overall"]["precision"] >= 0.7


def test_risk_corpus_is_big_and_split_by_family():
    rows = load(CORPUS)
    assert len(rows) >= 3000
    assert len({r["id"] for r in rows}) == len(rows)
    splits: dict[str, set[str]] = {}
    for r in rows:
        splits.setdefault(r["family"], set()).add(r["split"])
    assert all(len(s) == 1 for s in splits.values()), "a family straddles splits"
    test = [r for r in rows if r["split"] == "test"]
    assert {c for r in test for c in r["risk_categories"]} == {
        "self_harm",
        "abuse",
        "exploitation",
        "missing",
        "violence",
        "unsafe_home",
    }


@pytest.fixture(scope="module")
def held_out():
    return risk_metrics(corpus_split("test"))


def test_held_out_test_split_floors(held_out):
    # Floors at what the shipped screen reaches on the TEST split (see make eval), a little below.
    combined = held_out["combined"]["any"]
    # The model's low threshold now keeps ordinary replies quiet (train.ORDINARY_BUDGET), which
    # cost recall (0.931 -> 0.818 on this split); word vectors and lexicon structure gave back
    # some (0.845), 4,000 more training lines (tests/data/risk_corpus/train/) more (0.890), and
    # low-priority alerts within a looser ordinary-reply budget (train.LOW_ORDINARY_BUDGET) more
    # (0.898), and a second author's train-only lines with adult everyday text counted 4 times
    # (0.927, with the lexicon of 00:35 UTC). The floor is what it reaches, not a wish.
    assert combined["recall"] >= 0.92
    assert combined["precision"] >= 0.95
    # Either opinion alone is weaker than both together.
    assert combined["recall"] > held_out["lexicon"]["any"]["recall"]
    assert combined["recall"] > held_out["model"]["any"]["recall"]


def test_everyday_text_false_alarm_ceiling():
    # Per 1,000 everyday sentences; the target is 5. Ceiling at what we reach (7.0: the
    # lexicon 4.3, the model 2.7; 5.7 with the model 1.3 before the fourth author's lines, which
    # took holdout recall 0.884 -> 0.902 at the same everyday 6.1 there; the model's budget is 1
    # per 1,000 public dev sentences).
    assert everyday_false_alarms()["combined"] <= 7.0


def test_ordinary_replies_false_alarm_ceiling():
    # Per 1,000 ordinary replies in the TEST split (~98% of real traffic is ordinary). The
    # high threshold keeps dev under 5 and the low one under 30 (train.ORDINARY_BUDGET and
    # LOW_ORDINARY_BUDGET); test reaches 22.7 (5 of 220).
    assert ordinary_false_alarms(corpus_split("test"))["combined"] <= 23
    assert ordinary_false_alarms(corpus_split("test"))["n"] >= 200


def test_sentiment_floor_and_margin_over_textblob(metrics):
    sent = metrics["sentiment"]
    assert sent["project"]["macro_f1"] >= 0.80
    assert sent["project"]["macro_f1"] >= sent["textblob"]["macro_f1"] + 0.15


def test_themes_floor(metrics):
    assert metrics["themes"]["micro_f1"] >= 0.75


def test_plain_complaints_and_pleas_floor():
    # tests/data/complaints: never tuned on; 0.517 macro-F1 before complaints were read as such.
    from voice_service.analysis.evaluate import complaints_metrics

    m = complaints_metrics()
    rows = load(DATA.parent / "complaints" / "messages.jsonl")
    assert m["n"] >= 60 and {r["split"] for r in rows} == {"test"}
    assert {r["sentiment"] for r in rows} == {"positive", "neutral", "negative"}
    assert m["project"]["macro_f1"] >= 0.75, m["errors"]
    assert m["project"]["macro_f1"] >= m["textblob"]["macro_f1"] + 0.3
    right, total = m["kinds"]["plea"]
    assert right == total, m["errors"]
