"""Each theme's own feeling, from the clause(s) that raised it (finding F4); the message keeps its one."""

import json
from pathlib import Path

import pytest

from voice_service.analysis import analyse
from voice_service.analysis.evaluate_themes import DATA, load, measure


@pytest.mark.parametrize(
    "text,expected",
    [
        # The finding's own example: good news about the carer, bad news about school.
        ("I love my foster carer but I hate my new school", {"carers": "positive", "education": "negative"}),
        ("school is really boring although my foster mum is lovely", {"education": "negative", "carers": "positive"}),
        # Text speak with no punctuation: cut where each side has its own theme and feeling.
        ("my carer is well nice school is rubbish tho", {"carers": "positive", "education": "negative"}),
        ("my foster carer is kind and my teachers are really unfair", {"carers": "positive", "education": "negative"}),
        (
            "My teachers are great. My foster carer shouts at me all the time and its horrible",
            {"education": "positive", "carers": "negative"},
        ),
        # One feeling about both: "and" does not cut a clause whose second half has no feeling of its own.
        ("my foster carer and my school are both brilliant", {"carers": "positive", "education": "positive"}),
        ("i love my foster carer and my school", {"carers": "positive", "education": "positive"}),
    ],
)
def test_each_theme_takes_the_feeling_of_its_own_clause(text, expected):
    result = analyse(text)
    assert {t: s for t, s in result.theme_sentiments if t in expected} == expected


def test_the_message_keeps_its_one_sentiment_and_the_contract_only_grows():
    result = analyse("I love my foster carer but I hate my new school")
    data = result.to_dict()
    assert {"themes", "sentiment", "score", "risk", "risk_categories"} <= set(data)
    assert data["sentiment"] in ("positive", "neutral", "negative")
    assert data["theme_sentiments"] == dict(result.theme_sentiments)
    assert [t for t, _ in result.theme_sentiments] == list(result.themes)  # every theme, in theme order


def test_one_theme_or_one_clause_is_the_messages_own_feeling():
    one_theme = analyse("my sw never calls me back its so long")
    assert dict(one_theme.theme_sentiments) == {"social_workers": one_theme.sentiment}
    one_clause = analyse("i love my foster carer and my school")
    assert dict(one_clause.theme_sentiments) == dict.fromkeys(one_clause.themes, one_clause.sentiment)
    assert analyse("ok").theme_sentiments == ()


def test_a_disclosure_weighs_on_the_theme_it_is_about_not_on_praise_elsewhere():
    result = dict(analyse("i dont feel safe on the bus though college is great").theme_sentiments)
    assert result["safety"] == "negative"
    assert result["education"] == "positive"


def test_the_labelled_set_is_split_by_family_and_clauses_beat_one_feeling_for_all():
    rows = [json.loads(line) for line in Path(DATA).read_text().splitlines()]
    assert len(rows) >= 60
    families = {split: {r["family"] for r in rows if r["split"] == split} for split in ("dev", "test")}
    assert families["dev"] and families["test"] and not families["dev"] & families["test"]
    for split in ("dev", "test"):
        m = measure(load(split))
        assert m["after"] > m["before"]
