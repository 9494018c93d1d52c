"""Quality floors on the labelled set, so accuracy cannot silently regress."""

from pathlib import Path

import pytest

from voice_service.analysis.evaluate import evaluate, load

DATA = Path(__file__).resolve().parents[1] / "data" / "messages.jsonl"


@pytest.fixture(scope="module")
def metrics():
    return evaluate(DATA)


def test_labelled_set_is_big_and_broad_enough():
    rows = load(DATA)
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert sum(r["risk"] for r in rows) >= 60
    assert {t for r in rows for t in r["themes"]} >= {
        "safety",
        "health",
        "mental_health",
        "education",
        "work_and_money",
        "housing",
        "leaving_care",
        "carers",
        "family_and_friends",
        "social_workers",
        "stability",
        "having_a_say",
        "everyday_life",
        "leisure",
        "love_and_belonging",
        "respect_and_identity",
        "rights",
        "aspirations",
    }
    assert {r["sentiment"] for r in rows} == {"positive", "neutral", "negative"}


def test_risk_recall_is_total_and_precision_high(metrics):
    risk = metrics["risk"]
    assert risk["misses"] == [], risk["misses"]
    assert risk["overall"]["recall"] == 1.0
    assert risk["overall"]["precision"] >= 0.7


def test_sentiment_floor_and_margin_over_textblob(metrics):
    sent = metrics["sentiment"]
    assert sent["project"]["macro_f1"] >= 0.80
    assert sent["project"]["macro_f1"] >= sent["textblob"]["macro_f1"] + 0.15


def test_themes_floor(metrics):
    assert metrics["themes"]["micro_f1"] >= 0.75
